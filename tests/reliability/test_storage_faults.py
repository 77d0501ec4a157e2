"""Storage faults against the real process: another program holds the SQLite file locked
for 12 seconds while users write.

The bot runs as `python -m bot telegram` (as in `test_crash`) on its SQLite file; this test
opens the same file and holds its write lock (`BEGIN EXCLUSIVE`) while every chat sends a
line. When the lock goes: the process is alive, every line is in its meeting once and in
order, every line got its reply once, and nobody was asked to resend a line that was taken.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest

from devtools.emulator import BotApiEmulator
from tests.reliability.test_crash import LINES, NAME, kill, start_bot

CHATS = [501, 502, 503]
LOCKED_SECONDS = 12.0


def turns_of(db, chat: int) -> list[str]:
    con = sqlite3.connect(db)
    try:
        row = con.execute(
            "SELECT id FROM meetings WHERE chat_id = ? AND status = 'active'", (chat,)
        ).fetchone()
        return [
            text
            for (text,) in con.execute(
                "SELECT json_extract(turn, '$.user') FROM meeting_turns"
                " WHERE meeting_id = ? ORDER BY n",
                (row[0],),
            )
        ]
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.timeout(120)
async def test_a_database_locked_for_twelve_seconds_loses_no_line_and_kills_nothing(tmp_path):
    db = tmp_path / "bot.sqlite3"
    async with BotApiEmulator() as emulator:
        process = await start_bot(emulator, db)
        try:
            for chat in CHATS:
                emulator.inject_callback(chat, "begin:chatty_expert", message_id=1)
            await emulator.wait_idle(quiet=1.0, timeout=60)
            locker = sqlite3.connect(db, isolation_level=None)
            locker.execute("BEGIN EXCLUSIVE")
            locked_at = time.monotonic()
            for chat in CHATS:
                emulator.inject_message(chat, LINES[0])
            await asyncio.sleep(LOCKED_SECONDS)
            locker.execute("COMMIT")
            locker.close()
            released_at = time.monotonic()
            for chat in CHATS:  # the next line, once the file is free
                emulator.inject_message(chat, LINES[1])
            await emulator.wait_idle(quiet=2.0, timeout=60)
            assert process.returncode is None, "the bot died"
        finally:
            await kill(process)
        log = db.with_suffix(".log").read_text(errors="replace")
    print(f"locked {released_at - locked_at:.1f} s")
    for chat in CHATS:
        assert turns_of(db, chat) == LINES[:2], (chat, log[-3000:])
        said = [m.get("text") or "" for m in emulator.sent_to(chat)]
        replies = [text for text in said if NAME in text.split("\n")]
        assert len(replies) == 3 == len(set(replies)), (chat, said)  # opening + two replies
        assert not any("send your line again" in text for text in said), (chat, said)
