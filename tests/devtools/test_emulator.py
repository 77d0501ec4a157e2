"""Tests of the local Bot API emulator, driving the real python-telegram-bot stack.

Why these tests use the real PTB ``Application``: the emulator is only useful if PTB
cannot tell it from Telegram, so every behaviour the bot's own tests will rely on
(polling, webhooks, callback queries, duplicate delivery, Telegram's formatting errors,
flood control) is checked end to end over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, EndPointNotFound, NetworkError, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from devtools.emulator import (
    BotApiEmulator,
    EntityParseError,
    FaultSettings,
    parse_html,
)
from tests.auxil.running import free_port

TEST_TIMEOUT = 20.0
CHAT = 42

#: Each emulator test runs under this bound.


def build_app(emulator: BotApiEmulator, *handlers: BaseHandler[Any, Any, Any]) -> Application:
    app = (
        ApplicationBuilder()
        .token(emulator.token)
        .base_url(emulator.base_url)
        .base_file_url(emulator.base_file_url)
        .build()
    )
    for handler in handlers:
        app.add_handler(handler)
    return app


@contextlib.asynccontextmanager
async def polling(app: Application) -> AsyncIterator[Application]:
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=5)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@contextlib.asynccontextmanager
async def direct_bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(
        emulator.token, base_url=emulator.base_url, base_file_url=emulator.base_file_url
    ) as bot:
        yield bot


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(message.text or "")


ECHO = MessageHandler(filters.TEXT & ~filters.COMMAND, echo)


# ---------------------------------------------------------------------- polling


@pytest.mark.timeout(TEST_TIMEOUT)
async def test_polling_echo_round_trip() -> None:
    """A message injected while PTB long-polls comes back as an echo."""
    async with BotApiEmulator() as emulator, polling(build_app(emulator, ECHO)):
        update = emulator.inject_message(CHAT, "bonjour")
        [item] = await emulator.wait_for_messages(CHAT, 1)
        assert item["type"] == "message"
        assert item["text"] == "bonjour"
        assert item["message_id"] == update["message"]["message_id"] + 1

        # Strings stay strings even when they look like JSON ("42", "true").
        emulator.inject_message(CHAT, "42")
        items = await emulator.wait_for_messages(CHAT, 2)
        assert items[1]["text"] == "42"
        send = emulator.calls_for("sendMessage")[-1]
        assert send.params == {"chat_id": CHAT, "text": "42"}
        assert send.result["from"]["username"] == "rehearsal_test_bot"
        assert send.result["message_id"] == 4

        # A supergroup: negative id, the sender is not the chat.
        group = -1001234567
        emulator.inject_message(group, "salut", chat_type="supergroup", user_id=7)
        [group_item] = await emulator.wait_for_messages(group, 1)
        assert group_item["text"] == "salut"

        await emulator.wait_idle(quiet=0.05)
        assert emulator.pending_updates == []
        assert emulator.calls_for("getMe") and emulator.calls_for("deleteWebhook")


@pytest.mark.timeout(TEST_TIMEOUT)
async def test_command_then_callback_query_is_answered_and_edits() -> None:
    """/start shows a keyboard; pressing it is answered and edits the message."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = [[InlineKeyboardButton("Oui", callback_data="yes")]]
        await update.effective_message.reply_text(
            "Prêt ?", reply_markup=InlineKeyboardMarkup(keyboard)
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("ok")
        await query.edit_message_text(f"Choix : <b>{query.data}</b>", parse_mode="HTML")

    handlers = (CommandHandler("start", start), CallbackQueryHandler(pressed))
    async with BotApiEmulator() as emulator, polling(build_app(emulator, *handlers)):
        update = emulator.inject_message(CHAT, "/start")
        assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
        [shown] = await emulator.wait_for_messages(CHAT, 1)
        assert shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"

        emulator.inject_callback(CHAT, "yes", message_id=shown["message_id"])
        answer = await emulator.wait_for("answerCallbackQuery")
        assert answer.ok and answer.params["text"] == "ok"
        _, edit = await emulator.wait_for_messages(CHAT, 2)
        assert edit["type"] == "edit_text"
        assert edit["text"] == "Choix : yes"
        assert edit["raw_text"] == "Choix : <b>yes</b>"
        stored = emulator.message(CHAT, shown["message_id"])
        assert stored is not None and "reply_markup" not in stored  # edit removed it
        assert stored["entities"] == [{"type": "bold", "offset": 8, "length": 3}]

        # In groups commands are addressed as /start@botname.
        group = -1009876
        emulator.inject_message(group, "/start@rehearsal_test_bot", chat_type="supergroup")
        [group_item] = await emulator.wait_for_messages(group, 1)
        assert group_item["text"] == "Prêt ?"


@pytest.mark.timeout(TEST_TIMEOUT)
async def test_duplicate_update_is_redelivered_with_the_same_update_id() -> None:
    """inject_again re-delivers an update even after its offset was confirmed."""
    seen: list[int] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)
        await echo(update, context)

    handler = MessageHandler(filters.TEXT, record)
    async with BotApiEmulator() as emulator, polling(build_app(emulator, handler)):
        update = emulator.inject_message(CHAT, "une fois")
        await emulator.wait_for_messages(CHAT, 1)
        await emulator.wait_idle(quiet=0.05)  # offset confirmed by the next poll
        again = emulator.inject_again(update)
        assert again["update_id"] == update["update_id"]
        await emulator.wait_for_messages(CHAT, 2)
        delivered = [u["update_id"] for u in emulator.delivered]
        assert delivered.count(update["update_id"]) == 2
        assert seen == [update["update_id"], update["update_id"]]
        await emulator.wait_idle(quiet=0.05)
        assert emulator.pending_updates == []


