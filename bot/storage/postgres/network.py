"""Referral chains: the personas recommended to a user, and by whom."""

from __future__ import annotations

import time

import psycopg

from bot.storage.postgres.users import touch
from bot.storage.records import Unlock


class PostgresNetwork:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def unlock(self, user_id: int, persona_id: str, via: str) -> bool:
        """Record a persona recommended to the user; True the first time."""
        touch(self.conn, user_id)
        cursor = self.conn.execute(
            "INSERT INTO network (user_id, persona_id, via, unlocked_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (user_id, persona_id, via, time.time()),
        )
        return cursor.rowcount == 1

    def unlocked(self, user_id: int) -> list[Unlock]:
        rows = self.conn.execute(
            "SELECT persona_id, via, unlocked_at FROM network WHERE user_id = %s"
            " ORDER BY unlocked_at",
            (user_id,),
        ).fetchall()
        return [Unlock(*row) for row in rows]
