"""A PostgreSQL database: a pool of connections (psycopg 3), migrated at opening, and units
of work that each borrow one connection for their transaction.

The storage contract is synchronous, so this uses psycopg's synchronous API: in the bot,
a unit runs on the event loop's thread and holds it for its round trips to the server (a
fraction of a millisecond each on the same machine or network), as SQLite holds it for its
file. A unit opened inside another on the same thread (or asyncio task: the connection lent
is kept in a context variable) joins it; other tasks and threads borrow their own
connection, up to the pool's size, and wait at most `timeout` seconds for one.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from bot.storage.interface import StorageUnavailable
from bot.storage.postgres.aftercare import PostgresAftercare, PostgresNotes
from bot.storage.postgres.meetings import PostgresMeetings
from bot.storage.postgres.migrations import migrate
from bot.storage.postgres.network import PostgresNetwork
from bot.storage.postgres.outbox import PostgresOutbox
from bot.storage.postgres.privacy import PostgresPrivacy
from bot.storage.postgres.reminders import PostgresReminders
from bot.storage.postgres.updates import PostgresProcessedUpdates
from bot.storage.postgres.users import PostgresUsers

#: Update ids remembered as committed: the updates being handled at once, with room to spare.
COMMITTED_KEPT = 4096
#: Connections a process opens at most: the bot's units run one at a time on its event loop,
#: so a few cover the background jobs and the threads of the picture renderer.
POOL_SIZE = 4
#: Seconds to connect, or to wait for a free connection, before giving up with an error.
TIMEOUT = 10.0
#: A connection idle longer than this is checked (one round trip) before a unit gets it: the
#: server may have dropped it meanwhile (restart, idle timeout). One in use back to back is
#: not, so a busy bot pays no extra round trip per action.
CHECK_IDLE_SECONDS = 1.0


@dataclass
class PostgresUnit:
    conn: psycopg.Connection
    users: PostgresUsers = field(init=False)
    meetings: PostgresMeetings = field(init=False)
    aftercare: PostgresAftercare = field(init=False)
    notes: PostgresNotes = field(init=False)
    reminders: PostgresReminders = field(init=False)
    network: PostgresNetwork = field(init=False)
    updates: PostgresProcessedUpdates = field(init=False)
    privacy: PostgresPrivacy = field(init=False)
    outbox: PostgresOutbox = field(init=False)
    #: Update ids marked in the transaction open on this unit, not committed yet.
    marked: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.users = PostgresUsers(self.conn)
        self.meetings = PostgresMeetings(self.conn)
        self.aftercare = PostgresAftercare(self.conn)
        self.notes = PostgresNotes(self.conn)
        self.reminders = PostgresReminders(self.conn)
        self.network = PostgresNetwork(self.conn)
        self.updates = PostgresProcessedUpdates(self.conn)
        self.privacy = PostgresPrivacy(self.conn)
        self.outbox = PostgresOutbox(self.conn)


def describe(url: str) -> str:
    """Where the database is, for an error line: host, port and name, never the password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(unreadable DATABASE_URL)"
    host = parts.get("host") or "localhost"
    return f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or parts.get('user') or ''}"


def one_line(exc: Exception) -> str:
    """libpq's message (it spans lines, with a hint) as one line."""
    return " ".join(part.strip() for part in str(exc).splitlines() if part.strip()) or repr(exc)


class PostgresDatabase:
    """One PostgreSQL database, shared by every process that opens it (replicas included)."""

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE, timeout: float = TIMEOUT):
        self.url = url
        self._lent: ContextVar[PostgresUnit | None] = ContextVar("postgres_unit", default=None)
        #: Update ids committed by this process, most recent last (see `committed`).
        self._committed: dict[int, None] = {}
        #: When each pooled connection was last given back (monotonic seconds).
        self._returned: weakref.WeakKeyDictionary[psycopg.Connection, float] = (
            weakref.WeakKeyDictionary()
        )
        try:
            # One connection first, for a clear error if the server cannot be reached (the
            # pool would only retry in the background) and to migrate before serving.
            with psycopg.connect(url, autocommit=True, connect_timeout=int(timeout)) as conn:
                self.version = migrate(conn)
        except psycopg.Error as exc:  # unreachable, refused login, no right to create tables
            raise StorageUnavailable(
                f"cannot open the PostgreSQL database at {describe(url)}: {one_line(exc)}"
            ) from exc
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            timeout=timeout,
            kwargs={"autocommit": True, "connect_timeout": int(timeout)},
            # A connection the server dropped (restart, idle timeout) is replaced before
            # a unit gets it, instead of failing that user's action.
            check=self._check,
            name="storage",
            open=True,
        )

    def _check(self, conn: psycopg.Connection) -> None:
        """The pool's check, for a connection that has been idle a while."""
        returned = self._returned.get(conn)
        if returned is None or time.monotonic() - returned > CHECK_IDLE_SECONDS:
            ConnectionPool.check_connection(conn)

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def _unit(self) -> Iterator[PostgresUnit]:
        """The unit this thread or task already has open, or a new one on a borrowed
        connection (autocommit: nothing is a transaction until `write` opens one)."""
        unit = self._lent.get()
        if unit is not None:
            yield unit
            return
        with self.pool.connection() as conn:
            unit = PostgresUnit(conn)
            token = self._lent.set(unit)
            try:
                yield unit
            finally:
                self._lent.reset(token)
                self._returned[conn] = time.monotonic()

    @contextmanager
    def write(self, update_id: int | None = None) -> Iterator[PostgresUnit]:
        """One user action, atomically; `update_id` is marked processed in the same commit.

        A unit opened inside another joins it: the outer one commits.
        """
        with self._unit() as unit:
            if unit.conn.info.transaction_status != TransactionStatus.IDLE:
                yield unit
                if update_id is not None:
                    unit.updates.mark(update_id)
                    unit.marked.append(update_id)
                return
            unit.marked.clear()
            with unit.conn.transaction():
                yield unit
                if update_id is not None:
                    unit.updates.mark(update_id)
                    unit.marked.append(update_id)
            for marked in unit.marked:  # committed: remembered (see `committed`)
                self._committed[marked] = None
            unit.marked.clear()
            while len(self._committed) > COMMITTED_KEPT:
                del self._committed[next(iter(self._committed))]

    def committed(self, update_id: int) -> bool:
        """This process's units recorded the update as processed (recently): recording it
        again would only cost a transaction."""
        return update_id in self._committed

    @contextmanager
    def read(self) -> Iterator[PostgresUnit]:
        """Reads, each statement on the latest committed data (or inside the open unit)."""
        with self._unit() as unit:
            yield unit

    def in_transaction(self) -> bool:
        """A unit of this thread or task is open for writing (for tests and checks)."""
        unit = self._lent.get()
        return unit is not None and unit.conn.info.transaction_status != TransactionStatus.IDLE
