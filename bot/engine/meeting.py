"""The meeting: phases (a `transitions` state machine), simulated clock, trust, reply choice.

A `Meeting` is plain state plus the rules that move it. Its state (`MeetingState`) is a
dataclass of JSON-friendly values, so a channel can store it after every turn and rebuild
the meeting after a restart. Randomness is seeded per turn from the meeting seed, so the
same seed and the same lines give the same meeting, and a take-back can replay exactly.
"""

from __future__ import annotations

import random
import re
import weakref
from dataclasses import asdict, dataclass, field
from typing import Any

from transitions import Machine

from bot.engine import coach
from bot.engine.analysis import Analysis, analyse, lexicon, normalise
from bot.engine.personas import Persona
from bot.engine.rubric import rubric
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


@dataclass
class Turn:
    """One exchange, with what the coach needs to score it later."""

    user: str
    reply: str
    phase: str
    hints: list[str]
    minute: float
    question: str | None
    intents: list[str]
    topics: list[str]
    questions: list[list[str]]
    listening: bool = False
    rambling: bool = False
    overtime: bool = False
    #: The meeting's mutable fields just before this turn, so `/undo` restores them exactly.
    before: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        return cls(**data)


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
)


def _snapshot(state: MeetingState) -> dict[str, Any]:
    snap = {name: getattr(state, name) for name in _UNDOABLE}
    snap["done"] = list(state.done)
    snap["used"] = {key: list(value) for key, value in state.used.items()}
    return snap


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MeetingState:
        data = dict(data)
        data["turns"] = [Turn.from_dict(t) for t in data.get("turns", [])]
        return cls(**data)


@dataclass(frozen=True)
class TurnResult:
    """What a channel shows after one user line."""

    reply: str | None
    hints: list[str]
    ended: bool
    #: A message from the bot itself (not the persona), e.g. about an empty line.
    notice: str | None = None


_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


def _first_sentence(text: str) -> str:
    return _SENTENCE.split(text, maxsplit=1)[0]


