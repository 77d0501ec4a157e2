"""Replies through the outbox: recorded with the action, sent after its commit, deleted once
Telegram has them, so that a crash loses none.

A handler records what an action answers inside the action's unit of work (`recording`):
the turn, the update's id and the replies are one commit. Then `deliver` sends the chat's
waiting messages in order and deletes each one as soon as Telegram accepted it. What a
crash (or a Telegram outage) leaves behind is sent at the next start and by a periodic
job (`drain`), under the chat's lock, so it never overtakes nor doubles a reply being sent.

Replicas on one database: a message is its writer's to send while the writer lives (the
job renews its claims every `CHECK_SECONDS`); a dead writer's messages can be claimed by
any replica `LEASE` seconds after its last renewal. A chat's messages go strictly in
order: a delivery stops at the first message another live process holds, and the rest
wait for it (so a replica's kill delays that chat's replies by up to `LEASE`, and loses
none). A single process on its own file (SQLite) adopts everything at start instead.

The one window left: a kill after Telegram accepted a message and before its row was
deleted shows that one message twice after the restart (at-least-once). A send whose
answer timed out is counted as delivered (Telegram nearly always carried it out; sending
it again would show it twice), unless the request provably never left (no connection).

Recording costs one insert per message in the action's own transaction, and delivering one
delete per message: no call to Telegram is added.

What goes through it: every reply to an action that writes, new messages and edits in place
alike (`Replies.edit`, `Replies.buttons`: the answer to a tap that changed a preference,
the buttons a tap used up), and the reminders (marked sent in the commit that queues them).
Edits are idempotent, so the window above costs nothing for them: the same edit sent again
is "not modified". Sent directly: the answers to what writes nothing (help, lists, cards,
panels), the toast of a tap (a callback query can be answered once, within seconds) and the
chat's command menu (the same call twice sets the same menu).
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from telegram import InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError, TimedOut
from telegram.ext import Application

from bot.channels.telegram import pictures
from bot.charts import scorecard_png
from bot.engine.coach import Feedback
from bot.engine.personas import Persona
from bot.rehearsals import Caller, Rehearsals
from bot.storage.records import Outgoing

log = logging.getLogger(__name__)

#: Seconds a message stays its writer's after the writer's last sign of life (`renew`):
#: after that, a dead writer's messages may be claimed by another process.
LEASE = 30.0
#: How often claims are renewed and waiting messages looked for
#: (`bot_data["outbox_check_seconds"]`); well below `LEASE`.
CHECK_SECONDS = 5.0
#: A message recorded less than this long ago is its handler's to send, not the job's.
SETTLE_SECONDS = 2.0


@dataclass
class Replies:
    """The messages an action answers with, in order, as the outbox stores them (JSON)."""

    chat_id: int
    messages: list[dict[str, Any]] = field(default_factory=list)

    def text(
        self, text: str, *, keyboard: InlineKeyboardMarkup | None = None, silent: bool = False
    ) -> None:
        """A message in HTML (user text escaped by the caller), with its buttons."""
        self.messages.append(
            {"text": text, "keyboard": keyboard.to_dict() if keyboard else None, "silent": silent}
        )

    def edit(
        self, message_id: int | None, text: str, keyboard: InlineKeyboardMarkup | None = None
    ) -> None:
        """Replace the text (HTML) and buttons of the chat's message `message_id` (the one
        whose button was tapped). Idempotent, so sending it again after a kill is harmless:
        the same edit twice leaves the message as once (Telegram answers "not modified").
        A message Telegram will not edit any more (too old, deleted) gets it as a new one,
        as does a tap whose message Telegram did not give (`message_id` None)."""
        if message_id is None:
            self.text(text, keyboard=keyboard)
            return
        self.messages.append(
            {"edit": message_id, "text": text, "keyboard": keyboard.to_dict() if keyboard else None}
        )

    def buttons(self, message_id: int | None, keyboard: InlineKeyboardMarkup | None) -> None:
        """Replace the buttons of the chat's message `message_id` (None: remove them), so a
        tap that acted cannot act again; idempotent, and a message too old or already bare
        (or not given: `message_id` None) is left as it is."""
        if message_id is None:
            return
        self.messages.append(
            {"buttons": message_id, "keyboard": keyboard.to_dict() if keyboard else None}
        )

    def scorecard(
        self,
        feedback: Feedback,
        persona: Persona,
        lang: str,
        *,
        exam: bool,
        caption: str,
        keyboard: InlineKeyboardMarkup | None = None,
    ) -> None:
        """The scorecard picture, drawn when it is sent (from what is stored here), silent."""
        self.messages.append(
            {
                "scorecard": {
                    "feedback": feedback.to_json(),
                    "persona": persona.id,
                    "lang": lang,
                    "exam": exam,
                },
                "caption": caption,
                "keyboard": keyboard.to_dict() if keyboard else None,
                "silent": True,
            }
        )


def rehearsals_of(application: Application) -> Rehearsals:
    return application.bot_data["rehearsals"]


@contextmanager
def recording(application: Application, who: Caller) -> Iterator[Replies]:
    """One unit of work for the service calls made inside and the replies recorded: both
    committed together (with the update's id), or neither.

    Nothing inside may await: on SQLite every task shares the one connection, and another
    chat's action would join this transaction.
    """
    replies = Replies(who.chat_id)
    with rehearsals_of(application).action(who) as unit:
        yield replies
        if replies.messages:
            unit.outbox.add(who.chat_id, replies.messages, LEASE)


#: Messages Telegram accepted whose row could not be deleted (the database failed): kept
#: in memory so that they are deleted, not sent again, once the database is back.
_unmarked: set[int] = set()


async def deliver(application: Application, chat_id: int) -> bool:
    """Send the chat's waiting messages, oldest first, each deleted once Telegram accepted
    it; the caller holds the chat's lock. False when some are left for later (Telegram or
    the database failed, or another live process holds an earlier message of the chat):
    the periodic job tries again, in order."""
    storage = rehearsals_of(application).storage
    with storage.read() as unit:
        waiting = unit.outbox.of_chat(chat_id)
        mine = unit.outbox.owner
    for item in waiting:
        if item.id not in _unmarked:
            if not _ours(item, mine):  # a dead process's (or not ours yet): claim it first
                with storage.write() as unit:
                    if not unit.outbox.claim(item.id, LEASE):
                        return False  # another live process holds it: the rest waits
            if not await _send_one(application, item):
                return False
        try:
            with storage.write() as unit:
                unit.outbox.sent(item.id)
        except Exception as exc:
            _unmarked.add(item.id)
            log.error(
                "event=outbox_mark_failed chat=%s message=%s error_type=%s",
                chat_id,
                item.id,
                type(exc).__name__,
            )
            return False
        _unmarked.discard(item.id)
    return True


def _ours(item: Outgoing, owner: str) -> bool:
    """The message is this process's, with more than half its lease left: nobody else can
    claim it before it is sent (the lease is renewed meanwhile), so no claim is needed."""
    return item.owner == owner and item.claimed_until - time.time() > LEASE / 2


async def _send_one(application: Application, item: Outgoing) -> bool:
    """Send one message; True when it is done with (delivered, or refused for good)."""
    try:
        await _send(application, item)
    except (Forbidden, BadRequest) as exc:  # blocked by the user, or a message Telegram refuses
        log.warning("event=outbox_dropped chat=%s message=%s error=%r", item.chat_id, item.id, exc)
    except TimedOut as exc:
        if never_left(exc):
            log.warning(
                "event=outbox_retry chat=%s message=%s error=%r", item.chat_id, item.id, exc
            )
            return False
        # The answer was lost, not necessarily the message: at most once, not twice.
        log.warning("event=outbox_unconfirmed chat=%s message=%s", item.chat_id, item.id)
    except TelegramError as exc:
        log.warning("event=outbox_retry chat=%s message=%s error=%r", item.chat_id, item.id, exc)
        return False
    return True


def never_left(exc: TimedOut) -> bool:
    """The request provably did not reach Telegram: no connection was made or free."""
    cause = exc.__cause__
    return isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout)


async def _send(application: Application, item: Outgoing) -> None:
    message, bot = item.message, application.bot
    keyboard = message.get("keyboard")
    silent = bool(message.get("silent"))
    if "edit" in message or "buttons" in message:
        markup = InlineKeyboardMarkup.de_json(keyboard, bot) if keyboard else None
        await _edit(application, item, markup)
        return
    card = message.get("scorecard")
    picture = None if card is None else await _draw(application, card)
    if picture is None:  # a text, or a scorecard that cannot be drawn: its caption still goes
        text = message["text"] if card is None else message["caption"]
        await _send_text(application, item.chat_id, text, keyboard, silent)
        return
    markup = InlineKeyboardMarkup.de_json(keyboard, bot) if keyboard else None
    await bot.send_photo(
        item.chat_id,
        InputFile(io.BytesIO(picture), filename="scorecard.png"),
        caption=message["caption"],
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        disable_notification=silent,
    )


async def _send_text(
    application: Application,
    chat_id: int,
    text: str,
    keyboard: dict[str, Any] | None,
    silent: bool,
) -> None:
    """A text message, nearly every reply: the call `bot.send_message` makes (the same
    parameters, in its order, through the same rate limiter and errors), made with the
    keyboard as stored, already in the Bot API's shape. `send_message` would rebuild the
    keyboard as objects only to serialise it back, and read Telegram's answer into a
    `Message` that nothing here reads: 0.1 to 0.2 ms of processor time per reply, as much
    as the rest of its sending in the bot's own code. `_post` is the library's one call
    behind every method (the polling uses it too, for `getUpdates`)."""
    data: dict[str, Any] = {
        "chat_id": chat_id,
        "text": text,
        "disable_notification": silent,
        "parse_mode": ParseMode.HTML,
    }
    if keyboard:
        data["reply_markup"] = keyboard
    await application.bot._post("sendMessage", data)


async def _edit(application: Application, item: Outgoing, markup: InlineKeyboardMarkup | None):
    """An edit in place (`Replies.edit`, `Replies.buttons`). An edit sent again after a
    kill (at-least-once, as every message) is "not modified": done, not an error."""
    message, bot = item.message, application.bot
    try:
        if "buttons" in message:
            await bot.edit_message_reply_markup(
                item.chat_id, message["buttons"], reply_markup=markup
            )
        else:
            await bot.edit_message_text(
                message["text"],
                item.chat_id,
                message["edit"],
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
    except BadRequest as exc:  # unchanged (an edit done already), too old, or deleted
        if "not modified" in str(exc).lower() or "buttons" in message:
            log.info("event=outbox_edit_skipped chat=%s error=%r", item.chat_id, exc)
            return
        await bot.send_message(
            item.chat_id, message["text"], parse_mode=ParseMode.HTML, reply_markup=markup
        )


async def _draw(application: Application, card: dict[str, Any]) -> bytes | None:
    persona = rehearsals_of(application).personas.personas.get(card["persona"])
    if persona is None:
        return None
    try:
        return await pictures.draw(
            scorecard_png,
            Feedback.from_json(card["feedback"]),
            persona,
            card["lang"],
            exam=card["exam"],
        )
    except Exception as exc:  # a broken worker pool, a bad stored value
        log.error("event=scorecard_failed error_type=%s", type(exc).__name__, exc_info=exc)
        return None


@asynccontextmanager
async def chat_lock(application: Application, chat_id: int) -> AsyncIterator[None]:
    """The chat's lock of the per-chat processor (updates and deliveries take turns)."""
    lock = getattr(application.update_processor, "chat", None)
    if lock is None:
        yield
        return
    async with lock(chat_id):
        yield


