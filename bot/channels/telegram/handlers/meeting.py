"""The meeting: beginning it, the user's lines, undo, coach hints, and its ending."""

from __future__ import annotations

import logging
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest

from bot.channels.telegram import outbox
from bot.channels.telegram.callbacks import Action, Callback
from bot.channels.telegram.formatting import (
    MAX_MESSAGE,
    briefing_card,
    coach_hint,
    feedback_messages,
    persona_line,
)
from bot.channels.telegram.handlers import aftercare, controls
from bot.channels.telegram.handlers.common import (
    Context,
    answer,
    caller,
    drop_buttons,
    edit_or_send,
    lang_of,
    service,
    tr,
    typing_when_slow,
)
from bot.channels.telegram.handlers.common import (
    tapped as message_of,
)
from bot.engine.coach import criterion_name
from bot.i18n import translations
from bot.rehearsals import Ending, InProgress, NothingToGrade, Opening, Turn
from bot.typography import curly, elide

log = logging.getLogger(__name__)


async def begin(
    update: Update, context: Context, persona_id: str | None, *, abandon: int | None = None
) -> None:
    """Start a meeting (an exam when `persona_id` is None), from a command or a button. With
    another meeting in progress, ask first: a stale card or a double tap must never discard
    one silently. `abandon` is the meeting the user agreed to abandon. The opening (or the
    question) is recorded in the outbox with the meeting it opens."""
    tapped = update.callback_query is not None
    who = caller(update)
    toast: str | None = None
    with outbox.recording(context.application, who) as out:
        opened = service(context).begin(who, persona_id, abandon=abandon)
        if isinstance(opened, InProgress):
            toast = ask_to_switch(out, update, context, opened, persona_id)
        else:
            if tapped and opened.abandoned:  # the question answered: it says what happened
                _ = translations(opened.meeting.lang).gettext
                abandoned = _("Your meeting with {name} was abandoned.")
                out.edit(message_of(update), abandoned.format(name=escape(opened.abandoned.name)))
            # The card keeps its buttons: removing them would spend one of Telegram's 30 calls a
            # second on every meeting that begins, for looks; a second tap on Begin finds the
            # meeting running and asks before anything is discarded.
            opening(out, opened, exam=persona_id is None)
    if tapped:
        await answer(update, toast)
    await outbox.deliver(context.application, who.chat_id)


def opening(out: outbox.Replies, opened: Opening, *, exam: bool) -> None:
    """The meeting's first message (after the exam's briefing), with its controls."""
    meeting = opened.meeting
    _ = translations(meeting.lang).gettext
    if exam:
        out.text(briefing_card(meeting.persona, meeting.lang))
        out.text(
            _(
                "Exam: {name} was drawn at random. No coach hints; this score counts as an "
                "exam in your history."
            ).format(name=escape(meeting.persona.name))
        )
    begins = _("The meeting begins. Type what you would say; /end when you are done.")
    scene = [f"<i>{begins}</i>"]
    if meeting.state.narration:
        scene.append(f"<i>{escape(meeting.state.narration)}</i>")
    scene += [persona_line(meeting.persona, line, meeting.lang) for line in meeting.state.opening]
    out.text(
        "\n\n".join(scene),
        keyboard=controls.keyboard(opened.meeting_id, meeting, meeting.lang),
    )


def ask_to_switch(
    out: outbox.Replies,
    update: Update,
    context: Context,
    current: InProgress,
    persona_id: str | None,
) -> str | None:
    """Another meeting is in progress: the same persona's again is a no-op (a double tap on
    Begin), anyone else's asks whether to go on or abandon it. Returns the toast for a tap."""
    _ = tr(update, context)
    ongoing = current.meeting.persona
    if persona_id == ongoing.id:
        running = _("Your meeting with {name} is already in progress: type your next line.")
        if update.callback_query:
            return running.format(name=ongoing.name)
        out.text(running.format(name=escape(ongoing.name)))
        return None
    lines = len(current.meeting.state.turns)
    question = (
        translations(lang_of(update, context))
        .ngettext(
            "⏳ You are in a meeting with <b>{name}</b> ({count} line so far). Abandon it? "
            "It would not be graded.",
            "⏳ You are in a meeting with <b>{name}</b> ({count} lines so far). Abandon it? "
            "It would not be graded.",
            lines,
        )
        .format(name=escape(ongoing.name), count=lines)
    )
    if persona_id is None:
        instead = _("🗑 Abandon it, start the exam")
    else:
        instead = _("🗑 Abandon it, meet {name}").format(
            name=service(context).personas[persona_id].name
        )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("↩️ Go on with {name}").format(name=ongoing.name),
                    callback_data=Callback(Action.KEEP).encode(),
                )
            ],
            [
                InlineKeyboardButton(
                    instead,
                    callback_data=Callback(
                        Action.SWITCH, f"{current.meeting_id}.{persona_id or ''}"
                    ).encode(),
                )
            ],
        ]
    )
    out.text(question, keyboard=keyboard)
    return None


