"""Compact in-memory forms of what a live meeting keeps, so that it stays small and its
turns cost the same at turn 40 as at turn 5.

The bot keeps the meetings in progress in memory (`bot.rehearsals`), and a meeting keeps
its turns. Most of what a turn holds repeats across turns and meetings: the names of
intents, topics and phases, the same few combinations of intents. A new list per turn for
each of them made a 40-turn meeting weigh 62 KB; one shared tuple per distinct value
costs a pointer. And what the host said in a whole meeting, as a set of stems, would take
16 to 32 KB; as the bits of one integer (`StemSet`), about a kilobyte.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable

#: Distinct tuples kept shared (intent combinations, topic lists); beyond, new ones are
#: kept as they are, unshared: the table cannot grow without bound.
MAX_SHARED_TUPLES = 4096
#: Distinct stems given a bit (the personas' whole vocabulary is a few thousand); beyond,
#: a stem goes into the set's own small overflow set.
MAX_STEM_IDS = 65_536

_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}
_STEM_IDS: dict[str, int] = {}
_NEW_ID = threading.Lock()


def shared_tuple(items: Iterable[str]) -> tuple[str, ...]:
    """``items`` as a tuple of interned strings, the same tuple object for the same value
    (a restored meeting's lists come from JSON: new strings, new lists each)."""
    value = tuple(sys.intern(item) for item in items)
    if not value:
        return ()
    found = _TUPLES.get(value)
    if found is not None:
        return found
    if len(_TUPLES) < MAX_SHARED_TUPLES:
        _TUPLES[value] = value
    return value


def shared_name(name: str | None) -> str | None:
    """An identifier-like string (a phase, an act, a topic), interned: one copy in all."""
    return None if name is None else sys.intern(name)


def _stem_id(stem: str) -> int | None:
    found = _STEM_IDS.get(stem)
    if found is not None:
        return found
    with _NEW_ID:  # two threads must never give one id to two stems
        found = _STEM_IDS.get(stem)
        if found is None and len(_STEM_IDS) < MAX_STEM_IDS:
            found = _STEM_IDS[stem] = len(_STEM_IDS)
    return found


class StemSet:
    """A growing set of stems, as the bits of an integer (stem ids shared by all sets).

    Only what a meeting needs: add stems, ask whether one is in. A stem that finds no id
    (the id table is full) is kept in a plain set, so that the answer is always exact.
    """

    __slots__ = ("_bits", "_overflow")

    def __init__(self) -> None:
        self._bits = 0
        self._overflow: set[str] | None = None

    def update(self, stems: Iterable[str]) -> None:
        bits = 0
        for stem in stems:
            found = _stem_id(stem)
            if found is not None:
                bits |= 1 << found
            else:
                if self._overflow is None:
                    self._overflow = set()
                self._overflow.add(stem)
        self._bits |= bits

    def __contains__(self, stem: object) -> bool:
        if not isinstance(stem, str):
            return False
        found = _STEM_IDS.get(stem)
        if found is not None:
            return bool(self._bits >> found & 1)
        return self._overflow is not None and stem in self._overflow