# ---------------------------------------------------------------------- formatting


@pytest.mark.timeout(TEST_TIMEOUT)
async def test_telegram_formatting_errors_reach_ptb_as_bad_request() -> None:
    """Bad HTML, unsupported parse modes, lengths and edits fail exactly where Telegram fails."""
    async with BotApiEmulator() as emulator, direct_bot(emulator) as bot:
        for bad_html, reason in [
            ("<b>non fermé", 'find end tag corresponding to start tag "b"'),
            ("<div>bloc</div>", 'unsupported start tag "div" at byte offset 0'),
            ("1 < 2", 'unsupported start tag "" at byte offset 2'),
            ("<b>x</i>", 'expected "</b>", found "</i>"'),
            ("ligne<br>", 'unsupported start tag "br"'),
            ("<span>x</span>", 'tag "span" must have class "tg-spoiler"'),
        ]:
            with pytest.raises(BadRequest) as caught:
                await bot.send_message(CHAT, bad_html, parse_mode="HTML")
            # PTB strips "Bad Request: " and capitalize()s the description.
            assert "can't parse entities" in caught.value.message.lower()
            assert reason.lower() in caught.value.message.lower(), caught.value.message

        html = '<b>Gras</b> &amp; <a href="https://example.org">lien</a> 🎉 <i>fin</i>'
        sent = await bot.send_message(CHAT, html, parse_mode="HTML")
        assert sent.text == "Gras & lien 🎉 fin"
        assert [(e.type, e.offset, e.length) for e in sent.entities] == [
            ("bold", 0, 4),
            ("text_link", 7, 4),
            ("italic", 15, 3),  # the emoji counts as 2 UTF-16 units
        ]

        ok = await bot.send_message(CHAT, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
        assert len(ok.text) == 4096
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(CHAT, "<b>" + "a" * 4097 + "</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
            await bot.send_message(CHAT, "  \n ")
        with pytest.raises(BadRequest, match=r"(?i)unsupported parse_mode"):
            await bot.send_message(CHAT, "*Bonjour*", parse_mode="MarkdownV2")

        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await bot.edit_message_text("x", chat_id=CHAT, message_id=999)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text(html, chat_id=CHAT, message_id=sent.id, parse_mode="HTML")
        edited = await bot.edit_message_text("autre", chat_id=CHAT, message_id=sent.id)
        assert not isinstance(edited, bool) and edited.text == "autre"
        assert emulator.sent_to(CHAT)[-1]["type"] == "edit_text"

        too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
        with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
            await bot.send_message(CHAT, "clavier", reply_markup=too_long)
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("sendTelepathy")
        assert emulator.calls_for("sendTelepathy")[0].response == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found",
        }


def test_html_parser_matches_telegram_offsets_and_errors() -> None:
    """The parser counts UTF-16 offsets and reports UTF-8 byte offsets like Telegram."""
    parsed = parse_html(
        '  <pre><code class="language-python">x = 1</code></pre>\n'
        "<blockquote expandable>cité</blockquote> <tg-spoiler>🙈</tg-spoiler> &lt;3 &#233;  "
    )
    assert parsed.text == "x = 1\ncité 🙈 <3 é"
    assert parsed.entities == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "expandable_blockquote", "offset": 6, "length": 4},
        {"type": "spoiler", "offset": 11, "length": 2},
    ]
    with pytest.raises(EntityParseError, match='"x" at byte offset 3'):
        parse_html("é <x>")  # "é" is two bytes in UTF-8
    with pytest.raises(EntityParseError, match="Unexpected end tag at byte offset 1"):
        parse_html("a</b>")
    assert parse_html("Tom & Jerry &nbsp;").text == "Tom & Jerry &nbsp;"  # stays literal


