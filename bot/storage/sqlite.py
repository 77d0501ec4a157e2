"""SQLite storage: preferences, meetings in progress (full state), finished meetings.

No server to install. WAL mode so readers never wait on the writer; each turn is one short
transaction. The file is created readable by its owner only: it holds people's career plans.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id     INTEGER PRIMARY KEY,
    lang        TEXT,
    hints_on    INTEGER NOT NULL DEFAULT 1,
    created_at  REAL NOT NULL,
    updated_at  REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meetings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    persona_id  TEXT NOT NULL,
    lang        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('active', 'finished', 'cancelled')),
    exam        INTEGER NOT NULL DEFAULT 0,
    state       TEXT NOT NULL,
    score       INTEGER,
    feedback    TEXT,
    started_at  REAL NOT NULL,
    updated_at  REAL NOT NULL,
    ended_at    REAL
);
CREATE UNIQUE INDEX IF NOT EXISTS one_active_meeting_per_chat
    ON meetings (chat_id) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS meetings_by_user ON meetings (user_id, started_at);
CREATE TABLE IF NOT EXISTS network (
    user_id     INTEGER NOT NULL,
    persona_id  TEXT NOT NULL,
    via         TEXT NOT NULL,
    unlocked_at REAL NOT NULL,
    PRIMARY KEY (user_id, persona_id)
);
CREATE TABLE IF NOT EXISTS aftercare (
    user_id     INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL,
    stage       TEXT NOT NULL CHECK (stage IN ('notes', 'thanks'))
);
CREATE TABLE IF NOT EXISTS notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL,
    meeting_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('notes', 'thanks')),
    text        TEXT NOT NULL,
    score       INTEGER NOT NULL,
    result      TEXT NOT NULL,
    created_at  REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS reminders_off (
    user_id     INTEGER PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS reminders (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    due_at      REAL NOT NULL,
    text        TEXT NOT NULL,
    sent_at     REAL
);
CREATE INDEX IF NOT EXISTS reminders_due ON reminders (due_at) WHERE sent_at IS NULL;
CREATE TABLE IF NOT EXISTS processed_updates (
    update_id    INTEGER PRIMARY KEY,
    processed_at REAL NOT NULL
);
"""

PROCESSED_UPDATES_KEPT_SECONDS = 7 * 24 * 3600

#: The update being handled in this task, set by the channel. Every write made while it is
#: set also records the update as processed, in the same transaction: a turn and the fact
#: that its update was handled are committed together, so a redelivered update (after a
#: crash, before Telegram was told) is recognised and never applied twice.
current_update: ContextVar[int | None] = ContextVar("current_update", default=None)


@dataclass(frozen=True)
class UserPrefs:
    user_id: int
    lang: str | None
    hints_on: bool


@dataclass(frozen=True)
class MeetingRow:
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


