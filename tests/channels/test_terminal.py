"""The console goes through the service: history and after-care as on Telegram, and
transcripts only its user can read."""

from __future__ import annotations

import io
import stat

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
