"""Privacy on SQLite: the shared repository (`bot.storage.sql.privacy`), noting deletions so
that the database checkpoints its log after the commit: the deleted text must not stay in
the WAL file either."""

from __future__ import annotations

from bot.storage.sql.privacy import SqlPrivacy


class SqlitePrivacy(SqlPrivacy):
    #: Rows were deleted in the open transaction (`SqliteDatabase.write` checkpoints).
    erased = False

    def forget(self, user_id: int) -> int:
        meetings = super().forget(user_id)
        self.erased = True
        return meetings

    def purge(self, cutoff: float) -> int:
        deleted = super().purge(cutoff)
        self.erased = self.erased or deleted > 0
        return deleted
