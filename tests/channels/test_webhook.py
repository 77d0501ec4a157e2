"""Webhook mode: the bot's own server, in front of the same per-chat processor as polling.

The emulator delivers updates like Telegram (one chat's one at a time, each after the
previous answer; other chats concurrently). An attacker who found the port is a raw TCP
client: what it is answered, and whether the bot read its body, show on the wire.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from pathlib import Path

import pytest

from bot.channels.telegram.webhook import MAX_BODY, SECRET_HEADER
from devtools.emulator import BotApiEmulator, WebhookAttempt
from tests.auxil.process import start_bot, stderr, stop
from tests.auxil.running import free_port
from tests.auxil.telegram import WEBHOOK_SECRET, BotUnderTest

PERSONA = "chatty_expert"
NAME = "Gérard Fontaine"
LINE = "Pouvez-vous me décrire une journée type ?"


async def raw_request(port: int, head: str, body: bytes = b"") -> tuple[str, float]:
    """Send `head` (and `body`, possibly short of what the head announces) and return the
    status line with how long it took; the connection is left open meanwhile, so an answer
    means the server did not wait for the rest of the body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()
    try:
        writer.write(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 5)
        return status.decode().strip(), time.monotonic() - started
    finally:
        writer.close()


def post_head(port: int, *, secret: str | None, extra: str) -> str:
    lines = [
        "POST /telegram HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
    ]
    if secret is not None:
        lines.append(f"{SECRET_HEADER}: {secret}")
    return "\n".join([*lines, extra, ""])


def turns_saved(db: Path, chat: int) -> int:
    """The user lines of `chat`'s meeting as committed on disk (a separate connection)."""
    con = sqlite3.connect(db)
    try:
        # A meeting in progress keeps its turns in rows of their own (`meeting_turns`).
        row = con.execute(
            "SELECT count(*) FROM meeting_turns WHERE meeting_id ="
            " (SELECT id FROM meetings WHERE chat_id = ? ORDER BY id DESC LIMIT 1)",
            (chat,),
        ).fetchone()
    finally:
        con.close()
    return row[0] if row else 0


async def begin(bot: BotUnderTest, *chats: int) -> None:
    for chat in chats:
        bot.emulator.inject_callback(chat, f"begin:{PERSONA}", message_id=1)
    await bot.settle()
    for chat in chats:
        assert bot.rehearsals.current(chat) is not None


def acks(emulator: BotApiEmulator, update_id: int) -> list[WebhookAttempt]:
    return [a for a in emulator.webhook_attempts if a.update_id == update_id]


