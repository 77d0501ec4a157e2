"""The service, driven as a channel would drive it, on a real database file."""

from __future__ import annotations

import pytest

from bot.rehearsals import (
    InProgress,
    NotAnAttempt,
    NotesChecked,
    NothingToGrade,
    Opening,
    ThanksGraded,
)
from tests.auxil.service import User
from tests.storage.test_privacy import GOOD


def test_a_meeting_is_started_played_and_ended_with_its_after_care(service, user):
    opening = service.start(user.act(), "chatty_expert")
    assert not opening.abandoned and opening.meeting.state.opening
    turn = service.say(user.act(), GOOD[0])
    assert turn.result.reply and turn.ending is None
    ending = service.end(user.act())
    assert ending.feedback.score >= 0 and ending.offer_reminders
    assert service.current(user.user_id) is None
    assert [e.persona_id for e in service.history(user.user_id)] == ["chatty_expert"]
    # The notes step opens with the ending, then the thank-you draft, then nothing.
    notes = service.write_after(user.act(), "RDV avec Gérard Fontaine, événementiel.")
    assert isinstance(notes, NotesChecked) and notes.check.found
    thanks = service.write_after(user.act(), "Merci Gérard pour votre temps.")
    assert isinstance(thanks, ThanksGraded) and "Gérard" in thanks.grade.better
    assert service.write_after(user.act(), "encore") is None
    assert [n.text for n in service.notes(user.user_id)] == [
        "RDV avec Gérard Fontaine, événementiel."
    ]


def test_every_action_records_its_update(service, user):
    service.start(user.act(), "laconic_host")
    service.say(user.act(), "Vous aimez votre travail ?")
    service.undo(user.act())
    service.toggle_hints(user.act())
    service.end(user.act())
    assert all(service.handled(update_id) for update_id in user.updates)


def test_the_persona_ending_the_meeting_ends_it_in_the_same_action(service, user):
    service.start(user.act(), "sceptic")
    turn = service.say(user.act(), "Vous êtes nul, franchement.")
    assert turn.result.ended and turn.ending is not None
    assert turn.ending.feedback.score >= 0
    assert service.current(user.user_id) is None
    [record] = service.past_meetings(user.user_id)
    assert record.state["ended_by"] == "persona_rude"


def test_a_new_meeting_abandons_the_previous_and_its_steps(service, user):
    user.meet("laconic_host", ["Bonjour."])
    service.start(user.act(), "sceptic")
    again = service.start(user.act(), "chatty_expert")
    assert again.abandoned
    assert service.skip(user.act()) is None  # the notes step of the first one ended


def test_skip_goes_from_notes_to_thanks_to_done(service, user):
    user.meet("laconic_host", ["Bonjour."])
    assert service.skip(user.act()).next_stage == "thanks"
    assert service.skip(user.act()).next_stage is None
    assert service.skip(user.act()) is None


def test_reminders_once_per_meeting_only_for_its_owner_and_not_when_off(service, user):
    ending = user.meet("laconic_host", ["Bonjour."])
    stranger = User(service, 2)
    assert not service.remind(stranger.act(), ending.meeting_id)
    assert service.remind(user.act(), ending.meeting_id)
    assert service.remind(user.act(), ending.meeting_id)  # a second tap adds nothing
    assert service.reminders(user.user_id) == (True, 2)
    assert service.set_reminders(user.act(), on=False) == 2
    assert service.reminders(user.user_id) == (False, 0)
    assert not service.remind(user.act(), ending.meeting_id)
    assert not user.meet("laconic_host", ["Bonjour."]).offer_reminders


def test_hints_toggle_reaches_the_meeting_but_never_an_exam(service, user):
    service.start(user.act(), "laconic_host")
    assert service.toggle_hints(user.act()) is False
    assert not service.current(user.user_id)[1].state.hints_on
    assert service.prefs(user.user_id).hints_on is False
    service.toggle_hints(user.act())
    opening = service.exam(user.act())
    assert opening.meeting.state.exam and not opening.meeting.state.hints_on
    service.toggle_hints(user.act())
    service.toggle_hints(user.act())
    assert not service.current(user.user_id)[1].state.hints_on


def test_language_follows_the_channel_until_chosen(service):
    english = User(service, 5, language_code="en")
    assert service.language(english.act()) == "en"
    service.set_language(english.act(), "fr")
    assert service.start(english.act(), "sceptic").meeting.lang == "fr"


