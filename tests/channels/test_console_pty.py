"""The terminal rehearsal as a newcomer meets it after `make run`: `python -m bot` with no token,
driven through a pseudo-terminal (pexpect), in each language. Choose the language and the
persona, say a line, ask for /help, leave with Ctrl-D (the meeting is saved and offered at the
next start), take it up, end it, leave the after-care with Ctrl-C. And what happens with no
terminal at all."""

from __future__ import annotations

import io
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from bot import PROJECT_ROOT
from bot.engine.personas import load_personas
from bot.i18n import translations

COLUMNS = 72
SGR = re.compile(r"\x1b\[[0-9;]*m")
#: The meeting's prompt in colour (bold green), told apart from a line of the user shown again.
PROMPT = "\x1b[1;32m> "
LINES = {
    "fr": [
        "Bonjour, je m'appelle Camille, je souhaite comprendre votre métier, je ne cherche pas "
        "de poste.",
        "Pouvez-vous me décrire une journée type ?",
    ],
    "en": [
        "Hello, my name is Sam; I'd like to understand your work, I'm not looking for a job.",
        "Could you describe a typical day in your job?",
    ],
}


def environment(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "DATABASE_URL"}}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env.update(
        PYTHONPATH=str(PROJECT_ROOT),
        XDG_DATA_HOME=str(data),
        TERM="xterm-256color",
        PYTHONIOENCODING="utf-8",
        **extra,
    )
    return env


