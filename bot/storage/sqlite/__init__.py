"""SQLite storage, one module per concern; `SqliteDatabase` opens the file and its units."""

from bot.storage.sqlite.database import SqliteDatabase, SqliteUnit

__all__ = ["SqliteDatabase", "SqliteUnit"]
