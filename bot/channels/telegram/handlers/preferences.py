"""`/settings`: the user's preferences in one message (language, coach hints, reminders and
their quiet hours), with a button to change each; a tap edits the message in place."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.channels.telegram import outbox
from bot.channels.telegram.callbacks import Action, Callback
from bot.channels.telegram.handlers.commands import LANGUAGE_NAMES
from bot.channels.telegram.handlers.common import Context, answer, caller, send, service, tapped
from bot.channels.telegram.handlers.profile import set_chat_menu
from bot.i18n import translations
from bot.reminders import QuietHours


def panel(update: Update, context: Context) -> tuple[str, InlineKeyboardMarkup]:
    """The preferences as they are stored now, and the buttons that change them."""
    rehearsals = service(context)
    who = caller(update)
    prefs = rehearsals.prefs(who.user_id, who.language_code)
    lang = prefs.lang or rehearsals.default_language
    reminders_on, pending = rehearsals.reminders(who.user_id)
    quiet: QuietHours = context.application.bot_data["quiet_hours"]
    _ = translations(lang).gettext
    on, off = _("on"), _("off")
    lines = [
        "⚙️ <b>" + _("Your settings") + "</b>",
        "",
        "🌐 " + _("Language: {language}").format(language=LANGUAGE_NAMES[lang].split(" ", 1)[1]),
        "💡 "
        + _("Coach hints: {state} (during meetings, never in an exam)").format(
            state=on if prefs.hints_on else off
        ),
        "⏰ "
        + _("Reminders after a meeting: {state}, {count} pending").format(
            state=on if reminders_on else off, count=pending
        ),
    ]
    if reminders_on and quiet.start != quiet.end:
        lines.append(
            "🌙 "
            + _("Never sent between {start}:00 and {end}:00 ({zone})").format(
                start=quiet.start, end=quiet.end, zone=quiet.zone
            )
        )
    lines += ["", _("Your data: /export downloads it, /forget deletes it.")]
    rows = [
        [
            InlineKeyboardButton(name, callback_data=Callback(Action.SETTING, code).encode())
            for code, name in LANGUAGE_NAMES.items()
            if code != lang
        ],
        [
            InlineKeyboardButton(
                _("💡 Turn coach hints off") if prefs.hints_on else _("💡 Turn coach hints on"),
                callback_data=Callback(Action.SETTING, "hints").encode(),
            )
        ],
        [
            InlineKeyboardButton(
                _("⏰ Turn reminders off") if reminders_on else _("⏰ Turn reminders on"),
                callback_data=Callback(Action.SETTING, "reminders").encode(),
            )
        ],
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def settings_command(update: Update, context: Context) -> None:
    """The preferences in one place, with buttons to change them."""
    text, keyboard = panel(update, context)
    await send(update, text, reply_markup=keyboard)


async def settings_tap(update: Update, context: Context, value: str) -> None:
    """Change one preference, then show the panel again in its new state (and language):
    the change and the panel's edit are one commit (the outbox sends the edit)."""
    rehearsals = service(context)
    who = caller(update)
    with outbox.recording(context.application, who) as out:
        if value == "hints":
            rehearsals.toggle_hints(who)
        elif value == "reminders":
            on, _pending = rehearsals.reminders(who.user_id)
            rehearsals.set_reminders(who, not on)
        else:
            rehearsals.set_language(who, value)
        text, keyboard = panel(update, context)
        out.edit(tapped(update), text, keyboard)
    if value not in ("hints", "reminders"):
        await set_chat_menu(context.bot, who.chat_id, value)
    await answer(update)
    await outbox.deliver(context.application, who.chat_id)
