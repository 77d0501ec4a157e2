"""Processed updates: which deliveries of a channel were already handled (exactly-once)."""

from __future__ import annotations

import time

from bot.storage.sql import Repository

#: Telegram redelivers an unconfirmed update for at most a day; a week is ample.
KEPT_SECONDS = 7 * 24 * 3600


class SqlProcessedUpdates(Repository):
    def seen(self, update_id: int) -> bool:
        row = self.sql.run(
            "SELECT 1 FROM processed_updates WHERE update_id = ?", (update_id,)
        ).fetchone()
        return row is not None

    def mark(self, update_id: int) -> None:
        """Record the update as handled (idempotent); now and then forget the old ones."""
        now = time.time()
        self.sql.run(
            "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?)"
            " ON CONFLICT DO NOTHING",
            (update_id, now),
        )
        if self._time_to_prune(update_id):
            self.sql.run(
                "DELETE FROM processed_updates WHERE processed_at < ?", (now - KEPT_SECONDS,)
            )

    def _time_to_prune(self, update_id: int) -> bool:
        """At every thousandth update id: a PostgreSQL unit lives for one transaction, so it
        cannot count its marks (SQLite's counts them: `SqliteProcessedUpdates`)."""
        return update_id % 1000 == 0
