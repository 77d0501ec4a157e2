"""A persona written in one language only is valid, offered in that language only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from bot import data_dir
from bot.engine.personas import load_persona_file, load_personas

ROOT = Path(__file__).resolve().parents[2]


def _drop(node: object, lang: str) -> object:
    if isinstance(node, dict):
        return {k: _drop(v, lang) for k, v in node.items() if k != lang}
    if isinstance(node, list):
        return [_drop(item, lang) for item in node]
    return node


def french_only(tmp_path: Path) -> Path:
    source = data_dir("personas") / "laconic_host.yaml"
    data = _drop(yaml.safe_load(source.read_text(encoding="utf-8")), "en")
    data["referral"].pop("persona", None)  # no chain: its target is not in this folder
    path = tmp_path / "laconic_host.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_french_only_persona_is_valid_and_offered_in_french_only(tmp_path):
    path = french_only(tmp_path)
    persona = load_persona_file(path)
    assert persona.languages == ("fr",)
    assert persona.speaks("fr") and not persona.speaks("en")
    personas = load_personas(tmp_path)
    assert [p.id for p in personas.speaking("fr")] == ["laconic_host"]
    assert personas.speaking("en") == []
    assert "laconic_host: written in fr only" in personas.warnings[0]


def test_its_errors_are_reported_once_on_the_language_written(tmp_path):
    path = french_only(tmp_path)
    text = path.read_text(encoding="utf-8").replace("difficulty: 3", "difficulty: 9")
    path.write_text(text, encoding="utf-8")
    result = _cli(tmp_path, "validate", str(path))
    assert result.returncode == 1
    assert result.stderr.count("difficulty") == 1


def _cli(personas_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PERSONAS_DIR": str(personas_dir)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        input="",
        timeout=60,
    )


def test_the_command_line_says_so(tmp_path):
    path = french_only(tmp_path)
    validate = _cli(tmp_path, "validate", str(path))
    assert validate.returncode == 0
    assert "written in fr only" in validate.stdout
    assert "laconic_host" in _cli(tmp_path, "personas", "--lang", "fr").stdout
    assert "laconic_host" not in _cli(tmp_path, "personas", "--lang", "en").stdout
    play = _cli(tmp_path, "play", "--persona", "laconic_host", "--lang", "en")
    assert play.returncode == 2
    assert "written in fr only" in play.stderr
