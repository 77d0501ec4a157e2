"""PostgreSQL's dialect of the SQL that `bot.storage.sql` writes once."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from bot.storage.sql import Sql


class PostgresSql(Sql):
    """PostgreSQL's dialect of the shared SQL: `%s` placeholders, `LIMIT NULL` for no limit,
    and `executemany` on a cursor (psycopg's connection has none)."""

    no_limit = None

    def run(self, query: str, args: Sequence[object] = ()) -> psycopg.Cursor:
        return self.conn.execute(query.replace("?", "%s"), tuple(args))

    def run_many(self, query: str, rows: list[tuple]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(query.replace("?", "%s"), rows)
