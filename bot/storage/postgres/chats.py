"""What makes several replicas on one database behave like one process, chat by chat.

Any replica may receive any update. Telegram sends a chat's updates one at a time, but a
delivery it believes lost (a replica killed, a timeout) is sent again, possibly to another
replica while the first one is still at it. So a unit of work that acts on a chat:

1. first takes the chat's transaction-scoped advisory lock: another replica's unit on the
   same chat waits until that one has committed or rolled back (other chats are not held);
2. then, under the lock, looks up the update in `processed_updates`: a delivery that another
   replica has already committed raises `AlreadyHandled` and nothing is applied twice;
3. and the meeting's row version (`xmin`, which PostgreSQL changes at every write of the
   row) tells the service whether its decoded copy of the meeting is still the truth.
"""

from __future__ import annotations

import psycopg

from bot.storage.interface import AlreadyHandled

#: The advisory-lock keys of chats: "CH" in the top bytes, the chat id (below 2**53, as
#: Telegram promises) in the rest, so no chat shares a key with the migrations' or
#: retention's locks (small ASCII constants).
CHAT_LOCK_BASE = 0x4348 << 48


def chat_lock_key(chat_id: int) -> int:
    """The chat's advisory-lock key (a signed 64-bit integer, as PostgreSQL takes it)."""
    return CHAT_LOCK_BASE + chat_id


def lock_chat(conn: psycopg.Connection, chat_id: int, update_id: int | None) -> None:
    """Serialise the open transaction with every other one on `chat_id` (any replica), then
    raise `AlreadyHandled` if `update_id` was committed meanwhile."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (chat_lock_key(chat_id),))
    if update_id is None:
        return
    seen = conn.execute(
        "SELECT 1 FROM processed_updates WHERE update_id = %s", (update_id,)
    ).fetchone()
    if seen is not None:
        raise AlreadyHandled(update_id)


class PostgresVersions:
    """Row versions of the chats' meetings in progress: a query on one index entry, much
    cheaper than decoding the meeting and its turns again."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def active(self, chat_id: int) -> tuple[int, int] | None:
        """The chat's meeting in progress as (its id, its row version), or None."""
        row = self.conn.execute(
            "SELECT id, xmin::text::bigint FROM meetings WHERE chat_id = %s AND status = 'active'",
            (chat_id,),
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else None
