"""Texts users read: the picker's labels, persona texts in the interface's typography,
the scorecard's caption."""

from __future__ import annotations

import re

import pytest

from devtools.emulator import BotApiEmulator
from tests.auxil.telegram import BotUnderTest, buttons, texts

CHAT = 1001
STRAIGHT = re.compile(r"\w'\w")


@pytest.mark.timeout(60)
async def test_the_picker_shows_difficulty_first_and_the_sector(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            labels = dict(
                (d, label) for label, d in buttons((await bot.send(CHAT, "/personas"))[0])
            )
            assert all(label.startswith("★") for label in labels.values())
            assert "Gérard Fontaine · Tourisme d’affaires et" in labels["persona:chatty_expert"]
            assert labels["persona:sceptic"].endswith(
                "Marc Olivier · Énergie solaire photovoltaïque"
            )
            # A long sector is cut at a word (the difficulty and the name always show).
            assert max(len(label) for label in labels.values()) <= 65
            assert not any(STRAIGHT.search(label) for label in labels.values())
            english = await bot.send(2002, "/personas", language_code="en")
            labels = {d: label for label, d in buttons(english[0])}
            assert "Business events" in labels["persona:chatty_expert"]
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_persona_texts_use_curly_apostrophes_in_french(tmp_path):
    lines = [
        "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans.",
        "Comment êtes-vous arrivé dans l'événementiel ?",
        "Qu'est-ce qui vous plaît le plus dans ce métier ?",
        "Pouvez-vous me décrire une journée type ?",
    ]
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            card = await bot.send(CHAT, "/start chatty_expert")
            assert not STRAIGHT.search(card[0]["text"]) and "’" in card[0]["text"]
            said = await bot.tap(CHAT, "begin:chatty_expert", card[0]["message_id"])
            for line in lines:
                said += await bot.send(CHAT, line)
            persona = [t for t in texts(said) if t.startswith("Gérard Fontaine\n")]
            assert len(persona) >= len(lines)
            assert not any(STRAIGHT.search(t) for t in persona), persona
            assert sum("’" in t for t in persona) >= 2
            # The user's own lines are never rewritten.
            assert [t.user for t in bot.rehearsals.current(CHAT)[1].state.turns] == lines

            ending = await bot.send(CHAT, "/end")
            [photo] = [item for item in ending if item["type"] == "photo"]
            assert photo["caption"].startswith("Votre bilan\u00a0: ")
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_long_notes_are_cut_at_a_word(tmp_path):
    words = ["Gérard", "Fontaine", "événementiel", "agence", "clients", "séminaires"]
    note = " ".join(words[i % len(words)] for i in range(120))  # ~1,000 characters
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            card = await bot.send(CHAT, "/start chatty_expert")
            await bot.tap(CHAT, "begin:chatty_expert", card[0]["message_id"])
            await bot.send(CHAT, "Comment êtes-vous arrivé dans l'événementiel ?")
            await bot.send(CHAT, "/end")
            await bot.send(CHAT, note)
            listed = (await bot.send(CHAT, "/notes"))[0]["text"]
            shown = listed.rsplit("\n", 1)[1]
            assert shown.endswith("…") and len(shown) <= 600
            assert shown[:-1].split()[-1] in words  # a whole word before the ellipsis
            assert note.startswith(shown[:-1])
        finally:
            await bot.stop()
