"""Jobs run once: of several processes on one database, each due reminder is sent by one of
them, and one purges at a time. Several storages opened on one database stand for the
processes (replicas); on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter

import pytest

from bot.rehearsals import REMINDER_CLAIM_SECONDS
from devtools.emulator import BotApiEmulator
from tests.auxil.storage import BACKENDS, postgres_only, postgres_schema
from tests.auxil.telegram import BotUnderTest

LEASE = 600.0


def add_reminders(storage, count: int, *, user_id: int = 1, due_at: float = 100.0) -> None:
    with storage.write() as unit:
        meeting = unit.meetings.start(
            user_id=user_id, chat_id=user_id, persona_id="sceptic", lang="fr", state={}, exam=False
        )
        for n in range(count):
            unit.reminders.add(user_id, user_id, meeting, "thanks", due_at + n / 1000, f"r{n}")


def claim(storage, now: float) -> list[int]:
    with storage.write() as unit:
        return [r.id for r in unit.reminders.claim(now, LEASE)]


def test_a_claimed_reminder_is_not_given_to_another_process(open_db):
    first, second = open_db(), open_db()
    add_reminders(first, 3)
    claimed = claim(first, 1000)
    assert len(claimed) == 3
    assert claim(second, 1000) == [] and claim(first, 1000) == []
    with first.write() as unit:  # two sent; the process dies before sending the third
        for reminder_id in claimed[:2]:
            unit.reminders.mark_sent(reminder_id, 1000)
    assert claim(second, 1000 + LEASE - 1) == []
    assert claim(second, 1000 + LEASE) == [claimed[2]]  # the lease ran out: taken over
    with second.read() as unit:
        assert [r.id for r in unit.reminders.pending(1)] == [claimed[2]]


@pytest.mark.timeout(60)
def test_processes_claiming_together_send_each_reminder_once(open_db):
    storages = [open_db(), open_db()]
    add_reminders(storages[0], 300)
    got: Counter[int] = Counter()
    start = threading.Barrier(len(storages))

    def sender(storage) -> None:
        start.wait()
        empty = 0
        while empty < 3:
            with storage.write() as unit:
                batch = unit.reminders.claim(1000, LEASE)
                for reminder in batch:
                    unit.reminders.mark_sent(reminder.id, 1000)
            got.update(r.id for r in batch)
            empty = empty + 1 if not batch else 0

    threads = [threading.Thread(target=sender, args=(s,)) for s in storages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 300 and set(got.values()) == {1}
    with storages[1].read() as unit:
        assert unit.reminders.pending(1) == []


@postgres_only
@pytest.mark.timeout(30)
def test_a_claim_skips_the_rows_another_transaction_is_claiming(open_db):
    """`FOR UPDATE SKIP LOCKED`: the second process neither waits for the first's open
    transaction nor takes its rows; it takes the next ones."""
    first, second = open_db(), open_db()
    add_reminders(first, 150)
    with first.write() as unit:
        mine = [r.id for r in unit.reminders.claim(1000, LEASE)]
        theirs = claim(second, 1000)  # another connection, while the first is not committed
    assert len(mine) == 100 and len(theirs) == 50 and not set(mine) & set(theirs)


@postgres_only
@pytest.mark.timeout(30)
def test_one_process_purges_at_a_time_the_others_skip_their_turn(open_db):
    first, second = open_db(), open_db()
    old = time.time() - 400 * 86400

    def age_a_meeting(user_id: int) -> None:
        add_reminders(first, 1, user_id=user_id)
        with first.pool.connection() as conn:
            conn.execute(
                "UPDATE meetings SET started_at = %s, updated_at = %s WHERE user_id = %s",
                (old, old, user_id),
            )

    age_a_meeting(1)
    with first.write() as unit:
        assert unit.privacy.purge(time.time() - 180 * 86400) == 1
        with second.write() as other:  # while the first has not committed: no wait, no work
            assert other.privacy.purge(time.time() - 180 * 86400) == 0
    age_a_meeting(2)
    with second.write() as unit:  # the lock went with the first's commit
        assert unit.privacy.purge(time.time() - 180 * 86400) == 1


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.timeout(90)
async def test_two_bots_on_one_database_send_each_reminder_once(backend, tmp_path):
    """The real reminder job of two running bots (webhook replicas) on one database."""
    chats = range(2001, 2041)
    async with BotApiEmulator() as emulator:
        if backend == "postgres":
            with postgres_schema() as url:
                await _two_bots_send(emulator, chats, {"DATABASE_URL": url}, tmp_path)
        else:
            await _two_bots_send(emulator, chats, {}, tmp_path)


async def _two_bots_send(emulator, chats, env: dict, tmp_path) -> None:
    env = {"REMINDER_CHECK_SECONDS": "0.01", "QUIET_HOURS": "0-0", **env}
    bots = [
        await BotUnderTest(emulator, tmp_path / "bot.sqlite3", webhook=True, **env).start()
        for _ in range(2)
    ]
    try:
        storage = bots[0].rehearsals.storage  # both bots' reminder jobs are already ticking
        for chat in chats:
            add_reminders(storage, 2, user_id=chat, due_at=time.time() - 60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with storage.read() as unit:  # marked sent, and out of the outbox (sent)
                if not any(unit.reminders.pending(chat) for chat in chats) and not (
                    unit.outbox.count()
                ):
                    break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # a second sending would come now
        for chat in chats:
            assert sorted(m["text"] for m in emulator.sent_to(chat)) == ["r0", "r1"], chat
    finally:
        for bot in bots:
            await bot.stop()
    assert REMINDER_CLAIM_SECONDS > 30  # no claim ran out while the test ran
