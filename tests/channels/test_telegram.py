"""The Telegram bot end to end: the real PTB application against the local Bot API emulator.

Each test reads like a user's session; nothing here reaches the internet.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import stat
import struct

import pytest

from bot.channels.telegram.formatting import shorten, split_message
from devtools.emulator import BotApiEmulator
from tests.auxil.telegram import BotUnderTest, buttons, texts

CHAT = 1001
INTRO_FR = (
    "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans chez Leroy Merlin. "
    "C'est Marc Aubert qui m'a donné votre nom. Je souhaite mieux comprendre le métier de "
    "contrôleur de gestion, je ne cherche pas de poste."
)


async def open_meeting(bot: BotUnderTest, chat: int, persona: str, **kw) -> list[dict]:
    sent = await bot.send(chat, "/personas", **kw)
    picker = sent[-1]
    assert any(data == f"persona:{persona}" for _, data in buttons(picker))
    card = await bot.tap(chat, f"persona:{persona}", picker["message_id"], **kw)
    begin = [d for _, d in buttons(card[-1]) if d.startswith("begin:")]
    assert begin == [f"begin:{persona}"]
    return await bot.tap(chat, begin[0], card[-1]["message_id"], **kw)


@pytest.mark.timeout(60)
async def test_a_whole_rehearsal(tmp_path):
    """/start, pick a persona, read the briefing, talk, /end, read the feedback."""
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            welcome = await bot.send(CHAT, "/start")
            assert "entretien réseau" in welcome[0]["text"]
            assert len(buttons(welcome[0])) == 7

            card = await bot.tap(CHAT, "persona:busy_executive", welcome[0]["message_id"])
            assert card[0]["type"] == "edit_text"
            assert "Catherine Delmas" in card[0]["text"] and "15 minutes" in card[0]["text"]
            opening = await bot.tap(CHAT, "begin:busy_executive", welcome[0]["message_id"])
            assert any("Catherine Delmas" in t for t in texts(opening))

            reply = await bot.send(CHAT, INTRO_FR)
            assert reply[0]["text"].startswith("Catherine Delmas")

            closed = await bot.send(CHAT, "Vous travaillez beaucoup avec les banques ?")
            assert len(closed) == 1
            persona_said, hint = closed[0]["text"].split("\n\n💡 ")
            assert persona_said.startswith("Catherine Delmas") and hint.startswith("Coach")

            tricky = "Pouvez-vous décrire une journée type <b>vraiment</b> & concrète ?"
            await bot.send(CHAT, tricky)
            ending = await bot.send(CHAT, "/end")
            body = "\n".join(texts(ending))
            assert "/100" in body
            assert "Vous travaillez beaucoup avec les banques ?" in body  # evidence and rewording
            assert "<b>vraiment</b> &" in body  # user text shown literally, not as markup
            assert all(len(t) <= 4096 for t in texts(ending))
            [photo] = [item for item in ending if item["type"] == "photo"]
            png = photo["photo"]
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and 10_000 < len(png) < 400_000
            width, height = struct.unpack(">II", png[16:24])
            assert width >= 800 and height >= 800
            assert "/100" in photo["caption"]
            row = bot.rehearsals.past_meetings(CHAT)[-1]
            assert row.status == "finished" and row.feedback["criteria"].keys() >= {"respect"}
            # A quick reply needs no "typing…": one call per line on the hot path.
            assert emulator.calls_for("sendChatAction") == []
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_commands_registered_in_both_languages(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            scope = {"type": "all_private_chats"}
            french = {c["command"]: c["description"] for c in emulator.commands(scope, "fr")}
            english = {c["command"]: c["description"] for c in emulator.commands(scope, "en")}
            expected = {
                "start",
                "personas",
                "end",
                "undo",
                "exam",
                "history",
                "network",
                "settings",
                "help",
            }
            assert set(french) == set(english) == expected
            assert french["end"] != english["end"]
            help_text = (await bot.send(CHAT, "/help"))[0]["text"]
            assert all(f"/{name}" in help_text for name in expected | {"skip", "forget"})
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_meeting_survives_a_restart(tmp_path):
    db = tmp_path / "bot.sqlite3"
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, db).start()
        await open_meeting(bot, CHAT, "chatty_expert")
        await bot.send(CHAT, INTRO_FR)
        first = await bot.send(CHAT, "Comment êtes-vous arrivé dans l'événementiel ?")
        await bot.stop()

        bot = await BotUnderTest(emulator, db).start()
        try:
            again = await bot.send(CHAT, "Qu'est-ce qui vous plaît le plus dans ce métier ?")
            assert again[0]["text"].startswith("Gérard Fontaine")
            assert again[0]["text"] != first[0]["text"]
            meeting = bot.rehearsals.current(CHAT)[1]
            assert len(meeting.state.turns) == 3
            ending = await bot.send(CHAT, "/end")
            assert "Comment êtes-vous arrivé dans l'événementiel ?" in "\n".join(texts(ending))
        finally:
            await bot.stop()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


@pytest.mark.timeout(60)
async def test_an_update_delivered_twice_is_handled_once(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            await open_meeting(bot, CHAT, "chatty_expert")
            update = emulator.inject_message(CHAT, INTRO_FR)
            await bot.settle()
            count = len(emulator.sent_to(CHAT))
            emulator.inject_again(update)
            await bot.settle()
            assert len(emulator.sent_to(CHAT)) == count
            assert len(bot.rehearsals.current(CHAT)[1].state.turns) == 1
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_two_chats_at_once_keep_their_own_meetings(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            await open_meeting(bot, 1, "laconic_host")
            await open_meeting(bot, 2, "chatty_expert", language_code="en")
            lines = {
                1: ["Bonjour, je suis Paul.", "Vous aimez votre travail ?", "Merci."],
                2: ["Hi, I'm Dana.", "How did you start your agency?", "Thanks a lot."],
            }
            for i in range(3):
                emulator.inject_message(1, lines[1][i])
                emulator.inject_message(2, lines[2][i], language_code="en")
            await bot.settle()
            for chat in (1, 2):
                meeting = bot.rehearsals.current(chat)[1]
                assert [t.user for t in meeting.state.turns] == lines[chat]
            assert bot.rehearsals.current(1)[1].persona.id == "laconic_host"
            assert bot.rehearsals.current(2)[1].lang == "en"
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_manners(tmp_path):
    """Groups, stickers, photos, documents, edits, unknown commands, old buttons (voice
    notes: test_telegram_voice.py)."""
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            group = -500
            said = await bot.send(group, "/start", chat_type="group")
            assert len(said) == 1 and "privé" in said[0]["text"]
            assert await bot.send(group, "bonjour tout le monde", chat_type="group") == []

            await open_meeting(bot, CHAT, "sceptic")
            for inject in (
                emulator.inject_sticker,
                emulator.inject_photo,
                emulator.inject_document,
            ):
                before = len(emulator.sent_to(CHAT))
                inject(CHAT)
                await bot.settle()
                answer = emulator.sent_to(CHAT)[before:]
                assert len(answer) == 1 and "texte" in answer[0]["text"]
            answer = await bot.send(CHAT, "/foo")
            assert len(answer) == 1 and "/help" in answer[0]["text"]
            before = len(emulator.sent_to(CHAT))
            emulator.inject_edited_message(CHAT, "corrigé", message_id=1)
            await bot.settle()
            assert "nouveau message" in emulator.sent_to(CHAT)[before]["text"]

            for data in ("begin:nobody", "garbage", "persona:" + "x" * 50, ""):
                emulator.inject_callback(CHAT, data, message_id=999)
            await bot.settle()
            answers = list(emulator.callback_answers.values())[-4:]
            assert all("plus active" in (a.get("text") or "") for a in answers)
            # The meeting went on untouched.
            assert bot.rehearsals.current(CHAT)[1].persona.id == "sceptic"
            for text in ("", "🙂🙂🙂", "x" * 10_000):
                reply = await bot.send(CHAT, text or " ")
                assert reply and all(len(t) <= 4096 for t in texts(reply))
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_coach_language_history_cancel(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            off = await bot.send(CHAT, "/coach")
            assert "désactivés" in off[0]["text"]
            await open_meeting(bot, CHAT, "laconic_host")
            silent = await bot.send(CHAT, "Vous aimez votre travail ?")
            assert not any("💡" in t for t in texts(silent))
            await bot.send(CHAT, "/end")

            menu = await bot.send(CHAT, "/language")
            done = await bot.tap(CHAT, "lang:en", menu[0]["message_id"])
            assert "English" in done[0]["text"]
            await open_meeting(bot, CHAT, "curious_host")
            assert bot.rehearsals.current(CHAT)[1].lang == "en"
            assert "abandoned" in (await bot.send(CHAT, "/cancel"))[0]["text"]
            assert "No meeting" in (await bot.send(CHAT, "/end"))[0]["text"]

            await open_meeting(bot, CHAT, "chatty_expert")
            await bot.send(CHAT, "Hello, I'm Sam. Thank you for your time!")
            await bot.send(CHAT, "/end")
            history = (await bot.send(CHAT, "/history"))[0]["text"]
            assert "Nadia Berrada" in history and "Gérard Fontaine" in history
            assert "Thomas Nguyen" not in history  # cancelled meetings are not scored
            assert "Trend" in history
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_persona_ends_the_meeting_and_feedback_follows(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            await open_meeting(bot, CHAT, "sceptic")
            sent = await bot.send(CHAT, "Vous êtes nul, franchement.")
            body = "\n".join(texts(sent))
            assert "/100" in body  # feedback followed the persona leaving
            assert bot.rehearsals.current(CHAT) is None
            rows = (
                sqlite3.connect(tmp_path / "bot.sqlite3")
                .execute("SELECT status, json_extract(state, '$.ended_by') FROM meetings")
                .fetchall()
            )
            assert rows == [("finished", "persona_rude")]
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_a_reply_telegram_failed_to_take_is_sent_again_not_asked_again(tmp_path):
    """The turn was taken: the user is not told to send the line again (obeying would
    apply it twice); the reply waits in the outbox and goes out once Telegram takes it."""
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        bot.app.bot_data["outbox_check_seconds"] = 0.3
        try:
            await open_meeting(bot, CHAT, "chatty_expert")
            emulator.faults.force("500", method="sendMessage", times=1)
            before = len(emulator.sent_to(CHAT))
            emulator.inject_message(CHAT, INTRO_FR)
            reply = (await emulator.wait_for_messages(CHAT, before + 1, timeout=10))[before]
            assert reply["text"].startswith("Gérard Fontaine")
            assert len(bot.rehearsals.current(CHAT)[1].state.turns) == 1  # taken once
            reply = await bot.send(CHAT, "Comment est organisée votre agence ?")
            assert not any("Désolé" in t for t in texts(emulator.sent_to(CHAT)))
            assert reply[0]["text"].startswith("Gérard Fontaine")
            with bot.rehearsals.storage.read() as unit:
                assert unit.outbox.count() == 0
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_webhook_mode(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3", webhook=True).start()
        try:
            assert emulator.webhook_url and emulator.webhook_url.endswith("/telegram")
            await open_meeting(bot, CHAT, "laconic_host")
            reply = await bot.send(CHAT, "Vous aimez votre travail ?")
            assert reply[0]["text"].split("\n")[1] in {"Oui.", "Ouais.", "Non.", "Non !"}
            assert all(a.status == 200 for a in emulator.webhook_attempts)
        finally:
            await bot.stop()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("court", "court"),
        ("un deux trois quatre", "un deux…"),
        ("un deux, trois quatre", "un deux…"),
        ("x" * 30, "x" * 9 + "…"),
    ],
)
def test_shorten_cuts_at_a_word(text, expected):
    assert shorten(text, 10) == expected
    assert len(shorten(text, 10)) <= 10


def test_split_message_respects_the_limit():
    blocks = ["a" * 3000, "b" * 3000, "c" * 9000, "d"]
    parts = split_message(blocks)
    assert all(len(p) <= 4096 for p in parts)
    assert "".join(parts).replace("\n", "") == "".join(blocks)


def test_rate_limiter_is_on_by_default(tmp_path):
    from bot.channels.telegram.app import create
    from bot.settings import Settings

    settings = Settings.from_env(
        {"TELEGRAM_BOT_TOKEN": "1:x", "DATABASE_URL": f"sqlite:///{tmp_path}/b.sqlite3"}
    )
    app = create(settings)
    assert app.bot.rate_limiter is not None
    asyncio.run(asyncio.sleep(0))


@pytest.mark.timeout(60)
async def test_export_and_forget(tmp_path):
    """/export sends all the user's data; /forget deletes it after confirmation."""
    db = tmp_path / "bot.sqlite3"
    marker = "Zéphyrine-Quetzalcoatl-4242"
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, db).start()
        try:
            await bot.send(CHAT, "/coach")
            await open_meeting(bot, CHAT, "chatty_expert")
            await bot.send(CHAT, f"Bonjour, je m'appelle {marker}, je suis acheteuse.")
            await bot.send(CHAT, "/end")
            await open_meeting(bot, CHAT, "laconic_host")
            await bot.send(CHAT, f"Je reviens, {marker} encore. Vous aimez votre métier ?")

            sent = await bot.send(CHAT, "/export")
            document = next(item for item in sent if item["type"] == "document")
            data = json.loads(document["document"])
            assert data["preferences"] == {
                "language": "fr",
                "coach_hints": False,
                "reminders": True,
            }
            assert [m["status"] for m in data["meetings"]] == ["finished", "active"]
            started = data["meetings"][0]["started_at"]
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", started), started
            assert data["meetings"][1]["ended_at"] is None
            assert marker in data["meetings"][0]["transcript"][0]["user"]
            assert data["meetings"][0]["feedback"]["score"] >= 0

            ask = await bot.send(CHAT, "/forget")
            assert {d for _, d in buttons(ask[0])} == {"forget:yes.fr", "forget:no.fr"}
            kept = await bot.tap(CHAT, "forget:no.fr", ask[0]["message_id"])
            assert "Rien" in kept[0]["text"]
            assert bot.rehearsals.export(CHAT)["meetings"]
            done = await bot.tap(CHAT, "forget:yes.fr", ask[0]["message_id"])
            assert "supprimé" in done[0]["text"]
            assert bot.rehearsals.current(CHAT) is None
            assert "Aucune" in (await bot.send(CHAT, "/history"))[0]["text"]
        finally:
            await bot.stop()
    con = sqlite3.connect(db)
    for table in ("users", "meetings", "notes", "aftercare", "network", "reminders"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    con.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("bot.sqlite3"))
    assert marker.encode() not in raw  # not even in free pages or the WAL


