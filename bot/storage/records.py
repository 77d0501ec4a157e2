"""What the storage hands back: frozen dataclasses, so no database row reaches a channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Stage = Literal["notes", "thanks"]


@dataclass(frozen=True)
class UserPrefs:
    user_id: int
    lang: str | None
    hints_on: bool
    reminders_on: bool = True


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    user_id: int
    chat_id: int
    persona_id: str
    lang: str
    status: str
    exam: bool
    state: dict[str, Any]
    score: int | None
    feedback: dict[str, Any] | None
    started_at: float
    ended_at: float | None


@dataclass(frozen=True)
class AftercareStep:
    """What the user's next text is after a meeting: their notes, or their thank-you draft."""

    meeting_id: int
    stage: Stage


@dataclass(frozen=True)
class Note:
    id: int
    meeting_id: int
    persona_id: str
    kind: Stage
    text: str
    score: int
    result: dict[str, Any]
    created_at: float


@dataclass(frozen=True)
class Reminder:
    id: int
    user_id: int
    chat_id: int
    meeting_id: int | None
    kind: str
    due_at: float
    text: str
    sent_at: float | None


@dataclass(frozen=True)
class Unlock:
    """A persona recommended to the user, and who recommended them."""

    persona_id: str
    via: str
    unlocked_at: float


@dataclass(frozen=True)
class Outgoing:
    """One message waiting in the outbox: its row id orders a chat's messages; `owner` is
    the process that may send it until `claimed_until` (epoch seconds)."""

    id: int
    chat_id: int
    message: dict[str, Any]
    owner: str
    claimed_until: float
    created_at: float
