"""Edits in place after a committed tap go through the outbox (issue 14): recorded with the
tap's action, so a kill or a Telegram failure after the commit loses no answer, and sent
again harmlessly (the same edit twice leaves the message as once)."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.channels.telegram import outbox
from devtools.emulator import BotApiEmulator
from tests.auxil.telegram import BotUnderTest, buttons

CHAT = 1001


def committed(db) -> tuple[str | None, int]:
    """The user's language and the outbox's size, as committed (a connection of its own)."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT lang FROM users WHERE user_id = ?", (CHAT,)).fetchone()
        [waiting] = conn.execute("SELECT count(*) FROM outbox").fetchone()
        return (row[0] if row else None), waiting
    finally:
        conn.close()


@pytest.mark.timeout(60)
async def test_a_language_tap_commits_its_edit_with_the_choice(tmp_path):
    """When Telegram receives the edit, the choice and the edit are already committed
    together: a kill at that moment leaves the edit in the outbox, sent at the next start
    (before: the edit was sent directly after the commit, and a kill in between left the
    old buttons and no answer)."""
    db = tmp_path / "bot.sqlite3"
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, db).start()
        seen: list[tuple[str | None, int]] = []

        def received(item: dict) -> None:
            if item.get("type") == "edit_text":
                seen.append(committed(db))

        emulator.add_sent_listener(received)
        try:
            [picker] = await bot.send(CHAT, "/language")
            [edited] = await bot.tap(CHAT, "lang:en", picker["message_id"])
            assert edited["type"] == "edit_text" and edited["text"] == "Language: English."
            assert seen == [("en", 1)]  # the choice and its edit, one commit
            assert committed(db) == ("en", 0)  # deleted once Telegram had it
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_an_edit_telegram_failed_to_take_is_sent_again_not_an_error(tmp_path):
    """editMessageText answered 500 after the tap's commit: the user is not told that
    something went wrong (the choice was taken); the edit goes at the next check."""
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        bot.app.bot_data["outbox_check_seconds"] = 0.2
        try:
            [panel] = await bot.send(CHAT, "/settings")
            emulator.faults.force("500", method="editMessageText", times=1)
            sent = await bot.tap(CHAT, "setting:hints", panel["message_id"])
            assert sent == []  # no "sorry", no new message
            assert not bot.rehearsals.prefs(CHAT).hints_on
            for _ in range(100):  # the check picks it up once it is `SETTLE_SECONDS` old
                if emulator.sent_to(CHAT)[-1]["type"] == "edit_text":
                    break
                await asyncio.sleep(0.05)
            await bot.settle()
            edited = emulator.sent_to(CHAT)[-1]
            assert edited["type"] == "edit_text" and "désactivés" in edited["text"]
            assert len(emulator.sent_to(CHAT)) == 2  # the panel, and its one edit
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_an_edit_sent_twice_shows_once(tmp_path):
    """The outbox's window (a kill after Telegram applied an edit, before its row went):
    the edit is sent again at the next start; Telegram answers "not modified", which is
    done, not an error, and no new message is shown."""
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            [picker] = await bot.send(CHAT, "/language")
            await bot.tap(CHAT, "lang:en", picker["message_id"])
            before = len(emulator.sent_to(CHAT))
            replies = outbox.Replies(CHAT)
            replies.edit(picker["message_id"], "Language: English.")
            replies.buttons(picker["message_id"], None)
            with bot.rehearsals.storage.write() as unit:
                unit.outbox.add(CHAT, replies.messages, outbox.LEASE)
            assert await outbox.deliver(bot.app, CHAT)
            assert len(emulator.sent_to(CHAT)) == before
            with bot.rehearsals.storage.read() as unit:
                assert unit.outbox.count() == 0
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_hints_and_step_buttons_go_through_the_outbox(tmp_path):
    """The coach-hints switch redraws its keyboard, and 'Skip' on an after-care step drops
    its buttons, each recorded with the change (an editMessageReplyMarkup failing with 500
    after the commit is retried, not reported)."""
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        bot.app.bot_data["outbox_check_seconds"] = 0.2
        try:
            picker = (await bot.send(CHAT, "/personas"))[-1]
            await bot.tap(CHAT, "persona:chatty_expert", picker["message_id"])
            sent = await bot.tap(CHAT, "begin:chatty_expert", picker["message_id"])
            opening = next(item for item in sent if item["type"] == "message")
            hints = next(d for _, d in buttons(opening) if d.startswith("ctl:hints"))
            emulator.faults.force("500", method="editMessageReplyMarkup", times=1)
            sent = await bot.tap(CHAT, hints, opening["message_id"])
            assert sent == []
            assert not bot.rehearsals.prefs(CHAT).hints_on
            for _ in range(100):
                if any(i["type"] == "edit_reply_markup" for i in emulator.sent_to(CHAT)[-1:]):
                    break
                await asyncio.sleep(0.05)
            await bot.settle()
            redrawn = emulator.sent_to(CHAT)[-1]
            assert redrawn["type"] == "edit_reply_markup"
            assert redrawn["reply_markup"] != opening["reply_markup"]
        finally:
            await bot.stop()
