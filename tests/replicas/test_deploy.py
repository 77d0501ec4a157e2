"""The deployment files: the compose file sets only settings the bot reads, and HAProxy
accepts its configuration (checked by HAProxy itself when it is installed)."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.settings import Settings
from tests.replicas.cluster import haproxy_binary

DEPLOY = PROJECT_ROOT / "deploy"


def test_the_compose_file_sets_only_settings_the_bot_reads():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    known = {field.alias for field in Settings.model_fields.values()}
    bot = compose["services"]["bot"]
    assert set(bot["environment"]) <= known
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql://")
    assert {"WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_PORT"} <= set(bot["environment"])


def test_the_env_example_names_what_the_compose_file_requires():
    text = (DEPLOY / "compose.yaml").read_text()
    example = (DEPLOY / ".env.example").read_text()
    for name in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET", "POSTGRES_PASSWORD"):
        assert f"${{{name}:?" in text and f"\n{name}=" in f"\n{example}"


@pytest.mark.skipif(haproxy_binary() is None, reason="HAProxy is not installed")
def test_haproxy_accepts_the_committed_configuration():
    checked = subprocess.run(
        [haproxy_binary() or "haproxy", "-c", "-f", str(DEPLOY / "haproxy.cfg")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
