"""The outbox repository on both backends (the `db` fixture): messages committed with their
action or not at all, a chat's in order, deleted once sent, claimed across processes."""

from __future__ import annotations

import pytest

from bot.storage.outbox_sql import SqlOutbox


def test_messages_are_committed_with_the_action_or_not_at_all(db):
    with db.write(update_id=7) as unit:
        unit.outbox.add(5, [{"text": "un"}, {"text": "deux"}], lease=60)
    with pytest.raises(RuntimeError), db.write(update_id=8) as unit:
        unit.outbox.add(5, [{"text": "perdu"}], lease=60)
        raise RuntimeError("the action failed")
    with db.read() as unit:
        waiting = unit.outbox.pending(5)
        assert [m.message["text"] for m in waiting] == ["un", "deux"]
        assert unit.updates.seen(7) and not unit.updates.seen(8)
        assert unit.outbox.pending(6) == []
    with db.write() as unit:
        unit.outbox.sent(waiting[0].id)
    with db.read() as unit:
        assert [m.message["text"] for m in unit.outbox.pending(5)] == ["deux"]


def test_another_process_waits_for_the_claim_to_run_out_or_adopts_at_start(db):
    with db.write() as unit:
        unit.outbox.add(5, [{"text": "à moi"}], lease=60)
        unit.outbox.add(6, [{"text": "expiré"}], lease=-1)
    with db.read() as unit:
        other = SqlOutbox(unit.outbox.conn, owner="other-process")
        other.placeholder = unit.outbox.placeholder
        assert other.pending(5) == []  # still claimed by its writer
        [expired] = other.pending(6)
        assert other.chats(0.0) == [6]
    with db.write() as unit:
        other.conn = unit.outbox.conn
        assert other.claim(expired.id, lease=60)
    with db.write() as unit:
        other.conn = unit.outbox.conn
        assert other.adopt(lease=60) == 2
        assert [m.message["text"] for m in other.pending(5)] == ["à moi"]
        assert unit.outbox.pending(5) == []  # the first process no longer sends it
