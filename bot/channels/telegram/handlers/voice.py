"""Voice notes: transcribed by the speech-to-text server `TRANSCRIPTION_URL` names, then
taken exactly as if the user had typed the transcript, which is shown first so the user
sees what was understood. Without a server, the user is told how it can be enabled."""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.channels.telegram.handlers.common import Context, lang_of, send, service, tr
from bot.channels.telegram.handlers.meeting import text_message
from bot.transcription import Transcriber, TranscriptionError

log = logging.getLogger(__name__)

#: A line of dialogue lasts seconds; a longer note is a monologue the persona would cut.
MAX_SECONDS = 120


async def voice(update: Update, context: Context) -> None:
    """A voice note, as the user's line (or notes, or thank-you draft)."""
    _ = tr(update, context)
    transcriber: Transcriber | None = context.application.bot_data.get("transcriber")
    if transcriber is None:
        await send(
            update,
            _(
                "🎙 Voice notes are not enabled on this bot: type what you would say. "
                "Whoever runs the bot can enable them by setting TRANSCRIPTION_URL to a "
                "speech-to-text server (see the README)."
            ),
        )
        return
    note = update.effective_message.voice
    # Whole seconds, as Telegram sends them (the `duration` property warns: it will turn
    # into a timedelta in PTB's next major version).
    seconds = int(note.to_dict().get("duration") or 0)
    if seconds > MAX_SECONDS:
        await send(
            update,
            _("🎙 That voice note is too long: keep each line under {seconds} seconds.").format(
                seconds=MAX_SECONDS
            ),
        )
        return
    chat = update.effective_chat
    await chat.send_action(ChatAction.TYPING)
    entry = service(context).current(chat.id)
    language = entry[1].lang if entry else lang_of(update, context)
    try:
        audio = await (await note.get_file()).download_as_bytearray()
        text = await transcriber.transcribe(bytes(audio), language=language)
    except (TelegramError, TranscriptionError) as exc:
        log.warning("event=transcription_failed chat=%s reason=%s", chat.id, exc)
        await send(
            update,
            _("🎙 I could not transcribe that voice note: please type your line, or try again."),
        )
        return
    log.info("event=voice_transcribed chat=%s seconds=%s", chat.id, seconds)
    if not text:
        await send(update, _("🎙 I heard nothing in that voice note: try again, or type it."))
        return
    await send(update, f"🎙 <i>{escape(text)}</i>", disable_notification=True)
    await text_message(update, context, text)
