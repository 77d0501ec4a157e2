"""A meeting's controls (clock, end, undo, hints on/off) as a small inline keyboard.

The keyboard rides on a message the bot sends anyway (the meeting's first message, every
few persona replies, the answers to /undo and /coach), so it costs no Bot API call: a turn
stays one `sendMessage`. Older messages keep their buttons; every button names its meeting,
so one from a meeting that is over only gets a toast (see `handlers.meeting.control_tap`).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.telegram.callbacks import Action, Callback
from bot.engine.meeting import Meeting
from bot.i18n import translations

#: A persona reply carries the controls every this many lines of the user: often enough to
#: keep the clock in sight, rarely enough not to clutter the chat.
EVERY = 3
#: The line count an Undo button can carry (the codec's limit; no meeting gets near it).
MAX_LINES = 999_999


def minutes_left(meeting: Meeting) -> int:
    """Whole minutes left in the slot (0 once it is over)."""
    return max(0, round(meeting.remaining_minutes))


def due(meeting: Meeting) -> bool:
    """Whether the reply to the user's latest line carries the controls."""
    lines = len(meeting.state.turns)
    return lines > 0 and lines % EVERY == 0


def _button(label: str, what: str, meeting_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        label, callback_data=Callback(Action.CONTROL, f"{what}.{meeting_id}").encode()
    )


def keyboard(meeting_id: int, meeting: Meeting, lang: str) -> InlineKeyboardMarkup:
    """Two short rows: the clock and End, then Undo and the hints switch (none in an exam,
    which has no hints)."""
    _ = translations(lang).gettext
    clock = _("⏱ {minutes} min").format(minutes=minutes_left(meeting))
    lines = min(len(meeting.state.turns), MAX_LINES)
    undo = InlineKeyboardButton(
        _("↩️ Undo"),
        callback_data=Callback(Action.CONTROL, f"undo.{meeting_id}.{lines}").encode(),
    )
    second = [undo]
    if not meeting.state.exam:
        hints = _("💡 Hints: on") if meeting.state.hints_on else _("💡 Hints: off")
        second.append(_button(hints, "hints", meeting_id))
    return InlineKeyboardMarkup(
        [[_button(clock, "clock", meeting_id), _button(_("🏁 End"), "end", meeting_id)], second]
    )


def confirm_end(meeting_id: int, lang: str) -> InlineKeyboardMarkup:
    """End asks first: a slip of the thumb must not end a meeting and grade it."""
    _ = translations(lang).gettext
    return InlineKeyboardMarkup(
        [
            [_button(_("🏁 Yes, end it: my feedback"), "sure", meeting_id)],
            [_button(_("↩️ No, go on"), "back", meeting_id)],
        ]
    )
