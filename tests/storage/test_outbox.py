"""The outbox repository on both backends (the `db` fixture): messages committed with their
action or not at all, a chat's in order, deleted once sent, claimed by one process at a
time, a live process's kept by renewing, a dead one's taken over once its claim ran out."""

from __future__ import annotations

import threading

import pytest

from bot.storage.sql.outbox import SqlOutbox
from tests.auxil.storage import sql


def texts(messages) -> list[str]:
    return [m.message["text"] for m in messages]


def test_messages_are_committed_with_the_action_or_not_at_all(db):
    with db.write(update_id=7) as unit:
        unit.outbox.add(5, [{"text": "un"}, {"text": "deux"}], lease=60)
    with pytest.raises(RuntimeError), db.write(update_id=8) as unit:
        unit.outbox.add(5, [{"text": "perdu"}], lease=60)
        raise RuntimeError("the action failed")
    with db.read() as unit:
        waiting = unit.outbox.of_chat(5)
        assert texts(waiting) == ["un", "deux"]
        assert unit.updates.seen(7) and not unit.updates.seen(8)
        assert unit.outbox.of_chat(6) == []
    with db.write() as unit:
        unit.outbox.sent(waiting[0].id)
    with db.read() as unit:
        assert texts(unit.outbox.of_chat(5)) == ["deux"]
        assert unit.outbox.count() == 1


def test_a_message_keeps_its_text_and_buttons_as_written(db):
    message = {"text": "L’entretien <b>commence</b> 🎬", "keyboard": {"inline_keyboard": []}}
    with db.write() as unit:
        unit.outbox.add(5, [message], lease=60)
    with db.read() as unit:
        [waiting] = unit.outbox.of_chat(5)
    assert waiting.message == message and waiting.chat_id == 5


def test_a_live_owner_keeps_its_messages_and_a_dead_ones_are_taken_over(open_db):
    """Two processes on one database: one cannot claim what the other holds; a claim that
    ran out (its owner died) goes to the first process that asks, once."""
    first, second = open_db(), open_db()
    with first.write() as unit:
        unit.outbox.owner = "first"
        unit.outbox.add(5, [{"text": "à moi"}], lease=60)
        unit.outbox.add(6, [{"text": "expiré"}], lease=-1)
    with second.write() as unit:
        other = SqlOutbox(unit.sql, owner="second")
        assert other.chats(settle=0.0) == [6]  # 5 is still its writer's
        [held] = other.of_chat(5)
        [expired] = other.of_chat(6)
        assert not other.claim(held.id, lease=60)
        assert other.claim(expired.id, lease=60)
        assert other.chats(settle=0.0) == [6]  # its own now, and recorded long enough ago
        assert other.chats(settle=3600.0) == []
    with first.write() as unit:
        unit.outbox.owner = "first"
        assert not unit.outbox.claim(expired.id, lease=60)  # the second process has it
        assert unit.outbox.claim(held.id, lease=60)  # still its own


def test_renewing_keeps_a_live_process_s_messages_its_own(db):
    with db.write() as unit:
        unit.outbox.owner = "alive"
        unit.outbox.add(5, [{"text": "en cours"}], lease=-1)  # as if the lease ran out
        assert unit.outbox.renew(lease=60) == 1
    with db.write() as unit:
        other = SqlOutbox(unit.sql, owner="another")
        assert other.chats(settle=0.0) == []
        assert not other.claim(other.of_chat(5)[0].id, lease=60)
        assert other.renew(lease=60) == 0


def test_a_single_process_adopts_what_its_predecessor_left(db):
    with db.write() as unit:
        unit.outbox.owner = "killed"
        unit.outbox.add(5, [{"text": "un"}], lease=60)
        unit.outbox.add(6, [{"text": "deux"}], lease=60)
    with db.write() as unit:
        restarted = SqlOutbox(unit.sql, owner="restarted")
        assert restarted.adopt(lease=60) == 2
        assert restarted.chats(settle=0.0) == [5, 6]
        assert {m.owner for m in restarted.of_chat(5) + restarted.of_chat(6)} == {"restarted"}


def test_two_processes_claiming_at_once_never_both_win(open_db):
    """The same expired messages claimed by several processes at the same moment: each
    message is won by exactly one (on PostgreSQL, transactions truly side by side)."""
    storages = [open_db() for _ in range(3)]
    with storages[0].write() as unit:
        unit.outbox.add(5, [{"text": str(n)} for n in range(30)], lease=-1)
        ids = [m.id for m in unit.outbox.of_chat(5)]
    won: list[tuple[str, int]] = []
    barrier = threading.Barrier(len(storages))

    def claimer(n: int) -> None:
        barrier.wait()
        for message_id in ids:
            with storages[n].write() as unit:
                outbox = SqlOutbox(unit.sql, owner=f"p{n}")
                if outbox.claim(message_id, lease=60):
                    won.append((outbox.owner, message_id))

    # Threads truly side by side on PostgreSQL; on SQLite each storage has its own
    # connection and the writers take turns on the file.
    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(len(storages))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(message_id for _, message_id in won) == ids
    owners = dict(sql(storages[0], "SELECT id, owner FROM outbox"))
    assert {owners[message_id] for message_id in ids} == {owner for owner, _ in won}
