"""The bot's public face in Telegram: its description and short description in each
language, and the command menu of a chat whose user chose a language with /language.

Telegram shows the description in an empty chat ("What can this bot do?") and the short
description on the bot's profile and in shared links, in the user's app language.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import Application

from bot.channels.telegram.handlers.commands import menu_commands
from bot.i18n import LANGUAGES, N_, translations

log = logging.getLogger(__name__)

#: At most 512 characters once translated (Telegram's limit).
DESCRIPTION = N_(
    "I help you rehearse networking interviews: the meetings you ask for to learn about a "
    "job or a sector from someone who works there. Choose whom to meet, lead the "
    "conversation as you would, and a coach tells you what went well and what to change; "
    "then practise your notes and your thank-you message. The people are fictional; your "
    "rehearsals stay private, and /forget deletes them."
)
#: At most 120 characters once translated.
SHORT_DESCRIPTION = N_(
    "Rehearse networking interviews with realistic people, and get a coach's feedback."
)


async def set_descriptions(application: Application, default_language: str) -> None:
    """Set both descriptions in every language (and the default for other app languages).

    Telegram limits how often these may change, so a text already in place is not sent
    again; a failure is logged and the bot starts anyway: a description is not worth a
    refusal to serve.
    """
    bot = application.bot
    for lang in (None, *LANGUAGES):
        _ = translations(lang or default_language).gettext
        try:
            current = await bot.get_my_description(language_code=lang)
            if current.description != _(DESCRIPTION):
                await bot.set_my_description(_(DESCRIPTION), language_code=lang)
            short = await bot.get_my_short_description(language_code=lang)
            if short.short_description != _(SHORT_DESCRIPTION):
                await bot.set_my_short_description(_(SHORT_DESCRIPTION), language_code=lang)
        except TelegramError as exc:
            log.warning("event=description_failed lang=%s error=%r", lang or "default", exc)


async def set_chat_menu(bot: Bot, chat_id: int, lang: str) -> None:
    """The command menu of this chat in `lang`, whatever the app's language: the user chose
    it with /language or /settings, so the menu follows the rest of the bot."""
    try:
        await bot.set_my_commands(menu_commands(lang), scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:  # the choice itself is saved; only the menu lags
        log.warning("event=chat_menu_failed chat=%s error=%r", chat_id, exc)


async def clear_chat_menu(bot: Bot, chat_id: int) -> None:
    """Drop the chat's own menu (set by /language or /settings) when the user's data is
    deleted: the chat then shows the menu of the app's language again, as for a newcomer."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:  # the data is deleted; only the menu lags
        log.warning("event=chat_menu_clear_failed chat=%s error=%r", chat_id, exc)
