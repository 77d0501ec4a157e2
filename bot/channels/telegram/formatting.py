"""Telegram HTML for the bot's messages: escaped user text, split under 4,096 characters."""

from __future__ import annotations

import re
from html import escape, unescape

from bot.channels import stars
from bot.channels.history import history_row, trend
from bot.engine.coach import Feedback, criterion_name
from bot.engine.lessons import lesson_lines
from bot.engine.personas import Persona
from bot.engine.rubric import rubric
from bot.i18n import translations
from bot.rehearsals import HistoryEntry
from bot.typography import curly, elide

MAX_MESSAGE = 4096
#: A photo's caption, counted as Telegram counts it: after the HTML is parsed.
MAX_CAPTION = 1024


_TAG = re.compile(r"<[^<>]*>")


def visible_length(html: str) -> int:
    """The length Telegram checks against its limits: the text once its HTML is parsed, in
    UTF-16 code units (an emoji counts two)."""
    return len(unescape(_TAG.sub("", html)).encode("utf-16-le")) // 2


def split_message(blocks: list[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Pack blocks into messages under `limit`, cutting only between blocks when possible."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            messages.append(current)
        while len(block) > limit:  # a single huge block: cut at a line break
            cut = block.rfind("\n", 0, limit)
            cut = cut if cut > 0 else limit
            messages.append(block[:cut])
            block = block[cut:].lstrip("\n")
        current = block
    if current:
        messages.append(current)
    return messages


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with "…" when cut
    (a cut mid-word reads like a bug)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut < limit // 2:  # one very long word: cut inside it rather than lose most
        cut = limit - 1
    return text[:cut].rstrip(" ,;:") + "…"


def briefing_card(persona: Persona, lang: str, referred_by: Persona | None = None) -> str:
    _ = translations(lang).gettext
    how, where, length, goal = (
        _("How the meeting came about"),
        _("Where"),
        _("Length"),
        _("Your goal"),
    )
    minutes = _("{minutes} minutes scheduled.").format(minutes=persona.schedule.duration_minutes)

    def text(field) -> str:  # a persona text, escaped, with the interface's apostrophes
        return escape(curly(field.get(lang), lang))

    lines = [
        f"<b>{escape(persona.name)}</b> — {text(persona.role)}",
        f"<i>{text(persona.organisation)}</i>",
        "",
        f"🤝 <b>{how}</b>\n"
        + (
            elide(
                _("{via} recommended you to {name}: say so when you meet.").format(
                    via=escape(referred_by.name), name=escape(persona.name)
                ),
                lang,
                escape(persona.name),
            )
            if referred_by
            else text(persona.briefing.how_we_met)
        ),
        f"📍 <b>{where}</b>\n{text(persona.briefing.place)}",
        f"⏱ <b>{length}</b>\n{minutes}",
        f"🎯 <b>{goal}</b>\n{text(persona.briefing.goal)}",
        _("Difficulty: {stars}").format(stars=stars(persona.difficulty)),
    ]
    return "\n".join(lines)


def persona_line(persona: Persona, text: str, lang: str) -> str:
    """A persona's line under their name; in French with curly apostrophes, and elided
    before the name of the person they recommend ("le nom d’Isabelle Marchand")."""
    polished = elide(curly(text, lang), lang, persona.referral.name)
    return f"<b>{escape(persona.name)}</b>\n{escape(polished)}"


def coach_hint(hint: str, lang: str) -> str:
    _ = translations(lang).gettext
    return "💡 " + _("<i>Coach:</i> {hint}").format(hint=escape(hint))


def feedback_messages(feedback: Feedback, persona: Persona, lang: str) -> list[str]:
    """The feedback as one or more HTML messages, each under Telegram's limit."""
    _ = translations(lang).gettext
    open_q, close_q = ("« ", " »") if lang == "fr" else ("“", "”")
    blocks = [
        "📋 <b>{}</b>\n{}".format(
            _("Your feedback — meeting with {name}").format(name=escape(persona.name)),
            _("Overall score: <b>{score}/100</b>").format(score=feedback.score),
        )
    ]
    bands = rubric()["bands"]
    for key, result in feedback.criteria.items():
        high, medium = result.score >= bands["high"], result.score >= bands["medium"]
        mark = "🟢" if high else "🟡" if medium else "🔴"
        lines = [f"{mark} <b>{escape(criterion_name(key, lang))}</b> — {result.score}/100"]
        lines += [f"   <i>{open_q}{escape(line)}{close_q}</i>" for line in result.evidence]
        lines.append(f"   → {escape(result.advice)}")
        blocks.append("\n".join(lines))
    if feedback.rewordings:
        title = _("Your closed questions, reworded as open ones")
        lines = [f"🔁 <b>{title}</b>"]
        for item in feedback.rewordings:
            lines.append(f"✗ <i>{escape(item['question'])}</i>\n✓ {escape(item['open'])}")
        blocks.append("\n".join(lines))
    if feedback.lessons:
        blocks.append(
            "\n".join(
                f"🎯 {escape(line)}" if i == 0 and feedback.lesson else escape(line)
                for i, line in enumerate(lesson_lines(feedback, persona.name, lang))
            )
        )
    title = _("After the meeting")
    lines = [f"✅ <b>{title}</b>"]
    lines += [f"☐ {escape(item)}" for item in feedback.checklist]
    blocks.append("\n".join(lines))
    return split_message(blocks)


def history_message(entries: list[HistoryEntry], lang: str, zone: str | None = None) -> str:
    _ = translations(lang).gettext
    if not entries:
        return _("No rehearsal yet. Choose someone to meet with /personas.")
    title = _("Your rehearsals")
    lines = [f"📈 <b>{title}</b>"]
    lines += [
        history_row(entry, lang, escape(entry.persona_name), f"<b>{entry.score}</b>", zone)
        for entry in entries
    ]
    sentence = trend(entries, lang)
    if sentence:
        lines += ["", sentence]
    return "\n".join(lines)
