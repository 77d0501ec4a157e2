"""Drive the service as a channel would, without any channel (like Rasa's collecting
output channel): each call is one user action with a fresh update id."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.rehearsals import Caller, Rehearsals

_update_ids = itertools.count(1)


@dataclass
class User:
    rehearsals: Rehearsals
    user_id: int
    language_code: str | None = "fr"
    #: The update ids this user's actions carried, in order.
    updates: list[int] = field(default_factory=list)

    def act(self) -> Caller:
        """Who acts for the next action, with a new update id (a private chat: chat = user)."""
        update_id = next(_update_ids)
        self.updates.append(update_id)
        return Caller(self.user_id, self.user_id, self.language_code, update_id)

    def meet(self, persona_id: str, lines: list[str], *, exam: bool = False):
        """A whole meeting: start, the lines, /end; returns the ending."""
        self.rehearsals.start(self.act(), persona_id, exam=exam)
        for line in lines:
            turn = self.rehearsals.say(self.act(), line)
            if turn is not None and turn.ending is not None:
                return turn.ending
        return self.rehearsals.end(self.act())
