"""What career guides teach beyond the ten criteria, read from the meeting's dialogue acts.

Each lesson says whether the visitor did it (``True``), missed it (``False``) or had no
occasion to show it (``None``: no refusal to take well, no digression to steer back), with
the lines that show it and one advice. Each persona names in its file the lesson it trains
above all (``lesson``, and ``trains``: one of ``LESSONS``); the feedback says how the
visitor did on it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.engine.acts import rule
from bot.engine.analysis import lexicon, normalise
from bot.engine.rubric import rubric
from bot.i18n import N_, translations

if TYPE_CHECKING:
    from bot.engine.meeting import Meeting

LESSONS = (
    "time",
    "steering",
    "own_project",
    "referral_quality",
    "refusal",
    "short_pitch",
    "register",
)

LESSON_NAMES = {
    "time": N_("Keeping to the time"),
    "steering": N_("Steering back to your questions"),
    "own_project": N_("Advice on your own project"),
    "referral_quality": N_("Qualifying a referral"),
    "refusal": N_("Taking a refusal well"),
    "short_pitch": N_("A short pitch"),
    "register": N_("A consistent register"),
}

_TU = re.compile(r"\b(tu|toi|t'es|t'as|t'etais|t'avais)\b")
_CHAT = re.compile(r"\b(lol|mdr|ptdr|omg|wtf|jpp|xd|haha+|lmao)\b")


def _texting(text: str, lang: str) -> bool:
    """Chat register: "lol", or two text-message spellings ("c koi", "pr vs") in one line."""
    norm = normalise(text)
    if _CHAT.search(norm):
        return True
    spellings = lexicon(lang).abbreviations
    return sum(word in spellings for word in re.findall(r"[\w']+", norm)) >= 2


@dataclass
class Lesson:
    key: str
    done: bool | None
    evidence: list[str] = field(default_factory=list)
    advice: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"done": self.done, "evidence": self.evidence, "advice": self.advice}


def lesson_name(key: str, lang: str) -> str:
    return translations(lang).gettext(LESSON_NAMES[key])


def assess(meeting: Meeting, quote) -> dict[str, Lesson]:
    """Every lesson, for this meeting (``quote`` shortens a line for evidence)."""
    _ = translations(meeting.lang).gettext
    turns = meeting.state.turns
    persona = meeting.persona
    cfg = rubric()["lessons"]
    out: dict[str, Lesson] = {}

    # A time check may share its line with a question ("How much time do you have? And…").
    time_check = rule(meeting.lang, "time_check")
    checks = [quote(t.user) for t in turns if time_check.search(normalise(t.user))]
    overtime = any(t.overtime for t in turns)
    # "Nous avons trente minutes": a host who said how long it has need not be asked.
    duration = rule(meeting.lang, "duration")
    announced = any(duration.search(normalise(line)) for line in meeting.state.opening)
    # Kept to the time: asked how much there was, or left before the host had to go.
    in_time = not overtime and (bool(checks) or meeting.state.ended_by in ("user", "goodbye", None))
    out["time"] = Lesson(
        "time",
        in_time,
        checks[:2],
        _("You checked the time and kept to it.")
        if in_time and checks
        else _("You kept to the time {name} gave you.").format(name=persona.name)
        if in_time and announced
        else _(
            "You kept to the time. Next time, also ask at the start how much time {name} has."
        ).format(name=persona.name)
        if in_time
        else _(
            "Ask at the start how much time {name} has, and offer to stop when it is up."
        ).format(name=persona.name),
    )

    long_reply = cfg["long_reply_words"]
    steered = [
        quote(after.user)
        for before, after in itertools.pairwise(turns)
        if len(before.reply.split()) >= long_reply
        and after.act == "question"
        and after.topic not in (None, before.topic)
    ]
    digressed = any(len(t.reply.split()) >= long_reply for t in turns[:-1])
    out["steering"] = Lesson(
        "steering",
        bool(steered) if digressed else None,
        steered[:2],
        _("After a long answer, you brought the talk back to your own questions.")
        if steered
        else _("After a long story, thank them and move on: “That is clear; may I ask you about…”")
        if digressed
        else "",
    )

    own_case = rule(meeting.lang, "own_case")
    own = [
        quote(t.user)
        for t in turns
        if t.topic in ("advice", "project_feedback")
        or (t.question and own_case.search(normalise(t.user)))
    ]
    out["own_project"] = Lesson(
        "own_project",
        bool(own),
        own[:2],
        _("You asked for advice on your own project: that is what the meeting is for.")
        if own
        else _("Ask for advice on your own plan: “What would you do in my place?”"),
    )

    given = meeting.has("referral_given")
    qualified = (
        [
            quote(t.user)
            for t in turns
            if t.act == "mention_permission" or "mention_permission" in t.intents
        ]
        if given
        else []
    )
    out["referral_quality"] = Lesson(
        "referral_quality",
        bool(qualified) if given else None,
        qualified[:2],
        _("You asked how to reach the person and whether you may use the name.")
        if qualified
        else _("Ask how best to reach {referral} and whether you may say who sent you.").format(
            referral=persona.referral.name
        )
        if given
        else "",
    )

    asks = [i for i, t in enumerate(turns) if t.act == "referral_request"]
    refused = bool(asks) and not given
    insisted = [quote(turns[i].user) for i in asks[1:]] if refused else []
    out["refusal"] = Lesson(
        "refusal",
        (not insisted) if refused else None,
        insisted[:2],
        (
            _("You asked again after a no: thank them instead, and ask for something smaller.")
            if insisted
            else _("No name given, and you did not insist: that keeps the door open.")
        )
        if refused
        else "",
    )

    pitch_limit = cfg["pitch_words"]
    long_lines = [quote(t.user) for t in turns if len(t.user.split()) > pitch_limit]
    out["short_pitch"] = Lesson(
        "short_pitch",
        not long_lines,
        long_lines[:2],
        _("Your lines stayed short: the host did most of the talking.")
        if not long_lines
        else _("Keep your turns under a minute: two or three sentences, then a question."),
    )

    mixed = []
    if meeting.lang == "fr" and persona.address == "vous":
        # Only "tu" to a host who says "vous" is a slip: "vous" to a host who says "tu" may
        # be plural ("vous êtes combien ?").
        mixed = [quote(t.user) for t in turns if _TU.search(normalise(t.user))]
    mixed += [quote(t.user) for t in turns if _texting(t.user, meeting.lang)]
    mixed = list(dict.fromkeys(mixed))
    out["register"] = Lesson(
        "register",
        not mixed,
        mixed[:2],
        _("A consistent, courteous register throughout.")
        if not mixed
        else _("Keep one register: the one the host uses, and no chat abbreviations.")
        if meeting.lang == "fr"
        else _("Keep a consistent, courteous register: no chat abbreviations."),
    )
    return out


def lesson_lines(feedback, persona_name: str, lang: str) -> list[str]:
    """The lessons as plain lines: the persona's own first, then what to work on and what
    went well (lessons that had no occasion are left out)."""
    _ = translations(lang).gettext
    out = []
    lesson = feedback.lesson
    if lesson:
        status = {True: "✓", False: "✗", None: "·"}[lesson.get("done")]
        out.append(
            _("What {name} trains: {lesson}").format(name=persona_name, lesson=lesson["text"])
            + f" {status}"
        )
    for key, item in feedback.lessons.items():
        if item.done is False:
            out.append(f"✗ {lesson_name(key, lang)}: {item.advice}")
    for key, item in feedback.lessons.items():
        if item.done:
            out.append(f"✓ {lesson_name(key, lang)}")
    return out
