"""The meeting: phases (a `transitions` state machine), simulated clock, trust, reply choice.

A `Meeting` is plain state plus the rules that move it. Its state (`MeetingState`) is a
dataclass of JSON-friendly values, so a channel can store it after every turn and rebuild
the meeting after a restart. Randomness is seeded per turn from the meeting seed, so the
same seed and the same lines give the same meeting, and a take-back can replay exactly.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from typing import Any

from transitions import Machine

from bot.engine.acts import INTRODUCING, Act, Context, generic_stems, read, rule
from bot.engine.analysis import Analysis, analyse, lexicon, normalise
from bot.engine.compact import StemSet, shared_name, shared_tuple
from bot.engine.personas import Answer, Persona, default_lines
from bot.engine.policy import WELCOMES, Move, decide
from bot.engine.recall import (
    KEY_RARITY,
    Place,
    asking_words,
    concepts,
    find,
    host_concepts,
    rarity,
    weigh,
)
from bot.engine.requests import with_requests
from bot.engine.routing import OTHER, route_with_score, vocabulary, weakly_worded
from bot.engine.rubric import rubric
from bot.engine.text import asks_visitor, content_stems, echoes, sentences, split_sentences
from bot.engine.text import stem as word_stem
from bot.i18n import translations

PHASES = ("briefing", "waiting", "opening", "introduction", "exploration", "closing", "ended")
_LIVE = [p for p in PHASES if p != "ended"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "begin", "source": "briefing", "dest": "waiting", "conditions": "is_late"},
    {"trigger": "begin", "source": "briefing", "dest": "opening"},
    {"trigger": "arrive", "source": "waiting", "dest": "opening"},
    {"trigger": "introduce", "source": "opening", "dest": "introduction"},
    {"trigger": "explore", "source": ["opening", "introduction"], "dest": "exploration"},
    {"trigger": "wrap_up", "source": ["opening", "introduction", "exploration"], "dest": "closing"},
    {"trigger": "finish", "source": _LIVE, "dest": "ended"},
]

#: One machine for every meeting: a `Machine` per meeting costs ~100 KB and milliseconds.
#: Meetings are never registered with it; `Meeting._fire` triggers its events directly.
_MACHINE = Machine(
    model=None,
    states=list(PHASES),
    transitions=TRANSITIONS,
    initial="briefing",
    auto_transitions=False,
    ignore_invalid_triggers=True,
    model_attribute="phase",
)

MAX_LINE_CHARS = 10_000

ENDED_BY = ("user", "goodbye", "persona_time", "persona_rude")


@dataclass(slots=True)
class Turn:
    """One exchange, with what the coach needs to score it later.

    Kept compact, since a live meeting holds all its turns (see `bot.engine.compact`):
    tuples rather than lists, one shared tuple per combination of intents or topics,
    interned names, the question texts sharing the line's string when they are the whole
    line, no undo dictionary on any turn but the last. `to_dict` gives the stored form
    (lists, as JSON reads them back), the same as before this compact form.
    """

    user: str
    #: The host's reply as its parts, mostly the persona's own strings, shared by every
    #: meeting that says them (see `reply`).
    reply_parts: tuple[str, ...]
    phase: str
    hints: tuple[str, ...]
    minute: float
    question: str | None
    intents: tuple[str, ...]
    topics: tuple[str, ...]
    #: The question sentences of the line with their kind, (text, "open" or "closed").
    questions: tuple[tuple[str, str], ...]
    listening: bool = False
    rambling: bool = False
    overtime: bool = False
    #: The meeting's mutable fields just before this turn, so `/undo` restores them
    #: exactly (None once the turn can no longer be taken back).
    before: dict[str, Any] | None = None
    #: What the visitor did (a dialogue act, `acts.py`), its topic, and whether yes/no.
    act: str | None = None
    topic: str | None = None
    polar: bool = False
    #: A follow-up that repeats the host's words or says it picks them up.
    echoed: bool = False
    #: The topic the host's reply told something about (an answer or a detail), if any.
    answered: str | None = None

    def __post_init__(self) -> None:
        self.reply_parts = tuple(self.reply_parts)
        self.phase = sys.intern(self.phase)
        self.hints = tuple(self.hints)
        self.question = shared_name(self.question)
        self.intents = shared_tuple(self.intents)
        self.topics = shared_tuple(self.topics)
        user = self.user
        self.questions = tuple(
            (user if text == user else text, sys.intern(kind)) for text, kind in self.questions
        )
        self.before = self.before or None
        self.act = shared_name(self.act)
        self.topic = shared_name(self.topic)
        self.answered = shared_name(self.answered)

    @property
    def reply(self) -> str:
        """The host's reply, as said."""
        return " ".join(self.reply_parts)

    @reply.setter
    def reply(self, text: str) -> None:
        self.reply_parts = (text,)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        data = dict(data)
        return cls(reply_parts=(data.pop("reply"),), **data)

    def to_dict(self) -> dict[str, Any]:
        """The stored form: JSON values only, nothing shared with the turn."""
        return {
            "user": self.user,
            "reply": self.reply,
            "phase": self.phase,
            "hints": list(self.hints),
            "minute": self.minute,
            "question": self.question,
            "intents": list(self.intents),
            "topics": list(self.topics),
            "questions": [list(pair) for pair in self.questions],
            "listening": self.listening,
            "rambling": self.rambling,
            "overtime": self.overtime,
            "before": _copy(self.before) if self.before else {},
            "act": self.act,
            "topic": self.topic,
            "polar": self.polar,
            "echoed": self.echoed,
            "answered": self.answered,
        }


