"""Words of a line: the one stemmer the engine uses, and content stems.

A question is matched to what a host knows, and a follow-up to what the host just said, by
*content stems*: Snowball stems (French or English) of the words that are not stopwords,
on normalised text (lower case, no accents). "recrutez", "recrutement" and "recruter"
share the stem "recrut"; "hiring" and "hire" share "hire".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer

from bot.engine.analysis import lexicon, normalise

_STEMMERS = {"fr": "french", "en": "english"}
_WORD = re.compile(r"[a-z0-9]+")
#: Elided articles and pronouns glued to a word ("l'organisation", "d'usine", "qu'il").
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'")
#: Where a sentence of a host's reply or a user's text ends.
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


@cache
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMERS[lang])


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    """The Snowball stem of one normalised word."""
    return _stemmer(lang).stemWord(word)


def words(text: str) -> list[str]:
    """Normalised words, elisions dropped ("l'usine" gives "usine")."""
    return _WORD.findall(_ELISION.sub(" ", normalise(text)))


@dataclass(frozen=True, slots=True)
class Synonyms:
    """Words that count as one concept: by stem (every inflection), or ``exact`` words."""

    stems: Mapping[str, str]
    exact: Mapping[str, str]


def content_stems(text: str, lang: str, same: Synonyms | None = None) -> list[str]:
    """Stems of the words that carry meaning, in order (numbers kept as they are).

    ``same``: synonyms, each replaced by the concept its group counts as.

    Without synonyms, a short text's stems are remembered: a turn reads the visitor's
    line and the host's last reply several times (a bounded cache, as for `normalise`).
    """
    if same is None and len(text) <= STEMS_KEPT_CHARS:
        return list(_kept_stems(text, lang))
    return _content_stems(text, lang, same)


#: Texts up to this long have their stems remembered (see `content_stems`).
STEMS_KEPT_CHARS = 600


@lru_cache(maxsize=4096)
def _kept_stems(text: str, lang: str) -> tuple[str, ...]:
    return tuple(_content_stems(text, lang, None))


def _content_stems(text: str, lang: str, same: Synonyms | None) -> list[str]:
    lex = lexicon(lang)
    out = []
    for word in words(text):
        if same is not None and word in same.exact:
            out.append(same.exact[word])
        elif word.isdigit():
            out.append(word)
        elif word in lex.short_words:
            out.append(same.stems.get(word, word) if same is not None else word)
        elif len(word) > 2 and word not in lex.stopwords:
            root = stem(word, lang)
            out.append(same.stems.get(root, root) if same is not None else root)
    return out


@lru_cache(maxsize=16384)
def sentences(text: str) -> tuple[str, ...]:
    """The sentences of a text, blank ones left out, kept for the next time: for the hosts'
    own texts (answers, lines), read again at every turn. A text seen once (a reply as
    composed, the visitor's line) goes to `split_sentences`, or it would push them out
    and keep a copy of every reply of every meeting."""
    return split_sentences(text)


def split_sentences(text: str) -> tuple[str, ...]:
    """The sentences of a text, blank ones left out."""
    return tuple(part for part in _SENTENCE.split(text) if part.strip())


def asks_visitor(reply: str) -> bool:
    """The reply ends on a question to the visitor, or on one and a short coda ("Et
    qu'attendez-vous de moi ? En une phrase.")."""
    parts = split_sentences(reply.strip())
    if not parts:
        return False
    if parts[-1].rstrip().endswith("?"):
        return True
    return (
        len(parts) > 1 and len(parts[-1].split()) <= CODA_WORDS and parts[-2].rstrip().endswith("?")
    )


#: The words a coda after the host's question may have ("En une phrase.").
CODA_WORDS = 5


#: How many opening words of a sentence, said earlier in the same reply, make it an echo.
ECHO_WORDS = 4


def echoes(earlier: str, sentence: str, lang: str) -> bool:
    """``sentence`` opens with words ``earlier`` has just said, two of them meaningful: "A
    three-month bootcamp can be enough… A three-month bootcamp is intense…". A detail opens
    so to answer a follow-up that picks its words up ("You mentioned the bootcamp?"); told
    in the same breath as its answer, it sounds like a stuck record (round 20)."""
    opening = words(sentence)[:ECHO_WORDS]
    if len(opening) < ECHO_WORDS:
        return False
    stopwords = lexicon(lang).stopwords
    if sum(w.isdigit() or (len(w) > 2 and w not in stopwords) for w in opening) < 2:
        return False  # "C'est là que…" twice is a way of telling, not an echo
    said = words(earlier)
    return any(said[i : i + ECHO_WORDS] == opening for i in range(len(said) - ECHO_WORDS + 1))
