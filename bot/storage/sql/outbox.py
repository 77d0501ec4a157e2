"""The outbox: the messages an action sends, committed with its writes, deleted once sent.

A reply sent after the commit of its turn is lost if the process dies in between (the
update is recorded as handled, so its redelivery is skipped). So the channel records the
replies in the action's own transaction (one insert each), sends them after the commit and
deletes each as soon as Telegram has it; whatever is left is sent later, in order per chat.
A row holds the channel's message as JSON: the storage does not read it.

Several processes may share a database (replicas on PostgreSQL). A row is its `owner`'s to
send until `claimed_until`; each process renews the claims on its rows every few seconds
(`renew`), so a live process keeps its rows however long Telegram makes it wait, and a
dead one's rows become claimable a lease later. Claiming (`claim`) is one conditional
UPDATE: both databases re-check its WHERE on the row they update (SQLite's writers take
turns on the file; PostgreSQL re-reads a row another transaction changed meanwhile), so
two processes never both win a row. Within a chat, ids follow the commits: every action
on a chat takes the chat's lock before it inserts (`bot.storage.postgres.chats`).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from typing import Any

from bot.storage.records import Outgoing
from bot.storage.sql import Repository, Sql

#: This process, as the owner of the rows it writes (a pid alone may be reused, and
#: replicas on several machines may share one).
PROCESS = f"{os.getpid()}-{secrets.token_hex(4)}"

COLUMNS = "id, chat_id, message, owner, claimed_until, created_at"


def _outgoing(row: tuple) -> Outgoing:
    return Outgoing(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5])


class SqlOutbox(Repository):
    def __init__(self, sql: Sql, owner: str | None = None) -> None:
        super().__init__(sql)
        self.owner = owner or PROCESS

    def add(self, chat_id: int, messages: list[dict[str, Any]], lease: float) -> None:
        """Record messages to send to the chat, in order, as this process's for `lease`
        seconds (inside the action's transaction: one insert per message)."""
        now = time.time()
        self.sql.run_many(
            "INSERT INTO outbox (chat_id, message, owner, claimed_until, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (chat_id, json.dumps(m, ensure_ascii=False), self.owner, now + lease, now)
                for m in messages
            ],
        )

    def of_chat(self, chat_id: int) -> list[Outgoing]:
        """The chat's messages not sent yet, whoever's they are, oldest first."""
        rows = self.sql.run(
            f"SELECT {COLUMNS} FROM outbox WHERE chat_id = ? ORDER BY id", (chat_id,)
        ).fetchall()
        return [_outgoing(row) for row in rows]

    def claim(self, message_id: int, lease: float) -> bool:
        """Make the message this process's for `lease` seconds, if it is its own already or
        its owner's claim ran out; False when it is gone or another process holds it."""
        now = time.time()
        return (
            self.sql.run(
                "UPDATE outbox SET owner = ?, claimed_until = ?"
                " WHERE id = ? AND (owner = ? OR claimed_until < ?)",
                (self.owner, now + lease, message_id, self.owner, now),
            ).rowcount
            == 1
        )

    def renew(self, lease: float) -> int:
        """This process is alive: its messages stay its own `lease` seconds more."""
        return int(
            self.sql.run(
                "UPDATE outbox SET claimed_until = ? WHERE owner = ?",
                (time.time() + lease, self.owner),
            ).rowcount
        )

    def adopt(self, lease: float) -> int:
        """Every waiting message becomes this process's (how many there were). Only for a
        database this process has to itself: what is waiting was left by its predecessor,
        killed, and need not wait for the old claims to run out."""
        return int(
            self.sql.run(
                "UPDATE outbox SET owner = ?, claimed_until = ?",
                (self.owner, time.time() + lease),
            ).rowcount
        )

    def chats(self, settle: float) -> list[int]:
        """The chats with messages that were not sent right away: this process's recorded
        more than `settle` seconds ago (a send that failed, a crash), and any whose claim
        ran out (their process died)."""
        now = time.time()
        rows = self.sql.run(
            "SELECT DISTINCT chat_id FROM outbox"
            " WHERE (owner = ? AND created_at < ?) OR claimed_until < ?",
            (self.owner, now - settle, now),
        ).fetchall()
        return sorted(row[0] for row in rows)

    def sent(self, message_id: int) -> None:
        """Telegram has it (or refused it for good): the row goes."""
        self.sql.run("DELETE FROM outbox WHERE id = ?", (message_id,))

    def count(self) -> int:
        """Messages not sent yet (for checks and tests)."""
        return int(self.sql.run("SELECT count(*) FROM outbox").fetchone()[0])
