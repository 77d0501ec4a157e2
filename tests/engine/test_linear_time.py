"""No pattern of the product takes more than linear time on a long line.

A backtracking pattern that is quadratic on some input (a gap read again from every start,
an unbounded repeat tried from the middle of a run) blocks the event loop for every chat:
4,000 digits once cost 140 ms in the French analysis. Every pattern is collected the way the
product compiles it (the lexicon loader, the dialogue and routing rules, the modules'
compiled patterns, the literal patterns in code), so a new pattern is covered without
editing this file, and is run on long adversarial lines: runs of digits, blanks, quotes and
letters, repetitions of the pattern's own words and of strings it nearly matches. Time must
grow linearly: at most `MAX_RATIO` times longer for `GROWTH` times the length (best of a few
runs), and stay under `MAX_SECONDS` at `LONG` characters. The public entry points (a meeting
turn, the grading of notes and of a thank-you message) are then timed on 100,000 characters.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from re import _parser as sre  # to write strings that a pattern nearly matches

import pytest

import bot
from bot.engine import routing
from bot.engine.aftercare import MAX_TEXT_CHARS, check_notes, grade_thanks
from bot.engine.analysis import MAX_ANALYSED_CHARS, _Finder, analyse, lexicon
from bot.engine.meeting import Meeting

LANGS = ("fr", "en")
#: Lines are run on `SHORT` characters, then, unless fast enough there, on `LONG`.
SHORT = 2_500
LONG = 20_000
#: Linear time grows about LONG / SHORT (8) times; quadratic time, 64 times.
MAX_RATIO = 16
#: Any one pattern on one `LONG`-character line (the engine reads at most 4,096 of a text).
#: A linear pattern that tries a word at every blank ("g g g …") takes 54 ms of CPU on a
#: loaded two-core machine: the limit catches a bad constant, the ratio catches quadratic.
MAX_SECONDS = 0.1
#: Under this on `SHORT` characters, a pattern is fast enough even if it were quadratic
#: (under 13 ms on `LONG` characters); and smaller times are mostly noise.
FAST = 0.0002
#: Pieces repeated into long lines, whatever the pattern.
GENERIC_PIECES = ("1", "1 ", " ", "«", "“", '"', "a", "i ", ".,", ", ", "?", "'", "1%", "\n")
#: Where patterns are not the product's: the Bot API emulator is a test double.
NOT_THE_PRODUCT = ("bot.devtools", "bot/devtools")

# -- every pattern, collected the way the product compiles it ---------------------------------


def _walk(obj: object, where: str, seen: set[int]) -> Iterator[tuple[str, re.Pattern[str], str]]:
    """Compiled patterns reachable from ``obj``, with where they are and their source."""
    if id(obj) in seen or isinstance(obj, (str, bytes, int, float, bool, type(None))):
        return
    seen.add(id(obj))
    if isinstance(obj, re.Pattern):
        yield where, obj, obj.pattern
    elif isinstance(obj, _Finder):
        # Compiled from a parse tree, so without their source: the finder keeps it.
        for source, (_, quick, full) in zip(obj.patterns, obj._tests, strict=True):
            yield f"{where}[{source[:50]!r}]", full, source
            if quick is not None:
                yield f"{where}[{source[:50]!r}].quick", quick, quick.pattern
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _walk(value, f"{where}.{key}", seen)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for index, value in enumerate(obj):
            yield from _walk(value, f"{where}[{index}]", seen)
    else:
        names = set(getattr(obj, "__dict__", ()))
        for cls in type(obj).__mro__:
            names.update(getattr(cls, "__slots__", ()))
        for name in sorted(names):
            if hasattr(obj, name):
                yield from _walk(getattr(obj, name), f"{where}.{name}", seen)


def _lexicon_patterns(lang: str) -> Iterator[tuple[str, re.Pattern[str], str]]:
    """The analysis lexicon as loaded, the dialogue rules and the routing cues."""
    lex = lexicon(lang)
    yield from _walk(lex, f"lexicon[{lang}]", set())
    for name, value in lex.dialogue.items():
        if name not in ("generic_words", "synonyms", "recall_ignored_words"):
            # One by one, as the meeting searches some (`acts.rule` joins them: an
            # alternation of linear patterns is linear).
            for index, source in enumerate(value):
                yield f"dialogue[{lang}].{name}[{index}]", re.compile(source), source
    yield from _walk(routing._routing(lang), f"routing[{lang}]", set())


def _code_patterns() -> Iterator[tuple[str, re.Pattern[str], str]]:
    """Patterns compiled at module level, and literal patterns passed to ``re`` in code."""
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        if info.name != "bot.__main__" and not info.name.startswith(NOT_THE_PRODUCT):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if isinstance(value, (re.Pattern, dict)):
                    yield from _walk(value, f"{info.name}.{name}", set())
    root = Path(bot.__file__).parent
    for path in sorted(root.rglob("*.py")):
        where = str(path.relative_to(root.parent))
        if where.startswith(NOT_THE_PRODUCT):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                source = node.args[0].value
                yield f"{where}:{node.lineno}", re.compile(source), source


@cache
def all_patterns() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """Every pattern once (the same source compiled in two places is measured once)."""
    found: dict[tuple[str, int], tuple[str, re.Pattern[str], str]] = {}
    for lang in LANGS:
        for where, rx, source in _lexicon_patterns(lang):
            found.setdefault((source, rx.flags), (where, rx, source))
    for where, rx, source in _code_patterns():
        found.setdefault((source, rx.flags), (where, rx, source))
    return tuple(found.values())


# -- adversarial lines -------------------------------------------------------------------------


def _example(items: list, branch: int) -> str:
    """A short string that the parsed pattern ``items`` nearly matches (assertions ignored).

    ``branch`` picks among alternatives, so that a few examples cover a long alternation.
    """
    out = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op is sre.ANY:
            out.append("a")
        elif op is sre.IN:
            out.append(_in_example(av, branch))
        elif op is sre.CATEGORY:
            out.append(_category_example(av))
        elif op is sre.SUBPATTERN:
            out.append(_example(av[3].data, branch))
        elif op is sre.BRANCH:
            out.append(_example(av[1][branch % len(av[1])].data, branch))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            out.append(_example(av[2].data, branch) * max(av[0], 1))
    return "".join(out)


def _category_example(category: object) -> str:
    name = str(category)
    return "1" if "DIGIT" in name else " " if "SPACE" in name and "NOT" not in name else "a"


def _in_example(items: list, branch: int) -> str:
    if items and items[0][0] is sre.NEGATE:
        excluded = {chr(c) for op, c in items[1:] if op is sre.LITERAL}
        return next(c for c in "a 1x" if c not in excluded)
    op, value = items[branch % len(items)]
    if op is sre.LITERAL:
        return chr(value)
    if op is sre.RANGE:
        return chr(value[0])
    return _category_example(value) if op is sre.CATEGORY else "a"


def _pieces(source: str) -> list[str]:
    """What to repeat into long lines: generic runs, the pattern's first words (its
    triggers, usually), strings it nearly matches, and those without their last character
    (what a pattern wants at the end is missing: its search fails, from every start)."""
    plain = re.sub(r"\\[a-zA-Z]|\(\?[:=!<>P]+(?:<\w+>)?|\{\d*,?\d*\}\??", " ", source)
    words = list(dict.fromkeys(re.findall(r"[a-z][a-z']*", plain)))[:10]
    tree = sre.parse(source).data
    examples = [e for e in dict.fromkeys(_example(tree, b).strip() for b in range(4)) if e]
    pieces = [*GENERIC_PIECES, *(w + " " for w in words), *(w + " 1 " for w in words[:3])]
    pieces += [e + " " for e in examples] + examples + [e[:-1] for e in examples if e[1:]]
    return list(dict.fromkeys(pieces))


def _line(piece: str, length: int, end: str) -> str:
    return (piece * (length // len(piece) + 1))[: length - len(end)] + end


def _best_time(runs: int, function: Callable[..., object], *args: object) -> float:
    """Processor time of ``function(*args)``, best of ``runs``: other processes on a busy
    machine add to the wall clock, and a run is only ever slowed down, never sped up."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        function(*args)
        best = min(best, time.process_time() - started)
    return best


