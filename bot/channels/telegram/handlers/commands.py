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
from bot.channels.telegram.formatting import shorten
from bot.channels.telegram.handlers.common import Context, lang_of, send, service, tr
from bot.channels.telegram.handlers.links import open_link, unknown_link_note
from bot.i18n import LANGUAGES, N_, translations
from bot.typography import curly

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
    "settings": N_("Your preferences: language, hints, reminders"),
    "help": N_("What this bot does and its commands"),
}
#: The commands in Telegram's menu: what a user reaches for. The others (steps' helpers
#: such as /skip, single preferences gathered in /settings, the data commands) stay
#: available and listed by /help.
MENU = ("start", "personas", "end", "undo", "exam", "history", "network", "settings", "help")
LANGUAGE_NAMES = {"fr": "🇫🇷 Français", "en": "🇬🇧 English"}


def menu_commands(lang: str) -> list[BotCommand]:
    """The command menu in `lang`."""
    _ = translations(lang).gettext
    return [BotCommand(name, _(COMMANDS[name])) for name in MENU]


async def set_commands(application) -> None:
    """Register the command menu in each language (shown per the user's `language_code`)."""
    for lang in (None, *LANGUAGES):
        await application.bot.set_my_commands(
            menu_commands(lang or "fr"), scope=BotCommandScopeAllPrivateChats(), language_code=lang
        )


#: Characters of the sector in a picker label; a phone shows about 35 of a whole label.
SECTOR_CHARS = 40


def picker_sector(sector: str, lang: str) -> str:
    """The sector as a picker label shows it: before any colon's detail, and short. Stars and
    name come first in the label, so what a phone cuts is the end of the sector, never the
    difficulty; the sector is what job seekers choose by."""
    return shorten(curly(sector.split(":")[0].strip(), lang), SECTOR_CHARS)


def persona_keyboard(update: Update, context: Context) -> InlineKeyboardMarkup:
    lang = lang_of(update, context)
    rows = [
        [
            InlineKeyboardButton(
                f"{stars(p.difficulty)} {p.name} · {picker_sector(p.sector.get(lang), lang)}",
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
    """Welcome, what a networking interview is, and the persona picker; `/start <persona>`
    (a deep link) shows that persona's card instead."""
    if await open_link(update, context):
        return
    _ = tr(update, context)
    ongoing = meeting_in_progress(update, context)
    note = unknown_link_note(update, context)
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
        + (f"<i>{note}</i>\n\n" if note else "")
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
