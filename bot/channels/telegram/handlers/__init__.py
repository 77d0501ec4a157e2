"""Telegram handlers by feature; each turns an update into a service call and its result
into messages. Every text goes through the catalogues, every user text is HTML-escaped."""

from bot.channels.telegram.handlers.account import export, forget, history, network
from bot.channels.telegram.handlers.aftercare import notes, reminders_command, skip
from bot.channels.telegram.handlers.buttons import button
from bot.channels.telegram.handlers.commands import (
    COMMANDS,
    help_command,
    language,
    personas,
    set_commands,
    start,
)
from bot.channels.telegram.handlers.guards import (
    edited,
    not_text,
    on_error,
    private_only,
    unknown_command,
)
from bot.channels.telegram.handlers.meeting import cancel, coach, end, exam, text_message, undo
from bot.channels.telegram.handlers.preferences import settings_command
from bot.channels.telegram.handlers.voice import voice

__all__ = [
    "COMMANDS",
    "button",
    "cancel",
    "coach",
    "edited",
    "end",
    "exam",
    "export",
    "forget",
    "help_command",
    "history",
    "language",
    "network",
    "not_text",
    "notes",
    "on_error",
    "personas",
    "private_only",
    "reminders_command",
    "set_commands",
    "settings_command",
    "skip",
    "start",
    "text_message",
    "undo",
    "unknown_command",
    "voice",
]
