"""Which topic a question is about, or "other": the host must answer what was asked.

Each language has a routing file (``lexicons/routing/<lang>.yaml``): per topic, example
questions and *cues* (patterns that name the topic outright). From the examples the router
learns, per stem, how much it points to each topic (a log-likelihood ratio against the
average topic, as in a naive Bayes classifier); the host's own lines add their sector's
words, at a lower weight. A question is routed to the topic with the best score, and to
"other" when no topic scores high enough: a clear question on something the host does not
know gets an honest in-character answer, never another topic's answer.
"""

from __future__ import annotations

import math
import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bot.engine.analysis import lexicon, normalise
from bot.engine.text import content_stems

if TYPE_CHECKING:
    from bot.engine.personas import Persona

ROUTING_DIR = Path(__file__).with_name("lexicons") / "routing"
OTHER = "other"
#: The routing file's entry for questions outside any host's work: its cues mark them; its
#: examples are a class of their own in training, so their words point to no topic.
_OUTSIDE = "_other"

#: The tuned numbers (on the `tune` half of eval/dialogue only). A cue names its topic
#: outright, so it alone passes the threshold.
SMOOTHING = 1.0
CUE_BONUS = 2.3
PERSONA_WEIGHT = 0.25
THRESHOLD = 2.8
#: Below the threshold, the host's own words must point this clearly to one of its topics.
OWN_FIELD_MIN = 2.0
#: What a marker of an off-topic question ("hors sujet, mais…") takes from every topic.
OFF_TOPIC_PENALTY = 6.0
#: Below the threshold, a question made only of words the host's field knows (nothing
#: foreign: no other trade, no tax law) still goes to its best topic if it scores this much.
KNOWN_WORDS_MIN = 1.6


@dataclass(frozen=True, slots=True)
class _Model:
    topics: tuple[str, ...]
    #: stem -> topic -> weight (log-likelihood ratio, only where positive)
    weights: dict[str, dict[str, float]]
    cues: dict[str, re.Pattern[str]]
    #: Markers of a question outside the host's work ("off topic, but…").
    other: re.Pattern[str] | None = None
    #: The example questions, in file order (the requests model reads them as ordinary).
    examples: tuple[str, ...] = ()
    #: Per topic, what a question must say to be about it at all (feedback on a plan needs
    #: the visitor's plan: "un bon projet de portfolio" is no request to judge one's own).
    requires: dict[str, re.Pattern[str]] = field(default_factory=dict)


