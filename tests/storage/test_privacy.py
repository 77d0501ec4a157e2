"""Export, forget and retention cover every table: a user's data goes out, or goes, entirely.

On both backends (the `service` fixture of tests/storage/conftest.py)."""

from __future__ import annotations

import time

import pytest

from bot.rehearsals import NotesChecked
from tests.auxil.service import User
from tests.auxil.storage import sql, tables

INTRO = (
    "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans chez Leroy Merlin. "
    "C'est Marc Aubert qui m'a donné votre nom. Je souhaite mieux comprendre le métier de "
    "contrôleur de gestion, je ne cherche pas de poste."
)
GOOD = [
    INTRO,
    "Est-ce que je peux prendre quelques notes ?",
    "Pouvez-vous me décrire une journée type ?",
    "Qu'est-ce qui vous plaît le plus dans ce métier ?",
    "J'ai lu une étude sur ce secteur, je peux vous l'envoyer si cela vous intéresse.",
    "Connaissez-vous quelqu'un que je devrais rencontrer ?",
]
#: Every table and the columns that date its rows. A new table fails these tests until it
#: is covered here (and by export, forget and retention).
TABLES = {
    "users": ("created_at", "updated_at"),
    "meetings": ("started_at", "updated_at", "ended_at"),
    "network": ("unlocked_at",),
    "aftercare": (),
    "notes": ("created_at",),
    "reminders": ("due_at", "sent_at"),
    "processed_updates": ("processed_at",),
    "meeting_turns": (),  # rows of a meeting in progress: dated, and deleted, with it
    "outbox": ("created_at",),  # messages not sent yet: deleted once sent
}
#: Where each table's rows of a user are in the export.
EXPORTED = {
    "users": "preferences",
    "meetings": "meetings",
    "network": "network",
    "aftercare": "aftercare_step",
    "notes": "notes",
    "reminders": "reminders",
}
DAY = 86400


def seed(user: User) -> None:
    """A user with a row in every table: preferences, a cancelled meeting, a finished one
    that earned a referral, reminders (one sent), the notes, the pending thank-you step and
    the updates that did all this."""
    service = user.rehearsals
    service.set_language(user.act(), "fr")
    service.start(user.act(), "sceptic")
    service.cancel(user.act())
    ending = user.meet("chatty_expert", GOOD)
    assert ending.unlocked is not None
    assert service.remind(user.act(), ending.meeting_id)
    [first, _] = service.due_reminders(time.time() + 20 * DAY)[-2:]
    service.reminder_sent(first.id, time.time())
    after = service.write_after(user.act(), "RDV avec Gérard, sympa, il m'a parlé d'Isabelle.")
    assert isinstance(after, NotesChecked)
    with service.storage.write() as unit:  # a reply not sent yet (the bot died first)
        unit.outbox.add(user.user_id, [{"text": "Votre note : 80/100"}], lease=60)


@pytest.fixture
def two_users(service):
    alice, bob = User(service, 1), User(service, 2)
    seed(alice)
    seed(bob)
    return alice, bob


def rows_of(service, table: str, user_id: int) -> int:
    return sql(service.storage, f"SELECT count(*) FROM {table} WHERE user_id = ?", user_id)[0][0]


def test_every_table_is_covered(service):
    assert tables(service.storage) == set(TABLES)


def test_seeding_fills_every_table(service, two_users):
    alice, _ = two_users
    for table in EXPORTED:
        assert rows_of(service, table, alice.user_id) >= 1, table
    assert service.handled(alice.updates[0])


def test_export_holds_every_row_of_every_table(service, two_users):
    alice, _ = two_users
    data = service.export(alice.user_id)
    for table, key in EXPORTED.items():
        exported = data[key]
        count = len(exported) if isinstance(exported, list) else int(exported is not None)
        assert count == rows_of(service, table, alice.user_id), table
    assert data["preferences"]["language"] == "fr"
    assert data["aftercare_step"]["stage"] == "thanks"
    assert {n["kind"] for n in data["notes"]} == {"notes"}
    assert any(r["sent_at"] for r in data["reminders"])
    assert {m["status"] for m in data["meetings"]} == {"finished", "cancelled"}
    assert data["network"][0]["persona_id"] == "guarded_insider"
    # The replies not sent yet (the outbox's rows of the user's private chat).
    outbox = sql(service.storage, "SELECT count(*) FROM outbox WHERE chat_id = ?", alice.user_id)
    assert len(data["unsent_messages"]) == outbox[0][0] == 1
    assert data["unsent_messages"][0]["message"] == {"text": "Votre note : 80/100"}


