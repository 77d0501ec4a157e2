"""A persona's briefing card with its buttons: shown from the picker and from a deep link."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.channels.telegram.callbacks import Action, Callback
from bot.channels.telegram.formatting import briefing_card
from bot.channels.telegram.handlers.common import Context, lang_of, service
from bot.i18n import translations


def persona_card(
    update: Update, context: Context, persona_id: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The card (who, how you met, where, how long, your goal) and its Begin / Someone else
    buttons, in the user's language; `persona_id` must be a persona the service knows."""
    rehearsals = service(context)
    lang = lang_of(update, context)
    _ = translations(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("▶️ Begin the meeting"),
                    callback_data=Callback(Action.BEGIN, persona_id).encode(),
                )
            ],
            [
                InlineKeyboardButton(
                    _("↩️ Someone else"), callback_data=Callback(Action.LIST).encode()
                )
            ],
        ]
    )
    referred_by = rehearsals.referrer(update.effective_user.id, persona_id)
    return briefing_card(rehearsals.personas[persona_id], lang, referred_by), keyboard
