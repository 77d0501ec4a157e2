"""Privacy over every table: export all of a user's rows, forget them, purge old ones.

Every row hangs from its user (and after-care rows from their meeting) by a declared key
with ON DELETE CASCADE, so deleting a user or a meeting takes all that belongs to it.
What each database does around a deletion is its subclass's: `SqlitePrivacy` and
`PostgresPrivacy`.
"""

from __future__ import annotations

from typing import Any

from bot.storage.export import user_export
from bot.storage.sql import Repository, Sql
from bot.storage.sql.aftercare import SqlAftercare, SqlNotes
from bot.storage.sql.meetings import SqlMeetings
from bot.storage.sql.network import SqlNetwork
from bot.storage.sql.outbox import SqlOutbox
from bot.storage.sql.reminders import SqlReminders
from bot.storage.sql.users import SqlUsers


class SqlPrivacy(Repository):
    def __init__(self, sql: Sql, users: SqlUsers | None = None) -> None:
        super().__init__(sql)
        #: The users repository whose cached preferences deleted users must leave.
        self.users = users

    def export(self, user_id: int) -> dict[str, Any]:
        """Everything stored about a user, as JSON-ready data (for /export)."""
        notes = SqlNotes(self.sql)
        return user_export(
            user_id,
            SqlUsers(self.sql).get(user_id),
            SqlMeetings(self.sql).all_of(user_id),
            SqlNetwork(self.sql).unlocked(user_id),
            [note for kind in ("notes", "thanks") for note in notes.of(user_id, kind, limit=-1)],
            SqlAftercare(self.sql).step(user_id),
            SqlReminders(self.sql).all_of(user_id),
            # Replies not sent yet, to the user's private chat (its id is the user's).
            SqlOutbox(self.sql).of_chat(user_id),
        )

    def forget(self, user_id: int) -> int:
        """Delete everything of a user; returns the number of meetings deleted."""
        row = self.sql.run("SELECT count(*) FROM meetings WHERE user_id = ?", (user_id,)).fetchone()
        self.sql.run("DELETE FROM users WHERE user_id = ?", (user_id,))
        # Replies not sent yet hold the user's words too (quoted notes, the persona's
        # answers): the outbox has no key to a user, its private chat's id is the user's.
        self.sql.run("DELETE FROM outbox WHERE chat_id = ?", (user_id,))
        if self.users:
            self.users.forget_cached(user_id)
        return int(row[0]) if row else 0

    def purge(self, cutoff: float) -> int:
        """Delete what is older than `cutoff`, a meeting with all that came of it (notes,
        thank-you draft, pending step, reminders); returns the number of meetings deleted."""
        deleted = self.sql.run(
            "DELETE FROM meetings WHERE COALESCE(ended_at, updated_at) < ?", (cutoff,)
        ).rowcount
        self.sql.run("DELETE FROM reminders WHERE COALESCE(sent_at, due_at) < ?", (cutoff,))
        self.sql.run("DELETE FROM network WHERE unlocked_at < ?", (cutoff,))
        self.sql.run("DELETE FROM processed_updates WHERE processed_at < ?", (cutoff,))
        self.sql.run("DELETE FROM outbox WHERE created_at < ?", (cutoff,))
        self.sql.run(
            "DELETE FROM users WHERE updated_at < ? AND NOT EXISTS"
            " (SELECT 1 FROM meetings WHERE meetings.user_id = users.user_id)",
            (cutoff,),
        )
        if self.users:
            self.users.forget_cached()
        return deleted
