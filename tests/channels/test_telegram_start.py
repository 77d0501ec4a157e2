"""`python -m bot telegram` that cannot start says why in one log line, never with the token.

PTB's InvalidToken message holds the token itself; before, it reached stderr in a traceback,
past the log filter that redacts it.
"""

from __future__ import annotations

import asyncio
import os
import sys

import pytest

from bot import PROJECT_ROOT
from devtools.emulator import BotApiEmulator

REJECTED = "999999:RejectedTokenRejectedTokenRejectedToken"


async def start(base_url: str, tmp_path) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "telegram",
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "TELEGRAM_BOT_TOKEN": REJECTED,
            "TELEGRAM_API_BASE_URL": base_url,
            "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3",
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, output.decode()


@pytest.mark.timeout(60)
async def test_a_rejected_token_stops_the_bot_in_one_line_without_the_token(tmp_path):
    async with BotApiEmulator() as emulator:
        status, output = await start(emulator.base_url, tmp_path)
    assert status == 2  # a configuration error, like a bad setting
    assert "Traceback" not in output, output
    assert REJECTED not in output and REJECTED.split(":")[1] not in output
    [error] = [line for line in output.splitlines() if "level=ERROR" in line]
    assert "event=stop reason=InvalidToken: Telegram rejected TELEGRAM_BOT_TOKEN" in error
