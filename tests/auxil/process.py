"""Run `python -m bot telegram` as a real process against the local Bot API emulator."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot import PROJECT_ROOT
from devtools.emulator import BotApiEmulator


async def start_bot(
    base_url: str, token: str, workdir: Path, *, wait: BotApiEmulator | None = None, **env: str
) -> asyncio.subprocess.Process:
    """Start the bot in `workdir` (its stderr in `workdir/stderr.log`); with `wait`, return
    once it polls that emulator."""
    environ = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": base_url,
        "DATABASE_URL": f"sqlite:///{workdir / 'bot.sqlite3'}",
        "LOG_LEVEL": "INFO",
        **env,
    }
    with (workdir / "stderr.log").open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "telegram",
            cwd=workdir,
            env=environ,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=log,
        )
    if wait is not None:
        await wait.wait_for("deleteWebhook", timeout=30)
    return process


def stderr(workdir: Path) -> str:
    return (workdir / "stderr.log").read_text(encoding="utf-8")


async def stop(process: asyncio.subprocess.Process) -> int:
    """SIGTERM, as systemd or Docker stop it; its exit status."""
    process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), 20)
