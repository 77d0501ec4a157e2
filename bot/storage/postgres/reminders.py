"""After-meeting reminders: stored until sent, so a restart loses none, and claimed by the
process that sends them, so that two processes on one database never send the same one."""

from __future__ import annotations

import psycopg

from bot.storage.postgres.users import touch
from bot.storage.records import Reminder

COLUMNS = "id, user_id, chat_id, meeting_id, kind, due_at, text, sent_at"
#: Reminders claimed at once; the next batch goes at the next tick.
BATCH = 100


class PostgresReminders:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def _many(self, where: str, *args: object) -> list[Reminder]:
        rows = self.conn.execute(
            f"SELECT {COLUMNS} FROM reminders WHERE {where} ORDER BY due_at, id", args
        ).fetchall()
        return [Reminder(*row) for row in rows]

    def add(
        self, user_id: int, chat_id: int, meeting_id: int, kind: str, due_at: float, text: str
    ) -> None:
        touch(self.conn, user_id)
        self.conn.execute(
            "INSERT INTO reminders (user_id, chat_id, meeting_id, kind, due_at, text)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (user_id, chat_id, meeting_id, kind, due_at, text),
        )

    def of_meeting(self, meeting_id: int) -> list[Reminder]:
        return self._many("meeting_id = %s", meeting_id)

    def due(self, now: float) -> list[Reminder]:
        return self._many("sent_at IS NULL AND due_at <= %s", now)

    def claim(self, now: float, lease: float) -> list[Reminder]:
        """The due reminders that no process has claimed in the last `lease` seconds, now
        claimed by this one until `now + lease`.

        `FOR UPDATE SKIP LOCKED`: rows another transaction is claiming are skipped, not
        waited for, and a row claimed and committed meanwhile is re-read and left out.
        """
        rows = self.conn.execute(
            f"UPDATE reminders SET claimed_until = %s WHERE id IN ("
            " SELECT id FROM reminders WHERE sent_at IS NULL AND due_at <= %s"
            " AND (claimed_until IS NULL OR claimed_until <= %s)"
            " ORDER BY due_at, id LIMIT %s FOR UPDATE SKIP LOCKED)"
            f" RETURNING {COLUMNS}",
            (now + lease, now, now, BATCH),
        ).fetchall()
        return sorted((Reminder(*row) for row in rows), key=lambda r: (r.due_at, r.id))

    def pending(self, user_id: int) -> list[Reminder]:
        return self._many("user_id = %s AND sent_at IS NULL", user_id)

    def all_of(self, user_id: int) -> list[Reminder]:
        return self._many("user_id = %s", user_id)

    def mark_sent(self, reminder_id: int, now: float) -> None:
        self.conn.execute("UPDATE reminders SET sent_at = %s WHERE id = %s", (now, reminder_id))

    def cancel_pending(self, user_id: int) -> int:
        return self.conn.execute(
            "DELETE FROM reminders WHERE user_id = %s AND sent_at IS NULL", (user_id,)
        ).rowcount
