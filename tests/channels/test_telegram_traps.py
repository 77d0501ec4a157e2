"""The traps a seasoned Telegram user falls into, end to end through the Bot API emulator:
stale and double taps, the after-care steps, the shape of `/end`, exam and coach, a
double delete, invalid buttons, the error message and the typing indicator."""

from __future__ import annotations

import sqlite3

import pytest

from bot.channels.telegram import app, outbox
from bot.channels.telegram.handlers import guards
from devtools.emulator import BotApiEmulator
from tests.auxil.telegram import BotUnderTest, buttons, texts

CHAT = 1001
INTRO_FR = (
    "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans chez Leroy Merlin. "
    "C'est Marc Aubert qui m'a donné votre nom. Je souhaite mieux comprendre le métier de "
    "contrôleur de gestion, je ne cherche pas de poste."
)
#: Lines that earn chatty_expert's referral (Isabelle Marchand).
GOOD = [
    INTRO_FR,
    "Est-ce que je peux prendre quelques notes ?",
    "Pouvez-vous me décrire une journée type ?",
    "Qu'est-ce qui vous plaît le plus dans ce métier ?",
    "J'ai lu une étude sur ce secteur, je peux vous l'envoyer si cela vous intéresse.",
    "Connaissez-vous quelqu'un que je devrais rencontrer ?",
]


def toast(emulator: BotApiEmulator, update: dict) -> str | None:
    """The text a tap was answered with (None: answered without a text)."""
    return emulator.callback_answers[update["callback_query"]["id"]].get("text")


def answers_to(emulator: BotApiEmulator, update: dict) -> int:
    query = update["callback_query"]["id"]
    return sum(
        1
        for call in emulator.calls_for("answerCallbackQuery")
        if call.params.get("callback_query_id") == query
    )


async def card(bot: BotUnderTest, persona: str) -> dict:
    """The persona's briefing card (the picker edited in place), with its Begin button."""
    picker = (await bot.send(CHAT, "/personas"))[-1]
    await bot.tap(CHAT, f"persona:{persona}", picker["message_id"])
    return bot.emulator._messages[(CHAT, picker["message_id"])]


async def double_tap(bot: BotUnderTest, data: str, message_id: int) -> tuple[dict, dict]:
    """Two taps on the same button before the bot answers the first."""
    first = bot.emulator.inject_callback(CHAT, data, message_id=message_id)
    second = bot.emulator.inject_callback(CHAT, data, message_id=message_id)
    await bot.settle()
    return first, second


def statuses(db) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT persona_id, status FROM meetings ORDER BY id").fetchall()
    finally:
        con.close()


