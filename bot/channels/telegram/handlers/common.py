"""What every handler needs: the service, who is acting, their language, and sending."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.i18n import translations
from bot.rehearsals import Caller, Rehearsals

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

#: Seconds a reply may take before the chat shows "typing…" (`bot_data["typing_after"]`).
TYPING_AFTER = 1.0


def service(context: Context) -> Rehearsals:
    return context.application.bot_data["rehearsals"]


def caller(update: Update) -> Caller:
    """The user and chat of an update, and its id (recorded with the action's writes)."""
    user, chat = update.effective_user, update.effective_chat
    return Caller(
        user_id=user.id if user else chat.id,
        chat_id=chat.id,
        language_code=user.language_code if user else None,
        update_id=update.update_id,
    )


def lang_of(update: Update, context: Context) -> str:
    user = update.effective_user
    if user is None:
        return service(context).default_language
    return service(context).prefs(user.id, user.language_code).lang or "fr"


def tr(update: Update, context: Context):
    return translations(lang_of(update, context)).gettext


async def send(update: Update, text: str, **kwargs) -> None:
    await update.effective_chat.send_message(text, parse_mode=ParseMode.HTML, **kwargs)


async def answer(update: Update, text: str | None = None) -> None:
    """Acknowledge a button tap; a query that is already answered or too old is not an error.

    After a crash a tap can be delivered again once its query was already answered: the
    action must still happen.
    """
    try:
        await update.callback_query.answer(text)
    except BadRequest as exc:
        log.info("event=callback_answer_failed error=%r", exc)


def tapped(update: Update) -> int | None:
    """The id of the message whose button was tapped (None: Telegram did not give it)."""
    message = update.callback_query.message if update.callback_query else None
    return message.message_id if message is not None else None


async def edit_or_send(update: Update, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Edit the tapped message in place, directly: only for taps that write nothing (a
    persona's card, the picker, "no reminder", "keep my meeting"). A kill before it just
    leaves the old message, and the redelivered tap edits it then; an edit done twice is
    the same message ("not modified"). A tap that writes records its edit in the outbox
    with its action instead (`outbox.Replies.edit`), so a kill after the commit loses
    nothing."""
    try:
        await update.callback_query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=keyboard
        )
    except BadRequest as exc:  # message too old, deleted, or unchanged
        if "not modified" in str(exc).lower():
            return
        await send(update, text, reply_markup=keyboard)


async def drop_buttons(update: Update) -> None:
    """Remove the keyboard of the message whose button was tapped, so that it cannot start
    or skip anything a second time; a message too old or already bare is not an error.
    Direct, for what precedes an action or writes nothing (removing buttons twice is
    harmless); after an action, `outbox.Replies.buttons` records it with the action."""
    try:
        await update.callback_query.edit_message_reply_markup(None)
    except BadRequest as exc:
        log.info("event=drop_buttons_failed error=%r", exc)


@asynccontextmanager
async def typing_when_slow(
    update: Update, context: Context, action: str = ChatAction.TYPING
) -> AsyncIterator[None]:
    """Show "typing…" only when what the block awaits (a reply held by the rate limiter or a
    retry, a picture being drawn) is not done after `TYPING_AFTER` seconds: a reply ready in
    milliseconds needs no indicator, and one per line would be a third of all calls.

    A timer, not a sleeping task: nearly every block ends first, and cancelling a timer
    costs nothing, where a task is created, started and woken to be cancelled for each line.
    """
    delay = context.application.bot_data.get("typing_after", TYPING_AFTER)
    shown: list[asyncio.Task[None]] = []  # the call, once the timer fired (kept referenced)

    async def show() -> None:
        try:
            await update.effective_chat.send_action(action)
        except TelegramError as exc:  # cosmetic: never worth failing the reply for
            log.info("event=chat_action_failed error=%r", exc)

    timer = asyncio.get_running_loop().call_later(
        delay, lambda: shown.append(asyncio.ensure_future(show()))
    )
    try:
        yield
    finally:
        timer.cancel()
        for task in shown:
            task.cancel()
