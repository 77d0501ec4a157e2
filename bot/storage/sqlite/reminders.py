"""Reminders on SQLite: the shared repository (`bot.storage.sql.reminders`) and its claim."""

from __future__ import annotations

from bot.storage.records import Reminder
from bot.storage.sql.reminders import CLAIMABLE, COLUMNS, SqlReminders, in_due_order


class SqliteReminders(SqlReminders):
    def claim(self, now: float, lease: float) -> list[Reminder]:
        """The due reminders that no process has claimed in the last `lease` seconds, now
        claimed by this one until `now + lease`.

        One UPDATE is enough: SQLite's writers take turns on the file, so no other process
        claims between the statement's reading and its writing.
        """
        rows = self.sql.run(
            f"UPDATE reminders SET claimed_until = ? WHERE {CLAIMABLE} RETURNING {COLUMNS}",
            (now + lease, now, now),
        ).fetchall()
        return in_due_order(rows)
