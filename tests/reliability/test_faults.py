"""Telegram faults and floods: the bot retries as Telegram asks, loses and duplicates nothing.

The emulator answers 429 with `retry_after`, 5xx, slow responses and connections closed
before any answer, at chosen rates, while several chats rehearse at once.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from devtools.emulator import BotApiEmulator, FaultKind
from tests.auxil.telegram import BotUnderTest

LINES = [
    "Bonjour, je m'appelle Camille, j'ai été acheteuse. Marc Aubert m'a donné votre nom.",
    "Pouvez-vous me décrire une journée type ?",
    "Qu'est-ce qui vous plaît le plus dans ce métier ?",
    "Quelles compétences manquent dans le secteur ?",
    "Merci beaucoup pour votre temps.",
]
PERSONA = "chatty_expert"
NAME = "Gérard Fontaine"


def persona_messages(emulator: BotApiEmulator, chat: int) -> list[str]:
    return [m["text"] for m in emulator.sent_to(chat) if NAME in (m.get("text") or "").split("\n")]


async def rehearse(bot: BotUnderTest, chats: list[int]) -> None:
    for chat in chats:
        bot.emulator.inject_callback(chat, f"begin:{PERSONA}", message_id=1)
    for line in LINES:
        for chat in chats:
            bot.emulator.inject_message(chat, line)
    await bot.emulator.wait_idle(quiet=1.5, timeout=120)


async def faults_scenario(tmp_path, chats: list[int], seed: int) -> None:
    """Every chat rehearses at once while Telegram answers 429, 5xx, late or not at all."""
    async with BotApiEmulator(fault_seed=seed) as emulator:
        faults = emulator.faults
        faults.rate_429, faults.retry_after = 0.15, 0.2
        faults.rate_5xx = 0.15
        faults.rate_delay, faults.delay = 0.2, 0.3
        faults.rate_drop = 0.1
        bot = BotUnderTest(emulator, tmp_path / "bot.sqlite3", rate_limit=True)
        await bot.start()
        try:
            await rehearse(bot, chats)
            served = faults.counts
            assert served["429"] >= 3 and served["drop"] >= 1 and sum(served.values()) >= 10
            for chat in chats:
                meeting = bot.rehearsals.current(chat)[1]
                assert [t.user for t in meeting.state.turns] == LINES
                said = persona_messages(emulator, chat)
                # the opening and one reply per line: none lost, none twice
                assert len(said) == 1 + len(LINES), said
        finally:
            await bot.stop()


@pytest.mark.slow
@pytest.mark.timeout(60)
async def test_faults_lose_nothing_and_duplicate_nothing(tmp_path):
    # The seed draws the faults call by call: one that serves every kind to these meetings'
    # calls (fewer since the typing indicator only shows for slow replies).
    await faults_scenario(tmp_path, [201, 202, 203, 204], seed=2)


@pytest.mark.soak
@pytest.mark.timeout(300)
@pytest.mark.parametrize("seed", range(1, 6))
async def test_soak_faults_during_twenty_meetings(tmp_path, seed):
    """The long variant (`make soak`): 20 chats, five seeds of faults."""
    await faults_scenario(tmp_path, list(range(201, 221)), seed=seed)


@pytest.mark.slow
@pytest.mark.timeout(60)
async def test_a_flood_from_one_chat_does_not_starve_the_others(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            flooder, calm = 301, 302
            emulator.inject_callback(flooder, f"begin:{PERSONA}", message_id=1)
            emulator.inject_callback(calm, f"begin:{PERSONA}", message_id=1)
            await bot.settle()
            started = time.monotonic()
            for i in range(200):
                emulator.inject_message(flooder, f"Ligne {i} : comment ça marche ?")
            emulator.inject_message(calm, LINES[1])
            await emulator.wait_for_messages(calm, 2, timeout=30)
            calm_latency = time.monotonic() - started
            await emulator.wait_idle(quiet=0.5, timeout=120)
            # measured about 4 s: the calm line is the 203rd update and getUpdates hands
            # over at most 100 past the lowest one not yet handled (RELIABILITY.md)
            assert calm_latency < 10
            flood = bot.rehearsals.past_meetings(flooder) or []
            active = bot.rehearsals.current(flooder)
            turns = flood[0].state["turns"] if flood else active[1].state["turns"]
            # every line handled once, in order, until the persona ended the meeting
            users = [t["user"] if isinstance(t, dict) else t.user for t in turns]
            assert users == [f"Ligne {i} : comment ça marche ?" for i in range(len(users))]
            processed = bot.rehearsals.storage.db.execute(
                "SELECT count(*) FROM processed_updates"
            ).fetchone()[0]
            # every update recorded once; while the flood was being handled the polling
            # loop asked again for the others' updates, so some were handed over again
            delivered = [u["update_id"] for u in emulator.delivered]
            assert processed == len(set(delivered))
            # measured 10 to 19 hand-overs per update (up to 100 every 0.25 s); a loop that
            # asked without pause would hand them over thousands of times
            assert len(delivered) < 30 * processed
        finally:
            await bot.stop()


async def calm_reply_latency(bot: BotUnderTest, slow: int, calm: int, hold: FaultKind) -> float:
    """Seconds from the calm chat's line to its reply, while `slow`'s reply is held."""
    emulator = bot.emulator
    for chat in (slow, calm):
        emulator.inject_callback(chat, f"begin:{PERSONA}", message_id=1)
    await bot.settle()
    emulator.faults.force(hold, method="sendMessage", chat_id=slow)
    for line in LINES[:2]:  # two lines: the second waits behind the first, in its chat
        emulator.inject_message(slow, line)
    await asyncio.sleep(0.5)  # the slow chat's first reply is being sent
    before = len(persona_messages(emulator, calm))
    started = time.monotonic()
    emulator.inject_message(calm, LINES[1])
    for _ in range(300):
        if len(persona_messages(emulator, calm)) > before:
            break
        await asyncio.sleep(0.01)
    return time.monotonic() - started


async def held_chat_was_served_in_order(bot: BotUnderTest, slow: int) -> None:
    await bot.emulator.wait_idle(quiet=0.5, timeout=30)
    meeting = bot.rehearsals.current(slow)[1]
    assert [t.user for t in meeting.state.turns] == LINES[:2]
    assert len(persona_messages(bot.emulator, slow)) == 3  # opening + two replies, once each


@pytest.mark.timeout(60)
async def test_one_chats_slow_send_does_not_hold_another_chats_reply(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3", rate_limit=True).start()
        try:
            slow, calm = 311, 312
            emulator.faults.delay = 4.0
            assert await calm_reply_latency(bot, slow, calm, "delay") < 1.0
            await held_chat_was_served_in_order(bot, slow)
            assert emulator.faults.counts["delay"] == 1
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_one_chats_flood_control_does_not_hold_another_chats_reply(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3", rate_limit=True).start()
        try:
            slow, calm = 321, 322
            emulator.faults.retry_after = 4
            started = time.monotonic()
            assert await calm_reply_latency(bot, slow, calm, "429") < 1.0
            await held_chat_was_served_in_order(bot, slow)
            assert emulator.faults.counts["429"] == 1
            assert time.monotonic() - started >= 4  # the held chat did wait as asked
        finally:
            await bot.stop()