async def keep(update: Update, context: Context) -> None:
    """The user chose to go on with the meeting in progress: the question loses its buttons."""
    _ = tr(update, context)
    await answer(update)
    entry = service(context).current(update.effective_chat.id)
    if entry is None:
        await edit_or_send(update, _("No meeting in progress."), None)
        return
    goes_on = _("Your meeting with {name} goes on: type your next line.")
    await edit_or_send(update, goes_on.format(name=escape(entry[1].persona.name)), None)


async def exam(update: Update, context: Context) -> None:
    """A rehearsal with a persona drawn at random, hints off, scored as an exam."""
    await begin(update, context, None)


async def text_message(update: Update, context: Context, text: str | None = None) -> None:
    """The user's line: the persona replies (after the typing indicator), maybe a hint; with
    no meeting in progress, the text is the after-care step's (notes, thank-you draft).
    `text` is a voice note's transcript; by default, the message's text. The replies are
    recorded in the outbox with the turn, then sent."""
    chat = update.effective_chat
    rehearsals = service(context)
    who = caller(update)
    text = update.effective_message.text if text is None else text
    application = context.application
    if rehearsals.current(chat.id) is None:
        with outbox.recording(application, who) as out:
            after = rehearsals.write_after(who, text)
            if after is None:
                _ = tr(update, context)
                out.text(_("No meeting in progress. Choose someone with /personas."))
            else:
                aftercare.show(out, after)
        await outbox.deliver(application, chat.id)
        return
    async with typing_when_slow(update, context):
        with outbox.recording(application, who) as out:
            turn = rehearsals.say(who, text)
            if turn is not None:
                turn_replies(out, update, context, turn)
        await outbox.deliver(application, chat.id)


def turn_replies(out: outbox.Replies, update: Update, context: Context, turn: Turn) -> None:
    """A turn's notice, the persona's reply with its hints (and the controls every few
    lines), or, when the persona ended the meeting, the ending opened by its last line."""
    meeting, result = turn.meeting, turn.result
    if result.notice:
        out.text(escape(result.notice))
    # The hint rides in the same message, set apart: one notification per turn.
    hints = "".join(f"\n\n{coach_hint(hint, meeting.lang)}" for hint in result.hints)
    said = (
        persona_line(meeting.persona, result.reply, meeting.lang) + hints if result.reply else None
    )
    if turn.ending:  # the persona's last line opens the ending's one message
        ending_replies(out, update, context, turn.ending, said)
    elif said:  # the controls ride on it every few lines: no extra call
        board = None
        if controls.due(meeting) and turn.meeting_id is not None:
            board = controls.keyboard(turn.meeting_id, meeting, meeting.lang)
        out.text(said, keyboard=board)


async def end(update: Update, context: Context) -> None:
    """End the meeting: the persona's goodbye, then the feedback, the scorecard and the
    notes step, all recorded in the outbox with the ending (a crash in the middle of
    sending them leaves the rest to send after the restart)."""
    who = caller(update)
    with outbox.recording(context.application, who) as out:
        ending = service(context).end(who)
        _ = tr(update, context)
        if ending is None:
            out.text(_("No meeting in progress. Choose someone with /personas."))
        elif isinstance(ending, NothingToGrade):
            out.text(
                _(
                    "Nothing to grade: you said nothing to {name}, so the meeting was cancelled "
                    "without feedback. /personas to begin another."
                ).format(name=escape(ending.persona.name))
            )
        else:
            lang = lang_of(update, context)
            farewell = ending.farewell and persona_line(ending.persona, ending.farewell, lang)
            ending_replies(out, update, context, ending, farewell)
    async with typing_when_slow(update, context, ChatAction.UPLOAD_PHOTO):
        await outbox.deliver(context.application, who.chat_id)


