"""The outbox on PostgreSQL: the shared repository (`bot.storage.outbox_sql`) with `%s`
placeholders."""

from bot.storage.outbox_sql import SqlOutbox


class PostgresOutbox(SqlOutbox):
    placeholder = "%s"
