"""What only PostgreSQL has: its schema versions (the same as SQLite's), its keys, replicas
migrating together, a clear line when the server cannot be reached, connections dropped by
the server, and the bot itself running on it."""

from __future__ import annotations

import sqlite3
import threading
import time

import psycopg
import pytest

from bot.storage import open_database
from bot.storage.interface import StorageUnavailable
from bot.storage.postgres import PostgresDatabase
from bot.storage.postgres import migrations as pg
from bot.storage.postgres.database import CHECK_IDLE_SECONDS
from bot.storage.sqlite import migrations as lite
from devtools.emulator import BotApiEmulator
from tests.auxil.storage import (
    POSTGRES_URL,
    needs_postgres,
    postgres_only,
    postgres_schema,
    sql,
)
from tests.auxil.telegram import BotUnderTest, texts
from tests.channels.test_telegram import CHAT, INTRO_FR, open_meeting
from tests.storage.test_migrations import KEYS
from tests.test_settings import run_bot


def columns_of_sqlite(tmp_path) -> dict[str, set[str]]:
    db = open_database(tmp_path / "columns.sqlite3")
    try:
        con: sqlite3.Connection = db.db  # type: ignore[attr-defined]
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            name: {row[1] for row in con.execute(f"PRAGMA table_info({name})")}
            for name in names
            if not name.startswith("sqlite_")
        }
    finally:
        db.close()


@postgres_only
def test_both_backends_have_the_same_versions_and_the_same_columns(db, tmp_path):
    assert len(pg.MIGRATIONS) == len(lite.MIGRATIONS) == db.version
    rows = sql(
        db,
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name <> 'schema_version'",
    )
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(table, set()).add(column)
    assert columns == columns_of_sqlite(tmp_path)


@postgres_only
def test_every_row_hangs_from_its_owner_by_a_cascading_key(db):
    rows = sql(
        db,
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text, c.confdeltype"
        " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
        " WHERE c.contype = 'f' AND n.nspname = current_schema()",
    )
    keys: dict[str, set[str]] = {}
    for child, parent, on_delete in rows:
        assert on_delete == "c", (child, parent)  # ON DELETE CASCADE
        keys.setdefault(child, set()).add(parent)
    assert keys == KEYS


@postgres_only
def test_reopening_applies_nothing_and_a_newer_database_is_refused(open_db):
    first = open_db()
    second = open_db()
    assert first.version == second.version == len(pg.MIGRATIONS)
    sql(first, "UPDATE schema_version SET version = ?", len(pg.MIGRATIONS) + 1)
    with pytest.raises(RuntimeError, match="newer than this code"):
        open_db()


@postgres_only
@pytest.mark.timeout(60)
def test_replicas_starting_together_migrate_once(open_db):
    opened: list[PostgresDatabase] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def replica() -> None:
        start.wait()
        try:
            opened.append(open_db())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=replica) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and {db.version for db in opened} == {len(pg.MIGRATIONS)}
    assert sql(opened[0], "SELECT version FROM schema_version") == [(len(pg.MIGRATIONS),)]


@postgres_only
def test_a_connection_the_server_dropped_is_replaced_before_use(db):
    with db.write(update_id=1) as unit:
        unit.users.save(7, lang="en")
    with psycopg.connect(db.url, autocommit=True) as admin:  # a restart, an idle timeout
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND application_name = '' AND backend_type = 'client backend'"
            " AND query NOT LIKE '%pg_terminate_backend%'"
        )
    time.sleep(CHECK_IDLE_SECONDS + 0.1)  # a connection in use back to back is not checked
    with db.read() as unit:
        assert unit.users.get(7).lang == "en" and unit.updates.seen(1)


@needs_postgres
@pytest.mark.timeout(60)
async def test_a_rehearsal_on_telegram_with_postgresql(tmp_path):
    """The bot as deployed with `DATABASE_URL=postgresql://…`: what it stores is there."""
    async with BotApiEmulator() as emulator:
        with postgres_schema() as url:
            bot = await BotUnderTest(emulator, tmp_path / "unused", DATABASE_URL=url).start()
            try:
                assert isinstance(bot.rehearsals.storage, PostgresDatabase)
                opening = await open_meeting(bot, CHAT, "busy_executive")
                assert any("Catherine Delmas" in t for t in texts(opening))
                before = len(emulator.sent_to(CHAT))
                update = emulator.inject_message(CHAT, INTRO_FR)
                await bot.settle()
                assert emulator.sent_to(CHAT)[before]["text"].startswith("Catherine Delmas")
                with bot.rehearsals.storage.read() as unit:
                    meeting = unit.meetings.active(CHAT)
                    assert [t["user"] for t in meeting.state["turns"]] == [INTRO_FR]
                    assert unit.updates.seen(update["update_id"])
            finally:
                await bot.stop()


def test_an_unreachable_server_is_one_clear_line_without_the_password():
    """No server needed: the socket's folder does not exist."""
    url = "postgresql://bot:s3cret@/bot?host=/nonexistent/socket/dir"
    with pytest.raises(StorageUnavailable) as caught:
        open_database(url)
    message = str(caught.value)
    assert message.startswith("cannot open the PostgreSQL database at /nonexistent/socket/dir")
    assert "s3cret" not in message and "\n" not in message


@needs_postgres
def test_health_says_the_server_answers_without_the_password(tmp_path):
    with postgres_schema() as url:
        proc = run_bot("health", cwd=tmp_path, DATABASE_URL=url)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok: ") and "database postgresql://" in proc.stdout


def test_the_bot_stops_with_one_line_when_the_server_cannot_be_reached(tmp_path):
    url = "postgresql://bot:s3cret@/bot?host=/nonexistent/socket/dir"
    for command in ("console", "health"):
        proc = run_bot(command, cwd=tmp_path, DATABASE_URL=url, TELEGRAM_BOT_TOKEN="1:x")
        assert proc.returncode == 1, proc.stderr
        assert len(proc.stderr.splitlines()) == 1 and "s3cret" not in proc.stderr, proc.stderr


@needs_postgres
def test_a_user_without_the_right_to_create_tables_gets_one_clear_line():
    with postgres_schema() as url, psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(
            "DO $$ BEGIN CREATE ROLE bot_no_rights LOGIN;"
            " EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        try:
            with pytest.raises(StorageUnavailable) as caught:
                open_database(f"{url}&user=bot_no_rights")
        finally:
            admin.execute("DROP ROLE bot_no_rights")
    message = str(caught.value)
    assert message.startswith("cannot open the PostgreSQL database at ") and "\n" not in message
    assert "schema" in message  # PostgreSQL's own reason: no schema it may create tables in
