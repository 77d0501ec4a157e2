"""Inline-button data: a typed codec, so a forged or stale button is rejected in one place.

Telegram gives back whatever string a keyboard carried (at most 64 bytes), and anyone can
forge one: `decode` returns None for anything this bot did not build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import LANGUAGES

MAX_BYTES = 64
_PERSONA_ID = re.compile(r"[a-z0-9_]{1,50}")
#: A meeting id: ASCII digits only (`str.isdigit` accepts "²"), small enough for SQLite.
_MEETING_ID = re.compile(r"[0-9]{1,18}")


class Action(StrEnum):
    PERSONA = "persona"  # show a persona's briefing card
    BEGIN = "begin"  # start the meeting with that persona
    LIST = "list"  # back to the persona picker
    REMIND = "remind"  # reminders for a finished meeting ("no" declines)
    FORGET = "forget"  # confirm ("yes") or decline ("no") deleting everything
    LANG = "lang"  # choose the language
    SETTING = "setting"  # /settings: switch hints or reminders, or choose a language


@dataclass(frozen=True)
class Callback:
    action: Action
    value: str = ""

    def encode(self) -> str:
        data = f"{self.action}:{self.value}"
        if len(data.encode()) > MAX_BYTES or decode(data) != self:
            raise ValueError(f"not a valid button: {data!r}")
        return data

    @property
    def meeting_id(self) -> int | None:
        return int(self.value) if self.action is Action.REMIND and self.value != "no" else None


def _valid(action: Action, value: str) -> bool:
    if action in (Action.PERSONA, Action.BEGIN):
        return _PERSONA_ID.fullmatch(value) is not None
    if action is Action.LIST:
        return value == ""
    if action is Action.REMIND:
        return value == "no" or _MEETING_ID.fullmatch(value) is not None
    if action is Action.FORGET:
        return value in {"yes", "no"}
    if action is Action.SETTING:
        return value in {"hints", "reminders", *LANGUAGES}
    return value in LANGUAGES


def decode(data: str | None) -> Callback | None:
    """The button, or None when the data is not one this bot makes."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    name, sep, value = data.partition(":")
    if not sep or name not in Action._value2member_map_:
        return None
    action = Action(name)
    return Callback(action, value) if _valid(action, value) else None
