"""Referral chains: the personas recommended to a user, and by whom."""

from __future__ import annotations

import sqlite3
import time

from bot.storage.records import Unlock
from bot.storage.sqlite.users import touch


class SqliteNetwork:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def unlock(self, user_id: int, persona_id: str, via: str) -> bool:
        """Record a persona recommended to the user; True the first time."""
        touch(self.db, user_id)
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO network (user_id, persona_id, via, unlocked_at)"
            " VALUES (?, ?, ?, ?)",
            (user_id, persona_id, via, time.time()),
        )
        return cursor.rowcount == 1

    def unlocked(self, user_id: int) -> list[Unlock]:
        rows = self.db.execute(
            "SELECT persona_id, via, unlocked_at FROM network WHERE user_id = ?"
            " ORDER BY unlocked_at",
            (user_id,),
        ).fetchall()
        return [Unlock(*row) for row in rows]
