"""The repositories of one unit of work over one connection (`bot.storage.interface.Unit`).

A database's unit names its own class for a repository where the databases differ (the
class attributes); every other repository is the shared one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from bot.storage.sql import Sql
from bot.storage.sql.aftercare import SqlAftercare, SqlNotes
from bot.storage.sql.meetings import SqlMeetings
from bot.storage.sql.network import SqlNetwork
from bot.storage.sql.outbox import SqlOutbox
from bot.storage.sql.privacy import SqlPrivacy
from bot.storage.sql.reminders import SqlReminders
from bot.storage.sql.updates import SqlProcessedUpdates
from bot.storage.sql.users import SqlUsers

#: Update ids remembered as committed: the updates being handled at once, with room to spare.
COMMITTED_KEPT = 4096


@dataclass
class SqlUnit:
    sql: Sql
    users: SqlUsers = field(init=False)
    meetings: SqlMeetings = field(init=False)
    aftercare: SqlAftercare = field(init=False)
    notes: SqlNotes = field(init=False)
    reminders: SqlReminders = field(init=False)
    network: SqlNetwork = field(init=False)
    updates: SqlProcessedUpdates = field(init=False)
    privacy: SqlPrivacy = field(init=False)
    outbox: SqlOutbox = field(init=False)
    #: Update ids marked in the transaction open on this unit, not committed yet.
    marked: list[int] = field(default_factory=list)

    Users: ClassVar[type[SqlUsers]] = SqlUsers
    #: No shared claim: each database writes its own.
    Reminders: ClassVar[type[SqlReminders]]
    Updates: ClassVar[type[SqlProcessedUpdates]] = SqlProcessedUpdates
    Privacy: ClassVar[type[SqlPrivacy]] = SqlPrivacy

    def __post_init__(self) -> None:
        self.users = self.Users(self.sql)
        self.meetings = SqlMeetings(self.sql)
        self.aftercare = SqlAftercare(self.sql)
        self.notes = SqlNotes(self.sql)
        self.reminders = self.Reminders(self.sql)
        self.network = SqlNetwork(self.sql)
        self.updates = self.Updates(self.sql)
        self.privacy = self.Privacy(self.sql, self.users)
        self.outbox = SqlOutbox(self.sql)

    def mark(self, update_id: int | None) -> None:
        """Record the update as processed in this unit's transaction (None: no update)."""
        if update_id is not None:
            self.updates.mark(update_id)
            self.marked.append(update_id)


class CommittedUpdates:
    """The update ids this process's units have committed as processed, the most recent
    `COMMITTED_KEPT`: recording one of them again would only cost a transaction."""

    def __init__(self) -> None:
        self._ids: dict[int, None] = {}  # oldest first

    def __contains__(self, update_id: int) -> bool:
        return update_id in self._ids

    def remember(self, unit: SqlUnit) -> None:
        """The unit's transaction committed: its marks are remembered, and cleared."""
        for update_id in unit.marked:
            self._ids[update_id] = None
        unit.marked.clear()
        while len(self._ids) > COMMITTED_KEPT:
            del self._ids[next(iter(self._ids))]
