"""Polling that tells Telegram an update was received only once it has been handled.

PTB's `Updater` confirms a batch (the next `getUpdates` offset) as soon as it has queued it,
before any handler ran: a crash then loses those lines. Here an update is confirmed only
once it is processed (its writes committed); an update redelivered after a crash is
recognised by its id (recorded with the action it caused) and not applied twice. Updates
are fetched continuously and each chat's are handled in order, concurrently with the other
chats: one slow or rate-limited chat does not hold the others (no whole-batch wait).

The loop never ends on what Telegram (or a proxy in between) answers: flood control is
waited out, a broken answer is retried with backoff, and an update the library cannot read
is logged by its id and confirmed, so that it is not delivered again at every poll and at
every restart. Only a rejected token ends it (`InvalidToken`): retrying cannot help.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot.channels.telegram.ratelimit import retry_seconds
from bot.storage.interface import StorageBusy

log = logging.getLogger(__name__)

MAX_BACKOFF = 30.0
#: SQLite integers (and Telegram's own) are signed 64-bit: a larger id cannot be recorded.
MAX_UPDATE_ID = 2**63 - 1
#: Attempts at an update whose handling failed before it is confirmed anyway.
MAX_ATTEMPTS = 3
#: Longest wait between two tries of an update that found the storage busy.
STORAGE_BACKOFF = 4.0
#: While an update is being handled, how often other chats' updates are asked for.
BUSY_POLL_INTERVAL = 0.25
#: Seconds given to the updates being handled when the bot stops.
STOP_GRACE = 10.0


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
            await sleep_unless(stop, retry_seconds(exc.retry_after))
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


class _InFlight:
    """The updates being handled: one task each, a chat's updates one after the other.

    Each update is handed to the application's per-chat processor as soon as it arrives;
    its task first waits for the previous update of the same chat (even a failed one), so
    a retry cannot overtake, and other chats are not held. A failure (the update could not
    be recorded: a locked database, a full disk) is retried with backoff, then given up.
    """

    def __init__(self, application: Application) -> None:
        self.application = application
        self.tasks: dict[int, asyncio.Task[None]] = {}
        self._last_of_chat: dict[int, asyncio.Task[None]] = {}
        self._idle = asyncio.Event()
        self._idle.set()
        self._finished_one = asyncio.Event()

    def start(self, update: Update) -> None:
        chat = update.effective_chat
        key = chat.id if chat else None
        before = self._last_of_chat.get(key) if key is not None else None
        task = asyncio.create_task(self._handle(update, before))
        self.tasks[update.update_id] = task
        if key is not None:
            self._last_of_chat[key] = task
        self._idle.clear()
        task.add_done_callback(lambda done: self._finished(update.update_id, key, done))

    def _finished(self, update_id: int, key: int | None, task: asyncio.Task[None]) -> None:
        self.tasks.pop(update_id, None)
        if key is not None and self._last_of_chat.get(key) is task:
            del self._last_of_chat[key]
        if not self.tasks:
            self._idle.set()
        self._finished_one.set()

    def lowest(self) -> int | None:
        """The lowest id being handled: the offset may not go past it."""
        return min(self.tasks) if self.tasks else None

    async def wait_idle(self, seconds: float) -> None:
        """Until nothing is being handled, or `seconds` passed."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), seconds)

    async def wait_moved(self, lowest: int, stop: asyncio.Event) -> None:
        """Until the lowest update being handled is no longer `lowest` (or `stop`)."""
        while self.lowest() == lowest and not stop.is_set():
            self._finished_one.clear()
            await _until_stop(self._finished_one.wait(), stop)

    async def finish(self, grace: float) -> None:
        """Give the updates being handled `grace` seconds, then cancel what is left (not
        confirmed: Telegram delivers them again at the next start)."""
        pending = list(self.tasks.values())
        if not pending:
            return
        _, late = await asyncio.wait(pending, timeout=grace)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def _handle(self, update: Update, before: asyncio.Task[None] | None) -> None:
        if before is not None:
            await asyncio.wait([before])
        backoff, busy = Backoff(), Backoff(most=STORAGE_BACKOFF)
        attempt = 0
        while True:
            try:
                await process(self.application, update)
                return
            except StorageBusy as error:  # waited out, not counted (see `STORAGE_WAIT`)
                if busy.failures == 0:
                    log.warning("event=storage_busy update=%s error=%s", update.update_id, error)
                await asyncio.sleep(busy.failed())
            except Exception as error:
                attempt += 1
                if given_up(log, update, attempt, error):
                    return
                await asyncio.sleep(backoff.failed())