def test_a_failed_write_does_not_leave_the_turn_in_memory(service, user, monkeypatch):
    """When the turn cannot be saved, the meeting in memory goes back to the saved one, so a
    resent line is not applied twice."""
    service.start(user.act(), "chatty_expert")
    service.say(user.act(), GOOD[0])

    def broken(*args, **kwargs):
        raise OSError("disk full")

    with service.storage.read() as unit:
        monkeypatch.setattr(unit.meetings, "save_progress", broken)
        with pytest.raises(OSError):
            service.say(user.act(), GOOD[2])
        monkeypatch.undo()
    assert len(service.current(user.user_id)[1].state.turns) == 1
    service.say(user.act(), GOOD[2])
    assert len(service.current(user.user_id)[1].state.turns) == 2


def test_referrals_unlock_the_next_persona_and_the_briefing_says_who(service, user):
    ending = user.meet("chatty_expert", GOOD)
    assert ending.unlocked.id == "guarded_insider"
    assert service.referrer(user.user_id, "guarded_insider").id == "chatty_expert"
    met, unlocked, _to_earn = service.network(user.user_id)
    assert [p.id for p in met] == ["chatty_expert"]
    assert [(p.id, via.id) for p, via in unlocked] == [("guarded_insider", "chatty_expert")]
    meeting = service.start(user.act(), "guarded_insider").meeting
    assert meeting.state.referred_by == ending.persona.name


def test_begin_never_discards_a_meeting_the_user_has_not_agreed_to_abandon(service, user):
    first = service.begin(user.act(), "laconic_host")
    assert isinstance(first, Opening) and first.abandoned is None
    meeting_id = service.current(user.user_id)[0]
    busy = service.begin(user.act(), "sceptic")
    assert isinstance(busy, InProgress) and busy.meeting_id == meeting_id
    assert isinstance(service.begin(user.act(), None), InProgress)  # an exam asks too
    assert isinstance(service.begin(user.act(), "sceptic", abandon=meeting_id + 1), InProgress)
    switched = service.begin(user.act(), "sceptic", abandon=meeting_id)
    assert switched.abandoned.id == "laconic_host"
    assert service.current(user.user_id)[1].persona.id == "sceptic"


def test_end_with_nothing_said_cancels_without_grading(service, user):
    service.start(user.act(), "sceptic")
    nothing = service.end(user.act())
    assert isinstance(nothing, NothingToGrade) and nothing.persona.id == "sceptic"
    assert service.current(user.user_id) is None and service.history(user.user_id) == []
    assert service.skip(user.act()) is None  # no after-care for it


def test_lines_that_are_no_attempt_are_neither_graded_nor_stored(service, user):
    user.meet("laconic_host", ["Bonjour, je suis Paul."])
    for line in ("👍", "Ok", "d'accord merci"):
        assert isinstance(service.write_after(user.act(), line), NotAnAttempt)
    assert service.notes(user.user_id) == []
    assert isinstance(service.write_after(user.act(), "RDV avec Nadia, logistique."), NotesChecked)


def test_a_step_button_skips_its_own_step_once(service, user):
    ending = user.meet("laconic_host", ["Bonjour, je suis Paul."])
    tap = {"stage": "notes", "meeting_id": ending.meeting_id}
    assert service.skip(user.act(), **tap).next_stage == "thanks"
    assert service.skip(user.act(), **tap) is None  # a double tap: the thank-you stays
    assert service.skip(user.act(), stage="thanks", meeting_id=ending.meeting_id + 1) is None
    done = service.skip(user.act(), leave=True)
    assert done.next_stage is None and done.remind_for == ending.meeting_id
    assert service.skip(user.act()) is None


def test_after_care_ends_with_the_reminders_offer_unless_accepted_or_off(service, user):
    ending = user.meet("laconic_host", ["Bonjour, je suis Paul."])
    service.remind(user.act(), ending.meeting_id)
    assert service.skip(user.act(), leave=True).remind_for is None
    user.meet("laconic_host", ["Bonjour, je suis Paul."])
    service.set_reminders(user.act(), on=False)
    service.skip(user.act())
    assert service.write_after(user.act(), "Merci Nadia pour votre temps.").remind_for is None


def test_no_after_care_when_the_persona_left_because_of_rudeness(service, user):
    ending = user.meet("sceptic", ["Vous êtes nul, franchement."])
    assert not ending.aftercare
    assert service.write_after(user.act(), "Désolé pour tout à l'heure, vraiment.") is None


def test_coach_during_an_exam_changes_nothing(service, user):
    service.exam(user.act())
    assert service.toggle_hints(user.act()) is None
    assert service.prefs(user.user_id).hints_on


def test_forget_runs_once(service, user):
    user.meet("laconic_host", ["Bonjour."])
    assert service.forget(user.act()) == 1
    assert service.forget(user.act()) is None