def _too_slow(rx: re.Pattern[str], short: str, long: str) -> str | None:
    """Why ``rx`` is too slow on these two lines, or None. ``findall`` scans a whole line,
    as ``sub`` and ``split`` do; a line found slow is measured again before it counts."""
    short_time = _best_time(1, rx.findall, short)
    if short_time < FAST:
        return None
    if short_time > MAX_SECONDS:  # beyond doubt, and no time to lose on the long line
        return f"{short_time * 1000:.0f} ms for {len(short)} characters"
    long_time = _best_time(1, rx.findall, long)
    if MAX_SECONDS < long_time < 4 * MAX_SECONDS or long_time / short_time > MAX_RATIO:
        # Measured again, three times over, and the middle measure counts: on a busy
        # machine one slow run of the long line made a linear pattern look quadratic (17 to
        # 20 times the time for 8 times the length); a quadratic one stays at about 64.
        pairs = sorted(
            ((_best_time(3, rx.findall, long), _best_time(3, rx.findall, short)) for _ in range(3)),
            key=lambda pair: pair[0] / pair[1],
        )
        long_time, short_time = pairs[1]
    if long_time > MAX_SECONDS or long_time / short_time > MAX_RATIO:
        return (
            f"{long_time * 1000:.1f} ms for {len(long)} characters, "
            f"{long_time / short_time:.0f} times the time for {len(short)}"
        )
    return None


