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
from bot.storage.sql.privacy import SqlPrivacy
from bot.storage.sql.reminders import SqlReminders
from bot.storage.sql.updates import SqlProcessedUpdates
from bot.storage.sql.users import SqlUsers


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
