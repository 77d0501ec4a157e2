"""Inline keyboard taps, decoded by the callback codec; anything else gets a polite answer.

A tap that writes (remind me, forget, a language) records its edit in place in the outbox
with its action, so a kill after the commit loses no answer. What is not queued: the
toast (`answerCallbackQuery`: a query expires within seconds and can be answered once;
after a kill the redelivered tap is answered, or the stale query's error ignored) and the
chat's command menu (`setMyCommands` for the chat: the same call twice sets the same menu;
a kill right after the commit leaves the menu in the old language until the next choice).
"""

from __future__ import annotations

from telegram import Update

from bot.channels.telegram import outbox
from bot.channels.telegram.callbacks import Action, decode
from bot.channels.telegram.handlers.aftercare import step_button
from bot.channels.telegram.handlers.cards import persona_card
from bot.channels.telegram.handlers.commands import persona_keyboard
from bot.channels.telegram.handlers.common import (
    Context,
    answer,
    caller,
    edit_or_send,
    lang_of,
    service,
    tapped,
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
        if tap.meeting_id is None:  # writes nothing
            await answer(update)
            await edit_or_send(update, _("No reminder. /reminders on to change your mind."), None)
            return
        with outbox.recording(context.application, who) as out:
            reminded = rehearsals.remind(who, tap.meeting_id)
            if reminded:
                out.edit(
                    tapped(update),
                    _("Done: a reminder tomorrow and one in two weeks (never at night)."),
                )
        if not reminded:
            await answer(update, _("This button is no longer active."))
            return
        await answer(update)
        await outbox.deliver(context.application, who.chat_id)
    elif tap.action is Action.FORGET:
        verdict, _sep, asked = tap.value.partition(".")
        if asked:  # answer in the question's language, even once the preference is gone
            _ = translations(asked).gettext
        if verdict != "yes":  # writes nothing
            await answer(update)
            await edit_or_send(update, _("Nothing was deleted."), None)
            return
        with outbox.recording(context.application, who) as out:
            deleted = rehearsals.forget(who)
            if deleted is None:  # a second tap: deleted already
                out.buttons(tapped(update), None)
            else:
                out.edit(tapped(update), _("Done: everything about you has been deleted."))
        if deleted is None:
            await answer(update, _("Already done: nothing is stored about you."))
        else:  # the chat's own menu, set by /language or /settings, goes too
            await answer(update)
            await clear_chat_menu(context.bot, who.chat_id)
        await outbox.deliver(context.application, who.chat_id)
    elif tap.action is Action.SETTING:
        await settings_tap(update, context, tap.value)
    else:  # Action.LANG
        with outbox.recording(context.application, who) as out:
            rehearsals.set_language(who, tap.value)
            _ = translations(tap.value).gettext
            out.edit(tapped(update), _("Language: English."))
        await set_chat_menu(context.bot, who.chat_id, tap.value)
        await answer(update)
        await outbox.deliver(context.application, who.chat_id)