@pytest.mark.timeout(90)
async def test_no_button_discards_a_meeting_without_asking(tmp_path):
    db = tmp_path / "bot.sqlite3"
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, db).start()
        try:
            # A double tap on Begin starts one meeting; the second tap is a toast.
            chatty = await card(bot, "chatty_expert")
            before = len(emulator.sent_to(CHAT))
            first, second = await double_tap(bot, "begin:chatty_expert", chatty["message_id"])
            sent = emulator.sent_to(CHAT)[before:]
            assert sum("commence" in t for t in texts(sent)) == 1
            assert not any("abandonné" in t for t in texts(sent))
            assert toast(emulator, first) is None
            assert "déjà en cours" in toast(emulator, second)
            # The card keeps its buttons: no call of Telegram's budget is spent on looks (issue
            # 17); the second tap above showed that a stale Begin only gets a toast.
            assert not [item for item in sent if item["type"] == "edit_reply_markup"]
            for line in GOOD[:2]:
                await bot.send(CHAT, line)

            # /personas says a meeting is in progress; another card's Begin asks first.
            picker = await bot.send(CHAT, "/personas")
            assert "Gérard Fontaine est en cours" in picker[0]["text"]
            assert "/end" in picker[0]["text"]
            sceptic = await card(bot, "sceptic")
            [question] = await bot.tap(CHAT, "begin:sceptic", sceptic["message_id"])
            assert "Gérard Fontaine" in question["text"] and "2 phrases" in question["text"]
            meeting_id = bot.rehearsals.current(CHAT)[0]
            assert [d for _, d in buttons(question)] == [
                "keep:",
                f"switch:{meeting_id}.sceptic",
            ]
            [goes_on] = await bot.tap(CHAT, "keep:", question["message_id"])
            assert goes_on["type"] == "edit_text" and "continue" in goes_on["text"]
            assert not goes_on["reply_markup"]
            assert len(bot.rehearsals.current(CHAT)[1].state.turns) == 2

            # The stale card of the meeting in progress is a no-op; another one asks again.
            stale = emulator.inject_callback(
                CHAT, "begin:chatty_expert", message_id=chatty["message_id"]
            )
            await bot.settle()
            assert "déjà en cours" in toast(emulator, stale)
            [question] = await bot.tap(CHAT, "begin:sceptic", sceptic["message_id"])
            switch = f"switch:{meeting_id}.sceptic"
            before = len(emulator.sent_to(CHAT))
            first, second = await double_tap(bot, switch, question["message_id"])
            sent = emulator.sent_to(CHAT)[before:]
            assert sum("commence" in t for t in texts(sent)) == 1
            assert any(
                item["type"] == "edit_text" and "Gérard Fontaine a été abandonné" in item["text"]
                for item in sent
            )
            assert "déjà en cours" in toast(emulator, second)
            assert statuses(db) == [("chatty_expert", "cancelled"), ("sceptic", "active")]

            # /exam during a meeting asks too.
            await bot.send(CHAT, "Bonjour, merci de me recevoir.")
            [question] = await bot.send(CHAT, "/exam")
            assert "examen" in buttons(question)[1][0]
            assert not bot.rehearsals.current(CHAT)[1].state.exam
            await bot.tap(CHAT, buttons(question)[1][1], question["message_id"])
            assert bot.rehearsals.current(CHAT)[1].state.exam
            await bot.send(CHAT, "Bonjour, je suis Camille.")
            ending = await bot.send(CHAT, "/end")

            # The scorecard's "Rehearse with…" starts a meeting; a second tap, or one on a
            # stale card during that meeting, discards nothing.
            [photo] = [item for item in ending if item["type"] == "photo"]
            (_, rehearse) = buttons(photo)[0]  # the notes step's buttons below it
            first, second = await double_tap(bot, rehearse, photo["message_id"])
            persona_id = rehearse.removeprefix("begin:")
            assert bot.rehearsals.current(CHAT)[1].persona.id == persona_id
            assert "déjà en cours" in toast(emulator, second)
            assert not any(  # its button stays, as the card's: a later tap only gets a toast
                item["type"] == "edit_reply_markup" and item["message_id"] == photo["message_id"]
                for item in emulator.sent_to(CHAT)
            )
            other = "laconic_host" if persona_id != "laconic_host" else "curious_host"
            await bot.send(CHAT, "Bonjour, je suis Camille.")
            [question] = await bot.tap(CHAT, f"begin:{other}", sceptic["message_id"])
            assert "keep:" in [d for _, d in buttons(question)]
            assert bot.rehearsals.current(CHAT)[1].persona.id == persona_id
        finally:
            await bot.stop()


