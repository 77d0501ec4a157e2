"""Pictures are drawn in a worker process.

matplotlib holds the GIL for about 0.1 s per picture: drawn in the bot's own process, every
scorecard would stall all the other chats for that long. One worker process draws them on
another core while the bot goes on answering.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any

_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawn, not fork: the bot's process has threads and an event loop.
        _pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_leave_with_parent,
            initargs=(os.getpid(),),
        )
    return _pool


def _leave_with_parent(parent: int) -> None:
    """In the worker: exit when the bot is gone.

    A bot killed outright (SIGKILL, the OOM killer) cannot stop its pool; the worker would
    then live on, idle, holding its memory (and multiprocessing's resource tracker with
    it), one more after every such restart.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="leave-with-parent", daemon=True).start()


async def draw(func: Callable[..., bytes], *args: Any, **kwargs: Any) -> bytes:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor(), partial(func, *args, **kwargs))


def _ready() -> bytes:
    """Import the drawing code in the worker, so the first real picture is not slow."""
    import PIL.Image  # noqa: F401

    import bot.charts  # noqa: F401

    return b""


async def warm_up() -> None:
    await draw(_ready)


def shutdown() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
