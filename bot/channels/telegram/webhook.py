"""The webhook server: Telegram's POST is answered 200 only once its update was handled.

PTB's `run_webhook` (tornado) answers as soon as the update is queued: a crash then loses
the lines it acknowledged, and a request of any size is read into memory before the secret
is even looked at. This small aiohttp server, in front of the same per-chat processor as
polling, does it in the order that costs an attacker least and keeps the guarantee:

1. the `X-Telegram-Bot-Api-Secret-Token` header is checked first: 403, the body unread;
2. a declared `Content-Length` over `MAX_BODY` is refused (413) before reading, and a body
   without one (chunked) is read only up to `MAX_BODY`, then refused the same way;
3. a body that is not an update the library can read is logged by its id only (never its
   content: it holds the user's text) and answered 200, so Telegram does not loop on it;
4. the update goes through the application (per-chat order, the processed-updates record)
   and 200 is answered once its handling finished. When it failed before it could be
   recorded (the database locked, the disk full) the answer is 500 and Telegram delivers it
   again, up to `MAX_ATTEMPTS` times, after which it is given up with a log line.

Telegram sends the updates of one chat one at a time and waits for each answer; other
chats' requests are served concurrently, so a slow chat only delays itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections import Counter, OrderedDict

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.channels.telegram.polling import given_up, process, read_update
from bot.storage.interface import StorageBusy

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
URL_PATH = "/telegram"
#: Telegram's updates are a few kilobytes (a 4,096-character text, its entities, the message
#: it replies to); anything near this size is not from Telegram.
MAX_BODY = 256 * 1024
#: Time allowed to send the body once the headers are in: a slow sender holds no more.
BODY_TIMEOUT = 10.0
#: Seconds given to the updates being handled when the bot stops.
SHUTDOWN_GRACE = 10.0
#: Seconds between two log lines about refused requests (of one kind).
REFUSAL_LOG_EVERY = 60.0
#: How many failing update ids are remembered to count their attempts.
_REMEMBERED_FAILURES = 1024


class WebhookServer:
    """An aiohttp server on `listen:port` that hands Telegram's POSTs to `application`."""

    def __init__(self, application: Application, secret: str) -> None:
        self.application = application
        self._secret = secret.encode()
        self._failures: OrderedDict[int, int] = OrderedDict()
        self._refused: Counter[str] = Counter()
        self._refusals_logged: dict[str, float] = {}
        self._runner: web.AppRunner | None = None

    async def start(self, listen: str, port: int) -> None:
        """Bind and serve (an `OSError` if the address is taken or not ours)."""
        app = web.Application()
        app.router.add_post(URL_PATH, self._handle)
        # lingering_time=0: a refused request's body is not read and discarded for
        # seconds, the connection is closed. handler_cancellation stays off: an update
        # whose sender went away is still handled to the end (Telegram will resend it and
        # its id is then recognised).
        runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=SHUTDOWN_GRACE, lingering_time=0
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, listen, port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner

    async def stop(self) -> None:
        """Stop accepting; the updates being handled get `SHUTDOWN_GRACE` seconds."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not secrets.compare_digest(given, self._secret):
            return self._refuse(403, "Forbidden", "bad secret")
        if request.content_length is not None and request.content_length > MAX_BODY:
            return self._refuse(413, "Request Entity Too Large", "announced length")
        try:
            async with asyncio.timeout(BODY_TIMEOUT):
                body = await _read_capped(request)
        except TimeoutError:
            return self._refuse(408, "Request Timeout", "body too slow")
        if body is None:
            return self._refuse(413, "Request Entity Too Large", "body too long")
        try:
            item = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested past the stack
            log.error("event=update_unreadable update=None reason=not JSON")
            return web.Response(text="OK")
        update = read_update(item, self.application.bot)
        if update is None:
            return web.Response(text="OK")
        return await self._process(update)

    def _refuse(self, status: int, text: str, reason: str) -> web.Response:
        """An answer that closes the connection (whatever body follows is never read),
        logged once a minute at most with the count since: a stranger hammering the port
        cannot flood the logs."""
        self._refused[reason] += 1
        now = time.monotonic()
        if now - self._refusals_logged.get(reason, -REFUSAL_LOG_EVERY) >= REFUSAL_LOG_EVERY:
            log.warning(
                "event=webhook_refused status=%d reason=%s count=%d",
                status,
                reason.replace(" ", "_"),
                self._refused.pop(reason),
            )
            self._refusals_logged[reason] = now
        response = web.Response(status=status, text=text)
        response.force_close()
        return response

    async def _process(self, update: Update) -> web.Response:
        """Handle `update`; 200 once done, 500 to have Telegram deliver it again."""
        try:
            await process(self.application, update)
        except StorageBusy as error:  # nothing applied: Telegram delivers it again later
            log.warning("event=storage_busy update=%s error=%s", update.update_id, error)
            return web.Response(status=500, text="Internal Server Error")
        except Exception as error:
            attempts = self._failures.pop(update.update_id, 0) + 1
            if not given_up(log, update, attempts, error):
                self._failures[update.update_id] = attempts
                while len(self._failures) > _REMEMBERED_FAILURES:
                    self._failures.popitem(last=False)
                return web.Response(status=500, text="Internal Server Error")
        self._failures.pop(update.update_id, None)
        return web.Response(text="OK")


async def _read_capped(request: web.Request) -> bytes | None:
    """The body, read chunk by chunk; None as soon as it grows past `MAX_BODY`."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.read(64 * 1024):
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def start_webhook(
    application: Application, *, listen: str, port: int, url: str, secret: str
) -> WebhookServer:
    """Serve on `listen:port`, then tell Telegram to POST to `url` with `secret`.

    The server is up before `setWebhook`, so the first delivery finds it. If `setWebhook`
    fails the server is stopped again and the error raised.
    """
    server = WebhookServer(application, secret)
    await server.start(listen, port)
    try:
        await application.bot.set_webhook(
            url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
    except BaseException:
        with contextlib.suppress(Exception):
            await server.stop()
        raise
    return server