# ---------------------------------------------------------------------- webhook


@pytest.mark.timeout(TEST_TIMEOUT)
async def test_webhook_mode_posts_updates_with_the_secret_token() -> None:
    """After setWebhook, updates are POSTed to PTB's webhook server; polling conflicts."""
    port = free_port()
    async with BotApiEmulator() as emulator:
        app = build_app(emulator, ECHO)
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="tg-hook",
            webhook_url=f"http://127.0.0.1:{port}/tg-hook",
            secret_token="s3cret-Token_1",
        )
        try:
            set_call = await emulator.wait_for("setWebhook")
            assert set_call.params["secret_token"] == "s3cret-Token_1"
            assert emulator.webhook_url == f"http://127.0.0.1:{port}/tg-hook"

            for text in ("un", "deux", "trois"):
                emulator.inject_message(CHAT, text)
            emulator.inject_message(CHAT + 1, "autre chat")
            items = await emulator.wait_for_messages(CHAT, 3)
            assert [item["text"] for item in items] == ["un", "deux", "trois"]
            await emulator.wait_for_messages(CHAT + 1, 1)
            assert {a.status for a in emulator.webhook_attempts} == {200}

            with pytest.raises(Conflict, match="webhook is active"):
                await app.bot.get_updates()
            info = await app.bot.get_webhook_info()
            assert info.url == emulator.webhook_url and info.pending_update_count == 0
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()


@pytest.mark.timeout(TEST_TIMEOUT)
async def test_webhook_retries_failures_and_keeps_each_chat_in_order() -> None:
    """Non-2xx answers are retried; a slow chat does not hold back another chat."""
    received: list[tuple[int, str, int]] = []  # (chat, text, attempt status)
    failures_left = {"deux": 2}

    async def hook(request: web.Request) -> web.Response:
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == "abc"
        message = (await request.json())["message"]
        text = message["text"]
        if text == "un":
            await asyncio.sleep(0.2)  # chat 1 is slow; chat 2 must not wait for it
        if failures_left.get(text, 0) > 0:
            failures_left[text] -= 1
            received.append((message["chat"]["id"], text, 500))
            return web.Response(status=500)
        received.append((message["chat"]["id"], text, 200))
        return web.Response()

    server = web.Application()
    server.router.add_post("/hook", hook)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        async with BotApiEmulator() as emulator, aiohttp.ClientSession() as http:
            url = f"{emulator.base_url}{emulator.token}/setWebhook"
            hook = {"url": f"http://127.0.0.1:{port}/hook", "secret_token": "abc"}
            emulator.inject_message(1, "périmé")  # dropped by drop_pending_updates
            async with http.post(url, json={**hook, "drop_pending_updates": True}) as resp:
                assert (await resp.json())["description"] == "Webhook was set"
            emulator.inject_message(1, "un")
            emulator.inject_message(1, "deux")
            emulator.inject_message(2, "autre")
            await emulator.wait_idle(quiet=0.05)
        assert [r for r in received if r[0] == 1] == [
            (1, "un", 200),
            (1, "deux", 500),
            (1, "deux", 500),
            (1, "deux", 200),
        ]
        assert received.index((2, "autre", 200)) < received.index((1, "un", 200))
        assert emulator.webhook_failures == []
    finally:
        await runner.cleanup()


