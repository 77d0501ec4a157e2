"""The python-telegram-bot application: wiring, per-chat ordering, polling or webhook.

Run with `python -m bot telegram` (or `make run` with `TELEGRAM_BOT_TOKEN` set).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from html import escape
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels.telegram import handlers as h
from bot.channels.telegram import outbox, pictures
from bot.channels.telegram.handlers.guards import ATTEMPT, STORAGE_WAIT, Attempt
from bot.channels.telegram.handlers.profile import set_descriptions
from bot.channels.telegram.handlers.reminding import reminder_keyboard
from bot.channels.telegram.http import BoundedRequest
from bot.channels.telegram.jobs import repeat
from bot.channels.telegram.polling import poll_updates, wait_for_telegram
from bot.channels.telegram.ratelimit import ResilientRateLimiter
from bot.channels.telegram.webhook import start_webhook
from bot.engine import recall, requests, routing
from bot.engine.analysis import lexicon
from bot.engine.personas import InvalidPersona, load_personas
from bot.i18n import LANGUAGES, translations
from bot.logs import setup_logging
from bot.rehearsals import Rehearsals
from bot.reminders import QuietHours
from bot.settings import Settings
from bot.storage import open_database
from bot.storage.interface import StorageBusy, is_transient
from bot.transcription import Transcriber

log = logging.getLogger(__name__)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Updates of one chat in order, different chats concurrently, each handled once.

    PTB's default processor runs updates one at a time (or all at once); a meeting needs
    its turns in order, while one slow chat must not hold up the others. An update already
    recorded as processed (a redelivery) is skipped; one that is not gets recorded in the
    transaction of the action it causes (the handlers pass its id to the service), or at
    the end when it causes none.
    """

    def __init__(self, rehearsals: Rehearsals, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self.rehearsals = rehearsals
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        #: Updates whose handling found the storage busy, and since when (monotonic).
        self._busy_since: dict[int, float] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update):
            await coroutine
            return
        chat = update.effective_chat
        lock = self._locks[chat.id if chat else 0]
        try:
            async with lock:
                try:
                    duplicate = self.rehearsals.handled(update.update_id)
                except BaseException as exc:
                    coroutine.close()  # type: ignore[attr-defined]
                    if is_transient(exc):
                        raise StorageBusy(type(exc).__name__) from exc
                    raise
                if duplicate:
                    coroutine.close()  # type: ignore[attr-defined]
                    log.info("event=duplicate_update update=%s", update.update_id)
                    return
                await self._attempt(update.update_id, coroutine)
        finally:
            if chat and not lock.locked() and not lock._waiters:  # forget idle chats
                self._locks.pop(chat.id, None)

    async def _attempt(self, update_id: int, coroutine: Awaitable[Any]) -> None:
        """Handle the update; when the storage could not be written (`StorageBusy`), raise
        instead of recording it, so that it is handled again later, and keep the user out
        of it for `STORAGE_WAIT` seconds (nothing was applied, nothing to say yet)."""
        since = self._busy_since.get(update_id)
        attempt = Attempt(quiet=since is None or time.monotonic() - since < STORAGE_WAIT)
        token = ATTEMPT.set(attempt)
        try:
            await coroutine
        finally:
            ATTEMPT.reset(token)
        try:
            if attempt.storage_error is not None and attempt.quiet:
                raise StorageBusy(type(attempt.storage_error).__name__)
            self.rehearsals.mark_handled(update_id)
        except BaseException as exc:
            # Past `STORAGE_WAIT` the user was told; a failure now counts as any other
            # (three tries), so a lasting fault does not repeat the message every few seconds.
            if is_transient(exc) and attempt.quiet:
                if len(self._busy_since) > 4096:
                    self._busy_since.clear()
                self._busy_since.setdefault(update_id, time.monotonic())
                if not isinstance(exc, StorageBusy):
                    raise StorageBusy(type(exc).__name__) from exc
            raise
        self._busy_since.pop(update_id, None)

    @asynccontextmanager
    async def chat(self, chat_id: int) -> AsyncIterator[None]:
        """Hold the chat's lock (its replies waiting in the outbox are sent under it, so
        that they take turns with its updates)."""
        lock = self._locks[chat_id]
        try:
            async with lock:
                yield
        finally:
            if not lock.locked() and not lock._waiters:
                self._locks.pop(chat_id, None)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


RETENTION_CHECK_SECONDS = 6 * 3600
#: Telegram may answer setMyDescription with a long "retry after"; the bot starts anyway.
DESCRIPTIONS_TIMEOUT = 15


