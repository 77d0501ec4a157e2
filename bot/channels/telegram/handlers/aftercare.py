"""After the meeting: the reminders offer, the notes and thank-you steps, `/notes`,
`/skip` and `/reminders`."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.channels.telegram.callbacks import Action, Callback
from bot.channels.telegram.formatting import shorten, split_message
from bot.channels.telegram.handlers.common import Context, caller, send, service, tr
from bot.engine.meeting import Meeting
from bot.i18n import translations
from bot.rehearsals import Ending, NotesChecked, ThanksGraded
from bot.typography import curly


async def offer_reminders(update: Update, ending: Ending, lang: str) -> None:
    _ = translations(lang).gettext
    yes = Callback(Action.REMIND, str(ending.meeting_id)).encode()
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("⏰ Yes, remind me"), callback_data=yes)],
            [
                InlineKeyboardButton(
                    _("No, thanks"), callback_data=Callback(Action.REMIND, "no").encode()
                )
            ],
        ]
    )
    await send(
        update,
        _(
            "Shall I remind you tomorrow to send your thank-you message, and in two weeks "
            "to tell {name} how things went?"
        ).format(name=escape(ending.persona.name)),
        reply_markup=keyboard,
    )


async def invite_notes(update: Update, lang: str) -> None:
    _ = translations(lang).gettext
    await send(
        update,
        _(
            "📝 Now write your notes, as you would right after the meeting: date, person, "
            "place, subject, what you learned, the contacts given. One message; I will check "
            "them against what was said. (/skip to skip)"
        ),
    )


async def ask_for_thanks(update: Update, meeting: Meeting) -> None:
    _ = translations(meeting.lang).gettext
    await send(
        update,
        _(
            "✉️ Now draft the thank-you message you would send to {name} today. (/skip to skip)"
        ).format(name=escape(meeting.persona.name)),
    )


async def show(update: Update, after: NotesChecked | ThanksGraded) -> None:
    """The notes checked against the meeting (then the thank-you step), or the draft graded."""
    lang = after.meeting.lang
    _ = translations(lang).gettext
    if isinstance(after, NotesChecked):
        check = after.check
        lines = [_("📝 Your notes: {score}/100").format(score=check.score)]
        # Items quote the persona's sentences: the interface's apostrophes (curly in French).
        lines += [f"✓ {escape(curly(item, lang))}" for item in check.found]
        lines += [f"✗ {escape(curly(item, lang))}" for item in check.missing]
        await send(update, "\n".join(lines))
        await ask_for_thanks(update, after.meeting)
        return
    grade = after.grade
    lines = [_("✉️ Your thank-you message: {score}/100").format(score=grade.score)]
    lines += [f"→ {escape(curly(advice, lang))}" for advice in grade.advice]
    better = escape(curly(grade.better, lang))
    lines += ["", _("A version to start from:"), f"<blockquote>{better}</blockquote>"]
    await send(update, "\n".join(lines))


async def skip(update: Update, context: Context) -> None:
    """Skip the notes or the thank-you step."""
    _ = tr(update, context)
    skipped = service(context).skip(caller(update))
    if skipped is None:
        await send(update, _("Nothing to skip."))
    elif skipped.next_stage == "thanks":
        await ask_for_thanks(update, skipped.meeting)
    else:
        await send(update, _("Skipped. /personas for your next rehearsal."))


async def notes(update: Update, context: Context) -> None:
    """Past notes, newest last, with how complete they were."""
    _ = tr(update, context)
    rehearsals = service(context)
    found = rehearsals.notes(update.effective_user.id)
    if not found:
        await send(update, _("No notes yet: after each meeting I ask for yours."))
        return
    title = _("Your notes")
    blocks = [f"📝 <b>{title}</b>"]
    for note in found:
        persona = rehearsals.personas.personas.get(note.persona_id)
        day = datetime.fromtimestamp(note.created_at, UTC).strftime("%Y-%m-%d")
        who = escape(persona.name if persona else note.persona_id)
        blocks.append(f"<b>{day} · {who}</b> · {note.score}/100\n{escape(shorten(note.text, 600))}")
    for message in split_message(blocks):
        await send(update, message)


async def reminders_command(update: Update, context: Context) -> None:
    """/reminders on|off: after-meeting reminders, and the ones pending."""
    _ = tr(update, context)
    rehearsals = service(context)
    choice = (context.args or [""])[0].lower()
    if choice in {"off", "non", "stop"}:
        cancelled = rehearsals.set_reminders(caller(update), on=False)
        await send(update, _("Reminders are off ({count} cancelled).").format(count=cancelled))
        return
    if choice in {"on", "oui"}:
        rehearsals.set_reminders(caller(update), on=True)
        await send(update, _("Reminders are on: I will offer them after each meeting."))
        return
    on, pending = rehearsals.reminders(update.effective_user.id)
    await send(
        update,
        _(
            "Reminders are {state}; {count} pending. /reminders off stops them, "
            "/reminders on restarts them."
        ).format(state=_("on") if on else _("off"), count=pending),
    )
