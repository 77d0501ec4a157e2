"""The command line (`python -m bot …`), run as a user would: in a subprocess."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from bot.engine.personas import PERSONAS_DIR, load_personas
from tests.auxil.contract import CRITERIA as CONTRACT_CRITERIA

CRITERIA = set(CONTRACT_CRITERIA)
PHASES = {"briefing", "waiting", "opening", "introduction", "exploration", "closing", "ended"}

#: A short rehearsal with the laconic host, in French.
MEETING_FR = [
    "Bonjour, je m'appelle Alex Martin. C'est Julien Morel qui m'a conseillé de vous contacter. "
    "Je ne cherche pas un poste : je souhaite comprendre votre métier.",
    "Est-ce que ça vous dérange si je prends quelques notes ?",
    "Est-ce que vous aimez votre travail ?",
    "Pouvez-vous me décrire une journée type ?",
    "Vous voyagez beaucoup ?",
    "Connaissez-vous quelqu'un que je devrais rencontrer ?",
    "Merci beaucoup pour votre temps, je vous tiendrai au courant.",
]


def run(*args: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=PROJECT_ROOT,
        env=env,
        timeout=timeout,
    )


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout


@pytest.fixture(scope="module")
def played_json() -> subprocess.CompletedProcess:
    return run(
        "play", "--persona", "laconic_host", "--lang", "fr", "--json", "--seed", "3",
        stdin="\n".join(MEETING_FR) + "\n",
    )  # fmt: skip


# -- play ------------------------------------------------------------------------------------


def test_play_json_document(played_json):
    no_traceback(played_json)
    assert played_json.returncode == 0, played_json.stderr
    data = json.loads(played_json.stdout)

    assert data["persona"] == "laconic_host"
    assert data["lang"] == "fr"
    assert len(data["turns"]) == len(MEETING_FR)
    for typed, turn in zip(MEETING_FR, data["turns"], strict=True):
        assert set(turn) >= {"user", "reply", "phase", "hints"}
        assert turn["user"] == typed
        assert isinstance(turn["reply"], str) and turn["reply"].strip()
        assert turn["phase"] in PHASES
        assert isinstance(turn["hints"], list) and len(turn["hints"]) <= 1
    assert data["ended_by"] in {"user", "goodbye", "persona_time", "persona_rude"}

    feedback = data["feedback"]
    assert isinstance(feedback["score"], int) and 0 <= feedback["score"] <= 100
    assert set(feedback["criteria"]) == CRITERIA
    for key, criterion in feedback["criteria"].items():
        assert isinstance(criterion["score"], int) and 0 <= criterion["score"] <= 100, key
        assert isinstance(criterion["advice"], str) and criterion["advice"].strip(), key
        for line in criterion["evidence"]:
            assert any(line.rstrip("…") in typed for typed in MEETING_FR), (key, line)
    questions = {item["question"] for item in feedback["rewordings"]}
    assert questions == {"Est-ce que vous aimez votre travail ?", "Vous voyagez beaucoup ?"}
    for item in feedback["rewordings"]:
        assert set(item) >= {"question", "open"} and item["open"].strip()
    assert feedback["checklist"] and all(isinstance(i, str) for i in feedback["checklist"])
    assert any("Nadia Berrada" in item for item in feedback["checklist"])


def test_play_same_seed_same_output(played_json):
    again = run(
        "play", "--persona", "laconic_host", "--lang", "fr", "--json", "--seed", "3",
        stdin="\n".join(MEETING_FR) + "\n",
    )  # fmt: skip
    assert again.returncode == 0
    assert again.stdout == played_json.stdout

    other = run(
        "play", "--persona", "laconic_host", "--lang", "fr", "--json", "--seed", "4",
        stdin="\n".join(MEETING_FR) + "\n",
    )  # fmt: skip
    assert other.returncode == 0
    assert other.stdout != played_json.stdout, "the seed has no effect"


def test_play_plain_text():
    lines = [
        "Hello, my name is Alex Martin. Julien Morel suggested I contact you. "
        "I'm not looking for a job: I'd like to understand your work.",
        "Do you like your job?",
        "Could you describe a typical day in your job?",
    ]
    proc = run(
        "play", "--persona", "laconic_host", "--lang", "en", "--seed", "3",
        stdin="\n".join(lines) + "\n",
    )  # fmt: skip
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for line in lines:
        assert f"> {line}" in out
    assert out.count("Nadia Berrada:") >= len(lines)
    assert "/100" in out
    assert "Do you like your job?" in out.split("/100", 1)[1]  # reworded in the feedback
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


def test_play_survives_bad_input_lines():
    lines = [
        "",
        "😀🙏👍",
        "Bonjour\x00\x07 comment\x1b[31m ça va ?",
        "x" * 10_000,
        ("J'aime beaucoup ce que vous faites et " * 300)[:10_000],
        "Wie viele Mitarbeiter arbeiten in Ihrer Abteilung?",
        "Pouvez-vous me décrire une journée type ?",
    ]
    proc = run(
        "play", "--persona", "chatty_expert", "--lang", "fr", "--json", "--seed", "1",
        stdin="\n".join(lines) + "\n",
    )  # fmt: skip
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["ended_by"] == "user"
    assert data["turns"][-1]["user"] == lines[-1]
    assert data["turns"][-1]["reply"].strip()


def test_play_unknown_persona_is_a_clear_error():
    proc = run("play", "--persona", "nobody_here", "--lang", "fr", stdin="Bonjour\n")
    no_traceback(proc)
    assert proc.returncode != 0
    assert "nobody_here" in proc.stderr
    assert "laconic_host" in proc.stderr  # says what exists


def test_console_unknown_persona_is_a_clear_error():
    proc = run("console", "--persona", "nobody_here", stdin="")
    no_traceback(proc)
    assert proc.returncode != 0
    assert "nobody_here" in proc.stderr


# -- personas and validate -------------------------------------------------------------------


def test_personas_list():
    proc = run("personas")
    no_traceback(proc)
    assert proc.returncode == 0
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    ids = sorted(path.stem for path in PERSONAS_DIR.glob("[!_]*.yaml"))
    assert len(lines) == len(ids)
    for persona_id in ids:
        assert sum(line.startswith(persona_id) for line in lines) == 1


def test_personas_json():
    proc = run("personas", "--json", "--lang", "en")
    no_traceback(proc)
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    personas = load_personas()
    assert [item["id"] for item in data] == [p.id for p in personas]
    for item in data:
        assert item["name"] == personas[item["id"]].name
        assert item["description"] == personas[item["id"]].summary.en
        assert item["description"].strip()


def test_validate_shipped_folder():
    proc = run("validate", str(PERSONAS_DIR))
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count(": ok") == len(list(PERSONAS_DIR.glob("[!_]*.yaml")))


def test_validate_bad_file(tmp_path: Path):
    text = (PERSONAS_DIR / "sceptic.yaml").read_text(encoding="utf-8")
    assert text.count("  patience: 2\n") == 1
    text = text.replace("  patience: 2\n", "  patiense: 2\n")
    bad = tmp_path / "sceptic.yaml"
    bad.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "patiense" in row)

    proc = run("validate", str(bad), str(PERSONAS_DIR / "laconic_host.yaml"))
    no_traceback(proc)
    assert proc.returncode == 1
    assert f"{bad}:{line}: temperament.patiense" in proc.stderr
    assert "laconic_host.yaml: ok" in proc.stdout

    garbage = tmp_path / "garbage.yaml"
    garbage.write_text("id: garbage\nname: Ann: Lee\nrole: x\n", encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    proc = run("validate", str(garbage), str(missing))
    no_traceback(proc)
    assert proc.returncode == 1
    assert f"{garbage}:2:" in proc.stderr  # the line with the stray colon
    assert str(missing) in proc.stderr


# -- console ---------------------------------------------------------------------------------


def test_console_session_through_stdin(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # the console's own database
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first = next(iter(load_personas()))
    typed = [
        "42",  # not on the list: asked again
        "1",
        "Hello, my name is Alex Martin. I'm not looking for a job: "
        "I'd like to understand your work.",
        "Could you describe a typical day in your job?",
        "/end",
    ]
    proc = run("console", "--lang", "en", stdin="\n".join(typed) + "\n")  # then EOF
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout

    assert first.name in out
    assert first.briefing.place.en in out  # the briefing card
    assert out.count(f"{first.name}:") >= 3  # opening, replies, farewell
    assert "between 1 and" in out  # "42" was refused
    assert out.count("/100") == 11  # the feedback: overall score and ten criteria
    assert out.index("/100") > out.index(first.briefing.place.en)
    database = tmp_path / "entretien-reseau" / "console.sqlite3"
    assert database.exists() and (database.parent / "rehearsals").is_dir()


def test_check_lists_no_incoherence_on_a_plain_meeting():
    lines = (
        "Bonjour, je m'appelle Claire, je viens comprendre le métier.\n"
        "Quel a été votre parcours ?\n"
    )
    proc = run("check", "--persona", "chatty_expert", "--lang", "fr", "--json", stdin=lines)
    no_traceback(proc)
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []


def test_schema_is_the_committed_json_schema():
    proc = run("schema")
    no_traceback(proc)
    schema = json.loads(proc.stdout)
    assert schema["title"] == "Networking-interview persona"
    assert "knowledge" in schema["properties"]


def test_eval_json_reports_every_set_and_half():
    proc = run("eval", "--lang", "en", "--set", "dialogue", "--json", timeout=120)
    no_traceback(proc)
    reports = json.loads(proc.stdout)["dialogue"]
    assert {r["split"] for r in reports} == {"tune", "holdout"}
    assert all(0 < r["accuracy"] <= 1 for r in reports)


def test_play_json_turns_carry_the_act_and_topic():
    proc = run(
        "play",
        "--persona",
        "sceptic",
        "--lang",
        "en",
        "--json",
        "--seed",
        "2",
        stdin="How did you get into solar?\n",
    )
    no_traceback(proc)
    turn = json.loads(proc.stdout)["turns"][0]
    assert (turn["act"], turn["topic"]) == ("question", "career_path")


def test_health_fails_until_the_database_is_a_database(tmp_path, monkeypatch):
    """`health` is the image's HEALTHCHECK: exit 0 only when the bot could serve."""
    db = tmp_path / "bot.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    missing = run("health")
    no_traceback(missing)
    assert missing.returncode == 1 and str(db) in missing.stderr
    db.write_text("not a database")
    assert run("health").returncode == 1
    db.unlink()
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
    healthy = run("health")
    assert healthy.returncode == 0, healthy.stderr
    shipped = len(list(PERSONAS_DIR.glob("[!_]*.yaml")))
    assert healthy.stdout.startswith(f"ok: {shipped} personas")
