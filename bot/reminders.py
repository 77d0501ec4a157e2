"""After-meeting reminders: thank the host the next day, report back two weeks later.

Transport-free: when reminders fall due (never inside the quiet hours of the user's time
zone) and what they say. They are stored in the database, so a restart loses none; the
channel sends what `due()` returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import translations

DAY = 24 * 3600
#: Kinds of reminder and how long after the meeting they fall due.
DELAYS = {"thanks": 1 * DAY, "follow_up": 14 * DAY}


@dataclass(frozen=True)
class QuietHours:
    """No reminder between `start` and `end` o'clock (e.g. 21–8) in `zone`."""

    start: int = 21
    end: int = 8
    zone: str = "Europe/Paris"

    @classmethod
    def parse(cls, text: str | None, zone: str | None) -> QuietHours:
        start, _, end = (text or f"{cls.start}-{cls.end}").partition("-")
        return cls(int(start), int(end), zone or cls.zone)

    def quiet(self, hour: int) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end

    def next_allowed(self, when: float) -> float:
        """`when`, or the end of the quiet hours it falls in."""
        local = datetime.fromtimestamp(when, ZoneInfo(self.zone))
        if not self.quiet(local.hour):
            return when
        wake = local.replace(hour=self.end, minute=0, second=0, microsecond=0)
        if wake <= local:
            wake += timedelta(days=1)
        return wake.timestamp()


def schedule(ended_at: float, quiet: QuietHours) -> dict[str, float]:
    """When each reminder of a meeting ended at `ended_at` falls due."""
    return {kind: quiet.next_allowed(ended_at + delay) for kind, delay in DELAYS.items()}


def text(kind: str, lang: str, host: str, referral: str | None) -> str:
    """What the reminder says. The host is a rehearsal persona: the reminder says so, and
    turns the advice to the user's real meetings (a thank-you "to Laurent Chevallier" would
    read as if he existed)."""
    _ = translations(lang).gettext
    if kind == "thanks":
        return _(
            "⏰ Rehearsal reminder: yesterday you met {host}, a practice persona. After a real "
            "meeting, the thank-you message goes out the next day: one thing you learned, and "
            "what you will do next. Have you written to the people you really met?"
        ).format(host=host)
    if referral:
        return _(
            "⏰ Two weeks since your rehearsal with {host}, a practice persona. After a real "
            "meeting, this is when you tell your host how things went. And {referral}, whom "
            "{host} recommended, is waiting for you: rehearse that meeting."
        ).format(host=host, referral=referral)
    return _(
        "⏰ Two weeks since your rehearsal with {host}, a practice persona. After a real "
        "meeting, this is when you tell your host how your search is going: keeping people "
        "informed is what makes a network last."
    ).format(host=host)
