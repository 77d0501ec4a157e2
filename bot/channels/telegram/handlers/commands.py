"""The command menu, the welcome, help, the persona picker and the language menu."""

from __future__ import annotations

from html import escape

from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)

from bot.channels import stars
from bot.channels.telegram.callbacks import Action, Callback
from bot.channels.telegram.handlers.common import Context, lang_of, send, service, tr
from bot.i18n import LANGUAGES, N_, translations

COMMANDS = {
    "start": N_("Welcome and choose someone to meet"),
    "personas": N_("Choose who to meet"),
    "end": N_("End the meeting and get your feedback"),
    "cancel": N_("Abandon the meeting without feedback"),
    "undo": N_("Take back your last line and try again"),
    "exam": N_("Exam: a persona drawn at random, no hints"),
    "coach": N_("Turn live coach hints on or off"),
    "history": N_("Your past rehearsals and progress"),
    "language": N_("Français / English"),
    "network": N_("The people you have met and those recommended to you"),
    "reminders": N_("After-meeting reminders: on or off"),
    "notes": N_("Your notes of past meetings"),
    "skip": N_("Skip the notes or the thank-you step"),
    "export": N_("Download all your data (JSON file)"),
    "forget": N_("Delete all your data"),
    "help": N_("What this bot does and its commands"),
}
LANGUAGE_NAMES = {"fr": "🇫🇷 Français", "en": "🇬🇧 English"}


async def set_commands(application) -> None:
    """Register the command menu in each language (shown per the user's `language_code`)."""
    for lang in (None, *LANGUAGES):
        _ = translations(lang or "fr").gettext
        commands = [BotCommand(name, _(text)) for name, text in COMMANDS.items()]
        await application.bot.set_my_commands(
            commands, scope=BotCommandScopeAllPrivateChats(), language_code=lang
        )


def persona_keyboard(update: Update, context: Context) -> InlineKeyboardMarkup:
    lang = lang_of(update, context)
    rows = [
        [
            InlineKeyboardButton(
                f"{p.name} · {p.role.get(lang)} · {stars(p.difficulty)}",
                callback_data=Callback(Action.PERSONA, p.id).encode(),
            )
        ]
        for p in service(context).personas.speaking(lang)
    ]
    return InlineKeyboardMarkup(rows)


def meeting_in_progress(update: Update, context: Context) -> str:
    """A line on the meeting in progress and how to go on or end it ("" when none): the
    picker alone would let the user think it is gone."""
    entry = service(context).current(update.effective_chat.id)
    if entry is None:
        return ""
    _ = tr(update, context)
    return "⏳ " + _(
        "Your meeting with {name} is in progress: type your next line to go on, or /end "
        "for your feedback."
    ).format(name=escape(entry[1].persona.name))


async def start(update: Update, context: Context) -> None:
    """Welcome, what a networking interview is, and the persona picker."""
    _ = tr(update, context)
    ongoing = meeting_in_progress(update, context)
    name = escape(update.effective_user.first_name or "") if update.effective_user else ""
    await send(
        update,
        _("Hello {name}! I help you rehearse networking interviews.").format(name=name)
        + "\n\n"
        + _(
            "A networking interview is a meeting you ask for to learn about a job or a sector "
            "from someone who works there. You lead it: you ask, listen, give back, and leave "
            "with new contacts — not with a job offer."
        )
        + "\n\n"
        + (ongoing + "\n\n" if ongoing else "")
        + _("Choose who you will meet:"),
        reply_markup=persona_keyboard(update, context),
    )


async def personas(update: Update, context: Context) -> None:
    """The persona picker."""
    _ = tr(update, context)
    ongoing = meeting_in_progress(update, context)
    question = _("Who do you want to meet?")
    await send(
        update,
        f"{ongoing}\n\n{question}" if ongoing else question,
        reply_markup=persona_keyboard(update, context),
    )


async def help_command(update: Update, context: Context) -> None:
    """What the bot does, and the commands."""
    _ = tr(update, context)
    lines = [
        _(
            "I play people you could meet for a networking interview, and a coach tells you "
            "what went well and what to change."
        ),
        "",
        *[f"/{name} — {escape(_(text))}" for name, text in COMMANDS.items()],
        "",
        _("During a meeting, just type what you would say."),
    ]
    await send(update, "\n".join(lines))


async def language(update: Update, context: Context) -> None:
    """Choose French or English."""
    _ = tr(update, context)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(name, callback_data=Callback(Action.LANG, code).encode())]
            for code, name in LANGUAGE_NAMES.items()
        ]
    )
    await send(update, _("Choose your language:"), reply_markup=keyboard)
