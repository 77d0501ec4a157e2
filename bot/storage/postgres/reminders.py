"""Reminders on PostgreSQL: the shared repository (`bot.storage.sql.reminders`) and a claim
that concurrent transactions cannot both win."""

from __future__ import annotations

from bot.storage.records import Reminder
from bot.storage.sql.reminders import CLAIMABLE, COLUMNS, SqlReminders, in_due_order

#: Reminders claimed at once; the next batch goes at the next tick.
BATCH = 100


class PostgresReminders(SqlReminders):
    def claim(self, now: float, lease: float) -> list[Reminder]:
        """The due reminders that no process has claimed in the last `lease` seconds, now
        claimed by this one until `now + lease`.

        PostgreSQL lets transactions write side by side, so the rows are locked as they are
        chosen: `FOR UPDATE SKIP LOCKED` skips rows another transaction is claiming rather
        than waiting for them, and a row claimed and committed meanwhile is re-read and left
        out.
        """
        rows = self.sql.run(
            "UPDATE reminders SET claimed_until = ? WHERE id IN ("
            f" SELECT id FROM reminders WHERE {CLAIMABLE}"
            " ORDER BY due_at, id LIMIT ? FOR UPDATE SKIP LOCKED)"
            f" RETURNING {COLUMNS}",
            (now + lease, now, now, BATCH),
        ).fetchall()
        return in_due_order(rows)
