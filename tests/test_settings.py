"""Settings: defaults, `.env` in the working directory, and one clear line per bad value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import PROJECT_ROOT, data_dir
from bot.settings import InvalidSettings, Settings

#: Every bad value (setting, value) and a word its error line must hold.
BAD = [
    ("RETENTION_DAYS", "180d", "whole number of days"),
    ("RETENTION_DAYS", "0", "at least 1"),
    ("WEBHOOK_PORT", "abc", "port number"),
    ("WEBHOOK_PORT", "70000", "port number"),
    ("QUIET_HOURS", "garbage", "START-END"),
    ("QUIET_HOURS", "21-25", "START-END"),
    ("DATABASE_URL", "postgresql://u@h/%zz", "postgresql://user:password@host"),
    ("DATABASE_URL", "postgresql+psycopg://u@h/db", "sqlite:///"),
    ("DATABASE_URL", "mysql://x", "sqlite:///"),
    ("DATABASE_URL", "data/bot.sqlite3", "sqlite:///"),
    ("TIME_ZONE", "Europe/Pari", "IANA time zone"),
    ("TIME_ZONE", "../../etc/passwd", "IANA time zone"),
    ("LOG_LEVEL", "loud", "DEBUG, INFO"),
    ("DEFAULT_LANGUAGE", "de", "fr, en"),
    ("REMINDER_CHECK_SECONDS", "0", "above 0"),
    ("REMINDER_CHECK_SECONDS", "nan", "above 0"),
    ("REMINDER_CHECK_SECONDS", "1m", "above 0"),
    ("PERSONAS_SKIP_INVALID", "maybe", "true or false"),
    ("LOG_USER_TEXT", "sometimes", "true or false"),
    ("TELEGRAM_API_BASE_URL", "api.telegram.org", "URL"),
    ("WEBHOOK_URL", "bot.example.org/telegram", "URL"),
    ("WEBHOOK_SECRET", "has spaces", "A-Z"),
]


def run_bot(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in Settings.env_names()}
    environ["PYTHONPATH"] = str(PROJECT_ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input="",
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**environ, **env},
        timeout=60,
    )


def test_defaults_are_the_documented_ones():
    settings = Settings.from_env({})
    assert settings.telegram_token is None
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.database_url == "sqlite:///data/bot.sqlite3"
    assert settings.database_path == Path.cwd() / "data/bot.sqlite3"
    assert settings.default_language == "fr"
    assert settings.log_level == "INFO"
    assert settings.log_user_text is False
    assert settings.webhook_url is None and settings.webhook_secret is None
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 8443)
    assert settings.personas_dir == data_dir("personas")
    assert settings.personas_skip_invalid is True
    assert settings.retention_days == 180
    assert (settings.quiet_hours, settings.time_zone) == ("21-8", "Europe/Paris")
    assert settings.reminder_check_seconds == 60


def test_empty_values_mean_unset_and_good_values_are_normalised():
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "",
            "RETENTION_DAYS": "",
            "DEFAULT_LANGUAGE": "en-GB",
            "LOG_LEVEL": "debug",
            "PERSONAS_SKIP_INVALID": "false",
            "QUIET_HOURS": "22-7",
            "TIME_ZONE": "America/Montreal",
            "DATABASE_URL": "sqlite:////var/lib/bot/bot.sqlite3",
            "REMINDER_CHECK_SECONDS": "0.5",
        }
    )
    assert settings.telegram_token is None and settings.retention_days == 180
    assert (settings.default_language, settings.log_level) == ("en", "DEBUG")
    assert settings.personas_skip_invalid is False
    assert settings.database_path == Path("/var/lib/bot/bot.sqlite3")
    assert settings.reminder_check_seconds == 0.5


def test_a_postgresql_url_selects_postgresql_and_its_password_is_never_shown():
    url = "postgresql://bot:s3cret@db.internal:5433/bot?sslmode=require"
    settings = Settings.from_env({"DATABASE_URL": url})
    assert settings.postgres and settings.database == url and "s3cret" not in repr(settings)
    assert Settings.from_env({"DATABASE_URL": "postgres://bot@/bot?host=/run/pg"}).postgres
    sqlite = Settings.from_env({"DATABASE_URL": "sqlite:////var/lib/bot/bot.sqlite3"})
    assert not sqlite.postgres and sqlite.database == Path("/var/lib/bot/bot.sqlite3")
    for bad in ("postgresql://bot:s3cret@db/%zz", "postgresql://bot@db/%zz?password=s3cret"):
        with pytest.raises(InvalidSettings) as caught:
            Settings.from_env({"DATABASE_URL": bad})
        assert "s3cret" not in str(caught.value) and "***" in str(caught.value)


@pytest.mark.parametrize(("name", "value", "expected"), BAD)
def test_a_bad_value_is_named_with_what_is_expected(name, value, expected):
    with pytest.raises(InvalidSettings) as caught:
        Settings.from_env({name: value})
    [line] = str(caught.value).splitlines()
    assert line.startswith(f"Invalid setting {name}")
    assert expected in line


def test_secrets_are_never_shown():
    token = "123456:AAsecretsecretsecret"
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": token, "WEBHOOK_SECRET": "s3cret"})
    assert token not in repr(settings) and "s3cret" not in repr(settings)
    with pytest.raises(InvalidSettings) as caught:
        Settings.from_env({"WEBHOOK_SECRET": "bad secret value", "WEBHOOK_PORT": "x"})
    assert "bad secret value" not in str(caught.value)
    assert len(str(caught.value).splitlines()) == 2  # one line for each bad setting


@pytest.mark.parametrize(
    ("args", "name", "value"),
    [
        (("telegram",), "RETENTION_DAYS", "180d"),
        (("telegram",), "TIME_ZONE", "Europe/Pari"),
        ((), "WEBHOOK_PORT", "abc"),  # auto mode: the bot, as a token is set
        (("console",), "QUIET_HOURS", "garbage"),
        (("personas",), "DATABASE_URL", "mysql://x"),
    ],
)
def test_the_command_line_stops_with_one_line_and_status_2(tmp_path, args, name, value):
    proc = run_bot(*args, cwd=tmp_path, TELEGRAM_BOT_TOKEN="1:x", **{name: value})
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"Invalid setting {name}={value}: ")
    assert len(proc.stderr.splitlines()) == 1, proc.stderr


def test_dotenv_is_read_from_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("RETENTION_DAYS=30\nLOG_LEVEL=WARNING\nTELEGRAM_BOT_TOKEN=\n")
    monkeypatch.chdir(tmp_path)
    for name in Settings.env_names():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOG_LEVEL", "ERROR")  # the environment wins over .env
    settings = Settings.from_env()
    assert settings.retention_days == 30 and settings.log_level == "ERROR"
    assert settings.telegram_token is None


def test_a_bad_value_in_dotenv_stops_the_command_line(tmp_path):
    (tmp_path / ".env").write_text("QUIET_HOURS=9pm-8am\n")
    proc = run_bot("personas", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        "Invalid setting QUIET_HOURS=9pm-8am: expected two hours from 0 to 23 as "
        "START-END (e.g. 21-8).\n"
    )


def test_transcription_settings():
    settings = Settings.from_env(
        {"TRANSCRIPTION_URL": "http://127.0.0.1:8000", "TRANSCRIPTION_API_KEY": "sk-hidden"}
    )
    assert settings.transcription_model == "whisper-1"
    assert "sk-hidden" not in repr(settings)
    assert Settings.from_env({}).transcription_url is None  # voice notes off by default
    with pytest.raises(InvalidSettings) as caught:
        Settings.from_env({"TRANSCRIPTION_URL": "127.0.0.1:8000"})
    assert str(caught.value).startswith("Invalid setting TRANSCRIPTION_URL=127.0.0.1:8000: ")


@pytest.mark.parametrize(
    ("api", "files"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot/", "http://127.0.0.1:8081/file/bot"),
        ("http://bot-api.lan", "http://bot-api.lan/file/bot"),
    ],
)
def test_files_are_downloaded_next_to_the_api(api, files):
    settings = Settings.from_env({"TELEGRAM_API_BASE_URL": api})
    assert settings.telegram_file_base_url == files
