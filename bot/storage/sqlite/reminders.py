"""After-meeting reminders: stored until sent, so a restart loses none."""

from __future__ import annotations

import sqlite3

from bot.storage.records import Reminder
from bot.storage.sqlite.users import touch

COLUMNS = "id, user_id, chat_id, meeting_id, kind, due_at, text, sent_at"


class SqliteReminders:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def _many(self, where: str, *args: object) -> list[Reminder]:
        rows = self.db.execute(
            f"SELECT {COLUMNS} FROM reminders WHERE {where} ORDER BY due_at, id", args
        ).fetchall()
        return [Reminder(*row) for row in rows]

    def add(
        self, user_id: int, chat_id: int, meeting_id: int, kind: str, due_at: float, text: str
    ) -> None:
        touch(self.db, user_id)
        self.db.execute(
            "INSERT INTO reminders (user_id, chat_id, meeting_id, kind, due_at, text)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, chat_id, meeting_id, kind, due_at, text),
        )

    def of_meeting(self, meeting_id: int) -> list[Reminder]:
        return self._many("meeting_id = ?", meeting_id)

    def due(self, now: float) -> list[Reminder]:
        return self._many("sent_at IS NULL AND due_at <= ?", now)

    def claim(self, now: float, lease: float) -> list[Reminder]:
        """The due reminders that no process has claimed in the last `lease` seconds, now
        claimed by this one until `now + lease` (atomic: writers take turns on the file)."""
        rows = self.db.execute(
            "UPDATE reminders SET claimed_until = ? WHERE sent_at IS NULL AND due_at <= ?"
            f" AND (claimed_until IS NULL OR claimed_until <= ?) RETURNING {COLUMNS}",
            (now + lease, now, now),
        ).fetchall()
        return sorted((Reminder(*row) for row in rows), key=lambda r: (r.due_at, r.id))

    def pending(self, user_id: int) -> list[Reminder]:
        return self._many("user_id = ? AND sent_at IS NULL", user_id)

    def all_of(self, user_id: int) -> list[Reminder]:
        return self._many("user_id = ?", user_id)

    def mark_sent(self, reminder_id: int, now: float) -> None:
        self.db.execute("UPDATE reminders SET sent_at = ? WHERE id = ?", (now, reminder_id))

    def cancel_pending(self, user_id: int) -> int:
        return self.db.execute(
            "DELETE FROM reminders WHERE user_id = ? AND sent_at IS NULL", (user_id,)
        ).rowcount
