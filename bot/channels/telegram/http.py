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

Each of those expiry probes asked anyio for the socket, which builds a table of every socket
attribute (a `getpeername` among them) to return one: a tenth of the bot's processor time
under load. The connections here keep their socket from the start and probe it directly.
"""

from __future__ import annotations

import asyncio
import select
import socket
from typing import Any

import httpcore
import httpx
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

    def _build_client(self) -> httpx.AsyncClient:
        """PTB's client, on a transport of its own each time (a closed client closes it)."""
        if self._client_kwargs.get("transport") is None or isinstance(
            self._client_kwargs["transport"], _ProbedTransport
        ):
            self._client_kwargs["transport"] = _ProbedTransport(self._client_kwargs["limits"])
        return super()._build_client()


class _ProbedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport, whose connections probe their socket directly."""

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        # httpx offers no way to give its pool a network backend: set it once built.
        pool = self._pool
        pool._network_backend = _ProbedBackend(pool._network_backend)


class _ProbedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _ProbedStream(await self._inner.connect_tcp(*args, **kwargs))

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _ProbedStream(await self._inner.connect_unix_socket(*args, **kwargs))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _ProbedStream(httpcore.AsyncNetworkStream):
    """A connection that keeps its socket, to answer "is_readable" at the cost of a poll."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _ProbedStream(await self._inner.start_tls(*args, **kwargs))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return readable(self._socket)
        return self._inner.get_extra_info(info)


def readable(sock: socket.socket) -> bool:
    """Whether a read would return at once: on an idle connection, that the server closed it
    (or sent what it should not have); either way the connection is done. A closed socket
    counts as readable, as in httpcore."""
    fd = sock.fileno()
    if fd < 0:
        return True
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))
