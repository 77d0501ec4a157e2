"""What a user's line is: a question (open or closed), which intents, which information topics.

The rules are transparent on purpose: a coach must be able to read why a line was called
closed. All the vocabulary lives in ``lexicons/<lang>.yaml`` (regular expressions written
against *normalised* text: lower case, no accents, hyphens as spaces, straight apostrophes);
this module only knows the order in which the rules apply.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

QuestionType = Literal["open", "closed"]

LEXICON_DIR = Path(__file__).with_name("lexicons")
#: Long inputs are analysed on their head only: a 10,000-character paste must stay cheap.
MAX_ANALYSED_CHARS = 2000

INTENTS = (
    "introduction",
    "link",
    "purpose",
    "assets",
    "notes_permission",
    "confidential_request",
    "job_request",
    "referral_request",
    "give_back",
    "thanks",
    "keep_informed",
)
#: Intents the engine uses beyond the rubric ones above (not part of the evaluation sets).
EXTRA_INTENTS = ("greeting", "goodbye", "preparation", "mention_permission", "reformulation", "rude")
TOPICS = (
    "organisation",
    "typical_day",
    "challenges",
    "likes",
    "experience",
    "profiles",
    "competitors",
    "budget",
    "locations",
    "skills_gap",
    "growth",
    "improvement",
)


@dataclass(frozen=True, slots=True)
class Analysis:
    """The reading of one line; everything the meeting and the coach need to react to it."""

    text: str
    question: QuestionType | None
    intents: tuple[str, ...]
    topics: tuple[str, ...]
    #: Topics of the question sentences only (what the user asked about, not mentioned).
    asked_topics: tuple[str, ...]
    #: Question sentences as typed, with the type of each, for rewordings and evidence.
    questions: tuple[tuple[str, QuestionType], ...]
    words: int
    #: Content stems, to see whether a line picks up what the persona just said.
    stems: frozenset[str] = field(default_factory=frozenset)
    #: False when nothing in the line looks like the rehearsal's language.
    understood: bool = True

    @property
    def is_empty(self) -> bool:
        return self.words == 0

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "question": self.question,
            "intents": list(self.intents),
            "topics": list(self.topics),
        }


def _compile(patterns: list[str] | None) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@dataclass(frozen=True, slots=True)
class _Rule:
    match: re.Pattern[str]
    unless: re.Pattern[str] | None

    def applies(self, text: str) -> bool:
        return bool(self.match.search(text)) and not (self.unless and self.unless.search(text))


class Lexicon:
    """One language's vocabulary, compiled once."""

    def __init__(self, lang: str, data: dict) -> None:
        self.lang = lang
        self.abbreviations: dict[str, str] = data.get("abbreviations", {})
        self._abbrev = re.compile(
            r"(?<![\w'])(" + "|".join(map(re.escape, self.abbreviations)) + r")(?![\w'])"
        )
        q = data["question"]
        self.markers = re.compile(r"^(?:(?:" + "|".join(q["markers"]) + r")\b[\s,:]*)+")
        self.embedding = _compile(q["embedding"])
        self.request = _compile(q["request"])
        self.wh = [(re.compile(p), label) for item in q["wh"] for p, label in item.items()]
        self.in_situ = [(re.compile(p), label) for item in q["in_situ"] for p, label in item.items()]
        self.yes_no = _compile(q["yes_no"])
        self.intents = {
            name: _Rule(_compile(rule["match"]), _compile(rule.get("unless")))
            for name, rule in data["intents"].items()
        }
        self.topics = {name: _compile(patterns) for name, patterns in data["topics"].items()}
        self.stopwords = frozenset(data["stopwords"])

    def expand(self, text: str) -> str:
        return self._abbrev.sub(lambda m: self.abbreviations[m.group(1)], text)


@cache
def lexicon(lang: str) -> Lexicon:
    path = LEXICON_DIR / f"{lang}.yaml"
    with path.open(encoding="utf-8") as handle:
        return Lexicon(lang, yaml.safe_load(handle))


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+|\n+|(?<=\?)(?=\w)")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*'?")


def clean(text: str) -> str:
    """Drop control characters and surrounding blanks; keep what the user meant to type."""
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text
    ).strip()


def normalise(text: str) -> str:
    """Lower case, no accents, no emoji, hyphens as spaces: the form lexicons are written in."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Mn":
            continue
        if category[0] in "LN" or ch in ".,;:!?'\"()/%€$\n" or ch == " ":
            out.append(ch)
        elif ch == "…":
            out.append(".")
        else:  # emoji, symbols, dashes, hyphens
            out.append(" ")
    return re.sub(r"[ \t]+", " ", "".join(out)).strip()


def _stem(word: str) -> str:
    return word[:6]


def classify_sentence(sentence: str, lex: Lexicon, depth: int = 0) -> QuestionType | None:
    """Open, closed or not a question, for one normalised sentence (rules in lexicon order)."""
    body = lex.markers.sub("", sentence.strip(" ,;:.")).strip()
    asked = sentence.rstrip().endswith("?")
    if not body:
        return "closed" if asked else None
    if depth < 2 and (embedded := lex.embedding and lex.embedding.search(body)):
        rest = body[embedded.end() :].strip()
        inner = classify_sentence(rest + (" ?" if asked else ""), lex, depth + 1)
        return inner or "open"
    for pattern, label in lex.wh:
        if pattern.match(body):
            return label
    if lex.request and lex.request.search(body):
        return "open"
    if lex.yes_no and lex.yes_no.match(body):
        return "closed"
    for pattern, label in lex.in_situ:
        if pattern.search(body):
            return label
    return "closed" if asked else None


def analyse(text: str, lang: str) -> Analysis:
    """Read one user line in ``lang`` ("fr" or "en")."""
    lex = lexicon(lang)
    original = clean(text)
    norm = lex.expand(normalise(original[:MAX_ANALYSED_CHARS]))
    words = _WORD.findall(norm)
    if not words:
        return Analysis(original, None, (), (), (), (), 0, frozenset(), understood=bool(original))

    questions: list[tuple[str, QuestionType]] = []
    asked_topics: list[str] = []
    raw_sentences = [s for s in _SENTENCE_END.split(original[:MAX_ANALYSED_CHARS]) if s.strip()]
    norm_sentences = [lex.expand(normalise(s)) for s in raw_sentences]
    for raw, sentence in zip(raw_sentences, norm_sentences, strict=True):
        kind = classify_sentence(sentence, lex)
        if kind:
            questions.append((raw.strip(), kind))
            asked_topics.extend(t for t, rx in lex.topics.items() if rx and rx.search(sentence))

    kinds = {kind for _, kind in questions}
    question: QuestionType | None = "open" if "open" in kinds else ("closed" if kinds else None)
    intents = tuple(name for name, rule in lex.intents.items() if rule.applies(norm))
    topics = tuple(t for t, rx in lex.topics.items() if rx and rx.search(norm))
    stems = frozenset(_stem(w) for w in words if len(w) > 3 and w not in lex.stopwords)
    understood = any(w in lex.stopwords for w in words) or len(words) < 3
    return Analysis(
        text=original,
        question=question,
        intents=intents,
        topics=topics,
        asked_topics=tuple(dict.fromkeys(asked_topics)),
        questions=tuple(questions),
        words=len(words),
        stems=stems,
        understood=understood,
    )