def test_forget_leaves_no_row_of_the_user_in_any_table(service, two_users):
    alice, bob = two_users
    assert service.forget(alice.act()) == 2
    for table in EXPORTED:
        assert rows_of(service, table, alice.user_id) == 0, table
        assert rows_of(service, table, bob.user_id) >= 1, table
    assert service.export(alice.user_id)["preferences"] is None
    outbox = "SELECT count(*) FROM outbox WHERE chat_id = ?"
    assert sql(service.storage, outbox, alice.user_id) == [(0,)]
    assert sql(service.storage, outbox, bob.user_id) == [(1,)]


def test_retention_leaves_nothing_older_than_the_limit_in_any_table(service, two_users):
    alice, bob = two_users
    # Everything of Alice's happened 200 days ago.
    for table, columns in TABLES.items():
        for column in columns:
            where = {"processed_updates": "update_id <= ?", "outbox": "chat_id = ?"}.get(
                table, "user_id = ?"
            )
            owner = alice.user_id if table != "processed_updates" else max(alice.updates)
            sql(
                service.storage,
                f"UPDATE {table} SET {column} = {column} - 200 * {DAY} WHERE {where}",
                owner,
            )
    now = time.time()
    assert service.purge(180, now=now) == 2
    cutoff = now - 180 * DAY
    for table, columns in TABLES.items():
        for column in columns:
            old = sql(service.storage, f"SELECT count(*) FROM {table} WHERE {column} < ?", cutoff)
            assert old == [(0,)], f"{table}.{column}"
    for table in EXPORTED:  # nothing of Alice's: no note, draft, step or reminder left over
        assert rows_of(service, table, alice.user_id) == 0, table
        assert rows_of(service, table, bob.user_id) >= 1, table
    assert service.notes(alice.user_id) == []
    assert service.history(bob.user_id)


def test_a_purged_meeting_takes_its_after_care_with_it(service):
    """The user stays (recent activity), but the old meeting's notes, step and reminders go."""
    alice = User(service, 1)
    ending = alice.meet("chatty_expert", GOOD)
    service.remind(alice.act(), ending.meeting_id)
    service.write_after(alice.act(), "Mes notes.")
    sql(
        service.storage,
        f"UPDATE meetings SET ended_at = ended_at - 200 * {DAY}, "
        f"updated_at = updated_at - 200 * {DAY}",
    )
    assert service.purge(180) == 1
    for table in ("meetings", "notes", "aftercare", "reminders"):
        assert rows_of(service, table, alice.user_id) == 0, table
    assert service.prefs(alice.user_id).user_id == 1


def test_the_turns_of_a_meeting_in_progress_are_exported_forgotten_and_purged(service):
    """A meeting in progress keeps its turns in rows of their own: the export shows them,
    and forgetting the user or purging the idle meeting deletes them."""
    alice, bob = User(service, 1), User(service, 2)
    for user in (alice, bob):
        service.start(user.act(), "chatty_expert")
        for line in GOOD[:3]:
            service.say(user.act(), line)
    db = service.storage

    def turn_rows(user: User) -> int:
        return sql(
            db,
            "SELECT count(*) FROM meeting_turns JOIN meetings ON meetings.id = meeting_id"
            " WHERE user_id = ?",
            user.user_id,
        )[0][0]

    assert turn_rows(alice) == turn_rows(bob) == 3
    [meeting] = service.export(alice.user_id)["meetings"]
    assert [t["user"] for t in meeting["transcript"]] == GOOD[:3]
    service.forget(alice.act())
    assert turn_rows(alice) == 0 and turn_rows(bob) == 3
    sql(db, f"UPDATE meetings SET updated_at = updated_at - 200 * {DAY}")
    assert service.purge(180) == 1
    assert sql(db, "SELECT count(*) FROM meeting_turns")[0][0] == 0