def _copy(value: Any) -> Any:
    """A deep copy of JSON values (`copy.deepcopy` is several times slower on them)."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(item) for item in value]
    return value


#: What a turn may change, besides appending itself (see `Meeting.undo`).
_UNDOABLE = (
    "phase",
    "minute",
    "trust",
    "closed_streak",
    "clammed",
    "done",
    "used",
    "last_topic",
    "ended_by",
    "farewell",
    "said",
    "visitor",
    "last_answer",
    "asked",
    "named_at",
)


def _snapshot(state: MeetingState) -> dict[str, Any]:
    snap = {name: getattr(state, name) for name in _UNDOABLE}
    snap["done"] = list(state.done)
    snap["used"] = {key: list(value) for key, value in state.used.items()}
    snap["said"] = list(state.said)
    snap["visitor"] = dict(state.visitor)
    snap["last_answer"] = list(state.last_answer) if state.last_answer else None
    return snap


def _changes(snap: dict[str, Any], state: MeetingState) -> dict[str, Any]:
    """The snapshot reduced to what the turn changed, so that its size does not grow with
    the meeting: unchanged fields are left out, and a list the turn only appended to (the
    sentences said, the flags) is kept as its former length under "cut"; likewise each list
    of `used` under "used_cut" (None: the turn created it). The clock always moves, so the
    result is never empty. `_undo_changes` applies it."""
    out: dict[str, Any] = {"minute": snap["minute"]}
    cut: dict[str, int] = {}
    for name in _UNDOABLE:
        old, new = snap[name], getattr(state, name)
        if old == new:
            continue
        if name == "used" and (used_cut := _appended(old, new)) is not None:
            out["used_cut"] = used_cut
        elif name in ("done", "said") and new[: len(old)] == old:
            cut[name] = len(old)
        else:
            out[name] = old
    if cut:
        out["cut"] = cut
    return out


def _appended(old: dict[str, list], new: dict[str, list]) -> dict[str, int | None] | None:
    """Per list of `new` that grew, its former length (None if new); None if any list
    changed otherwise than by appending, or disappeared."""
    if not old.keys() <= new.keys():
        return None
    out: dict[str, int | None] = {}
    for key, value in new.items():
        was = old.get(key)
        if was == value:
            continue
        if was is not None and value[: len(was)] != was:
            return None
        out[key] = None if was is None else len(was)
    return out


def _undo_changes(state: MeetingState, changes: dict[str, Any]) -> None:
    """Put back what a turn changed (`_changes`, or a full snapshot of older versions)."""
    for name, value in changes.items():
        if name == "cut":
            for field_name, length in value.items():
                del getattr(state, field_name)[length:]
        elif name == "used_cut":
            for key, length in value.items():
                if length is None:
                    state.used.pop(key, None)
                else:
                    del state.used[key][length:]
        elif name != "previous":
            setattr(state, name, value)


@dataclass
class MeetingState:
    """Everything needed to continue a meeting later; JSON-serialisable."""

    persona_id: str
    lang: str
    seed: int
    hints_on: bool = True
    phase: str = "briefing"
    minute: float = 0.0
    trust: float = 0.5
    closed_streak: int = 0
    clammed: bool = False
    done: list[str] = field(default_factory=list)
    used: dict[str, list[int]] = field(default_factory=dict)
    last_topic: str | None = None
    #: What the persona says when the meeting starts.
    opening: list[str] = field(default_factory=list)
    #: The scene before that, told by the bot (e.g. the host arriving late), if any.
    narration: str | None = None
    turns: list[Turn] = field(default_factory=list)
    ended_by: str | None = None
    farewell: str | None = None
    takebacks: int = 0
    exam: bool = False
    #: The persona who recommended the user to this one (a referral chain), if any.
    referred_by: str | None = None
    #: Digests of the sentences the host said (never the same sentence twice).
    said: list[str] = field(default_factory=list)
    #: What the host remembers of the visitor: "name", "background".
    visitor: dict[str, str] = field(default_factory=dict)
    #: The host's last answer on a topic, [topic, index]: what a follow-up picks up.
    last_answer: list[Any] | None = None
    #: The host's last reply asked the visitor a question.
    asked: bool = False
    #: The turn when the host last called the visitor by name.
    named_at: int = -10

    def to_dict(self) -> dict[str, Any]:
        """The whole state as JSON values, a copy: later turns do not change it."""
        out = {name: _copy(getattr(self, name)) for name in _HEAD}
        out["turns"] = [turn.to_dict() for turn in self.turns]
        return out

    def head(self) -> dict[str, Any]:
        """Everything but the turns: with `Turn.to_dict` of the turns a turn changed, what a
        channel saves after a turn instead of the whole meeting. Not a copy: serialise it
        at once."""
        return {name: getattr(self, name) for name in _HEAD}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MeetingState:
        data = dict(data)
        data["turns"] = [Turn.from_dict(t) for t in data.get("turns", [])]
        # The digests repeat across meetings (the hosts' sentences): one copy of each.
        data["said"] = [sys.intern(mark) for mark in data.get("said", [])]
        data["used"] = {sys.intern(key): value for key, value in data.get("used", {}).items()}
        return cls(**data)


_HEAD = tuple(f.name for f in fields(MeetingState) if f.name != "turns")


@dataclass(frozen=True)
class TurnResult:
    """What a channel shows after one user line."""

    reply: str | None
    hints: list[str]
    ended: bool
    #: A message from the bot itself (not the persona), e.g. about an empty line.
    notice: str | None = None


#: From this verbosity on ("very high" is 0.9), a host tells stories whatever was asked.
TALKATIVE = 0.8
#: The host's words a statement before a question must repeat to quote it (`picked_sentences`).
QUOTED_WORDS = 2
#: How much rare vocabulary (summed inverse document frequency over every answer the host
#: knows) a question must share with one answer to be sent to it when nothing else places it.
KNOWN_ANSWER_MIN = 3.0
#: Words of its own a follow-up must ask, that no line the host could give speaks of, for
#: the host to say it has no precise answer.
BEYOND_WORDS = 2
#: A sentence this short, inside an answer, leans on the one before it ("Remplacement
#: d'onduleurs, rénovation, démantèlement."): a short answer says both.
FRAGMENT_WORDS = 6
#: Content stems a story must share with the question or the reply to follow it.
ANECDOTE_SHARED_STEMS = 2
#: Below this rarity among the host's lines (more than a quarter of them say it), a word is the
#: host's everyday vocabulary and tells none of its answers apart.
DOMAIN_WORD_RARITY = 1.3
#: From this rarity on (a word in about one line in twenty), a word of the question weighs
#: fully in choosing among answers; below, in proportion.
RARE_WORD_RARITY = 3.0


def _first_sentence(text: str) -> str:
    parts = sentences(text)
    return parts[0] if parts else text


class Meeting:
    """A rehearsal against one persona. Create with `Meeting.start`, feed with `say`."""

    def __init__(self, persona: Persona, state: MeetingState) -> None:
        self.persona = persona
        self.state = state
        self.phase = state.phase
        self._analysis: Analysis | None = None
        self._done_before = len(state.done)
        #: The digests of `state.said` as a set, while a turn needs it (see `_said`).
        self._said_set: set[str] | None = None
        #: The line being answered asks an open question: no reply opens on yes or no.
        self._open_question = False
        #: The line asks how many or how much: an answer with a figure is preferred.
        self._counting = False
        #: What the host said before its last reply, and up to which turn (see
        #: `_earlier_stems`): built when a line first picks up older words.
        self._earlier: StemSet | None = None
        self._earlier_upto = 0

    # -- state machine -------------------------------------------------------------------

    def is_late(self) -> bool:
        return self.persona.schedule.late_minutes > 0

    def _fire(self, trigger: str) -> None:
        """Run a trigger of the shared machine on this meeting.

        The event is triggered directly with this meeting as the model: no per-meeting
        binding of trigger methods, nothing to register or forget.
        """
        _MACHINE.events[trigger].trigger(self)
        self.state.phase = self.phase

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        persona: Persona,
        lang: str,
        *,
        seed: int | None = None,
        hints: bool = True,
        exam: bool = False,
        referred_by: str | None = None,
    ) -> Meeting:
        state = MeetingState(
            referred_by=referred_by,
            persona_id=persona.id,
            lang=lang,
            seed=random.randrange(2**31) if seed is None else seed,
            hints_on=hints and not exam,
            trust=persona.temperament.initial_trust,
            exam=exam,
        )
        meeting = cls(persona, state)
        meeting._begin()
        return meeting

    @classmethod
    def restore(cls, persona: Persona, data: dict[str, Any]) -> Meeting:
        """Rebuild from `MeetingState.to_dict()`; no callback re-runs."""
        return cls(persona, MeetingState.from_dict(data))

    def _begin(self) -> None:
        _ = translations(self.state.lang).gettext
        rng = self._rng("opening")
        self._fire("begin")
        if self.phase == "waiting":
            late = self.persona.schedule.late_minutes
            self.state.narration = _(
                "{minutes} minutes past the appointed time, {name} finally arrives."
            ).format(minutes=late, name=self.persona.name)
            self.state.minute = float(late)
            excuse = self._pick("late_excuse", rng, minutes=late)
            self._fire("arrive")
            self.state.opening.append(f"{excuse} {self._pick('arrival', rng)}")
        else:
            self.state.opening.append(self._pick("arrival", rng))
        for sentence in split_sentences(" ".join(self.state.opening)):
            if is_long_sentence(sentence):
                self.state.said.append(fingerprint(sentence))
        self.state.asked = asks_visitor(self.state.opening[-1])

    # -- reading the state -----------------------------------------------------------------

    @property
    def lang(self) -> str:
        return self.state.lang

    @property
    def ended(self) -> bool:
        return self.phase == "ended"

    @property
    def end_minute(self) -> float:
        return float(self.persona.schedule.duration_minutes)

    @property
    def remaining_minutes(self) -> float:
        return self.end_minute - self.state.minute

    def has(self, flag: str) -> bool:
        return flag in self.state.done

    def mark(self, flag: str) -> bool:
        """Record a first-time achievement; True when it is new."""
        if flag in self.state.done:
            return False
        self.state.done.append(flag)
        return True

    # -- helpers the policy uses --------------------------------------------------------------

    def has_new(self, flag: str) -> bool:
        """True when ``flag`` was first reached in the turn being played."""
        return flag in self.state.done[self._done_before :]

    def chance(self, salt: str) -> float:
        """A number in [0, 1), the same for the same seed, turn and purpose."""
        return self._rng(salt).random()

    def is_fact_question(self, act: Act) -> bool:
        return (
            act.kind in ("question", "follow_up")
            and not act.polar
            and (self._analysis is not None and self._analysis.question == "closed")
        )

    def _other_referrer(self) -> bool:
        """The visitor said who sent them, and it is not the briefing's contact ("c'est Paul
        Girard qui m'a filé votre contact"): the host then never thanks "Stéphane".

        Each turn that says who sent the visitor marks which (`_turn`): no turn is read again.
        """
        other, named = self.has("other_referrer"), self.has("named_referrer")
        other = other or self.has("found_alone")
        if self._analysis is not None and "link" in self._analysis.intents:
            mine = self._names_referrer(self._analysis.text)
            other, named = other or not mine, named or mine
        if self._analysis is not None and not named:
            # "I saw your profile online": nobody sent them, and the host knows it.
            other = other or _says("found_alone", self._analysis.text, self.lang)
        return other and not named

    def _names_referrer(self, text: str) -> bool:
        """The text names the briefing's contact (first or last name)."""
        referrer = self.persona.briefing.referrer_name
        names = {normalise(part) for part in referrer.split() if len(part) > 2}
        # "Je suis Julien, c'est Paul Girard qui m'a donné votre nom": the visitor's own name
        # is not the contact's, even when the contact is a Julien too.
        own = _OWN_NAME.sub(" ", normalise(text))
        return bool(names & set(_name_words(own)))

    def times_said(self, key: str) -> int:
        """How many times the host has said a reaction (``ask_purpose``) in this meeting."""
        return len(self.state.used.get(f"lines.{key}", []))

    def clam_ups(self) -> int:
        """How many times the host has already clammed up in this meeting."""
        return len(self.state.used.get("lines.clam_up", []))

    # -- choosing what the persona says -------------------------------------------------------

    def _rng(self, salt: str | int) -> random.Random:
        return random.Random(f"{self.state.seed}:{len(self.state.turns)}:{salt}")

    def _variants(self, key: str) -> list[str]:
        """A reaction's lines; a host met through a chain never names its usual referrer."""
        full_key = key if "." in key else f"lines.{key}"
        variants = self.persona.say(full_key, self.lang)
        chain = bool(self.state.referred_by) and key in _MAY_NAME_REFERRER
        if chain or self._other_referrer():
            referrer = self.persona.briefing.referrer_name
            names = {normalise(referrer), normalise(referrer.split()[0])}
            kept = [v for v in variants if not names & set(_name_words(v))]
            spare = default_lines(key, self.lang, self.persona.address) if "." not in key else []
            variants = kept or spare or variants
        if self._open_question:
            kept = [v for v in variants if not _opens_on_yes_no(v, self.lang)]
            if key == "follow_up_ack":
                # "Exact." before the answer to "comment s'en sert-on ?" agrees with nothing:
                # a host with no other way to welcome the follow-up just answers.
                return kept
            variants = kept or variants
        if key == "ask_back" and self.told_background():
            # "And what did you do before?" after the visitor said it is not listening.
            variants = [v for v in variants if not _says("asks_background", v, self.lang)] or (
                variants
            )
        if key in ("notes_ok", "mention_ok") and self.says("mind_question"):
            # "Do you mind if I take notes?" — "Yes, go ahead" would mean the host minds.
            kept = [v for v in variants if not _opens_on_yes(v, self.lang)]
            variants = (
                kept
                or [
                    v
                    for v in default_lines(key, self.lang, self.persona.address)
                    if not _opens_on_yes(v, self.lang)
                ]
                or variants
            )
        if key == "thanks" and self._offended():
            # "Your questions made sense" after "are you hiring?" would be a lie.
            praise = rule(self.lang, "praise")
            variants = [v for v in variants if not praise.search(normalise(v))] or (
                default_lines("thanks", self.lang, self.persona.address) or variants
            )
        offered = self._analysis.text if self._analysis is not None else ""
        if key == "give_back" and (
            _says("offer_to_come", offered, self.lang) or _says("offer_person", offered, self.lang)
        ):
            # "I can send you the study", "Would an introduction be helpful?": nothing was
            # told yet, so no "I didn't know that".
            variants = [v for v in variants if not _says("news_reaction", v, self.lang)] or (
                default_lines("give_back", self.lang, self.persona.address) or variants
            )
        if key == "give_back" and (
            not _about_a_document(offered, self.lang) or _says("offer_person", offered, self.lang)
        ):
            # Offered a person or a hand, not a document: "send me the link" makes no sense.
            variants = [v for v in variants if not _about_a_document(v, self.lang)] or (
                default_lines("give_back", self.lang, self.persona.address) or variants
            )
        if key == "give_back" and not _says("offer_person", offered, self.lang):
            # A hand on Saturdays is no contact: "contacts like that" thanks for another offer.
            variants = [v for v in variants if not _says("about_contacts", v, self.lang)] or (
                default_lines("give_back", self.lang, self.persona.address) or variants
            )
        return variants

    def _asks_only_notes(self) -> bool:
        """The line's only question is leave to take notes: a welcome that ends "Go ahead,
        ask away." still fits it."""
        analysis = self._analysis
        if analysis is None or "notes_permission" not in analysis.intents:
            return False
        others = [
            q
            for q, _ in analysis.questions
            if not {"notes_permission", *INTRODUCING} & set(analyse(q, self.lang).intents)
        ]
        return not others

    def _asks_now(self) -> bool:
        """The visitor's current line asks the host something."""
        return self._analysis is not None and self._analysis.question is not None

    def _offended(self) -> bool:
        """The visitor asked for a job or for secrets, or was rude, at some point."""
        return any(
            turn.act in ("job_request", "confidential_request", "rude") for turn in self.state.turns
        )

    def _unsequelled(self, topic: str, index: int, text: str, before: list[str]) -> str:
        """An answer that goes on a story ("Then twelve years at a glass group…"), told
        where the step before it was not just said: without its "then" (round 21, to "Do
        you like being a CFO?"; round 23, after a sentence on another subject).

        ``before``: what this reply says until then; the step before counts as just said
        when it ends it, or, at the head of the reply, when it ended the last one."""
        found = rule(self.lang, "then_opening").match(normalise(text))
        if found is None or len(text.split()) <= len(found.group(0).split()):
            return text
        if index > 0:
            step = sentences(self.persona.answers(topic, self.lang)[index - 1].say)[-1]
            said = (
                before[-1] if before else (self.state.turns[-1].reply if self.state.turns else "")
            )
            if normalise(step) in normalise(said):
                return text
        rest = text.split(None, len(found.group(0).split()))[-1].lstrip(", ")
        return rest[:1].upper() + rest[1:]

    def _unechoed(self, say: str, detail: str) -> tuple[str, str]:
        """An answer told with its detail, without what the detail opens by echoing: the
        answer's sentences it says again in more depth ("A three-month bootcamp can be
        enough…" before "A three-month bootcamp is intense: …"), or, when the answer is a
        single sentence, the detail's echoed heading ("…sur site presque en permanence…
        Sur site presque en permanence : le contrôleur a son bureau…", round 21)."""
        first = split_sentences(detail)[0]
        parts = sentences(say)
        kept = [p for p in parts if not echoes(p, first, self.lang)]
        if len(kept) == len(parts):
            return say, detail
        if kept:
            return " ".join(kept), detail
        head, colon, rest = detail.partition(":")
        if colon and len(head.split()) <= ECHO_HEADING_WORDS and rest.strip():
            rest = rest.strip()
            return say, rest[:1].upper() + rest[1:]
        return say, detail

    def _unhedged(self, text: str) -> str:
        """An answer to an open question never opens on "Yes," or "No,"."""
        if not self._open_question:
            return text
        rest = text
        for _ in range(2):  # "Usually, yes. But…" opens on two of them
            if not _opens_on_yes_no(rest, self.lang):
                break
            rest = re.sub(r"^[^,.!?;:]*[,.!?;:]+\s*", "", rest, count=1)
        if not rest:
            return text
        unhedged = rest[:1].upper() + rest[1:]
        return text if unhedged == text else unhedged  # the persona's string, shared

    @property
    def _said(self) -> set[str]:
        """What was said, as a set for quick lookups: built when a turn needs it and let go
        after (a live meeting would keep 8 KB of it at 40 turns)."""
        if self._said_set is None:
            self._said_set = set(self.state.said)
        return self._said_set

    def _fresh(self, text: str) -> bool:
        """Nothing in ``text`` was already said in this meeting (short sentences aside)."""
        return not any(fingerprint(s) in self._said for s in sentences(text) if is_long_sentence(s))

    def _pick(
        self, key: str, rng: random.Random, *, optional: bool = False, **values: object
    ) -> str | None:
        """A variant whose sentences were not said yet in this meeting.

        When the persona's own variants are used up, the shared defaults are tried; then an
        optional move is dropped, and a required one takes the least recently used variant.
        Every line is formatted, so `{{` in a persona file always shows as one brace.
        """
        full_key = key if "." in key else f"lines.{key}"
        variants = self._variants(key)
        used = self.state.used.setdefault(sys.intern(full_key), [])
        # A line without braces is kept as it is: the persona's string, shared (see `Turn`).
        formatted = [v.format(**values) if "{" in v or "}" in v else v for v in variants]
        fresh = [i for i, text in enumerate(formatted) if i not in used and self._fresh(text)]
        if not fresh:
            fresh = [i for i, text in enumerate(formatted) if self._fresh(text)]
        if fresh:
            choice = rng.choice(fresh)
            used.append(choice)
            return formatted[choice]
        if "." not in key:
            spare = [
                v.format(**values)
                for v in default_lines(key, self.lang, self.persona.address)
                if self._fresh(v.format(**values))
                and not (
                    key == "follow_up_ack"
                    and self._open_question
                    and _opens_on_yes_no(v, self.lang)
                )
            ]
            if spare:
                return rng.choice(spare)
        if optional or not variants:
            return None
        oldest = min(range(len(variants)), key=lambda i: used.index(i) if i in used else -1)
        used.append(oldest)
        return formatted[oldest]

    def _take_answer(self, topic: str, rng: random.Random) -> tuple[int, Answer] | None:
        """An answer on ``topic`` not given yet in this meeting."""
        answers = self.persona.answers(topic, self.lang)
        used = self.state.used.setdefault(sys.intern(f"knowledge.{topic}"), [])
        fresh = [i for i in range(len(answers)) if i not in used and self._fresh(answers[i].say)]
        fresh = self._for_visitor(fresh, answers)
        if not fresh:
            return None
        if not used:
            # The first answer on a topic never opens "Second trap…", "Autre piège…".
            sequel = rule(self.lang, "sequel")
            firsts = [i for i in fresh if not sequel.match(normalise(answers[i].say))]
            fresh = firsts or fresh
        # The answers that speak of what was asked first; then, among them, the side asked
        # for ("Qu'est-ce qui vous plaît le moins ?" gets the down side, "What do you like?"
        # does not open on it) and a figure for "how many".
        closest = self._closest(fresh, [answers[i].say for i in fresh])
        # A question none of them speaks of more than another ("What tools do you use?") is
        # not answered at random (the third answer's aside on AI): see `_in_context`.
        broad = len(closest) == len(fresh) > 1
        fresh = closest
        if self._analysis is not None:
            down = _says("dislike", self._analysis.text, self.lang)
            side = [i for i in fresh if _says("dislike", answers[i].say, self.lang) == down]
            if side and (down or topic == "likes"):
                fresh = side
        if self._counting:  # "How many…?": among the closest, an answer with a figure in it
            figures = [i for i in fresh if re.search(r"\d", answers[i].say)]
            fresh = figures or fresh
        meant = [i for i in fresh if answers[i].if_visitor_said]
        if broad and meant:
            # Nothing in the question chooses: the answer written for this visitor's trade.
            fresh = meant
        index = self._in_context(fresh, answers, topic) if broad else rng.choice(fresh)
        used.append(index)
        self.state.last_topic = topic
        self.state.last_answer = [topic, index]
        return index, answers[index]

    def _for_visitor(self, candidates: list[int], answers: list[Answer]) -> list[int]:
        """The answers that suit what the visitor said of themselves: none written for
        another visitor (``if_visitor_said``), none this one has no use for
        (``unless_visitor_said``: "Faites un pic en intérim" to two years of temp work),
        unless nothing else is left."""
        if not any(a.if_visitor_said or a.unless_visitor_said for a in answers):
            return candidates
        said = self._visitor_said()
        kept = [i for i in candidates if not _mentions(said, answers[i].unless_visitor_said)]
        fits = [i for i in kept or candidates if _mentions(said, answers[i].if_visitor_said)]
        general = [i for i in kept or candidates if not answers[i].if_visitor_said]
        return fits + general or kept or candidates

    def _visitor_said(self) -> str:
        """What the visitor told of themselves so far, this line included: their statements,
        and a question's part that tells their past ("j'étais cariste, tu as commencé
        comment ?"). A question alone ("t'étais cariste au début ?") tells nothing."""
        lines = [t.user for t in self.state.turns]
        if self._analysis is not None:
            lines.append(self._analysis.text)
        told = [
            part
            for line in lines
            for part in split_sentences(line)
            if "?" not in part or _says("tells_background", part, self.lang)
        ]
        return normalise(" ".join(told))

    def _in_context(self, candidates: list[int], answers: list[Answer], topic: str) -> int:
        """Of answers the question alone does not tell apart, the one that goes on from the
        host's last reply ("Do I need a degree for that?" after the design office: the degree
        for the design office), else the one the persona's author put first."""
        last = self.state.turns[-1].reply if self.state.turns else ""
        # Only a question that goes on ("for that", "là-dessus") goes on from the last
        # reply: "tu utilises quels outils" after the typical day does not, and the same
        # topic asked again ("i mean wat do u do all day") gets the author's next answer.
        asked = normalise(self._analysis.text) if self._analysis is not None else ""
        if not rule(self.lang, "anaphora").search(asked):
            return candidates[0]
        near = host_concepts(last, self.lang) - generic_stems(self.lang) if last else set()
        shared = [len(near & host_concepts(answers[i].say, self.lang)) for i in candidates]
        return candidates[shared.index(max(shared))]

    def _asked(self) -> set[str]:
        """The question's own stems: not the generic words every question uses. "Ils gagnent
        combien ?" right after "les encadrants, ils font quoi ?" asks about the encadrants:
        the words of that line count too."""
        if self._analysis is None:
            return set()
        # What the visitor tells of their own past asks nothing: "J'ai fait de la couverture
        # pendant deux ans. Et quelles compétences comptent ?" does not ask about years.
        parts = split_sentences(self._analysis.text)
        kept = [p for p in parts if "?" in p or not _says("tells_background", p, self.lang)]
        asked = concepts(" ".join(kept) or self._analysis.text, self.lang)
        if self.state.turns and self.says("they_just_said"):
            asked |= concepts(self.state.turns[-1].user, self.lang)
        return asked - generic_stems(self.lang)

    def _home_words(self) -> frozenset[str]:
        """The names of where the host works (capitalised words of its setting)."""
        return _place_names(self.persona.briefing.place.get(self.lang), self.lang)

    def _overlaps(self, texts: list[str], ignore: frozenset[str] = frozenset()) -> list[float]:
        """How much of the question each text speaks of, rare words counting more.

        A word most of the texts share ("débutant" in every pay answer) tells them apart
        less than one only a text has ("technicien"): each shared stem weighs its inverse
        document frequency among the texts compared.
        """
        # The host's everyday words ("event" and "agency" for an events agency: a third of
        # its lines) tell no answer apart: "does it pay well at the start?" is about the
        # start, not the one pay answer that also says "events".
        # A word the host says often weighs less ("finance" to a CFO: "Did you study finance
        # at university?" is about studying, the business school).
        weight = {}
        # Where the host works ("in toulouse") is where every answer is: "how much does a
        # beginner installer make in toulouse" is about the installer, not the one pay
        # answer that names the city (round 23: a junior engineer's pay).
        for stem in self._asked() - ignore - self._home_words():
            rare = rarity(self.persona, self.lang, stem)
            if rare >= DOMAIN_WORD_RARITY:
                weight[stem] = min(1.0, rare / RARE_WORD_RARITY)
        bags = [host_concepts(text, self.lang) & weight.keys() for text in texts]
        total = len(texts)
        frequency = Counter(stem for bag in bags for stem in bag)
        # A name of two words said as the text says it ("chef d'équipe", "team leader")
        # names that thing, not two loose words: the pay of the role asked, not another's.
        pairs = _pairs(self._analysis.text, self.lang) if self._analysis is not None else set()
        return [
            sum(weight[stem] * math.log((total + 1) / (frequency[stem] + 0.5)) for stem in bag)
            + PAIR_WEIGHT * len(pairs & _pairs(text, self.lang))
            for text, bag in zip(texts, bags, strict=True)
        ]

    def _short(self, text: str) -> str:
        """One sentence of an answer: the one on what was asked, else the first."""
        # A sentence that leans on the one before ("Mais en France, ils…") cannot stand alone.
        sequel = rule(self.lang, "sequel")
        parts = tuple(
            p for i, p in enumerate(sentences(text)) if i == 0 or not sequel.match(normalise(p))
        )
        if len(parts) < 2:
            return _first_sentence(text)
        overlaps = self._overlaps(list(parts))
        best = max(range(len(parts)), key=overlaps.__getitem__)
        if overlaps[best] <= 0:
            best = 0
        start = best
        leans = rule(self.lang, "leans_on_previous")
        if start > 0 and leans.match(normalise(parts[start])):
            start -= 1  # "…starts a bit lower" says nothing without the figure before it
        while start > 0 and len(parts[start].split()) <= FRAGMENT_WORDS:
            # "Remplacement d'onduleurs, rénovation, démantèlement." says nothing alone, nor
            # "A market that's just starting." after it: back to the sentence that says
            # what they are about.
            start -= 1
        end = best + 1
        if end == start + 1 < len(parts) and len(parts[start].split()) <= FRAGMENT_WORDS:
            # "L'énergie." opening an answer says nothing alone either: with what follows.
            end += 1
        return " ".join(part.strip() for part in parts[start:end])

    def _closest(self, candidates: list[int], texts: list[str]) -> list[int]:
        """The candidates whose words the question shares most ("AI" picks the AI answer).

        Only the question's own words count (not the generic ones of any question), and
        only a real overlap narrows the choice: otherwise every candidate stays.
        """
        if self._analysis is None or len(candidates) < 2:
            return candidates
        overlaps = self._overlaps(texts)
        best = max(overlaps)
        if best <= 0:
            return candidates
        return [c for c, o in zip(candidates, overlaps, strict=True) if o >= best - 1e-9]

    def asked_topic(self) -> tuple[str, float, bool]:
        """The topic of the question itself, past a "Vous parlez de X :" preamble, its
        routing score (the preamble's words are the host's, not what is asked), and whether
        there was such a preamble."""
        if self._analysis is None:
            return OTHER, 0.0, False
        asked = " ".join(q for q, _ in self._analysis.questions) or self._analysis.text
        tail = asked.rsplit(":", 1)[-1].strip()
        if not tail or tail == asked:
            return (*route_with_score(asked, self.lang, self.persona), False)
        return (*route_with_score(tail, self.lang, self.persona), True)

    def closing_question_topic(self) -> str | None:
        """The topic of the line's last question, when the line asks two ("that's me after
        the BP, right? do companies round here hire people like that"): the check on what
        was said may be answered from it, the last question is asked on its own."""
        if self._analysis is None or len(self._analysis.questions) < 2:
            return None
        topic = route_with_score(self._analysis.questions[-1][0], self.lang, self.persona)[0]
        return None if topic == OTHER else topic

    def tells_something(self) -> bool:
        """The visitor's line says something of them or of their plan (who they are,
        where they come from, what they want, what they did), not only "I'm looking
        around"."""
        analysis = self._analysis
        if analysis is None:
            return False
        told = {"introduction", "assets", "purpose", "link", "preparation", "give_back"}
        return (
            bool(told & set(analysis.intents))
            or self.told_background()
            or (analysis.words > VAGUE_ANSWER_WORDS)
        )

    def told_background(self) -> bool:
        """The visitor has said where they come from (remembered, or an asset stated)."""
        if "background" in self.state.visitor:
            return True
        # Every turn whose line stated an asset marked "assets", and one that told where the
        # visitor comes from in other words ("six years in retail logistics") marked
        # "told_background" (`_turn`): no need to read the turns again.
        if self.has("assets") or self.has("told_background"):
            return True
        return self._analysis is not None and (
            "assets" in self._analysis.intents
            or _says("tells_background", self._analysis.text, self.lang)
        )

    def _asked_purpose(self) -> bool:
        """The host's last reply asked why the visitor came."""
        if not self.state.turns:
            return False
        previous = self.state.turns[-1].reply
        return any(
            line in previous
            for key in ("ask_purpose", "ask_expectation")
            for line in self._variants(key) + default_lines(key, self.lang, self.persona.address)
        )

    def intends(self, intent: str) -> bool:
        """The visitor's current line carries this intent of the analysis lexicon."""
        return self._analysis is not None and intent in self._analysis.intents

    def asks_openly(self) -> bool:
        """The visitor's current line asks an open question ("…: how does it work?")."""
        return self._analysis is not None and self._analysis.question == "open"

    def says(self, name: str) -> bool:
        """The visitor's current line matches a rule of the dialogue lexicon."""
        return self._analysis is not None and _says(name, self._analysis.text, self.lang)

    def weak_topic(self) -> str | None:
        """The host's topic the line's own words point to, though below the routing
        threshold (a follow-up that asks about something else in passing)."""
        if self._analysis is None:
            return None
        return weakly_worded(self._analysis.text, self.lang, self.persona, foreign_allowed=True)

    def known_topic(self) -> str | None:
        """The topic of the host's answer that shares the rarest words with the question,
        among everything the host knows ("Vous parlez de la paperasse…" when the paperwork
        is in what it dislikes), when the match is clear and that answer not given yet."""
        if not self._asked() - asking_words(self.lang):
            return None
        places = [
            (topic, index, " ".join((answer.say, *answer.more)))
            for topic in self.persona.knowledge
            for index, answer in enumerate(self.persona.answers(topic, self.lang))
        ]
        # "c'est quoi le plus long ?": words of asking find no answer of their own.
        overlaps = self._overlaps([text for _, _, text in places], asking_words(self.lang))
        best = max(range(len(places)), key=overlaps.__getitem__, default=None)
        if best is None or overlaps[best] < KNOWN_ANSWER_MIN:
            return None
        topic, index, _text = places[best]
        fresh = index not in self.state.used.get(f"knowledge.{topic}", [])
        return (
            topic
            if fresh and self._fresh(self.persona.answers(topic, self.lang)[index].say)
            else None
        )

    def place(self, topics: frozenset[str] | None = None) -> Place | None:
        """The answer or detail of the host's knowledge that speaks most of the question
        (see `recall`): only the question counts, not a reaction before it ("l'amiante, je
        ne savais pas. Et QualiPV ?"), and a preamble ("Vous parlez de X : …") less."""
        if self._analysis is None:
            return None
        asked = " ".join(q for q, _ in self._analysis.questions) or self._analysis.text
        question, preamble = _split_preamble(asked)
        picked = self.picked_sentences()
        if picked:  # "You said you miss designing. Do you still…?": the detail is that one
            preamble = f"{picked} {preamble}".strip()
        weights = weigh(question, preamble, self.lang)
        last = self.state.last_answer
        previous = self.state.turns[-1].reply if self.state.turns else ""
        return find(
            self.persona,
            self.lang,
            weights,
            used=self.state.used,
            fresh=self._fresh,
            last=(last[0], last[1]) if last else None,
            topics=topics,
            echoed=frozenset(weights) & concepts(previous, self.lang),
        )

    def picked_sentences(self) -> str:
        """The sentences before the question that say they take up the host's words ("You
        said you miss designing."): what they take up is what the question is about."""
        if self._analysis is None or not self._analysis.questions:
            return ""
        asked = {q for q, _ in self._analysis.questions}
        picks = rule(self.lang, "picked_words")
        previous = self.state.turns[-1].reply if self.state.turns else ""
        said = concepts(previous, self.lang) - asking_words(self.lang) if previous else set()
        # "You look at the cash position every single morning. Why daily…?" takes up the
        # host's words without saying so: two of them make it a quote all the same.
        return " ".join(
            part
            for part in split_sentences(self._analysis.text)
            if part not in asked
            and (
                picks.search(normalise(part))
                or len(concepts(part, self.lang) & said) >= QUOTED_WORDS
            )
        )

    def asks_about_last_answer(self) -> bool:
        """Every word the question has of its own was in the host's last answer ("et le
        déclic, c'était quoi ?" right after "le tournant, c'est 2011…", a synonym counting
        as its word), and that answer has more behind it: the question asks for it."""
        if self._analysis is None or not self.asks_after_last_answer():
            return False
        asked = " ".join(q for q, _ in self._analysis.questions) or self._analysis.text
        own = set(weigh(asked, "", self.lang))
        previous = concepts(self.state.turns[-1].reply, self.lang)
        return bool(own) and own <= previous

    def picks_up_last_answer(self) -> bool:
        """The question takes up a rare word of the host's last answer ("qu'est-ce qui t'a
        fait basculer ?" right after "Le tournant, c'est 2017…"), and that answer has more
        behind it."""
        if self._analysis is None or not self.asks_after_last_answer():
            return False
        asked = " ".join(q for q, _ in self._analysis.questions) or self._analysis.text
        shared = set(weigh(asked, "", self.lang)) & concepts(self.state.turns[-1].reply, self.lang)
        return any(rarity(self.persona, self.lang, c) >= KEY_RARITY for c in shared)

    def asks_after_last_answer(self) -> bool:
        """The host's last reply told an answer that has more behind it, not said yet."""
        if not self.state.last_answer or not self.state.turns:
            return False
        if self.state.turns[-1].answered is None:
            return False
        topic, index = self.state.last_answer
        used = self.state.used.get(f"more.{topic}.{index}", [])
        more = self.persona.answers(topic, self.lang)[index].more
        return any(i not in used and self._fresh(text) for i, text in enumerate(more))

    def has_fresh_answer(self, topic: str) -> bool:
        """An answer on ``topic`` not given yet in this meeting."""
        used = self.state.used.get(f"knowledge.{topic}", [])
        answers = self.persona.answers(topic, self.lang)
        return any(i not in used and self._fresh(a.say) for i, a in enumerate(answers))

    def next_answer(self) -> int | None:
        """The first answer not yet given after the last one on its topic, in file order: the
        next step of a path the host is telling."""
        if not self.state.last_answer:
            return None
        topic, index = self.state.last_answer
        used = self.state.used.get(f"knowledge.{topic}", [])
        answers = self.persona.answers(topic, self.lang)
        later = range(index + 1, len(answers))
        return next((i for i in later if i not in used and self._fresh(answers[i].say)), None)

    def asked_again(self, act: Act) -> set[str]:
        """The host's words a follow-up picks up in its question, not in a reaction before it
        ("OK, modest but fine. What training would I need?" asks about training)."""
        if self._analysis is None:
            return set(act.picked)
        asked = " ".join(q for q, _ in self._analysis.questions) or self._analysis.text
        return set(act.picked) & set(content_stems(asked, self.lang))

    def follow_up_source(self, picked: tuple[str, ...], *, marked: bool = False) -> str | None:
        """Where the answer to a follow-up on the last topic comes from.

        ``"detail"``: the detail behind the last answer, when the line picks up that
        answer's words and no other answer on the topic fits the question better;
        ``"answer"``: another answer on the same topic that speaks of what was asked
        ("before 2012, what steps…?" after the 2012 story); ``None``: nothing the host
        knows fits (a follow-up on an anecdote, say).
        """
        last = self.state.last_answer
        if not last:
            return None
        topic, index = last
        answers = self.persona.answers(topic, self.lang)
        if index >= len(answers):
            return None
        said = answers[index]
        used = self.state.used.get(f"more.{topic}.{index}", [])
        details = [m for i, m in enumerate(said.more) if i not in used and self._fresh(m)]
        if rest := self._rest_of_last_answer():
            details.insert(0, rest)
        taken = self.state.used.get(f"knowledge.{topic}", [])
        others = [
            " ".join((a.say, *a.more))
            for i, a in enumerate(answers)
            if i not in taken and self._fresh(a.say)
        ]
        # What the line asks beyond the host's words it picked up says which fits: "you've
        # done every job: how did you move up from picker to manager?" asks about the
        # manager, not the picker again.
        scores = (
            self._overlaps([*details, *others], self._echoed_words()) if details or others else []
        )
        best_detail = max(scores[: len(details)], default=0.0)
        best_other = max(scores[len(details) :], default=0.0)
        answer_words = set(content_stems(" ".join((said.say, *said.more)), self.lang))
        on_answer = not picked or bool(set(picked) & answer_words)
        # "You said to work one peak as a temp: what would I learn there?" says which
        # answer it follows up: its details, unless another answer fits far better.
        margin = QUOTED_ANSWER_MARGIN if marked and picked else 0.0
        if details and on_answer and best_detail + margin >= best_other:
            return "detail"
        if best_other > 0:
            return "answer"
        if details and on_answer:
            return "detail"
        return None

    def _echoed_words(self) -> frozenset[str]:
        """The question's words taken from the host's last reply, when it has others of its
        own: those others say what it asks (with none, the echoed words are all it has)."""
        if self._analysis is None or not self.state.turns:
            return frozenset()
        echoed = self._asked() & concepts(self.state.turns[-1].reply, self.lang)
        return (
            frozenset(echoed) if self._asked() - echoed - asking_words(self.lang) else frozenset()
        )

    def reanchor(self, marked: bool) -> bool:
        """A follow-up that quotes an answer given before the last one ("You said to work one
        peak as a temp, October to January: what would I learn there?" after the shifts):
        that answer becomes the one followed up. True when it changed."""
        last = self.state.last_answer
        if not marked or not last or self._analysis is None:
            return False
        asked = " ".join(q for q, _ in self._analysis.questions) or self._analysis.text
        _question, preamble = _split_preamble(self._analysis.text)
        quoted = preamble or asked
        wanted = concepts(quoted, self.lang) - asking_words(self.lang) - generic_stems(self.lang)
        if not wanted:
            return False

        def shared(topic: str, index: int) -> int:
            answer = self.persona.answers(topic, self.lang)[index]
            return len(wanted & host_concepts(answer.say, self.lang))

        best, most = None, shared(*last)
        for key, indexes in self.state.used.items():
            if key.startswith("knowledge."):
                topic = key.removeprefix("knowledge.")
                for index in indexes:
                    # Two words more than the last answer, or the one the line names
                    # when the last answer has none of them ("Vous parlez du brief").
                    count = shared(topic, index)
                    if count > most + 1 or (count > most == 0 and preamble):
                        best, most = (topic, index), count
        if best is None:
            return False
        self.state.last_topic, self.state.last_answer = best[0], [best[0], best[1]]
        return True

    def asks_beyond(self, texts: list[str]) -> bool:
        """The question asks something of its own (words not taken from the host's last
        reply, not words of asking) that none of ``texts`` speaks of: "what happens when a
        plant manager disagrees?" after the plant controllers' reporting line."""
        previous = self.state.turns[-1].reply if self.state.turns else ""
        # Only words beyond the general vocabulary of questions about work, and two of them:
        # "in practice", "on your side" ask nothing the host lacks (round 11 readings).
        own = (
            self._asked()
            - asking_words(self.lang)
            - concepts(previous, self.lang)
            - vocabulary(self.lang)
        )
        return len(own) >= BEYOND_WORDS and not any(
            own & concepts(text, self.lang) for text in texts
        )

    def follow_up_texts(self, source: str) -> list[str]:
        """What a follow-up on the last answer may be answered with: the details behind it
        not said yet (``"detail"``), or the other answers on its topic (``"answer"``)."""
        if not self.state.last_answer:
            return []
        topic, index = self.state.last_answer
        answers = self.persona.answers(topic, self.lang)
        if source == "detail":
            used = self.state.used.get(f"more.{topic}.{index}", [])
            return [m for i, m in enumerate(answers[index].more) if i not in used]
        taken = self.state.used.get(f"knowledge.{topic}", [])
        return [" ".join((a.say, *a.more)) for i, a in enumerate(answers) if i not in taken]

    def _take_detail(self) -> str | None:
        """The detail behind the last answer that best matches the words picked up: the
        rest of that answer first, when only its first words were said ("…goes through
        five steps." then "Five steps, ok, what are they?")."""
        topic, index = self.state.last_answer or (None, 0)
        if topic is None:
            return None
        more = list(self.persona.answers(topic, self.lang)[index].more)
        used = self.state.used.setdefault(sys.intern(f"more.{topic}.{index}"), [])
        fresh = [i for i, text in enumerate(more) if i not in used and self._fresh(text)]
        rest = self._rest_of_last_answer()
        if rest:
            fresh.insert(0, len(more))
            more.append(rest)
        if not fresh:
            return None
        overlaps = self._overlaps([more[i] for i in fresh], self._echoed_words())
        if max(overlaps) <= 0:
            overlaps = self._overlaps([more[i] for i in fresh])
        best = fresh[max(range(len(fresh)), key=overlaps.__getitem__)]
        if more[best] is not rest:
            used.append(best)
        return more[best]

    def _rest_of_last_answer(self) -> str:
        """What the host's last reply left out of the answer it said in part (a brief host
        says one sentence of it): the sentences not said yet, in the author's order."""
        if not self.state.last_answer or not self.state.turns:
            return ""
        topic, index = self.state.last_answer
        answers = self.persona.answers(topic, self.lang)
        if index >= len(answers):
            return ""
        parts = [p.strip() for p in sentences(answers[index].say)]
        # Compared without case or accents: "Yanis, le tournant…" said "Le tournant…".
        reply = normalise(self.state.turns[-1].reply)
        said = [normalise(p) in reply for p in parts]
        if len(parts) < 2 or not any(said):
            return ""
        rest = [p for p, told in zip(parts, said, strict=True) if not told and self._fresh(p)]
        if len(rest) == 1 and len(rest[0].split()) <= FRAGMENT_WORDS:
            return ""  # "Safety first." alone is no answer to a follow-up
        return " ".join(rest)

    def _word(self, move: Move, rng: random.Random, before: list[str]) -> list[str]:
        """The words of one move of the plan (``before``: what this reply says until then)."""
        persona = self.persona
        if move.kind == "line":
            if move.key == "mention_ok" and _says("use_my_name", " ".join(before), self.lang):
                return []  # the referral already said "tell her I sent you"
            values: dict[str, object] = {}
            if move.key in ("time_warning", "time_left"):
                values["minutes"] = max(1, round(self.remaining_minutes))
            elif move.key in ("referral_again", "referral_contact"):
                values["name"] = persona.referral.name
            elif move.key == "background_touch":
                values["background"] = self.state.visitor.get("background", "")
            if move.key == "brief_closed":
                return [text] if (text := self._brief_closed(rng)) else []
            text = self._pick(move.key or "", rng, optional=move.optional, **values)
            if text and move.key in WELCOMES and self._asks_now() and not self._asks_only_notes():
                # "Tell me about you!" or "Your first question?" when the visitor has just
                # asked one: the welcome's first words only, then the answer.
                first = sentences(text)[0].strip()
                text = "" if first.endswith("?") else first
            return [text] if text else []
        if move.kind == "referral":
            text = self._pick(
                "referral.give",
                rng,
                name=persona.referral.name,
                description=persona.referral.description.get(self.lang),
            )
            return [text] if text else []
        if move.kind == "yes_no":
            return [self._pick(self._yes_or_no(), rng) or ""]
        if move.kind == "anecdote":
            text = self._anecdote(rng, before)
            return [text] if text else []
        if move.kind == "detail" and move.index is not None:
            return [self._unhedged(self._take_place(move))]
        if move.kind == "answer" and move.index is not None:
            say = self._unsequelled(
                move.topic or "",
                move.index,
                self._take_place(replace(move, detail=None)),
                before,
            )
            if move.detail is None:
                return [self._short(say) if move.short else self._unhedged(say)]
            detail = self._take_place(move)
            said = self._short(say) if move.short else self._unhedged(say)
            return list(self._unechoed(said, detail))
        if move.kind == "detail":
            text = self._take_detail()
            return [self._unhedged(text)] if text else [self._pick("exhausted", rng) or ""]
        # an answer on a topic
        parts = []
        for _ in range(move.count):
            taken = self._take_answer(move.topic or "", rng)
            if taken is None:
                break
            index, answer = taken
            text = self._unhedged(
                self._unsequelled(move.topic or "", index, answer.say, [*before, *parts])
            )
            parts.append(self._short(text) if move.short else text)
        if not parts and (detail := self._topic_detail(move.topic or "")):
            parts.append(detail)
        if not parts:
            return [self._pick("exhausted", rng) or ""]
        return parts

    def _brief_closed(self, rng: random.Random) -> str | None:
        """A brief host's "Generally, yes." before its short answer to a yes/no question,
        true to that answer: "Plutôt non. Trois canaux : … des cabinets spécialisés" to
        "Vous passez par des cabinets ?" contradicted itself (round 16). "It depends" fits
        no question in particular ("Cela dépend de l'usine." to "Vous êtes DAF depuis
        longtemps ?"): none then, the answer alone."""
        grounded = self._yes_or_no()
        lines = self._variants("brief_closed") or default_lines(
            "brief_closed", self.lang, self.persona.address
        )
        fitting = [v for v in lines if _polarity(v, self.lang) == grounded]
        if self._analysis is not None and _says("past_question", self._analysis.text, self.lang):
            # "Did you study finance at university?" asks one past fact: "Generally, yes."
            # answers how often, so the answer goes alone.
            fitting = [v for v in fitting if not _says("frequency_hedge", v, self.lang)]
        # Each said once a meeting: "En général, oui." five times in a row is a tic; the
        # short answer alone is then as good.
        used = self.state.used.setdefault(sys.intern("lines.brief_closed"), [])
        fresh = [v for v in fitting if lines.index(v) not in used]
        if not fresh:
            return None
        choice = rng.choice(fresh)
        used.append(lines.index(choice))
        return choice

    def _yes_or_no(self) -> str:
        """A bare "yes" or "no" true to what the host knows: "no" when the line of its
        knowledge the question speaks of denies it ("on n'a pas de robots"), else "yes".

        A visitor's closed question about the host's work mostly presupposes what is so ("Do
        you work here?", "Is the warehouse big?"); a random "No." followed, two lines later,
        by 60,000 m² contradicts the host.
        """
        topic = self.asked_topic()[0]
        # Only the line the question is on: another topic's "we don't own the plants" says
        # nothing of "Do you work mostly with farms?" (round 19: "Rather not. Half are
        # farmers").
        place = self.place(frozenset({topic})) if topic != OTHER else self.place()
        if place is None or (topic != OTHER and place.topic != topic):
            return self._topic_yes_or_no(topic)
        answer = self.persona.answers(place.topic, self.lang)[place.index]
        text = answer.say if place.detail is None else answer.more[place.detail]
        keys = set(place.keys)
        said = [s for s in sentences(text) if keys & concepts(s, self.lang)]
        denied = said and all(_says("negation", s, self.lang) for s in said)
        return "no" if denied else "yes"

    def _topic_yes_or_no(self, topic: str) -> str:
        """ "No" when the first answer on the topic that speaks of the question's words
        denies it ("Il faut un diplôme ?": "Pas de diplôme pour préparer les commandes"),
        else "yes": the question's words, common ones included, choose the sentence."""
        if topic == OTHER:
            return "yes"
        asked = self._asked()
        for answer in self.persona.answers(topic, self.lang):
            said = [s for s in sentences(answer.say) if asked & concepts(s, self.lang)]
            if said:
                return "no" if _says("negation", said[0], self.lang) else "yes"
        return "yes"

    def _take_place(self, move: Move) -> str:
        """The answer (``detail`` None) or detail a move names, marked as said; it becomes
        the host's last answer, so that the next follow-up goes on from it."""
        topic, index = move.topic or "", move.index or 0
        answer = self.persona.answers(topic, self.lang)[index]
        self.state.last_topic = topic
        self.state.last_answer = [topic, index]
        if move.detail is None:
            used = self.state.used.setdefault(sys.intern(f"knowledge.{topic}"), [])
            if index not in used:
                used.append(index)
            return answer.say
        used = self.state.used.setdefault(sys.intern(f"more.{topic}.{index}"), [])
        if move.detail not in used:
            used.append(move.detail)
        return answer.more[move.detail]

    def _anecdote(self, rng: random.Random, before: list[str]) -> str | None:
        """A story after an answer. A talkative host tells any story; another host only one
        on what was just asked or said (a story about a bakery after a pay range is a non
        sequitur)."""
        stories = self.persona.anecdotes.get(self.lang) or []
        if not stories:
            return None
        if self.persona.temperament.verbosity >= TALKATIVE:
            return self._pick("anecdotes.all", rng, optional=True)
        asked = self._analysis.text if self._analysis else ""
        context = set(content_stems(" ".join([asked, *before]), self.lang))
        context -= generic_stems(self.lang) | _story_ignored(self.lang)
        context = {stem for stem in context if not stem.isdigit()}
        used = self.state.used.setdefault("anecdotes.all", [])
        related = [
            i
            for i, story in enumerate(stories)
            if i not in used
            and self._fresh(story)
            and len(context & set(content_stems(story, self.lang))) >= ANECDOTE_SHARED_STEMS
        ]
        if not related:
            return None
        choice = rng.choice(related)
        used.append(choice)
        return stories[choice]

    def _topic_detail(self, topic: str) -> str | None:
        """When every answer on a topic was given, a detail behind one of them not told yet."""
        for index, answer in enumerate(self.persona.answers(topic, self.lang)):
            used = self.state.used.setdefault(sys.intern(f"more.{topic}.{index}"), [])
            for i, text in enumerate(answer.more):
                if i not in used and self._fresh(text):
                    used.append(i)
                    self.state.last_topic = topic
                    self.state.last_answer = [topic, index]
                    return text
        return None

    def _address(self, parts: list[str], rng: random.Random) -> list[str]:
        """Now and then, a warm host calls the visitor by the name they gave."""
        name = self.state.visitor.get("name")
        state = self.state
        if (
            not name
            or not parts
            or self.persona.temperament.warmth < 0.5
            or state.done.count("named") >= 2
            or len(state.turns) - state.named_at < 4
            or rng.random() > 0.5
        ):
            return parts
        first = parts[0]
        word = first.split(" ", 1)[0]
        if not word or normalise(word) not in lexicon(self.lang).stopwords:
            return parts
        if rule(self.lang, "sequel").match(normalise(first)):
            return parts  # "Claire, and I'd have…" reads broken

        state.done.append("named")
        state.named_at = len(state.turns)
        # "I" stays a capital ("Alex, I started…", never "Alex, i started…").
        opening = first if re.match(r"I\b", first) else first[0].lower() + first[1:]
        return [f"{name}, {opening}", *parts[1:]]

    # -- one turn -------------------------------------------------------------------------------

    def say(self, text: str) -> TurnResult:
        """The user says one line; returns the persona's reply and at most one coach hint."""
        _ = translations(self.lang).gettext
        if self.ended:
            return TurnResult(None, [], True, _("This meeting is over."))
        text = text[:MAX_LINE_CHARS]
        analysis = with_requests(
            analyse(text, self.lang), self.lang, answering=self._context().asked
        )
        if analysis.is_empty:
            return TurnResult(
                None,
                [],
                False,
                _("Nothing to say? Type the sentence you would say to {name}.").format(
                    name=self.persona.name
                ),
            )
        if not analysis.understood:
            return TurnResult(
                None,
                [],
                False,
                _("I did not recognise the language: this rehearsal is in English."),
            )
        return self._turn(analysis)

    def _context(self) -> Context:
        state = self.state
        previous = state.turns[-1].reply if state.turns else " ".join(state.opening)
        answered = state.turns[-1].answered if state.turns else None
        return Context(
            previous=previous or None,
            asked=asks_visitor(previous),
            topic=answered,
            content=answered is not None,
            asked_topic=state.turns[-1].topic if state.turns else None,
            earlier=self._earlier_stems,
        )

    def _earlier_stems(self) -> StemSet:
        """The stems of what the host said before its last reply (the opening and every
        reply but the last), for "you said six plants…" three answers later.

        Built once, then grown by the replies that became earlier since: each reply is
        read once in a meeting's life in memory, not the whole history at every turn
        (that made a turn cost more the longer the meeting). A take-back starts it again.
        """
        turns, lang = self.state.turns, self.lang
        if self._earlier is None:
            self._earlier = StemSet()
            self._earlier.update(content_stems(" ".join(self.state.opening), lang))
            self._earlier_upto = 0
        for turn in turns[self._earlier_upto : len(turns) - 1]:
            self._earlier.update(content_stems(turn.reply, lang))
        self._earlier_upto = max(self._earlier_upto, len(turns) - 1)
        return self._earlier

    def _turn(self, analysis: Analysis) -> TurnResult:
        before = _snapshot(self.state)
        cfg = rubric()
        state, temperament = self.state, self.persona.temperament
        self._done_before = len(state.done)
        self._analysis = analysis
        self._said_set = None  # built again from the state: a take-back may have cut it
        rng = self._rng("turn")
        intents = set(analysis.intents)
        if self._mentions_referrer(analysis.text):
            intents.add("link")  # "X sent me": the best possible opening
            state.trust = min(1.0, state.trust + cfg["trust"]["referrer_mentioned"])
        act = read(analysis, self.lang, self._context(), self.persona)
        if (
            act.kind == "answer"
            and "job_request" not in intents
            and (self.says("purpose_answer") or self.says("career_goal"))
            and self._asked_purpose()
        ):
            # "Comprendre ce que fait vraiment un DAF." answers "qu'attendez-vous de moi ?":
            # the visitor said why they came, in the host's frame.
            intents.add("purpose")
        self._counting = _says("counting", analysis.text, self.lang)
        self._open_question = analysis.question == "open" or (
            act.kind in ("question", "follow_up", "referral_request") and not act.polar
        )
        listening = act.kind == "follow_up"
        rambling = analysis.words > cfg["rambling_words"]
        clock = cfg["clock"]
        state.minute += clock["per_turn"] + analysis.words / clock["user_words_per_minute"]
        overtime = state.minute > self.end_minute
        self._remember(analysis.text)

        # Trust first: how the persona feels decides what it says.
        delta = cfg["trust"]
        change = 0.0
        for intent in (
            "confidential_request",
            "job_request",
            "rude",
            "give_back",
            "keep_informed",
            "thanks",
            "notes_permission",
            "preparation",
            "assets",
        ):
            if intent == "confidential_request" and intent in intents and self.says("own_pay"):
                change += delta["own_pay"]  # personal, not the company's secrets
            elif intent in intents:
                change += delta[intent]
        for flag in ("introduction", "link", "purpose"):
            if flag in intents and not self.has(flag):
                change += delta[flag]
        if analysis.question == "open":
            change += delta["open_question"]
            state.closed_streak = 0
        elif act.kind in ("question", "follow_up") and analysis.question == "closed":
            change += delta["closed_question"]
            state.closed_streak += 1
            if state.closed_streak > temperament.patience:
                change += delta["closed_streak_beyond_patience"]
        if listening:
            change += delta["listening"]
        if rambling:
            change += delta["rambling"]
        state.trust = min(1.0, max(0.0, state.trust + change))
        for flag in (
            "introduction",
            "link",
            "purpose",
            "assets",
            "notes_permission",
            "give_back",
            "thanks",
            "keep_informed",
            "mention_permission",
            "preparation",
        ):
            if flag in intents:
                self.mark(flag)
        if _says("tells_background", analysis.text, self.lang):
            self.mark("told_background")
        if _says("found_alone", analysis.text, self.lang):
            self.mark("found_alone")
        if "link" in intents:
            named = self._names_referrer(analysis.text)
            self.mark("named_referrer" if named else "other_referrer")
        if act.kind == "job_request":
            self.mark("job_request")
            self.mark("suspicion")
        elif "purpose" in intents and "suspicion" in state.done:
            state.done.remove("suspicion")
        if analysis.question == "open":
            state.done.append("open_question")

        last_before = list(state.last_answer) if state.last_answer else None
        plan = decide(self, act, rambling=rambling)
        parts: list[str] = []
        for move in plan.moves:
            parts.extend(text for text in self._word(move, rng, parts) if text)
        told = any(m.kind in ("answer", "detail") for m in plan.moves)
        parts = self._address(_no_echo(parts, self._said), rng)
        reply = " ".join(parts)
        # Not `sentences`: its cache is for the hosts' own texts, a reply is new each time.
        for sentence in split_sentences(reply):
            if is_long_sentence(sentence) and (mark := fingerprint(sentence)) not in self._said:
                self._said.add(mark)
                state.said.append(mark)
        state.asked = asks_visitor(reply)
        state.minute += len(reply.split()) / clock["persona_words_per_minute"]
        self._advance(analysis, intents, plan.ended_by)
        changes = _changes(before, state)
        if state.turns:
            # Only the last exchange keeps a snapshot (older ones made every turn cost more
            # than the one before: a 40-turn meeting weighed 140 KB); the previous one rides
            # along in it, so an undo leaves the meeting exactly as it was.
            previous = state.turns[-1].before or {}
            changes["previous"] = {k: v for k, v in previous.items() if k != "previous"}
            state.turns[-1].before = None
        state.turns.append(
            Turn(
                user=analysis.text,
                reply_parts=tuple(parts),
                phase=self.phase,
                hints=(),
                minute=round(state.minute, 2),
                question=analysis.question,
                intents=sorted(intents),
                topics=(act.topic,) if act.topic and act.topic != OTHER else (),
                questions=analysis.questions,
                listening=listening,
                rambling=rambling,
                overtime=overtime,
                before=changes,
                act=act.kind,
                topic=act.topic,
                polar=act.polar,
                echoed=listening and (act.marked or bool(act.picked)) and len(state.turns) > 0,
                answered=(
                    state.last_answer[0]
                    if state.last_answer and (state.last_answer != last_before or told)
                    else None
                ),
            )
        )
        self._analysis = None
        self._said_set = None
        return TurnResult(reply, [], self.ended)

    def _remember(self, text: str) -> None:
        """The visitor's first name and background, when they say them."""
        visitor = self.state.visitor
        spec = lexicon(self.lang).dialogue
        norm = normalise(text)
        if "name" not in visitor:
            for pattern in spec.get("name", ()):
                if found := re.search(pattern, norm):
                    visitor["name"] = _original_words(text, found.group("name")).title()
                    break
            else:
                for pattern in spec.get("name_as_typed", ()):
                    if found := re.search(pattern, text):
                        visitor["name"] = found.group("name")
                        break
                else:
                    self._remember_lowercase_name(text)
        if "background" not in visitor:
            for pattern in spec.get("background", ()):
                found = re.search(pattern, norm)
                if found and not rule(self.lang, "background_unless").search(found["background"]):
                    phrase = _original_words(text, found.group("background"))
                    if not re.match(r"(?i)(dans|en|chez|in|at)\b", phrase):
                        phrase = ("dans " if self.lang == "fr" else "in ") + phrase
                    visitor["background"] = phrase
                    break

    def _remember_lowercase_name(self, text: str) -> None:
        """ "im jordan." as a chat types it: a name when no word list of the lexicon knows
        the word ("im tired." is no name)."""
        lex = lexicon(self.lang)
        norm = lex.expand(normalise(text))
        known = lex.stopwords | vocabulary(self.lang) | generic_stems(self.lang)
        for pattern in lex.dialogue.get("name_lowercase", ()):
            found = re.search(pattern, norm)
            if found is None:
                continue
            word = found.group("name")
            state = lex.classes.get("state")
            if (
                word in known
                or word_stem(word, self.lang) in known
                or (state and re.fullmatch(f"(?:{state})", word))
            ):
                continue
            self.state.visitor["name"] = _original_words(text, word).title()
            return

    def undo(self) -> Turn | None:
        """Take back the last exchange: the meeting returns exactly to before it.

        The same line said again then gets the same reply (randomness is seeded by turn).
        The last two exchanges can be taken back, not older ones, nor once the meeting ended.
        """
        if self.ended or not self.state.turns or not self.state.turns[-1].before:
            return None
        turn = self.state.turns.pop()
        _undo_changes(self.state, turn.before)
        if self.state.turns:
            self.state.turns[-1].before = turn.before.get("previous") or None
        self._earlier = None  # the replies it was built from changed
        self.phase = self.state.phase
        self.state.takebacks += 1
        return turn

    def _mentions_referrer(self, text: str) -> bool:
        """The first time the user names the persona who sent them (surname is enough)."""
        referrer = self.state.referred_by
        if not referrer or self.has("mentioned_referrer"):
            return False
        surname = normalise(referrer).split()[-1]
        if surname not in normalise(text).split():
            return False
        self.mark("mentioned_referrer")
        return True

    def referral_earned(self) -> bool:
        referral = self.persona.referral
        if self.state.clammed or self.state.trust < referral.min_trust:
            # A host who closed up after a request for secrets names nobody.
            return False
        for requirement in referral.requires:
            if requirement == "open_questions":
                if self.state.done.count("open_question") < 2:
                    return False
            elif requirement == "assets":
                # "six ans en contrôle qualité dans l'agroalimentaire" says what one brings.
                if not (self.has("assets") or self.has("told_background")):
                    return False
            elif not self.has(requirement):
                return False
        return True

    def _advance(self, analysis: Analysis, intents: set[str], ended_by: str | None) -> None:
        if ended_by:
            self.state.ended_by = ended_by
            self._fire("finish")
            return
        if self.phase == "opening" and intents & {"introduction", "link", "purpose"}:
            self._fire("introduce")
        if analysis.question and self.phase in ("opening", "introduction"):
            self._fire("explore")
        thanks_to_close = "thanks" in intents and len(self.state.turns) >= 3
        if self.phase == "exploration" and (
            "referral_request" in intents
            or thanks_to_close
            or self.remaining_minutes <= rubric()["clock"]["warning_minutes"]
        ):
            self._fire("wrap_up")

    # -- ending ----------------------------------------------------------------------------------

    def end(self, by: str = "user") -> str | None:
        """The user ends the meeting; the persona's goodbye, or None if it had already ended."""
        if self.ended:
            return None
        farewell = self._pick("goodbye", self._rng("end"))
        self.state.farewell = farewell
        self.state.ended_by = by
        self._fire("finish")
        return farewell

    def to_dict(self) -> dict[str, Any]:
        return self.state.to_dict()


