"""Inline keyboard taps, decoded by the callback codec; anything else gets a polite answer."""

from __future__ import annotations

from telegram import Update

from bot.channels.telegram.callbacks import Action, decode
from bot.channels.telegram.handlers.aftercare import step_button
from bot.channels.telegram.handlers.cards import persona_card
from bot.channels.telegram.handlers.commands import persona_keyboard
from bot.channels.telegram.handlers.common import (
    Context,
    answer,
    caller,
    drop_buttons,
    edit_or_send,
    lang_of,
    service,
    tr,
)
from bot.channels.telegram.handlers.meeting import begin, control_tap, keep
from bot.channels.telegram.handlers.preferences import settings_tap
from bot.channels.telegram.handlers.profile import clear_chat_menu, set_chat_menu
from bot.i18n import translations


async def button(update: Update, context: Context) -> None:
    """Inline keyboard taps; data from an old or forged keyboard gets a polite answer."""
    _ = tr(update, context)
    tap = decode(update.callback_query.data)
    rehearsals = service(context)
    persona_id = None
    if tap is not None and tap.action in (Action.PERSONA, Action.BEGIN):
        persona_id = tap.value
    elif tap is not None and tap.action is Action.SWITCH:
        persona_id = tap.fields[1] or None  # none: an exam
    if tap is None or (
        persona_id is not None
        and (
            persona_id not in rehearsals.personas
            or not rehearsals.personas[persona_id].speaks(lang_of(update, context))
        )
    ):
        await answer(update, _("This button is no longer active."))
        return
    who = caller(update)
    if tap.action is Action.PERSONA:
        await answer(update)
        card, keyboard = persona_card(update, context, tap.value)
        await edit_or_send(update, card, keyboard)
    elif tap.action is Action.BEGIN:
        await begin(update, context, tap.value)
    elif tap.action is Action.SWITCH:
        await begin(update, context, persona_id, abandon=tap.meeting_id)
    elif tap.action is Action.KEEP:
        await keep(update, context)
    elif tap.action is Action.AFTER:
        what, stage, _meeting = tap.fields
        await step_button(update, context, what, stage, tap.meeting_id)
    elif tap.action is Action.CONTROL:
        await control_tap(update, context, tap)
    elif tap.action is Action.LIST:
        await answer(update)
        await edit_or_send(update, _("Who do you want to meet?"), persona_keyboard(update, context))
    elif tap.action is Action.REMIND:
        if tap.meeting_id is None:
            await answer(update)
            await edit_or_send(update, _("No reminder. /reminders on to change your mind."), None)
        elif rehearsals.remind(who, tap.meeting_id):
            await answer(update)
            await edit_or_send(
                update, _("Done: a reminder tomorrow and one in two weeks (never at night)."), None
            )
        else:
            await answer(update, _("This button is no longer active."))
    elif tap.action is Action.FORGET:
        verdict, _sep, asked = tap.value.partition(".")
        if asked:  # answer in the question's language, even once the preference is gone
            _ = translations(asked).gettext
        if verdict != "yes":
            await answer(update)
            await edit_or_send(update, _("Nothing was deleted."), None)
        elif rehearsals.forget(who) is None:  # a second tap: deleted already
            await answer(update, _("Already done: nothing is stored about you."))
            await drop_buttons(update)
        else:  # the chat's own menu, set by /language or /settings, goes too
            await answer(update)
            await clear_chat_menu(context.bot, who.chat_id)
            await edit_or_send(update, _("Done: everything about you has been deleted."), None)
    elif tap.action is Action.SETTING:
        await settings_tap(update, context, tap.value)
    else:  # Action.LANG
        rehearsals.set_language(who, tap.value)
        await set_chat_menu(context.bot, who.chat_id, tap.value)
        _ = translations(tap.value).gettext
        await answer(update)
        await edit_or_send(update, _("Language: English."), None)
