"""Processed updates on SQLite: the shared repository (`bot.storage.sql.updates`), pruned
every thousandth mark."""

from __future__ import annotations

from bot.storage.sql import Sql
from bot.storage.sql.updates import SqlProcessedUpdates


class SqliteProcessedUpdates(SqlProcessedUpdates):
    """SQLite's unit lives as long as the open database, so it counts the marks it made and
    prunes at every thousandth, whatever the ids."""

    def __init__(self, sql: Sql) -> None:
        super().__init__(sql)
        self._marks = 0

    def _time_to_prune(self, update_id: int) -> bool:
        self._marks += 1
        return self._marks % 1000 == 0
