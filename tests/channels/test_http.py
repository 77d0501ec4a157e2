"""The Bot API client: a few calls on the wire at once, the others waiting their turn."""

from __future__ import annotations

import asyncio

from telegram.request import HTTPXRequest

from bot.channels.telegram.http import BoundedRequest


async def test_no_more_calls_on_the_wire_than_connections(monkeypatch):
    on_the_wire = most = 0

    async def call(self, *args, **kwargs):
        nonlocal on_the_wire, most
        on_the_wire += 1
        most = max(most, on_the_wire)
        await asyncio.sleep(0.01)
        on_the_wire -= 1
        return 200, b'{"ok": true, "result": true}'

    monkeypatch.setattr(HTTPXRequest, "do_request", call)
    request = BoundedRequest(in_flight=3)
    await request.initialize()
    try:
        answers = await asyncio.gather(
            *(request.do_request("http://localhost/sendMessage", "POST") for _ in range(10))
        )
    finally:
        await request.shutdown()
    assert most == 3
    assert len(answers) == 10
