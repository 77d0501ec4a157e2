"""Running async tests without pytest-asyncio, and finding a free port on 127.0.0.1."""

from __future__ import annotations

import asyncio
import functools
import socket
from collections.abc import Callable, Coroutine
from typing import Any


def async_test(
    func: Callable[..., Coroutine[Any, Any, None]] | None = None, *, timeout: float = 60.0
) -> Any:
    """Run an async test with `asyncio.run`, failing it after `timeout` seconds."""

    def decorate(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
        @functools.wraps(test)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            asyncio.run(asyncio.wait_for(test(*args, **kwargs), timeout))

        return wrapper

    return decorate(func) if func is not None else decorate


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