async def on_start(application: Application) -> None:
    await h.set_commands(application)
    data = application.bot_data
    try:  # a long 429 on these cosmetic calls must not hold the start
        await asyncio.wait_for(
            set_descriptions(application, data["rehearsals"].default_language),
            DESCRIPTIONS_TIMEOUT,
        )
    except TimeoutError:
        log.warning("event=description_failed reason=timeout")
    # What a killed process left unsent goes first: each chat's delivery is started (and
    # takes the chat's lock) before the first update can arrive.
    data["outbox_start"] = outbox.start(application)
    data["outbox"] = asyncio.create_task(
        repeat(
            "outbox",
            lambda: outbox.drain(application),
            lambda: data.get("outbox_check_seconds", outbox.CHECK_SECONDS),
        )
    )
    data["retention"] = asyncio.create_task(
        repeat("retention", lambda: retention_job(application), lambda: RETENTION_CHECK_SECONDS)
    )
    data["reminders"] = asyncio.create_task(
        repeat(
            "reminders", lambda: reminder_job(application), lambda: data["reminder_check_seconds"]
        )
    )
    # The workers import matplotlib (seconds on a busy machine) while the bot already
    # answers: a scorecard asked for meanwhile waits for its worker, nothing else does.
    data["pictures"] = asyncio.create_task(pictures.warm_up())


async def on_stop(application: Application) -> None:
    for name in ("outbox_start", "outbox", "retention", "reminders", "pictures"):
        task = application.bot_data.pop(name, None)
        if task:
            task.cancel()
    pictures.shutdown()


async def retention_job(application: Application) -> None:
    """Delete rehearsals older than RETENTION_DAYS (at start and every few hours)."""
    rehearsals: Rehearsals = application.bot_data["rehearsals"]
    days = application.bot_data["retention_days"]
    rehearsals.purge(days)


async def reminder_job(application: Application) -> None:
    """Queue the reminders that fell due, outside quiet hours, and send them; they are
    stored, so a restart sends those that fell due while the bot was down.

    Mark, then send: each claimed reminder is marked sent in the same commit that puts its
    message in the outbox (`Rehearsals.sending_reminder`), and the outbox sends it. Before,
    it was sent, then marked: a kill in between sent it again once its claim lapsed. They
    are sent one after the other (awaited), as before, so a kill catches at most one in
    flight: the one the outbox may send again after the restart."""
    rehearsals: Rehearsals = application.bot_data["rehearsals"]
    quiet: QuietHours = application.bot_data["quiet_hours"]
    now = application.bot_data["clock"]()
    if quiet.next_allowed(now) != now:
        return
    chats: list[int] = []
    for reminder in rehearsals.due_reminders(now):
        replies = outbox.Replies(reminder.chat_id)
        replies.text(escape(reminder.text), keyboard=reminder_keyboard(rehearsals, reminder))
        with rehearsals.sending_reminder(reminder, now) as unit:
            if unit is None:
                continue
            unit.outbox.add(reminder.chat_id, replies.messages, outbox.LEASE)
        log.info("event=reminder_queued chat=%s kind=%s", reminder.chat_id, reminder.kind)
        chats.append(reminder.chat_id)
    await outbox.send_in_turn(application, chats)  # one at a time: one in flight at a kill


def build_application(
    settings: Settings,
    rehearsals: Rehearsals,
    *,
    rate_limit: bool = True,
) -> Application:
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token or "")
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)
        .request(BoundedRequest())
        .concurrent_updates(PerChatUpdateProcessor(rehearsals))
        .post_init(on_start)
        .post_shutdown(on_stop)
    )
    if rate_limit:
        builder = builder.rate_limiter(ResilientRateLimiter(max_retries=5))
    application = builder.build()
    application.bot_data["rehearsals"] = rehearsals
    application.bot_data["retention_days"] = settings.retention_days
    application.bot_data["quiet_hours"] = rehearsals.quiet_hours
    application.bot_data["reminder_check_seconds"] = settings.reminder_check_seconds
    application.bot_data["clock"] = time.time  # tests move it forward
    application.bot_data["transcriber"] = Transcriber.from_settings(settings)
    register(application)
    return application


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, h.private_only), group=-1)
    for name, callback in {
        "start": h.start,
        "personas": h.personas,
        "end": h.end,
        "cancel": h.cancel,
        "coach": h.coach,
        "language": h.language,
        "history": h.history,
        "help": h.help_command,
        "export": h.export,
        "undo": h.undo,
        "network": h.network,
        "reminders": h.reminders_command,
        "notes": h.notes,
        "skip": h.skip,
        "exam": h.exam,
        "forget": h.forget,
        "settings": h.settings_command,
    }.items():
        application.add_handler(
            CommandHandler(name, callback, filters=private & ~filters.UpdateType.EDITED)
        )
    application.add_handler(CallbackQueryHandler(h.button))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, h.edited))
    application.add_handler(MessageHandler(filters.COMMAND, h.unknown_command))
    application.add_handler(MessageHandler(filters.TEXT, h.text_message))
    application.add_handler(MessageHandler(filters.VOICE, h.voice))
    application.add_handler(MessageHandler(filters.ALL, h.not_text))
    application.add_error_handler(h.on_error)


