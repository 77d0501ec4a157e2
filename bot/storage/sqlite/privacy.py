"""Privacy on SQLite: the shared repository (`bot.storage.sql.privacy`), and what deleting
means for one process that owns its file: the users' cache forgets the deleted, and the log
is checkpointed so that the deleted text does not stay in the WAL file."""

from __future__ import annotations

from bot.storage.sql import Sql
from bot.storage.sql.privacy import SqlPrivacy
from bot.storage.sqlite.users import SqliteUsers


class SqlitePrivacy(SqlPrivacy):
    def __init__(self, sql: Sql, users: SqliteUsers | None = None) -> None:
        super().__init__(sql)
        #: The users repository whose cached preferences deleted users must leave.
        self.users = users
        #: Rows were deleted: the database checkpoints its log once the transaction commits,
        #: so the deleted text is not left in the WAL file either.
        self.erased = False

    def forget(self, user_id: int) -> int:
        meetings = super().forget(user_id)
        if self.users:
            self.users.forget_cached(user_id)
        self.erased = True
        return meetings

    def purge(self, cutoff: float) -> int:
        deleted = super().purge(cutoff)
        if self.users:
            self.users.forget_cached()
        self.erased = self.erased or deleted > 0
        return deleted
