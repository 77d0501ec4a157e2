"""Telegram handlers: each turns an update into a call on `Rehearsals` and sends the result.

Handlers stay short; rehearsal logic lives in the engine. Every text goes through the
catalogues, every user text is HTML-escaped.
"""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime
from html import escape

from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import reminders
from bot.channels.telegram import pictures
from bot.channels.telegram.formatting import (
    briefing_card,
    coach_hint,
    feedback_messages,
    history_message,
    persona_line,
    split_message,
    stars,
)
from bot.charts import network_png, progress_png, scorecard_png, trend_line
from bot.engine import aftercare
from bot.engine.coach import criterion_name
from bot.i18n import LANGUAGES, N_, translations
from bot.rehearsals import Rehearsals

log = logging.getLogger(__name__)

COMMANDS = {
    "start": N_("Welcome and choose someone to meet"),
    "personas": N_("Choose who to meet"),
    "end": N_("End the meeting and get your feedback"),
    "cancel": N_("Abandon the meeting without feedback"),
    "undo": N_("Take back your last line and try again"),
    "exam": N_("Exam: a persona drawn at random, no hints"),
    "coach": N_("Turn live coach hints on or off"),
    "history": N_("Your past rehearsals and progress"),
    "language": N_("Français / English"),
    "network": N_("The people you have met and those recommended to you"),
    "reminders": N_("After-meeting reminders: on or off"),
    "notes": N_("Your notes of past meetings"),
    "skip": N_("Skip the notes or the thank-you step"),
    "export": N_("Download all your data (JSON file)"),
    "forget": N_("Delete all your data"),
    "help": N_("What this bot does and its commands"),
}
LANGUAGE_NAMES = {"fr": "🇫🇷 Français", "en": "🇬🇧 English"}


def service(context: ContextTypes.DEFAULT_TYPE) -> Rehearsals:
    return context.application.bot_data["rehearsals"]


def lang_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    user = update.effective_user
    if user is None:
        return service(context).default_language
    return service(context).prefs(user.id, user.language_code).lang or "fr"


def tr(update: Update, context: ContextTypes.DEFAULT_TYPE):
    return translations(lang_of(update, context)).gettext


async def send(update: Update, text: str, **kwargs) -> None:
    await update.effective_chat.send_message(text, parse_mode=ParseMode.HTML, **kwargs)


async def set_commands(application) -> None:
    """Register the command menu in each language (shown per the user's `language_code`)."""
    for lang in (None, *LANGUAGES):
        _ = translations(lang or "fr").gettext
        commands = [BotCommand(name, _(text)) for name, text in COMMANDS.items()]
        await application.bot.set_my_commands(
            commands, scope=BotCommandScopeAllPrivateChats(), language_code=lang
        )


# -- guards ------------------------------------------------------------------------------


async def private_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups: one polite sentence for commands, silence otherwise."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    message = update.effective_message
    if message and message.text and message.text.startswith("/"):
        _ = tr(update, context)
        await chat.send_message(
            _("I only work in private chats: open a conversation with me to rehearse.")
        )
    raise ApplicationHandlerStop


# -- commands ----------------------------------------------------------------------------


