"""Rehearsals as a service: everything a channel offers, with no knowledge of the channel.

Meetings (start, a line, undo, end with feedback, abandon, exam), the after-care steps
(notes, then the thank-you draft), reminders, preferences, history, the network of referrals
and privacy (export, forget, retention). Each user action is one unit of work: its writes
and, when the channel gives one, the id of the update that caused it are committed together,
before the channel replies, so a restart continues where the user was and a redelivered
update is recognised.

Meetings in progress are kept decoded in memory. On a database other processes share
(replicas on PostgreSQL) that copy is checked before it is used: `current` compares the
meeting's row version with the one it was decoded at (one indexed query), and a unit of work
on a chat takes the chat's lock and checks it again, so a replica never acts on a meeting
another replica has changed; when it has, the action starts over on the saved state.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ParamSpec, TypeVar

from bot import reminders
from bot.engine import aftercare
from bot.engine.coach import Feedback, build_feedback
from bot.engine.hints import coached_say
from bot.engine.meeting import Meeting, TurnResult
from bot.engine.personas import Persona, PersonaSet
from bot.i18n import normalize_language
from bot.reminders import QuietHours
from bot.storage.interface import Database, Unit
from bot.storage.records import MeetingRecord, Note, Reminder, UserPrefs

log = logging.getLogger(__name__)

#: Meetings kept decoded in memory; the database stays the source of truth.
CACHE_SIZE = 10_000
DAY = 24 * 3600
#: How long a claimed reminder is this process's to send before another may take it over.
REMINDER_CLAIM_SECONDS = 600
#: Times an action starts over because another process changed the chat's meeting between
#: the look at it and the chat's lock (it takes two replicas acting on one chat at once).
FRESH_ATTEMPTS = 5


class StaleMeeting(Exception):
    """The chat's meeting changed in the database since this process decoded it."""


P = ParamSpec("P")
R = TypeVar("R")


def _on_fresh_state(action: Callable[P, R]) -> Callable[P, R]:
    """Run `action` again (from the saved state) when it found the meeting stale."""

    @functools.wraps(action)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        service, who = args[0], args[1]
        assert isinstance(service, Rehearsals) and isinstance(who, Caller)
        for _ in range(FRESH_ATTEMPTS - 1):
            try:
                return action(*args, **kwargs)
            except StaleMeeting:
                service._cache.pop(who.chat_id, None)
                log.info("event=stale_meeting chat=%s", who.chat_id)
        return action(*args, **kwargs)

    return run


@dataclass(frozen=True)
class Caller:
    """Who acts and where; `update_id` names the channel's delivery, for exactly-once."""

    user_id: int
    chat_id: int
    language_code: str | None = None
    update_id: int | None = None


@dataclass(frozen=True)
class Opening:
    meeting: Meeting
    #: The persona of the meeting that was in progress and has been abandoned for this one.
    abandoned: Persona | None = None
    #: Its id, for buttons that must act on this meeting only.
    meeting_id: int | None = None


@dataclass(frozen=True)
class InProgress:
    """Another meeting is in progress: starting would discard it, so nothing was started
    (the channel asks the user, then passes this id as `abandon`)."""

    meeting_id: int
    meeting: Meeting


@dataclass(frozen=True)
class Ending:
    farewell: str | None
    feedback: Feedback
    persona: Persona
    meeting_id: int
    exam: bool = False
    #: The persona this meeting's referral unlocked, the first time it was earned.
    unlocked: Persona | None = None
    #: The user has not turned reminders off: offer them for this meeting.
    offer_reminders: bool = True
    #: The meeting as it ended (for a transcript).
    meeting: Meeting | None = None
    #: The notes step is open (not after a persona ended the meeting for rudeness).
    aftercare: bool = True


@dataclass(frozen=True)
class NothingToGrade:
    """`/end` before the user said anything: the meeting was cancelled, not graded."""

    persona: Persona


@dataclass(frozen=True)
class Turn:
    meeting: Meeting
    result: TurnResult
    #: The persona ended the meeting with this line: its ending, already saved.
    ending: Ending | None = None
    meeting_id: int | None = None