class Meeting:
    """A rehearsal against one persona. Create with `Meeting.start`, feed with `say`."""

    def __init__(self, persona: Persona, state: MeetingState) -> None:
        self.persona = persona
        self.state = state
        self.phase = state.phase

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

    def _mark(self, flag: str) -> bool:
        """Record a first-time achievement; True when it is new."""
        if flag in self.state.done:
            return False
        self.state.done.append(flag)
        return True

    # -- choosing what the persona says -------------------------------------------------------

    def _rng(self, salt: str | int) -> random.Random:
        return random.Random(f"{self.state.seed}:{len(self.state.turns)}:{salt}")

    def _pick(self, key: str, rng: random.Random, **values: object) -> str:
        """A variant not used yet in this meeting (all used: any but the last one).

        Every line is formatted, so `{{` in a persona file always shows as one brace.
        """
        full_key = key if "." in key else f"lines.{key}"
        variants = self.persona.say(full_key, self.lang)
        used = self.state.used.setdefault(full_key, [])
        fresh = [i for i in range(len(variants)) if i not in used]
        if not fresh:
            last = used[-1] if used else None
            used.clear()
            fresh = [i for i in range(len(variants)) if i != last] or list(range(len(variants)))
        choice = rng.choice(fresh)
        used.append(choice)
        return variants[choice].format(**values)

    def _topic_for(self, analysis: Analysis, listening: bool) -> str | None:
        if analysis.asked_topics:
            return analysis.asked_topics[0]
        if analysis.topics:
            return analysis.topics[0]
        guess = _closest_topic(self.persona, self.lang, analysis.stems)
        if guess:
            return guess
        return self.state.last_topic if listening else None

    def _answer(self, topic: str, rng: random.Random, *, lines: int) -> list[str]:
        parts = [self._pick(f"knowledge.{topic}", rng) for _ in range(lines)]
        self.state.last_topic = topic
        return list(dict.fromkeys(parts))

    # -- one turn -------------------------------------------------------------------------------

    def say(self, text: str) -> TurnResult:
        """The user says one line; returns the persona's reply and at most one coach hint."""
        _ = translations(self.lang).gettext
        if self.ended:
            return TurnResult(None, [], True, _("This meeting is over."))
        text = text[:MAX_LINE_CHARS]
        analysis = analyse(text, self.lang)
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

    def _turn(self, analysis: Analysis) -> TurnResult:
        before = _snapshot(self.state)
        cfg = rubric()
        state, temperament = self.state, self.persona.temperament
        rng = self._rng("turn")
        intents = set(analysis.intents)
        if self._mentions_referrer(analysis.text):
            intents.add("link")  # "X sent me": the best possible opening
            state.trust = min(1.0, state.trust + cfg["trust"]["referrer_mentioned"])
        previous_reply = state.turns[-1].reply if state.turns else " ".join(state.opening)
        listening = "reformulation" in intents or (
            analysis.question is not None
            and bool(analysis.stems & _stems(previous_reply, self.lang))
            and bool(state.turns)
        )
        rambling = analysis.words > cfg["rambling_words"]
        clock = cfg["clock"]
        state.minute += clock["per_turn"] + analysis.words / clock["user_words_per_minute"]
        overtime = state.minute > self.end_minute

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
            if intent in intents:
                change += delta[intent]
        for flag in ("introduction", "link", "purpose"):
            if flag in intents and not self.has(flag):
                change += delta[flag]
        if analysis.question == "open":
            change += delta["open_question"]
            state.closed_streak = 0
        elif analysis.question == "closed" and not intents & {
            "referral_request",
            "notes_permission",
            "mention_permission",
            "keep_informed",
        }:
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
                self._mark(flag)
        if analysis.question == "open":
            state.done.append("open_question")

        hint = coach.live_hint(self, analysis, listening=listening) if state.hints_on else None
        parts, ended_by = self._compose(analysis, intents, listening, rambling, rng)

        reply = " ".join(p for p in parts if p)
        if reply == previous_reply:  # never repeat the last reply word for word
            reply = f"{self._pick('follow_up_ack', rng)} {reply}"
        state.minute += len(reply.split()) / clock["persona_words_per_minute"]
        self._advance(analysis, intents, ended_by)
        hints = [hint] if hint else []
        state.turns.append(
            Turn(
                user=analysis.text,
                reply=reply,
                phase=self.phase,
                hints=hints,
                minute=round(state.minute, 2),
                question=analysis.question,
                intents=sorted(intents),
                topics=list(analysis.topics),
                questions=[[q, kind] for q, kind in analysis.questions],
                listening=listening,
                rambling=rambling,
                overtime=overtime,
                before=before,
            )
        )
        return TurnResult(reply, hints, self.ended)

    def undo(self) -> Turn | None:
        """Take back the last exchange: the meeting returns exactly to before it.

        The same line said again then gets the same reply (randomness is seeded by turn).
        Not possible once the meeting has ended.
        """
        if self.ended or not self.state.turns:
            return None
        turn = self.state.turns.pop()
        for name, value in turn.before.items():
            setattr(self.state, name, value)
        self.phase = self.state.phase
        self.state.takebacks += 1
        return turn

    def _compose(
        self,
        analysis: Analysis,
        intents: set[str],
        listening: bool,
        rambling: bool,
        rng: random.Random,
    ) -> tuple[list[str], str | None]:
        """Choose the persona's reply parts; returns them and who ended the meeting, if so."""
        state, persona, temperament = self.state, self.persona, self.persona.temperament
        cfg = rubric()
        if "rude" in intents:
            return [self._pick("rude", rng)], "persona_rude"
        grace = 0 if persona.schedule.strict_end else cfg["clock"]["grace_minutes"]
        if state.minute >= self.end_minute + grace:
            return [self._pick("leaving", rng)], "persona_time"
        if "goodbye" in intents and (self.phase == "closing" or "thanks" in intents):
            parts = [self._pick("thanks", rng)] if "thanks" in intents else []
            return [*parts, self._pick("goodbye", rng)], "goodbye"

        question = analysis.question
        parts: list[str] = []
        answered = False
        if rambling:
            parts.append(self._pick("rambling", rng))
        if temperament.needs_purpose and not self.has("purpose"):
            if not intents & {"introduction", "link", "thanks", "give_back"}:
                return [*parts, self._pick("ask_purpose", rng)], None
            parts.append(self._pick("ask_purpose", rng))
            return parts, None
        if "confidential_request" in intents:
            if temperament.guarded:
                state.clammed = True
            parts.append(self._pick("confidential", rng))
            answered = True
        elif "job_request" in intents:
            parts.append(self._pick("job_request", rng))
            answered = True
        elif (state.clammed or state.trust < cfg["clam_threshold"]) and (question or not intents):
            return [*parts, self._pick("clam_up", rng)], None

        introducing = self.phase in ("opening", "introduction")
        if intents & {"introduction", "purpose"} and introducing and self._mark("welcomed"):
            parts.append(self._pick("welcome_intro", rng))
        if "notes_permission" in intents:
            parts.append(self._pick("notes_ok", rng))
            answered = True
        if "mention_permission" in intents:
            parts.append(self._pick("mention_ok", rng))
            answered = True
        if "give_back" in intents:
            parts.append(self._pick("give_back", rng))
        if "keep_informed" in intents:
            parts.append(self._pick("keep_informed", rng))
        if "thanks" in intents and not question:
            parts.append(self._pick("thanks", rng))
        if "referral_request" in intents and not answered:
            self._mark("referral_asked")
            answered = True
            if self._referral_earned():
                self._mark("referral_given")
                parts.append(
                    self._pick(
                        "referral.give",
                        rng,
                        name=persona.referral.name,
                        description=persona.referral.description.get(self.lang),
                    )
                )
            else:
                parts.append(self._pick("referral.refuse", rng))

        if question and not answered:
            topic = self._topic_for(analysis, listening)
            if question == "closed" and temperament.closed_answers == "bare":
                return [rng.choice([self._pick("yes", rng), self._pick("no", rng)])], None
            if question == "closed" and temperament.closed_answers == "brief":
                parts.append(self._pick("brief_closed", rng))
                if topic:
                    parts.append(_first_sentence(self._answer(topic, rng, lines=1)[0]))
            elif topic:
                if listening:
                    parts.append(self._pick("follow_up_ack", rng))
                lines = 1 + round(temperament.verbosity * 2)
                if question == "closed":
                    lines = max(1, lines - 1)
                parts.extend(self._answer(topic, rng, lines=lines))
                if persona.anecdotes[self.lang] and rng.random() < temperament.anecdote_rate:
                    parts.append(self._pick("anecdotes.all", rng))
            else:
                parts.append(self._pick("unknown_topic", rng))
            if (
                question == "closed"
                and state.closed_streak > temperament.patience
                and temperament.closed_answers != "bare"
            ):
                parts.append(self._pick("closed_irritation", rng))
            elif self.phase == "exploration" and rng.random() < temperament.asks_back:
                parts.append(self._pick("ask_back", rng))
        elif not parts:
            if listening and state.last_topic:
                parts.append(self._pick("follow_up_ack", rng))
                parts.extend(self._answer(state.last_topic, rng, lines=1))
            elif self.phase == "opening" and not intents:
                parts.append(self._pick("ask_purpose", rng))
            else:
                parts.append(self._pick("no_question", rng))

        if (
            self.remaining_minutes <= cfg["clock"]["warning_minutes"]
            and self._mark("time_warned")
            and self.remaining_minutes > 0
        ):
            parts.append(
                self._pick("time_warning", rng, minutes=max(1, round(self.remaining_minutes)))
            )
        return parts, None

    def _mentions_referrer(self, text: str) -> bool:
        """The first time the user names the persona who sent them (surname is enough)."""
        referrer = self.state.referred_by
        if not referrer or self.has("mentioned_referrer"):
            return False
        surname = normalise(referrer).split()[-1]
        if surname not in normalise(text).split():
            return False
        self._mark("mentioned_referrer")
        return True

    def _referral_earned(self) -> bool:
        referral = self.persona.referral
        if self.state.trust < referral.min_trust:
            return False
        for requirement in referral.requires:
            if requirement == "open_questions":
                if self.state.done.count("open_question") < 2:
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
        if self.phase == "exploration" and (
            "referral_request" in intents
            or "thanks" in intents
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


_WORDS = re.compile(r"[a-z]{4,}")


def _stems(text: str, lang: str) -> frozenset[str]:
    """Content stems of a persona reply (cheaper than a full analysis of it)."""
    stop = lexicon(lang).stopwords
    return frozenset(w[:6] for w in _WORDS.findall(normalise(text)) if w not in stop)


_TOPIC_INDEX: dict[tuple[int, str], dict[str, frozenset[str]]] = {}


def _topic_index(persona: Persona, lang: str) -> dict[str, frozenset[str]]:
    """Content stems of each topic's lines, computed once per persona and language.

    Keyed by the persona object's id, and dropped when that object is freed: an id can be
    reused by a later object (a reloaded persona set), which must not get a stale index.
    """
    key = (id(persona), lang)
    if key not in _TOPIC_INDEX:
        weakref.finalize(persona, _TOPIC_INDEX.pop, key, None)
        stop = lexicon(lang).stopwords
        index = {}
        for topic, lines in persona.knowledge.items():
            words = re.findall(r"[a-z]{5,}", normalise(" ".join(lines.get(lang))))
            index[topic] = frozenset(w[:6] for w in words if w not in stop)
        _TOPIC_INDEX[key] = index
    return _TOPIC_INDEX[key]


def _closest_topic(persona: Persona, lang: str, stems: frozenset[str]) -> str | None:
    """The topic whose lines share most words with the question (at least two)."""
    if not stems:
        return None
    index = _topic_index(persona, lang)
    best, score = None, 1
    for topic, words in index.items():
        overlap = len(stems & words)
        if overlap > score:
            best, score = topic, overlap
    return best
