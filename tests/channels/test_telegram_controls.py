"""A meeting's controls (clock, End, Undo, hints) end to end through the Bot API emulator,
in French and English: they ride on messages sent anyway (no extra call per turn), act only
on the meeting they were drawn for, and survive double taps. And `/forget` clears the
chat's own command menu."""

from __future__ import annotations

import re

import pytest

from devtools.emulator import BotApiEmulator
from tests.auxil.telegram import BotUnderTest, buttons, texts

CHAT = 1001
LINES = {
    "fr": [
        "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans. Je souhaite "
        "comprendre votre métier, je ne cherche pas de poste.",
        "Est-ce que je peux prendre quelques notes ?",
        "Pouvez-vous me décrire une journée type ?",
    ],
    "en": [
        "Hello, my name is Sam, I was a buyer for eight years. I'd like to understand your "
        "work, I'm not looking for a job.",
        "Do you mind if I take a few notes?",
        "Could you describe a typical day in your job?",
    ],
}
WORDS = {
    "fr": {
        "end": "🏁 Terminer",
        "undo": "↩️ Reprendre",
        "on": "💡 Conseils : oui",
        "off": "💡 Conseils : non",
        "hints_off": "Les conseils du coach sont désactivés.",
        "left": "Il reste environ",
        "taken": "Réplique reprise",
        "nothing": "Rien à reprendre.",
        "over": "Cet entretien est terminé",
        "feedback": "Votre bilan",
        "sure": "🏁 Oui, terminer : mon bilan",
    },
    "en": {
        "end": "🏁 End",
        "undo": "↩️ Undo",
        "on": "💡 Hints: on",
        "off": "💡 Hints: off",
        "hints_off": "Coach hints are off.",
        "left": "About",
        "taken": "Taken back",
        "nothing": "Nothing to take back.",
        "over": "This meeting is over",
        "feedback": "Your feedback",
        "sure": "🏁 Yes, end it: my feedback",
    },
}


def toast(emulator: BotApiEmulator, update: dict) -> str | None:
    return emulator.callback_answers[update["callback_query"]["id"]].get("text")


def controls(item: dict) -> dict[str, tuple[str, str]]:
    """The control buttons of a message, by what they do: {what: (label, data)}."""
    return {
        data.split(":")[1].split(".")[0]: (label, data)
        for label, data in buttons(item)
        if data.startswith("ctl:")
    }


def minutes(label: str) -> int:
    return int(re.fullmatch(r"⏱ (\d+) min", label).group(1))


async def choose_language(bot: BotUnderTest, lang: str) -> None:
    choice = await bot.send(CHAT, "/language")
    await bot.tap(CHAT, f"lang:{lang}", choice[0]["message_id"])


async def begin(bot: BotUnderTest, persona: str) -> dict:
    """Begin a meeting from its card; returns the meeting's first message."""
    picker = (await bot.send(CHAT, "/personas"))[-1]
    await bot.tap(CHAT, f"persona:{persona}", picker["message_id"])
    return (await bot.tap(CHAT, f"begin:{persona}", picker["message_id"]))[-1]


