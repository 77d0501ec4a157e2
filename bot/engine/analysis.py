"""What a user's line is: a question (open or closed), which intents, which information topics.

The rules are transparent on purpose: a coach must be able to read why a line was called
closed. All the vocabulary lives in ``lexicons/<lang>.yaml`` (regular expressions written
against *normalised* text: lower case, no accents, hyphens as spaces, straight apostrophes,
SMS spellings expanded); this module only knows the order in which the rules apply:

1. The line is cut into sentences, each sentence into clauses (at commas, and before a
   coordinated question word: "…, et pourquoi ?", "… and how …").
2. Each clause, once its opening markers are dropped ("Et du coup, …", "In your view, …"),
   goes through, in this order: small talk and exclamations (not questions), subordinate
   openings ("Si vous voulez, …"), embeddings ("Je me demandais comment …", "Could you tell
   me whether …": the rest is read as a question of its own), question words at the start
   (open "comment/why/what kind of…", closed "combien/when/which…", "quel/what + noun"
   decided by the noun), requests to elaborate ("Parlez-moi de…", "Could you walk me
   through…"), yes/no syntax (inversion, "est-ce que", auxiliary + subject), question words
   left in place ("Vous faites quoi ?"), and chat-style questions without a mark.
3. A sentence is open if one clause is open, else closed if one is closed or it ends with
   "?" (a declarative question); the line takes the strongest of its sentences.
4. Intents are patterns searched in the whole line (``match``, cancelled by ``unless``);
   the topic is the most specific one asked about, none for a line about the user.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from re import _compiler as _sre_compiler  # to compile a pattern parsed once
from re import _parser as _sre  # to read patterns for the speed shortcut
from typing import Literal

import yaml

QuestionType = Literal["open", "closed"]

LEXICON_DIR = Path(__file__).with_name("lexicons")
#: libyaml's safe loader when available: the lexicons load several times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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
#: What every visitor asks besides the classic topics; a host answers these too.
VISITOR_TOPICS = (
    "career_path",
    "advice",
    "future",
    "tools",
    "remote_work",
    "pay",
    "training",
    "hiring",
    "culture",
    "newcomer_mistakes",
    "hindsight",
    "project_feedback",
)
#: Every topic a question can be routed to (a host's knowledge is keyed by these).
ALL_TOPICS = TOPICS + VISITOR_TOPICS


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
    """One regular expression for patterns tested at the start of a clause (``match``).

    Anchored (``\\A``), so that the pattern says how it is used: searched, it is still tried
    at one place only, never from every word of a long line.
    """
    if not patterns:
        return None
    return re.compile(r"\A(?:" + "|".join(f"(?:{_expand(p, classes)})" for p in patterns) + ")")


_MAX_STRINGS = 300


def _exact(items: list) -> list[str] | None:
    """Every string a regex sequence can match, when they are few and fixed; else None."""
    out = [""]
    for op, av in items:
        if op is _sre.LITERAL:
            alts = [chr(av)]
        elif op is _sre.SUBPATTERN:
            alts = _exact(av[3].data)
        elif op is _sre.BRANCH:
            branches = [_exact(b.data) for b in av[1]]
            alts = None if None in branches else [x for b in branches for x in b]
        elif op is _sre.IN and all(o is _sre.LITERAL for o, _ in av) and len(av) <= 4:
            alts = [chr(c) for _, c in av]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[:2] == (0, 1):
            body = _exact(av[2].data)
            alts = None if body is None else ["", *body]
        elif op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            alts = [""]
        else:
            alts = None
        if alts is None:
            return None
        out = [a + b for a in out for b in alts]
        if len(out) > _MAX_STRINGS:
            return None
    return out


def _factors(items: list) -> list[str] | None:
    """Strings one of which every match of a regex sequence contains (None if unknown)."""
    candidates: list[list[str]] = []
    run = [""]
    for op, av in items:
        exact = _exact([(op, av)])
        if exact is not None:
            candidates.append(exact)
            joined = [a + b for a in run for b in exact]
            if len(joined) <= _MAX_STRINGS:
                run = joined
                continue
            candidates.append(run)
            run = exact
            continue
        candidates.append(run)
        run = [""]
        inner = None
        if op is _sre.SUBPATTERN:
            inner = _factors(av[3].data)
        elif op is _sre.BRANCH:
            branches = [_factors(b.data) for b in av[1]]
            if None not in branches and sum(map(len, branches)) <= _MAX_STRINGS:
                inner = [x for b in branches for x in b]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            inner = _factors(av[2].data)
        if inner:
            candidates.append(inner)
    candidates.append(run)
    useful = [c for c in candidates if min(map(len, c)) >= 3]
    # Few strings first (each costs a scan of the line), then long ones (rarer in text).
    return max(useful, key=lambda c: (-len(c), min(map(len, c)))) if useful else None


def _parse(pattern: str) -> tuple[tuple[str, ...] | None, re.Pattern[str]]:
    """The strings one of which every match contains (None if unknown), and the pattern.

    The pattern is parsed once for both: Python's parser is slow enough to matter at start-up.
    """
    try:
        tree = _sre.parse(pattern)
        found = _factors(tree.data)
        compiled = _sre_compiler.compile(tree)
    except re.error:
        raise
    except Exception:  # an unusual construct or another Python: no shortcut then
        return None, re.compile(pattern)
    return (tuple(dict.fromkeys(found)) if found else None), compiled


_GRAM = 4


def grams(text: str) -> frozenset[str]:
    """The 3- and 4-character pieces of ``text``: one set per line makes the shortcut cheap."""
    return frozenset(
        [text[i : i + _GRAM] for i in range(len(text) - _GRAM + 1)]
        + [text[i : i + _GRAM - 1] for i in range(len(text) - _GRAM + 2)]
    )


class _Finder:
    """Patterns searched anywhere in a text; true when one of them is found.

    Speed: most patterns fail on most lines, so each is guarded by tests that can only rule
    a line out. From each pattern we work out strings one of which every match contains;
    from each string, one 4-character piece (the least common). A line lacking all of a
    pattern's pieces is skipped with one set operation; otherwise the strings, and then the
    pattern, are searched. Same answers as the patterns alone, several times faster.
    """

    __slots__ = ("_gate", "_tests", "patterns")

    def __init__(
        self, patterns: list[str] | None, classes: dict[str, str], common: frozenset[str]
    ) -> None:
        #: The patterns as searched (word classes expanded), in lexicon order.
        self.patterns = tuple(_expand(pattern, classes) for pattern in patterns or ())
        # (pieces, quick test, exact pattern) per pattern; None where no shortcut was found.
        self._tests: list[
            tuple[frozenset[str] | None, re.Pattern[str] | None, re.Pattern[str]]
        ] = []
        for full in self.patterns:
            needles, compiled = _parse(full)
            pieces = quick = None
            if needles:
                pieces = frozenset(_rarest_piece(n, common) for n in needles)
                quick = re.compile("|".join(map(re.escape, needles))) if len(needles) < 40 else None
            self._tests.append((pieces, quick, compiled))
        every = [pieces for pieces, _, _ in self._tests]
        self._gate = frozenset().union(*every) if every and None not in every else None

    def __bool__(self) -> bool:
        return bool(self._tests)

    def search(self, text: str, pieces: frozenset[str] | None = None) -> bool:
        """True when a pattern is found in ``text`` (``pieces``: ``grams(text)``, if known)."""
        if pieces is not None and self._gate is not None and pieces.isdisjoint(self._gate):
            return False
        for needed, quick, full in self._tests:
            if needed is not None and pieces is not None and pieces.isdisjoint(needed):
                continue
            if quick is not None and not quick.search(text):
                continue
            if full.search(text):
                return True
        return False


def _rarest_piece(needle: str, common: frozenset[str]) -> str:
    """The piece of ``needle`` least likely in any line: no blank, not in common words."""
    if len(needle) < _GRAM:
        return needle
    pieces = [needle[i : i + _GRAM] for i in range(len(needle) - _GRAM + 1)]
    return min(pieces, key=lambda p: (p in common, " " in p, "'" in p))


def _labelled(
    items: list[dict[str, str]] | None, classes: dict[str, str], anchored: bool = False
) -> list[tuple[re.Pattern[str], str]]:
    """``[{pattern: label}, …]`` from the lexicon, compiled, in order.

    ``anchored``: the patterns are tested at the start of a clause (``match``), and say so
    with ``\\A``, as in `_compile`.
    """
    lead = r"\A" if anchored else ""
    return [
        (re.compile(f"{lead}(?:{_expand(p, classes)})"), label)
        for item in items or ()
        for p, label in item.items()
    ]


@dataclass(frozen=True, slots=True)
class _Rule:
    match: _Finder
    unless: _Finder

    def applies(self, text: str, pieces: frozenset[str] | None = None) -> bool:
        return self.match.search(text, pieces) and not (
            self.unless and self.unless.search(text, pieces)
        )


def _words(lang: str, name: str, words: list) -> list[str]:
    """A word class, checked: YAML reads a bare ``no``/``on`` as a boolean, not a word."""
    for word in words:
        if not isinstance(word, str):
            raise ValueError(
                f"lexicons/{lang}.yaml: class {name!r}: {word!r} is not text; quote it"
            )
    return words


#: Entries of the dialogue lexicon that are words, not patterns.
_WORD_LISTS = frozenset({"generic_words", "synonyms", "recall_ignored_words"})


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
        self.stopwords = frozenset(data["stopwords"])
        self.foreign = frozenset(data.get("foreign_words", ()))
        #: Words of two letters that carry meaning ("IA", "RH"): shorter words are skipped.
        self.short_words = frozenset(data.get("short_words", ()))
        # Pieces of frequent words: poor shortcuts, since nearly every line contains them.
        common = grams(" " + " ".join(self.stopwords) + " ")
        self.abbreviations: dict[str, str] = data.get("abbreviations", {})
        self._abbrev = re.compile(
            r"(?<![\w'])(" + "|".join(map(re.escape, self.abbreviations)) + r")(?![\w'])"
        )
        #: Texting drops apostrophes ("je peux t envoyer", "l ia"): the elided word gets its
        #: apostrophe back, so that every pattern written for "t'envoyer" reads it.
        elision = data.get("elision")
        self._elision = re.compile(elision) if elision else None
        q = data["question"]
        # Longest first, so that "et vous" is taken whole rather than "et".
        markers = sorted(q["markers"], key=len, reverse=True)
        self.markers = re.compile(
            r"^(?:(?:" + "|".join(_expand(m, classes) for m in markers) + r")\b[\s,:]*)+"
        )
        # A break starts where the blanks before it start ((?<!\s)): tried from every blank of
        # a run instead, it would read the whole run again each time.
        self.clause_break = re.compile(
            r"(?<!\s)(?:\s*[,;:()]\s*|\s+(?:-\s+)?(?=(?:"
            + _expand(q["clause_break"], classes)
            + r")\b))"
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
        self.embedded_wh = _labelled(q.get("embedded_wh"), classes, anchored=True)
        self.indirect = _compile(q.get("indirect"), classes)
        self.knowing = re.compile(q["knowing"]) if q.get("knowing") else None
        self.wh = _labelled(q.get("wh"), classes, anchored=True)
        self.request = _Finder(q.get("request"), classes, common)
        self.yes_no = _compile(q.get("yes_no"), classes)
        self.in_situ = _labelled(q.get("in_situ"), classes)
        self.in_situ_asked = _labelled(q.get("in_situ_asked"), classes)
        self.unmarked = _compile(q.get("unmarked"), classes)
        self.late_wh = _compile(q.get("late_wh"), classes)
        self.late_closed = _compile(q.get("late_closed"), classes)
        self.late_open = _compile(q.get("late_open"), classes)
        self.restated = _compile(q.get("restated"), classes)
        self.intents = {
            name: _Rule(
                _Finder(rule["match"], classes, common),
                _Finder(rule.get("unless"), classes, common),
            )
            for name, rule in data["intents"].items()
        }
        self.topics = {
            name: _Finder(patterns, classes, common) for name, patterns in data["topics"].items()
        }
        #: Context rules of dialogue acts (`acts.py`), patterns with word classes expanded.
        self.dialogue = {
            name: value if name in _WORD_LISTS else [_expand(p, classes) for p in value]
            for name, value in (data.get("dialogue") or {}).items()
        }

    def expand(self, text: str) -> str:
        text = self._abbrev.sub(lambda m: self.abbreviations[m.group(1)], text)
        if self._elision is None or not self._elision.search(text):
            return text  # the same object: the caches keyed by it keep no copy
        return self._elision.sub(r"\1'", text)


@cache
def lexicon(lang: str) -> Lexicon:
    path = LEXICON_DIR / f"{lang}.yaml"
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_YAML_LOADER)
    with (LEXICON_DIR / "dialogue" / f"{lang}.yaml").open(encoding="utf-8") as handle:
        data["dialogue"] = yaml.load(handle, Loader=_YAML_LOADER)
    return Lexicon(lang, data)


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+|(?<=\?)(?=\w)")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*'?")
_SPACES = re.compile(r"[ \t]+")
#: Combining marks left by NFKD ("é" is "e" + U+0301): dropped, so "é" reads "e".
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NOT_KEPT = re.compile(r"[^\w.,;:!?'\"()/%€$+\n ]|_")


def clean(text: str) -> str:
    """Drop control characters and surrounding blanks; keep what the user meant to type."""
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text
    ).strip()


#: Texts up to this long are normalised once and remembered (see `normalise`).
NORMALISED_KEPT_CHARS = 600


def normalise(text: str) -> str:
    """Lower case, no accents, no emoji, hyphens as spaces: the form lexicons are written in.

    A turn normalises the visitor's line a dozen times (each rule that reads it) and the
    host's lines again at every turn: short texts are remembered (a bounded cache, so a
    pasted book is never kept).
    """
    if len(text) <= NORMALISED_KEPT_CHARS:
        return _normalised(text)
    return _normalise(text)


@lru_cache(maxsize=4096)
def _normalised(text: str) -> str:
    return _normalise(text)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    if not text.isascii():
        text = _ACCENTS.sub("", text)
    # Emoji, symbols, dashes and hyphens become blanks.
    return _SPACES.sub(" ", _NOT_KEPT.sub(" ", text)).strip()


#: A clause that is explicitly not a question (small talk such as "how are you?").
_NOT_A_QUESTION = "none"


def _classify_clause(
    body: str,
    lex: Lexicon,
    asked: bool,
    loose: bool,
    bare: bool = False,
    depth: int = 0,
    direct: bool = False,
) -> str | None:
    """Open, closed, not a question (``_NOT_A_QUESTION``) or nothing found, for one clause.

    ``asked``: the sentence ends with a question mark; ``loose``: the sentence is asked or
    made of this clause only, so that a bare "quand…"/"when…" is read as a question and not
    as a subordinate clause ("Quand j'aurai fini, je vous appelle"); ``bare``: the sentence
    has no final punctuation at all, as in chat ("vous avez des horaires decales");
    ``direct``: a chat clause that no "and"/"or" joins to a statement, so that a question
    word and its subject open a question ("how u start ur agency"), not an indirect one
    ("…who the players are and how they compete").
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
    if not (asked or depth or direct) and lex.indirect and lex.indirect.match(body):
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
    bare = not asked and not sentence.rstrip().endswith((".", "!"))
    # In chat, "and user research, who does that in ur team" asks without a mark.
    loose = asked or len(clauses) <= 1 or bare
    labels = [
        _classify_clause(c, lex, asked, loose, bare, direct=_direct(c, lex, bare)) for c in clauses
    ]
    if bare and (lex.late_wh or lex.late_closed):
        # "technical supervisor what is exactly this job, he is with the people…" asks
        # openly; "before that you start as operator or you come from school" asks which;
        # "but methods what they do all day, is it office job or on the floor" asks both.
        # "tu penses que le métier va changer comment" starts like a yes/no ("tu penses")
        # and asks how: the question word further in decides.
        labels = [
            "open"
            if label == "closed" and lex.late_open and lex.late_open.match(c.strip(" .!?,;:"))
            else label or _late_label(c.strip(" .!?,;:"), lex)
            for c, label in zip(clauses, labels, strict=True)
        ]
    if lex.restated and not any(labels):
        # "No, I was asking about the typical day.": the question said again, full stop
        # and all.
        labels = ["open" if lex.restated.match(c.strip(" .!?,;:")) else None for c in clauses]
    if "open" in labels:
        return "open"
    if "closed" in labels:
        return "closed"
    if asked and _NOT_A_QUESTION not in labels:
        return "closed"
    return None


