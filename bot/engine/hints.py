"""Live coach hints: at most one short hint per turn, asked for by the channel after a turn.

The meeting plays the host; it does not coach. A channel calls `coached_say`, which plays the
turn and then asks this module whether one hint would help, looking at what the visitor
just did (the turn's dialogue act) and what the meeting has seen so far.
"""

from __future__ import annotations

from dataclasses import replace

from bot.engine.coach import reword
from bot.engine.meeting import Meeting, Turn, TurnResult
from bot.i18n import addressed

#: Acts that are questions by nature: being closed is not a fault there.
_POLITE_CLOSED = frozenset(
    {"referral_request", "notes_permission", "mention_permission", "keep_informed", "time_check"}
)


def live_hint(meeting: Meeting, turn: Turn) -> str | None:
    """The single most useful hint after this turn, or None: hints must not drown the user."""
    _ = addressed(meeting.lang, meeting.persona.address)
    intents = set(turn.intents)
    turn_no = len(meeting.state.turns)
    if turn.act == "rude":
        return _("Stay courteous, whatever happens: rudeness ends a meeting at once.")
    if turn.act == "confidential_request":
        return _(
            "Never ask for confidential information: the person closes up. "
            "Ask for what anyone in the job could tell you."
        )
    if turn.act == "job_request":
        return _(
            "A networking meeting is not a job interview: ask for information and contacts, "
            "not for a position."
        )
    if turn.rambling:
        return _("Keep it short: two or three sentences, then a question.")
    if turn.question == "closed" and turn.act not in _POLITE_CLOSED and turn.polar:
        # The question itself is reworded, not the reaction before it ("Ah ok pardon.").
        asked = next((text for text, kind in turn.questions if kind == "closed"), turn.user)
        return _("Closed question: it can be answered with yes or no. Try: “{open}”").format(
            open=reword(asked, list(turn.topics), meeting.lang, meeting.persona.address)
        )
    if turn_no == 1 and not intents & {"introduction", "link", "purpose", "greeting"}:
        return _("Start by introducing yourself: who you are, who sent you, and why you came.")
    if turn_no <= 3 and "introduction" in intents and not meeting.has("purpose"):
        return _("Say why you came: to get information, not a job.")
    if (
        meeting.remaining_minutes <= 8
        and not meeting.has("referral_asked")
        and turn.act != "referral_request"
        and not meeting.ended
    ):
        return _("Time is running out: ask whether they know someone you should meet.")
    if turn_no == 3 and not meeting.has("notes_permission"):
        return _("You may ask whether they mind you taking notes.")
    return None


def coached_say(meeting: Meeting, text: str) -> TurnResult:
    """Play one line, then add the live hint (when hints are on)."""
    result = meeting.say(text)
    if result.reply is None or not meeting.state.hints_on or not meeting.state.turns:
        return result
    turn = meeting.state.turns[-1]
    hint = live_hint(meeting, turn)
    if not hint:
        return result
    turn.hints = (*turn.hints, hint)
    return replace(result, hints=[hint])
