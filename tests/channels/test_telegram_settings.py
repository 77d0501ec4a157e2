"""The bot's public face and preferences: descriptions in each language, a short command
menu that follows /language in that chat, and /settings with its buttons."""

from __future__ import annotations

import time

import pytest

from bot.channels.telegram.handlers.commands import COMMANDS, MENU
from devtools.emulator import BotApiEmulator
from tests.auxil.telegram import BotUnderTest, buttons

CHAT = 1001
PRIVATE = {"type": "all_private_chats"}
NBSP = "\u00a0"  # French puts one before ":" (the assertions read plain spaces)


def menu(emulator: BotApiEmulator, scope: dict, lang: str = "") -> dict[str, str]:
    return {c["command"]: c["description"] for c in emulator.commands(scope, lang) or []}


@pytest.mark.timeout(60)
async def test_descriptions_are_set_once_in_each_language(tmp_path):
    db = tmp_path / "bot.sqlite3"
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, db, DEFAULT_LANGUAGE="en").start()
        await bot.stop()
        french = emulator.description("description", "fr")
        english = emulator.description("description", "en")
        assert "entretiens réseau" in french and "networking interviews" in english
        assert emulator.description("description", "") == english  # DEFAULT_LANGUAGE
        assert "’" in french and "'" not in french  # the interface's apostrophes
        short_fr = emulator.description("short_description", "fr")
        assert "entretiens réseau" in short_fr and len(short_fr) <= 120
        short_en = emulator.description("short_description", "en")
        assert "coach" in short_en
        sets = len(emulator.calls_for("setMyDescription"))
        assert sets == 3 and len(emulator.calls_for("setMyShortDescription")) == 3

        # A restart with the same texts does not set them again (Telegram limits the calls).
        bot = await BotUnderTest(emulator, db, DEFAULT_LANGUAGE="en").start()
        await bot.stop()
        assert len(emulator.calls_for("setMyDescription")) == sets

        # Telegram refusing a description does not stop the bot.
        emulator.faults.force_answer(
            "setMyShortDescription",
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: refused"},
            times=10,
        )
        bot = await BotUnderTest(emulator, db).start()  # default now French: sets again
        try:
            assert emulator.description("description", "") == french
            assert emulator.description("short_description", "") == short_en  # refused
            answer = await bot.send(CHAT, "/help")
            assert answer and "/settings" in answer[0]["text"]
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_a_short_menu_that_follows_the_chosen_language(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            french, english = menu(emulator, PRIVATE, "fr"), menu(emulator, PRIVATE, "en")
            assert list(french) == list(english) == list(MENU)
            assert {"skip", "forget", "cancel", "language"}.isdisjoint(french)
            assert french["settings"] != english["settings"]
            help_text = (await bot.send(CHAT, "/help"))[0]["text"]
            assert all(f"/{name}" in help_text for name in COMMANDS)  # /help lists them all

            chat = {"type": "chat", "chat_id": CHAT}
            assert emulator.commands(chat) is None
            choice = await bot.send(CHAT, "/language")
            await bot.tap(CHAT, "lang:en", choice[0]["message_id"])
            assert menu(emulator, chat) == english  # this chat's menu, whatever the app language
            panel = await bot.send(CHAT, "/settings")
            await bot.tap(CHAT, "setting:fr", panel[0]["message_id"])
            assert menu(emulator, chat) == french
            assert menu(emulator, {"type": "chat", "chat_id": 2002}) == {}
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_settings_show_and_change_the_preferences(tmp_path):
    env = {"QUIET_HOURS": "22-7", "TIME_ZONE": "America/Montreal"}
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3", **env).start()
        try:
            [panel] = await bot.send(CHAT, "/settings")
            text = panel["text"].replace(NBSP, " ")
            assert "Langue : Français" in text
            assert "Indices du coach : activés" in text
            assert "Rappels après un entretien : activés, 0 en attente" in text
            assert "entre 22 h et 7 h (America/Montreal)" in text
            assert "/export" in text and "/forget" in text
            assert [d for _, d in buttons(panel)] == [
                "setting:en",
                "setting:hints",
                "setting:reminders",
            ]
            message_id = panel["message_id"]

            [edited] = await bot.tap(CHAT, "setting:hints", message_id)
            text = edited["text"].replace(NBSP, " ")
            assert edited["type"] == "edit_text" and "Indices du coach : désactivés" in text
            assert not bot.rehearsals.prefs(CHAT).hints_on
            assert ("💡 Activer les indices du coach", "setting:hints") in buttons(edited)

            [edited] = await bot.tap(CHAT, "setting:reminders", message_id)
            text = edited["text"].replace(NBSP, " ")
            assert "Rappels après un entretien : désactivés" in text
            assert "America/Montreal" not in text  # quiet hours matter only when on
            assert bot.rehearsals.reminders(CHAT) == (False, 0)

            [edited] = await bot.tap(CHAT, "setting:en", message_id)
            assert "Language: English" in edited["text"] and "Coach hints: off" in edited["text"]
            assert buttons(edited)[0] == ("🇫🇷 Français", "setting:fr")
            assert bot.rehearsals.prefs(CHAT).lang == "en"

            # A forged value is refused by the codec.
            emulator.inject_callback(CHAT, "setting:de", message_id=message_id)
            await bot.settle()
            assert "no longer active" in list(emulator.callback_answers.values())[-1]["text"]
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_a_slow_description_call_does_not_hold_the_start(tmp_path, monkeypatch):
    from bot.channels.telegram import app

    monkeypatch.setattr(app, "DESCRIPTIONS_TIMEOUT", 0.5)
    async with BotApiEmulator() as emulator:
        emulator.faults.delay = 30  # like a long "retry after" on a cosmetic call
        emulator.faults.force("delay", method="getMyDescription", times=1)
        started = time.monotonic()
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        assert time.monotonic() - started < 10
        try:
            answer = await bot.send(CHAT, "/help")
            assert answer and "/settings" in answer[0]["text"]
        finally:
            await bot.stop()