def persona_keyboard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> InlineKeyboardMarkup:
    lang = lang_of(update, context)
    rows = [
        [
            InlineKeyboardButton(
                f"{p.name} · {p.role.get(lang)} · {stars(p.difficulty)}",
                callback_data=f"persona:{p.id}",
            )
        ]
        for p in service(context).personas
    ]
    return InlineKeyboardMarkup(rows)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome, what a networking interview is, and the persona picker."""
    _ = tr(update, context)
    name = escape(update.effective_user.first_name or "") if update.effective_user else ""
    await send(
        update,
        _("Hello {name}! I help you rehearse networking interviews.").format(name=name)
        + "\n\n"
        + _(
            "A networking interview is a meeting you ask for to learn about a job or a sector "
            "from someone who works there. You lead it: you ask, listen, give back, and leave "
            "with new contacts — not with a job offer."
        )
        + "\n\n"
        + _("Choose who you will meet:"),
        reply_markup=persona_keyboard(update, context),
    )


async def personas(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The persona picker."""
    _ = tr(update, context)
    await send(
        update, _("Who do you want to meet?"), reply_markup=persona_keyboard(update, context)
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot does, and the commands."""
    _ = tr(update, context)
    lines = [
        _(
            "I play people you could meet for a networking interview, and a coach tells you "
            "what went well and what to change."
        ),
        "",
        *[f"/{name} — {escape(_(text))}" for name, text in COMMANDS.items()],
        "",
        _("During a meeting, just type what you would say."),
    ]
    await send(update, "\n".join(lines))


async def end(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """End the meeting: the persona's goodbye, then the feedback."""
    _ = tr(update, context)
    ending = service(context).end(update.effective_chat.id, update.effective_user.id)
    if ending is None:
        await send(update, _("No meeting in progress. Choose someone with /personas."))
        return
    await send_ending(update, context, ending)


async def send_ending(update: Update, context: ContextTypes.DEFAULT_TYPE, ending) -> None:
    """The persona's goodbye, the feedback, and what to rehearse next (with its button)."""
    lang = lang_of(update, context)
    _ = translations(lang).gettext
    if ending.farewell:
        await send(update, persona_line(ending.persona, ending.farewell))
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
    if step and step.get("persona") in personas:
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
            callback_data=f"begin:{coach_persona.id}",
        )
        keyboard = InlineKeyboardMarkup([[button]])
    await update.effective_chat.send_photo(
        InputFile(io.BytesIO(picture), filename="scorecard.png"),
        caption=caption,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
    )
    if service(context).storage.reminders_on(update.effective_user.id):
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("⏰ Yes, remind me"), callback_data=f"remind:{ending.meeting_id}"
                    )
                ],
                [InlineKeyboardButton(_("No, thanks"), callback_data="remind:no")],
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
    await invite_notes(update, context, ending)
    if ending.unlocked:
        new = ending.unlocked
        button = InlineKeyboardButton(
            _("▶️ Meet {name}").format(name=new.name), callback_data=f"begin:{new.id}"
        )
        await send(
            update,
            _(
                "🔓 New contact in your network: <b>{name}</b> ({role}), recommended by "
                "{via}. When you meet, say who sent you. /network shows your network."
            ).format(
                name=escape(new.name),
                role=escape(new.role.get(lang)),
                via=escape(ending.persona.name),
            ),
            reply_markup=InlineKeyboardMarkup([[button]]),
        )


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Abandon the meeting without feedback."""
    _ = tr(update, context)
    if service(context).cancel(update.effective_chat.id):
        await send(update, _("Meeting abandoned. Choose someone else with /personas."))
    else:
        await send(update, _("No meeting in progress."))


async def undo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take back the last line and the persona's reply."""
    _ = tr(update, context)
    line = service(context).undo(update.effective_chat.id)
    if line is None:
        await send(update, _("Nothing to take back."))
        return
    await send(
        update,
        _("Taken back: <i>{line}</i>\nThe meeting is back where it was: try a better line.").format(
            line=escape(line)
        ),
    )


