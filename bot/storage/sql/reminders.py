"""After-meeting reminders: stored until sent, so a restart loses none, and claimed by the
process that sends them, so that two processes on one database never send the same one.

How a claim is made atomic differs between the databases: `SqliteReminders` and
`PostgresReminders` each write `claim`.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.storage.records import Reminder
from bot.storage.sql import Repository
from bot.storage.sql.users import touch

COLUMNS = "id, user_id, chat_id, meeting_id, kind, due_at, text, sent_at"
#: Due and not claimed, or claimed by a process whose lease has run out (args: now, now).
CLAIMABLE = "sent_at IS NULL AND due_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)"


def in_due_order(rows: Iterable[tuple]) -> list[Reminder]:
    """Rows of `COLUMNS`, the earliest due first."""
    return sorted((Reminder(*row) for row in rows), key=lambda r: (r.due_at, r.id))


class SqlReminders(Repository):
    def _many(self, where: str, *args: object) -> list[Reminder]:
        rows = self.sql.run(
            f"SELECT {COLUMNS} FROM reminders WHERE {where} ORDER BY due_at, id", args
        ).fetchall()
        return [Reminder(*row) for row in rows]

    def add(
        self, user_id: int, chat_id: int, meeting_id: int, kind: str, due_at: float, text: str
    ) -> None:
        touch(self.sql, user_id)
        self.sql.run(
            "INSERT INTO reminders (user_id, chat_id, meeting_id, kind, due_at, text)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, chat_id, meeting_id, kind, due_at, text),
        )

    def of_meeting(self, meeting_id: int) -> list[Reminder]:
        return self._many("meeting_id = ?", meeting_id)

    def due(self, now: float) -> list[Reminder]:
        return self._many("sent_at IS NULL AND due_at <= ?", now)

    def claim(self, now: float, lease: float) -> list[Reminder]:
        """See `bot.storage.interface.Reminders.claim`: each database's subclass writes it."""
        raise NotImplementedError

    def pending(self, user_id: int) -> list[Reminder]:
        return self._many("user_id = ? AND sent_at IS NULL", user_id)

    def all_of(self, user_id: int) -> list[Reminder]:
        return self._many("user_id = ?", user_id)

    def mark_sent(self, reminder_id: int, now: float) -> bool:
        """Mark the reminder sent, if it still waits; False when it is gone (cancelled,
        forgotten) or already marked (by another process whose claim had lapsed): then the
        caller queues nothing, so a reminder goes to the outbox once."""
        return (
            self.sql.run(
                "UPDATE reminders SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
                (now, reminder_id),
            ).rowcount
            == 1
        )

    def cancel_pending(self, user_id: int) -> int:
        return self.sql.run(
            "DELETE FROM reminders WHERE user_id = ? AND sent_at IS NULL", (user_id,)
        ).rowcount
