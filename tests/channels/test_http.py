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


async def _serve(close_after_reply: bool):
    """A keep-alive HTTP server answering `{"ok": true}`; it may close each connection once
    it has replied (as a server does with an idle connection after its keep-alive)."""
    connections = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                body = b'{"ok": true, "result": true}'
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                )
                await writer.drain()
                if close_after_reply:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/botTOKEN/getMe", lambda: connections


async def test_idle_connections_are_probed_on_their_own_socket(monkeypatch):
    from bot.channels.telegram import http

    probes = []
    real = http.readable
    monkeypatch.setattr(http, "readable", lambda sock: probes.append(sock) or real(sock))
    server, url, connections = await _serve(close_after_reply=False)
    request = BoundedRequest(in_flight=2)
    await request.initialize()
    try:
        for _ in range(3):
            assert await request.do_request(url, "POST") == (200, b'{"ok": true, "result": true}')
    finally:
        await request.shutdown()
        server.close()
    assert connections() == 1  # kept alive
    assert len(probes) >= 2  # the idle connection, before each later call


async def test_a_connection_the_server_closed_is_not_reused():
    server, url, connections = await _serve(close_after_reply=True)
    request = BoundedRequest(in_flight=2)
    await request.initialize()
    try:
        for _ in range(3):
            assert (await request.do_request(url, "POST"))[0] == 200
            await asyncio.sleep(0.05)  # the server's close arrives while the connection idles
    finally:
        await request.shutdown()
        server.close()
    assert connections() == 3


async def test_a_client_shut_down_and_started_again_works():
    server, url, _ = await _serve(close_after_reply=False)
    request = BoundedRequest(in_flight=2)
    try:
        for _ in range(2):
            await request.initialize()
            assert (await request.do_request(url, "POST"))[0] == 200
            await request.shutdown()
    finally:
        server.close()
