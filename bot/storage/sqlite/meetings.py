"""Meetings on SQLite: the shared repository (`bot.storage.meetings_sql`) on its connection."""

from __future__ import annotations

import sqlite3

from bot.storage.meetings_sql import SqlMeetings
from bot.storage.sqlite.users import touch


class SqliteMeetings(SqlMeetings):
    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__(db, touch)
