"""Words of a line: the one stemmer the engine uses, and content stems.

A question is matched to what a host knows, and a follow-up to what the host just said, by
*content stems*: Snowball stems (French or English) of the words that are not stopwords,
on normalised text (lower case, no accents). "recrutez", "recrutement" and "recruter"
share the stem "recrut"; "hiring" and "hire" share "hire".
"""

from __future__ import annotations

import re
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


def content_stems(text: str, lang: str) -> list[str]:
    """Stems of the words that carry meaning, in order (numbers kept as they are)."""
    lex = lexicon(lang)
    out = []
    for word in words(text):
        if word.isdigit() or word in lex.short_words:
            out.append(word)
        elif len(word) > 2 and word not in lex.stopwords:
            out.append(stem(word, lang))
    return out


@lru_cache(maxsize=16384)
def sentences(text: str) -> tuple[str, ...]:
    """The sentences of a text, blank ones left out (host replies are read again often)."""
    return tuple(part for part in _SENTENCE.split(text) if part.strip())
