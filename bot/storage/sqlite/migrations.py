"""The schema's history, in order: migration N brings a database to `user_version` N.

Each is applied once, in its own transaction, with foreign keys off while tables are
rebuilt (SQLite's documented recipe) and checked before the commit. Never edit a migration
that has shipped: add the next one.
"""

from __future__ import annotations

import sqlite3

NOW = "((julianday('now') - 2440587.5) * 86400.0)"

#: The schema as it was before versioning (every statement idempotent, so on a database
#: created by those versions it changes nothing).
INITIAL = """
CREATE TABLE IF NOT EXISTS users (
    user_id     INTEGER PRIMARY KEY,
    lang        TEXT,
    hints_on    INTEGER NOT NULL DEFAULT 1,
    created_at  REAL NOT NULL,
    updated_at  REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meetings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    persona_id  TEXT NOT NULL,
    lang        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('active', 'finished', 'cancelled')),
    exam        INTEGER NOT NULL DEFAULT 0,
    state       TEXT NOT NULL,
    score       INTEGER,
    feedback    TEXT,
    started_at  REAL NOT NULL,
    updated_at  REAL NOT NULL,
    ended_at    REAL
);
CREATE TABLE IF NOT EXISTS network (
    user_id     INTEGER NOT NULL,
    persona_id  TEXT NOT NULL,
    via         TEXT NOT NULL,
    unlocked_at REAL NOT NULL,
    PRIMARY KEY (user_id, persona_id)
);
CREATE TABLE IF NOT EXISTS aftercare (
    user_id     INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL,
    stage       TEXT NOT NULL CHECK (stage IN ('notes', 'thanks'))
);
CREATE TABLE IF NOT EXISTS notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL,
    meeting_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('notes', 'thanks')),
    text        TEXT NOT NULL,
    score       INTEGER NOT NULL,
    result      TEXT NOT NULL,
    created_at  REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS reminders_off (
    user_id     INTEGER PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS reminders (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    due_at      REAL NOT NULL,
    text        TEXT NOT NULL,
    sent_at     REAL
);
CREATE TABLE IF NOT EXISTS processed_updates (
    update_id    INTEGER PRIMARY KEY,
    processed_at REAL NOT NULL
);
"""

#: Every row belongs to a user (and after-care rows to a meeting) through a declared key
#: with ON DELETE CASCADE: forgetting a user or purging a meeting takes everything with it.
#: The reminders opt-out becomes a user column; a reminder knows its meeting. Notes and
#: after-care steps left behind by meetings that retention already purged are dropped.
DECLARED_KEYS = f"""
INSERT OR IGNORE INTO users (user_id, lang, hints_on, created_at, updated_at)
SELECT user_id, NULL, 1, {NOW}, {NOW} FROM (
    SELECT user_id FROM meetings UNION SELECT user_id FROM network
    UNION SELECT user_id FROM aftercare UNION SELECT user_id FROM notes
    UNION SELECT user_id FROM reminders UNION SELECT user_id FROM reminders_off
);

CREATE TABLE users_new (
    user_id      INTEGER PRIMARY KEY,
    lang         TEXT,
    hints_on     INTEGER NOT NULL DEFAULT 1,
    reminders_on INTEGER NOT NULL DEFAULT 1,
    created_at   REAL NOT NULL,
    updated_at   REAL NOT NULL
);
INSERT INTO users_new
SELECT user_id, lang, hints_on, user_id NOT IN (SELECT user_id FROM reminders_off),
       created_at, updated_at
FROM users;

CREATE TABLE meetings_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    persona_id  TEXT NOT NULL,
    lang        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('active', 'finished', 'cancelled')),
    exam        INTEGER NOT NULL DEFAULT 0,
    state       TEXT NOT NULL,
    score       INTEGER,
    feedback    TEXT,
    started_at  REAL NOT NULL,
    updated_at  REAL NOT NULL,
    ended_at    REAL
);
INSERT INTO meetings_new
SELECT id, user_id, chat_id, persona_id, lang, status, exam, state, score, feedback,
       started_at, updated_at, ended_at
FROM meetings;

CREATE TABLE network_new (
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    persona_id  TEXT NOT NULL,
    via         TEXT NOT NULL,
    unlocked_at REAL NOT NULL,
    PRIMARY KEY (user_id, persona_id)
);
INSERT INTO network_new SELECT user_id, persona_id, via, unlocked_at FROM network;

CREATE TABLE aftercare_new (
    user_id     INTEGER PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    stage       TEXT NOT NULL CHECK (stage IN ('notes', 'thanks'))
);
INSERT INTO aftercare_new SELECT user_id, meeting_id, stage FROM aftercare
WHERE meeting_id IN (SELECT id FROM meetings);

CREATE TABLE notes_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('notes', 'thanks')),
    text        TEXT NOT NULL,
    score       INTEGER NOT NULL,
    result      TEXT NOT NULL,
    created_at  REAL NOT NULL
);
INSERT INTO notes_new
SELECT id, user_id, meeting_id, kind, text, score, result, created_at FROM notes
WHERE meeting_id IN (SELECT id FROM meetings);

CREATE TABLE reminders_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    meeting_id  INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    due_at      REAL NOT NULL,
    text        TEXT NOT NULL,
    sent_at     REAL
);
INSERT INTO reminders_new
SELECT id, user_id, chat_id, NULL, kind, due_at, text, sent_at FROM reminders;

DROP TABLE reminders_off;
DROP TABLE reminders;
DROP TABLE notes;
DROP TABLE aftercare;
DROP TABLE network;
DROP TABLE meetings;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
ALTER TABLE meetings_new RENAME TO meetings;
ALTER TABLE network_new RENAME TO network;
ALTER TABLE aftercare_new RENAME TO aftercare;
ALTER TABLE notes_new RENAME TO notes;
ALTER TABLE reminders_new RENAME TO reminders;

CREATE UNIQUE INDEX one_active_meeting_per_chat ON meetings (chat_id) WHERE status = 'active';
CREATE INDEX meetings_by_user ON meetings (user_id, started_at);
CREATE INDEX notes_by_meeting ON notes (meeting_id);
CREATE INDEX reminders_due ON reminders (due_at) WHERE sent_at IS NULL;
CREATE INDEX reminders_by_meeting ON reminders (meeting_id);
CREATE INDEX processed_updates_by_time ON processed_updates (processed_at);
"""

