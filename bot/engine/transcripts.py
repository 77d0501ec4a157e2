"""Checks a played meeting for the incoherences a visitor notices at once.

Each rule is one thing a real host never does (`python -m bot check` runs them on scripted
meetings, and a test runs them on every meeting of the test suite):

- ``yes_no_to_open``: a yes/no word opening the answer to a question that is not yes/no;
- ``early_farewell``: a farewell formula before the meeting is closing;
- ``repeated_sentence``: a sentence of four words or more said twice in one meeting;
- ``echoed_opening``: a sentence opening with words the same reply has just said ("A
  three-month bootcamp can be enough… A three-month bootcamp is intense…");
- ``not_understood``: "I don't understand" or "no idea" to a clear question;
- ``name_without_referral``: "use my name" before the host named anyone;
- ``unacknowledged_answer``: the visitor answered the host's question and the host
  moved on as if nothing was said (asked "and your question is?").
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.acts import rule
from bot.engine.analysis import normalise
from bot.engine.meeting import Meeting, fingerprint, is_long_sentence
from bot.engine.text import echoes, sentences


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    turn: int
    reply: str

    def to_json(self) -> dict[str, object]:
        return {"rule": self.rule, "turn": self.turn, "reply": self.reply}


_CHECKS = ("yes_no_start", "farewell", "not_understood", "use_my_name", "what_question")


def check(meeting: Meeting) -> list[Violation]:
    """Every violation of the rules above in a meeting's transcript."""
    rules = {name: rule(meeting.lang, name) for name in _CHECKS}
    out: list[Violation] = []
    said: set[str] = {
        fingerprint(s) for s in sentences(" ".join(meeting.state.opening)) if is_long_sentence(s)
    }
    named = False
    for number, turn in enumerate(meeting.state.turns, start=1):
        reply = turn.reply
        norm = normalise(reply)
        closing = turn.phase in ("closing", "ended") or turn.act in ("goodbye",)
        asked_open = turn.act in ("question", "follow_up") and not turn.polar and turn.question
        if asked_open and rules["yes_no_start"].match(norm):
            out.append(Violation("yes_no_to_open", number, reply))
        if not closing and rules["farewell"].search(norm):
            out.append(Violation("early_farewell", number, reply))
        parts = sentences(reply)
        for i, sentence in enumerate(parts):
            if i and any(echoes(before, sentence, meeting.lang) for before in parts[:i]):
                out.append(Violation("echoed_opening", number, sentence))
            if not is_long_sentence(sentence):
                continue
            mark = fingerprint(sentence)
            if mark in said:
                out.append(Violation("repeated_sentence", number, sentence))
            said.add(mark)
        if turn.act in ("question", "follow_up") and rules["not_understood"].search(norm):
            out.append(Violation("not_understood", number, reply))
        if "referral_given" in meeting.state.done and not named:
            named = _names_referral(meeting, reply)
        if rules["use_my_name"].search(norm) and not named:
            out.append(Violation("name_without_referral", number, reply))
        if turn.act == "answer" and rules["what_question"].search(norm):
            out.append(Violation("unacknowledged_answer", number, reply))
    return out


def _names_referral(meeting: Meeting, reply: str) -> bool:
    return normalise(meeting.persona.referral.name) in normalise(reply)