async def answered(emulator: BotApiEmulator, update_id: int, timeout: float = 10) -> float:
    """When the webhook POST of `update_id` was answered 200 (wall clock)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [a for a in acks(emulator, update_id) if a.status == 200]
        if done:
            return done[0].timestamp
        await asyncio.sleep(0.01)
    raise TimeoutError(f"update {update_id} not acknowledged: {acks(emulator, update_id)}")


@pytest.mark.timeout(60)
async def test_a_wrong_or_missing_secret_is_refused_before_the_body_is_read(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3", webhook=True).start()
        try:
            port = bot.webhook_port
            # 100 MB announced, none sent: an answer proves the body was never waited for,
            # and 403 rather than 413 that the secret came first.
            for secret in ("wrong-secret", None, WEBHOOK_SECRET[:-1]):
                head = post_head(port, secret=secret, extra="Content-Length: 100000000")
                status, took = await raw_request(port, head)
                assert status.startswith("HTTP/1.1 403"), (secret, status)
                assert took < 2
            # one log line a minute at most, whoever hammers the port
            refused = [r.getMessage() for r in caplog.records if "webhook_refused" in r.msg]
            assert refused == ["event=webhook_refused status=403 reason=bad_secret count=1"]
            assert bot.rehearsals.storage.db.execute(
                "SELECT count(*) FROM processed_updates"
            ).fetchone() == (0,)
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_an_oversized_body_is_refused_before_or_while_reading(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3", webhook=True).start()
        try:
            port = bot.webhook_port
            announced = post_head(port, secret=WEBHOOK_SECRET, extra=f"Content-Length: {10**9}")
            status, took = await raw_request(port, announced)
            assert status.startswith("HTTP/1.1 413") and took < 2

            # No length announced (chunked): read up to the limit, not one chunk further.
            chunk = b"x" * 65536
            chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5))
            assert len(chunked) > MAX_BODY
            head = post_head(port, secret=WEBHOOK_SECRET, extra="Transfer-Encoding: chunked")
            status, took = await raw_request(port, head, chunked)
            assert status.startswith("HTTP/1.1 413") and took < 2

            # The bot still serves Telegram.
            emulator.inject_message(901, "/start")
            await emulator.wait_for_messages(901, 1, timeout=10)
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_an_unreadable_update_is_logged_by_id_and_acknowledged(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3", webhook=True).start()
        try:
            port = bot.webhook_port
            for body in (
                b"Secret line, not JSON",
                json.dumps({"update_id": 77, "message": {"text": "Secret line"}}).encode(),
                json.dumps(["Secret line"]).encode(),
                b"[" * 200_000,  # nested deeper than the parser's stack
            ):
                head = post_head(port, secret=WEBHOOK_SECRET, extra=f"Content-Length: {len(body)}")
                status, _ = await raw_request(port, head, body)
                assert status.startswith("HTTP/1.1 200"), (body, status)
            unreadable = [r.getMessage() for r in caplog.records if "update_unreadable" in r.msg]
            assert len(unreadable) == 4 and "update=77 " in unreadable[1]
            assert "Secret line" not in caplog.text
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_the_acknowledgement_comes_after_the_turn_is_saved(tmp_path):
    db = tmp_path / "bot.sqlite3"
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, db, webhook=True).start()
        try:
            chat = 911
            await begin(bot, chat)
            seen: dict[int, int] = {}
            emulator.add_webhook_listener(
                lambda attempt: seen.setdefault(attempt.update_id, turns_saved(db, chat))
            )
            emulator.faults.delay = 1.0  # the reply is slow to send: PTB would have acked
            emulator.faults.force("delay", method="sendMessage", chat_id=chat)
            started = time.time()
            update = emulator.inject_message(chat, LINE)
            acked = await answered(emulator, update["update_id"])
            assert acked - started >= 1.0
            assert seen[update["update_id"]] == 1  # on disk when Telegram was told
            assert any(NAME in (m.get("text") or "") for m in emulator.sent_to(chat)[1:])
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_a_slow_chat_does_not_delay_the_acknowledgement_of_the_others(tmp_path):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3", webhook=True).start()
        try:
            slow, calm = 921, 922
            await begin(bot, slow, calm)
            emulator.faults.delay = 3.0
            emulator.faults.force("delay", method="sendMessage", chat_id=slow)
            stuck = emulator.inject_message(slow, LINE)
            await asyncio.sleep(0.2)  # its POST is being handled
            started = time.time()
            other = emulator.inject_message(calm, LINE)
            assert await answered(emulator, other["update_id"]) - started < 1.0
            assert not [a for a in acks(emulator, stuck["update_id"]) if a.status == 200]
            assert await answered(emulator, stuck["update_id"]) - started >= 2.5
        finally:
            await bot.stop()


@pytest.mark.timeout(60)
async def test_an_update_that_could_not_be_recorded_is_answered_500_and_delivered_again(
    tmp_path,
):
    async with BotApiEmulator() as emulator:
        bot = await BotUnderTest(emulator, tmp_path / "bot.sqlite3", webhook=True).start()
        try:
            chat = 931
            await begin(bot, chat)
            rehearsals = bot.rehearsals
            real, failures = rehearsals.handled, [1]

            def locked_once(update_id: int) -> bool:
                if failures:
                    failures.pop()
                    raise sqlite3.OperationalError("database is locked")
                return real(update_id)

            rehearsals.handled = locked_once
            update = emulator.inject_message(chat, LINE)
            await answered(emulator, update["update_id"])
            assert [a.status for a in acks(emulator, update["update_id"])] == [500, 200]
            assert [t.user for t in rehearsals.current(chat)[1].state.turns] == [LINE]
        finally:
            await bot.stop()


@pytest.mark.timeout(120)
async def test_the_real_process_serves_a_webhook_and_stops_cleanly(tmp_path):
    port = free_port()
    async with BotApiEmulator() as emulator:
        process = await start_bot(
            emulator.base_url,
            emulator.token,
            tmp_path,
            WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
            WEBHOOK_PORT=str(port),
            WEBHOOK_SECRET="process-secret",
        )
        await emulator.wait_for("setWebhook", timeout=60)
        call = emulator.calls_for("setWebhook")[-1]
        assert call.params["secret_token"] == "process-secret"
        emulator.inject_message(941, "/start")
        await emulator.wait_for_messages(941, 1, timeout=20)
        assert all(a.status == 200 for a in emulator.webhook_attempts)
        status, _ = await raw_request(port, post_head(port, secret="x", extra="Content-Length: 9"))
        assert status.startswith("HTTP/1.1 403")
        assert await stop(process) == 0
    log = stderr(tmp_path)
    assert "Traceback" not in log and "process-secret" not in log, log
    assert "event=start mode=webhook listen=127.0.0.1" in log
