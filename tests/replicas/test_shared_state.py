"""Two services on one PostgreSQL database, as two replicas would have them: neither acts on
a meeting the other has changed, and an update both receive is applied once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from bot.rehearsals import Caller, Rehearsals
from bot.storage import open_database
from bot.storage.interface import AlreadyHandled
from bot.storage.postgres.chats import chat_lock_key
from tests.auxil.storage import needs_postgres, postgres_schema

pytestmark = needs_postgres

CHAT = 7001
LINES = [
    "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans.",
    "Pouvez-vous me décrire une journée type ?",
    "Qu'est-ce qui vous plaît le plus dans ce métier ?",
    "Comment avez-vous commencé ?",
]


@pytest.fixture
def replicas(shipped_personas) -> Iterator[tuple[Rehearsals, Rehearsals]]:
    with postgres_schema() as url:
        one, two = open_database(url), open_database(url)
        try:
            yield Rehearsals(shipped_personas, one), Rehearsals(shipped_personas, two)
        finally:
            one.close()
            two.close()


class Updates:
    def __init__(self) -> None:
        self.next = 100

    def __call__(self, update_id: int | None = None) -> Caller:
        if update_id is None:
            self.next += 1
            update_id = self.next
        return Caller(CHAT, CHAT, "fr", update_id)


def saved_lines(service: Rehearsals) -> list[str]:
    with service.storage.read() as unit:
        row = unit.meetings.active(CHAT)
    assert row is not None
    return [turn["user"] for turn in row.state["turns"]]


def test_turns_alternating_between_replicas_each_continue_the_latest_meeting(replicas):
    a, b = replicas
    who = Updates()
    a.start(who(), "chatty_expert")
    for n, line in enumerate(LINES):
        # Each replica has the meeting in memory from its previous turn: stale every time.
        (a if n % 2 else b).say(who(), line)
    assert saved_lines(a) == LINES
    assert [t.user for t in a.current(CHAT)[1].state.turns] == LINES
    assert [t.user for t in b.current(CHAT)[1].state.turns] == LINES


def test_an_undo_on_one_replica_is_seen_by_the_other(replicas):
    a, b = replicas
    who = Updates()
    a.start(who(), "chatty_expert")
    a.say(who(), LINES[0])
    a.say(who(), LINES[1])
    assert b.undo(who()) == LINES[1]
    a.say(who(), LINES[2])  # a's copy still had LINES[1]: it must not come back
    assert saved_lines(b) == [LINES[0], LINES[2]]


def test_a_meeting_ended_or_replaced_elsewhere_is_not_continued(replicas):
    a, b = replicas
    who = Updates()
    a.start(who(), "chatty_expert")
    a.say(who(), LINES[0])
    b.end(who())
    assert a.say(who(), LINES[1]) is None
    b.start(who(), "sceptic")
    entry = a.current(CHAT)
    assert entry is not None and entry[1].persona.id == "sceptic"


def test_a_delivery_already_committed_by_another_replica_is_not_applied_again(replicas):
    a, b = replicas
    who = Updates()
    a.start(who(), "chatty_expert")
    b.current(CHAT)  # b has the meeting in memory too
    a.say(who(500), LINES[0])
    with pytest.raises(AlreadyHandled):
        b.say(who(500), LINES[0])
    assert saved_lines(a) == [LINES[0]]
    b.say(who(), LINES[1])  # b carries on from the saved state, not its rolled-back copy
    assert saved_lines(a) == LINES[:2]


def test_the_chat_lock_makes_a_second_replica_wait_then_see_the_first_ones_update(replicas):
    """Replica b receives update 600 while a is in the middle of committing it: b's unit
    waits for a's transaction, then recognises the update."""
    a, b = replicas
    who = Updates()
    a.start(who(), "chatty_expert")
    b.current(CHAT)
    holding = threading.Event()
    release = threading.Event()
    outcome: list[object] = []

    def a_turn() -> None:
        with a.storage.write(600, chat_id=CHAT) as unit:
            unit.users.save(CHAT, lang="fr")
            holding.set()
            release.wait(10)

    def b_turn() -> None:
        try:
            outcome.append(b.say(who(600), LINES[0]))
        except AlreadyHandled as exc:
            outcome.append(exc)

    first = threading.Thread(target=a_turn)
    first.start()
    assert holding.wait(10)
    second = threading.Thread(target=b_turn)
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the chat's lock
    release.set()
    first.join(10)
    second.join(10)
    assert isinstance(outcome[0], AlreadyHandled)
    assert saved_lines(a) == []


def test_chat_lock_keys_stay_clear_of_the_other_advisory_locks():
    from bot.storage.postgres.migrations import LOCK
    from bot.storage.postgres.privacy import PURGE_LOCK

    for chat in (1, 2**53 - 1, -(10**13)):
        key = chat_lock_key(chat)
        assert -(2**63) <= key < 2**63 and key not in (LOCK, PURGE_LOCK)


def test_after_care_delivered_to_both_replicas_is_stored_once(replicas):
    """Not only turns: every action that carries an update checks it under the chat's lock."""
    a, b = replicas
    who = Updates()
    a.start(who(), "chatty_expert")
    a.say(who(), LINES[0])
    a.end(who())
    a.write_after(who(700), "RDV avec Gérard Fontaine, événementiel.")
    with pytest.raises(AlreadyHandled):
        b.write_after(who(700), "RDV avec Gérard Fontaine, événementiel.")
    assert len(b.notes(CHAT)) == 1
