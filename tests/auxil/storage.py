"""Both storages under test: a SQLite file, or a schema of its own on the PostgreSQL server
named by `TEST_POSTGRES_URL` (`.ci/run` starts one and sets it; without it, the PostgreSQL
cases are skipped and say why, except under `CI=true`, where they fail: CI must not pass
by skipping them).

Raw SQL for the tests that age rows or count them table by table is written once, with `?`
placeholders, and run on either backend by `sql`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest

from bot.storage.interface import Database

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
SKIP_REASON = (
    "TEST_POSTGRES_URL is not set: no PostgreSQL server to test against "
    "(.ci/run starts one and sets it; or run `.ci/postgres start /tmp/pg` and export "
    "TEST_POSTGRES_URL=<the URL it prints>)"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
needs_postgres = pytest.mark.skipif(not POSTGRES_URL and not IN_CI, reason=SKIP_REASON)
#: The backends a storage test runs on.
BACKENDS = ["sqlite", pytest.param("postgres", marks=needs_postgres)]
#: For a test of what only PostgreSQL does: its `open_db` fixture opens PostgreSQL only.
#: For a test of how the SQLite storage works inside (its statements, its file).
sqlite_only = pytest.mark.parametrize("open_db", ["sqlite"], indirect=True)
postgres_only = pytest.mark.parametrize(
    "open_db", [pytest.param("postgres", marks=needs_postgres)], indirect=True
)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL of the test server whose tables all land in a fresh schema, dropped after."""
    import psycopg

    if not POSTGRES_URL:
        pytest.fail("CI is set but TEST_POSTGRES_URL is not: .ci/run starts PostgreSQL and sets it")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{joiner}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def is_postgres(storage: Database) -> bool:
    return type(storage).__name__ == "PostgresDatabase"


def sql(storage: Database, query: str, *args: object) -> list[tuple]:
    """Run one statement outside any unit (committed at once); `?` placeholders."""
    if is_postgres(storage):
        with storage.pool.connection() as conn:  # type: ignore[attr-defined]
            cursor = conn.execute(query.replace("?", "%s"), args)
            return cursor.fetchall() if cursor.description else []
    return storage.db.execute(query, args).fetchall()  # type: ignore[attr-defined]


def tables(storage: Database) -> set[str]:
    """The tables that hold data (not the schema's version)."""
    if is_postgres(storage):
        rows = sql(
            storage,
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema()",
        )
        return {name for (name,) in rows} - {"schema_version"}
    rows = sql(
        storage, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {name for (name,) in rows}


def in_transaction(storage: Database) -> bool:
    if is_postgres(storage):
        return storage.in_transaction()  # type: ignore[attr-defined]
    return storage.db.in_transaction  # type: ignore[attr-defined]
