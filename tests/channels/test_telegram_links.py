"""Deep links: `t.me/<bot>?start=<persona>` opens that persona's card; commands typed in a
group answer with a button to the private chat instead of rehearsing there."""

from __future__ import annotations

import pytest

from devtools.emulator import BotApiEmulator
from tests.auxil.telegram import BotUnderTest, buttons, texts

CHAT = 1001
GROUP = -500


def urls(item: dict) -> list[str]:
    rows = (item.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["url"] for row in rows for button in row if "url" in button]


@pytest.mark.timeout(60)
async def test_a_deep_link_opens_the_persona_card_and_begins(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            [card] = await bot.send(CHAT, "/start sceptic")
            persona = bot.rehearsals.personas["sceptic"]
            assert card["text"].startswith(f"{persona.name} — ")  # the card, no welcome
            assert "entretien réseau" not in card["text"]
            assert buttons(card) == [
                ("▶️ Commencer l’entretien", "begin:sceptic"),
                ("↩️ Quelqu’un d’autre", "list:"),
            ]
            opening = await bot.tap(CHAT, "begin:sceptic", card["message_id"])
            assert any(persona.name in t for t in texts(opening))
            assert bot.rehearsals.current(CHAT)[1].persona.id == "sceptic"

            # The same link in English gives the English card.
            [english] = await bot.send(2002, "/start chatty_expert", language_code="en")
            assert "minutes scheduled" in english["text"]
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_an_unknown_link_gives_the_welcome_with_a_note(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            for payload in ("nobody_here", "from-group", ""):
                [welcome] = await bot.send(CHAT, f"/start {payload}".strip())
                assert "entretien réseau" in welcome["text"]
                assert len(buttons(welcome)) == len(bot.rehearsals.personas.speaking("fr"))
                noted = "Ce lien ne mène à personne" in welcome["text"]
                assert noted == (payload == "nobody_here"), payload
            [english] = await bot.send(2002, "/start nobody_here", language_code="en")
            assert "That link leads to nobody I know" in english["text"]
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_commands_in_a_group_answer_with_a_button_to_the_private_chat(tmp_path):
    async with BotApiEmulator(bot_username="rehearsal_test_bot") as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            [said] = await bot.send(GROUP, "/personas", chat_type="group")
            assert "privé" in said["text"]
            assert urls(said) == ["https://t.me/rehearsal_test_bot?start=from-group"]
            [said] = await bot.send(GROUP, "/start@rehearsal_test_bot sceptic", chat_type="group")
            assert urls(said) == ["https://t.me/rehearsal_test_bot?start=sceptic"]
            [said] = await bot.send(GROUP, "/start nobody", chat_type="group")
            assert urls(said) == ["https://t.me/rehearsal_test_bot?start=from-group"]
            # Nothing was rehearsed in the group, and plain talk there gets no answer.
            assert bot.rehearsals.current(GROUP) is None
            assert await bot.send(GROUP, "bonjour tout le monde", chat_type="group") == []
        finally:
            await bot.stop()
