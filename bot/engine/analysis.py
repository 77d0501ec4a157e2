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
EXTRA_INTENTS = (
    "greeting",
    "goodbye",
    "preparation",
    "mention_permission",
    "reformulation",
    "rude",
)
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


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _expand(pattern: str, classes: dict[str, str]) -> str:
    """Replace ``{name}`` by the word class ``name`` (an alternation) from the lexicon."""
    return _PLACEHOLDER.sub(lambda m: f"(?:{classes[m.group(1)]})", pattern)


def _compile(patterns: list[str] | None, classes: dict[str, str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{_expand(p, classes)})" for p in patterns))


def _labelled(
    items: list[dict[str, str]] | None, classes: dict[str, str]
) -> list[tuple[re.Pattern[str], str]]:
    """``[{pattern: label}, …]`` from the lexicon, compiled, in order."""
    return [
        (re.compile(_expand(p, classes)), label)
        for item in items or ()
        for p, label in item.items()
    ]


@dataclass(frozen=True, slots=True)
class _Rule:
    match: re.Pattern[str]
    unless: re.Pattern[str] | None

    def applies(self, text: str) -> bool:
        return bool(self.match.search(text)) and not (self.unless and self.unless.search(text))


def _words(lang: str, name: str, words: list) -> list[str]:
    """A word class, checked: YAML reads a bare ``no``/``on`` as a boolean, not a word."""
    for word in words:
        if not isinstance(word, str):
            raise ValueError(
                f"lexicons/{lang}.yaml: class {name!r}: {word!r} is not text; quote it"
            )
    return words


class Lexicon:
    """One language's vocabulary, compiled once."""

    def __init__(self, lang: str, data: dict) -> None:
        self.lang = lang
        classes = {
            name: "|".join(_words(lang, name, words))
            for name, words in (data.get("classes") or {}).items()
        }
        # A class may use another one defined above it.
        for name, alternation in classes.items():
            classes[name] = _expand(alternation, classes)
        self.classes = classes
        self.abbreviations: dict[str, str] = data.get("abbreviations", {})
        self._abbrev = re.compile(
            r"(?<![\w'])(" + "|".join(map(re.escape, self.abbreviations)) + r")(?![\w'])"
        )
        q = data["question"]
        # Longest first, so that "et vous" is taken whole rather than "et".
        markers = sorted(q["markers"], key=len, reverse=True)
        self.markers = re.compile(
            r"^(?:(?:" + "|".join(_expand(m, classes) for m in markers) + r")\b[\s,:]*)+"
        )
        self.clause_break = re.compile(
            r"\s*[,;:()]\s*|\s+(?:-\s+)?(?=(?:" + _expand(q["clause_break"], classes) + r")\b)"
        )
        self.not_question = _compile(q.get("not_question"), classes)
        self.subordinate = _compile(q.get("subordinate"), classes)
        # An embedding opens its clause, or follows a connector ("… et je me demandais").
        after = q.get("embedding_after")
        lead = f"(?:^|\\b(?:{after}) )" if after else "^"
        self.embedding = [
            (re.compile(lead + f"(?:{rx.pattern})"), label)
            for rx, label in _labelled(q.get("embedding"), classes)
        ]
        self.embedded_wh = _labelled(q.get("embedded_wh"), classes)
        self.indirect = _compile(q.get("indirect"), classes)
        self.wh = _labelled(q.get("wh"), classes)
        self.request = _compile(q.get("request"), classes)
        self.yes_no = _compile(q.get("yes_no"), classes)
        self.in_situ = _labelled(q.get("in_situ"), classes)
        self.in_situ_asked = _labelled(q.get("in_situ_asked"), classes)
        self.unmarked = _compile(q.get("unmarked"), classes)
        self.intents = {
            name: _Rule(_compile(rule["match"], classes), _compile(rule.get("unless"), classes))
            for name, rule in data["intents"].items()
        }
        self.topics = {
            name: _compile(patterns, classes) for name, patterns in data["topics"].items()
        }
        self.stopwords = frozenset(data["stopwords"])
        self.foreign = frozenset(data.get("foreign_words", ()))

    def expand(self, text: str) -> str:
        return self._abbrev.sub(lambda m: self.abbreviations[m.group(1)], text)


@cache
def lexicon(lang: str) -> Lexicon:
    path = LEXICON_DIR / f"{lang}.yaml"
    with path.open(encoding="utf-8") as handle:
        return Lexicon(lang, yaml.safe_load(handle))


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+|(?<=\?)(?=\w)")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*'?")
_SPACES = re.compile(r"[ \t]+")


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
        if category[0] in "LN" or ch in ".,;:!?'\"()/%€$+\n" or ch == " ":
            out.append(ch)
        elif ch == "…":
            out.append(".")
        else:  # emoji, symbols, dashes, hyphens
            out.append(" ")
    return _SPACES.sub(" ", "".join(out)).strip()


