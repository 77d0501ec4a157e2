"""Storage by concern behind small protocols (`interface`), returning dataclasses (`records`).

`open_database` is the one place that picks the implementation; SQLite is the only one today.
"""

from __future__ import annotations

from pathlib import Path

from bot.storage.interface import Database
from bot.storage.sqlite import SqliteDatabase


def open_database(path: Path | str) -> Database:
    return SqliteDatabase(path)
