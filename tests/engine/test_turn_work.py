"""A turn costs as much at turn 40 as at turn 5, and a live meeting stays small (issue 17).

Counted in work, never in time, so that a busy machine cannot make these tests pass or
fail: the older turns a turn reads, the stems of older replies it computes, and the bytes
a meeting keeps per turn (tracemalloc, after the same lines warmed every cache).
"""

from __future__ import annotations

import gc
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bot.engine import meeting as meeting_module
from bot.engine.hints import coached_say
from bot.engine.meeting import Meeting, Turn

#: The lines of `devtools.bench` for long meetings: the host never ends on them in 40 turns.
#: Every third line picks up the host's words ("Si je comprends bien", "Vous parlez de"),
#: which makes the host's older replies count.
LINES = [
    "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans.",
    "Comment est organisée votre agence ?",
    "Si je comprends bien, les journées sont très variables ?",
    "Vous voyagez beaucoup ?",
    "Quels profils recrutez-vous ?",
    "Vous parlez de salons : lesquels comptent le plus ?",
    "Qu'est-ce qui vous plaît dans ce métier ?",
    "Comment voyez-vous l'avenir du secteur ?",
    "Si je comprends bien, vous avez dit que les clients changent ?",
]
TURNS = 40
#: What a live meeting may keep per turn, on average between turns 10 and 40: about 930
#: bytes (the turn, the line, its question, the reply's parts, a coach hint now and then);
#: 1,430 before the compact form (lists per turn, an empty undo dict, the reply a new string).
MAX_BYTES_PER_TURN = 1_100


def _line(turn: int) -> str:
    return f"{LINES[turn % len(LINES)]} ({turn})"


def _play(meeting: Meeting, turns: range) -> None:
    for turn in turns:
        result = coached_say(meeting, _line(turn))
        assert result.reply is not None and not result.ended, f"ended at turn {turn}"


@contextmanager
def _reads_of_turns(meeting: Meeting) -> Iterator[list[int]]:
    """Every read of a field of a turn of ``meeting`` older than the last two, by index."""
    reads: list[int] = []
    originals = {name: getattr(Turn, name) for name in Turn.__slots__}

    def counting(name: str, original) -> property:
        def get(turn: Turn):
            turns = meeting.state.turns
            if len(turns) > 2 and any(turn is old for old in turns[:-2]):
                reads.append(name)
            return original.__get__(turn, Turn)

        def set_(turn: Turn, value) -> None:
            original.__set__(turn, value)

        return property(get, set_)

    for name, original in originals.items():
        setattr(Turn, name, counting(name, original))
    try:
        yield reads
    finally:
        for name, original in originals.items():
            setattr(Turn, name, original)


def test_a_turn_reads_no_older_turn(personas):
    """Each turn reads the last turns only, never the history: the host's older words are
    kept as stems (each reply read once, right after it became older), the rest of what a
    turn needs is in the meeting's state."""
    meeting = Meeting.start(personas["chatty_expert"], "fr", seed=4)
    per_turn = []
    with _reads_of_turns(meeting) as reads:
        for turn in range(1, TURNS + 1):
            reads.clear()
            _play(meeting, range(turn, turn + 1))
            per_turn.append(len(reads))
    # A line that picks up older words reads the replies not yet kept as stems: at most
    # the ones since the previous such line, each once in the meeting.
    assert sum(per_turn) <= TURNS, per_turn
    assert max(per_turn[30:]) <= max(per_turn[:10]) + 3, per_turn


def test_older_replies_are_read_once_per_meeting(personas, monkeypatch):
    """The stems of the host's older replies are computed once each, however many lines
    pick them up (they were computed again, all of them, at every such line)."""
    meeting = Meeting.start(personas["chatty_expert"], "fr", seed=4)
    replies: list[str] = []
    original = meeting_module.content_stems

    def counting(text: str, lang: str, *args):
        if any(text == turn.reply for turn in meeting.state.turns):
            replies.append(text)
        return original(text, lang, *args)

    monkeypatch.setattr(meeting_module, "content_stems", counting)
    _play(meeting, range(1, TURNS + 1))
    assert replies, "no line picked up older words: the test tests nothing"
    assert len(replies) < TURNS
    # Once per reply: a text said on two turns (a reaction said again) counts per turn.
    said = Counter(turn.reply for turn in meeting.state.turns)
    assert all(count <= said[text] for text, count in Counter(replies).items())


