"""PostgreSQL storage (psycopg 3 and its pool), one module per concern, as `bot.storage.sqlite`;
selected by `DATABASE_URL=postgresql://…`."""

from bot.storage.postgres.database import PostgresDatabase, PostgresUnit

__all__ = ["PostgresDatabase", "PostgresUnit"]
