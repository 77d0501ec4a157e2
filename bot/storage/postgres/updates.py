"""Processed updates: which deliveries of a channel were already handled (exactly-once)."""

from __future__ import annotations

import time

import psycopg

from bot.storage.sqlite.updates import KEPT_SECONDS


class PostgresProcessedUpdates:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def seen(self, update_id: int) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM processed_updates WHERE update_id = %s", (update_id,)
        ).fetchone()
        return row is not None

    def mark(self, update_id: int) -> None:
        """Record the update as handled (idempotent); now and then forget the old ones.

        "Now and then" is every thousandth update id, not every thousandth call as with
        SQLite: a unit here lives for one transaction, so it keeps no count.
        """
        now = time.time()
        self.conn.execute(
            "INSERT INTO processed_updates (update_id, processed_at) VALUES (%s, %s)"
            " ON CONFLICT DO NOTHING",
            (update_id, now),
        )
        if update_id % 1000 == 0:
            self.conn.execute(
                "DELETE FROM processed_updates WHERE processed_at < %s", (now - KEPT_SECONDS,)
            )