# ---------------------------------------------------------------------- faults


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.timeout(TEST_TIMEOUT)
async def test_flood_control_raises_retry_after_or_is_retried_by_the_rate_limiter() -> None:
    """A 429 with retry_after becomes RetryAfter; AIORateLimiter waits and retries."""
    async with BotApiEmulator() as emulator:
        async with direct_bot(emulator) as bot:
            emulator.faults.rate_429 = 1.0
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(CHAT, "trop vite")
            assert "Retry in 1 seconds" in str(caught.value)
            assert (await bot.get_me()).username == "rehearsal_test_bot"  # not faulted
            [call] = emulator.calls_for("sendMessage")
            assert (call.http_status, call.fault) == (429, "429")
            assert call.response is not None
            assert call.response["parameters"] == {"retry_after": 1}
            assert emulator.faults.counts["429"] == 1
            assert emulator.sent_to(CHAT) == []
            emulator.faults.clear()

        emulator.faults.retry_after = 0.2
        emulator.faults.force("429", method="sendMessage")
        app = (
            ApplicationBuilder()
            .token(emulator.token)
            .base_url(emulator.base_url)
            .rate_limiter(AIORateLimiter(max_retries=2))
            .build()
        )
        app.add_handler(ECHO)
        async with polling(app):
            emulator.inject_message(CHAT, "patience")
            [item] = await emulator.wait_for_messages(CHAT, 1)
            assert item["text"] == "patience"
            assert [c.http_status for c in emulator.calls_for("sendMessage")[1:]] == [429, 200]


@pytest.mark.timeout(TEST_TIMEOUT)
async def test_other_faults_server_errors_delays_and_dropped_connections() -> None:
    """5xx and dropped connections become NetworkError; drop_after still sends."""
    async with BotApiEmulator() as emulator, direct_bot(emulator) as bot:
        emulator.faults.force("502")
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(CHAT, "a")
        emulator.faults.force("drop")
        with pytest.raises(NetworkError, match="disconnected"):
            await bot.send_message(CHAT, "b")
        assert emulator.sent_to(CHAT) == []

        emulator.faults.force("drop_after")  # sent, but the answer is lost
        with pytest.raises(NetworkError):
            await bot.send_message(CHAT, "c")
        assert [item["text"] for item in emulator.sent_to(CHAT)] == ["c"]

        emulator.faults.delay = 0.2
        emulator.faults.force("delay", method="sendChatAction")
        started = time.perf_counter()
        assert await bot.send_chat_action(CHAT, "typing")
        assert time.perf_counter() - started >= 0.2
        assert dict(emulator.faults.counts) == {"502": 1, "drop": 1, "drop_after": 1, "delay": 1}


def test_random_faults_are_reproducible_from_the_seed() -> None:
    def sequence(seed: int) -> list[tuple[float, str | None]]:
        faults = FaultSettings(seed=seed, rate_429=0.2, rate_5xx=0.2, rate_drop=0.1)
        faults.rate_delay, faults.delay = 0.3, 0.01
        plans = [faults.decide("sendMessage") for _ in range(200)]
        assert faults.decide("getMe").outcome is None  # not a faulted method
        return [(plan.delay, plan.outcome) for plan in plans]

    first = sequence(7)
    assert first == sequence(7)
    assert first != sequence(8)
    outcomes = {outcome for _, outcome in first}
    assert {"429", "500", "502", "drop", None} <= outcomes


