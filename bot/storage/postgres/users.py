"""The users' row every other row hangs from (the repository is `bot.storage.sql.users`)."""

from __future__ import annotations

import time

import psycopg


def touch(conn: psycopg.Connection, user_id: int) -> None:
    """Make sure the user's row exists (every other row hangs from it) and note the activity
    that retention measures."""
    now = time.time()
    conn.execute(
        "INSERT INTO users (user_id, created_at, updated_at) VALUES (%s, %s, %s)"
        " ON CONFLICT (user_id) DO UPDATE SET updated_at = excluded.updated_at",
        (user_id, now, now),
    )
