"""Background jobs: an error is logged once and the job runs again at its next tick."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time

import pytest

from bot.channels.telegram.jobs import repeat
from devtools.emulator import BotApiEmulator
from tests.auxil.telegram import BotUnderTest, texts


@pytest.mark.timeout(60)
async def test_a_failing_job_is_logged_once_and_keeps_running(caplog):
    runs = 0

    async def job() -> None:
        nonlocal runs
        runs += 1
        if runs <= 3:
            raise RuntimeError("disk on fire")

    caplog.set_level(logging.INFO, logger="bot.channels.telegram.jobs")
    task = asyncio.create_task(repeat("test", job, lambda: 0.01))
    while runs < 6:
        await asyncio.sleep(0.01)
    assert not task.done()
    task.cancel()
    records = [r for r in caplog.records if r.name == "bot.channels.telegram.jobs"]
    tracebacks = [r for r in records if r.exc_info]
    assert len(tracebacks) == 1 and "job=test error_type=RuntimeError" in tracebacks[0].message
    assert [r.message for r in records if r.levelno == logging.WARNING] == [
        "event=job_error job=test error_type=RuntimeError failures=2",
        "event=job_error job=test error_type=RuntimeError failures=3",
    ]
    assert records[-1].message == "event=job_recovered job=test failures=3"


@pytest.mark.timeout(60)
async def test_the_reminder_job_survives_an_error_in_the_running_bot(tmp_path, caplog):
    """The real application's reminder job, fed a clock that fails twice."""
    async with BotApiEmulator() as emulator:
        bot = BotUnderTest(emulator, tmp_path / "bot.sqlite3", REMINDER_CHECK_SECONDS="0.02")
        await bot.start()
        try:
            calls = 0

            def clock() -> float:
                nonlocal calls
                calls += 1
                if calls <= 2:
                    raise OSError("clock unavailable")
                return time.time()

            bot.app.bot_data["clock"] = clock
            while calls < 5:
                await asyncio.sleep(0.02)
            assert not bot.app.bot_data["reminders"].done()
            errors = [r for r in caplog.records if "job=reminders" in r.getMessage()]
            assert sum(1 for r in errors if r.exc_info) == 1
        finally:
            await bot.stop()


def _reminder_state(db, reminder_id: int) -> tuple[float | None, int]:
    """The reminder's `sent_at` and the outbox's size, as committed (a connection of its own)."""
    conn = sqlite3.connect(db)
    try:
        [sent_at] = conn.execute(
            "SELECT sent_at FROM reminders WHERE id = ?", (reminder_id,)
        ).fetchone()
        [waiting] = conn.execute("SELECT count(*) FROM outbox").fetchone()
        return sent_at, waiting
    finally:
        conn.close()


def _add_reminder(bot: BotUnderTest, chat: int, due_at: float, text: str) -> int:
    with bot.rehearsals.storage.write() as unit:
        unit.reminders.add(chat, chat, None, "thanks", due_at, text)
        [reminder] = [r for r in unit.reminders.pending(chat) if r.text == text]
    return reminder.id


@pytest.mark.timeout(60)
async def test_a_reminder_is_marked_sent_before_telegram_has_it_and_goes_once(tmp_path):
    """Mark, then send: when Telegram receives the reminder, it is already committed as sent
    and its message waits in the outbox, so a kill at that moment cannot send it again (the
    old job sent first and marked after: a kill in between sent it twice). A kill between
    that commit and the send leaves the message in the outbox: the next start sends it
    once, and the reminder job does not send it again."""
    db = tmp_path / "bot.sqlite3"
    env = {"REMINDER_CHECK_SECONDS": "0.05", "QUIET_HOURS": "0-0"}
    chat = 4242
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, db, **env).start()
        seen: list[tuple[float | None, int]] = []
        first_id = 0

        def received(item: dict) -> None:
            if item.get("chat_id") == chat and first_id:
                seen.append(_reminder_state(db, first_id))

        emulator.add_sent_listener(received)
        try:
            first_id = _add_reminder(bot, chat, time.time() - 1, "Pensez à <remercier> Gérard.")
            while not emulator.sent_to(chat):
                await asyncio.sleep(0.02)
            await bot.settle()
            [message] = emulator.sent_to(chat)
            assert message["text"] == "Pensez à <remercier> Gérard."  # HTML-escaped, shown as is
            [(sent_at, waiting)] = seen
            assert sent_at is not None and waiting == 1  # committed before Telegram had it
            assert _reminder_state(db, first_id) == (sent_at, 0)

            # A kill between the commit and the send: Telegram fails until the bot is gone.
            emulator.faults.force("500", method="sendMessage", times=10_000)
            second_id = _add_reminder(bot, chat, time.time() - 1, "Et le suivi.")
            while _reminder_state(db, second_id)[0] is None:
                await asyncio.sleep(0.02)
        finally:
            await bot.stop()
        assert _reminder_state(db, second_id)[1] == 1
        emulator.faults.clear()

        bot = BotUnderTest(emulator, db, **env)
        await bot.start()
        try:
            # Past the claim's lease: the old job would have claimed it again by now.
            bot.app.bot_data["clock"] = lambda: time.time() + 3600
            while len(emulator.sent_to(chat)) < 2:
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.5)  # several reminder ticks
            await bot.settle()
            assert texts(emulator.sent_to(chat)) == ["Pensez à <remercier> Gérard.", "Et le suivi."]
            assert _reminder_state(db, second_id)[1] == 0
        finally:
            await bot.stop()
