"""The meeting: beginning it, the user's lines, undo, coach hints, and its ending."""

from __future__ import annotations

import io
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction, ParseMode

from bot.channels.telegram import pictures
from bot.channels.telegram.callbacks import Action, Callback
from bot.channels.telegram.formatting import (
    briefing_card,
    coach_hint,
    feedback_messages,
    persona_line,
)
from bot.channels.telegram.handlers import aftercare
from bot.channels.telegram.handlers.common import Context, caller, lang_of, send, service, tr
from bot.charts import scorecard_png
from bot.engine.coach import criterion_name
from bot.i18n import translations
from bot.rehearsals import Ending
from bot.typography import curly, elide


async def begin(update: Update, context: Context, persona_id: str, *, exam: bool = False) -> None:
    rehearsals = service(context)
    who = caller(update)
    opening = rehearsals.exam(who) if exam else rehearsals.start(who, persona_id)
    meeting = opening.meeting
    _ = translations(meeting.lang).gettext
    if opening.abandoned:
        await send(update, _("Your previous meeting was abandoned."))
    if exam:
        await send(update, briefing_card(meeting.persona, meeting.lang))
        await send(
            update,
            _(
                "Exam: {name} was drawn at random. No coach hints; this score counts as an "
                "exam in your history."
            ).format(name=escape(meeting.persona.name)),
        )
    begins = _("The meeting begins. Type what you would say; /end when you are done.")
    scene = [f"<i>{begins}</i>"]
    if meeting.state.narration:
        scene.append(f"<i>{escape(meeting.state.narration)}</i>")
    scene += [persona_line(meeting.persona, line, meeting.lang) for line in meeting.state.opening]
    await send(update, "\n\n".join(scene))


async def exam(update: Update, context: Context) -> None:
    """A rehearsal with a persona drawn at random, hints off, scored as an exam."""
    await begin(update, context, "", exam=True)


async def text_message(update: Update, context: Context, text: str | None = None) -> None:
    """The user's line: the persona replies (after the typing indicator), maybe a hint; with
    no meeting in progress, the text is the after-care step's (notes, thank-you draft).
    `text` is a voice note's transcript; by default, the message's text."""
    chat = update.effective_chat
    rehearsals = service(context)
    who = caller(update)
    text = update.effective_message.text if text is None else text
    if rehearsals.current(chat.id) is None:
        after = rehearsals.write_after(who, text)
        if after is None:
            _ = tr(update, context)
            await send(update, _("No meeting in progress. Choose someone with /personas."))
        else:
            await aftercare.show(update, after)
        return
    await chat.send_action(ChatAction.TYPING)
    turn = rehearsals.say(who, text)
    if turn is None:
        return
    meeting, result = turn.meeting, turn.result
    if result.notice:
        await send(update, escape(result.notice))
    if result.reply:
        # The hint rides in the same message, set apart: one notification per turn.
        hints = "".join(f"\n\n{coach_hint(hint, meeting.lang)}" for hint in result.hints)
        await send(update, persona_line(meeting.persona, result.reply, meeting.lang) + hints)
    if turn.ending:
        await send_ending(update, context, turn.ending)


async def end(update: Update, context: Context) -> None:
    """End the meeting: the persona's goodbye, then the feedback."""
    ending = service(context).end(caller(update))
    if ending is None:
        _ = tr(update, context)
        await send(update, _("No meeting in progress. Choose someone with /personas."))
        return
    await send_ending(update, context, ending)


async def send_ending(update: Update, context: Context, ending: Ending) -> None:
    """The goodbye, the feedback, what to rehearse next (with its button), the reminders
    offer, the invitation to write notes, and a contact newly unlocked."""
    lang = lang_of(update, context)
    _ = translations(lang).gettext
    if ending.farewell:
        await send(update, persona_line(ending.persona, ending.farewell, lang))
    for message in feedback_messages(ending.feedback, ending.persona, lang):
        await send(update, message)
    picture = await pictures.draw(
        scorecard_png, ending.feedback, ending.persona, lang, exam=ending.exam
    )
    # The scorecard carries the "what next" suggestion and its button: one message, not two.
    caption = _("Your scorecard: {score}/100").format(score=ending.feedback.score)
    keyboard = None
    personas = service(context).personas
    step = ending.feedback.next_step
    if step and step.get("persona") in personas and personas[step["persona"]].speaks(lang):
        coach_persona = personas[step["persona"]]
        caption += "\n\n" + _(
            "🎯 Next: work on <b>{criterion}</b>. {name} ({role}) trains it best."
        ).format(
            criterion=escape(criterion_name(step["criterion"], lang)),
            name=escape(coach_persona.name),
            role=escape(coach_persona.role.get(lang)),
        )
        button = InlineKeyboardButton(
            _("▶️ Rehearse with {name}").format(name=coach_persona.name),
            callback_data=Callback(Action.BEGIN, coach_persona.id).encode(),
        )
        keyboard = InlineKeyboardMarkup([[button]])
    await update.effective_chat.send_photo(
        InputFile(io.BytesIO(picture), filename="scorecard.png"),
        caption=caption,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
    )
    if ending.offer_reminders:
        await aftercare.offer_reminders(update, ending, lang)
    await aftercare.invite_notes(update, lang)
    if ending.unlocked:
        new = ending.unlocked
        button = InlineKeyboardButton(
            _("▶️ Meet {name}").format(name=new.name),
            callback_data=Callback(Action.BEGIN, new.id).encode(),
        )
        await send(
            update,
            elide(
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
            ),
            reply_markup=InlineKeyboardMarkup([[button]]),
        )


async def cancel(update: Update, context: Context) -> None:
    """Abandon the meeting without feedback."""
    _ = tr(update, context)
    if service(context).cancel(caller(update)):
        await send(update, _("Meeting abandoned. Choose someone else with /personas."))
    else:
        await send(update, _("No meeting in progress."))


async def undo(update: Update, context: Context) -> None:
    """Take back the last line and the persona's reply."""
    _ = tr(update, context)
    line = service(context).undo(caller(update))
    if line is None:
        await send(update, _("Nothing to take back."))
        return
    await send(
        update,
        _("Taken back: <i>{line}</i>\nThe meeting is back where it was: try a better line.").format(
            line=escape(line)
        ),
    )


async def coach(update: Update, context: Context) -> None:
    """Live hints on or off, remembered for the user and applied to the current meeting."""
    hints_on = service(context).toggle_hints(caller(update))
    _ = tr(update, context)
    await send(update, _("Coach hints are on.") if hints_on else _("Coach hints are off."))