#: How much better another answer must fit a follow-up that quotes the host ("You said…")
#: than the details of the answer it quotes, to be said instead of them.
QUOTED_ANSWER_MARGIN = 3.0


def _polarity(line: str, lang: str) -> str:
    """What a short reply to a yes/no question says: "yes", "no", or "depends"."""
    if _says("hedge", line, lang):
        return "depends"
    return "no" if _says("negation", line, lang) else "yes"


def _mentions(said: str, words: list[str]) -> bool:
    """``said`` (normalised) has a word that begins with one of ``words``."""
    return bool(words) and _word_starts(tuple(words)).search(said) is not None


@lru_cache(maxsize=512)
def _word_starts(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(normalise(w)) for w in words) + ")")


def _says(name: str, text: str, lang: str) -> bool:
    """The text matches a rule of the dialogue lexicon (searched on normalised text, chat
    spellings written out: "jpeux venir aider" is "je peux venir aider")."""
    return bool(rule(lang, name).search(lexicon(lang).expand(normalise(text))))


@lru_cache(maxsize=2)
def _story_ignored(lang: str) -> frozenset[str]:
    """Stems of numbers and units, which a story shares with any answer by chance."""
    words = lexicon(lang).dialogue["story_ignored_words"]
    return frozenset(stem for word in words for stem in content_stems(word, lang))


