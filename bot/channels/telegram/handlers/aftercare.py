"""After the meeting: the notes and thank-you steps (with Skip and Done buttons), the
reminders offer when they end, `/notes`, `/skip` and `/reminders`."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.channels.telegram import outbox
from bot.channels.telegram.callbacks import Action, Callback, decode
from bot.channels.telegram.formatting import MAX_CAPTION, shorten, split_message, visible_length
from bot.channels.telegram.handlers.common import (
    Context,
    answer,
    caller,
    send,
    service,
    tapped,
    tr,
)
from bot.channels.telegram.outbox import Replies
from bot.engine.meeting import Meeting
from bot.i18n import translations
from bot.rehearsals import Ending, NotAnAttempt, NotesChecked, Skipped, ThanksGraded
from bot.typography import curly


def step_keyboard(stage: str, meeting_id: int, lang: str) -> InlineKeyboardMarkup:
    """Skip this step, or be done with after-care; each button is for this step only, so a
    double or late tap skips nothing more."""
    _ = translations(lang).gettext
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("⏭ Skip"),
                    callback_data=Callback(Action.AFTER, f"skip.{stage}.{meeting_id}").encode(),
                ),
                InlineKeyboardButton(
                    _("✅ Done"),
                    callback_data=Callback(Action.AFTER, f"done.{stage}.{meeting_id}").encode(),
                ),
            ]
        ]
    )


def with_step(
    keyboard: InlineKeyboardMarkup | None, stage: str, meeting_id: int, lang: str
) -> InlineKeyboardMarkup:
    """`keyboard`'s rows, then the step's Skip and Done (the scorecard's next step above)."""
    rows = list(keyboard.inline_keyboard) if keyboard else []
    return InlineKeyboardMarkup([*rows, *step_keyboard(stage, meeting_id, lang).inline_keyboard])


def without_steps(update: Update) -> InlineKeyboardMarkup | None:
    """The tapped message's buttons without the after-care steps' (a scorecard keeps its
    "Meet…" once its notes step is skipped or done); None when nothing else is left."""
    message = update.callback_query.message if update.callback_query else None
    markup = getattr(message, "reply_markup", None)
    if markup is None:
        return None
    rows = [row for row in markup.inline_keyboard if not any(map(_is_step, row))]
    return InlineKeyboardMarkup(rows) if rows else None


def _is_step(button: InlineKeyboardButton) -> bool:
    tap = decode(button.callback_data if isinstance(button.callback_data, str) else None)
    return tap is not None and tap.action is Action.AFTER


def fits_caption(caption: str, lang: str) -> bool:
    """Whether the notes step fits on the scorecard's caption after `caption`."""
    return visible_length(f"{caption}\n\n{notes_prompt(lang)}") <= MAX_CAPTION


def notes_prompt(lang: str) -> str:
    _ = translations(lang).gettext
    return _(
        "📝 Now write your notes, as you would right after the meeting: date, person, place, "
        "subject, what you learned, the contacts given. One message; I will check them "
        "against what was said."
    )


def thanks_prompt(meeting: Meeting) -> str:
    _ = translations(meeting.lang).gettext
    return _("✉️ Now draft the thank-you message you would send to {name} today.").format(
        name=escape(meeting.persona.name)
    )


def invite_notes(out: Replies, ending: Ending, lang: str) -> None:
    """The notes step, last of the ending since it takes the next text; silent."""
    out.text(
        notes_prompt(lang),
        keyboard=step_keyboard("notes", ending.meeting_id, lang),
        silent=True,
    )


def ask_for_thanks(out: Replies, meeting: Meeting, meeting_id: int, intro: str = "") -> None:
    text = f"{intro}\n\n{thanks_prompt(meeting)}" if intro else thanks_prompt(meeting)
    out.text(text, keyboard=step_keyboard("thanks", meeting_id, meeting.lang))


def finish(out: Replies, after: ThanksGraded | Skipped, text: str) -> None:
    """After-care is over: the last word, with the reminders offer when there is one (the
    offer waits until now so that it never competes with a step)."""
    meeting = after.meeting
    _ = translations(meeting.lang).gettext
    if after.remind_for is None:
        out.text(text)
        return
    yes = Callback(Action.REMIND, str(after.remind_for)).encode()
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
    offer = _(
        "Shall I remind you tomorrow to send your thank-you message, and in two weeks "
        "to tell {name} how things went?"
    ).format(name=escape(meeting.persona.name))
    out.text(f"{text}\n\n{offer}" if text else offer, keyboard=keyboard)


def show(out: Replies, after: NotesChecked | ThanksGraded | NotAnAttempt) -> None:
    """The notes checked against the meeting (then the thank-you step), the draft graded
    (then the reminders offer), or, for a line that is no attempt, why it is not graded."""
    meeting = after.meeting
    _ = translations(meeting.lang).gettext
    lang = meeting.lang
    if isinstance(after, NotAnAttempt):
        if after.stage == "notes":
            why = _(
                "That does not look like notes, so I have not graded it. Write them in one "
                "message of a few lines, or use a button."
            )
        else:
            why = _(
                "That does not look like a thank-you message, so I have not graded it. Draft "
                "it in one message of a few sentences, or use a button."
            )
        out.text(why, keyboard=step_keyboard(after.stage, after.meeting_id, lang))
        return
    if isinstance(after, NotesChecked):
        check = after.check
        lines = [_("📝 Your notes: {score}/100").format(score=check.score)]
        # Items quote the persona's sentences: the interface's apostrophes (curly in French).
        lines += [f"✓ {escape(curly(item, lang))}" for item in check.found]
        lines += [f"✗ {escape(curly(item, lang))}" for item in check.missing]
        ask_for_thanks(out, meeting, after.meeting_id, "\n".join(lines))
        return
    grade = after.grade
    lines = [_("✉️ Your thank-you message: {score}/100").format(score=grade.score)]
    lines += [f"→ {escape(curly(advice, lang))}" for advice in grade.advice]
    better = escape(curly(grade.better, lang))
    lines += ["", _("A version to start from:"), f"<blockquote>{better}</blockquote>"]
    out.text("\n".join(lines))
    if after.remind_for is not None:
        finish(out, after, "")


async def skip(update: Update, context: Context) -> None:
    """Skip the notes or the thank-you step."""
    _ = tr(update, context)
    who = caller(update)
    with outbox.recording(context.application, who) as out:
        skipped = service(context).skip(who)
        if skipped is None:
            out.text(_("Nothing to skip."))
        else:
            after_skip(out, skipped)
    await outbox.deliver(context.application, who.chat_id)


def after_skip(out: Replies, skipped: Skipped) -> None:
    """The next step, or the end of after-care."""
    _ = translations(skipped.meeting.lang).gettext
    if skipped.next_stage == "thanks":
        ask_for_thanks(out, skipped.meeting, skipped.meeting_id)
    else:
        finish(out, skipped, _("Skipped. /personas for your next rehearsal."))


async def step_button(
    update: Update, context: Context, what: str, stage: str, meeting_id: int
) -> None:
    """Skip or Done on a step's message: that step only, once; then its buttons go."""
    _ = tr(update, context)
    who = caller(update)
    with outbox.recording(context.application, who) as out:
        skipped = service(context).skip(
            who, stage=stage, meeting_id=meeting_id, leave=what == "done"
        )
        # The step's buttons go with the step it ends, before the next one.
        out.buttons(tapped(update), without_steps(update))
        if skipped is not None and what == "done":
            finish(out, skipped, _("Done. /personas for your next rehearsal."))
        elif skipped is not None:
            after_skip(out, skipped)
    await answer(update, None if skipped else _("This button is no longer active."))
    await outbox.deliver(context.application, who.chat_id)


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
    if choice in {"off", "non", "stop", "on", "oui"}:  # writes: its reply goes with it
        who = caller(update)
        with outbox.recording(context.application, who) as out:
            if choice in {"on", "oui"}:
                rehearsals.set_reminders(who, on=True)
                out.text(_("Reminders are on: I will offer them after each meeting."))
            else:
                cancelled = rehearsals.set_reminders(who, on=False)
                out.text(_("Reminders are off ({count} cancelled).").format(count=cancelled))
        await outbox.deliver(context.application, who.chat_id)
        return
    on, pending = rehearsals.reminders(update.effective_user.id)
    await send(
        update,
        _(
            "Reminders are {state}; {count} pending. /reminders off stops them, "
            "/reminders on restarts them."
        ).format(state=_("on") if on else _("off"), count=pending),
    )
