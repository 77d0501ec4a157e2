"""Voice notes: with a speech-to-text server set (TRANSCRIPTION_URL), a voice note is the
user's line, transcript shown first; without one, the user is told how to enable it.

The server here is a local fake of OpenAI's `/v1/audio/transcriptions`, started by the
test; the voice note goes through the emulator's getFile and file download like in
production.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from aiohttp import web

from bot.transcription import endpoint
from devtools.emulator import BotApiEmulator
from tests.auxil.telegram import BotUnderTest, texts

CHAT = 1001
AUDIO = b"OggS\x00\x02a-voice-note-of-the-test" * 40


@dataclass
class FakeWhisper:
    """Answers each transcription request with the next of `answers`: a text, or an HTTP
    status to fail with; records what it received."""

    answers: list[str | int]
    requests: list[dict] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form["file"]
        self.requests.append(
            {
                "path": request.path,
                "authorization": request.headers.get("Authorization"),
                "model": form.get("model"),
                "language": form.get("language"),
                "audio": upload.file.read(),
                "filename": upload.filename,
            }
        )
        answer = self.answers.pop(0)
        if isinstance(answer, int):
            return web.json_response({"error": {"message": "model crashed"}}, status=answer)
        return web.json_response({"text": answer})

    async def __aenter__(self) -> FakeWhisper:
        app = web.Application()
        app.router.add_post("/v1/audio/transcriptions", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self._runner.cleanup()


async def speak(bot: BotUnderTest, chat: int, **kwargs) -> list[dict]:
    before = len(bot.emulator.sent_to(chat))
    bot.emulator.inject_voice(chat, **kwargs)
    await bot.settle()
    return bot.emulator.sent_to(chat)[before:]


async def begin(bot: BotUnderTest, persona: str) -> None:
    card = await bot.send(CHAT, f"/start {persona}")
    await bot.tap(CHAT, f"begin:{persona}", card[-1]["message_id"])


@pytest.mark.timeout(60)
async def test_without_a_server_the_user_is_told_how_to_enable_voice(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            await begin(bot, "chatty_expert")
            [answer] = await speak(bot, CHAT, data=AUDIO)
            assert "vocaux ne sont pas activés" in answer["text"]
            assert "TRANSCRIPTION_URL" in answer["text"] and "tapez" in answer["text"]
            assert bot.rehearsals.current(CHAT)[1].state.turns == []
            assert emulator.calls_for("getFile") == []
            [english] = await speak(bot, 2002, language_code="en")
            assert "Voice notes are not enabled" in english["text"]
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_a_voice_note_is_the_users_line(tmp_path):
    line = "Bonjour, je m’appelle Camille. Comment êtes-vous arrivé dans l’événementiel ?"
    async with FakeWhisper([line, "  ", 500, "Vous aimez votre <b>métier</b> ?"]) as whisper:
        env = {
            "TRANSCRIPTION_URL": whisper.url,
            "TRANSCRIPTION_MODEL": "Systran/faster-whisper-small",
            "TRANSCRIPTION_API_KEY": "local-key",
        }
        async with BotApiEmulator() as emulator:
            bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3", **env).start()
            try:
                await begin(bot, "chatty_expert")
                understood, reply = await speak(bot, CHAT, data=AUDIO)
                assert understood["text"] == f"🎙 {line}"
                shown = emulator.calls_for("sendMessage")[-2].params
                assert shown["text"] == f"🎙 <i>{line}</i>" and shown.get("disable_notification")
                assert reply["text"].startswith("Gérard Fontaine")
                meeting = bot.rehearsals.current(CHAT)[1]
                assert [t.user for t in meeting.state.turns] == [line]
                [request] = whisper.requests
                assert request == {
                    "path": "/v1/audio/transcriptions",
                    "authorization": "Bearer local-key",
                    "model": "Systran/faster-whisper-small",
                    "language": "fr",
                    "audio": AUDIO,
                    "filename": "voice.ogg",
                }

                # Silence, then a server error: a clear message, nothing said in the meeting.
                [silence] = await speak(bot, CHAT)
                assert "rien entendu" in silence["text"]
                [failed] = await speak(bot, CHAT)
                assert "pas pu transcrire" in failed["text"]
                assert len(bot.rehearsals.current(CHAT)[1].state.turns) == 1

                # The transcript is the user's text: shown literally, not as markup.
                understood, reply = await speak(bot, CHAT)
                assert understood["text"] == "🎙 Vous aimez votre <b>métier</b> ?"
                assert len(bot.rehearsals.current(CHAT)[1].state.turns) == 2

                # Too long: refused before downloading anything.
                files = len(emulator.calls_for("getFile"))
                [long] = await speak(bot, CHAT, duration=600)
                assert "trop long" in long["text"]
                assert len(emulator.calls_for("getFile")) == files and whisper.answers == []
            finally:
                await bot.stop()


@pytest.mark.timeout(60)
async def test_an_unreachable_server_gets_a_clear_message(tmp_path):
    async with FakeWhisper([]) as whisper:
        url = whisper.url  # closed when the block ends: nothing listens there any more
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3", TRANSCRIPTION_URL=url).start()
        try:
            [answer] = await speak(bot, CHAT, language_code="en")
            assert "could not transcribe" in answer["text"]
            assert "No meeting" in texts(await bot.send(CHAT, "hello", language_code="en"))[0]
        finally:
            await bot.stop()


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/v1/audio/transcriptions"),
        ("http://127.0.0.1:8000/v1/", "http://127.0.0.1:8000/v1/audio/transcriptions"),
        ("https://api.openai.com/v1/audio/transcriptions", None),
        ("http://whisper.lan/stt/v1/audio/transcriptions/", None),
    ],
)
def test_the_setting_may_name_the_server_or_the_endpoint(setting, expected):
    assert endpoint(setting) == (expected or setting.rstrip("/"))
