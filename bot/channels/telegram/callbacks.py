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
#: The meeting to abandon and the persona to meet instead (none: an exam). Persona ids have
#: at most 41 characters, so 15 digits keep the data within 64 bytes.
_SWITCH = re.compile(r"[0-9]{1,15}\.(?:[a-z0-9_]{1,41})?")
#: What to do ("skip" the step, "done" with after-care), at which step, of which meeting.
_AFTER = re.compile(r"(?:skip|done)\.(?:notes|thanks)\.[0-9]{1,18}")
#: A control during a meeting, of which meeting: the clock, hints on/off, end (asks first),
#: "sure" (end, confirmed), "back" (not ending after all), and undo with the number of lines
#: the meeting had when the button was drawn (a double tap takes back one line, not two).
_CONTROL = re.compile(r"(?:clock|hints|end|sure|back)\.[0-9]{1,18}|undo\.[0-9]{1,18}\.[0-9]{1,6}")


class Action(StrEnum):
    PERSONA = "persona"  # show a persona's briefing card
    BEGIN = "begin"  # start the meeting with that persona
    LIST = "list"  # back to the persona picker
    REMIND = "remind"  # reminders for a finished meeting ("no" declines)
    FORGET = "forget"  # confirm ("yes") or decline ("no") deleting everything
    LANG = "lang"  # choose the language
    KEEP = "keep"  # go on with the meeting in progress (instead of starting another)
    SWITCH = "switch"  # abandon the meeting in progress ("<id>.<persona>") for another
    AFTER = "after"  # after-care: "skip" the step or "done" ("<what>.<stage>.<meeting id>")
    SETTING = "setting"  # /settings: switch hints or reminders, or choose a language
    CONTROL = "ctl"  # a meeting's controls: "<what>.<meeting id>" (undo: ".<lines>" more)


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
    def fields(self) -> list[str]:
        """The parts of a compound value (switch, after-care, forget)."""
        return self.value.split(".")

    @property
    def meeting_id(self) -> int | None:
        """The meeting a reminder, switch, after-care or control button is about."""
        if self.action is Action.REMIND and self.value != "no":
            return int(self.value)
        if self.action in (Action.SWITCH, Action.AFTER, Action.CONTROL):
            return int(self.fields[{Action.SWITCH: 0, Action.AFTER: 2}.get(self.action, 1)])
        return None


def _valid(action: Action, value: str) -> bool:
    if action in (Action.PERSONA, Action.BEGIN):
        return _PERSONA_ID.fullmatch(value) is not None
    if action is Action.LIST:
        return value == ""
    if action is Action.REMIND:
        return value == "no" or _MEETING_ID.fullmatch(value) is not None
    if action is Action.FORGET:  # with the language of the question, kept for the answer
        answer, _, lang = value.partition(".")
        return answer in {"yes", "no"} and (value == answer or lang in LANGUAGES)
    if action is Action.KEEP:
        return value == ""
    if action is Action.SWITCH:
        return _SWITCH.fullmatch(value) is not None
    if action is Action.AFTER:
        return _AFTER.fullmatch(value) is not None
    if action is Action.CONTROL:
        return _CONTROL.fullmatch(value) is not None
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
