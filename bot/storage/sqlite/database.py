"""The SQLite file: opening it (owner-only, WAL, migrated), and units of work over it.

No server to install. WAL mode so readers never wait on the writer; each user action is one
short transaction. The file is created readable by its owner only: it holds people's career
plans.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.storage.sql import Sql
from bot.storage.sql.unit import CommittedUpdates, SqlUnit
from bot.storage.sqlite.migrations import migrate
from bot.storage.sqlite.privacy import SqlitePrivacy
from bot.storage.sqlite.reminders import SqliteReminders
from bot.storage.sqlite.updates import SqliteProcessedUpdates
from bot.storage.sqlite.users import SqliteUsers

#: Seconds a write waits for another program's lock on the file (a backup, a shell) before
#: failing with "database is locked". The wait holds the event loop, so every chat waits
#: with it: short, and the channel handles the update again a moment later (`StorageBusy`).
#: This process's own writes never wait: they share one connection.
BUSY_TIMEOUT = 1.0


@dataclass
class SqliteUnit(SqlUnit):
    Users = SqliteUsers
    Reminders = SqliteReminders
    Updates = SqliteProcessedUpdates
    Privacy = SqlitePrivacy
    privacy: SqlitePrivacy = field(init=False)


class SqliteDatabase:
    """One connection, shared by the event loop's single thread; writes are serialised."""

    #: One process has the file to itself: what it keeps in memory stays true.
    shared = False

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                # Create the file owner-only before SQLite opens it.
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(self.path, 0o600)
        self.db = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT
        )
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten, not left in free pages: /forget must really forget.
        self.db.execute("PRAGMA secure_delete=ON")
        self.version = migrate(self.db)
        self.db.execute("PRAGMA foreign_keys=ON")
        self._unit = SqliteUnit(Sql(self.db))
        self._committed = CommittedUpdates()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def write(
        self, update_id: int | None = None, *, chat_id: int | None = None
    ) -> Iterator[SqliteUnit]:
        """One user action, atomically; `update_id` is marked processed in the same commit.

        `chat_id` is for shared databases: the file is this process's alone (`shared` is
        False), where the channel's per-chat lock already orders a chat's updates.

        A unit opened inside another joins it: the outer one commits.
        """
        unit = self._unit
        if self.db.in_transaction:
            yield unit
            unit.mark(update_id)
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield unit
            unit.mark(update_id)
        except BaseException:
            self.db.execute("ROLLBACK")
            unit.marked.clear()
            unit.privacy.erased = False
            unit.users.forget_cached()  # it may hold what was just rolled back
            raise
        self.db.execute("COMMIT")
        self._committed.remember(unit)
        if unit.privacy.erased:
            unit.privacy.erased = False
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextmanager
    def read(self) -> Iterator[SqliteUnit]:
        yield self._unit

    def committed(self, update_id: int) -> bool:
        return update_id in self._committed
