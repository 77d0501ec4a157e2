"""A turn costs the same at turn 40 as at turn 5: it writes the turn, not the meeting.

Measured in what reaches SQLite (the statements with their values, as executed), not in
time, so that a busy machine cannot make the test pass or fail.
"""

from __future__ import annotations

from tests.auxil.service import User
from tests.auxil.storage import sqlite_only

#: What these tests count (statements, bytes written) is how SQLite stores a turn.
pytestmark = sqlite_only

LINES = [
    "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans.",
    "Comment est organisée votre agence ?",
    "Vous voyagez beaucoup ?",
    "Si je comprends bien, les journées sont très variables ?",
    "Quels profils recrutez-vous ?",
    "Qu'est-ce qui vous plaît dans ce métier ?",
    "Comment voyez-vous l'avenir du secteur ?",
]


def written_per_turn(service, user: User, turns: int) -> list[str]:
    """The SQL (values included) each of `turns` lines sent to the database."""
    statements: list[str] = []
    service.storage.db.set_trace_callback(statements.append)
    service.start(user.act(), "chatty_expert", seed=2)
    per_turn = []
    for i in range(turns):
        statements.clear()
        turn = service.say(user.act(), f"{LINES[i % len(LINES)]} ({i})")
        assert turn is not None and not turn.meeting.ended, f"ended at turn {i + 1}"
        per_turn.append("\n".join(statements))
    service.storage.db.set_trace_callback(None)
    return per_turn


def test_a_turn_writes_as_much_at_turn_40_as_at_turn_5(service, user):
    written = written_per_turn(service, user, 40)
    sizes = [len(text.encode()) for text in written]
    early, late = max(sizes[3:8]), min(sizes[35:40])
    # Saving the whole meeting wrote about 30 KB at turn 40 against 4 KB at turn 5.
    assert late < 1.6 * early, sizes
    assert max(sizes) < 12_000, sizes


def test_a_turn_does_not_write_the_older_turns_again(service, user):
    """Only the last two turns are written (the one before loses its undo information):
    the lines of older turns never reach the database again."""
    written = written_per_turn(service, user, 12)
    for number, text in enumerate(written):
        older = [f"({i})" for i in range(number - 1)]
        assert not [mark for mark in older if f'{mark}"' in text], number
        assert f"({number})" in text


def test_the_turns_saved_one_by_one_make_the_whole_meeting(service, user):
    """After turns, a take-back and a restart, the meeting read back is the one in memory."""
    written_per_turn(service, user, 15)
    service.undo(user.act())
    service.say(user.act(), "Et pour devenir encadrant, il faut une formation ?")
    in_memory = service.current(user.user_id)[1].to_dict()
    service._cache.clear()
    assert service.current(user.user_id)[1].to_dict() == in_memory