@dataclass(frozen=True)
class NotesChecked:
    meeting: Meeting
    check: aftercare.NotesCheck
    meeting_id: int


@dataclass(frozen=True)
class ThanksGraded:
    meeting: Meeting
    grade: aftercare.ThanksGrade
    #: After-care is over: the meeting to offer reminders for (None when the user turned
    #: them off or has accepted them already).
    remind_for: int | None = None


@dataclass(frozen=True)
class NotAnAttempt:
    """A line that is not notes nor a thank-you ("👍", "Ok"): nothing graded nor stored."""

    meeting: Meeting
    stage: str
    meeting_id: int


@dataclass(frozen=True)
class Skipped:
    meeting: Meeting
    #: "thanks" when the notes were skipped (the draft comes next), None when all is done.
    next_stage: str | None
    #: As in `ThanksGraded`, when after-care is over.
    remind_for: int | None = None
    meeting_id: int | None = None


@dataclass(frozen=True)
class HistoryEntry:
    started_at: float
    persona_id: str
    persona_name: str
    score: int
    exam: bool
    criteria: dict[str, int]

    def to_chart(self) -> dict:
        return {
            "started_at": self.started_at,
            "score": self.score,
            "criteria": self.criteria,
            "exam": self.exam,
            "persona": self.persona_name,
        }


def _save(unit: Unit, meeting_id: int, meeting: Meeting) -> None:
    """Save what a turn or a take-back changes, whatever the meeting's length: the state but
    the turns, and the last two turns (a turn drops the undo information of the one before;
    a take-back gives it back)."""
    turns = meeting.state.turns
    recent = {n: turns[n].to_dict() for n in range(max(0, len(turns) - 2), len(turns))}
    unit.meetings.save_progress(meeting_id, meeting.state.head(), recent, len(turns))


