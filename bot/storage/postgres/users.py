"""Users and their preferences (language, coach hints, reminders)."""

from __future__ import annotations

import time

import psycopg

from bot.storage.records import UserPrefs


def touch(conn: psycopg.Connection, user_id: int) -> None:
    """Make sure the user's row exists (every other row hangs from it) and note the activity
    that retention measures."""
    now = time.time()
    conn.execute(
        "INSERT INTO users (user_id, created_at, updated_at) VALUES (%s, %s, %s)"
        " ON CONFLICT (user_id) DO UPDATE SET updated_at = excluded.updated_at",
        (user_id, now, now),
    )


class PostgresUsers:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def get(self, user_id: int) -> UserPrefs | None:
        row = self.conn.execute(
            "SELECT user_id, lang, hints_on, reminders_on FROM users WHERE user_id = %s",
            (user_id,),
        ).fetchone()
        return UserPrefs(row[0], row[1], row[2], row[3]) if row else None

    def save(
        self,
        user_id: int,
        *,
        lang: str | None = None,
        hints_on: bool | None = None,
        reminders_on: bool | None = None,
    ) -> None:
        """Change the preferences given, keep the others."""
        touch(self.conn, user_id)
        self.conn.execute(
            "UPDATE users SET lang = COALESCE(%s, lang), hints_on = COALESCE(%s, hints_on),"
            " reminders_on = COALESCE(%s, reminders_on) WHERE user_id = %s",
            (lang, hints_on, reminders_on, user_id),
        )