async def exam(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A rehearsal with a persona drawn at random, hints off, scored as an exam."""
    persona = service(context).random_persona()
    await begin(update, context, persona.id, exam=True)


async def coach(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Live hints on or off, remembered for the user and applied to the current meeting."""
    user = update.effective_user
    hints_on = service(context).toggle_hints(user.id, user.language_code)
    entry = service(context).current(update.effective_chat.id)
    if entry and not entry[1].state.exam:
        entry[1].state.hints_on = hints_on
        service(context).storage.save_state(entry[0], entry[1].to_dict())
    _ = tr(update, context)
    await send(update, _("Coach hints are on.") if hints_on else _("Coach hints are off."))


async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Choose French or English."""
    _ = tr(update, context)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(name, callback_data=f"lang:{code}")]
            for code, name in LANGUAGE_NAMES.items()
        ]
    )
    await send(update, _("Choose your language:"), reply_markup=keyboard)


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Everything stored about the user, as a JSON file."""
    _ = tr(update, context)
    data = service(context).export(update.effective_user.id)
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await update.effective_chat.send_document(
        InputFile(io.BytesIO(payload), filename="entretien-reseau-export.json"),
        caption=_("All your data: preferences, transcripts and feedback."),
    )


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask for confirmation before deleting everything."""
    _ = tr(update, context)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("🗑 Yes, delete everything"), callback_data="forget:yes")],
            [InlineKeyboardButton(_("Keep my data"), callback_data="forget:no")],
        ]
    )
    await send(
        update,
        _(
            "Delete all your data (preferences, rehearsals, transcripts, feedback)? "
            "This cannot be undone."
        ),
        reply_markup=keyboard,
    )


async def invite_notes(update: Update, context: ContextTypes.DEFAULT_TYPE, ending) -> None:
    _ = translations(lang_of(update, context)).gettext
    service(context).storage.set_aftercare(update.effective_user.id, ending.meeting_id, "notes")
    await send(
        update,
        _(
            "📝 Now write your notes, as you would right after the meeting: date, person, "
            "place, subject, what you learned, the contacts given. One message; I will check "
            "them against what was said. (/skip to skip)"
        ),
    )


async def ask_for_thanks(
    update: Update, context: ContextTypes.DEFAULT_TYPE, meeting_id: int, meeting
) -> None:
    """The step after the notes: the user's next text is their thank-you draft."""
    _ = translations(meeting.lang).gettext
    service(context).storage.set_aftercare(update.effective_user.id, meeting_id, "thanks")
    await send(
        update,
        _(
            "✉️ Now draft the thank-you message you would send to {name} today. (/skip to skip)"
        ).format(name=escape(meeting.persona.name)),
    )


async def aftercare_text(update: Update, context: ContextTypes.DEFAULT_TYPE, step) -> None:
    """The user's notes, then their thank-you draft, checked against the meeting."""
    meeting_id, stage, meeting = step
    lang = meeting.lang
    _ = translations(lang).gettext
    storage = service(context).storage
    user_id = update.effective_user.id
    text = update.effective_message.text
    if stage == "notes":
        check = aftercare.check_notes(meeting, text)
        storage.add_note(user_id, meeting_id, "notes", text, check.score, check.to_json())
        lines = [_("📝 Your notes: {score}/100").format(score=check.score)]
        lines += [f"✓ {escape(item)}" for item in check.found]
        lines += [f"✗ {escape(item)}" for item in check.missing]
        await send(update, "\n".join(lines))
        await ask_for_thanks(update, context, meeting_id, meeting)
        return
    grade = aftercare.grade_thanks(meeting, text)
    storage.add_note(user_id, meeting_id, "thanks", text, grade.score, grade.to_json())
    storage.set_aftercare(user_id, None, None)
    lines = [_("✉️ Your thank-you message: {score}/100").format(score=grade.score)]
    lines += [f"→ {escape(advice)}" for advice in grade.advice]
    lines += ["", _("A version to start from:"), f"<blockquote>{escape(grade.better)}</blockquote>"]
    await send(update, "\n".join(lines))


async def skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Skip the notes or the thank-you step."""
    _ = tr(update, context)
    rehearsals = service(context)
    step = rehearsals.aftercare(update.effective_user.id)
    if step is None:
        await send(update, _("Nothing to skip."))
        return
    meeting_id, stage, meeting = step
    if stage == "notes":
        await ask_for_thanks(update, context, meeting_id, meeting)
    else:
        rehearsals.storage.set_aftercare(update.effective_user.id, None, None)
        await send(update, _("Skipped. /personas for your next rehearsal."))


async def notes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Past notes, newest last, with how complete they were."""
    _ = tr(update, context)
    rehearsals = service(context)
    rows = rehearsals.storage.notes(update.effective_user.id)
    if not rows:
        await send(update, _("No notes yet: after each meeting I ask for yours."))
        return
    title = _("Your notes")
    blocks = [f"📝 <b>{title}</b>"]
    for row in rows:
        persona = rehearsals.personas.personas.get(row["persona_id"])
        day = datetime.fromtimestamp(row["created_at"], UTC).strftime("%Y-%m-%d")
        who = escape(persona.name if persona else row["persona_id"])
        body = escape(row["text"][:600])
        blocks.append(f"<b>{day} · {who}</b> · {row['score']}/100\n{body}")
    for message in split_message(blocks):
        await send(update, message)


def schedule_reminders(update: Update, context: ContextTypes.DEFAULT_TYPE, meeting_id: int) -> bool:
    """Store the reminders of a finished meeting, with the user's consent just given."""
    rehearsals = service(context)
    user = update.effective_user
    row = rehearsals.storage.finished_meeting(meeting_id, user.id)
    if row is None or row.persona_id not in rehearsals.personas:
        return False
    persona = rehearsals.personas[row.persona_id]
    referral = persona.referral.name if "referral_given" in row.state.get("done", []) else None
    quiet = context.application.bot_data["quiet_hours"]
    for kind, due in reminders.schedule(row.ended_at or row.started_at, quiet).items():
        text = reminders.text(kind, row.lang, persona.name, referral)
        rehearsals.storage.add_reminder(user.id, update.effective_chat.id, kind, due, text)
    return True


async def reminders_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reminders on|off: after-meeting reminders, and the ones pending."""
    _ = tr(update, context)
    storage = service(context).storage
    user_id = update.effective_user.id
    choice = (context.args or [""])[0].lower()
    if choice in {"off", "non", "stop"}:
        cancelled = storage.set_reminders(user_id, on=False)
        await send(update, _("Reminders are off ({count} cancelled).").format(count=cancelled))
        return
    if choice in {"on", "oui"}:
        storage.set_reminders(user_id, on=True)
        await send(update, _("Reminders are on: I will offer them after each meeting."))
        return
    pending = storage.pending_reminders(user_id)
    state = _("on") if storage.reminders_on(user_id) else _("off")
    await send(
        update,
        _(
            "Reminders are {state}; {count} pending. /reminders off stops them, "
            "/reminders on restarts them."
        ).format(state=state, count=len(pending)),
    )


async def network(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The people met, those recommended but not met yet, and those still to earn."""
    _ = tr(update, context)
    lang = lang_of(update, context)
    met, unlocked, to_earn = service(context).network(update.effective_user.id)
    title = _("Your network")
    lines = [f"🕸 <b>{title}</b>"]
    if not (met or unlocked):
        lines.append(_("Nobody yet: every meeting you finish adds someone."))
    for persona in met:
        lines.append(f"✅ {escape(persona.name)} — {escape(persona.role.get(lang))}")
    for persona, via in unlocked:
        lines.append(
            "🔓 "
            + _("{name} — recommended by {via}, not met yet").format(
                name=escape(persona.name), via=escape(via.name)
            )
        )
    for persona in to_earn:
        lines.append(
            "🔒 " + _("{name} — earn a referral to meet them").format(name=escape(persona.name))
        )
    await send(update, "\n".join(lines))
    if met or unlocked:
        picture = await pictures.draw(
            network_png,
            [p.name for p in met],
            [(p.name, via.name) for p, via in unlocked],
            [p.name for p in to_earn],
            lang,
        )
        await update.effective_chat.send_photo(
            InputFile(io.BytesIO(picture), filename="network.png")
        )


async def history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Past rehearsals and the trend; from two rehearsals on, the progress chart."""
    lang = lang_of(update, context)
    entries = service(context).history(update.effective_user.id)
    await send(update, history_message(entries, lang))
    if len(entries) >= 2:
        points = [entry.to_chart() for entry in entries]
        picture = await pictures.draw(progress_png, points, lang)
        await update.effective_chat.send_photo(
            InputFile(io.BytesIO(picture), filename="progress.png"),
            caption=trend_line(points, lang),
        )


# -- buttons -----------------------------------------------------------------------------


async def answer(update: Update, text: str | None = None) -> None:
    """Acknowledge a button tap; a query that is already answered or too old is not an error.

    After a crash a tap can be delivered again once its query was already answered: the
    action must still happen.
    """
    try:
        await update.callback_query.answer(text)
    except BadRequest as exc:
        log.info("event=callback_answer_failed error=%r", exc)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Inline keyboard taps; data from an old or forged keyboard gets a polite answer."""
    query = update.callback_query
    _ = tr(update, context)
    kind, _sep, value = (query.data or "").partition(":")
    rehearsals = service(context)
    if kind == "persona" and value in rehearsals.personas:
        await answer(update)
        persona = rehearsals.personas[value]
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(_("▶️ Begin the meeting"), callback_data=f"begin:{value}")],
                [InlineKeyboardButton(_("↩️ Someone else"), callback_data="list:")],
            ]
        )
        via = rehearsals.storage.unlocked(update.effective_user.id).get(value)
        referred_by = rehearsals.personas.personas.get(via) if via else None
        card = briefing_card(persona, lang_of(update, context), referred_by)
        await edit_or_send(update, card, keyboard)
    elif kind == "begin" and value in rehearsals.personas:
        await answer(update)
        await begin(update, context, value)
    elif kind == "list":
        await answer(update)
        await edit_or_send(update, _("Who do you want to meet?"), persona_keyboard(update, context))
    elif kind == "remind":
        await answer(update)
        if value == "no":
            await edit_or_send(update, _("No reminder. /reminders on to change your mind."), None)
        elif value.isdigit() and schedule_reminders(update, context, int(value)):
            await edit_or_send(
                update, _("Done: a reminder tomorrow and one in two weeks (never at night)."), None
            )
        else:
            await answer(update, _("This button is no longer active."))
    elif kind == "forget" and value in {"yes", "no"}:
        await answer(update)
        if value == "yes":
            rehearsals.forget(update.effective_user.id, update.effective_chat.id)
            await edit_or_send(update, _("Done: everything about you has been deleted."), None)
        else:
            await edit_or_send(update, _("Nothing was deleted."), None)
    elif kind == "lang" and value in LANGUAGES:
        rehearsals.set_language(update.effective_user.id, value)
        _ = translations(value).gettext
        await answer(update)
        await edit_or_send(update, _("Language: English."), None)
    else:
        await answer(update, _("This button is no longer active."))