@pytest.mark.timeout(90)
async def test_the_unlock_button_asks_before_abandoning(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            chatty = await card(bot, "chatty_expert")
            await bot.tap(CHAT, "begin:chatty_expert", chatty["message_id"])
            for line in GOOD:
                await bot.send(CHAT, line)
            ending = await bot.send(CHAT, "/end")
            [photo] = [item for item in ending if item["type"] == "photo"]
            assert buttons(photo)[0] == ("▶️ Rencontrer Isabelle Marchand", "begin:guarded_insider")
            sceptic = await card(bot, "sceptic")
            await bot.tap(CHAT, "begin:sceptic", sceptic["message_id"])
            await bot.send(CHAT, "Bonjour, merci de me recevoir.")
            [question] = await bot.tap(CHAT, "begin:guarded_insider", photo["message_id"])
            assert "rencontrer Isabelle Marchand" in buttons(question)[1][0]
            assert bot.rehearsals.current(CHAT)[1].persona.id == "sceptic"
        finally:
            await bot.stop()


@pytest.mark.timeout(90)
async def test_end_is_feedback_scorecard_and_one_next_step(tmp_path):
    """/end: the goodbye with the feedback (the one message that notifies), the scorecard
    with one next step, the notes step last; the reminders offer when after-care ends."""
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            chatty = await card(bot, "chatty_expert")
            await bot.tap(CHAT, "begin:chatty_expert", chatty["message_id"])
            for line in GOOD:
                await bot.send(CHAT, line)
            ending = await bot.send(CHAT, "/end")
            assert [item["type"] for item in ending] == ["message", "photo"]
            feedback, photo = ending
            assert feedback["text"].startswith("Gérard Fontaine")  # the goodbye comes first
            assert "/100" in feedback["text"] and not feedback["disable_notification"]
            assert photo["disable_notification"]
            caption = photo["caption"]
            assert "Isabelle Marchand" in caption  # the one next step: the unlock
            assert "Prochaine étape" not in caption
            meeting_id = bot.rehearsals.past_meetings(CHAT)[-1].id
            # The notes step takes the next text, so it comes last, on the caption.
            assert caption.index("vos notes") > caption.index("Isabelle Marchand")
            assert [d for _, d in buttons(photo)] == [
                "begin:guarded_insider",
                f"after:skip.notes.{meeting_id}",
                f"after:done.notes.{meeting_id}",
            ]
            assert not any(d.startswith("remind:") for item in ending for _, d in buttons(item))

            [thanks] = await bot.send(CHAT, "RDV avec Gérard Fontaine le 3 mars, très utile.")
            assert "remerciement" in thanks["text"]
            graded = await bot.send(
                CHAT, "Merci Gérard pour votre temps, je vous tiendrai au courant."
            )
            assert [bool(buttons(item)) for item in graded] == [False, True]
            assert "rappel" in graded[-1]["text"]
        finally:
            await bot.stop()


@pytest.mark.timeout(90)
async def test_after_care_buttons_cancel_and_lines_that_are_not_attempts(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            chatty = await card(bot, "chatty_expert")
            await bot.tap(CHAT, "begin:chatty_expert", chatty["message_id"])
            await bot.send(CHAT, INTRO_FR)
            notes = (await bot.send(CHAT, "/end"))[-1]
            for reaction in ("👍", "Ok", "d'accord merci"):
                [why] = await bot.send(CHAT, reaction)
                assert "pas évalué" in why["text"] and "/100" not in why["text"]
                assert [d.split(".")[:2] for _, d in buttons(why)] == [
                    ["after:skip", "notes"],
                    ["after:done", "notes"],
                ]
            assert bot.rehearsals.notes(CHAT) == []

            [skip] = [d for _, d in buttons(notes) if d.startswith("after:skip")]
            _, second = await double_tap(bot, skip, notes["message_id"])
            assert "plus active" in toast(emulator, second)  # the thank-you is not skipped
            sent = emulator.sent_to(CHAT)
            assert sum("remerciement que vous" in t for t in texts(sent)) == 1
            assert any(
                item["type"] == "edit_reply_markup" and item["message_id"] == notes["message_id"]
                for item in sent
            )
            [why] = await bot.send(CHAT, "Ok")
            assert "remerciement" in why["text"] and "pas évalué" in why["text"]

            [left] = await bot.send(CHAT, "/cancel")
            assert "quitté" in left["text"] and "rappel" in left["text"]
            assert any(d.startswith("remind:") for _, d in buttons(left))
            assert "Aucun entretien" in (await bot.send(CHAT, "Merci beaucoup Gérard"))[0]["text"]
            assert bot.rehearsals.notes(CHAT) == []

            # Done leaves after-care at once.
            chatty = await card(bot, "chatty_expert")
            await bot.tap(CHAT, "begin:chatty_expert", chatty["message_id"])
            await bot.send(CHAT, INTRO_FR)
            notes = (await bot.send(CHAT, "/end"))[-1]
            [done] = [
                item
                for item in await bot.tap(CHAT, buttons(notes)[-1][1], notes["message_id"])
                if item["type"] == "message"
            ]
            assert "Terminé" in done["text"]
            assert "Rien à passer" in (await bot.send(CHAT, "/skip"))[0]["text"]

            # No notes nor thank-you for a persona who left because of rudeness.
            sceptic = await card(bot, "sceptic")
            await bot.tap(CHAT, "begin:sceptic", sceptic["message_id"])
            ending = await bot.send(CHAT, "Vous êtes nul, franchement.")
            assert [item["type"] for item in ending] == ["message", "photo"]
            # The persona's last line and the feedback are one message.
            assert ending[0]["text"].startswith("Marc Olivier") and "/100" in ending[0]["text"]
            assert "Aucun entretien" in (await bot.send(CHAT, "👍"))[0]["text"]
            assert (
                "Aucun entretien"
                in (await bot.send(CHAT, "Désolé pour tout à l'heure."))[0]["text"]
            )
            assert bot.rehearsals.notes(CHAT) == []
        finally:
            await bot.stop()


@pytest.mark.timeout(90)
async def test_exam_coach_start_empty_end_double_delete_and_bad_buttons(tmp_path):
    db = tmp_path / "bot.sqlite3"
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, db).start()
        try:
            await bot.send(CHAT, "/exam")
            [said] = await bot.send(CHAT, "/coach")
            assert "examen" in said["text"] and "inchangée" in said["text"]
            assert bot.rehearsals.prefs(CHAT).hints_on  # the preference did not flip
            assert not bot.rehearsals.current(CHAT)[1].state.hints_on
            name = bot.rehearsals.current(CHAT)[1].persona.name
            for command in ("/start", "/personas"):
                [welcome] = await bot.send(CHAT, command)
                assert f"{name} est en cours" in welcome["text"] and "/end" in welcome["text"]

            [nothing] = await bot.send(CHAT, "/end")  # not a word said: nothing to grade
            assert "Rien à évaluer" in nothing["text"]
            assert bot.rehearsals.current(CHAT) is None
            assert bot.rehearsals.history(CHAT) == []
            assert "Rien à passer" in (await bot.send(CHAT, "/skip"))[0]["text"]

            # An invalid reminder button: exactly one answer, with a toast.
            bad = emulator.inject_callback(CHAT, "remind:987654", message_id=999)
            await bot.settle()
            assert answers_to(emulator, bad) == 1 and "plus active" in toast(emulator, bad)

            # A double tap on "Yes, delete everything": deleted once, in the question's language.
            menu = await bot.send(CHAT, "/language")
            await bot.tap(CHAT, "lang:en", menu[0]["message_id"])
            [ask] = await bot.send(CHAT, "/forget")
            assert "Delete all your data" in ask["text"]
            yes = buttons(ask)[0][1]
            before = len(emulator.sent_to(CHAT))
            first, second = await double_tap(bot, yes, ask["message_id"])
            sent = emulator.sent_to(CHAT)[before:]
            assert [item["text"] for item in sent if item["type"] == "edit_text"] == [
                "Done: everything about you has been deleted."
            ]
            assert toast(emulator, second) == "Already done: nothing is stored about you."
            assert answers_to(emulator, first) == answers_to(emulator, second) == 1
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_the_error_message_says_saved_only_for_a_line_of_a_meeting(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            emulator.faults.force("500", method="sendMessage", times=1)
            [sorry] = await bot.send(CHAT, "/help")
            assert "Désolé" in sorry["text"] and "sauvegardé" not in sorry["text"]
            chatty = await card(bot, "chatty_expert")
            await bot.tap(CHAT, "begin:chatty_expert", chatty["message_id"])
            # A failed /language during a meeting: no line was sent, none is to be sent again
            # (it used to say "your meeting is saved: please send your line again").
            emulator.faults.force("500", method="sendMessage", times=1)
            [sorry] = await bot.send(CHAT, "/language")
            assert "rien n’a été modifié" in sorry["text"]
            assert "sauvegardé" not in sorry["text"] and "renvoyer" not in sorry["text"]
            # A line that failed before its commit is the one to send again.
            rehearsals = bot.rehearsals
            say = rehearsals.say

            def broken(*args, **kwargs):
                raise RuntimeError("engine bug")

            rehearsals.say = broken
            [sorry] = await bot.send(CHAT, INTRO_FR)
            assert "sauvegardé" in sorry["text"] and "renvoyer votre message" in sorry["text"]
            # A line taken (committed) before something failed is not to be sent again.
            rehearsals.say = say
            deliver = outbox.deliver

            async def broken_delivery(*args, **kwargs):
                raise RuntimeError("after the commit")

            outbox.deliver = broken_delivery
            try:
                [sorry] = await bot.send(CHAT, INTRO_FR)
            finally:
                outbox.deliver = deliver
            assert "prise en compte" in sorry["text"] and "inutile de la renvoyer" in sorry["text"]
            with rehearsals.storage.read() as unit:
                meeting = unit.meetings.active(CHAT)
            assert meeting is not None
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_a_language_tap_that_fails_on_a_locked_database_says_nothing_changed(
    tmp_path, monkeypatch
):
    """The database locked past the storage wait: the tap changed nothing, and says so in
    the user's language (not "your meeting is saved")."""
    monkeypatch.setattr(guards, "STORAGE_WAIT", 0.0)
    monkeypatch.setattr(app, "STORAGE_WAIT", 0.0)
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            chatty = await card(bot, "chatty_expert")
            await bot.tap(CHAT, "begin:chatty_expert", chatty["message_id"])
            [picker] = await bot.send(CHAT, "/language")
            set_language = bot.rehearsals.set_language

            def locked(*args, **kwargs):
                raise sqlite3.OperationalError("database is locked")

            bot.rehearsals.set_language = locked
            try:
                sent = await bot.tap(CHAT, "lang:en", picker["message_id"])
            finally:
                bot.rehearsals.set_language = set_language
            sorry = [item["text"] for item in sent if "Désolé" in (item.get("text") or "")]
            assert sorry and all("rien n’a été modifié" in text for text in sorry)
            assert not any("sauvegardé" in text for text in sorry)
            assert bot.rehearsals.prefs(CHAT).lang == "fr"
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_typing_shows_only_when_the_reply_is_slow(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3").start()
        try:
            chatty = await card(bot, "chatty_expert")
            await bot.tap(CHAT, "begin:chatty_expert", chatty["message_id"])
            calls = len(emulator.calls)
            await bot.send(CHAT, INTRO_FR)
            methods = [call.method for call in emulator.calls[calls:]]
            assert methods.count("sendMessage") == 1 and "sendChatAction" not in methods

            bot.app.bot_data["typing_after"] = 0.2
            emulator.faults.delay = 0.8
            emulator.faults.force("delay", method="sendMessage")
            reply = await bot.send(CHAT, "Pouvez-vous me décrire une journée type ?")
            assert reply[0]["text"].startswith("Gérard Fontaine")
            [typing] = emulator.calls_for("sendChatAction")
            assert typing.params["action"] == "typing"
        finally:
            await bot.stop()