def _train(counts: dict[str, Counter[str]], topics: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Per stem, the topics it points to and how strongly (log of P(stem|topic) / mean).

    Only topics whose examples contain the stem can score above the mean, so only those
    pairs are computed: a host's index is built in milliseconds.
    """
    vocabulary = set().union(*counts.values()) if counts else set()
    size = len(vocabulary) or 1
    denominators = {t: sum(counts[t].values()) + SMOOTHING * size for t in topics}
    floor = sum(SMOOTHING / d for d in denominators.values())  # every topic's smoothing
    seen: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for topic in topics:
        for stem, count in counts[topic].items():
            seen[stem].append((topic, count))
    weights: dict[str, dict[str, float]] = {}
    for stem, pairs in seen.items():
        mean = (floor + sum(c / denominators[t] for t, c in pairs)) / len(topics)
        row = {}
        for topic, count in pairs:
            ratio = math.log((count + SMOOTHING) / denominators[topic] / mean)
            if ratio > 0:
                row[topic] = ratio
        if row:
            weights[stem] = row
    return weights


@cache
def _routing(lang: str) -> _Model:
    with (ROUTING_DIR / f"{lang}.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    outside = data.pop(_OUTSIDE, {})
    off_topic = outside.get("cues") or []
    topics = tuple(data)
    counts: dict[str, Counter[str]] = {}
    for topic, spec in (*data.items(), (_OUTSIDE, outside)):
        bag: Counter[str] = Counter()
        for example in spec.get("examples") or ():
            bag.update(set(content_stems(example, lang)))
        counts[topic] = bag
    cues = {
        topic: re.compile("|".join(f"(?:{c})" for c in spec["cues"]))
        for topic, spec in data.items()
        if spec.get("cues")
    }
    requires = {
        topic: re.compile(spec["requires"]) for topic, spec in data.items() if spec.get("requires")
    }
    other = re.compile("|".join(f"(?:{c})" for c in off_topic)) if off_topic else None
    lines = tuple(line for spec in (*data.values(), outside) for line in spec.get("examples") or ())
    classes = (*topics, _OUTSIDE) if counts[_OUTSIDE] else topics
    return _Model(topics, _train(counts, classes), cues, other, lines, requires)


def examples(lang: str) -> list[str]:
    """Every example question of the routing file: ordinary questions about the job."""
    return list(_routing(lang).examples)


@cache
def vocabulary(lang: str) -> frozenset[str]:
    """Every stem the routing examples use: the general words of questions about work.

    Stems that only questions outside any host's work use (tax, a notary) are not in it.
    """
    return frozenset(stem for stem, row in _routing(lang).weights.items() if set(row) - {_OUTSIDE})


_PERSONA_WEIGHTS: dict[tuple[int, str], dict[str, dict[str, float]]] = {}


def _persona_weights(persona: Persona, lang: str) -> dict[str, dict[str, float]]:
    """The sector words of a host's own lines, per topic (computed once per persona).

    Keyed by the persona object's id and dropped when it is freed, so a reloaded persona
    set never gets a stale index.
    """
    key = (id(persona), lang)
    if key not in _PERSONA_WEIGHTS:
        weakref.finalize(persona, _PERSONA_WEIGHTS.pop, key, None)
        known = tuple(persona.knowledge)
        counts = {
            topic: Counter(
                stem
                for answer in persona.knowledge[topic].get(lang)
                for stem in set(content_stems(answer.say, lang))
            )
            for topic in known
        }
        _PERSONA_WEIGHTS[key] = _train(counts, known) if len(known) > 1 else {}
    return _PERSONA_WEIGHTS[key]


def scores(text: str, lang: str, persona: Persona | None = None) -> dict[str, float]:
    """Each topic's score for a question (higher is more likely)."""
    model = _routing(lang)
    # "c koi vs faites le matin" reads "c'est quoi vous faites…": SMS spellings expanded.
    norm = lexicon(lang).expand(normalise(text))
    stems = set(content_stems(norm, lang))
    out: dict[str, float] = dict.fromkeys(model.topics, 0.0)
    for stem in stems:
        for topic, weight in model.weights.get(stem, {}).items():
            if topic in out:
                out[topic] += weight
    if persona is not None:
        for stem in stems:
            for topic, weight in _persona_weights(persona, lang).get(stem, {}).items():
                if topic in out:
                    out[topic] += PERSONA_WEIGHT * weight
    for topic, cue in model.cues.items():
        if cue.search(norm):
            out[topic] += CUE_BONUS
    for topic, required in model.requires.items():
        if not required.search(norm):
            out[topic] = min(out[topic], 0.0)
    if model.other is not None and model.other.search(norm):
        out = {topic: score - OFF_TOPIC_PENALTY for topic, score in out.items()}
    return out


def warm(personas: Iterable[Persona]) -> None:
    """Build the routing models and each host's index now, not in a visitor's first turn."""
    for lang in ("fr", "en"):
        _routing(lang)
        for persona in personas:
            _persona_weights(persona, lang)


def _cued(text: str, lang: str, topic: str) -> bool:
    """The question names the topic outright ("What would you do in my place?"): its cue
    matched, and no other word points elsewhere more."""
    cue = _routing(lang).cues.get(topic)
    return cue is not None and bool(cue.search(lexicon(lang).expand(normalise(text))))


def route_with_score(text: str, lang: str, persona: Persona | None = None) -> tuple[str, float]:
    """The topic a question asks about (or ``OTHER``), and its score.

    Below the threshold, a question that uses the host's own words (its studio, its
    warehouse, the jobs it described) is still about the host's field: it goes to the
    topic those words belong to, not to "I don't know that".
    """
    ranked = scores(text, lang, persona)
    best = max(ranked, key=ranked.__getitem__)
    if ranked[best] >= THRESHOLD or _cued(text, lang, best):
        return best, ranked[best]
    if persona is not None and not is_off_topic(text, lang):
        own = _persona_scores(text, lang, persona)
        if own:
            mine = max(own, key=own.__getitem__)
            if own[mine] >= OWN_FIELD_MIN:
                return mine, ranked[best]
    return OTHER, ranked[best]


def weakly_worded(
    text: str, lang: str, persona: Persona, *, foreign_allowed: bool = False
) -> str | None:
    """The topic of a question below the threshold that says nothing outside the host's field.

    "Vous pouvez me parler de votre travail ?" scores low everywhere, yet nothing in it is
    foreign to the host (no other trade, no tax law): it is a question on that field,
    weakly worded. Asked only once a line is known to be a new question, not a follow-up
    (where "other" means "it points back at what the host said"). ``foreign_allowed``: the
    line is known to be on the host's work (it picks up the host's words), so words the
    routing file never saw ("tough") do not rule it out.
    """
    if is_off_topic(text, lang) or (not foreign_allowed and _foreign_words(text, lang, persona)):
        return None
    ranked = scores(text, lang, persona)
    best = max(ranked, key=ranked.__getitem__)
    return best if ranked[best] >= KNOWN_WORDS_MIN else None


def _foreign_words(text: str, lang: str, persona: Persona) -> set[str]:
    """Stems of a question that neither the questions about work nor the host's lines use."""
    known = _routing(lang).weights.keys() | _persona_weights(persona, lang).keys()
    return {s for s in content_stems(text, lang) if s not in known}


def _persona_scores(text: str, lang: str, persona: Persona) -> dict[str, float]:
    weights = _persona_weights(persona, lang)
    out: dict[str, float] = {}
    for stem in set(content_stems(text, lang)):
        for topic, weight in weights.get(stem, {}).items():
            out[topic] = out.get(topic, 0.0) + weight
    return out


def is_off_topic(text: str, lang: str) -> bool:
    """The line says it asks outside the host's work ("hors sujet, mais…")."""
    other = _routing(lang).other
    return other is not None and bool(other.search(normalise(text)))


def outside_work(text: str, lang: str) -> bool:
    """The question is about something else than work: said so, or closest to the routing
    file's questions outside any host's work ("Vous êtes supporter du Stade toulousain ?")."""
    if is_off_topic(text, lang):
        return True
    ranked = scores(text, lang)
    return max(ranked, key=ranked.__getitem__) == _OUTSIDE


def route(text: str, lang: str, persona: Persona | None = None) -> str:
    """The topic a question asks about, or ``OTHER``."""
    return route_with_score(text, lang, persona)[0]
