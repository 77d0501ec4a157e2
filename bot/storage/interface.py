"""The storage contract the service relies on, one small protocol per concern.

SQLite (`bot.storage.sqlite`) and PostgreSQL (`bot.storage.postgres`) implement it, with the
same semantics and schema versions. Nothing here opens a transaction: the service does, once per
user action, with `Database.write()`, and every repository of that `Unit` writes inside it.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from typing import Any, Protocol

from bot.storage.records import (
    AftercareStep,
    MeetingRecord,
    Note,
    Outgoing,
    Reminder,
    Stage,
    Unlock,
    UserPrefs,
)


class StorageUnavailable(RuntimeError):
    """The database cannot be opened (server unreachable, refused login): one line, no secret."""


class StorageBusy(RuntimeError):
    """The database cannot be written at the moment (another program holds the SQLite
    file's lock, the disk is full, the PostgreSQL server is out of reach): the action was
    rolled back whole, and handling the update again later will apply it."""


def is_transient(exc: BaseException) -> bool:
    """`exc` is a storage failure that waiting can cure (see `StorageBusy`), not a bug."""
    if isinstance(exc, StorageBusy):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return any(word in text for word in ("locked", "busy", "disk is full", "disk i/o"))
    # psycopg's, without importing it (SQLite users need not have it installed).
    names = {cls.__module__.split(".")[0] + "." + cls.__name__ for cls in type(exc).__mro__}
    return bool(names & {"psycopg.OperationalError", "psycopg_pool.PoolTimeout"})


class AlreadyHandled(RuntimeError):
    """Another process committed this update first (a delivery sent again to another replica
    while the first was still handling it): the unit of work was rolled back, nothing of it
    applied; the channel answers the delivery as handled and says nothing more."""

    def __init__(self, update_id: int) -> None:
        super().__init__(f"update {update_id} was handled by another process")
        self.update_id = update_id


class Users(Protocol):
    def get(self, user_id: int) -> UserPrefs | None: ...

    def save(
        self,
        user_id: int,
        *,
        lang: str | None = None,
        hints_on: bool | None = None,
        reminders_on: bool | None = None,
    ) -> None: ...


class Meetings(Protocol):
    def active(self, chat_id: int) -> MeetingRecord | None: ...

    def get(self, meeting_id: int, user_id: int) -> MeetingRecord | None: ...

    def start(
        self, *, user_id: int, chat_id: int, persona_id: str, lang: str, state: dict, exam: bool
    ) -> int: ...

    def save_state(self, meeting_id: int, state: dict) -> None: ...

    def save_progress(
        self, meeting_id: int, head: dict, turns: dict[int, dict], count: int
    ) -> None: ...

    def finish(self, meeting_id: int, state: dict, feedback: dict, score: int) -> None: ...

    def cancel(self, meeting_id: int) -> None: ...

    def finished(self, user_id: int, limit: int = 20) -> list[MeetingRecord]: ...

    def met(self, user_id: int) -> list[str]: ...


class Aftercare(Protocol):
    def step(self, user_id: int) -> AftercareStep | None: ...

    def set(self, user_id: int, meeting_id: int, stage: Stage) -> None: ...

    def clear(self, user_id: int) -> None: ...


class Notes(Protocol):
    def add(
        self, user_id: int, meeting_id: int, kind: Stage, text: str, score: int, result: dict
    ) -> None: ...

    def of(self, user_id: int, kind: Stage = "notes", limit: int = 10) -> list[Note]: ...


class Reminders(Protocol):
    def add(
        self, user_id: int, chat_id: int, meeting_id: int, kind: str, due_at: float, text: str
    ) -> None: ...

    def of_meeting(self, meeting_id: int) -> list[Reminder]: ...

    def due(self, now: float) -> list[Reminder]: ...

    def claim(self, now: float, lease: float) -> list[Reminder]:
        """The due reminders no process has claimed in the last `lease` seconds, claimed by
        this one until `now + lease`: of several processes on one database, one sends each
        (another takes it over only if the first did not mark it sent within the lease)."""
        ...

    def pending(self, user_id: int) -> list[Reminder]: ...

    def mark_sent(self, reminder_id: int, now: float) -> bool:
        """Sent, if it still waited (True); False when gone or marked already."""
        ...

    def cancel_pending(self, user_id: int) -> int: ...


class Network(Protocol):
    def unlock(self, user_id: int, persona_id: str, via: str) -> bool: ...

    def unlocked(self, user_id: int) -> list[Unlock]: ...


class ProcessedUpdates(Protocol):
    """Ids of the channel's updates already handled, so a redelivery is not applied twice."""

    def seen(self, update_id: int) -> bool: ...

    def mark(self, update_id: int) -> None: ...


class Outbox(Protocol):
    """Messages a channel sends, recorded with the action that causes them and deleted once
    sent, so that a crash between the commit and the sending loses none; a row is its
    owner process's to send until its claim runs out (`bot.storage.sql.outbox`)."""

    owner: str

    def add(self, chat_id: int, messages: list[dict[str, Any]], lease: float) -> None: ...

    def of_chat(self, chat_id: int) -> list[Outgoing]: ...

    def claim(self, message_id: int, lease: float) -> bool: ...

    def renew(self, lease: float) -> int: ...

    def adopt(self, lease: float) -> int: ...

    def chats(self, settle: float) -> list[int]: ...

    def sent(self, message_id: int) -> None: ...


class Privacy(Protocol):
    def export(self, user_id: int) -> dict[str, Any]: ...

    def forget(self, user_id: int) -> int: ...

    def purge(self, cutoff: float) -> int: ...


class Unit(Protocol):
    """The repositories of one unit of work (one transaction when opened for writing)."""

    users: Users
    meetings: Meetings
    aftercare: Aftercare
    notes: Notes
    reminders: Reminders
    network: Network
    updates: ProcessedUpdates
    privacy: Privacy
    outbox: Outbox


class Versions(Protocol):
    """Row versions of the meetings in progress, on a database several processes share."""

    def active(self, chat_id: int) -> tuple[int, int] | None: ...


class Database(Protocol):
    #: Other processes may write to this database (replicas on PostgreSQL): what a process
    #: keeps in memory must be checked against it (its units then have a `versions`
    #: repository). False for SQLite, which one process has to itself.
    shared: bool

    def write(
        self, update_id: int | None = None, *, chat_id: int | None = None
    ) -> AbstractContextManager[Unit]:
        """One atomic user action; `update_id` is recorded as processed in the same commit.

        With `chat_id`, on a shared database, the unit first waits for any other process's
        unit on that chat, then raises `AlreadyHandled` if `update_id` was committed meanwhile.
        """
        ...

    def read(self) -> AbstractContextManager[Unit]: ...

    def committed(self, update_id: int) -> bool:
        """A unit of work of this process recorded the update as processed (recently), so
        recording it again would only cost a transaction."""
        ...

    def close(self) -> None: ...
