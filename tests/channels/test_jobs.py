"""Background jobs: an error is logged once and the job runs again at its next tick."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.channels.telegram.jobs import repeat
from devtools.emulator import BotApiEmulator
from tests.auxil.telegram import BotUnderTest


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
