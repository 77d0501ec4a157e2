"""The outbox: the messages an action sends, committed with its writes, deleted once sent.

A reply sent after the commit of its turn is lost if the process dies in between (the
update is recorded as handled, so its redelivery is skipped). Here the channel records the
replies in the action's own transaction (one insert each), sends them after the commit and
deletes each as soon as Telegram accepted it; at start, and now and then, whatever is left
is sent, in order per chat. A row is the channel's message as JSON: the storage does not
read it.

Several processes may share a database (webhook replicas on PostgreSQL): a row belongs to
the process that wrote it (`owner`) until `claimed_until`; past that, another may claim
it. The SQL is written once, with `?` placeholders (SQLite's); the PostgreSQL repository
says `%s` instead.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: This process, as the owner of the rows it writes (a pid alone may be reused).
PROCESS = f"{os.getpid()}-{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Outgoing:
    """One message waiting to be sent (its row id orders a chat's messages)."""

    id: int
    chat_id: int
    message: dict[str, Any]
    owner: str
    created_at: float


class SqlOutbox:
    """The outbox repository over a DB-API connection (sqlite3's or psycopg's)."""

    #: The connection's placeholder.
    placeholder = "?"

    def __init__(self, conn: Any, owner: str | None = None) -> None:
        self.conn = conn
        self.owner = owner or PROCESS

    def _run(self, query: str, args: Sequence[object] = ()) -> Any:
        return self.conn.execute(query.replace("?", self.placeholder), tuple(args))

    def add(self, chat_id: int, messages: list[dict[str, Any]], lease: float) -> None:
        """Record messages to send to the chat, in order, as this process's for `lease`
        seconds (inside the action's transaction: one insert per message)."""
        now = time.time()
        for message in messages:
            self._run(
                "INSERT INTO outbox (chat_id, message, owner, claimed_until, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (chat_id, json.dumps(message, ensure_ascii=False), self.owner, now + lease, now),
            )

    def pending(self, chat_id: int) -> list[Outgoing]:
        """The chat's messages this process may send: its own, and those whose owner let
        the claim run out (a process that died); oldest first."""
        rows = self._run(
            "SELECT id, chat_id, message, owner, created_at FROM outbox"
            " WHERE chat_id = ? AND (owner = ? OR claimed_until < ?) ORDER BY id",
            (chat_id, self.owner, time.time()),
        ).fetchall()
        return [Outgoing(row[0], row[1], json.loads(row[2]), row[3], row[4]) for row in rows]

    def claim(self, message_id: int, lease: float) -> bool:
        """Make another process's message, whose claim ran out, this one's; False when
        it is gone or was claimed again meanwhile."""
        now = time.time()
        return bool(
            self._run(
                "UPDATE outbox SET owner = ?, claimed_until = ?"
                " WHERE id = ? AND (owner = ? OR claimed_until < ?)",
                (self.owner, now + lease, message_id, self.owner, now),
            ).rowcount
        )

    def adopt(self, lease: float) -> int:
        """At start: every unsent message becomes this process's (the ones a killed
        process left, whose claims have not run out yet); how many there were."""
        return int(
            self._run(
                "UPDATE outbox SET owner = ?, claimed_until = ?",
                (self.owner, time.time() + lease),
            ).rowcount
        )

    def chats(self, older_than: float) -> list[int]:
        """The chats with messages to send that were not sent right away: this process's
        older than `older_than` seconds (a send that failed), and those whose claim ran out."""
        now = time.time()
        rows = self._run(
            "SELECT DISTINCT chat_id FROM outbox"
            " WHERE (owner = ? AND created_at < ?) OR claimed_until < ?",
            (self.owner, now - older_than, now),
        ).fetchall()
        return [row[0] for row in rows]

    def sent(self, message_id: int) -> None:
        """Telegram has it (or refused it for good): the row goes."""
        self._run("DELETE FROM outbox WHERE id = ?", (message_id,))

    def count(self) -> int:
        """Messages not sent yet (for tests and checks)."""
        return int(self._run("SELECT count(*) FROM outbox").fetchone()[0])
