"""The repositories written once for both databases, over `Sql`: a DB-API connection and
the little that its dialect changes.

The SQL is SQLite's (`?` placeholders, `LIMIT -1` for no limit); PostgreSQL's `Sql`
(`bot.storage.postgres.database`) translates it. Both databases speak `RETURNING`,
`ON CONFLICT … DO UPDATE` and `ON CONFLICT DO NOTHING`. Where they really differ (claiming
reminders, purging, the users' cache), `bot.storage.sqlite` and `bot.storage.postgres`
subclass a repository and say why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Sql:
    """A connection whose `execute` returns a cursor (sqlite3's and psycopg's both do), in
    SQLite's dialect; `bot.storage.postgres` subclasses it for PostgreSQL's."""

    #: What `LIMIT` takes to mean "no limit".
    no_limit: object = -1

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def run(self, query: str, args: Sequence[object] = ()) -> Any:
        """Run one statement with `?` placeholders; its cursor."""
        return self.conn.execute(query, tuple(args))

    def run_many(self, query: str, rows: list[tuple]) -> None:
        """Run one statement once per row of arguments."""
        self.conn.executemany(query, rows)

    def limit(self, limit: int) -> object:
        """`LIMIT`'s argument for `limit` rows, or for all of them when it is negative."""
        return limit if limit >= 0 else self.no_limit


class Repository:
    """A repository of a unit of work: it runs its statements on the unit's `Sql`."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
