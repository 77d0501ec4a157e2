"""Users on SQLite: the shared repository (`bot.storage.sql.users`) with the preferences
kept in memory."""

from __future__ import annotations

from bot.storage.records import UserPrefs
from bot.storage.sql import Sql
from bot.storage.sql.users import SqlUsers

#: Users whose preferences are kept in memory (a few hundred bytes each).
CACHED_USERS = 10_000


class SqliteUsers(SqlUsers):
    """Preferences are read for nearly every update (the language of every reply) and
    rarely change: they are kept in memory once read, and dropped when saved, when a user
    or old rows are deleted, and when a unit of work is rolled back. The process owns its
    database (one bot per file), so nothing else changes them behind its back; PostgreSQL
    is shared by replicas, so its repository reads the row every time."""

    def __init__(self, sql: Sql) -> None:
        super().__init__(sql)
        self._cache: dict[int, UserPrefs] = {}

    def get(self, user_id: int) -> UserPrefs | None:
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached
        prefs = super().get(user_id)
        if prefs is None:
            return None  # not cached: the row a later write creates is read then
        if len(self._cache) >= CACHED_USERS:
            del self._cache[next(iter(self._cache))]
        self._cache[user_id] = prefs
        return prefs

    def forget_cached(self, user_id: int | None = None) -> None:
        """Read the user (or everyone, by default) from the database next time."""
        if user_id is None:
            self._cache.clear()
        else:
            self._cache.pop(user_id, None)
