"""Rehearsals as a service: meetings, preferences and history over the storage.

What any chat channel needs, with no knowledge of the channel: start a meeting, pass a
user's line, end it with feedback, abandon it, list past ones. Every change is written to
the storage before the caller replies, so a restart continues where the user was.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass

from bot.engine.coach import Feedback, build_feedback
from bot.engine.hints import coached_say
from bot.engine.meeting import Meeting, TurnResult
from bot.engine.personas import Persona, PersonaSet
from bot.i18n import normalize_language
from bot.storage.sqlite import MeetingRow, Storage, UserPrefs

log = logging.getLogger(__name__)

#: Meetings kept decoded in memory; the database stays the source of truth.
CACHE_SIZE = 10_000


@dataclass(frozen=True)
class Ending:
    farewell: str | None
    feedback: Feedback
    persona: Persona
    meeting_id: int
    exam: bool = False
    #: The persona this meeting's referral unlocked, the first time it was earned.
    unlocked: Persona | None = None


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


class Rehearsals:
    def __init__(self, personas: PersonaSet, storage: Storage, default_language: str = "fr"):
        self.personas = personas
        self.storage = storage
        self.default_language = default_language
        self._cache: dict[int, tuple[int, Meeting]] = {}

    # -- preferences -----------------------------------------------------------------------

    def prefs(self, user_id: int, language_code: str | None = None) -> UserPrefs:
        """The user's preferences; the language defaults to their Telegram language."""
        prefs = self.storage.user(user_id)
        if prefs and prefs.lang:
            return prefs
        lang = normalize_language(language_code, self.default_language)
        return UserPrefs(user_id, lang, prefs.hints_on if prefs else True)

    def set_language(self, user_id: int, lang: str) -> None:
        self.storage.save_user(user_id, lang=normalize_language(lang, self.default_language))

    def toggle_hints(self, user_id: int, language_code: str | None = None) -> bool:
        prefs = self.prefs(user_id, language_code)
        hints_on = not prefs.hints_on
        self.storage.save_user(user_id, lang=prefs.lang, hints_on=hints_on)
        return hints_on

    # -- meetings --------------------------------------------------------------------------

    def current(self, chat_id: int) -> tuple[int, Meeting] | None:
        cached = self._cache.get(chat_id)
        if cached:
            return cached
        row = self.storage.active_meeting(chat_id)
        if row is None or row.persona_id not in self.personas:
            return None
        entry = (row.id, Meeting.restore(self.personas[row.persona_id], row.state))
        self._remember(chat_id, entry)
        return entry

    def _remember(self, chat_id: int, entry: tuple[int, Meeting]) -> None:
        if len(self._cache) >= CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[chat_id] = entry

    def start(
        self,
        *,
        user_id: int,
        chat_id: int,
        persona_id: str,
        lang: str,
        hints: bool,
        exam: bool = False,
        seed: int | None = None,
    ) -> Meeting:
        persona = self.personas[persona_id]
        via = self.storage.unlocked(user_id).get(persona_id)
        referrer = self.personas.personas.get(via) if via else None
        meeting = Meeting.start(
            persona,
            lang,
            seed=seed,
            hints=hints,
            exam=exam,
            referred_by=referrer.name if referrer else None,
        )
        self.storage.set_aftercare(user_id, None, None)  # a new meeting ends the previous steps
        meeting_id = self.storage.start_meeting(
            user_id=user_id,
            chat_id=chat_id,
            persona_id=persona_id,
            lang=lang,
            state=meeting.to_dict(),
            exam=exam,
        )
        self._remember(chat_id, (meeting_id, meeting))
        log.info(
            "event=meeting_start chat=%s meeting=%s persona=%s lang=%s",
            chat_id,
            meeting_id,
            persona_id,
            lang,
        )
        return meeting

    def random_persona(self) -> Persona:
        return random.choice(list(self.personas))

    def say(self, chat_id: int, text: str) -> tuple[Meeting, TurnResult] | None:
        """One user line in the chat's meeting; None when no meeting is in progress."""
        entry = self.current(chat_id)
        if entry is None:
            return None
        meeting_id, meeting = entry
        started = time.perf_counter()
        result = coached_say(meeting, text)
        if result.reply is not None:
            self.storage.save_state(meeting_id, meeting.to_dict())
        log.info(
            "event=turn chat=%s meeting=%s persona=%s phase=%s turn=%d trust=%.2f ms=%.2f",
            chat_id,
            meeting_id,
            meeting.persona.id,
            meeting.phase,
            len(meeting.state.turns),
            meeting.state.trust,
            1000 * (time.perf_counter() - started),
        )
        return meeting, result

    def undo(self, chat_id: int) -> str | None:
        """Take back the user's last line (and the reply); returns that line, or None."""
        entry = self.current(chat_id)
        if entry is None:
            return None
        meeting_id, meeting = entry
        turn = meeting.undo()
        if turn is None:
            return None
        self.storage.save_state(meeting_id, meeting.to_dict())
        log.info(
            "event=undo chat=%s meeting=%s turn=%d",
            chat_id,
            meeting_id,
            len(meeting.state.turns) + 1,
        )
        return turn.user

    def end(self, chat_id: int, user_id: int | None = None) -> Ending | None:
        """End the chat's meeting (by the user, or after the persona ended it).

        An earned referral to another persona unlocks them for the user (a private chat's id
        is its user's id, the default).
        """
        entry = self.current(chat_id)
        if entry is None:
            return None
        meeting_id, meeting = entry
        farewell = meeting.end("user")
        feedback = build_feedback(meeting)
        self.storage.finish_meeting(
            meeting_id, meeting.to_dict(), feedback.to_json(), feedback.score
        )
        self._cache.pop(chat_id, None)
        log.info(
            "event=meeting_end chat=%s meeting=%s persona=%s score=%d ended_by=%s",
            chat_id,
            meeting_id,
            meeting.persona.id,
            feedback.score,
            meeting.state.ended_by,
        )
        unlocked = None
        target = meeting.persona.referral.persona
        if (
            meeting.has("referral_given")
            and target in self.personas
            and self.storage.unlock(
                chat_id if user_id is None else user_id, target, via=meeting.persona.id
            )
        ):
            unlocked = self.personas[target]
        return Ending(farewell, feedback, meeting.persona, meeting_id, meeting.state.exam, unlocked)

    def network(
        self, user_id: int
    ) -> tuple[list[Persona], list[tuple[Persona, Persona]], list[Persona]]:
        """Met, unlocked (with who sent the user) and still to earn, for `/network`."""
        known = self.personas.personas
        met = [known[p] for p in self.storage.met(user_id) if p in known]
        unlocked = [
            (known[p], known[via])
            for p, via in self.storage.unlocked(user_id).items()
            if p in known and via in known and known[p] not in met
        ]
        reachable = {p.referral.persona for p in known.values() if p.referral.persona}
        earned = {p.id for p in met} | {p.id for p, _ in unlocked}
        to_earn = [known[p] for p in sorted(reachable - earned) if p in known]
        return met, unlocked, to_earn

    def cancel(self, chat_id: int) -> bool:
        entry = self.current(chat_id)
        if entry is None:
            return False
        self.storage.cancel_meeting(entry[0])
        self._cache.pop(chat_id, None)
        log.info("event=meeting_cancel chat=%s meeting=%s", chat_id, entry[0])
        return True

    def history(self, user_id: int) -> list[HistoryEntry]:
        return [self._entry(row) for row in self.storage.history(user_id)]

    def _entry(self, row: MeetingRow) -> HistoryEntry:
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

    # -- after the meeting -----------------------------------------------------------------

    def aftercare(self, user_id: int) -> tuple[int, str, Meeting] | None:
        """The step the user is at after a meeting ("notes", "thanks"), with that meeting."""
        step = self.storage.aftercare(user_id)
        if step is None:
            return None
        meeting_id, stage = step
        row = self.storage.meeting_row(meeting_id, user_id)
        if row is None or row.persona_id not in self.personas:
            self.storage.set_aftercare(user_id, None, None)
            return None
        return meeting_id, stage, Meeting.restore(self.personas[row.persona_id], row.state)

    # -- privacy ---------------------------------------------------------------------------

    def export(self, user_id: int) -> dict:
        return self.storage.export_user(user_id)

    def forget(self, user_id: int, chat_id: int) -> int:
        self._cache.pop(chat_id, None)
        deleted = self.storage.forget_user(user_id)
        log.info("event=forget chat=%s meetings_deleted=%d", chat_id, deleted)
        return deleted
