"""The schema is versioned, and a database made by the unversioned bot migrates in place."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.storage.sqlite import SqliteDatabase
from bot.storage.sqlite.migrations import MIGRATIONS

LEGACY_SCHEMA = (Path(__file__).parent / "schema_v0.sql").read_text()

#: Table → its declared parents, each with ON DELETE CASCADE.
KEYS = {
    "meetings": {"users"},
    "network": {"users"},
    "aftercare": {"users", "meetings"},
    "notes": {"users", "meetings"},
    "reminders": {"users", "meetings"},
    "meeting_turns": {"meetings"},
}


def legacy_database(path: Path) -> None:
    """A file as the bot wrote it before schema versions, with the rows it could hold."""
    con = sqlite3.connect(path)
    con.executescript(LEGACY_SCHEMA)
    con.executescript(
        """
        INSERT INTO users VALUES (1, 'en', 0, 10, 20);
        INSERT INTO meetings (id, user_id, chat_id, persona_id, lang, status, state,
                              score, feedback, started_at, updated_at, ended_at)
            VALUES (7, 1, 1, 'sceptic', 'en', 'finished', '{"turns": []}', 55,
                    '{"score": 55}', 30, 40, 40),
                   (8, 2, 2, 'sceptic', 'fr', 'active', '{"turns": []}', NULL, NULL, 50, 60, NULL);
        INSERT INTO network VALUES (1, 'guarded_insider', 'chatty_expert', 41);
        INSERT INTO aftercare VALUES (1, 7, 'thanks'), (3, 99, 'notes');
        INSERT INTO notes (user_id, meeting_id, kind, text, score, result, created_at)
            VALUES (1, 7, 'notes', 'kept notes', 80, '{}', 42),
                   (3, 99, 'thanks', 'of a purged meeting', 70, '{}', 43);
        INSERT INTO reminders_off VALUES (2);
        INSERT INTO reminders (user_id, chat_id, kind, due_at, text)
            VALUES (1, 1, 'thanks', 100, 'send your thanks');
        INSERT INTO processed_updates VALUES (555, 45);
        """
    )
    con.commit()
    con.close()


def test_a_new_database_has_the_latest_version_and_declared_keys(tmp_path):
    db = SqliteDatabase(tmp_path / "new.sqlite3")
    try:
        assert db.version == len(MIGRATIONS)
        assert db.db.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
        assert db.db.execute("PRAGMA foreign_keys").fetchone() == (1,)
        for table, parents in KEYS.items():
            keys = db.db.execute(f"PRAGMA foreign_key_list({table})").fetchall()
            assert {k[2] for k in keys} == parents
            assert {k[6] for k in keys} == {"CASCADE"}  # on_delete
    finally:
        db.close()


def test_a_database_of_the_unversioned_bot_migrates_in_place(tmp_path):
    path = tmp_path / "old.sqlite3"
    legacy_database(path)
    db = SqliteDatabase(path)
    try:
        assert db.version == len(MIGRATIONS)
        assert db.db.execute("PRAGMA foreign_key_check").fetchall() == []
        with db.read() as unit:
            assert unit.users.get(1).lang == "en" and not unit.users.get(1).hints_on
            assert unit.users.get(2).reminders_on is False  # the old opt-out table
            assert unit.users.get(3) is not None  # every owner of a row became a user
            [meeting] = unit.meetings.finished(1)
            assert (meeting.id, meeting.score, meeting.feedback) == (7, 55, {"score": 55})
            assert unit.meetings.active(2).persona_id == "sceptic"
            assert [u.persona_id for u in unit.network.unlocked(1)] == ["guarded_insider"]
            assert unit.aftercare.step(1).stage == "thanks"
            assert [n.text for n in unit.notes.of(1)] == ["kept notes"]
            assert [r.text for r in unit.reminders.pending(1)] == ["send your thanks"]
            assert unit.updates.seen(555)
            # What retention had already half-deleted is gone: no text without its meeting.
            assert unit.aftercare.step(3) is None
            assert unit.notes.of(3, "thanks") == []
        tables = {r[0] for r in db.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "reminders_off" not in tables
    finally:
        db.close()
    again = SqliteDatabase(path)  # opening again applies nothing
    assert again.version == len(MIGRATIONS)
    again.close()


def test_a_meeting_in_progress_saved_whole_continues_turn_by_turn(
    tmp_path, shipped_personas, monkeypatch
):
    """A meeting in progress saved whole by version 2 gets a row per turn (a finished one
    keeps its turns in its state), and goes on where it was."""
    from bot.rehearsals import Caller, Rehearsals
    from bot.storage.sqlite import migrations
    from bot.storage.sqlite.migrations import migrate

    path = tmp_path / "v2.sqlite3"
    con = sqlite3.connect(path, isolation_level=None)
    with monkeypatch.context() as patch:  # the database as version 2 left it
        patch.setattr(migrations, "MIGRATIONS", MIGRATIONS[:2])
        migrate(con)
    service = Rehearsals(shipped_personas, SqliteDatabase(tmp_path / "scratch.sqlite3"))
    who = Caller(1, 1)
    service.start(who, "chatty_expert", seed=1)
    for line in ("Bonjour, je suis Camille.", "Pouvez-vous me décrire une journée type ?"):
        service.say(who, line)
    whole = service.current(1)[1].to_dict()
    con.execute("INSERT INTO users VALUES (1, 'fr', 1, 1, 0, 0)")
    for meeting_id, status in ((1, "active"), (2, "finished")):
        con.execute(
            "INSERT INTO meetings (id, user_id, chat_id, persona_id, lang, status, state,"
            " started_at, updated_at) VALUES (?, 1, ?, 'chatty_expert', 'fr', ?, ?, 0, 0)",
            (meeting_id, meeting_id, status, json.dumps(whole)),
        )
    con.close()
    db = SqliteDatabase(path)
    try:
        assert db.db.execute("SELECT meeting_id, n FROM meeting_turns").fetchall() == [
            (1, 0),
            (1, 1),
        ]
        assert "turns" not in json.loads(
            db.db.execute("SELECT state FROM meetings WHERE id = 1").fetchone()[0]
        )
        with db.read() as unit:
            assert unit.meetings.active(1).state == whole
            assert unit.meetings.get(2, 1).state == whole
        migrated = Rehearsals(shipped_personas, db)
        assert migrated.undo(who) == "Pouvez-vous me décrire une journée type ?"
        migrated.say(who, "Qu'est-ce qui vous plaît dans ce métier ?")
        assert len(migrated.current(1)[1].state.turns) == 2
    finally:
        db.close()
        service.storage.close()


def test_a_database_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "future.sqlite3"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    con.close()
    with pytest.raises(RuntimeError, match="newer than this code"):
        SqliteDatabase(path)