class Rehearsals:
    def __init__(
        self,
        personas: PersonaSet,
        storage: Database,
        default_language: str = "fr",
        quiet_hours: QuietHours | None = None,
    ):
        self.personas = personas
        self.storage = storage
        self.default_language = default_language
        self.quiet_hours = quiet_hours or QuietHours()
        self._cache: dict[int, tuple[int, Meeting]] = {}
        #: On a shared database: each chat's meeting in progress as (id, row version) when
        #: this process last looked, None when it had none (see `current`).
        self._versions: dict[int, tuple[int, int] | None] = {}
        self._shared = bool(getattr(storage, "shared", False))

    def _unit(self, who: Caller) -> AbstractContextManager[Unit]:
        """A unit of work for the user's action, with its update's id (exactly-once): on a
        shared database it waits for the chat's lock and raises `AlreadyHandled` when another
        replica committed the update meanwhile."""
        return self.storage.write(who.update_id, chat_id=who.chat_id)

    @contextmanager
    def _chat_unit(self, who: Caller) -> Iterator[Unit]:
        """A unit of work on the chat's meeting (with the update's id, for exactly-once).

        On a shared database it holds the chat's lock (see `bot.storage.postgres.chats`)
        and raises `StaleMeeting` if the meeting is not the one `current` returned last.
        """
        with self._unit(who) as unit:
            if not self._shared:
                yield unit
                return
            if unit.versions.active(who.chat_id) != self._versions.get(who.chat_id):
                raise StaleMeeting
            yield unit
            after = unit.versions.active(who.chat_id)
        self._versions[who.chat_id] = after

    # -- exactly-once ----------------------------------------------------------------------

    def handled(self, update_id: int) -> bool:
        """The channel's update was already handled (this is a redelivery)."""
        with self.storage.read() as unit:
            return unit.updates.seen(update_id)

    def mark_handled(self, update_id: int) -> None:
        """Record an update whose handling wrote nothing (a help text, an error); one whose
        action already recorded it is not written again."""
        if self.storage.committed(update_id):
            return
        with self.storage.write(update_id):
            pass

    @contextmanager
    def action(self, who: Caller) -> Iterator[Unit]:
        """One unit of work around the service calls made inside (they join it) and what
        the channel records with them, its replies: committed together with the update's
        id. On a shared database it holds the chat's lock from the start, so the replies
        are numbered after every earlier reply to the chat, whichever replica wrote them.
        On failure the chat's meeting in memory is dropped (the saved one is the truth).
        """
        try:
            with self._unit(who) as unit:
                yield unit
        except BaseException:
            self._cache.pop(who.chat_id, None)
            self._versions.pop(who.chat_id, None)
            raise

    # -- preferences -----------------------------------------------------------------------

    def prefs(self, user_id: int, language_code: str | None = None) -> UserPrefs:
        """The user's preferences; the language defaults to their channel's language."""
        with self.storage.read() as unit:
            return self._prefs(unit, user_id, language_code)

    def _prefs(self, unit: Unit, user_id: int, language_code: str | None) -> UserPrefs:
        prefs = unit.users.get(user_id)
        if prefs and prefs.lang:
            return prefs
        lang = normalize_language(language_code, self.default_language)
        if prefs is None:
            return UserPrefs(user_id, lang, True)
        return UserPrefs(user_id, lang, prefs.hints_on, prefs.reminders_on)

    def language(self, who: Caller) -> str:
        return self.prefs(who.user_id, who.language_code).lang or self.default_language

    def set_language(self, who: Caller, lang: str) -> str:
        lang = normalize_language(lang, self.default_language)
        with self._unit(who) as unit:
            unit.users.save(who.user_id, lang=lang)
        return lang

    @_on_fresh_state
    def toggle_hints(self, who: Caller) -> bool | None:
        """Hints on or off, remembered for the user and applied to the meeting in progress;
        None during an exam, which has no hints and leaves the preference as it is."""
        entry = self.current(who.chat_id)
        if entry and entry[1].state.exam:
            return None
        try:
            with self._chat_unit(who) as unit:
                prefs = self._prefs(unit, who.user_id, who.language_code)
                hints_on = not prefs.hints_on
                unit.users.save(who.user_id, lang=prefs.lang, hints_on=hints_on)
                if entry:
                    entry[1].state.hints_on = hints_on
                    _save(unit, *entry)
        except BaseException:
            self._cache.pop(who.chat_id, None)
            raise
        return hints_on

    # -- meetings --------------------------------------------------------------------------

    def current(self, chat_id: int) -> tuple[int, Meeting] | None:
        """The chat's meeting in progress (id, meeting), from memory when it is still true.

        On a shared database the meeting's row version is read first (one indexed query):
        the copy in memory is used only if it was decoded at that version, else the meeting
        is decoded again (read after the version, so it is at least as recent).
        """
        cached = self._cache.get(chat_id)
        if not self._shared and cached:
            return cached
        with self.storage.read() as unit:
            if self._shared:
                version = unit.versions.active(chat_id)
                known = self._versions.get(chat_id, False)
                self._versions[chat_id] = version
                if version is None:
                    self._cache.pop(chat_id, None)
                    return None
                if cached and known == version:
                    return cached
            row = unit.meetings.active(chat_id)
        if row is None or row.persona_id not in self.personas:
            return None
        entry = (row.id, Meeting.restore(self.personas[row.persona_id], row.state))
        self._remember(chat_id, entry)
        return entry

    def _remember(self, chat_id: int, entry: tuple[int, Meeting]) -> None:
        if len(self._cache) >= CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[chat_id] = entry

    def referrer(self, user_id: int, persona_id: str) -> Persona | None:
        """Who recommended this persona to the user, if anyone (for the briefing)."""
        with self.storage.read() as unit:
            via = {u.persona_id: u.via for u in unit.network.unlocked(user_id)}.get(persona_id)
        return self.personas.personas.get(via) if via else None

    @_on_fresh_state
    def start(
        self, who: Caller, persona_id: str, *, exam: bool = False, seed: int | None = None
    ) -> Opening:
        """A new meeting in the chat (abandoning one in progress, ending after-care steps)."""
        persona = self.personas[persona_id]
        previous = self.current(who.chat_id)
        abandoned = previous[1].persona if previous else None
        prefs = self.prefs(who.user_id, who.language_code)
        lang = prefs.lang or self.default_language
        referrer = self.referrer(who.user_id, persona_id)
        meeting = Meeting.start(
            persona,
            lang,
            seed=seed,
            hints=prefs.hints_on,
            exam=exam,
            referred_by=referrer.name if referrer else None,
        )
        self._cache.pop(who.chat_id, None)
        with self._chat_unit(who) as unit:
            unit.aftercare.clear(who.user_id)
            meeting_id = unit.meetings.start(
                user_id=who.user_id,
                chat_id=who.chat_id,
                persona_id=persona_id,
                lang=lang,
                state=meeting.to_dict(),
                exam=exam,
            )
        self._remember(who.chat_id, (meeting_id, meeting))
        log.info(
            "event=meeting_start chat=%s meeting=%s persona=%s lang=%s",
            who.chat_id,
            meeting_id,
            persona_id,
            lang,
        )
        return Opening(meeting, abandoned, meeting_id)

    @_on_fresh_state
    def exam(self, who: Caller) -> Opening:
        """A meeting with a persona drawn at random among those who speak the user's
        language, hints off, scored as an exam."""
        lang = self.language(who)
        persona = random.choice(self.personas.speaking(lang) or list(self.personas))
        return self.start(who, persona.id, exam=True)

    @_on_fresh_state
    def begin(
        self, who: Caller, persona_id: str | None, *, abandon: int | None = None
    ) -> Opening | InProgress:
        """A new meeting (an exam when `persona_id` is None), unless another is in progress
        that the user has not agreed to abandon (`abandon` names the one they agreed to):
        a stale or repeated button must never discard a meeting silently."""
        entry = self.current(who.chat_id)
        if entry is not None and entry[0] != abandon:
            return InProgress(*entry)
        return self.exam(who) if persona_id is None else self.start(who, persona_id)

    @_on_fresh_state
    def say(self, who: Caller, text: str) -> Turn | None:
        """One user line in the chat's meeting; None when no meeting is in progress.

        When the persona ends the meeting with its reply, the meeting is ended in the same
        unit of work.
        """
        entry = self.current(who.chat_id)
        if entry is None:
            return None
        meeting_id, meeting = entry
        started = time.perf_counter()
        try:
            result = coached_say(meeting, text)
            ending = None
            with self._chat_unit(who) as unit:
                if result.reply is not None:
                    _save(unit, meeting_id, meeting)
                if result.ended:
                    ending = self._end(unit, who, meeting_id, meeting)
        except BaseException:
            self._cache.pop(who.chat_id, None)  # the saved state is the truth, not memory
            raise
        log.info(
            "event=turn chat=%s meeting=%s persona=%s phase=%s turn=%d trust=%.2f ms=%.2f",
            who.chat_id,
            meeting_id,
            meeting.persona.id,
            meeting.phase,
            len(meeting.state.turns),
            meeting.state.trust,
            1000 * (time.perf_counter() - started),
        )
        return Turn(meeting, result, ending, meeting_id)

    @_on_fresh_state
    def undo(self, who: Caller) -> str | None:
        """Take back the user's last line (and the reply); returns that line, or None."""
        entry = self.current(who.chat_id)
        if entry is None:
            return None
        meeting_id, meeting = entry
        turn = meeting.undo()
        if turn is None:
            return None
        try:
            with self._chat_unit(who) as unit:
                _save(unit, meeting_id, meeting)
        except BaseException:
            self._cache.pop(who.chat_id, None)
            raise
        log.info(
            "event=undo chat=%s meeting=%s turn=%d",
            who.chat_id,
            meeting_id,
            len(meeting.state.turns) + 1,
        )
        return turn.user

    @_on_fresh_state
    def end(self, who: Caller) -> Ending | NothingToGrade | None:
        """End the chat's meeting at the user's request: farewell, feedback, referral; a
        meeting where the user said nothing is cancelled instead (there is nothing to grade)."""
        entry = self.current(who.chat_id)
        if entry is None:
            return None
        if not entry[1].state.turns:
            self.cancel(who)
            return NothingToGrade(entry[1].persona)
        try:
            with self._chat_unit(who) as unit:
                return self._end(unit, who, *entry)
        except BaseException:
            self._cache.pop(who.chat_id, None)
            raise

    def _end(self, unit: Unit, who: Caller, meeting_id: int, meeting: Meeting) -> Ending:
        """Finish the meeting, unlock an earned referral, and open the notes step (not after
        the persona left because of rudeness: no notes nor thanks for that)."""
        farewell = meeting.end("user")
        feedback = build_feedback(meeting)
        unit.meetings.finish(meeting_id, meeting.to_dict(), feedback.to_json(), feedback.score)
        self._cache.pop(who.chat_id, None)
        unlocked = None
        target = meeting.persona.referral.persona
        if (
            meeting.has("referral_given")
            and target in self.personas
            and unit.network.unlock(who.user_id, target, via=meeting.persona.id)
        ):
            unlocked = self.personas[target]
        steps = meeting.state.ended_by != "persona_rude"
        if steps:
            unit.aftercare.set(who.user_id, meeting_id, "notes")
        prefs = unit.users.get(who.user_id)
        log.info(
            "event=meeting_end chat=%s meeting=%s persona=%s score=%d ended_by=%s",
            who.chat_id,
            meeting_id,
            meeting.persona.id,
            feedback.score,
            meeting.state.ended_by,
        )
        return Ending(
            farewell,
            feedback,
            meeting.persona,
            meeting_id,
            meeting.state.exam,
            unlocked,
            offer_reminders=prefs is None or prefs.reminders_on,
            meeting=meeting,
            aftercare=steps,
        )

    @_on_fresh_state
    def cancel(self, who: Caller) -> bool:
        entry = self.current(who.chat_id)
        if entry is None:
            return False
        self._cache.pop(who.chat_id, None)
        with self._chat_unit(who) as unit:
            unit.meetings.cancel(entry[0])
        log.info("event=meeting_cancel chat=%s meeting=%s", who.chat_id, entry[0])
        return True

    # -- what the user has done --------------------------------------------------------------

    def network(
        self, user_id: int
    ) -> tuple[list[Persona], list[tuple[Persona, Persona]], list[Persona]]:
        """Met, unlocked (with who sent the user) and still to earn, for `/network`."""
        known = self.personas.personas
        with self.storage.read() as unit:
            met = [known[p] for p in unit.meetings.met(user_id) if p in known]
            unlocks = unit.network.unlocked(user_id)
        unlocked = [
            (known[u.persona_id], known[u.via])
            for u in unlocks
            if u.persona_id in known and u.via in known and known[u.persona_id] not in met
        ]
        reachable = {p.referral.persona for p in known.values() if p.referral.persona}
        earned = {p.id for p in met} | {p.id for p, _ in unlocked}
        to_earn = [known[p] for p in sorted(reachable - earned) if p in known]
        return met, unlocked, to_earn

    def past_meetings(self, user_id: int) -> list[MeetingRecord]:
        """The finished meetings, oldest first (the most recent twenty)."""
        with self.storage.read() as unit:
            return unit.meetings.finished(user_id)

    def history(self, user_id: int) -> list[HistoryEntry]:
        return [self._entry(row) for row in self.past_meetings(user_id)]

    def _entry(self, row: MeetingRecord) -> HistoryEntry:
        persona = self.personas.personas.get(row.persona_id)
        criteria = (row.feedback or {}).get("criteria", {})
        return HistoryEntry(
            started_at=row.started_at,
            persona_id=row.persona_id,
            persona_name=persona.name if persona else row.persona_id,
            score=row.score or 0,
            exam=row.exam,
            criteria={key: value["score"] for key, value in criteria.items()},
        )

    # -- after the meeting: notes, then the thank-you draft ----------------------------------

    def _step(self, unit: Unit, user_id: int) -> tuple[int, str, Meeting] | None:
        step = unit.aftercare.step(user_id)
        if step is None:
            return None
        row = unit.meetings.get(step.meeting_id, user_id)
        if row is None or row.persona_id not in self.personas:
            unit.aftercare.clear(user_id)
            return None
        meeting = Meeting.restore(self.personas[row.persona_id], row.state)
        return step.meeting_id, step.stage, meeting

    def _offer(self, unit: Unit, user_id: int, meeting_id: int) -> int | None:
        """The meeting to offer reminders for as after-care ends: None when the user turned
        reminders off or already accepted them for it."""
        prefs = unit.users.get(user_id)
        if (prefs is not None and not prefs.reminders_on) or unit.reminders.of_meeting(meeting_id):
            return None
        return meeting_id

    def write_after(
        self, who: Caller, text: str
    ) -> NotesChecked | ThanksGraded | NotAnAttempt | None:
        """The user's notes (checked against the meeting), then their thank-you draft
        (graded, with a better version); None when no step is open. A line that is no
        attempt at either ("👍", "Ok") is neither graded nor stored."""
        with self._unit(who) as unit:
            step = self._step(unit, who.user_id)
            if step is None:
                return None
            meeting_id, stage, meeting = step
            if not aftercare.is_attempt(text):
                return NotAnAttempt(meeting, stage, meeting_id)
            if stage == "notes":
                check = aftercare.check_notes(meeting, text)
                unit.notes.add(who.user_id, meeting_id, "notes", text, check.score, check.to_json())
                unit.aftercare.set(who.user_id, meeting_id, "thanks")
                return NotesChecked(meeting, check, meeting_id)
            grade = aftercare.grade_thanks(meeting, text)
            unit.notes.add(who.user_id, meeting_id, "thanks", text, grade.score, grade.to_json())
            unit.aftercare.clear(who.user_id)
            return ThanksGraded(meeting, grade, self._offer(unit, who.user_id, meeting_id))

    def skip(
        self,
        who: Caller,
        *,
        stage: str | None = None,
        meeting_id: int | None = None,
        leave: bool = False,
    ) -> Skipped | None:
        """Skip the notes (the thank-you draft comes next) or the draft (all done); `leave`
        ends after-care at once. With `stage` and `meeting_id` (a button), only that step
        is skipped: a repeated or stale tap skips nothing more. None when no step is open."""
        with self._unit(who) as unit:
            step = self._step(unit, who.user_id)
            if step is None:
                return None
            current, current_stage, meeting = step
            if (stage is not None and stage != current_stage) or (
                meeting_id is not None and meeting_id != current
            ):
                return None
            if current_stage == "notes" and not leave:
                unit.aftercare.set(who.user_id, current, "thanks")
                return Skipped(meeting, "thanks", meeting_id=current)
            unit.aftercare.clear(who.user_id)
            return Skipped(meeting, None, self._offer(unit, who.user_id, current), current)

    def notes(self, user_id: int) -> list[Note]:
        with self.storage.read() as unit:
            return unit.notes.of(user_id)

    # -- reminders -------------------------------------------------------------------------

    def remind(self, who: Caller, meeting_id: int) -> bool:
        """Store the reminders of a finished meeting, with the user's consent just given;
        asking again for the same meeting changes nothing. False when the meeting is not
        the user's, not finished, or reminders are off."""
        with self._unit(who) as unit:
            row = unit.meetings.get(meeting_id, who.user_id)
            prefs = unit.users.get(who.user_id)
            if (
                row is None
                or row.status != "finished"
                or row.persona_id not in self.personas
                or (prefs is not None and not prefs.reminders_on)
            ):
                return False
            if unit.reminders.of_meeting(meeting_id):
                return True
            persona = self.personas[row.persona_id]
            done = row.state.get("done", [])
            referral = persona.referral.name if "referral_given" in done else None
            ended = row.ended_at or row.started_at
            for kind, due in reminders.schedule(ended, self.quiet_hours).items():
                text = reminders.text(kind, row.lang, persona.name, referral)
                unit.reminders.add(who.user_id, who.chat_id, meeting_id, kind, due, text)
        return True

    def reminders(self, user_id: int) -> tuple[bool, int]:
        """Reminders on or off for the user, and how many are pending."""
        with self.storage.read() as unit:
            prefs = unit.users.get(user_id)
            return prefs is None or prefs.reminders_on, len(unit.reminders.pending(user_id))

    def set_reminders(self, who: Caller, on: bool) -> int:
        """Reminders on or off; off also cancels the pending ones (their number returned)."""
        with self._unit(who) as unit:
            unit.users.save(who.user_id, reminders_on=on)
            return 0 if on else unit.reminders.cancel_pending(who.user_id)

    def reminder_invites(self, reminder: Reminder) -> tuple[Persona, str, bool] | None:
        """Whom a reminder invites the user to meet next, in which language, and whether
        it is the referral (once given, and loaded as a persona) rather than the host
        again; None when the meeting is gone or its persona no longer loaded."""
        if reminder.meeting_id is None:
            return None
        with self.storage.read() as unit:
            row = unit.meetings.get(reminder.meeting_id, reminder.user_id)
        if row is None or row.persona_id not in self.personas:
            return None
        host = self.personas[row.persona_id]
        referral = host.referral.persona
        given = "referral_given" in row.state.get("done", [])
        if reminder.kind == "follow_up" and given and referral in self.personas:
            return self.personas[referral], row.lang, True
        return host, row.lang, False

    def due_reminders(self, now: float) -> list[Reminder]:
        """The reminders to send now, claimed for this process: another process on the same
        database gets none of them unless this one has not marked them sent within
        `REMINDER_CLAIM_SECONDS` (it died, or Telegram failed: then they are retried)."""
        with self.storage.write() as unit:
            return unit.reminders.claim(now, REMINDER_CLAIM_SECONDS)

    def reminder_sent(self, reminder_id: int, now: float) -> None:
        with self.storage.write() as unit:
            unit.reminders.mark_sent(reminder_id, now)

    @contextmanager
    def sending_reminder(self, reminder: Reminder, now: float) -> Iterator[Unit | None]:
        """One unit of work that marks the claimed reminder sent and in which the channel
        records the message that carries it (its outbox): both committed, or neither. So
        the reminder is handed over exactly once: a kill before the commit leaves it
        claimed, not sent (sent once its claim lapses); a kill after it leaves the message
        in the outbox, sent at the next start. Yields None when the reminder no longer
        waits (cancelled, forgotten, or marked by another process meanwhile). On a shared
        database it holds the chat's lock, as an action does, so the message is numbered
        after the chat's earlier replies."""
        with self.storage.write(chat_id=reminder.chat_id) as unit:
            yield unit if unit.reminders.mark_sent(reminder.id, now) else None

    # -- privacy ---------------------------------------------------------------------------

    def export(self, user_id: int) -> dict:
        """Everything stored about the user, from every table (pending reminders included),
        times as ISO 8601 in UTC: the file is for people to read, not only programs."""
        with self.storage.read() as unit:
            return _readable_times(unit.privacy.export(user_id))

    def forget(self, who: Caller) -> int | None:
        """Delete everything about the user, in every table; returns meetings deleted, or
        None when nothing was stored (already deleted: a repeated tap deletes nothing)."""
        self._cache.pop(who.chat_id, None)
        with self._unit(who) as unit:
            if unit.users.get(who.user_id) is None:
                return None
            deleted = unit.privacy.forget(who.user_id)
        log.info("event=forget chat=%s meetings_deleted=%d", who.chat_id, deleted)
        return deleted

    def purge(self, retention_days: int, now: float | None = None) -> int:
        """Retention: delete what is older than `retention_days`, in every table."""
        cutoff = (now or time.time()) - retention_days * DAY
        with self.storage.write() as unit:
            deleted = unit.privacy.purge(cutoff)
        if deleted:
            self._cache.clear()  # a meeting idle past the retention may be among them
        log.info("event=retention retention_days=%d meetings_deleted=%d", retention_days, deleted)
        return deleted


def _readable_times(data):
    """`data` with every number under a key ending in `_at` as an ISO 8601 UTC time."""
    if isinstance(data, dict):
        return {
            key: (
                datetime.fromtimestamp(value, UTC).isoformat(timespec="seconds")
                if key.endswith("_at") and isinstance(value, int | float)
                else _readable_times(value)
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_readable_times(item) for item in data]
    return data
