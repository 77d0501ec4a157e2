"""Polling that tells Telegram an update was received only once it has been handled.

PTB's `Updater` confirms a batch (the next `getUpdates` offset) as soon as it has queued it,
before any handler ran: a crash then loses those lines. Here a batch is processed (its
writes committed) before the next `getUpdates` confirms it; an update redelivered after a
crash is recognised by its id (recorded with the action it caused) and not applied twice.

The loop never ends on what Telegram (or a proxy in between) answers: flood control is
waited out, a broken answer is retried with backoff, and an update the library cannot read
is logged by its id and confirmed, so that it is not delivered again at every poll and at
every restart. Only a rejected token ends it (`InvalidToken`): retrying cannot help.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

log = logging.getLogger(__name__)

MAX_BACKOFF = 30.0
#: SQLite integers (and Telegram's own) are signed 64-bit: a larger id cannot be recorded.
MAX_UPDATE_ID = 2**63 - 1
#: Attempts at a batch whose processing failed before its updates are confirmed anyway.
MAX_ATTEMPTS = 3


class Backoff:
    """Growing waits while something keeps failing; one log line per series, not per try."""

    def __init__(self, first: float = 0.5, most: float = MAX_BACKOFF) -> None:
        self.first, self.most = first, most
        self.delay = first
        self.failures = 0

    def failed(self) -> float:
        """The wait before the next try."""
        delay, self.failures = self.delay, self.failures + 1
        self.delay = min(self.most, self.delay * 2)
        return delay

    def succeeded(self) -> int:
        """Reset; how many failures there were in a row."""
        failures, self.failures, self.delay = self.failures, 0, self.first
        return failures


async def sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, but wake up at once when `stop` is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def wait_for_telegram(application: Application, stop: asyncio.Event) -> bool:
    """Call `getMe` until Telegram answers; False if `stop` was set first.

    At start the network may not be up yet (a boot, a container started before its
    network): one line says Telegram cannot be reached, then the bot retries quietly with
    backoff rather than printing a traceback and exiting. A rejected token raises.
    """
    backoff = Backoff(first=1.0, most=60.0)
    while not stop.is_set():
        try:
            await application.bot.get_me()
        except InvalidToken:
            raise
        except RetryAfter as exc:
            await sleep_unless(stop, _seconds(exc.retry_after))
        except TelegramError as exc:
            delay = backoff.failed()
            if backoff.failures == 1:
                log.error(
                    "event=telegram_unreachable error=%s retrying=yes "
                    "reason=Telegram cannot be reached; retrying until it answers",
                    type(exc).__name__,
                )
            await sleep_unless(stop, delay)
        else:
            if backoff.succeeded():
                log.info("event=telegram_reachable")
            return True
    return False


async def poll_updates(
    application: Application, stop: asyncio.Event, *, timeout: int = 30, limit: int = 100
) -> None:
    """Fetch, process and only then confirm updates, until `stop` is set."""
    bot = application.bot
    await bot.delete_webhook()
    offset: int | None = None
    backoff = Backoff()
    attempts = 0
    while not stop.is_set():
        fetch = asyncio.ensure_future(_get_updates(application, offset, timeout, limit))
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if stop.is_set():
            fetch.cancel()
            break
        try:
            raw = fetch.result()
            if not isinstance(raw, list):
                raise TypeError(f"getUpdates result is a {type(raw).__name__}, not a list")
        except InvalidToken:
            raise
        except RetryAfter as exc:  # flood control: wait as long as Telegram asks
            log.warning("event=poll_flood_control retry_after=%s", exc.retry_after)
            await sleep_unless(stop, _seconds(exc.retry_after))
            continue
        except Exception as exc:  # network, a proxy's HTML page, a malformed answer
            delay = backoff.failed()
            if backoff.failures == 1:
                log.warning(
                    "event=poll_error error_type=%s retry_in=%.1f", type(exc).__name__, delay
                )
            await sleep_unless(stop, delay)
            continue
        if backoff.succeeded() > 1:
            log.info("event=poll_recovered")
        if not raw:
            continue
        updates, last = _parse(raw, application)
        processor = application.update_processor
        results = await asyncio.gather(
            *(processor.process_update(u, application.process_update(u)) for u in updates),
            return_exceptions=True,
        )
        failed = [(u.update_id, r) for u, r in zip(updates, results, strict=True) if r]
        if failed:
            # Not confirmed: redelivered and tried again (those already handled are skipped
            # by their id), unless it keeps failing: then it is given up, logged.
            attempts += 1
            for update_id, error in failed:
                log.error(
                    "event=update_failed update=%s attempt=%d error_type=%s",
                    update_id,
                    attempts,
                    type(error).__name__,
                    exc_info=error if attempts == 1 else None,
                )
            if attempts < MAX_ATTEMPTS:
                await sleep_unless(stop, backoff.failed())
                continue
            log.error("event=updates_given_up updates=%s", ",".join(str(i) for i, _ in failed))
        attempts = 0
        if last is not None:
            offset = last + 1


async def _get_updates(
    application: Application, offset: int | None, timeout: int, limit: int
) -> Any:
    """The raw `getUpdates` result: parsed here one update at a time, not as a batch.

    PTB's `get_updates` parses the whole batch at once: one malformed update raises for
    all of them, and first logs every update (with the users' texts) at CRITICAL. Its own
    request, `_post`, returns the list as Telegram sent it (errors are raised as usual).
    """
    bot = application.bot
    read_timeout = (bot.request.read_timeout or 0) + timeout
    return await bot._post(
        "getUpdates",
        {"offset": offset, "timeout": timeout, "limit": limit, "allowed_updates": Update.ALL_TYPES},
        read_timeout=read_timeout,
    )


def _parse(raw: list[Any], application: Application) -> tuple[list[Update], int | None]:
    """The updates the library can read, and the last id to confirm (of all, read or not).

    An update that cannot be read is logged by its id only (never its content: it holds
    the user's text) and confirmed with the others.
    """
    updates: list[Update] = []
    last: int | None = None
    for item in raw:
        update_id = item.get("update_id") if isinstance(item, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
            log.error("event=update_unreadable update=None reason=no update_id")
            continue
        last = update_id if last is None else max(last, update_id)
        try:
            if update_id > MAX_UPDATE_ID:
                raise OverflowError("update_id beyond 64 bits")
            update = Update.de_json(item, application.bot)
        except Exception as exc:
            log.error(
                "event=update_unreadable update=%s error_type=%s", update_id, type(exc).__name__
            )
            continue
        updates.append(update)
    return updates, last


def _seconds(retry_after: Any) -> float:
    """`RetryAfter.retry_after` is seconds (an int) or a timedelta, depending on PTB settings."""
    return retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else retry_after