def _stem(word: str) -> str:
    return word[:6]


#: A clause that is explicitly not a question (small talk such as "how are you?").
_NOT_A_QUESTION = "none"


def _classify_clause(
    body: str, lex: Lexicon, asked: bool, loose: bool, bare: bool = False, depth: int = 0
) -> str | None:
    """Open, closed, not a question (``_NOT_A_QUESTION``) or nothing found, for one clause.

    ``asked``: the sentence ends with a question mark; ``loose``: the sentence is asked or
    made of this clause only, so that a bare "quand…"/"when…" is read as a question and not
    as a subordinate clause ("Quand j'aurai fini, je vous appelle"); ``bare``: the sentence
    has no final punctuation at all, as in chat ("vous avez des horaires decales").
    """
    body = lex.markers.sub("", body.strip(" .!?,;:'\"")).strip(" .!?,;:'\"")
    if not body:
        return None
    if lex.not_question and lex.not_question.match(body):
        return _NOT_A_QUESTION
    if depth == 0 and lex.subordinate and lex.subordinate.match(body):
        return None
    if depth < 2:
        for pattern, label in lex.embedding:
            if embedded := pattern.search(body):
                rest = body[embedded.end() :].strip(" ,")
                inner = _classify_clause(rest, lex, asked, True, bare, depth + 1) if rest else None
                if inner in ("open", "closed"):
                    return inner
                if lex.request and lex.request.search(body):
                    return "open"
                return label if label in ("open", "closed") else None
    if depth:
        for pattern, label in lex.embedded_wh:
            if pattern.match(body):
                return label
    if not (asked or depth) and lex.indirect and lex.indirect.match(body):
        return None
    for pattern, label in lex.wh:
        if pattern.match(body):
            if label == "closed" and not (loose or depth):
                return None
            return label
    if lex.request and lex.request.search(body):
        return "open"
    if lex.yes_no and lex.yes_no.match(body):
        return "closed"
    for pattern, label in lex.in_situ:
        if pattern.search(body) and (label == "open" or loose):
            return label
    if asked:
        for pattern, label in lex.in_situ_asked:
            if pattern.search(body):
                return label
    elif bare and loose and lex.unmarked and lex.unmarked.match(body):
        return "closed"
    return None


def classify_sentence(sentence: str, lex: Lexicon) -> QuestionType | None:
    """Open, closed or not a question, for one normalised sentence.

    The sentence is cut into clauses (commas, "et comment…", "and why…"); each clause goes
    through the rules in lexicon order; one open clause makes the sentence open.
    """
    asked = "?" in sentence
    clauses = [c for c in lex.clause_break.split(sentence) if c and c.strip(" .!?")]
    loose = asked or len(clauses) <= 1
    bare = not asked and not sentence.rstrip().endswith((".", "!"))
    labels = [_classify_clause(c, lex, asked, loose, bare) for c in clauses]
    if "open" in labels:
        return "open"
    if "closed" in labels:
        return "closed"
    if asked and _NOT_A_QUESTION not in labels:
        return "closed"
    return None


def analyse(text: str, lang: str) -> Analysis:
    """Read one user line in ``lang`` ("fr" or "en")."""
    lex = lexicon(lang)
    original = clean(text)
    head = original[:MAX_ANALYSED_CHARS]
    norm = lex.expand(normalise(head))
    words = _WORD.findall(norm)
    if not words:
        return Analysis(original, None, (), (), (), (), 0, frozenset(), understood=bool(original))

    questions: list[tuple[str, QuestionType]] = []
    asked_topics: list[str] = []
    for raw in _SENTENCE_END.split(head):
        if not raw.strip():
            continue
        sentence = lex.expand(normalise(raw))
        kind = classify_sentence(sentence, lex)
        if kind:
            questions.append((raw.strip(), kind))
            asked_topics.extend(t for t, rx in lex.topics.items() if rx and rx.search(sentence))

    kinds = {kind for _, kind in questions}
    question: QuestionType | None = "open" if "open" in kinds else ("closed" if kinds else None)
    intents = tuple(name for name, rule in lex.intents.items() if rule.applies(norm))
    topics = tuple(t for t, rx in lex.topics.items() if rx and rx.search(norm))
    stems = frozenset(_stem(w) for w in words if len(w) > 3 and w not in lex.stopwords)
    own = sum(w in lex.stopwords for w in words)
    foreign = sum(w in lex.foreign for w in words)
    understood = own > foreign or (len(words) < 3 and not foreign)
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