async def process(application: Application, update: Update) -> None:
    """Handle `update` through the application's per-chat processor (its chat's updates in
    order, its id recorded with what it caused): the one way polling and the webhook both
    hand an update over."""
    await application.update_processor.process_update(update, application.process_update(update))


def given_up(logger: logging.Logger, update: Update, attempt: int, error: Exception) -> bool:
    """Log a failed attempt at `update` (on the transport's own logger), the traceback with
    the first only (the next ones fail the same way as a rule); True once it was the
    `MAX_ATTEMPTS`th: the update is given up (confirmed unhandled)."""
    logger.error(
        "event=update_failed update=%s attempt=%d error_type=%s",
        update.update_id,
        attempt,
        type(error).__name__,
        exc_info=error if attempt == 1 else None,
    )
    if attempt < MAX_ATTEMPTS:
        return False
    logger.error("event=updates_given_up updates=%s", update.update_id)
    return True


async def poll_updates(
    application: Application, stop: asyncio.Event, *, timeout: int = 30, limit: int = 100
) -> None:
    """Fetch continuously, hand each update to its chat, confirm it once handled; until
    `stop` is set.

    The offset confirms every update below it, so it never goes past the lowest update
    still being handled. While one is, Telegram still holds it and `getUpdates` answers at
    once (with it): the loop then asks every `BUSY_POLL_INTERVAL` seconds for the other
    chats' updates (those already handed over are recognised by id), and long-polls again
    as soon as nothing is being handled.
    """
    bot = application.bot
    await bot.delete_webhook()
    inflight = _InFlight(application)
    highest: int | None = None  # the highest update id handed over (or skipped)
    backoff = Backoff()
    try:
        while not stop.is_set():
            lowest = inflight.lowest()
            offset = lowest if lowest is not None else highest + 1 if highest is not None else None
            wait = 0 if lowest is not None else timeout
            try:
                raw = await _until_stop(_get_updates(application, offset, wait, limit), stop)
                if raw is STOPPED:
                    break
                if not isinstance(raw, list):
                    raise TypeError(f"getUpdates result is a {type(raw).__name__}, not a list")
            except InvalidToken:
                raise
            except RetryAfter as exc:  # flood control: wait as long as Telegram asks
                log.warning("event=poll_flood_control retry_after=%s", exc.retry_after)
                await sleep_unless(stop, retry_seconds(exc.retry_after))
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
            fresh = False
            for item in raw:
                update_id = _update_id(item)
                if update_id is not None and highest is not None and update_id <= highest:
                    continue  # handed over already, still being handled
                if update_id is not None:
                    fresh, highest = True, update_id
                update = read_update(item, bot)
                if update is not None:
                    inflight.start(update)
            if lowest is not None and not fresh:
                if len(raw) >= limit:
                    # A full batch of updates already handed over: newer ones cannot be
                    # seen before the offset moves, so asking again would only fetch these.
                    await inflight.wait_moved(lowest, stop)
                await inflight.wait_idle(BUSY_POLL_INTERVAL)
    finally:
        await inflight.finish(STOP_GRACE)


#: What `_until_stop` returns when `stop` came first (a `result` may well be None).
STOPPED = object()


async def _until_stop(fetch: Awaitable[Any], stop: asyncio.Event) -> Any:
    """`fetch`'s result, or `STOPPED` (`fetch` cancelled) if `stop` is set first."""
    fetching = asyncio.ensure_future(fetch)
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({fetching, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if stop.is_set():
        fetching.cancel()
        with contextlib.suppress(BaseException):
            await fetching
        return STOPPED
    return fetching.result()


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


def read_update(item: Any, bot: Any) -> Update | None:
    """The update in `item` as the library reads it, or None (logged by its id only).

    An update that cannot be read is never logged with its content (it holds the user's
    text); the caller confirms it all the same, so that it is not delivered again forever.
    """
    update_id = item.get("update_id") if isinstance(item, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
        log.error("event=update_unreadable update=None reason=no update_id")
        return None
    try:
        if update_id > MAX_UPDATE_ID:
            raise OverflowError("update_id beyond 64 bits")
        return Update.de_json(item, bot)
    except Exception as exc:
        log.error("event=update_unreadable update=%s error_type=%s", update_id, type(exc).__name__)
        return None


def _update_id(item: Any) -> int | None:
    """The item's update id when it has a usable one (what an offset can confirm)."""
    update_id = item.get("update_id") if isinstance(item, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
        return None
    return update_id