#: A reminder is claimed by the process that sends it, for a while, so that two processes
#: on one database never send the same one (see `SqliteReminders.claim`).
REMINDER_CLAIMS = "ALTER TABLE reminders ADD COLUMN claimed_until REAL;"

#: The turns of a meeting in progress get a row each, written once (and the one before
#: rewritten, its undo information dropped): a turn no longer re-writes the whole meeting,
#: whose `state` keeps the rest. Meetings in progress are split; finished ones keep their
#: turns in `state`.
TURN_ROWS = """
CREATE TABLE meeting_turns (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    n           INTEGER NOT NULL,
    turn        TEXT NOT NULL,
    PRIMARY KEY (meeting_id, n)
) WITHOUT ROWID;
INSERT INTO meeting_turns (meeting_id, n, turn)
SELECT meetings.id, turns.key, turns.value
FROM meetings, json_each(meetings.state, '$.turns') AS turns
WHERE meetings.status != 'finished';
UPDATE meetings SET state = json_remove(state, '$.turns') WHERE status != 'finished';
"""

#: The outbox: the messages an action sends, committed with it, deleted once sent (see
#: `bot.storage.sql.outbox`). No key to a user: a chat's messages are deleted with it by
#: `forget` (a private chat's id is its user's), and by retention when old.
OUTBOX = """
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id       INTEGER NOT NULL,
    message       TEXT NOT NULL,
    owner         TEXT NOT NULL,
    claimed_until REAL NOT NULL,
    created_at    REAL NOT NULL
);
CREATE INDEX outbox_by_chat ON outbox (chat_id, id);
"""

MIGRATIONS: tuple[str, ...] = (INITIAL, DECLARED_KEYS, REMINDER_CLAIMS, TURN_ROWS, OUTBOX)


def version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection) -> int:
    """Apply the migrations the database has not had yet; returns its version."""
    current = version(db)
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"the database is at schema version {current}, newer than this code "
            f"({len(MIGRATIONS)}): upgrade the bot"
        )
    for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
        db.execute("PRAGMA foreign_keys=OFF")  # only outside a transaction
        try:
            db.executescript(f"BEGIN IMMEDIATE;\n{script}")
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration {number} leaves broken references: {broken[:5]}")
            db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.execute("PRAGMA foreign_keys=ON")
    return len(MIGRATIONS)