def ending_replies(
    out: outbox.Replies,
    update: Update,
    context: Context,
    ending: Ending,
    goodbye: str | None = None,
) -> None:
    """One clear sequence in two messages: the goodbye and the feedback in one (the only
    one that notifies), then the scorecard with the next steps on its caption: the contact
    just unlocked or who trains the weakest criterion best, then the notes step, last
    because it takes the next text (its own message only when the caption would be too
    long). Reminders are offered when after-care ends."""
    lang = lang_of(update, context)
    _ = translations(lang).gettext
    messages = feedback_messages(ending.feedback, ending.persona, lang)
    if goodbye:
        joined = f"{goodbye}\n\n{messages[0]}"
        messages = [joined, *messages[1:]] if len(joined) <= MAX_MESSAGE else [goodbye, *messages]
    for i, message in enumerate(messages):
        out.text(message, silent=i > 0)
    caption = _("Your scorecard: {score}/100").format(score=ending.feedback.score)
    keyboard = None
    personas = service(context).personas
    step = ending.feedback.next_step
    if ending.unlocked:
        new = ending.unlocked
        caption += "\n\n" + elide(
            _(
                "🔓 New contact in your network: <b>{name}</b> ({role}), recommended by "
                "{via}. When you meet, say who sent you. /network shows your network."
            ).format(
                name=escape(new.name),
                role=escape(curly(new.role.get(lang), lang)),
                via=escape(ending.persona.name),
            ),
            lang,
            escape(ending.persona.name),
        )
        button = InlineKeyboardButton(
            _("▶️ Meet {name}").format(name=new.name),
            callback_data=Callback(Action.BEGIN, new.id).encode(),
        )
        keyboard = InlineKeyboardMarkup([[button]])
    elif step and step.get("persona") in personas and personas[step["persona"]].speaks(lang):
        coach_persona = personas[step["persona"]]
        caption += "\n\n" + _(
            "🎯 Next: work on <b>{criterion}</b>. {name} ({role}) trains it best."
        ).format(
            criterion=escape(criterion_name(step["criterion"], lang)),
            name=escape(coach_persona.name),
            role=escape(curly(coach_persona.role.get(lang), lang)),
        )
        button = InlineKeyboardButton(
            _("▶️ Rehearse with {name}").format(name=coach_persona.name),
            callback_data=Callback(Action.BEGIN, coach_persona.id).encode(),
        )
        keyboard = InlineKeyboardMarkup([[button]])
    notes_here = ending.aftercare and aftercare.fits_caption(caption, lang)
    if notes_here:  # the notes step rides on the scorecard, the ending's last message
        caption += "\n\n" + aftercare.notes_prompt(lang)
        keyboard = aftercare.with_step(keyboard, "notes", ending.meeting_id, lang)
    out.scorecard(
        ending.feedback,
        ending.persona,
        lang,
        exam=ending.exam,
        caption=caption,
        keyboard=keyboard,
    )
    if ending.aftercare and not notes_here:
        aftercare.invite_notes(out, ending, lang)


async def cancel(update: Update, context: Context) -> None:
    """Abandon the meeting without feedback, or leave the after-care steps."""
    _ = tr(update, context)
    rehearsals = service(context)
    who = caller(update)
    with outbox.recording(context.application, who) as out:
        if rehearsals.cancel(who):
            out.text(_("Meeting abandoned. Choose someone else with /personas."))
        elif (left := rehearsals.skip(who, leave=True)) is not None:
            aftercare.finish(out, left, _("You left the after-care steps."))
        else:
            out.text(_("No meeting in progress."))
    await outbox.deliver(context.application, who.chat_id)


async def undo(update: Update, context: Context) -> None:
    """Take back the last line and the persona's reply; the answer carries the controls.
    The answer is recorded in the outbox with the undoing (a kill before it is sent does
    not leave the user wondering whether the line was taken back)."""
    _ = tr(update, context)
    who = caller(update)
    with outbox.recording(context.application, who) as out:
        line = service(context).undo(who)
        if line is None:
            out.text(_("Nothing to take back."))
        else:
            out.text(
                _(
                    "Taken back: <i>{line}</i>\nThe meeting is back where it was: try a "
                    "better line."
                ).format(line=escape(line)),
                keyboard=controls_now(update, context),
            )
    await outbox.deliver(context.application, who.chat_id)


