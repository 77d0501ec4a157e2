"""Users and their preferences (language, coach hints, reminders)."""

from __future__ import annotations

import time

from bot.storage.records import UserPrefs
from bot.storage.sql import Repository, Sql


def touch(sql: Sql, user_id: int) -> None:
    """Make sure the user's row exists (every other row hangs from it) and note the activity
    that retention measures."""
    now = time.time()
    sql.run(
        "INSERT INTO users (user_id, created_at, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET updated_at = excluded.updated_at",
        (user_id, now, now),
    )


class SqlUsers(Repository):
    def forget_cached(self, user_id: int | None = None) -> None:
        """Read the user (or everyone, by default) from the database next time: this reads
        it every time, as replicas sharing a PostgreSQL database must (`SqliteUsers` keeps
        preferences in memory)."""

    def get(self, user_id: int) -> UserPrefs | None:
        row = self.sql.run(
            "SELECT user_id, lang, hints_on, reminders_on FROM users WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        return UserPrefs(row[0], row[1], bool(row[2]), bool(row[3])) if row else None

    def save(
        self,
        user_id: int,
        *,
        lang: str | None = None,
        hints_on: bool | None = None,
        reminders_on: bool | None = None,
    ) -> None:
        """Change the preferences given, keep the others."""
        self.forget_cached(user_id)
        touch(self.sql, user_id)
        self.sql.run(
            "UPDATE users SET lang = COALESCE(?, lang), hints_on = COALESCE(?, hints_on),"
            " reminders_on = COALESCE(?, reminders_on) WHERE user_id = ?",
            (lang, hints_on, reminders_on, user_id),
        )
