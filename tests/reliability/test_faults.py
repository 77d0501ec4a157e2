"""Telegram faults and floods: the bot retries as Telegram asks, loses and duplicates nothing.

The emulator answers 429 with `retry_after`, 5xx, slow responses and connections closed
before any answer, at chosen rates, while several chats rehearse at once.
"""

from __future__ import annotations

import time

import pytest

from devtools.emulator import BotApiEmulator
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


@pytest.mark.slow
@pytest.mark.timeout(60)
async def test_faults_lose_nothing_and_duplicate_nothing(tmp_path):
    # The seed draws the faults call by call: one that serves every kind to this meeting's
    # calls (fewer since the typing indicator only shows for slow replies).
    async with BotApiEmulator(fault_seed=2) as emulator:
        faults = emulator.faults
        faults.rate_429, faults.retry_after = 0.15, 0.2
        faults.rate_5xx = 0.15
        faults.rate_delay, faults.delay = 0.2, 0.3
        faults.rate_drop = 0.1
        bot = BotUnderTest(emulator, tmp_path / "bot.sqlite3", rate_limit=True)
        await bot.start()
        try:
            chats = [201, 202, 203, 204]
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
            assert processed == len(emulator.delivered) - 0
        finally:
            await bot.stop()