async def drain(application: Application, *, settle: float = SETTLE_SECONDS) -> None:
    """Renew this process's claims (it is alive), then start sending what is waiting in
    every chat (chats side by side, each in order): what failed to send, what a dead
    process left once its claim ran out. Sending is not awaited: a chat held by flood
    control must not hold the next renewal."""
    with rehearsals_of(application).storage.write() as unit:
        unit.outbox.renew(LEASE)
        chats = unit.outbox.chats(settle)
    started = send_soon(application, chats)
    if started:
        log.info("event=outbox_drain chats=%d", started)


def send_soon(application: Application, chats: list[int]) -> int:
    """Start delivering the chats' waiting messages (chats side by side, each in order under
    its lock), not awaited; a chat already being drained is left to that delivery. Returns
    how many deliveries were started."""
    busy: set[int] = application.bot_data.setdefault("outbox_draining", set())
    chats = sorted({chat for chat in chats if chat not in busy})
    for chat in chats:
        busy.add(chat)
        task = asyncio.ensure_future(_drain_chat(application, chat))
        task.add_done_callback(lambda done, chat=chat: _drained(busy, chat, done))
    return len(chats)


async def send_in_turn(application: Application, chats: list[int]) -> None:
    """Deliver the chats' waiting messages one chat after the other, awaited (the
    reminders): at most one message is in flight, so a kill can show at most one twice
    (the window above), where chats side by side could each show one. The chats are marked
    busy meanwhile, so the periodic job does not start them side by side."""
    busy: set[int] = application.bot_data.setdefault("outbox_draining", set())
    mine = [chat for chat in dict.fromkeys(chats) if chat not in busy]
    busy.update(mine)
    try:
        for chat in mine:
            try:
                await _drain_chat(application, chat)
            finally:
                busy.discard(chat)
    finally:
        busy.difference_update(mine)


