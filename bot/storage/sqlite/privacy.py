"""Privacy over every table: export all of a user's rows, forget them, purge old ones.

Every row hangs from its user (and after-care rows from their meeting) by a declared key
with ON DELETE CASCADE, so deleting a user or a meeting takes all that belongs to it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from bot.storage.export import user_export
from bot.storage.sqlite.aftercare import SqliteAftercare, SqliteNotes
from bot.storage.sqlite.meetings import SqliteMeetings
from bot.storage.sqlite.network import SqliteNetwork
from bot.storage.sqlite.reminders import SqliteReminders
from bot.storage.sqlite.users import SqliteUsers


class SqlitePrivacy:
    def __init__(self, db: sqlite3.Connection, users: SqliteUsers | None = None) -> None:
        self.db = db
        #: The users repository whose cached preferences deleted users must leave.
        self.users = users
        #: Rows were deleted: the database checkpoints its log once the transaction commits,
        #: so the deleted text is not left in the WAL file either.
        self.erased = False

    def export(self, user_id: int) -> dict[str, Any]:
        """Everything stored about a user, as JSON-ready data (for /export)."""
        notes = SqliteNotes(self.db)
        return user_export(
            user_id,
            SqliteUsers(self.db).get(user_id),
            SqliteMeetings(self.db).all_of(user_id),
            SqliteNetwork(self.db).unlocked(user_id),
            [note for kind in ("notes", "thanks") for note in notes.of(user_id, kind, limit=-1)],
            SqliteAftercare(self.db).step(user_id),
            SqliteReminders(self.db).all_of(user_id),
        )

    def forget(self, user_id: int) -> int:
        """Delete everything of a user; returns the number of meetings deleted."""
        meetings = self.db.execute(
            "SELECT count(*) FROM meetings WHERE user_id = ?", (user_id,)
        ).fetchone()[0]
        self.db.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
        # Messages not sent yet to the user's private chat (its id is the user's).
        self.db.execute("DELETE FROM outbox WHERE chat_id = ?", (user_id,))
        if self.users:
            self.users.forget_cached(user_id)
        self.erased = True
        return int(meetings)

    def purge(self, cutoff: float) -> int:
        """Delete what is older than `cutoff`, a meeting with all that came of it (notes,
        thank-you draft, pending step, reminders); returns the number of meetings deleted."""
        deleted = self.db.execute(
            "DELETE FROM meetings WHERE COALESCE(ended_at, updated_at) < ?", (cutoff,)
        ).rowcount
        self.db.execute("DELETE FROM reminders WHERE COALESCE(sent_at, due_at) < ?", (cutoff,))
        self.db.execute("DELETE FROM network WHERE unlocked_at < ?", (cutoff,))
        self.db.execute("DELETE FROM processed_updates WHERE processed_at < ?", (cutoff,))
        self.db.execute("DELETE FROM outbox WHERE created_at < ?", (cutoff,))
        self.db.execute(
            "DELETE FROM users WHERE updated_at < ? AND user_id NOT IN"
            " (SELECT user_id FROM meetings)",
            (cutoff,),
        )
        if self.users:
            self.users.forget_cached()
        self.erased = self.erased or deleted > 0
        return deleted