class Storage:
    """The one small interface the channels use; SQLite behind it."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                # Create the file owner-only before SQLite opens it.
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(self.path, 0o600)
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten, not left in free pages: /forget must really forget.
        self.db.execute("PRAGMA secure_delete=ON")
        self.db.executescript(SCHEMA)
        self._claims = 0

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write; it also records the current update as processed."""
        if self.db.in_transaction:  # nested: the outer transaction commits
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            self.mark_processed()
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # -- duplicate updates ------------------------------------------------------------------

    def is_processed(self, update_id: int) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM processed_updates WHERE update_id = ?", (update_id,)
        ).fetchone()
        return row is not None

    def mark_processed(self, update_id: int | None = None) -> None:
        """Record an update as handled (the current one by default); idempotent."""
        update_id = current_update.get() if update_id is None else update_id
        if update_id is None:
            return
        now = time.time()
        self.db.execute(
            "INSERT OR IGNORE INTO processed_updates (update_id, processed_at) VALUES (?, ?)",
            (update_id, now),
        )
        self._claims += 1
        if self._claims % 1000 == 0:
            self.db.execute(
                "DELETE FROM processed_updates WHERE processed_at < ?",
                (now - PROCESSED_UPDATES_KEPT_SECONDS,),
            )

    # -- users -----------------------------------------------------------------------------

    def user(self, user_id: int) -> UserPrefs | None:
        row = self.db.execute(
            "SELECT user_id, lang, hints_on FROM users WHERE user_id = ?", (user_id,)
        ).fetchone()
        return UserPrefs(row["user_id"], row["lang"], bool(row["hints_on"])) if row else None

    def save_user(
        self, user_id: int, *, lang: str | None = None, hints_on: bool | None = None
    ) -> None:
        now = time.time()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO users (user_id, lang, hints_on, created_at, updated_at)"
                " VALUES (?, ?, COALESCE(?, 1), ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET"
                " lang = COALESCE(excluded.lang, users.lang),"
                " hints_on = COALESCE(?, users.hints_on), updated_at = excluded.updated_at",
                (user_id, lang, hints_on, now, now, hints_on),
            )

    # -- meetings --------------------------------------------------------------------------

    def _meeting(self, row: sqlite3.Row | None) -> MeetingRow | None:
        if row is None:
            return None
        return MeetingRow(
            id=row["id"],
            user_id=row["user_id"],
            chat_id=row["chat_id"],
            persona_id=row["persona_id"],
            lang=row["lang"],
            status=row["status"],
            exam=bool(row["exam"]),
            state=json.loads(row["state"]),
            score=row["score"],
            feedback=json.loads(row["feedback"]) if row["feedback"] else None,
            started_at=row["started_at"],
            ended_at=row["ended_at"],
        )

    def active_meeting(self, chat_id: int) -> MeetingRow | None:
        row = self.db.execute(
            "SELECT * FROM meetings WHERE chat_id = ? AND status = 'active'", (chat_id,)
        ).fetchone()
        return self._meeting(row)

    def start_meeting(
        self, *, user_id: int, chat_id: int, persona_id: str, lang: str, state: dict, exam: bool
    ) -> int:
        """Create the chat's active meeting, abandoning any previous one."""
        now = time.time()
        with self.transaction() as db:
            db.execute(
                "UPDATE meetings SET status = 'cancelled', ended_at = ?, updated_at = ?"
                " WHERE chat_id = ? AND status = 'active'",
                (now, now, chat_id),
            )
            cursor = db.execute(
                "INSERT INTO meetings (user_id, chat_id, persona_id, lang, status, exam, state,"
                " started_at, updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?)",
                (user_id, chat_id, persona_id, lang, int(exam), json.dumps(state), now, now),
            )
            return int(cursor.lastrowid)

    def save_state(self, meeting_id: int, state: dict) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE meetings SET state = ?, updated_at = ? WHERE id = ? AND status = 'active'",
                (json.dumps(state), time.time(), meeting_id),
            )

    def finish_meeting(self, meeting_id: int, state: dict, feedback: dict, score: int) -> None:
        now = time.time()
        with self.transaction() as db:
            db.execute(
                "UPDATE meetings SET status = 'finished', state = ?, feedback = ?, score = ?,"
                " ended_at = ?, updated_at = ? WHERE id = ?",
                (json.dumps(state), json.dumps(feedback), score, now, now, meeting_id),
            )

    def cancel_meeting(self, meeting_id: int) -> None:
        now = time.time()
        with self.transaction() as db:
            db.execute(
                "UPDATE meetings SET status = 'cancelled', ended_at = ?, updated_at = ?"
                " WHERE id = ? AND status = 'active'",
                (now, now, meeting_id),
            )

    def history(self, user_id: int, limit: int = 20) -> list[MeetingRow]:
        """Finished meetings, oldest first (the most recent `limit`)."""
        rows = self.db.execute(
            "SELECT * FROM meetings WHERE user_id = ? AND status = 'finished'"
            " ORDER BY ended_at DESC, id DESC LIMIT ?",
            (user_id, limit),
        ).fetchall()
        return [m for m in map(self._meeting, reversed(rows)) if m]

    def meeting_row(self, meeting_id: int, user_id: int) -> MeetingRow | None:
        row = self.db.execute(
            "SELECT * FROM meetings WHERE id = ? AND user_id = ?", (meeting_id, user_id)
        ).fetchone()
        return self._meeting(row)

    # -- referral chains -----------------------------------------------------------------

    def unlock(self, user_id: int, persona_id: str, via: str) -> bool:
        """Record a persona recommended to the user; True the first time."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO network (user_id, persona_id, via, unlocked_at)"
                " VALUES (?, ?, ?, ?)",
                (user_id, persona_id, via, time.time()),
            )
        return cursor.rowcount == 1

    def unlocked(self, user_id: int) -> dict[str, str]:
        """The personas recommended to the user: persona id → id of who recommended them."""
        rows = self.db.execute(
            "SELECT persona_id, via FROM network WHERE user_id = ? ORDER BY unlocked_at",
            (user_id,),
        ).fetchall()
        return {row["persona_id"]: row["via"] for row in rows}

    def met(self, user_id: int) -> list[str]:
        rows = self.db.execute(
            "SELECT persona_id FROM meetings WHERE user_id = ? AND status = 'finished'"
            " GROUP BY persona_id ORDER BY min(started_at)",
            (user_id,),
        ).fetchall()
        return [row["persona_id"] for row in rows]

    # -- after the meeting: notes and the thank-you draft ------------------------------------

    def set_aftercare(self, user_id: int, meeting_id: int | None, stage: str | None) -> None:
        """What the user's next text is: their notes, their thank-you draft, or neither."""
        with self.transaction() as db:
            if stage is None:
                db.execute("DELETE FROM aftercare WHERE user_id = ?", (user_id,))
            else:
                db.execute(
                    "INSERT INTO aftercare (user_id, meeting_id, stage) VALUES (?, ?, ?)"
                    " ON CONFLICT (user_id) DO UPDATE SET meeting_id = excluded.meeting_id,"
                    " stage = excluded.stage",
                    (user_id, meeting_id, stage),
                )

    def aftercare(self, user_id: int) -> tuple[int, str] | None:
        row = self.db.execute(
            "SELECT meeting_id, stage FROM aftercare WHERE user_id = ?", (user_id,)
        ).fetchone()
        return (row["meeting_id"], row["stage"]) if row else None

    def add_note(
        self, user_id: int, meeting_id: int, kind: str, text: str, score: int, result: dict
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO notes (user_id, meeting_id, kind, text, score, result, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user_id, meeting_id, kind, text, score, json.dumps(result), time.time()),
            )

    def notes(self, user_id: int, kind: str = "notes", limit: int = 10) -> list[sqlite3.Row]:
        rows = self.db.execute(
            "SELECT notes.*, meetings.persona_id FROM notes JOIN meetings"
            " ON meetings.id = notes.meeting_id WHERE notes.user_id = ? AND kind = ?"
            " ORDER BY notes.created_at DESC, notes.id DESC LIMIT ?",
            (user_id, kind, limit),
        ).fetchall()
        return list(reversed(rows))

    # -- reminders -------------------------------------------------------------------------

    def add_reminder(self, user_id: int, chat_id: int, kind: str, due_at: float, text: str):
        with self.transaction() as db:
            db.execute(
                "INSERT INTO reminders (user_id, chat_id, kind, due_at, text)"
                " VALUES (?, ?, ?, ?, ?)",
                (user_id, chat_id, kind, due_at, text),
            )

    def due_reminders(self, now: float) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM reminders WHERE sent_at IS NULL AND due_at <= ? ORDER BY due_at",
            (now,),
        ).fetchall()

    def pending_reminders(self, user_id: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM reminders WHERE user_id = ? AND sent_at IS NULL ORDER BY due_at",
            (user_id,),
        ).fetchall()

    def mark_sent(self, reminder_id: int, now: float) -> None:
        with self.transaction() as db:
            db.execute("UPDATE reminders SET sent_at = ? WHERE id = ?", (now, reminder_id))

    def set_reminders(self, user_id: int, on: bool) -> int:
        """Reminders on or off for a user; off also cancels the pending ones (returned)."""
        with self.transaction() as db:
            if on:
                db.execute("DELETE FROM reminders_off WHERE user_id = ?", (user_id,))
                return 0
            db.execute("INSERT OR IGNORE INTO reminders_off (user_id) VALUES (?)", (user_id,))
            return db.execute(
                "DELETE FROM reminders WHERE user_id = ? AND sent_at IS NULL", (user_id,)
            ).rowcount

    def reminders_on(self, user_id: int) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM reminders_off WHERE user_id = ?", (user_id,)
        ).fetchone()
        return row is None

    def finished_meeting(self, meeting_id: int, user_id: int) -> MeetingRow | None:
        row = self.db.execute(
            "SELECT * FROM meetings WHERE id = ? AND user_id = ? AND status = 'finished'",
            (meeting_id, user_id),
        ).fetchone()
        return self._meeting(row)

    # -- privacy -------------------------------------------------------------------------

    def export_user(self, user_id: int) -> dict[str, Any]:
        """Everything stored about a user, as JSON-ready data (for /export)."""
        prefs = self.user(user_id)
        rows = self.db.execute(
            "SELECT * FROM meetings WHERE user_id = ? ORDER BY started_at, id", (user_id,)
        ).fetchall()
        meetings = []
        for row in rows:
            meeting = self._meeting(row)
            assert meeting is not None
            meetings.append(
                {
                    "id": meeting.id,
                    "persona": meeting.persona_id,
                    "lang": meeting.lang,
                    "status": meeting.status,
                    "exam": meeting.exam,
                    "started_at": meeting.started_at,
                    "ended_at": meeting.ended_at,
                    "score": meeting.score,
                    "transcript": [
                        {"user": t["user"], "reply": t["reply"], "phase": t["phase"]}
                        for t in meeting.state.get("turns", [])
                    ],
                    "feedback": meeting.feedback,
                    "state": meeting.state,
                }
            )
        return {
            "user_id": user_id,
            "network": self.unlocked(user_id),
            "notes": [
                {
                    "meeting_id": r["meeting_id"],
                    "kind": r["kind"],
                    "text": r["text"],
                    "score": r["score"],
                    "created_at": r["created_at"],
                }
                for kind in ("notes", "thanks")
                for r in self.notes(user_id, kind, limit=1000)
            ],
            "preferences": (
                {"language": prefs.lang, "coach_hints": prefs.hints_on} if prefs else None
            ),
            "meetings": meetings,
        }

    def forget_user(self, user_id: int) -> int:
        """Delete everything of a user; returns the number of meetings deleted."""
        with self.transaction() as db:
            deleted = db.execute("DELETE FROM meetings WHERE user_id = ?", (user_id,)).rowcount
            db.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
            db.execute("DELETE FROM network WHERE user_id = ?", (user_id,))
            db.execute("DELETE FROM reminders WHERE user_id = ?", (user_id,))
            db.execute("DELETE FROM reminders_off WHERE user_id = ?", (user_id,))
            db.execute("DELETE FROM notes WHERE user_id = ?", (user_id,))
            db.execute("DELETE FROM aftercare WHERE user_id = ?", (user_id,))
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return deleted

    def purge(self, retention_days: int, now: float | None = None) -> int:
        """Delete meetings (and idle users) older than the retention; returns meetings deleted."""
        cutoff = (now or time.time()) - retention_days * 24 * 3600
        with self.transaction() as db:
            deleted = db.execute(
                "DELETE FROM meetings WHERE COALESCE(ended_at, updated_at) < ?", (cutoff,)
            ).rowcount
            db.execute(
                "DELETE FROM users WHERE updated_at < ? AND user_id NOT IN"
                " (SELECT user_id FROM meetings)",
                (cutoff,),
            )
        if deleted:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return deleted