def create(settings: Settings, *, rate_limit: bool = True) -> Application:
    """Load personas, open the database and build the application."""
    personas = load_personas(settings.personas_dir, skip_invalid=settings.personas_skip_invalid)
    for error in personas.errors:
        log.warning("event=persona_skipped error=%s", error)
    for lang in LANGUAGES:  # compile lexicons and catalogues now, not on a user's first line
        lexicon(lang)
        translations(lang)
        # The request model takes a second or two to build, and a first line's build
        # would hold every chat (it runs on the event loop).
        requests.scores("", lang)
    routing.warm(personas)
    recall.warm(personas)
    quiet = QuietHours.parse(settings.quiet_hours, settings.time_zone)
    storage = open_database(settings.database)
    rehearsals = Rehearsals(personas, storage, settings.default_language, quiet)
    return build_application(settings, rehearsals, rate_limit=rate_limit)


def run(settings: Settings, *, rate_limit: bool = True) -> int:
    """Serve until stopped; `rate_limit=False` only for benchmarks (`devtools.bench`)."""
    setup_logging(
        settings.log_level,
        secrets=[settings.telegram_token or "", settings.webhook_secret or ""],
        user_text=settings.log_user_text,
    )
    if not settings.telegram_token:
        log.error("event=config_error reason=TELEGRAM_BOT_TOKEN is not set")
        return 2
    try:
        application = create(settings, rate_limit=rate_limit)
    except InvalidPersona as exc:
        for error in exc.errors:
            log.error("event=config_error persona=%s", error)
        print(f"Invalid persona files:\n{exc}", file=sys.stderr)
        return 1
    try:
        if settings.webhook_url:
            log.info(
                "event=start mode=webhook listen=%s port=%s",
                settings.webhook_listen,
                settings.webhook_port,
            )
            asyncio.run(serve_webhook(application, settings))
        else:
            log.info("event=start mode=polling")
            asyncio.run(serve_polling(application))
    except InvalidToken:
        # A configuration error like a bad setting (exit 2): retrying cannot help, and a
        # supervisor told not to restart on 2 (RestartPreventExitStatus=2) will not loop on it.
        log.error("event=stop reason=InvalidToken: Telegram rejected TELEGRAM_BOT_TOKEN")
        return 2
    except TelegramError as exc:
        # setWebhook refused (a URL Telegram will not call, say). One log line, through
        # the formatter that redacts the token.
        log.error("event=stop reason=%s: %s", type(exc).__name__, exc)
        return 1
    except OSError as exc:  # the webhook port is taken, or the address is not ours
        log.error(
            "event=stop reason=cannot listen on %s:%s: %s",
            settings.webhook_listen,
            settings.webhook_port,
            exc.strerror or type(exc).__name__,
        )
        return 1
    return 0


def _stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM (Ctrl-C, systemd, Docker)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def serve_webhook(application: Application, settings: Settings) -> None:
    """The bot's own webhook server (see `webhook.py`: 200 only once an update is
    handled); stops on SIGINT or SIGTERM, letting the updates being handled finish."""
    stop = _stop_on_signals()
    if not await wait_for_telegram(application, stop):
        return
    secret = settings.webhook_secret or secrets.token_urlsafe(32)
    async with application:
        await application.post_init(application)
        await application.start()
        try:
            server = await start_webhook(
                application,
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url=settings.webhook_url or "",
                secret=secret,
            )
            try:
                await stop.wait()
            finally:
                await server.stop()
        finally:
            await application.stop()
            await application.post_shutdown(application)
            log.info("event=stop")


async def serve_polling(application: Application) -> None:
    """Polling with confirm-after-commit (see `polling.py`); stops on SIGINT or SIGTERM."""
    stop = _stop_on_signals()
    if not await wait_for_telegram(application, stop):
        return
    async with application:
        await application.post_init(application)
        await application.start()
        try:
            await poll_updates(application, stop)
        finally:
            await application.stop()
            await application.post_shutdown(application)
            log.info("event=stop")
