"""Background jobs that outlive their errors.

A loop that ends on its first unexpected error stops reminders (or retention) for good while
the bot keeps answering, and nobody notices. Here each run of a job is guarded: an error is
logged once with its traceback, and the job runs again at its next tick. No new dependency
(PTB's JobQueue would bring APScheduler for two fixed-interval loops).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def repeat(name: str, job: Callable[[], Awaitable[None]], every: Callable[[], float]) -> None:
    """Run `job` now and then every `every()` seconds, until cancelled, whatever it raises.

    The first failure of a series is logged with its traceback; the next ones of the same
    kind only counted (one line each), so a lasting fault does not flood the log.
    """
    failing: type[BaseException] | None = None
    failures = 0
    while True:
        try:
            await job()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            failures += 1
            if type(exc) is not failing:
                log.exception("event=job_error job=%s error_type=%s", name, type(exc).__name__)
            else:
                log.warning(
                    "event=job_error job=%s error_type=%s failures=%d",
                    name,
                    type(exc).__name__,
                    failures,
                )
            failing = type(exc)
        else:
            if failing is not None:
                log.info("event=job_recovered job=%s failures=%d", name, failures)
            failing, failures = None, 0
        await asyncio.sleep(every())
