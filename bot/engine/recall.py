"""Where in what the host knows a question points: the answer or detail that speaks of it.

Routing says which *topic* a question is on. A visitor who listens, though, asks about one
thing the host said ("la formation hauteur, c'est obligatoire ?", "you mentioned battery
storage: will it grow?"), and the right reply is the one line of the host's knowledge that
speaks of that thing, whatever topic it is filed under: the detail behind an answer already
given, or an answer not given yet. This module finds it by the question's rare words.

Each answer and each detail of a persona is a small document; a question's words weigh their
rarity among them (inverse document frequency), so "hauteur", said once in the file, counts
far more than "formation", said in twenty places. Words a visitor uses for what the host said
in other words ("basculer" for "tournant") count as one (the ``synonyms`` of the dialogue
lexicon). The index is built once per persona and language; a turn only adds up weights.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from bot.engine.analysis import lexicon
from bot.engine.text import Synonyms, content_stems, stem

if TYPE_CHECKING:
    from bot.engine.personas import Persona

#: What a word said only before the question proper ("Vous parlez de X : …") weighs.
PREAMBLE_WEIGHT = 0.5
#: How rare (inverse document frequency) a word of the question must be among the host's
#: lines for a place that speaks of it to count: said in a handful of them at most.
KEY_RARITY = 3.0
#: What a word taken from the host's last reply weighs for a line not said yet ("c'est quel
#: titre ?" after "un peu plus avec un titre" may ask about another title the host knows).
ECHO_WEIGHT = 0.5
#: What a word of an answer weighs for one of its details that does not say it itself.
CONTEXT_WEIGHT = 0.7
#: Extra weight of the details behind the host's very last answer (what was just said).
LAST_ANSWER_BONUS = 0.5


@dataclass(frozen=True, slots=True)
class Place:
    """One answer of the host, or one detail (``more``) behind it."""

    topic: str
    index: int
    #: The detail's index in the answer's ``more``; None for the answer itself.
    detail: int | None
    #: The answer was given already: the detail follows up on it.
    given: bool
    #: The summed rarity of the question's words the place speaks of.
    score: float
    #: How many words of the question proper it speaks of.
    matched: int = 1
    #: The rare words of the question proper it speaks of (see `KEY_RARITY`).
    keys: tuple[str, ...] = ()
    #: How many words the question proper has (beside the words of asking).
    asked: int = 1


@cache
def _synonyms(lang: str) -> Synonyms:
    """Word -> the concept its synonym group counts as ("=" and the group's first word).

    Every inflection of a group's word counts ("recrutes" as "recruter"), found through
    its stem, except for a word written "=word": that word only, where its stem would take
    in another ("tournant" is a turning point, "ça tourne autour de…" is not).
    """
    stems: dict[str, str] = {}
    exact: dict[str, str] = {}
    for group in lexicon(lang).dialogue.get("synonyms") or ():
        head = "=" + str(group[0]).lstrip("=")
        for word in map(str, group):
            if word.startswith("="):
                exact[word[1:]] = head
            else:
                stems[stem(word, lang)] = head
    return Synonyms(stems, exact)


def concepts(text: str, lang: str) -> set[str]:
    """Content stems of a text, the words of a synonym group counted as one concept."""
    return set(content_stems(text, lang, _synonyms(lang)))


@lru_cache(maxsize=4096)
def host_concepts(text: str, lang: str) -> frozenset[str]:
    """`concepts` of one of the host's own texts (an answer, a detail, a sentence or a join
    of them), remembered: a turn compares the question with many of them, the same ones at
    every turn of every meeting, and they are few (a persona file's worth). Not for the
    visitor's lines nor the replies as said (names, the visitor's words): each is new, and
    remembering them would only push the host's texts out, and take memory."""
    return frozenset(content_stems(text, lang, _synonyms(lang)))


@dataclass(frozen=True, slots=True)
class _Index:
    #: (topic, answer index, detail index or None) -> its concepts.
    bags: dict[tuple[str, int, int | None], frozenset[str]]
    #: concept -> its rarity among all the persona's answers and details.
    rarity: dict[str, float]


_INDEXES: dict[tuple[int, str], _Index] = {}


def _index(persona: Persona, lang: str) -> _Index:
    """The persona's answers and details as bags of concepts (built once per persona)."""
    key = (id(persona), lang)
    if key not in _INDEXES:
        weakref.finalize(persona, _INDEXES.pop, key, None)
        bags: dict[tuple[str, int, int | None], frozenset[str]] = {}
        for topic in persona.knowledge:
            for i, answer in enumerate(persona.answers(topic, lang)):
                bags[(topic, i, None)] = frozenset(concepts(answer.say, lang))
                for j, more in enumerate(answer.more):
                    bags[(topic, i, j)] = frozenset(concepts(more, lang))
        frequency = Counter(c for bag in bags.values() for c in bag)
        total = len(bags)
        rarity = {c: math.log((total + 1) / (n + 0.5)) for c, n in frequency.items()}
        _INDEXES[key] = _Index(bags, rarity)
    return _INDEXES[key]


