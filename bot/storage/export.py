"""What /export hands a user: every stored row of theirs, as JSON-ready data.

Assembled here once from the records, so that both storages export the same document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from bot.storage.records import (
    AftercareStep,
    MeetingRecord,
    Note,
    Outgoing,
    Reminder,
    Unlock,
    UserPrefs,
)


def user_export(
    user_id: int,
    prefs: UserPrefs | None,
    meetings: Iterable[MeetingRecord],
    unlocked: Iterable[Unlock],
    notes: Iterable[Note],
    step: AftercareStep | None,
    reminders: Iterable[Reminder],
    unsent: Iterable[Outgoing] = (),
) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "preferences": (
            {
                "language": prefs.lang,
                "coach_hints": prefs.hints_on,
                "reminders": prefs.reminders_on,
            }
            if prefs
            else None
        ),
        "meetings": [
            {
                "id": m.id,
                "persona": m.persona_id,
                "lang": m.lang,
                "status": m.status,
                "exam": m.exam,
                "started_at": m.started_at,
                "ended_at": m.ended_at,
                "score": m.score,
                "transcript": [
                    {"user": t["user"], "reply": t["reply"], "phase": t["phase"]}
                    for t in m.state.get("turns", [])
                ],
                "feedback": m.feedback,
                "state": m.state,
            }
            for m in meetings
        ],
        "network": [asdict(unlock) for unlock in unlocked],
        "notes": [
            {
                "meeting_id": note.meeting_id,
                "kind": note.kind,
                "text": note.text,
                "score": note.score,
                "created_at": note.created_at,
            }
            for note in notes
        ],
        "aftercare_step": asdict(step) if step else None,
        "reminders": [
            {
                "meeting_id": r.meeting_id,
                "kind": r.kind,
                "due_at": r.due_at,
                "sent_at": r.sent_at,
                "text": r.text,
            }
            for r in reminders
        ],
        "unsent_messages": [{"created_at": m.created_at, "message": m.message} for m in unsent],
    }
