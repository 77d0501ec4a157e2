"""Telegram's rate limits, plus retries when Telegram or the network fails.

PTB's `AIORateLimiter` keeps under Telegram's limits; a 429 is waited out as it asks, by the
chat it concerns only (not by every chat, as PTB does). Server errors
(5xx) and connections closed before any answer are retried here too, with backoff: those
requests were not carried out, so a retry cannot duplicate a message. A timeout is retried
only for requests that are safe to repeat (a message may have been sent before the answer
was lost; sending it again would show it twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

#: Methods whose repetition changes nothing the user sees.
IDEMPOTENT = frozenset(
    {
        "answerCallbackQuery",
        "sendChatAction",
        "editMessageText",
        "editMessageReplyMarkup",
        "setMyCommands",
        "getMe",
        "deleteWebhook",
        "setWebhook",
    }
)


class ResilientRateLimiter(AIORateLimiter):
    """`AIORateLimiter`'s limits, with a 429 waited out by its chat only, and retries.

    PTB's limiter answers a 429 by holding every request of every chat for `retry_after`
    seconds: one chat's flood control (Telegram limits each chat to about one message a
    second) then stalls all the others. Here the wait holds the requests for that chat;
    a 429 on a request for no chat (setting commands, say) still holds them all.
    """

    def __init__(self, *, network_retries: int = 5, backoff: float = 0.25, **kwargs: Any):
        super().__init__(**kwargs)
        self.network_retries = network_retries
        self.backoff = backoff
        #: Until when (event-loop time) requests for a chat wait; the key None: every chat.
        self._paused_until: dict[str | None, float] = {}

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        key = None if chat_id is None else str(chat_id)
        max_floods = rate_limit_args or self._max_retries
        floods = attempt = 0
        while True:
            await self._wait_pause(key)
            try:
                return await self._limited(callback, args, kwargs, data)
            except BadRequest:
                raise
            except RetryAfter as exc:
                if floods == max_floods:
                    raise
                floods += 1
                self._pause(key, retry_seconds(exc.retry_after) + 0.1)
                log.info(
                    "event=flood_control method=%s chat=%s retry_after=%s",
                    endpoint,
                    chat_id,
                    exc.retry_after,
                )
                continue
            except TimedOut:
                if endpoint not in IDEMPOTENT or attempt == self.network_retries:
                    raise
            except NetworkError as exc:
                if attempt == self.network_retries:
                    raise
                log.info("event=retry method=%s attempt=%d error=%r", endpoint, attempt + 1, exc)
            await asyncio.sleep(self.backoff * 2**attempt)
            attempt += 1

    async def _limited(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        data: dict[str, Any],
    ) -> Any:
        """One try under PTB's overall and per-group rate limits (as `AIORateLimiter`
        decides them: a negative or "@name" chat id is a group or channel)."""
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        group = (
            chat_id
            if isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)
            else False
        )
        return await self._run_request(
            chat=chat_id is not None,
            group=group,
            allow_paid_broadcast=data.get("allow_paid_broadcast", False),
            callback=callback,
            args=args,
            kwargs=kwargs,
        )

    def _pause(self, key: str | None, seconds: float) -> None:
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until[key] = max(until, self._paused_until.get(key, 0.0))

    async def _wait_pause(self, key: str | None) -> None:
        """Wait out a 429 of this chat, or of a request for no chat (it holds them all)."""
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            until = max(self._paused_until.get(key, 0.0), self._paused_until.get(None, 0.0))
            if until <= now:
                for stale in [k for k, t in self._paused_until.items() if t <= now]:
                    del self._paused_until[stale]
                return
            await asyncio.sleep(until - now)


def retry_seconds(retry_after: Any) -> float:
    """`RetryAfter.retry_after` is seconds (an int) or a timedelta, depending on PTB settings."""
    return retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else retry_after