def spawn(tmp_path: Path, *args: str, **extra: str) -> pexpect.spawn:
    """`python -m bot ARGS` on a pseudo-terminal of COLUMNS columns, started where no .env is;
    everything it shows is kept in `child.seen`."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bot", *args],
        cwd=tmp_path,
        env=environment(tmp_path / "data", **extra),
        encoding="utf-8",
        dimensions=(40, COLUMNS),
        timeout=60,
    )
    child.seen = io.StringIO()
    child.logfile_read = child.seen
    return child


def finish(child: pexpect.spawn) -> str:
    """Wait for the end; everything shown, with the exit status checked."""
    child.expect(pexpect.EOF)
    child.close()
    assert (child.exitstatus, child.signalstatus) == (0, None)
    return child.seen.getvalue()


def plain(raw: str) -> str:
    """The output as read on screen, escape codes removed, whitespace (wrapping) collapsed."""
    return re.sub(r"[ \t\r\n]+", " ", SGR.sub("", raw)).strip()  # no-break spaces stay


def test_a_newcomer_rehearses_leaves_and_takes_up_again(tmp_path, lang):
    _ = translations(lang).gettext
    personas = load_personas()
    gerard = personas["chatty_expert"]
    number = personas.speaking(lang).index(gerard) + 1
    said = LINES[lang]

    # First start: `make run` with no token, in a terminal.
    child = spawn(tmp_path)
    child.expect(r"Choix / Choice \[1\]: ")
    child.sendline({"fr": "1", "en": "2"}[lang])
    child.expect_exact(_("Number (or /quit): "))
    child.sendline(str(number))
    for line in [*said, "/help"]:
        child.expect_exact(PROMPT)
        child.sendline(line)
    child.expect_exact(PROMPT)
    child.sendcontrol("d")
    first = finish(child)
    text = plain(first)
    assert "Traceback" not in first
    assert "Langue / Language" in text and "1. Français 2. English" in text
    assert _("Who do you want to meet?") in text
    assert gerard.briefing.place.get(lang) in text  # the briefing card
    assert text.count(f"{gerard.name}:") >= 3  # the opening and a reply to each line
    for command, purpose in [
        ("/end", _("end the meeting: the goodbye, then your feedback")),
        ("/undo", _("take back your last line and the reply")),
        ("/hints", _("switch the coach's hints off (now on)")),
        ("/quit", _("leave; the meeting is saved and offered again next time")),
    ]:
        assert f"{command} {purpose}" in text
    saved = (
        translations(lang)
        .ngettext(
            "Your meeting with {name} is saved ({count} line). Start the rehearsal again "
            "to take it up where you left it.",
            "Your meeting with {name} is saved ({count} lines). Start the rehearsal again "
            "to take it up where you left it.",
            2,
        )
        .format(name=gerard.name, count=2)
    )
    assert saved in text
    # Colours at a terminal: the persona's name in bold cyan, the prompt in green.
    assert f"\x1b[1;36m{gerard.name}:\x1b[0m" in first
    assert "\x1b[1;32m" in first
    # Wrapped to the terminal's width (the lines the user typed are the terminal's echo).
    shown = [SGR.sub("", row) for row in re.split(r"\r?\n|\r", first)]
    ours = [row for row in shown if not any(line[:20] in row for line in said)]
    assert max(len(row) for row in ours) < COLUMNS
    assert any(len(row) > COLUMNS - 20 for row in ours)  # and not to a narrower width

    # Second start: the language is remembered, the meeting offered and taken up.
    child = spawn(tmp_path)
    child.expect(r"Choix / Choice \[(\d)\]: ")
    assert child.match.group(1) == {"fr": "1", "en": "2"}[lang]
    child.sendline("")
    child.expect_exact(_("Take it up again? [Y/n] "))
    offer = child.before
    child.sendline({"fr": "o", "en": "y"}[lang])
    child.expect_exact(PROMPT)
    replayed = child.before
    child.sendline("/end")
    child.expect_exact(PROMPT)  # the notes step
    ended = child.before
    child.sendintr()  # Ctrl-C
    goodbye = finish(child)

    assert "Traceback" not in offer + replayed + ended + goodbye
    assert gerard.name in plain(offer) and "(2" in plain(offer)
    assert all(f"> {line}" in plain(replayed) for line in said)  # the meeting as it was
    headline = _("Feedback — overall score: {score}/100").split("{")[0].strip()
    assert headline in plain(ended)
    assert _("Goodbye, and good luck with your networking.") in plain(goodbye)

    # What stays on disk is the user's only.
    folder = tmp_path / "data" / "entretien-reseau"
    files = sorted((folder / "rehearsals").iterdir())
    assert [f.suffix for f in files] == [".png", ".txt"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "rehearsals").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert said[0] in files[1].read_text()
    history = folder / "console_history"
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    assert history.read_text().splitlines() == [*said, "/help", "/end"]  # menu answers left out


def test_no_color_and_a_persona_chosen_on_the_command_line(tmp_path):
    child = spawn(tmp_path, "console", "--lang", "en", "--persona", "laconic_host", NO_COLOR="1")
    child.expect_exact("> ")
    child.sendline("Hello.")
    child.expect_exact("> ")
    child.sendline("/nonsense")
    child.expect_exact("> ")
    child.sendcontrol("d")
    out = finish(child)
    assert not SGR.search(out), repr(SGR.search(out))
    assert "Unknown command: /help lists them." in plain(out)
    assert "Your meeting with Nadia Berrada is saved (1 line)." in plain(out)


@pytest.fixture(params=["fr", "en"])
def lang(request) -> str:
    return request.param


def run_without_terminal(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(tmp_path / "data", **extra),
        timeout=60,
    )


def test_no_token_and_no_terminal_is_an_error_not_a_silent_success(tmp_path):
    proc = run_without_terminal(tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "TELEGRAM_BOT_TOKEN is not set" in proc.stderr
    assert "no terminal" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "data").exists()  # nothing started

    (tmp_path / ".env").write_text("TELEGRAM_TOKEN=123:abc\n")  # a misspelt name
    proc = run_without_terminal(tmp_path)
    assert proc.returncode == 2
    assert "Found TELEGRAM_TOKEN: did you mean TELEGRAM_BOT_TOKEN?" in proc.stderr


def test_piped_console_writes_no_escape_code(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--persona", "laconic_host"],
        input="Bonjour.\n/end\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=environment(tmp_path / "data"),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Bilan — note globale" in proc.stdout  # DEFAULT_LANGUAGE, no question asked
    assert "\x1b" not in proc.stdout
