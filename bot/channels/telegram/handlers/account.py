"""What the user has done and owns: `/history`, `/network`, `/export`, `/forget`."""

from __future__ import annotations

import io
import json
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot.channels.telegram import pictures
from bot.channels.telegram.callbacks import Action, Callback
from bot.channels.telegram.formatting import history_message
from bot.channels.telegram.handlers.common import Context, lang_of, send, service, tr
from bot.charts import network_png, progress_png, trend_line
from bot.i18n import translations
from bot.typography import curly, elide


async def history(update: Update, context: Context) -> None:
    """Past rehearsals and the trend; from two rehearsals on, the progress chart."""
    lang = lang_of(update, context)
    entries = service(context).history(update.effective_user.id)
    zone = context.application.bot_data["quiet_hours"].zone  # the bot's TIME_ZONE
    await send(update, history_message(entries, lang, zone))
    if len(entries) >= 2:
        points = [entry.to_chart() for entry in entries]
        picture = await pictures.draw(progress_png, points, lang)
        await update.effective_chat.send_photo(
            InputFile(io.BytesIO(picture), filename="progress.png"),
            caption=trend_line(points, lang),
        )


async def network(update: Update, context: Context) -> None:
    """The people met, those recommended but not met yet, and those still to earn."""
    _ = tr(update, context)
    lang = lang_of(update, context)
    met, unlocked, to_earn = service(context).network(update.effective_user.id)
    title = _("Your network")
    lines = [f"🕸 <b>{title}</b>"]
    if not (met or unlocked):
        lines.append(_("Nobody yet: every meeting you finish adds someone."))
    for persona in met:
        lines.append(f"✅ {escape(persona.name)} — {escape(curly(persona.role.get(lang), lang))}")
    for persona, via in unlocked:
        line = _("{name} — recommended by {via}, not met yet").format(
            name=escape(persona.name), via=escape(via.name)
        )
        lines.append("🔓 " + elide(line, lang, escape(via.name)))
    for persona in to_earn:  # the picker offers them: not locked, just not recommended yet
        lines.append(
            "⚪ "
            + _("{name} — not met yet: /personas offers them; a recommendation would help").format(
                name=escape(persona.name)
            )
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


async def export(update: Update, context: Context) -> None:
    """Everything stored about the user, as a JSON file."""
    _ = tr(update, context)
    data = service(context).export(update.effective_user.id)
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await update.effective_chat.send_document(
        InputFile(io.BytesIO(payload), filename="entretien-reseau-export.json"),
        caption=_("All your data: preferences, transcripts and feedback."),
    )


async def forget(update: Update, context: Context) -> None:
    """Ask for confirmation before deleting everything; the buttons carry the question's
    language, since the answer comes once the preference is deleted."""
    lang = lang_of(update, context)
    _ = translations(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("🗑 Yes, delete everything"),
                    callback_data=Callback(Action.FORGET, f"yes.{lang}").encode(),
                )
            ],
            [
                InlineKeyboardButton(
                    _("Keep my data"), callback_data=Callback(Action.FORGET, f"no.{lang}").encode()
                )
            ],
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
