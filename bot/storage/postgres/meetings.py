"""Meetings on PostgreSQL: the shared repository (`bot.storage.meetings_sql`) with `%s`
placeholders and psycopg's connection."""

from __future__ import annotations

import psycopg

from bot.storage.meetings_sql import SqlMeetings
from bot.storage.postgres.users import touch


class PostgresMeetings(SqlMeetings):
    placeholder = "%s"
    no_limit = None  # LIMIT NULL: no limit

    def __init__(self, conn: psycopg.Connection) -> None:
        super().__init__(conn, touch)

    def _run_many(self, query: str, rows: list[tuple]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(query.replace("?", self.placeholder), rows)