def _opens_on_yes(text: str, lang: str) -> bool:
    """The line starts with a yes ("Oui, allez-y", "Oh yes, take notes")."""
    yes = r"^(ah |oh |mais )?(oui|yes|yeah|yep|ouais|bien sur que oui)\b"
    return bool(re.match(yes, normalise(text)))


@lru_cache(maxsize=16384)
def _opens_on_yes_no(text: str, lang: str) -> bool:
    return bool(rule(lang, "yes_no_start").match(normalise(text)))


#: What a two-word name shared with the question ("chef d'équipe") adds to a text's overlap.
PAIR_WEIGHT = 1.0


@lru_cache(maxsize=16384)
def _pairs(text: str, lang: str) -> frozenset[tuple[str, str]]:
    """Adjacent content words of a text, as stems ("chef d'équipe" -> (chef, equip)); not
    the words of asking ("starts at roughly" names nothing: a team leader's pay, asked
    "when starting out, roughly", is not the picker's)."""
    ignored = _asking_stems(lang)
    stems = content_stems(text, lang)
    return frozenset(
        (a, b) for a, b in itertools.pairwise(stems) if a not in ignored and b not in ignored
    )


@lru_cache(maxsize=2)
def _asking_stems(lang: str) -> frozenset[str]:
    words = lexicon(lang).dialogue.get("recall_ignored_words") or ()
    return frozenset(s for word in words for s in content_stems(str(word), lang))


