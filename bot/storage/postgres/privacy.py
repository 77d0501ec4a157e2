"""Privacy over every table: export all of a user's rows, forget them, purge old ones.

Every row hangs from its user (and after-care rows from their meeting) by a declared key
with ON DELETE CASCADE, so deleting a user or a meeting takes all that belongs to it.
Deleted rows stay on disk as dead tuples until (auto)vacuum reclaims their space.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg

from bot.storage.export import user_export
from bot.storage.postgres.aftercare import PostgresAftercare, PostgresNotes
from bot.storage.postgres.meetings import PostgresMeetings
from bot.storage.postgres.network import PostgresNetwork
from bot.storage.postgres.reminders import PostgresReminders
from bot.storage.postgres.users import PostgresUsers

log = logging.getLogger(__name__)

#: `pg_try_advisory_xact_lock` key of retention ("purg" in ASCII).
PURGE_LOCK = 0x70757267


class PostgresPrivacy:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def export(self, user_id: int) -> dict[str, Any]:
        """Everything stored about a user, as JSON-ready data (for /export)."""
        notes = PostgresNotes(self.conn)
        return user_export(
            user_id,
            PostgresUsers(self.conn).get(user_id),
            PostgresMeetings(self.conn).all_of(user_id),
            PostgresNetwork(self.conn).unlocked(user_id),
            [note for kind in ("notes", "thanks") for note in notes.of(user_id, kind, limit=-1)],
            PostgresAftercare(self.conn).step(user_id),
            PostgresReminders(self.conn).all_of(user_id),
        )

    def forget(self, user_id: int) -> int:
        """Delete everything of a user; returns the number of meetings deleted."""
        row = self.conn.execute(
            "SELECT count(*) FROM meetings WHERE user_id = %s", (user_id,)
        ).fetchone()
        self.conn.execute("DELETE FROM users WHERE user_id = %s", (user_id,))
        # Messages not sent yet to the user's private chat (its id is the user's).
        self.conn.execute("DELETE FROM outbox WHERE chat_id = %s", (user_id,))
        return int(row[0]) if row else 0

    def purge(self, cutoff: float) -> int:
        """Delete what is older than `cutoff`, a meeting with all that came of it (notes,
        thank-you draft, pending step, reminders); returns the number of meetings deleted.

        One process at a time: the others find the lock taken and skip their turn (0) rather
        than wait, or delete the same rows in another order and deadlock.
        """
        row = self.conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (PURGE_LOCK,)).fetchone()
        if not (row and row[0]):
            log.info("event=retention_skipped reason=another process is purging")
            return 0
        deleted = self.conn.execute(
            "DELETE FROM meetings WHERE COALESCE(ended_at, updated_at) < %s", (cutoff,)
        ).rowcount
        self.conn.execute("DELETE FROM reminders WHERE COALESCE(sent_at, due_at) < %s", (cutoff,))
        self.conn.execute("DELETE FROM network WHERE unlocked_at < %s", (cutoff,))
        self.conn.execute("DELETE FROM processed_updates WHERE processed_at < %s", (cutoff,))
        self.conn.execute("DELETE FROM outbox WHERE created_at < %s", (cutoff,))
        self.conn.execute(
            "DELETE FROM users WHERE updated_at < %s AND NOT EXISTS"
            " (SELECT 1 FROM meetings WHERE meetings.user_id = users.user_id)",
            (cutoff,),
        )
        return deleted
