"""Storage faults against the real process: another program holds the SQLite file locked
for 12 seconds while users write; the disk holding the file fills up, then is freed.

The bot runs as `python -m bot telegram` (as in `test_crash`) on its SQLite file; this test
opens the same file and holds its write lock (`BEGIN EXCLUSIVE`) while every chat sends a
line. When the lock goes: the process is alive, every line is in its meeting once and in
order, every line got its reply once, and nobody was asked to resend a line that was taken.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
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


def can_mount_tmpfs() -> bool:
    """A private mount namespace with a tmpfs is allowed here (user namespaces enabled)."""
    try:
        done = subprocess.run(
            ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


async def start_bot_on_small_disk(
    emulator: BotApiEmulator, disk: Path, log: Path
) -> asyncio.subprocess.Process:
    """The bot with its SQLite file on a 4 MB tmpfs of its own (a private mount namespace:
    nothing else on the machine sees it, nor fills up)."""
    since = len(emulator.calls)
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "DATABASE_URL": f"sqlite:///{disk}/bot.sqlite3",
        "LOG_LEVEL": "WARNING",
    }
    script = f'mount -t tmpfs -o size=4m tmpfs "{disk}" && exec "$0" -m bot telegram'
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            "unshare",
            "-rm",
            "sh",
            "-c",
            script,
            sys.executable,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=out,
        )
    try:
        await emulator.wait_for("deleteWebhook", timeout=30, since=since)
    except BaseException:
        await kill(process)
        raise
    return process


def in_bots_namespace(pid: int, script: str) -> None:
    """Run `script` in the bot's mount namespace (where its small disk is mounted)."""
    subprocess.run(
        ["nsenter", "-t", str(pid), "-U", "-m", "--preserve-credentials", "sh", "-c", script],
        check=True,
        capture_output=True,
        timeout=30,
    )


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.skipif(not can_mount_tmpfs(), reason="no private mount namespace here (unshare -rm)")
async def test_a_full_disk_loses_no_line_and_kills_nothing(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    log = tmp_path / "bot.log"
    async with BotApiEmulator() as emulator:
        process = await start_bot_on_small_disk(emulator, disk, log)
        seen = Path(f"/proc/{process.pid}/root") / str(disk).lstrip("/")  # the bot's view
        try:
            for chat in CHATS:
                emulator.inject_callback(chat, "begin:chatty_expert", message_id=1)
            await emulator.wait_idle(quiet=1.0, timeout=60)
            # Fill the disk (dd stops at "No space left on device").
            in_bots_namespace(process.pid, f'dd if=/dev/zero of="{disk}/filler" bs=64k || true')
            assert (seen / "filler").stat().st_size > 3_000_000
            for chat in CHATS:
                emulator.inject_message(chat, LINES[0])
            await asyncio.sleep(5.0)
            assert process.returncode is None, "the bot died on a full disk"
            in_bots_namespace(process.pid, f'rm "{disk}/filler"')
            for chat in CHATS:
                emulator.inject_message(chat, LINES[1])
            await emulator.wait_idle(quiet=2.0, timeout=60)
            assert process.returncode is None, "the bot died"
            # A copy of the database, made from inside (the bot's view of the file is
            # only consistent from its namespace), for reading once it is gone.
            copy = tmp_path / "copy.sqlite3"
            backup = (
                f"import sqlite3; sqlite3.connect('{disk}/bot.sqlite3')"
                f".backup(sqlite3.connect('{copy}'))"
            )
            in_bots_namespace(process.pid, f'"{sys.executable}" -c "{backup}"')
            turns = {chat: turns_of(copy, chat) for chat in CHATS}
        finally:
            await kill(process)
    text = log.read_text(errors="replace")
    for chat in CHATS:
        assert turns[chat] == LINES[:2], (chat, text[-3000:])
        said = [m.get("text") or "" for m in emulator.sent_to(chat)]
        replies = [text for text in said if NAME in text.split("\n")]
        assert len(replies) == 3 == len(set(replies)), (chat, said)  # opening + two replies
        assert not any("send your line again" in text for text in said), (chat, said)
    assert "storage_busy" in text  # the fault was met, and waited out