async def edit_or_send(update: Update, text: str, keyboard) -> None:
    try:
        await update.callback_query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=keyboard
        )
    except BadRequest as exc:  # message too old, deleted, or unchanged
        if "not modified" in str(exc).lower():
            return
        await send(update, text, reply_markup=keyboard)


async def begin(
    update: Update, context: ContextTypes.DEFAULT_TYPE, persona_id: str, *, exam: bool = False
) -> None:
    user = update.effective_user
    rehearsals = service(context)
    prefs = rehearsals.prefs(user.id, user.language_code)
    _ = translations(prefs.lang).gettext
    if rehearsals.current(update.effective_chat.id):
        await send(update, _("Your previous meeting was abandoned."))
    meeting = rehearsals.start(
        user_id=user.id,
        chat_id=update.effective_chat.id,
        persona_id=persona_id,
        lang=prefs.lang,
        hints=prefs.hints_on,
        exam=exam,
    )
    if exam:
        await send(update, briefing_card(meeting.persona, prefs.lang))
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
    scene += [persona_line(meeting.persona, line) for line in meeting.state.opening]
    await send(update, "\n\n".join(scene))


# -- the meeting -------------------------------------------------------------------------


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The user's line: the persona replies (after the typing indicator), maybe a hint."""
    _ = tr(update, context)
    chat = update.effective_chat
    rehearsals = service(context)
    if rehearsals.current(chat.id) is None:
        step = rehearsals.aftercare(update.effective_user.id)
        if step is not None:
            await aftercare_text(update, context, step)
            return
        await send(update, _("No meeting in progress. Choose someone with /personas."))
        return
    await chat.send_action(ChatAction.TYPING)
    meeting, result = rehearsals.say(chat.id, update.effective_message.text)
    lang = meeting.lang
    if result.notice:
        await send(update, escape(result.notice))
    if result.reply:
        # The hint rides in the same message, set apart: one notification per turn.
        hints = "".join(f"\n\n{coach_hint(hint, lang)}" for hint in result.hints)
        await send(update, persona_line(meeting.persona, result.reply) + hints)
    if result.ended:
        ending = rehearsals.end(chat.id, update.effective_user.id)
        if ending:
            await send_ending(update, context, ending)


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _ = tr(update, context)
    await send(
        update, _("Edits are not taken into account: send your corrected line as a new message.")
    )


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _ = tr(update, context)
    await send(update, _("I can only read text: type what you would say."))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _ = tr(update, context)
    await send(update, _("Unknown command. /help lists what I can do."))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log with the chat id, tell the user; the meeting state is already saved."""
    chat_id = (
        update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
    )
    log.error("event=error chat=%s error=%r", chat_id, context.error, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        _ = tr(update, context)
        try:
            await update.effective_chat.send_message(
                _(
                    "Sorry, something went wrong. Your meeting is saved: "
                    "please send your line again."
                )
            )
        except Exception:
            log.warning("event=error_reply_failed chat=%s", chat_id)