def rarity(persona: Persona, lang: str, concept: str) -> float:
    """How rare a concept is among the persona's answers and details (0: never said)."""
    return _index(persona, lang).rarity.get(concept, 0.0)


def warm(personas: Sequence[Persona]) -> None:
    """Build every index now, not in a visitor's turn."""
    for persona in personas:
        for lang in ("fr", "en"):
            _index(persona, lang)


def find(
    persona: Persona,
    lang: str,
    question: Mapping[str, float],
    *,
    used: Mapping[str, list[int]],
    fresh: Callable[[str], bool],
    last: tuple[str, int] | None,
    topics: frozenset[str] | None = None,
    echoed: frozenset[str] = frozenset(),
) -> Place | None:
    """The place of the host's knowledge that speaks most of the question, or None.

    ``question``: its concepts and their weights (see `weigh`); ``used``: what the meeting
    has said (``knowledge.<topic>`` answer indexes, ``more.<topic>.<i>`` detail indexes);
    ``fresh``: whether a text has not been said yet; ``last``: the host's last answer,
    whose details come first on a tie. ``topics``: only answers on these (details of given
    answers are always candidates: they follow up on what was said). An answer not given
    yet may win through one of its details: the answer then comes with that detail.
    ``echoed``: the question's words taken from the host's last reply ("sur un hangar
    agricole, ça dure combien ?" after "au pied d'un hangar"): they point to what was said,
    so they count for the details of given answers only.
    """
    if not question:
        return None
    index = _index(persona, lang)
    asked = sum(1 for weight in question.values() if weight >= 1.0)
    best: Place | None = None
    # The key words a place needs (below): a place whose words, with its answer's for a
    # detail, include none of them cannot win; most places are passed over on this alone.
    strong = frozenset(
        c
        for c in question
        if question[c] >= 1.0 and index.rarity.get(c, 0.0) >= KEY_RARITY and not c.isdigit()
    )
    for (topic, i, j), bag in index.bags.items():
        if strong.isdisjoint(bag) and (
            j is None or strong.isdisjoint(index.bags[(topic, i, None)])
        ):
            continue
        given = i in used.get(f"knowledge.{topic}", ())
        answers = persona.answers(topic, lang)
        if j is None:
            if given or (topics is not None and topic not in topics):
                continue
            text = answers[i].say
            shared = bag
        else:
            if j in used.get(f"more.{topic}.{i}", ()):
                continue
            if not given and (topics is not None and topic not in topics):
                continue
            text = answers[i].more[j]
            # A detail of an answer not given yet speaks with its answer.
            shared = bag if given else bag | index.bags[(topic, i, None)]
        matched = [c for c in question if c in shared]
        # At least one word of the question proper that few of the host's lines use, and
        # not only one taken from the last reply (unless the place follows up on what was said).
        # A number is no key: "running 30 in a warehouse" is not about the 30 million a
        # new warehouse costs.
        keys = tuple(
            c
            for c in matched
            if question[c] >= 1.0
            and index.rarity.get(c, 0.0) >= KEY_RARITY
            and (given or c not in echoed)
            and not c.isdigit()
        )
        if not keys:
            continue
        score = sum(
            index.rarity.get(c, 0.0)
            * question[c]
            * (1.0 if given or c not in echoed else ECHO_WEIGHT)
            # Of an answer's details, the one that says the words itself comes first.
            * (1.0 if c in bag else CONTEXT_WEIGHT)
            for c in matched
        )
        if j is not None and given and last == (topic, i):
            score += LAST_ANSWER_BONUS
        if best is not None and score <= best.score:
            continue
        if not fresh(text) or (not given and not fresh(answers[i].say)):
            continue
        proper = sum(1 for c in matched if question[c] >= 1.0)
        best = Place(topic, i, j, given, score, proper, keys, asked)
    return best


@cache
def _ignored(lang: str) -> frozenset[str]:
    """Concepts of the asking itself: the generic words of any question about work, the
    numbers and durations of any answer, and the words of asking ("concrètement", "ma
    place")."""
    dialogue = lexicon(lang).dialogue
    listed = (*dialogue["generic_words"], *dialogue["story_ignored_words"])
    return frozenset(
        c
        for word in (*listed, *dialogue.get("recall_ignored_words", ()))
        for c in concepts(str(word), lang)
    )


def asking_words(lang: str) -> frozenset[str]:
    """Stems of the words of asking ("le plus long", "concrètement"): they point to no line."""
    return _ignored(lang)


def weigh(question: str, preamble: str, lang: str) -> dict[str, float]:
    """A question's concepts and their weights: its own words, then a preamble's
    ("Vous parlez de X : …") at a lower weight; the words of asking itself not at all."""
    ignored = _ignored(lang)
    weights = dict.fromkeys(concepts(preamble, lang) - ignored, PREAMBLE_WEIGHT)
    weights.update(dict.fromkeys(concepts(question, lang) - ignored, 1.0))
    return weights
