"""One unit of work per user action: all its writes, and its update id, or none of them.

On both backends (the `db` fixture, tests/storage/conftest.py)."""

from __future__ import annotations

import dataclasses
import stat

import pytest

from bot.storage.records import MeetingRecord
from bot.storage.sqlite import SqliteDatabase
from tests.auxil.storage import in_transaction


def start(unit, user_id: int = 1) -> int:
    return unit.meetings.start(
        user_id=user_id, chat_id=user_id, persona_id="sceptic", lang="fr", state={}, exam=False
    )


def test_the_update_id_is_committed_with_the_action(db):
    with db.write(update_id=42) as unit:
        start(unit)
    with db.read() as unit:
        assert unit.updates.seen(42)
        assert unit.meetings.active(1) is not None


def test_a_failed_action_leaves_nothing_not_even_its_update(db):
    with pytest.raises(RuntimeError), db.write(update_id=43) as unit:
        start(unit)
        unit.users.save(1, lang="en")
        raise RuntimeError("the action failed half-way")
    with db.read() as unit:
        assert not unit.updates.seen(43)
        assert unit.meetings.active(1) is None and unit.users.get(1) is None
    assert not in_transaction(db)


def test_a_unit_inside_another_joins_it(db):
    with pytest.raises(KeyError), db.write() as outer:
        with db.write(update_id=44) as inner:
            assert inner is outer
            start(inner)
        raise KeyError
    with db.read() as unit:
        assert unit.meetings.active(1) is None and not unit.updates.seen(44)


def test_records_are_frozen_dataclasses_not_rows(db):
    with db.write() as unit:
        meeting_id = start(unit)
        unit.meetings.finish(meeting_id, {"turns": []}, {"score": 70}, 70)
    with db.read() as unit:
        [meeting] = unit.meetings.finished(1)
    assert isinstance(meeting, MeetingRecord) and meeting.feedback == {"score": 70}
    with pytest.raises(dataclasses.FrozenInstanceError):
        meeting.score = 100  # type: ignore[misc]


def test_one_active_meeting_per_chat(db):
    with db.write() as unit:
        first = start(unit)
        second = start(unit)
    with db.read() as unit:
        assert unit.meetings.active(1).id == second
        assert unit.meetings.get(first, 1).status == "cancelled"


def test_the_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "private" / "bot.sqlite3"
    SqliteDatabase(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
