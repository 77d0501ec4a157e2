"""Users and their preferences (language, coach hints, reminders)."""

from __future__ import annotations

import sqlite3
import time

from bot.storage.records import UserPrefs


def touch(db: sqlite3.Connection, user_id: int) -> None:
    """Make sure the user's row exists (every other row hangs from it) and note the activity
    that retention measures."""
    now = time.time()
    db.execute(
        "INSERT INTO users (user_id, created_at, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET updated_at = excluded.updated_at",
        (user_id, now, now),
    )


#: Users whose preferences are kept in memory (a few hundred bytes each).
CACHED_USERS = 10_000


class SqliteUsers:
    """Preferences are read for nearly every update (the language of every reply) and
    rarely change: they are kept in memory once read, and dropped when saved, when a user
    or old rows are deleted, and when a unit of work is rolled back. The process owns its
    database (one bot per file), so nothing else changes them behind its back."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._cache: dict[int, UserPrefs] = {}

    def get(self, user_id: int) -> UserPrefs | None:
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached
        row = self.db.execute(
            "SELECT user_id, lang, hints_on, reminders_on FROM users WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        if row is None:
            return None  # not cached: the row a later write creates is read then
        if len(self._cache) >= CACHED_USERS:
            del self._cache[next(iter(self._cache))]
        prefs = self._cache[user_id] = UserPrefs(row[0], row[1], bool(row[2]), bool(row[3]))
        return prefs

    def forget_cached(self, user_id: int | None = None) -> None:
        """Read the user (or everyone, by default) from the database next time."""
        if user_id is None:
            self._cache.clear()
        else:
            self._cache.pop(user_id, None)

    def save(
        self,
        user_id: int,
        *,
        lang: str | None = None,
        hints_on: bool | None = None,
        reminders_on: bool | None = None,
    ) -> None:
        """Change the preferences given, keep the others."""
        self._cache.pop(user_id, None)
        touch(self.db, user_id)
        self.db.execute(
            "UPDATE users SET lang = COALESCE(?, lang), hints_on = COALESCE(?, hints_on),"
            " reminders_on = COALESCE(?, reminders_on) WHERE user_id = ?",
            (lang, hints_on, reminders_on, user_id),
        )