@pytest.mark.timeout(60)
async def test_undo_restores_the_exact_state(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            assert "Rien à reprendre" in (await bot.send(CHAT, "/undo"))[0]["text"]
            await open_meeting(bot, CHAT, "chatty_expert")
            await bot.send(CHAT, INTRO_FR)
            before = bot.rehearsals.current(CHAT)[1].to_dict()
            first = await bot.send(CHAT, "Vous aimez votre travail ?")
            taken = await bot.send(CHAT, "/undo")
            assert "Vous aimez votre travail ?" in taken[0]["text"]
            after = bot.rehearsals.current(CHAT)[1].to_dict()
            assert after.pop("takebacks") == 1 and before.pop("takebacks") == 0
            assert after == before  # same phase, clock, trust, choices
            again = await bot.send(CHAT, "Vous aimez votre travail ?")
            assert again[0]["text"] == first[0]["text"]  # same reply to the same line
            ending = await bot.send(CHAT, "/end")
            stored = bot.rehearsals.past_meetings(CHAT)[-1]
            assert stored.feedback["stats"]["takebacks"] == 1
            assert len(stored.state["turns"]) == 2
            assert ending
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_next_step_button_and_exam_mode(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            await open_meeting(bot, CHAT, "chatty_expert")
            await bot.send(CHAT, "Vous aimez votre travail ?")
            ending = await bot.send(CHAT, "/end")
            step = next(item for item in ending if item["type"] == "photo")
            assert "Prochaine étape" in step["caption"]
            [(label, data), skip, done] = buttons(step)  # the notes step rides on it
            persona_id = data.removeprefix("begin:")
            assert persona_id in bot.rehearsals.personas and label.startswith("▶️")
            assert skip[1].startswith("after:skip.notes.") and done[1].startswith("after:done.")
            # Skipping the notes takes the step's buttons away, not the next step's.
            await bot.tap(CHAT, skip[1], step["message_id"])
            [kept] = [
                item
                for item in emulator.sent_to(CHAT)
                if item["type"] == "edit_reply_markup" and item["message_id"] == step["message_id"]
            ]
            assert buttons(kept) == [(label, data)]
            await bot.tap(CHAT, data, step["message_id"])
            assert bot.rehearsals.current(CHAT)[1].persona.id == persona_id
            await bot.send(CHAT, "/cancel")

            started = await bot.send(CHAT, "/exam")
            meeting = bot.rehearsals.current(CHAT)[1]
            assert meeting.state.exam and not meeting.state.hints_on
            assert any("Examen" in t for t in texts(started))
            silent = await bot.send(CHAT, "Vous voyagez beaucoup ?")
            assert not any("💡" in t for t in texts(silent))
            await bot.send(CHAT, "/coach")  # hints cannot be switched on during an exam
            assert not bot.rehearsals.current(CHAT)[1].state.hints_on
            await bot.send(CHAT, "/end")
            history = (await bot.send(CHAT, "/history"))[0]["text"]
            assert "examen" in history
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_progress_chart_after_three_rehearsals(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            scripts = [
                ["Vous aimez votre travail ?"],
                [INTRO_FR, "Vous voyagez beaucoup ?", "Pouvez-vous me décrire une journée type ?"],
                [
                    INTRO_FR,
                    "Est-ce que je peux prendre quelques notes ?",
                    "Pouvez-vous me décrire une journée type ?",
                    "Qu'est-ce qui vous plaît le plus dans ce métier ?",
                    "Connaissez-vous quelqu'un que je devrais rencontrer ?",
                    "Merci beaucoup, je vous tiendrai au courant.",
                ],
            ]
            for i, script in enumerate(scripts):
                one = await bot.send(CHAT, "/history")
                assert not any(item["type"] == "photo" for item in one) or i >= 2
                await open_meeting(bot, CHAT, "chatty_expert")
                for line in script:
                    await bot.send(CHAT, line)
                await bot.send(CHAT, "/end")
            sent = await bot.send(CHAT, "/history")
            [chart] = [item for item in sent if item["type"] == "photo"]
            assert chart["photo"][:8] == b"\x89PNG\r\n\x1a\n"
            assert "3 répétitions" in chart["caption"] and "→" in chart["caption"]
            # The picture's headline leads with the overall score, like the text's trend.
            assert chart["caption"].startswith("Note globale\u00a0: ")
            rows = sent[0]["text"].splitlines()[1:4]
            assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d · ", row) for row in rows), rows
            scores = [e.score for e in bot.rehearsals.history(CHAT)]
            assert scores[-1] > scores[0]
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_a_two_step_referral_chain(tmp_path):
    """Earned referrals unlock the next persona; naming who sent you is rewarded."""
    good = [
        INTRO_FR,
        "Est-ce que je peux prendre quelques notes ?",
        "Pouvez-vous me décrire une journée type ?",
        "Qu'est-ce qui vous plaît le plus dans ce métier ?",
        "J'ai lu une étude sur ce secteur, je peux vous l'envoyer si cela vous intéresse.",
        "Connaissez-vous quelqu'un que je devrais rencontrer ?",
    ]
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            assert "Personne" in (await bot.send(CHAT, "/network"))[0]["text"]
            await open_meeting(bot, CHAT, "chatty_expert")
            for line in good:
                await bot.send(CHAT, line)
            ending = await bot.send(CHAT, "/end")
            # The contact unlocked is the scorecard's one next step.
            [unlocked] = [item for item in ending if item["type"] == "photo"]
            caption = unlocked["caption"]
            assert "Isabelle Marchand" in caption and "Gérard Fontaine" in caption
            assert buttons(unlocked)[0] == (
                "▶️ Rencontrer Isabelle Marchand",
                "begin:guarded_insider",
            )
            network = (await bot.send(CHAT, "/network"))[0]["text"]
            assert "✅ Gérard Fontaine" in network
            assert "🔓 Isabelle Marchand" in network and "⚪ Catherine Delmas" in network
            assert "🔒" not in network  # the picker offers everyone: nobody is locked
            assert "président d’une agence" in network  # persona texts: curly apostrophes

            picker = (await bot.send(CHAT, "/personas"))[0]
            card = await bot.tap(CHAT, "persona:guarded_insider", picker["message_id"])
            assert "Gérard Fontaine vous a recommandé auprès d’Isabelle Marchand" in card[0]["text"]
            await bot.tap(CHAT, "begin:guarded_insider", picker["message_id"])
            meeting = bot.rehearsals.current(CHAT)[1]
            assert meeting.state.referred_by == "Gérard Fontaine"
            trust = meeting.state.trust
            await bot.send(CHAT, "Bonjour, c'est Gérard Fontaine qui m'envoie vers vous.")
            meeting = bot.rehearsals.current(CHAT)[1]
            assert meeting.has("mentioned_referrer") and meeting.state.trust > trust + 0.1
            assert "link" in meeting.state.turns[-1].intents
            for line in good:
                await bot.send(CHAT, line)
            ending = await bot.send(CHAT, "/end")
            assert "Catherine Delmas" in ending[1]["caption"]
            assert "recommandation d’Isabelle Marchand" in ending[1]["caption"]
            sent = await bot.send(CHAT, "/network")
            network = sent[0]["text"]
            assert "✅ Isabelle Marchand" in network and "🔓 Catherine Delmas" in network
            assert "recommandation d’Isabelle Marchand" in network
            [picture] = [item for item in sent if item["type"] == "photo"]
            assert picture["photo"][:8] == b"\x89PNG\r\n\x1a\n"
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_reminders_survive_a_restart_respect_quiet_hours_and_stop(tmp_path):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    db = tmp_path / "bot.sqlite3"
    paris = ZoneInfo("Europe/Paris")
    env = {"REMINDER_CHECK_SECONDS": "0.05", "QUIET_HOURS": "21-8", "TIME_ZONE": "Europe/Paris"}
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, db, **env).start()
        try:
            await open_meeting(bot, CHAT, "chatty_expert")
            await bot.send(CHAT, INTRO_FR)
            await bot.send(CHAT, "Connaissez-vous quelqu'un que je devrais rencontrer ?")
            ending = await bot.send(CHAT, "/end")
            assert not any(d.startswith("remind:") for item in ending for _, d in buttons(item))
            await bot.send(CHAT, "/skip")  # the notes, then the thank-you: the offer comes last
            [offer] = await bot.send(CHAT, "/skip")
            assert "rappel" in offer["text"]
            [(_, yes), (_, no)] = buttons(offer)
            assert no == "remind:no"
            done = await bot.tap(CHAT, yes, offer["message_id"])
            assert "deux semaines" in done[0]["text"]
            await bot.tap(CHAT, yes, offer["message_id"])  # a second tap adds none
            with bot.rehearsals.storage.read() as unit:
                pending = unit.reminders.pending(CHAT)
            assert [r.kind for r in pending] == ["thanks", "follow_up"]
            sent = await bot.send(CHAT, "/export")
            document = next(item for item in sent if item["type"] == "document")
            exported = json.loads(document["document"])["reminders"]
            assert [(r["kind"], r["sent_at"]) for r in exported] == [
                ("thanks", None),
                ("follow_up", None),
            ]  # pending reminders are in the export, due times readable
            assert all(r["due_at"].endswith("+00:00") for r in exported)
            for row in pending:  # never due inside the quiet hours
                hour = datetime.fromtimestamp(row.due_at, paris).hour
                assert not (hour >= 21 or hour < 8)
        finally:
            await bot.stop()

        # A restart, then the clock moves: the thank-you reminder comes, the follow-up not yet.
        bot = await BotUnderTest(emulator, db, **env).start()
        try:
            thanks_due = pending[0].due_at
            before = len(emulator.sent_to(CHAT))
            bot.app.bot_data["clock"] = lambda: thanks_due + 60
            await asyncio.sleep(0.3)
            await bot.settle()
            [reminder] = emulator.sent_to(CHAT)[before:]
            sent = texts([reminder])
            assert len(sent) == 1 and "remerciement" in sent[0] and "Gérard Fontaine" in sent[0]
            assert "personnage d’entraînement" in sent[0]  # not a real person to write to
            assert buttons(reminder) == [
                ("▶️ S’entraîner avec Gérard Fontaine", "begin:chatty_expert")
            ]

            # Quiet hours: the follow-up is due, but it is 23:00 in Paris: it waits.
            follow_due = pending[1].due_at
            late = datetime.fromtimestamp(follow_due, paris).replace(hour=23).timestamp()
            late = late if late > follow_due else late + 86_400
            bot.app.bot_data["clock"] = lambda: late
            await asyncio.sleep(0.3)
            assert len(emulator.sent_to(CHAT)) == before + 1
            bot.app.bot_data["clock"] = lambda: late + 10 * 3600  # 9:00 the next morning
            await asyncio.sleep(0.3)
            await bot.settle()
            [followed] = emulator.sent_to(CHAT)[before + 1 :]
            follow = texts([followed])
            assert len(follow) == 1 and "Deux semaines" in follow[0]
            assert "Isabelle Marchand" in follow[0]  # the referral given, met in the bot
            assert buttons(followed) == [
                ("▶️ Rencontrer Isabelle Marchand", "begin:guarded_insider")
            ]
            assert bot.rehearsals.reminders(CHAT) == (True, 0)

            # Opt-out: no offer after the next meeting, pending ones cancelled.
            assert "désactivés" in (await bot.send(CHAT, "/reminders off"))[0]["text"]
            await open_meeting(bot, CHAT, "sceptic")
            await bot.send(CHAT, "Bonjour, merci de me recevoir.")
            ending = await bot.send(CHAT, "/end")
            ending += await bot.send(CHAT, "/skip") + await bot.send(CHAT, "/skip")
            assert not any(d.startswith("remind:") for item in ending for _, d in buttons(item))
            status = (await bot.send(CHAT, "/reminders"))[0]["text"]
            assert "désactivés" in status and "0 en attente" in status
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_notes_and_thank_you_after_the_meeting(tmp_path):
    """Notes are checked against the meeting, the thank-you graded, in both languages."""
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            await open_meeting(bot, CHAT, "chatty_expert")
            for line in [
                INTRO_FR,
                "Pouvez-vous me décrire une journée type ?",
                "Connaissez-vous quelqu'un que je devrais rencontrer ?",
            ]:
                await bot.send(CHAT, line)
            ending = await bot.send(CHAT, "/end")
            assert any("vos notes" in (item.get("text") or "") for item in ending)
            [checked] = await bot.send(CHAT, "RDV avec Gérard, sympa.")
            assert "Isabelle Marchand" in checked["text"]  # the referral is missing
            assert "✗" in checked["text"]
            assert "remerciement" in checked["text"]  # and the next step, in the same message
            graded = await bot.send(CHAT, "Merci pour votre temps")
            body = graded[0]["text"]
            assert "/100" in body and "Gérard" in body
            better = body.split("Une version dont vous pouvez partir")[1]
            assert "Isabelle Marchand" in better  # built from the meeting's own content
            assert "Bonjour Gérard," in better  # by first name
            listed = (await bot.send(CHAT, "/notes"))[0]["text"]
            assert "RDV avec Gérard, sympa." in listed and "Gérard Fontaine" in listed
            assert "Aucune réunion" not in (await bot.send(CHAT, "/skip"))[0]["text"]

            # English, and /skip moves from the notes to the thank-you, then ends.
            menu = await bot.send(CHAT, "/language")
            await bot.tap(CHAT, "lang:en", menu[0]["message_id"])
            await open_meeting(bot, CHAT, "curious_host")
            await bot.send(CHAT, "Hi, I'm Sam. How did you start your studio?")
            await bot.send(CHAT, "/end")
            assert "thank-you" in (await bot.send(CHAT, "/skip"))[0]["text"]
            draft = (
                "Dear Thomas, thank you so much for your time today. What you said about "
                "your studio stayed with me. I will keep you posted on my search."
            )
            graded = await bot.send(CHAT, draft)
            assert "Your thank-you message" in graded[0]["text"]
            assert "No meeting" in (await bot.send(CHAT, "hello again"))[0]["text"]
        finally:
            await bot.stop()