def slow_cases(rx: re.Pattern[str], source: str) -> list[str]:
    """How ``rx`` fails to stay linear (empty: it does not), on the first line it fails on.

    Each piece is repeated with and without a question mark at the end: a gap that looks
    for one is read again from every start when it is missing, or when it is there and the
    pattern wants none.
    """
    for piece in _pieces(source):
        for end in ("", " ?"):
            why = _too_slow(rx, _line(piece, SHORT, end), _line(piece, LONG, end))
            if why:
                return [f"{piece!r} * n + {end!r}: {why}"]
    return []


# -- every pattern -------------------------------------------------------------------------


def test_every_kind_of_pattern_is_collected() -> None:
    """The collection sees what the product compiles, not an empty list that passes."""
    places = {where.split("[")[0].split(".")[0].split(":")[0] for where, _, _ in all_patterns()}
    assert {"lexicon", "dialogue", "routing", "bot", "bot/engine/acts"} <= places
    names = [where for where, _, _ in all_patterns()]
    assert any(".intents.assets.match" in where for where in names)
    assert any(where.startswith("bot.engine.aftercare._QUOTED") for where in names)
    assert len(names) > 1000


@pytest.mark.parametrize("part", range(4))
def test_every_pattern_takes_linear_time_on_long_adversarial_lines(part: int) -> None:
    patterns = all_patterns()[part::4]
    failures = [
        f"{where}: {failure}"
        for where, rx, source in patterns
        for failure in slow_cases(rx, source)
    ]
    assert not failures, "\n".join(failures)


def test_a_quadratic_pattern_is_caught() -> None:
    """The French figure pattern of 'assets' as the speed shortcut searched it before the
    fix (without its leading ``\\b``): 4,000 digits took 140 ms. With it, linear."""
    old = r"(\d+ ?%|\d+ ?(k|m)?€|\d+ (millions?|milliers?) d'euros)"
    assert slow_cases(re.compile(old), old)
    assert not slow_cases(re.compile(r"\b" + old), old)


# -- the public entry points ---------------------------------------------------------------

#: Long lines for the entry points: runs, repeated words, and what some patterns look for.
HUGE = 100_000
HUGE_PIECES = (
    "1", " ", "«", "“", "a", "i ", "vous ", "j'ai ", "mon parcours ", "1 % ", "; ", "?",
    "my team of 5 people ", "merci ", "ﷺ",  # the last: 18 characters once normalised
)  # fmt: skip
#: A turn or a grading on `HUGE` characters, at most (processor time, best of three).
MAX_ENTRY_SECONDS = 0.1


@pytest.fixture(scope="module")
def finished(personas) -> dict[str, Meeting]:
    """A short meeting per language, over, and graded once (catalogues and caches loaded)."""
    out = {}
    for lang, line in (("fr", "Pouvez-vous me décrire une journée type ?"), ("en", "Hi!")):
        meeting = Meeting.start(personas["curious_host"], lang, seed=1)
        meeting.say(line)
        meeting.end()
        check_notes(meeting, "x")
        grade_thanks(meeting, "x")
        out[lang] = meeting
    return out


@pytest.mark.parametrize("piece", HUGE_PIECES)
@pytest.mark.parametrize("end", ["", " ?"])
def test_a_meeting_turn_on_a_huge_line_is_quick(personas, lang: str, piece: str, end: str):
    persona = personas["curious_host"]
    Meeting.start(persona, lang, seed=1).say("x")  # caches loaded
    meetings = [Meeting.start(persona, lang, seed=1) for _ in range(3)]
    line = _line(piece, HUGE, end)
    assert min(_best_time(1, meeting.say, line) for meeting in meetings) < MAX_ENTRY_SECONDS


@pytest.mark.parametrize("piece", HUGE_PIECES)
def test_notes_and_thanks_on_a_huge_text_are_graded_quickly(finished, lang: str, piece: str):
    text = _line(piece, HUGE, "")
    meeting = finished[lang]
    assert _best_time(3, grade_thanks, meeting, text) < MAX_ENTRY_SECONDS
    assert _best_time(3, check_notes, meeting, text) < MAX_ENTRY_SECONDS


def test_huge_texts_are_read_on_their_head() -> None:
    """A pasted book is analysed on its first `MAX_ANALYSED_CHARS` characters, and graded
    on its first `MAX_TEXT_CHARS`: what comes after changes nothing."""
    head = "Combien de personnes travaillent avec vous ? "
    assert analyse(head + "1" * HUGE, "fr").question == "closed"
    assert analyse("1" * MAX_ANALYSED_CHARS + head, "fr").question is None
    assert MAX_TEXT_CHARS >= 4096  # Telegram's longest message is graded whole