#: Where what was picked up ends and the question begins: a colon, the end of a sentence
#: ("…slicing mock-ups… What made you move?"), or a comma before a question word ("You said
#: half come through referrals, and the other half?").
_PREAMBLE_END = re.compile(
    r"(?::|…|\.\.\.|[.!;])\s+|,\s+(?=(?:and |et |but |mais )?(?:what|how|why|which|who|where|"
    r"when|qu|comment|pourquoi|quel|quelle|quels|quelles|combien|ou|c'est quoi|c quoi)\b)",
    re.I,
)


_QUESTION_WORD = re.compile(
    r"\b(what|how|why|which|who|where|when|qu|que|quoi|comment|pourquoi|quel|quelle|quels|"
    r"quelles|combien|où)\b",
    re.I,
)


def _split_preamble(asked: str) -> tuple[str, str]:
    """(question, preamble) of a line that picks something up before asking."""
    ends = [m for m in _PREAMBLE_END.finditer(asked) if asked[m.end() :].strip()]
    for end in reversed(ends):
        tail = asked[end.end() :]
        # "…comment recrutez-vous : promotion interne ou externe ?" asks with what precedes.
        if _QUESTION_WORD.search(tail) or len(re.findall(r"\w+", tail)) >= 6:
            return tail, asked[: end.start()]
    return asked, ""


