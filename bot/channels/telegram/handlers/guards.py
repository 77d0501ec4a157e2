"""Updates the bot does not rehearse with: groups, edits, non-text, unknown commands, errors."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.channels.telegram.handlers.common import Context, send, service, tr
from bot.channels.telegram.handlers.links import private_chat_button
from bot.i18n import translations
from bot.storage.interface import AlreadyHandled, is_transient

log = logging.getLogger(__name__)

#: Seconds an update that finds the storage busy (locked, full, out of reach) is handled
#: again, silently, before the user is told to try again.
STORAGE_WAIT = 60.0


@dataclass
class Attempt:
    """One attempt at an update (`PerChatUpdateProcessor`): whether a storage failure is
    to be kept from the user (`quiet`: the update will be handled again), and which one."""

    quiet: bool
    storage_error: BaseException | None = None


#: The attempt being made, set by the processor around the handlers (same task).
ATTEMPT: ContextVar[Attempt | None] = ContextVar("attempt", default=None)


async def private_only(update: Update, context: Context) -> None:
    """In groups: one polite sentence for commands, silence otherwise."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    message = update.effective_message
    if message and message.text and message.text.startswith("/"):
        _ = tr(update, context)
        await chat.send_message(
            _("I only work in private chats: open a conversation with me to rehearse."),
            reply_markup=private_chat_button(update, context),
        )
    raise ApplicationHandlerStop


async def edited(update: Update, context: Context) -> None:
    _ = tr(update, context)
    await send(
        update, _("Edits are not taken into account: send your corrected line as a new message.")
    )


async def not_text(update: Update, context: Context) -> None:
    _ = tr(update, context)
    await send(update, _("I can only read text: type what you would say."))


async def unknown_command(update: Update, context: Context) -> None:
    _ = tr(update, context)
    await send(update, _("Unknown command. /help lists what I can do."))


async def on_error(update: object, context: Context) -> None:
    """Log with the chat id and tell the user the truth about what they sent:

    - the update's action was committed (what failed came after it): it was taken, no need
      to send it again;
    - a line typed during a meeting, not committed: the meeting is saved up to the line
      before, so this one is to be sent again;
    - anything else (a command, a button tap), not committed: nothing was changed, try
      again. (Before, a failed `/language` or tap during a meeting was answered "your
      meeting is saved: please send your line again", about a line the user never sent.)
    """
    chat_id = (
        update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
    )
    if isinstance(context.error, AlreadyHandled):  # another replica did it: nothing to say
        log.info("event=duplicate_update chat=%s update=%s", chat_id, context.error.update_id)
        return
    attempt = ATTEMPT.get()
    if attempt is not None and context.error is not None and is_transient(context.error):
        attempt.storage_error = context.error
        if attempt.quiet:  # rolled back whole: it is handled again once the storage is back
            log.warning(
                "event=storage_busy chat=%s error_type=%s", chat_id, type(context.error).__name__
            )
            return
    log.error("event=error chat=%s error=%r", chat_id, context.error, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        try:
            await update.effective_chat.send_message(error_message(update, context))
        except Exception:
            log.warning("event=error_reply_failed chat=%s", chat_id)


def error_message(update: Update, context: Context) -> str:
    """What to tell the user after an error in handling `update` (see `on_error`)."""
    rehearsals = service(context)
    try:
        _ = tr(update, context)
        taken = rehearsals.storage.committed(update.update_id)
        message = update.message
        line = (
            message is not None
            and bool(message.text)
            and not message.text.startswith("/")
            and rehearsals.current(update.effective_chat.id) is not None
        )
    except Exception:  # the database itself may be what failed: then nothing was committed
        _ = translations(rehearsals.default_language).gettext
        taken, line = False, False
    if taken:
        return _(
            "Sorry, something went wrong after your request was taken: no need to send it again."
        )
    if line:
        return _("Sorry, something went wrong. Your meeting is saved: please send your line again.")
    return _("Sorry, something went wrong: nothing was changed. Please try again in a moment.")
