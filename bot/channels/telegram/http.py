"""The HTTP client of the Bot API calls: a few connections, kept busy.

python-telegram-bot's default client may open up to 256 connections, and httpcore's pool
looks at every open connection twice per request: an expiry probe each (a `select` on the
socket, through anyio's attribute lookups) and, for each idle one, a count of them all
(quadratic in the idle connections). Under load, the bot kept a few dozen connections open
and that bookkeeping took a quarter of its processor time, more than the conversation
engine. A reply needs one connection for one round trip; a few connections carry far more
calls than Telegram allows a bot (about 30 messages a second), so the calls beyond
`IN_FLIGHT` wait their turn here, in order, at the cost of a semaphore: not in the pool,
whose queue costs as much per waiting request as per connection.

Waiting for a turn has no timeout of its own (the pool's, one second by default, would turn a
short queue into failed sends): each call in flight ends within its own read, write and
connect timeouts, so a turn always comes.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.request import HTTPXRequest

#: Bot API calls in flight at once (and connections open); getUpdates has its own.
IN_FLIGHT = 16


class BoundedRequest(HTTPXRequest):
    """`HTTPXRequest` with at most `in_flight` calls on the wire, as many connections."""

    def __init__(self, in_flight: int = IN_FLIGHT, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=in_flight, **kwargs)
        self._in_flight = in_flight
        self._turns = asyncio.Semaphore(in_flight)

    async def initialize(self) -> None:
        """A new client (after a shutdown) gets new turns, for the loop it will run on."""
        self._turns = asyncio.Semaphore(self._in_flight)
        await super().initialize()

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        async with self._turns:
            return await super().do_request(*args, **kwargs)
