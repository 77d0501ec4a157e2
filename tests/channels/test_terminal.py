"""The console goes through the service: history and after-care as on Telegram, and
transcripts only its user can read; the language asked first, a meeting left with Ctrl-C kept
and offered again, commands never graded, text wrapped and coloured only for a terminal.
(tests/channels/test_console_pty.py drives the real program through a pseudo-terminal.)"""

from __future__ import annotations

import io
import stat

from bot.channels.screen import wants_colour, wrap_line
from bot.channels.terminal import LOCAL_USER, console


def run_console(service, typed: list[str], tmp_path, persona: str | None = "chatty_expert"):
    lines = iter(typed)

    def read(prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    out = io.StringIO()
    code = console(service, "fr", persona, read=read, out=out, save_dir=tmp_path / "saved")
    assert code == 0
    return out.getvalue()


def test_a_rehearsal_then_notes_then_thanks_then_history(service, tmp_path):
    out = run_console(
        service,
        [
            "Bonjour, je m'appelle Camille. Pouvez-vous me décrire une journée type ?",
            "/end",
            "RDV avec Gérard Fontaine, événementiel, journée type.",
            "Merci Gérard pour votre temps, je vous tiendrai au courant.",
            "/history",
            "/quit",
        ],
        tmp_path,
    )
    assert "Gérard Fontaine:" in out
    assert "📝 Vos notes" in out and "✉️ Votre message de remerciement" in out
    history = out.split("Vos répétitions")[1]
    assert "Gérard Fontaine" in history and "/100" in history
    [record] = service.past_meetings(LOCAL_USER)
    assert record.status == "finished"
    assert [n.text for n in service.notes(LOCAL_USER)] == [
        "RDV avec Gérard Fontaine, événementiel, journée type."
    ]


def test_skip_and_the_state_kept_between_sessions(service, tmp_path):
    run_console(service, ["/hints", "Bonjour.", "/end", "/skip", "/skip", "/quit"], tmp_path)
    assert service.prefs(LOCAL_USER).hints_on is False  # remembered, like on Telegram
    out = run_console(service, ["/history", "/quit"], tmp_path, persona=None)
    assert "Gérard Fontaine" in out.split("Vos répétitions")[1]


def test_transcripts_are_readable_by_their_owner_only(service, tmp_path):
    out = run_console(service, ["Bonjour.", "/end"], tmp_path)
    saved = tmp_path / "saved"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o700
    files = sorted(saved.iterdir())
    assert [f.suffix for f in files] == [".png", ".txt"]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert str(files[1]) in out


def test_ctrl_c_keeps_the_meeting_and_the_next_start_offers_it(service, tmp_path):
    typed = iter(["Bonjour, je m'appelle Camille.", KeyboardInterrupt])

    def read(prompt: str) -> str:
        item = next(typed)
        if item is KeyboardInterrupt:
            raise KeyboardInterrupt
        return item

    out = io.StringIO()
    assert console(service, "fr", "chatty_expert", read=read, out=out) == 0
    assert "Votre entretien avec Gérard Fontaine est sauvegardé (1 réplique)" in out.getvalue()
    assert "\x1b" not in out.getvalue()  # not a terminal: no colour
    [meeting] = [service.current(LOCAL_USER)[1]]
    assert [t.user for t in meeting.state.turns] == ["Bonjour, je m'appelle Camille."]

    out = run_console(service, ["n", "/quit"], tmp_path, persona=None)  # not now: still kept
    assert "Qui souhaitez-vous rencontrer" in out
    assert "Votre entretien avec Gérard Fontaine est sauvegardé (1 réplique)" in out

    out = run_console(service, ["o", "/end", "/skip", "/skip", "/quit"], tmp_path, persona=None)
    assert "Vous avez laissé un entretien en cours avec Gérard Fontaine (1 réplique)" in out
    assert "> Bonjour, je m'appelle Camille." in out  # shown again, then ended
    [record] = service.past_meetings(LOCAL_USER)
    assert len(record.state["turns"]) == 1


def test_the_language_is_chosen_first_and_remembered(service, tmp_path):
    lines = iter(["deutsch", "2", "/help", "/quit"])
    out = io.StringIO()
    code = console(service, None, None, read=lambda prompt: next(lines), out=out)
    assert code == 0
    text = out.getvalue()
    assert text.startswith("Langue / Language\n  1. Français\n  2. English\n")
    assert "Merci de saisir un nombre entre 1 et 2. / Please type a number between 1 and 2." in text
    assert "Who do you want to meet?" in text and "/history lists your past" in text
    assert service.prefs(LOCAL_USER).lang == "en"

    prompts = []
    answers = iter(["", "/quit"])

    def read(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    console(service, None, None, read=read, out=io.StringIO())
    assert prompts[0] == "Choix / Choice [2]: "  # last time's choice is the default


def test_help_and_commands_are_never_graded_as_notes(service, tmp_path):
    out = run_console(
        service, ["Bonjour.", "/help", "/end", "/help", "", "/hints", "/skip", "/quit"], tmp_path
    )
    assert "/undo     reprendre votre dernière réplique et la réponse" in out
    assert "/skip passe cette étape, /quit quitte." in out
    assert out.count("Écrivez votre texte, ou /skip pour passer cette étape.") == 2
    assert service.notes(LOCAL_USER) == []  # neither "", "/help" nor "/hints" graded


def test_wrapping_keeps_lists_aligned_and_paths_whole():
    assert wrap_line("    → " + "mot " * 30, 40)[1].startswith("      mot")
    rows = wrap_line("  /quit     " + "leave " * 10, 40)
    assert all(len(row) <= 40 for row in rows) and rows[1].startswith(" " * 12 + "leave")
    assert wrap_line("  3. Gérard " + "x " * 30, 30)[1].startswith("     x")
    path = "/home/someone/.local/share/entretien-reseau/rehearsals/20261205-chatty_expert.txt"
    assert path in [row.strip() for row in wrap_line(f"Saved: {path}", 40)]


def test_colour_only_for_a_terminal_and_never_with_no_color():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert wants_colour(Tty(), {"TERM": "xterm"})
    assert not wants_colour(Tty(), {"TERM": "xterm", "NO_COLOR": "1"})
    assert not wants_colour(Tty(), {"TERM": "dumb"})
    assert not wants_colour(io.StringIO(), {"TERM": "xterm"})
