"""Several replicas behind a load balancer give the guarantees of one process.

Two real bot processes in webhook mode share one PostgreSQL database behind a real HAProxy;
the Bot API emulator plays Telegram for many meetings at once (each chat's updates one at a
time, after the previous answer; the chats concurrently, so any replica gets any chat's
next update). One replica is SIGKILLed in the middle of the run and started again; the
emulator delivers again whatever the kill left unanswered. Reminders fall due meanwhile,
for both replicas to claim. In the end:

- every line is in its meeting once, in the order sent (0 turns lost, 0 applied twice);
- every update is recorded as processed once, none was given up;
- every reply came (the outbox: a reply committed with its turn is sent by the replica
  that wrote it or, once its claim ran out, by whichever replica is alive), in the order
  of the turns;
- a reply shown twice is only the outbox's window: the same message again right after
  itself (Telegram took it, the kill came before its row was deleted), at most one per
  chat whose delivery the kill cut; the test reports how many;
- each reminder was sent exactly once.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import re
import time
from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.channels.telegram.outbox import CHECK_SECONDS, LEASE
from bot.storage import open_database
from devtools.emulator import BotApiEmulator
from tests.auxil.storage import IN_CI, needs_postgres, postgres_schema
from tests.replicas.cluster import Cluster, haproxy_binary

pytestmark = [
    needs_postgres,
    pytest.mark.skipif(
        haproxy_binary() is None and not IN_CI,
        reason="HAProxy is not installed (`apt-get install haproxy`; .ci/run installs it)",
    ),
]

PERSONA = "chatty_expert"
NAME = "Gérard Fontaine"
LINES = [
    "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans.",
    "Est-ce que je peux prendre quelques notes ?",
    "Pouvez-vous me décrire une journée type ?",
    "Qu'est-ce qui vous plaît le plus dans ce métier ?",
    "Comment avez-vous commencé ?",
    "Quelles compétences manquent dans le secteur ?",
    "Qui sont vos principaux partenaires ?",
    "Merci beaucoup pour votre temps.",
]
FIRST_CHAT = 900_001


def _plain(text: str) -> str:
    """`text` without the typography of sending (curly apostrophes, narrow spaces)."""
    return re.sub(r"\s+", "", text.replace("’", "'"))


def quiet_hours_elsewhere() -> str:
    """Quiet hours (UTC) that do not include the present hour: reminders go now."""
    hour = datetime.now(UTC).hour
    return f"{(hour + 2) % 24}-{(hour + 3) % 24}"


def add_reminders(db, chats: list[int], batch: str) -> dict[str, int]:
    """One due reminder per chat; their texts (unique) with their chat."""
    texts = {}
    with db.write() as unit:
        for chat in chats:
            text = f"Rappel {batch} pour {chat}"
            unit.reminders.add(chat, chat, None, "follow_up", time.time() - 60, text)
            texts[text] = chat
    return texts


def outbox_size(db) -> int:
    with db.read() as unit:
        return unit.outbox.count()


def reminders_sent(emulator: BotApiEmulator, texts: dict[str, int]) -> Counter[str]:
    return Counter(
        m.get("text")
        for chat in set(texts.values())
        for m in emulator.sent_to(chat)
        if m.get("text") in texts
    )


async def until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.05)


def without_repeats(items: list[str]) -> list[str]:
    """`items` with each run of one item (a message shown again right after itself) as one."""
    return [item for item, _ in itertools.groupby(items)]


async def replica_scenario(tmp_path, *, meetings: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    chats = list(range(FIRST_CHAT, FIRST_CHAT + meetings))
    started = time.monotonic()
    with postgres_schema() as url:
        db = open_database(url)  # migrated before the replicas start
        async with BotApiEmulator() as emulator:
            emulator.webhook_max_attempts = 20
            emulator.webhook_retry_delay = 0.1
            cluster = Cluster(
                emulator,
                url,
                tmp_path,
                size=2,
                env={
                    "QUIET_HOURS": quiet_hours_elsewhere(),
                    "TIME_ZONE": "UTC",
                    "REMINDER_CHECK_SECONDS": "0.3",
                },
            )
            try:
                # A few reminders due at the start (sent before the kill), one per chat after
                # the restart (both replicas claim them).
                first = add_reminders(db, chats[: max(1, meetings // 8)], "avant")
                await cluster.start()
                lines: dict[int, list[int]] = {}  # chat -> the update ids of its lines
                chat_of: dict[int, int] = {}  # update id -> its chat
                for chat in chats:
                    begin = emulator.inject_callback(chat, f"begin:{PERSONA}", message_id=1)
                    chat_of[begin["update_id"]] = chat
                for line in LINES:
                    for chat in chats:
                        update_id = emulator.inject_message(chat, line)["update_id"]
                        lines.setdefault(chat, []).append(update_id)
                        chat_of[update_id] = chat
                for chat in chats:
                    chat_of[emulator.inject_message(chat, "/end")["update_id"]] = chat
                total = meetings * (len(LINES) + 2)
                # The kill: once the first reminders are out, at a random point between a
                # quarter and a half of the run, while every replica is busy.
                kill_at = int(total * rng.uniform(0.25, 0.5))
                await until(
                    lambda: (
                        len(emulator.delivered) >= kill_at
                        and sum(reminders_sent(emulator, first).values()) >= len(first)
                    ),
                    120,
                    "the run did not reach the kill",
                )
                killed_at = time.time()
                await cluster.kill(0)
                delivered_at_kill = len(emulator.delivered)
                await asyncio.sleep(0.5)
                await cluster.start_replica(0)
                second = add_reminders(db, chats, "après")
                await emulator.wait_idle(quiet=2.0, timeout=300)
                # What the killed replica had committed and not sent waits for its claims
                # to run out (`LEASE` after its last renewal), then a live replica sends it.
                drained_from = time.monotonic()
                await until(
                    lambda: outbox_size(db) == 0,
                    LEASE + 6 * CHECK_SECONDS,
                    "the outbox was not emptied",
                )
                drain_wait = time.monotonic() - drained_from
                await emulator.wait_idle(quiet=1.0, timeout=60)
                await until(
                    lambda: sum(reminders_sent(emulator, second).values()) >= len(second),
                    30,
                    "the reminders added after the restart were not all sent",
                )
                await asyncio.sleep(1.0)  # a reminder sent twice would show by now
            except BaseException:
                print(cluster.logs())
                raise
            finally:
                await cluster.stop()

            with db.read() as unit:
                rows = {
                    chat: [*unit.meetings.finished(chat), unit.meetings.active(chat)]
                    for chat in chats
                }
            with db.pool.connection() as conn:  # type: ignore[attr-defined]
                processed = conn.execute("SELECT count(*) FROM processed_updates").fetchone()[0]
            db.close()

            failed = {a.update_id for a in emulator.webhook_attempts if a.error is not None}
            # Deliveries the kill cut short (others failed while the balancer first saw the
            # replicas come up: "no server available").
            cut = {
                a.update_id
                for a in emulator.webhook_attempts
                if a.error is not None and a.timestamp >= killed_at
            }
            attempts = Counter(a.update_id for a in emulator.webhook_attempts)
            lost_turns = twice = out_of_order = lost_replies = 0
            duplicated_replies = repeated_in_window = 0
            chats_cut = {chat_of[update_id] for update_id in cut}
            repeats_beyond_window = 0
            for chat in chats:
                found = [row for row in rows[chat] if row is not None]
                assert [row.status for row in found] == ["finished"], chat
                turns = found[0].state["turns"]
                said = [t["user"] for t in turns]
                lost_turns += sum(max(0, 1 - said.count(line)) for line in set(LINES))
                twice += sum(max(0, said.count(line) - 1) for line in set(LINES))
                out_of_order += said != LINES and sorted(said) == sorted(LINES)
                sent = emulator.sent_to(chat)
                texts = [m.get("text") or m.get("caption") or "" for m in sent]
                persona = [text for text in texts if NAME in text.split("\n")]
                duplicated_replies += len(persona) - len(set(persona))
                # A message shown twice only right after itself, in a chat the kill cut.
                shown = without_repeats(texts)
                repeats = len(texts) - len(shown)
                repeated_in_window += repeats
                repeats_beyond_window += len(persona) - len(set(persona)) > repeats
                repeats_beyond_window += repeats > (1 if chat in chats_cut else 0)
                persona = without_repeats(persona)
                # Which turn each persona message answers, in the order they were sent.
                order = [
                    n
                    for text in map(_plain, persona)
                    for n, turn in enumerate(turns)
                    if turn["reply"] and _plain(turn["reply"]) in text
                ]
                out_of_order += order != sorted(set(order))
                lost_replies += len(set(range(len(turns))) - set(order))
                # The whole /end chain once: feedback with its score, scorecard, notes step.
                assert sum("/100" in text for text in shown) >= 1, chat
                assert sum(m["type"] == "photo" for m in sent) >= 1, chat
            sent = reminders_sent(emulator, {**first, **second})
            result = {
                "meetings": meetings,
                "replicas": 2,
                "kills": 1,
                "updates": total,
                "delivered_at_kill": delivered_at_kill,
                "deliveries_failed": len(failed),
                "deliveries_failed_after_kill": len(cut),
                "deliveries_repeated": sum(1 for n in attempts.values() if n > 1),
                "turns_lost": lost_turns,
                "turns_applied_twice": twice,
                "out_of_order": out_of_order,
                "replies_lost": lost_replies,
                "replies_duplicated": duplicated_replies,
                "messages_repeated_in_window": repeated_in_window,
                "repeats_beyond_window": repeats_beyond_window,
                "chats_cut_by_kill": len(chats_cut),
                "outbox_drain_wait_seconds": round(drain_wait, 1),
                "reminders": len(first) + len(second),
                "reminders_not_sent_once": sum(1 for t in {**first, **second} if sent[t] != 1),
                "processed_updates": processed,
                "given_up": len(emulator.webhook_failures),
                "seconds": round(time.monotonic() - started, 1),
            }
    print("replica run:", result)
    assert result["turns_lost"] == 0
    assert result["turns_applied_twice"] == 0
    assert result["out_of_order"] == 0
    assert result["replies_lost"] == 0
    assert result["repeats_beyond_window"] == 0
    assert result["reminders_not_sent_once"] == 0
    assert result["given_up"] == 0
    assert result["processed_updates"] == total
    assert result["delivered_at_kill"] < total  # the kill did fall mid-run,
    assert result["deliveries_failed_after_kill"] > 0  # with deliveries in hand
    return result


@pytest.mark.slow
@pytest.mark.timeout(240)
async def test_two_replicas_and_a_kill_lose_nothing_and_apply_nothing_twice(tmp_path):
    await replica_scenario(tmp_path, meetings=40, seed=16)


@pytest.mark.soak
@pytest.mark.timeout(900)
async def test_soak_two_hundred_meetings_on_two_replicas_with_a_kill(tmp_path):
    """The full size (`make soak`): 200 meetings at once, 2,000 updates."""
    await replica_scenario(tmp_path, meetings=200, seed=2026)
