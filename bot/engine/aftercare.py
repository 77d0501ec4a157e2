"""After the meeting: the user's notes checked against what was said, the thank-you graded.

Transport-free: a channel passes a finished (or live) `Meeting` and the user's text, and
shows the localized results. Everything is read from the meeting itself: the facts are the
sentences of the persona's own knowledge and anecdotes it actually said in its replies, so
notes and drafts are checked against this conversation, not against the persona file.

Matching is by content stems (accent- and case-insensitive, the first six letters of each
word, via `normalise`) and numbers: transparent and deterministic, like the rest of the
analysis, and therefore blind to paraphrases that share no word with what was said.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from bot.engine.acts import rule
from bot.engine.analysis import analyse, lexicon, normalise
from bot.engine.text import sentences, stem, words
from bot.i18n import translations

if TYPE_CHECKING:
    from bot.engine.meeting import Meeting
    from bot.engine.personas import Persona

#: How many facts `facts` returns at most (fewer when the persona shared less).
MAX_FACTS = 5
#: Facts the notes should contain (fewer when the meeting offered fewer).
NOTES_FACTS = 2
#: A fact is found in a text sharing this many content stems or numbers with it.
SHARED_STEMS = 2
#: Sentences outside these bounds (in words) make poor facts: too thin, or a paragraph.
FACT_WORDS = (5, 32)
#: A fact quoted in a suggested message: short enough to read as a quote.
QUOTE_WORDS = 20
#: Sensible length of a thank-you message, in words: more than a one-liner, less than a letter.
THANKS_WORDS = (35, 180)
#: Notes and drafts are read on this many characters at most: Telegram's own limit for one
#: message, so nothing typed there is cut, while a longer paste costs no more than that (a
#: text is read several times over, and every other chat waits meanwhile).
MAX_TEXT_CHARS = 4096
#: Fewer words than this ("👍", "Ok", "d'accord merci") is not an attempt at notes or at a
#: thank-you message: such a line is answered, never graded nor stored.
ATTEMPT_WORDS = 3

NOTES_WEIGHTS = {"name": 20, "referral": 20, "facts": 30, "date": 15, "place": 15}
THANKS_WEIGHTS = {
    "thanks": 20,
    "specific": 20,
    "next_step": 20,
    "keep_informed": 15,
    "register": 15,
    "length": 10,
}
THANKS_CRITERIA = tuple(THANKS_WEIGHTS)

_TOKEN = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"^\d+$")

_VOUS = re.compile(r"(?<![a-z'])(vous|votre|vos)(?![a-z'])")
_TU = re.compile(r"(?<![a-z'])(tu|te|toi|ton|ta|tes)(?![a-z'])|(?<![a-z'])t'")
#: Quoted words are the persona's, not the user's register. A quotation ends before the next
#: opening mark, so that many unclosed ones are not each read to the end of the text.
_QUOTED = re.compile(r"«[^«»]*»|“[^“”]*”|\"[^\"]*\"")


@dataclass
class NotesCheck:
    """What the notes contain and what they should add, as short localized descriptions."""

    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    score: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ThanksGrade:
    """The thank-you draft on six criteria, with advice and a better version to start from."""

    score: int
    criteria: dict[str, bool]
    advice: list[str]
    better: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# -- reading texts ----------------------------------------------------------------------------


@cache
def _fact_generic(lang: str) -> frozenset[str]:
    """Words too common in notes and thank-you messages to show that a fact was picked up."""
    return frozenset(lexicon(lang).dialogue["fact_generic_words"])


@lru_cache(maxsize=256)
def _stems(text: str, lang: str) -> frozenset[str]:
    """Content stems (the engine's one stemmer, on words of four letters or more) and numbers.

    Cached for the texts read again: a draft is compared with every sentence said.
    """
    stop = lexicon(lang).stopwords | _fact_generic(lang)
    out = set()
    for word in words(text):
        if word.isdigit():
            out.add(word)
        elif len(word) >= 4 and word not in stop:
            out.add(stem(word, lang))
    return frozenset(out)


def _mentions(text: str, fact: str, lang: str, common: frozenset[str] = frozenset()) -> bool:
    """True when ``text`` shares enough stems or numbers with ``fact``.

    ``common``: stems that show no particular fact (the organisation, the sector: "design
    studio" picks up nothing the persona said).
    """
    wanted = _stems(fact, lang) - common
    shared = _stems(text, lang) & wanted
    if not wanted or len(shared) < min(SHARED_STEMS, len(wanted)):
        return False
    # Two common words in a long sentence may be chance: then a number or a third word.
    return (
        len(shared) > SHARED_STEMS
        or any(_NUMBER.match(s) for s in shared)
        or 2 * len(shared) >= len(wanted)
    )


def _has_name(norm_text: str, name: str) -> bool:
    """The full name, or the surname alone, in normalised text."""
    full = normalise(name)
    parts = full.split(" ", 1)
    for candidate in (full, parts[1] if len(parts) > 1 else full):
        if re.search(rf"(?<![a-z]){re.escape(candidate)}(?![a-z])", norm_text):
            return True
    return False


def _first_name(name: str) -> str:
    return name.split(" ", 1)[0]


def _short_organisation(persona: Persona, lang: str) -> str:
    return persona.organisation.get(lang).split(",", 1)[0].strip()


# -- facts ----------------------------------------------------------------------------------


def _factual_sentences(meeting: Meeting) -> list[str]:
    """Sentences of the persona's knowledge and anecdotes it said, in order, once each."""
    persona, lang = meeting.persona, meeting.lang
    known: set[str] = set()
    for topic in persona.knowledge:
        for line in persona.say(f"knowledge.{topic}", lang):
            known.update(sentences(line))
    for line in persona.anecdotes.get(lang, []):  # type: ignore[call-overload]
        known.update(sentences(line))
    said: list[str] = []
    for turn in meeting.state.turns:
        for sentence in sentences(turn.reply):
            sentence = sentence.strip()
            if sentence in known and not sentence.endswith("?") and sentence not in said:
                said.append(sentence)
    return said


def _near(one: str, other: str, lang: str) -> bool:
    """Two sentences saying much the same: half the stems of the shorter one shared."""
    a, b = _stems(one, lang), _stems(other, lang)
    return len(a & b) * 2 >= max(1, min(len(a), len(b)))


def _weight(sentence: str, lang: str) -> int:
    stems = _stems(sentence, lang)
    return len(stems) + sum(2 for s in stems if _NUMBER.match(s))


def facts(meeting: Meeting) -> list[str]:
    """The key facts the persona shared, most informative first (content words, numbers).

    Near-repeats (a story told twice in other words) are kept once; at most `MAX_FACTS`.
    """
    lang = meeting.lang
    low, high = FACT_WORDS
    common = _topic_stems(meeting.persona, lang)
    candidates = [
        (index, sentence)
        for index, sentence in enumerate(_factual_sentences(meeting))
        if low <= len(sentence.split()) <= high and len(_stems(sentence, lang) - common) >= 3
    ]
    candidates.sort(key=lambda item: (-_weight(item[1], lang), item[0]))
    chosen: list[str] = []
    for _index, sentence in candidates:
        if any(_near(sentence, other, lang) for other in chosen):
            continue
        chosen.append(sentence)
        if len(chosen) == MAX_FACTS:
            break
    return chosen


def _quotable(shared: list[str]) -> str | None:
    """The most informative fact short enough to quote, else the shortest one."""
    short = [f for f in shared if len(f.split()) <= QUOTE_WORDS]
    if short:
        return short[0]
    return min(shared, key=lambda f: len(f.split())) if shared else None


def _quote(fact: str) -> str:
    return fact.rstrip(" .!…")


# -- notes ------------------------------------------------------------------------------------


def _topic_stems(persona: Persona, lang: str) -> frozenset[str]:
    text = " ".join(
        (persona.briefing.place.get(lang), persona.organisation.get(lang), persona.sector.get(lang))
    )
    return frozenset(s for s in _stems(text, lang) if not _NUMBER.match(s))


def check_notes(meeting: Meeting, notes: str) -> NotesCheck:
    """Check the user's notes against what was said: who, whom they named, facts, when, where.

    Each item found or missing is a short localized description; `missing` says concretely
    what to add (the referral's name, a fact the persona shared…). The score weighs the
    items that apply to this meeting (no referral item when none was given).
    """
    lang = meeting.lang
    _ = translations(lang).gettext
    persona = meeting.persona
    notes = notes[:MAX_TEXT_CHARS]
    norm = normalise(notes)
    check = NotesCheck()
    earned = 0
    total = 0

    def item(key: str, ok: bool, found: str, missing: str) -> None:
        nonlocal earned, total
        total += NOTES_WEIGHTS[key]
        earned += NOTES_WEIGHTS[key] if ok else 0
        (check.found if ok else check.missing).append(found if ok else missing)

    label = _("the person's name: {name}").format(name=persona.name)
    item("name", _has_name(norm, persona.name), label, label)

    if meeting.has("referral_given"):
        label = _("the name of the person recommended to you: {name}").format(
            name=persona.referral.name
        )
        item("referral", _has_name(norm, persona.referral.name), label, label)

    shared = facts(meeting)
    said = _factual_sentences(meeting)
    if said:
        common = _topic_stems(persona, lang)
        noted = [s for s in said if _mentions(notes, s, lang, common)]
        # Near-repeats of one fact count once: keep the noted facts that differ.
        distinct: list[str] = []
        for sentence in noted:
            if not any(_near(sentence, other, lang) for other in distinct):
                distinct.append(sentence)
        need = min(NOTES_FACTS, len(shared) or 1)
        total += NOTES_WEIGHTS["facts"]
        earned += NOTES_WEIGHTS["facts"] * min(len(distinct), need) / need
        for sentence in distinct[:MAX_FACTS]:
            check.found.append(_("a fact you learned: “{fact}”").format(fact=_quote(sentence)))
        examples = [f for f in shared if f not in noted]
        for fact in examples[: max(0, need - len(distinct))]:
            check.missing.append(
                _("a fact you learned, for example: “{fact}”").format(fact=_quote(fact))
            )

    item(
        "date",
        bool(rule(lang, "notes_date").search(norm)),
        _("the date of the meeting"),
        _("the date of the meeting, for example “today”, a weekday or a date such as 12/03"),
    )

    topic = _topic_stems(persona, lang)
    item(
        "place",
        bool(_stems(notes, lang) & topic),
        _("the place or the subject of the meeting"),
        _("the place or the subject of the meeting, for example: {example}").format(
            example=_short_organisation(persona, lang)
        ),
    )
    check.score = round(100 * earned / total) if total else 0
    return check


# -- thank-you message ---------------------------------------------------------------------------


def _register_ok(draft: str, persona: Persona, lang: str) -> bool:
    """In French, the draft says 'you' as the persona did ("vous" or "tu"); always in English."""
    if lang != "fr":
        return True
    own = normalise(_QUOTED.sub(" ", draft))
    vous, tu = len(_VOUS.findall(own)), len(_TU.findall(own))
    if persona.address == "vous":
        return vous > 0 and tu == 0
    return tu > 0 and tu >= vous


def _word_count(text: str) -> int:
    return len(_TOKEN.findall(normalise(text)))


def is_attempt(text: str) -> bool:
    """Whether a line tries to be notes or a thank-you draft, rather than a reaction to the
    previous message; one-letter pieces of elisions ("d'accord") do not count as words."""
    words = _TOKEN.findall(normalise(text[:MAX_TEXT_CHARS]))
    return sum(1 for word in words if len(word) > 1 or word.isdigit()) >= ATTEMPT_WORDS


def signature(draft: str) -> str | None:
    """The user's signature: the draft's last line when it is only a name or initials
    (one to four words, each capitalised, no sentence punctuation), under a first line.

    The model letter keeps it, so it reads as the user's own letter improved rather than
    someone else's.
    """
    lines = [line.strip() for line in draft.strip().splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    last = lines[-1].lstrip("-—– ").strip()
    words = last.split()
    if not 1 <= len(words) <= 4 or len(last) > 40 or last[-1] in ".?!:;,":
        return None
    if not all(word[0].isupper() and not any(c.isdigit() for c in word) for word in words):
        return None
    return last


def better_thanks(meeting: Meeting, sign: str | None = None) -> str:
    """A thank-you message built from this meeting, in its language and the persona's register,
    addressed by first name (a full name reads like a mail merge), signed `sign` if given.

    One letter for both registers: each line gives its formal ("vous") wording, then its
    familiar one, so what the letter says (the fact quoted, the referral) is decided once."""
    _ = translations(meeting.lang).gettext
    persona = meeting.persona
    fact = _quotable(facts(meeting))
    referral = persona.referral.name if meeting.has("referral_given") else None

    def register(formal: str, familiar: str) -> str:
        return formal if persona.address == "vous" else familiar

    lines = [
        register(_("Dear {name},"), _("Hi {name},")).format(name=_first_name(persona.name)),
        register(
            _("Thank you very much for the time you gave me today."),
            _("Thanks a lot for taking the time to meet me today."),
        ),
        register(
            _("I particularly remember what you told me: “{fact}”."),
            _("One thing you said really stuck with me: “{fact}”."),
        ).format(fact=_quote(fact))
        if fact
        else register(
            _("Our conversation helped me understand your work much better."),
            _("Talking with you helped me see your work much more clearly."),
        ),
        register(
            _(
                "As you suggested, I will contact {referral} this week "
                "and mention that you sent me."
            ),
            _("As you suggested, I'll get in touch with {referral} this week and say you sent me."),
        ).format(referral=referral)
        if referral
        else register(
            _("I will follow your advice and put it into practice this week."),
            _("I'll follow your advice and get started on it this week."),
        ),
        register(
            _("I will keep you informed of how things go."),
            _("I'll keep you posted on how it goes."),
        ),
        register(_("Kind regards,"), _("See you soon,")),
    ]
    closing = f"{lines[-1]}\n{sign}" if sign else lines[-1]
    return "\n".join([lines[0], "", " ".join(lines[1:-1]), "", closing])


def grade_thanks(meeting: Meeting, draft: str) -> ThanksGrade:
    """Grade a thank-you draft on thanks, one specific thing learned, the next step, the
    promise to keep the host informed, the register and the length."""
    lang = meeting.lang
    _ = translations(lang).gettext
    persona = meeting.persona
    too_long = len(draft) > MAX_TEXT_CHARS
    draft = draft[:MAX_TEXT_CHARS]
    analysis = analyse(draft, lang)
    norm = normalise(draft)
    intents = set(analysis.intents)
    referral = persona.referral.name if meeting.has("referral_given") else None
    said = _factual_sentences(meeting)
    if said:
        common = _topic_stems(persona, lang)
        specific = any(_mentions(draft, sentence, lang, common) for sentence in said)
    else:
        specific = bool(_stems(draft, lang) & _topic_stems(persona, lang))
    words = _word_count(draft)
    low, high = THANKS_WORDS
    criteria = {
        "thanks": "thanks" in intents,
        "specific": specific,
        "next_step": bool(referral and _has_name(norm, referral))
        or bool(rule(lang, "next_step").search(norm)),
        "keep_informed": "keep_informed" in intents
        or bool(rule(lang, "keep_informed").search(norm)),
        "register": _register_ok(draft, persona, lang),
        "length": low <= words <= high and not too_long,
    }
    score = sum(THANKS_WEIGHTS[key] for key, ok in criteria.items() if ok)

    name = persona.name
    advice: list[str] = []
    if not criteria["thanks"]:
        advice.append(_("Start by thanking {name} for their time.").format(name=name))
    if not criteria["specific"]:
        if fact := _quotable(facts(meeting)):
            advice.append(
                _("Mention one specific thing {name} told you, for example: “{fact}”.").format(
                    name=name, fact=_quote(fact)
                )
            )
        else:
            advice.append(
                _("Mention one specific thing you learned about {organisation}.").format(
                    organisation=_short_organisation(persona, lang)
                )
            )
    if not criteria["next_step"]:
        if referral:
            advice.append(
                _(
                    "Say what you will do next: contact {referral}, saying that {name} sent you."
                ).format(referral=referral, name=name)
            )
        else:
            advice.append(
                _(
                    "Say what you will do next with their advice: "
                    "a person to contact, a step to take."
                )
            )
    if not criteria["keep_informed"]:
        advice.append(_("Promise to keep {name} informed of how things go.").format(name=name))
    if not criteria["register"]:
        if persona.address == "vous":
            advice.append(
                _("{name} addressed you as “vous”: write with “vous” too.").format(name=name)
            )
        else:
            advice.append(_("{name} addressed you as “tu”: write with “tu” too.").format(name=name))
    if not criteria["length"]:
        if words < low:
            advice.append(
                _("Too short: write three or four sentences (at least {words} words).").format(
                    words=low
                )
            )
        else:
            advice.append(
                _("Too long: keep it under {words} words; it should be read in a minute.").format(
                    words=high
                )
            )
    if not advice:
        advice.append(_("A good thank-you message: send it within a day."))
    return ThanksGrade(
        score=score,
        criteria=criteria,
        advice=advice,
        better=better_thanks(meeting, signature(draft)),
    )
