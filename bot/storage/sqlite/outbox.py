"""The outbox on SQLite: the shared repository (`bot.storage.outbox_sql`) on its connection."""

from bot.storage.outbox_sql import SqlOutbox


class SqliteOutbox(SqlOutbox):
    pass