def _direct(clause: str, lex: Lexicon, bare: bool) -> bool:
    """A chat clause (no final punctuation) that no "and"/"or" joins to a statement and in
    which the speaker says they know nothing of it: its question word asks."""
    if not bare or lex.clause_break.match(clause):
        return False
    return not (lex.knowing and lex.knowing.search(clause))


def _late_label(clause: str, lex: Lexicon) -> QuestionType | None:
    """A chat clause with no mark that still asks: openly (a question word further in) or
    for one of two things, or yes or no ("…people wait or what")."""
    if lex.late_wh and lex.late_wh.match(clause):
        return "open"
    if lex.late_closed and lex.late_closed.match(clause):
        return "closed"
    return None


#: Up to this many words, a line with no known word is still taken as understood.
_SHORT_LINE_WORDS = 5

#: Intents of a line that speaks of the user rather than of an information topic.
_ABOUT_THE_USER = frozenset(
    {"introduction", "assets", "link", "purpose", "thanks", "keep_informed", "notes_permission"}
)


#: Intents of a line that asks for something other than information (a job, contacts…).
_NO_TOPIC = frozenset(
    {"job_request", "referral_request", "notes_permission", "greeting", "goodbye"}
)


def _topics(text: str, lex: Lexicon) -> list[str]:
    """The information topics ``text`` touches, most specific first (lexicon order)."""
    pieces = grams(text)
    return [name for name, rx in lex.topics.items() if rx and rx.search(text, pieces)]


