"""Storage by concern behind small protocols (`interface`), returning dataclasses (`records`).

`open_database` is the one place that picks the implementation: a PostgreSQL URL opens
`bot.storage.postgres`, anything else is a SQLite file (`bot.storage.sqlite`).
"""

from __future__ import annotations

from pathlib import Path

from bot.storage.interface import Database, StorageUnavailable

POSTGRES_SCHEMES = ("postgresql://", "postgres://")

__all__ = ["POSTGRES_SCHEMES", "Database", "StorageUnavailable", "open_database"]


def open_database(target: Path | str) -> Database:
    """`target`: a `postgresql://` URL, or the path of a SQLite file."""
    if isinstance(target, str) and target.startswith(POSTGRES_SCHEMES):
        from bot.storage.postgres import PostgresDatabase  # psycopg only when used

        return PostgresDatabase(target)
    from bot.storage.sqlite import SqliteDatabase

    return SqliteDatabase(target)
