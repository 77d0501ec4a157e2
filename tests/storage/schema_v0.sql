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
CREATE UNIQUE INDEX IF NOT EXISTS one_active_meeting_per_chat
    ON meetings (chat_id) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS meetings_by_user ON meetings (user_id, started_at);
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
CREATE INDEX IF NOT EXISTS reminders_due ON reminders (due_at) WHERE sent_at IS NULL;
CREATE TABLE IF NOT EXISTS processed_updates (
    update_id    INTEGER PRIMARY KEY,
    processed_at REAL NOT NULL
);