def analyse(text: str, lang: str) -> Analysis:
    """Read one user line in ``lang`` ("fr" or "en")."""
    lex = lexicon(lang)
    original = clean(text)
    head = original[:MAX_ANALYSED_CHARS]
    sentences = [
        (raw.strip(), lex.expand(normalise(raw)))
        for raw in _SENTENCE_END.split(head)
        if raw.strip()
    ]
    norm = " ".join(sentence for _, sentence in sentences if sentence)
    words = _WORD.findall(norm)
    if not words:
        return Analysis(original, None, (), (), (), (), 0, understood=bool(original))

    questions: list[tuple[str, QuestionType]] = []
    asked_topics: list[str] = []
    for raw, sentence in sentences:
        kind = classify_sentence(sentence, lex) if sentence else None
        if kind:
            questions.append((raw, kind))
            asked_topics.extend(_topics(sentence, lex))

    kinds = {kind for _, kind in questions}
    question: QuestionType | None = "open" if "open" in kinds else ("closed" if kinds else None)
    pieces = grams(norm)
    intents = tuple(name for name, rule in lex.intents.items() if rule.applies(norm, pieces))
    # One topic per line, the most specific (lexicon order) of what was asked; a line that
    # only speaks of the user (who they are, thanks…) is about no information topic.
    asked = tuple(dict.fromkeys(asked_topics))
    if not _NO_TOPIC.isdisjoint(intents):
        topics = ()
    elif asked:
        topics = asked[:1]
    elif _ABOUT_THE_USER.isdisjoint(intents):
        topics = tuple(_topics(norm, lex)[:1])
    else:
        topics = ()
    own = sum(w in lex.stopwords for w in words)
    foreign = sum(w in lex.foreign for w in words)
    # A short line with no function word of any language ("Bon week-end !") gets the
    # benefit of the doubt; otherwise the line must look more like ``lang`` than not.
    understood = own > foreign or (not foreign and len(words) <= _SHORT_LINE_WORDS)
    return Analysis(
        text=original,
        question=question,
        intents=intents,
        topics=topics,
        asked_topics=asked,
        questions=tuple(questions),
        words=len(words),
        understood=understood,
    )