@lru_cache(maxsize=4096)
def _about_a_document(text: str, lang: str) -> bool:
    return _says("document", text, lang)


#: A detail's opening that names what it goes on from ("CFO of Cartonnages de la Vesle since
#: 2017: hired by the family…"), up to its colon.
_ECHO_OPENING = re.compile(r"^([^:.!?]{8,90}):\s+(\S)")


def _no_echo(parts: list[str], said: set[str]) -> list[str]:
    """The reply's parts without saying the same thing twice in a row.

    A detail opens on the words it goes on from ("CFO of Cartonnages de la Vesle since 2017:
    hired by…"): said right after them, or once they were said, the opening goes ("Hired
    by…"). A part whose first sentence repeats and extends the last one of the part before
    ("Installateurs et développeurs y vont. Installateurs et développeurs y vont, mais…")
    replaces it."""
    out: list[str] = []
    for part in parts:
        opening = _ECHO_OPENING.match(part)
        if opening and fingerprint(opening[1] + ".") in said | {
            fingerprint(s) for p in out for s in split_sentences(p)
        }:
            part = opening[2].upper() + part[opening.end(2) :]
        if out:
            last = split_sentences(out[-1])[-1].strip()
            head = last.rstrip(".!…")
            if len(head.split()) >= 3 and normalise(part).startswith(normalise(head)):
                kept = out[-1][: out[-1].rstrip().rfind(last)].rstrip()
                if kept:
                    out[-1] = kept
                else:
                    out.pop()
        out.append(part)
    return out