def _drained(busy: set[int], chat_id: int, task: asyncio.Future[Any]) -> None:
    busy.discard(chat_id)
    if not task.cancelled() and task.exception() is not None:
        exc = task.exception()
        log.error("event=outbox_drain_failed chat=%s error_type=%s", chat_id, type(exc).__name__)


async def _drain_chat(application: Application, chat_id: int) -> None:
    async with chat_lock(application, chat_id):
        await deliver(application, chat_id)


def start(application: Application) -> asyncio.Future[Any] | None:
    """At start, on a database this process has to itself: what the previous process left
    unsent becomes this one's (rather than once its claim runs out) and its delivery
    begins, a task per chat created now, so that each takes its chat's lock before that
    chat's first update. On a shared database the other replicas' messages are theirs:
    the periodic job takes a dead one's once its claim ran out. None when there is
    nothing to do, or the database cannot be read now (the periodic job sends it later)."""
    storage = rehearsals_of(application).storage
    if getattr(storage, "shared", False):
        return None
    try:
        with storage.write() as unit:
            adopted = unit.outbox.adopt(LEASE)
            chats = unit.outbox.chats(0.0)
    except Exception as exc:
        log.error("event=outbox_start_failed error_type=%s", type(exc).__name__)
        return None
    if adopted:
        log.info("event=outbox_adopted messages=%d chats=%d", adopted, len(chats))
    tasks = [asyncio.ensure_future(_drain_chat(application, chat)) for chat in chats]
    return asyncio.gather(*tasks, return_exceptions=True) if tasks else None
