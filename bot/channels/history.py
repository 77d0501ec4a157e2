"""What every channel says about past rehearsals: one line each, and the trend."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import translations
from bot.rehearsals import HistoryEntry


def history_row(
    entry: HistoryEntry, lang: str, name: str, score: str, zone: str | None = None
) -> str:
    """One rehearsal; `name` and `score` come formatted by the channel (escaped, bold).

    The day and the time, so two rehearsals of one day stay apart, in `zone` (the bot's
    TIME_ZONE for Telegram), or the machine's own time zone when None (the terminal).
    """
    _ = translations(lang).gettext
    tz = ZoneInfo(zone) if zone else None
    day = datetime.fromtimestamp(entry.started_at, tz).strftime("%Y-%m-%d %H:%M")
    exam = " · " + _("exam") if entry.exam else ""
    return f"{day} · {name} · {score}/100{exam}"


def trend(entries: list[HistoryEntry], lang: str) -> str | None:
    """From the first score to the last, with the average; None under two rehearsals."""
    if len(entries) < 2:
        return None
    _ = translations(lang).gettext
    first, last = entries[0].score, entries[-1].score
    average = round(sum(e.score for e in entries) / len(entries))
    if last > first:
        text = _("Trend: rising, from {first} to {last} (average {average}).")
    elif last < first:
        text = _("Trend: falling, from {first} to {last} (average {average}).")
    else:
        text = _("Trend: steady at {last} (average {average}).")
    return text.format(first=first, last=last, average=average)