#: Longer than this, an answer to the host's question tells something, whatever its words.
VAGUE_ANSWER_WORDS = 25

#: At most this many words before a colon make a detail's heading ("Sur site presque en
#: permanence : …"), which an answer said just before need not hear again.
ECHO_HEADING_WORDS = 8


def is_long_sentence(sentence: str) -> bool:
    """Only sentences of four words or more must never be said twice ("Oui." may)."""
    return len(sentence.split()) >= 4


@lru_cache(maxsize=64)
def _place_names(place: str, lang: str) -> frozenset[str]:
    """The concepts of the proper names in a host's setting ("Toulouse", "L'Union")."""
    names = " ".join(re.findall(r"(?<!^)(?<![.!?] )\b[A-Z][\w'-]+", place))
    return frozenset(host_concepts(names, lang)) if names else frozenset()


@lru_cache(maxsize=65536)
def fingerprint(sentence: str) -> str:
    """A short, stable digest of a normalised sentence, to remember it was said."""
    return hashlib.blake2s(normalise(sentence).encode(), digest_size=6).hexdigest()


def _name_words(text: str) -> list[str]:
    """The words of a text, normalised, without punctuation ("Saluez Bernard." -> bernard)."""
    return re.findall(r"[^\W\d_]+", normalise(text))


def _original_words(text: str, phrase: str) -> str:
    """The words of ``text`` (as typed, accents kept) whose normalised form is ``phrase``."""
    target = phrase.split()
    tokens = re.findall(r"[\w'’-]+", text)
    norms = [normalise(t) for t in tokens]
    for i in range(len(tokens) - len(target) + 1):
        if norms[i : i + len(target)] == target:
            return " ".join(tokens[i : i + len(target)])
    return phrase


#: The visitor's own name in an introduction ("je suis Julien", "my name is Julien").
_OWN_NAME = re.compile(
    r"\b(je suis|je m'appelle|moi c'est|i'm|i am|my name is|my name's) [a-z-]+\b(?!')"
)
#: Reactions that may name the host's usual referrer (not said to a visitor sent by another).
_MAY_NAME_REFERRER = frozenset(
    {
        "arrival",
        "late_excuse",
        "ask_purpose",
        "ask_expectation",
        "welcome_intro",
        "job_request",
        "goodbye",
        "thanks",
    }
)
