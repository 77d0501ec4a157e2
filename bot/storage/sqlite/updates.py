"""Processed updates: which deliveries of a channel were already handled (exactly-once)."""

from __future__ import annotations

import sqlite3
import time

#: Telegram redelivers an unconfirmed update for at most a day; a week is ample.
KEPT_SECONDS = 7 * 24 * 3600


class SqliteProcessedUpdates:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._marks = 0

    def seen(self, update_id: int) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM processed_updates WHERE update_id = ?", (update_id,)
        ).fetchone()
        return row is not None

    def mark(self, update_id: int) -> None:
        """Record the update as handled (idempotent); now and then forget the old ones."""
        now = time.time()
        self.db.execute(
            "INSERT OR IGNORE INTO processed_updates (update_id, processed_at) VALUES (?, ?)",
            (update_id, now),
        )
        self._marks += 1
        if self._marks % 1000 == 0:
            self.db.execute(
                "DELETE FROM processed_updates WHERE processed_at < ?", (now - KEPT_SECONDS,)
            )