def test_a_take_back_forgets_the_older_words_of_the_turns_taken_back(personas):
    """After a take-back, a line that picks up older words finds what a meeting played
    without the turns taken back finds: the kept stems follow the history."""
    persona = personas["chatty_expert"]
    straight, undone = (Meeting.start(persona, "fr", seed=4) for _ in range(2))
    _play(straight, range(1, 12))
    _play(undone, range(1, 12))
    coached_say(undone, "Et vos concurrents, ils recrutent des commerciaux ?")
    coached_say(undone, "Si je comprends bien, les salaires évoluent vite ?")
    assert "eurexpo" in undone._earlier_stems()  # said in the reply taken back
    assert undone.undo() is not None and undone.undo() is not None
    picks_up = "Vous avez parlé d'Eurexpo : qui l'organise ?"
    for played in (straight, undone):
        coached_say(played, picks_up)
    assert undone.state.turns[-1].act == straight.state.turns[-1].act

    def without_undo(state: dict) -> dict:  # two take-backs lose the oldest undo step
        return {**state, "turns": [{**t, "before": None} for t in state["turns"]]}

    undone.state.takebacks = 0
    assert without_undo(undone.to_dict()) == without_undo(straight.to_dict())


@pytest.mark.parametrize("lang", ["fr"])
def test_a_live_meeting_keeps_little_per_turn(personas, lang):
    persona = personas["chatty_expert"]
    _play(Meeting.start(persona, lang, seed=4), range(1, TURNS + 1))  # every cache warm
    meeting = Meeting.start(persona, lang, seed=4)
    _play(meeting, range(1, 11))
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        _play(meeting, range(11, TURNS + 1))
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(meeting.state.turns) == TURNS
    assert 0 < kept / (TURNS - 10) < MAX_BYTES_PER_TURN, kept / (TURNS - 10)


def test_turns_share_what_repeats(personas):
    """Intent and topic tuples are one object per value, the reply's parts are the
    persona's own strings, and the turns but the last keep no undo information."""
    meeting = Meeting.start(personas["chatty_expert"], "fr", seed=4)
    _play(meeting, range(1, TURNS + 1))
    turns = meeting.state.turns
    by_value: dict[tuple[str, ...], set[int]] = {}
    for turn in turns:
        by_value.setdefault(turn.intents, set()).add(id(turn.intents))
        by_value.setdefault(turn.topics, set()).add(id(turn.topics))
    assert all(len(ids) == 1 for ids in by_value.values())
    answers = {
        id(answer.say)
        for topic in meeting.persona.knowledge
        for answer in meeting.persona.answers(topic, "fr")
    }
    assert any(id(part) in answers for turn in turns for part in turn.reply_parts)
    assert all(turn.before is None for turn in turns[:-1]) and turns[-1].before
    # The stored form is the one of before: lists, the reply as one string.
    stored = turns[-1].to_dict()
    assert isinstance(stored["intents"], list) and stored["reply"] == turns[-1].reply
    assert Turn.from_dict(stored).to_dict() == stored


def test_a_stem_set_answers_exactly_even_once_the_ids_run_out(monkeypatch):
    """Stems past the table of ids are kept aside: never a false yes or a false no."""
    from bot.engine import compact

    kept = compact.StemSet()
    kept.update(["organis", "salon"])
    monkeypatch.setattr(compact, "MAX_STEM_IDS", len(compact._STEM_IDS))
    kept.update(["zzz-not-a-stem", "salon"])
    assert all(stem in kept for stem in ("organis", "salon", "zzz-not-a-stem"))
    assert "zzz-not-a-stem" not in compact._STEM_IDS
    assert "recrut" not in kept and "yyy-not-a-stem" not in kept and 3 not in kept
