"""Referral chains: the personas recommended to a user, and by whom."""

from __future__ import annotations

import time

from bot.storage.records import Unlock
from bot.storage.sql import Repository
from bot.storage.sql.users import touch


class SqlNetwork(Repository):
    def unlock(self, user_id: int, persona_id: str, via: str) -> bool:
        """Record a persona recommended to the user; True the first time."""
        touch(self.sql, user_id)
        cursor = self.sql.run(
            "INSERT INTO network (user_id, persona_id, via, unlocked_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (user_id, persona_id, via, time.time()),
        )
        return cursor.rowcount == 1

    def unlocked(self, user_id: int) -> list[Unlock]:
        rows = self.sql.run(
            "SELECT persona_id, via, unlocked_at FROM network WHERE user_id = ?"
            " ORDER BY unlocked_at",
            (user_id,),
        ).fetchall()
        return [Unlock(*row) for row in rows]
