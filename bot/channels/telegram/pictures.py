"""Pictures are drawn in worker processes.

matplotlib holds the GIL for about 0.1 s per picture: drawn in the bot's own process, every
scorecard would stall all the other chats for that long. Worker processes draw them on the
other cores while the bot goes on answering: one per core but the bot's own (at least one,
at most `MAX_WORKERS`), so that meetings ending together do not queue behind one worker.
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

#: Each worker holds matplotlib (about 60 MB): more than this buys little for a chat bot.
MAX_WORKERS = 4

_pool: ProcessPoolExecutor | None = None


def workers(cores: int | None = None) -> int:
    """How many worker processes: the cores this process may use, but one for the bot."""
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        cores = cores or os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores - 1))


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawn, not fork: the bot's process has threads and an event loop.
        _pool = ProcessPoolExecutor(
            max_workers=workers(),
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
    """Start every worker (the pool starts one per task waiting, up to its size)."""
    await asyncio.gather(*(draw(_ready) for _ in range(workers())))


def shutdown() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
