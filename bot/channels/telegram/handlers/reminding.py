"""The button under a reminder: meet the persona it invites to meet next, in one tap."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.telegram.callbacks import Action, Callback
from bot.i18n import translations
from bot.rehearsals import Rehearsals
from bot.storage.records import Reminder


def reminder_keyboard(rehearsals: Rehearsals, reminder: Reminder) -> InlineKeyboardMarkup | None:
    """ "Meet <referral>" once the referral was given, else "Rehearse with <host>"; None
    when the meeting or its persona is gone (the reminder still goes, without a button)."""
    invited = rehearsals.reminder_invites(reminder)
    if invited is None:
        return None
    persona, lang, referral = invited
    _ = translations(lang).gettext
    label = _("▶️ Meet {name}") if referral else _("▶️ Rehearse with {name}")
    button = InlineKeyboardButton(
        label.format(name=persona.name),
        callback_data=Callback(Action.BEGIN, persona.id).encode(),
    )
    return InlineKeyboardMarkup([[button]])