def controls_now(update: Update, context: Context) -> InlineKeyboardMarkup | None:
    """The controls of the chat's meeting in progress, if any (for an answer sent anyway)."""
    entry = service(context).current(update.effective_chat.id)
    if entry is None:
        return None
    return controls.keyboard(entry[0], entry[1], entry[1].lang)


async def coach(update: Update, context: Context) -> None:
    """Live hints on or off, remembered for the user and applied to the current meeting;
    the answer is recorded in the outbox with the change."""
    who = caller(update)
    with outbox.recording(context.application, who) as out:
        hints_on = service(context).toggle_hints(who)
        _ = tr(update, context)
        if hints_on is None:
            out.text(
                _(
                    "No coach hints during an exam: it shows what you do alone. Your "
                    "preference is unchanged; /coach after the exam to change it."
                )
            )
        else:
            out.text(
                _("Coach hints are on.") if hints_on else _("Coach hints are off."),
                keyboard=controls_now(update, context),
            )
    await outbox.deliver(context.application, who.chat_id)


async def control_tap(update: Update, context: Context, tap: Callback) -> None:
    """A control button: only for the meeting it was drawn for (a button of a meeting that
    is over gets a toast and loses its keyboard, never acts on another meeting). Undo and
    End answer with messages, as their commands do; the clock and the hints switch answer
    with a toast and redraw the keyboard in place."""
    _ = tr(update, context)
    what, meeting_id = tap.fields[0], tap.meeting_id
    rehearsals = service(context)
    entry = rehearsals.current(update.effective_chat.id)
    if entry is None or entry[0] != meeting_id:
        await answer(update, _("This meeting is over: its buttons no longer do anything."))
        await drop_buttons(update)
        return
    meeting = entry[1]
    lang = meeting.lang
    _ = translations(lang).gettext
    if what == "clock":
        left = controls.minutes_left(meeting)
        await answer(
            update,
            translations(lang)
            .ngettext(
                "About {minutes} minute left of the {total} planned with {name}.",
                "About {minutes} minutes left of the {total} planned with {name}.",
                left,
            )
            .format(
                minutes=left,
                total=meeting.persona.schedule.duration_minutes,
                name=meeting.persona.name,
            ),
        )
        await redraw(update, controls.keyboard(meeting_id, meeting, lang))
    elif what == "hints":  # writes: the redrawn keyboard is recorded with the change
        who = caller(update)
        with outbox.recording(context.application, who) as out:
            hints_on = rehearsals.toggle_hints(who)
            if hints_on is not None:
                out.buttons(message_of(update), controls.keyboard(meeting_id, meeting, lang))
        if hints_on is None:  # an exam: its keyboard has no such button, but data is forgeable
            await answer(update, _("No coach hints during an exam."))
            return
        await answer(update, _("Coach hints are on.") if hints_on else _("Coach hints are off."))
        await outbox.deliver(context.application, who.chat_id)
    elif what == "end":
        await answer(update)
        await redraw(update, controls.confirm_end(meeting_id, lang))
    elif what == "back":
        await answer(update)
        await redraw(update, controls.keyboard(meeting_id, meeting, lang))
    elif what == "sure":
        await answer(update)
        await drop_buttons(update)
        await end(update, context)
    else:  # undo, drawn when the meeting had `lines` lines: a second tap takes back nothing
        lines = int(tap.fields[2])
        if len(meeting.state.turns) < lines or not meeting.state.turns:
            await answer(update, _("Nothing to take back."))
            return
        await answer(update)
        await undo(update, context)


async def redraw(update: Update, keyboard: InlineKeyboardMarkup) -> None:
    """The tapped message's keyboard, redrawn; unchanged or too old is not an error. Direct:
    only for taps that write nothing (the clock, "end?", "back"); the same redraw twice is
    harmless."""
    try:
        await update.callback_query.edit_message_reply_markup(keyboard)
    except BadRequest as exc:
        log.info("event=redraw_failed error=%r", exc)
