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

from bot.storage.sqlite.aftercare import SqliteAftercare, SqliteNotes
from bot.storage.sqlite.meetings import SqliteMeetings
from bot.storage.sqlite.migrations import migrate
from bot.storage.sqlite.network import SqliteNetwork
from bot.storage.sqlite.outbox import SqliteOutbox
from bot.storage.sqlite.privacy import SqlitePrivacy
from bot.storage.sqlite.reminders import SqliteReminders
from bot.storage.sqlite.updates import SqliteProcessedUpdates
from bot.storage.sqlite.users import SqliteUsers

#: Update ids remembered as committed: the updates being handled at once, with room to spare.
COMMITTED_KEPT = 4096


@dataclass
class SqliteUnit:
    db: sqlite3.Connection
    users: SqliteUsers = field(init=False)
    meetings: SqliteMeetings = field(init=False)
    aftercare: SqliteAftercare = field(init=False)
    notes: SqliteNotes = field(init=False)
    reminders: SqliteReminders = field(init=False)
    network: SqliteNetwork = field(init=False)
    updates: SqliteProcessedUpdates = field(init=False)
    privacy: SqlitePrivacy = field(init=False)
    outbox: SqliteOutbox = field(init=False)

    def __post_init__(self) -> None:
        self.users = SqliteUsers(self.db)
        self.meetings = SqliteMeetings(self.db)
        self.aftercare = SqliteAftercare(self.db)
        self.notes = SqliteNotes(self.db)
        self.reminders = SqliteReminders(self.db)
        self.network = SqliteNetwork(self.db)
        self.updates = SqliteProcessedUpdates(self.db)
        self.privacy = SqlitePrivacy(self.db, self.users)
        self.outbox = SqliteOutbox(self.db)


class SqliteDatabase:
    """One connection, shared by the event loop's single thread; writes are serialised."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                # Create the file owner-only before SQLite opens it.
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(self.path, 0o600)
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten, not left in free pages: /forget must really forget.
        self.db.execute("PRAGMA secure_delete=ON")
        self.version = migrate(self.db)
        self.db.execute("PRAGMA foreign_keys=ON")
        self._unit = SqliteUnit(self.db)
        #: Update ids committed by this process, most recent last (see `committed`).
        self._committed: dict[int, None] = {}
        self._pending: list[int] = []

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def write(self, update_id: int | None = None) -> Iterator[SqliteUnit]:
        """One user action, atomically; `update_id` is marked processed in the same commit.

        A unit opened inside another joins it: the outer one commits.
        """
        unit = self._unit
        if self.db.in_transaction:
            yield unit
            if update_id is not None:
                unit.updates.mark(update_id)
                self._pending.append(update_id)
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield unit
            if update_id is not None:
                unit.updates.mark(update_id)
                self._pending.append(update_id)
        except BaseException:
            self.db.execute("ROLLBACK")
            self._pending.clear()
            unit.privacy.erased = False
            unit.users.forget_cached()  # it may hold what was just rolled back
            raise
        self.db.execute("COMMIT")
        for marked in self._pending:
            self._committed[marked] = None
        self._pending.clear()
        while len(self._committed) > COMMITTED_KEPT:
            del self._committed[next(iter(self._committed))]
        if unit.privacy.erased:
            unit.privacy.erased = False
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextmanager
    def read(self) -> Iterator[SqliteUnit]:
        yield self._unit

    def committed(self, update_id: int) -> bool:
        return update_id in self._committed
