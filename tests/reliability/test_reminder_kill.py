"""Reminders across a SIGKILL of the real process: each sent once (issue 14).

The reminder job used to send a reminder, then mark it sent: a kill in between sent it
again once its claim lapsed, and the reminders it had claimed but not reached waited for
their ten-minute claim to lapse. Now each claimed reminder is marked sent in the commit
that puts its message in the outbox, before any is sent, so a kill leaves them in the
outbox and the next start sends them. The window left is the outbox's: a message Telegram
accepted just before the kill, whose row was not yet deleted, is sent again: reminders go
one at a time, so at most one per kill.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections import Counter

import pytest

from bot.storage import open_database
from devtools.emulator import BotApiEmulator
from tests.auxil.process import start_bot, stop
from tests.reliability.test_crash import kill

CHATS = list(range(7001, 7041))
ENV = {"REMINDER_CHECK_SECONDS": "0.2", "QUIET_HOURS": "0-0", "LOG_LEVEL": "WARNING"}


def reminders_received(emulator: BotApiEmulator) -> Counter[int]:
    return Counter(
        chat
        for chat in CHATS
        for item in emulator.sent_to(chat)
        if (item.get("text") or "").startswith("Reminder ")
    )


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "seed", [1, *(pytest.param(seed, marks=pytest.mark.soak) for seed in (2, 3, 4, 5))]
)
async def test_a_kill_while_reminders_go_out_sends_each_once(tmp_path, seed):
    rng = random.Random(seed)
    db = tmp_path / "bot.sqlite3"
    storage = open_database(db)
    with storage.write() as unit:
        for chat in CHATS:
            unit.reminders.add(chat, chat, None, "thanks", time.time() - 60, f"Reminder {chat}")
    storage.close()
    async with BotApiEmulator() as emulator:
        emulator.faults.delay = 0.05  # each send takes a while: the kill lands among them
        emulator.faults.force("delay", method="sendMessage", times=100_000)
        process = await start_bot(emulator.base_url, emulator.token, tmp_path, wait=emulator, **ENV)
        try:
            deadline = time.monotonic() + 30
            while sum(reminders_received(emulator).values()) < 5:
                assert time.monotonic() < deadline, "no reminder sent"
                await asyncio.sleep(0.01)
            await asyncio.sleep(rng.uniform(0.0, 0.1))
            in_flight = emulator._inflight  # sends Telegram may carry out after the kill
            await kill(process)
            before_restart = sum(reminders_received(emulator).values())
            assert before_restart < len(CHATS), "the kill came after every reminder"
            process = await start_bot(
                emulator.base_url, emulator.token, tmp_path, wait=emulator, **ENV
            )
            deadline = time.monotonic() + 30
            while len(reminders_received(emulator)) < len(CHATS):
                assert time.monotonic() < deadline, "reminders lost across the kill"
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # several reminder ticks: a second sending would come now
            assert await stop(process) == 0
        finally:
            await kill(process)
    received = reminders_received(emulator)
    twice = sum(count - 1 for count in received.values())
    print(f"seed={seed} received_before_kill={before_restart} in_flight={in_flight} twice={twice}")
    assert set(received) == set(CHATS)  # none lost
    assert all(count <= 2 for count in received.values())
    assert twice <= 1  # the outbox's window: the one send in flight at the kill
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT count(*) FROM reminders WHERE sent_at IS NULL").fetchone() == (
            0,
        )
        assert con.execute("SELECT count(*) FROM outbox").fetchone() == (0,)
    finally:
        con.close()
