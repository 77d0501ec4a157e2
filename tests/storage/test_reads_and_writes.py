"""What an update costs the database: the update recorded once, preferences read once."""

from __future__ import annotations

import pytest

from tests.auxil.service import User
from tests.auxil.storage import sqlite_only

#: What these tests count (statements, bytes written) is how SQLite stores a turn.
pytestmark = sqlite_only


def statements(service, action) -> list[str]:
    executed: list[str] = []
    service.storage.db.set_trace_callback(executed.append)
    try:
        action()
    finally:
        service.storage.db.set_trace_callback(None)
    return executed


def inserts_of_updates(executed: list[str]) -> int:
    return sum("INSERT INTO processed_updates" in sql for sql in executed)


def test_an_update_is_recorded_once(service, user):
    """The action records its update in its own transaction; the channel's final
    `mark_handled` then writes nothing, unless the update wrote nothing at all."""
    service.start(user.act(), "chatty_expert")
    who = user.act()
    executed = statements(
        service, lambda: (service.say(who, "Bonjour !"), service.mark_handled(who.update_id))
    )
    assert inserts_of_updates(executed) == 1
    assert service.handled(who.update_id)
    help_text = user.act()  # an update whose handling wrote nothing
    assert (
        inserts_of_updates(statements(service, lambda: service.mark_handled(help_text.update_id)))
        == 1
    )
    assert service.handled(help_text.update_id)


def test_an_update_rolled_back_is_recorded_by_the_channel(service, user, monkeypatch):
    service.start(user.act(), "chatty_expert")
    who = user.act()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    with service.storage.read() as unit:
        monkeypatch.setattr(unit.meetings, "save_progress", broken)
        with pytest.raises(OSError):
            service.say(who, "Bonjour !")
    monkeypatch.undo()
    assert not service.storage.committed(who.update_id)
    assert not service.handled(who.update_id)


def test_preferences_are_read_once_and_follow_every_change(service, user):
    service.set_language(user.act(), "en")
    service.start(user.act(), "chatty_expert")
    executed = statements(
        service,
        lambda: (
            [service.language(user.act()) for _ in range(5)]
            + [service.say(user.act(), "Hello, I'm Sam.")]
        ),
    )
    assert not [sql for sql in executed if "FROM users" in sql]
    assert service.language(user.act()) == "en"
    service.set_language(user.act(), "fr")
    assert service.language(user.act()) == "fr"
    assert service.toggle_hints(user.act()) is False
    assert service.prefs(user.user_id).hints_on is False
    service.set_reminders(user.act(), False)
    assert service.prefs(user.user_id).reminders_on is False
    service.forget(user.act())
    english = User(service, user.user_id, language_code="en")
    assert service.language(english.act()) == "en"  # the channel's language again
    assert service.prefs(user.user_id).hints_on is True


def test_preferences_rolled_back_are_not_kept(service, user):
    service.set_language(user.act(), "en")

    with pytest.raises(RuntimeError), service.storage.write() as unit:
        unit.users.save(user.user_id, lang="fr")
        assert unit.users.get(user.user_id).lang == "fr"
        raise RuntimeError("the action failed")
    assert service.language(user.act()) == "en"
