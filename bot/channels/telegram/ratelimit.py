"""Telegram's rate limits, plus retries when Telegram or the network fails.

PTB's `AIORateLimiter` keeps under Telegram's limits and waits as a 429 asks. Server errors
(5xx) and connections closed before any answer are retried here too, with backoff: those
requests were not carried out, so a retry cannot duplicate a message. A timeout is retried
only for requests that are safe to repeat (a message may have been sent before the answer
was lost; sending it again would show it twice).
"""

from __future__ import annotations

import asyncio
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
    def __init__(self, *, network_retries: int = 5, backoff: float = 0.25, **kwargs: Any):
        super().__init__(**kwargs)
        self.network_retries = network_retries
        self.backoff = backoff

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        for attempt in range(self.network_retries + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except (BadRequest, RetryAfter):
                raise
            except TimedOut:
                if endpoint not in IDEMPOTENT or attempt == self.network_retries:
                    raise
            except NetworkError as exc:
                if attempt == self.network_retries:
                    raise
                log.info("event=retry method=%s attempt=%d error=%r", endpoint, attempt + 1, exc)
            await asyncio.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")