def tap(bot: BotUnderTest, data: str, message_id: int) -> dict:
    return bot.emulator.inject_callback(CHAT, data, message_id=message_id)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_controls_ride_on_replies_and_act_on_their_meeting_only(tmp_path, lang):
    words = WORDS[lang]
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            await choose_language(bot, lang)
            first = await begin(bot, "chatty_expert")
            meeting_id = bot.rehearsals.current(CHAT)[0]
            board = controls(first)
            assert set(board) == {"clock", "end", "undo", "hints"}
            assert minutes(board["clock"][0]) == 45  # the slot, untouched yet
            assert board["end"][0] == words["end"] and board["undo"][0] == words["undo"]
            assert board["hints"][0] == words["on"]
            assert all(f".{meeting_id}" in data for _label, data in board.values())

            # Each turn is one sendMessage, never an edit; every third reply has the controls.
            replies = []
            for line in LINES[lang]:
                sends = len(emulator.calls_for("sendMessage"))
                edits = len(emulator.calls_for("editMessageReplyMarkup"))
                sent = await bot.send(CHAT, line)
                assert len(emulator.calls_for("sendMessage")) == sends + 1 == sends + len(sent)
                assert len(emulator.calls_for("editMessageReplyMarkup")) == edits
                replies.append(sent[-1])
            assert [bool(controls(r)) for r in replies] == [False, False, True]
            third = replies[-1]
            board = controls(third)
            assert minutes(board["clock"][0]) < 45  # the clock moved
            assert board["undo"][1] == f"ctl:undo.{meeting_id}.3"

            # The clock: a toast with the minutes left; the keyboard stays.
            clock = tap(bot, board["clock"][1], third["message_id"])
            await bot.settle()
            assert toast(emulator, clock).startswith(words["left"])
            assert "45" in toast(emulator, clock)

            # Hints: switched off for this meeting, the button redrawn in place.
            hints = tap(bot, board["hints"][1], third["message_id"])
            await bot.settle()
            assert toast(emulator, hints) == words["hints_off"]
            assert controls(emulator.message(CHAT, third["message_id"]))["hints"][0] == words["off"]
            assert bot.rehearsals.current(CHAT)[1].state.hints_on is False

            # A double tap on Undo takes back one line, not two.
            before = len(emulator.sent_to(CHAT))
            undo_data = board["undo"][1]
            tap(bot, undo_data, third["message_id"])
            second = tap(bot, undo_data, third["message_id"])
            await bot.settle()
            sent = emulator.sent_to(CHAT)[before:]
            taken = [t for t in texts(sent) if t.startswith(words["taken"])]
            assert len(taken) == 1 and LINES[lang][2] in taken[0]
            assert toast(emulator, second) == words["nothing"]
            assert len(bot.rehearsals.current(CHAT)[1].state.turns) == 2
            # The answer to Undo carries fresh controls, with the hints as they are now.
            answer = next(s for s in sent if (s.get("text") or "").startswith(words["taken"]))
            assert controls(answer)["undo"][1] == f"ctl:undo.{meeting_id}.2"
            assert controls(answer)["hints"][0] == words["off"]

            # End asks first; "go on" brings the controls back, nothing ended.
            await bot.tap(CHAT, board["end"][1], third["message_id"])
            confirm = emulator.message(CHAT, third["message_id"])
            assert buttons(confirm)[0][0] == words["sure"]
            await bot.tap(CHAT, f"ctl:back.{meeting_id}", third["message_id"])
            assert "end" in controls(emulator.message(CHAT, third["message_id"]))
            assert bot.rehearsals.current(CHAT) is not None

            # Confirmed, from the first message's keyboard: the feedback, buttons gone.
            await bot.tap(CHAT, board["end"][1], first["message_id"])
            ended = await bot.tap(CHAT, f"ctl:sure.{meeting_id}", first["message_id"])
            assert any(words["feedback"] in t for t in texts(ended))
            assert bot.rehearsals.current(CHAT) is None
            assert not buttons(emulator.message(CHAT, first["message_id"]))

            # A new meeting: the old meeting's buttons only get a toast, never act on it.
            await begin(bot, "sceptic")
            current = bot.rehearsals.current(CHAT)
            for what in ("sure", "hints", "clock"):
                before = len(emulator.sent_to(CHAT))
                stale = tap(bot, f"ctl:{what}.{meeting_id}", third["message_id"])
                await bot.settle()
                assert toast(emulator, stale).startswith(words["over"])
                assert [s["type"] for s in emulator.sent_to(CHAT)[before:]] in (
                    ["edit_reply_markup"],  # the stale keyboard goes
                    [],  # already gone
                )
            stale_undo = tap(bot, f"ctl:undo.{meeting_id}.3", third["message_id"])
            await bot.settle()
            assert toast(emulator, stale_undo).startswith(words["over"])
            assert bot.rehearsals.current(CHAT)[0] == current[0]
            assert bot.rehearsals.current(CHAT)[1].state.hints_on is False
            assert not buttons(emulator.message(CHAT, third["message_id"]))

            # Forged or malformed control data is refused by the codec.
            forged = tap(bot, "ctl:end.x1", third["message_id"])
            await bot.settle()
            assert toast(emulator, forged) != toast(emulator, stale_undo)
            assert bot.rehearsals.current(CHAT)[0] == current[0]
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_an_exam_has_no_hints_switch(tmp_path, lang):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            await choose_language(bot, lang)
            sent = await bot.send(CHAT, "/exam")
            board = controls(sent[-1])
            assert set(board) == {"clock", "end", "undo"}
            meeting_id = bot.rehearsals.current(CHAT)[0]
            forged = tap(bot, f"ctl:hints.{meeting_id}", sent[-1]["message_id"])
            await bot.settle()
            assert toast(emulator, forged)  # explained, nothing changed
            assert bot.rehearsals.current(CHAT)[1].state.hints_on is False
            # /undo with nothing said, then a line: the answers carry no stray controls.
            assert not controls((await bot.send(CHAT, "/undo"))[-1])
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_forget_clears_the_chat_menu(tmp_path, lang):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            chat = {"type": "chat", "chat_id": CHAT}
            await choose_language(bot, lang)
            assert emulator.commands(chat)  # /language set this chat's menu
            question = await bot.send(CHAT, "/forget")
            yes = next(
                data for _label, data in buttons(question[-1]) if data.startswith("forget:yes")
            )
            await bot.tap(CHAT, yes, question[-1]["message_id"])
            assert emulator.commands(chat) is None
            assert emulator.commands({"type": "all_private_chats"}, lang)  # the app's menus stay
        finally:
            await bot.stop()
