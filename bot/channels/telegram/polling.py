"""Polling that tells Telegram an update was received only once it has been handled.

PTB's `Updater` confirms a batch (the next `getUpdates` offset) as soon as it has queued it,
before any handler ran: a crash then loses those lines. Here a batch is processed (its
writes committed) before the next `getUpdates` confirms it; an update redelivered after a
crash is recognised by its id (see `storage.current_update`) and not applied twice.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, TimedOut
from telegram.ext import Application

log = logging.getLogger(__name__)

MAX_BACKOFF = 30.0


async def poll_updates(
    application: Application, stop: asyncio.Event, *, timeout: int = 30, limit: int = 100
) -> None:
    """Fetch, process and only then confirm updates, until `stop` is set."""
    await application.bot.delete_webhook()
    offset: int | None = None
    backoff = 0.5
    while not stop.is_set():
        fetch = asyncio.ensure_future(
            application.bot.get_updates(
                offset=offset, timeout=timeout, limit=limit, allowed_updates=Update.ALL_TYPES
            )
        )
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if stop.is_set():
            fetch.cancel()
            break
        try:
            updates = fetch.result()
        except (InvalidToken, Conflict):
            raise
        except (NetworkError, TimedOut) as exc:
            log.warning("event=poll_error error=%r retry_in=%.1f", exc, backoff)
            await asyncio.sleep(backoff)
            backoff = min(MAX_BACKOFF, backoff * 2)
            continue
        backoff = 0.5
        if not updates:
            continue
        processor = application.update_processor
        await asyncio.gather(
            *(processor.process_update(u, application.process_update(u)) for u in updates)
        )
        offset = updates[-1].update_id + 1