@pytest.mark.timeout(TEST_TIMEOUT)
async def test_sockets_use_tcp_nodelay() -> None:
    """Sequential small requests must not each wait ~40 ms for a delayed ACK."""
    async with BotApiEmulator() as emulator, direct_bot(emulator) as bot:
        durations = []
        for index in range(15):
            started = time.perf_counter()
            await bot.send_message(CHAT, f"n°{index}")
            durations.append(time.perf_counter() - started)
        assert sorted(durations)[len(durations) // 2] < 0.02, durations


# ---------------------------------------------------------------------- raw HTTP


@pytest.mark.timeout(TEST_TIMEOUT)
async def test_get_updates_offsets_limit_long_polling_and_http_details() -> None:
    """getUpdates semantics and request encodings, checked on the wire."""
    async with BotApiEmulator() as emulator, aiohttp.ClientSession() as http:
        api = f"{emulator.base_url}{emulator.token}"

        async def call(method: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
            async with http.post(f"{api}/{method}", **kwargs) as resp:
                return resp.status, await resp.json()

        ids = [emulator.inject_message(CHAT, f"m{i}")["update_id"] for i in range(3)]
        _, body = await call("getUpdates", data={"limit": "2"})
        assert [u["update_id"] for u in body["result"]] == ids[:2]
        _, body = await call("getUpdates", data={"offset": str(ids[1] + 1)})
        assert [u["update_id"] for u in body["result"]] == ids[2:]
        _, body = await call("getUpdates", json={"offset": ids[2] + 1, "timeout": 0})
        assert body == {"ok": True, "result": []}

        later = asyncio.get_running_loop().call_later(0.1, emulator.inject_message, CHAT, "tard")
        started = time.perf_counter()
        _, body = await call("getUpdates", data={"offset": str(ids[2] + 1), "timeout": "3"})
        assert [u["message"]["text"] for u in body["result"]] == ["tard"]
        assert time.perf_counter() - started < 1.5
        later.cancel()

        # allowed_updates filters (and drops) other update types.
        emulator.inject_message(CHAT, "ignoré")
        callback = emulator.inject_callback(CHAT, "go", message_id=1)
        _, body = await call(
            "getUpdates", data={"offset": "-5", "allowed_updates": '["callback_query"]'}
        )
        assert [u["update_id"] for u in body["result"]] == [callback["update_id"]]

        # A newer getUpdates terminates an older long poll, like Telegram.
        after = str(callback["update_id"] + 1)
        older = asyncio.create_task(call("getUpdates", data={"offset": after, "timeout": "5"}))
        await asyncio.sleep(0.05)
        await call("getUpdates", data={"offset": after})
        status, body = await older
        assert status == 409 and "terminated by other getUpdates" in body["description"]

        # JSON bodies and query strings work too; strings stay strings.
        status, body = await call("sendMessage", json={"chat_id": CHAT, "text": "123"})
        assert status == 200 and body["result"]["text"] == "123"
        async with http.get(f"{api}/getMe?x=1") as resp:
            assert (await resp.json())["result"]["is_bot"] is True

        async with http.post(f"{emulator.base_url}999:wrong/getMe") as resp:
            assert resp.status == 401
            assert await resp.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with http.post(f"{emulator.base_url}not-a-token/getMe") as resp:
            assert resp.status == 404
        status, body = await call("getUpdatez")
        assert (status, body["description"]) == (404, "Not Found")


@pytest.mark.timeout(TEST_TIMEOUT)
async def test_files_commands_and_chat_actions_through_ptb() -> None:
    """Uploads are recorded, injected media download, commands are kept per scope."""
    async with BotApiEmulator() as emulator, direct_bot(emulator) as bot:
        doc = await bot.send_document(
            CHAT, b"contenu", filename="cr.txt", caption="<b>CR</b>", parse_mode="HTML"
        )
        assert doc.document is not None and doc.document.file_name == "cr.txt"
        await bot.send_photo(CHAT, b"\x89PNG fake", caption="vue")
        document, photo = emulator.sent_to(CHAT)
        assert (document["type"], document["document"], document["filename"]) == (
            "document",
            b"contenu",
            "cr.txt",
        )
        assert document["caption"] == "CR"
        assert (photo["type"], photo["photo"], photo["caption"]) == (
            "photo",
            b"\x89PNG fake",
            "vue",
        )
        assert emulator.calls_for("sendDocument")[0].files["document"].data == b"contenu"

        voice = emulator.inject_voice(CHAT, data=b"OggS voix")["message"]["voice"]
        file = await bot.get_file(voice["file_id"])
        assert bytes(await file.download_as_bytearray()) == b"OggS voix"

        scope = BotCommandScopeChat(CHAT)
        commands = [BotCommand("start", "Commencer"), BotCommand("aide", "Aide")]
        assert await bot.set_my_commands(commands, scope=scope, language_code="fr")
        assert emulator.commands({"type": "chat", "chat_id": CHAT}, "fr") == [
            {"command": "start", "description": "Commencer"},
            {"command": "aide", "description": "Aide"},
        ]
        assert await bot.get_my_commands(scope=scope, language_code="fr") == tuple(commands)
        assert await bot.get_my_commands() == ()
        assert await bot.delete_my_commands(scope=scope, language_code="fr")
        assert emulator.commands({"type": "chat", "chat_id": CHAT}, "fr") is None
        with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
            await bot.set_my_commands([BotCommand("Start", "Majuscule")])

        assert await bot.send_chat_action(CHAT, "typing")
        with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
            await bot.send_chat_action(CHAT, "dancing")
        emulator.blocked_chats.add(CHAT)
        with pytest.raises(Exception, match="bot was blocked by the user"):
            await bot.send_message(CHAT, "encore là ?")


@pytest.mark.timeout(TEST_TIMEOUT)
async def test_injected_updates_are_valid_ptb_updates_and_waiters_explain_timeouts() -> None:
    async with BotApiEmulator() as emulator, direct_bot(emulator) as bot:
        first = emulator.inject_message(CHAT, "salut", username="camille_l")
        updates = [
            first,
            emulator.inject_sticker(CHAT),
            emulator.inject_photo(CHAT, caption="photo"),
            emulator.inject_document(CHAT, file_name="cv.pdf", mime_type="application/pdf"),
            emulator.inject_voice(CHAT),
            emulator.inject_edited_message(CHAT, "salut !", first["message"]["message_id"]),
            emulator.inject_callback(CHAT, "x", message_id=first["message"]["message_id"]),
            emulator.inject_raw({"my_chat_member": _my_chat_member()}),
        ]
        assert [u["update_id"] for u in updates] == list(range(1, 9))
        parsed = [Update.de_json(u, bot) for u in updates]
        assert parsed[0].effective_user is not None
        assert parsed[0].effective_user.language_code == "fr"
        assert parsed[1].message is not None and parsed[1].message.sticker is not None
        assert parsed[2].message is not None and parsed[2].message.photo
        assert parsed[3].message is not None and parsed[3].message.document is not None
        assert parsed[4].message is not None and parsed[4].message.voice is not None
        assert parsed[5].edited_message is not None
        assert parsed[5].edited_message.text == "salut !"
        assert parsed[6].callback_query is not None
        assert parsed[6].callback_query.message is not None
        assert parsed[7].my_chat_member is not None

        with pytest.raises(TimeoutError, match="no matching call") as caught:
            await emulator.wait_for("sendMessage", timeout=0.05)
        assert "calls:" in str(caught.value)
        with pytest.raises(TimeoutError, match="not idle"):
            await emulator.wait_idle(quiet=0.01, timeout=0.05)  # 8 updates are pending


def _my_chat_member() -> dict[str, Any]:
    user = {"id": CHAT, "is_bot": False, "first_name": "Camille"}
    bot = {"id": 123456, "is_bot": True, "first_name": "Rehearsal Test Bot"}
    return {
        "chat": {"id": CHAT, "type": "private", "first_name": "Camille"},
        "from": user,
        "date": int(time.time()),
        "old_chat_member": {"status": "member", "user": bot},
        "new_chat_member": {"status": "kicked", "user": bot, "until_date": 0},
    }
