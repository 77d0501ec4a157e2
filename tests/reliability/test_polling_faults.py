"""Never down, polling side: `python -m bot telegram` outlives what `getUpdates` may answer.

The real process polls the local Bot API emulator, which answers 429, a non-JSON body, a
`result` that is not a list, updates the library cannot read, or is not there at all. After
each fault the process is still running and a new chat still gets its welcome; its stderr
holds one line per fault and no traceback.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from devtools.emulator import BotApiEmulator
from tests.auxil.process import start_bot, stderr, stop
from tests.auxil.running import free_port

HOSTILE = {  # what Telegram never sends, but a bug, a proxy or an attacker might
    "no date": {"message": {"message_id": 7, "chat": {"id": 501, "type": "private"}}},
    "no message_id": {
        "message": {"date": 1, "chat": {"id": 502, "type": "private"}, "text": "Secret line"}
    },
    "huge date": {
        "message": {
            "message_id": 8,
            "date": 10**20,
            "chat": {"id": 503, "type": "private"},
            "text": "Secret line",
        }
    },
}


async def still_serving(emulator: BotApiEmulator, process, chat: int) -> None:
    """The process runs and a new chat gets the welcome."""
    assert process.returncode is None
    emulator.inject_message(chat, "/start")
    await emulator.wait_for_messages(chat, 1, timeout=20)
    assert process.returncode is None


@pytest.mark.timeout(120)
async def test_polling_survives_what_get_updates_may_answer(tmp_path):
    async with BotApiEmulator() as emulator:
        process = await start_bot(emulator.base_url, emulator.token, tmp_path, wait=emulator)
        await still_serving(emulator, process, 600)

        # Flood control on getUpdates itself: waited out as Telegram asks.
        emulator.faults.retry_after = 1
        emulator.faults.force("429", method="getUpdates")
        await emulator.wait_for(lambda c: c.method == "getUpdates" and c.fault == "429")
        started = time.monotonic()
        await still_serving(emulator, process, 601)
        assert time.monotonic() - started >= 0.9

        # A proxy's HTML page, then an answer whose result is not a list.
        emulator.faults.force_answer("getUpdates", 200, b"<html>502 Bad Gateway</html>")
        await still_serving(emulator, process, 602)
        emulator.faults.force_answer("getUpdates", 200, {"ok": True, "result": {"a": 1}})
        await still_serving(emulator, process, 603)
        emulator.faults.force_answer("getUpdates", 200, {"ok": True, "result": None})
        await still_serving(emulator, process, 605)

        # Updates the library cannot read: logged by id, confirmed, never delivered again.
        ids = [emulator.inject_raw(update)["update_id"] for update in HOSTILE.values()]
        await still_serving(emulator, process, 604)
        await asyncio.sleep(0.5)
        assert all(sum(u["update_id"] == i for u in emulator.delivered) == 1 for i in ids)
        assert not emulator.pending_updates

        # An id no real update has (SQLite and Telegram count in signed 64 bits): confirmed
        # too. No normal chat can be checked after it: the emulator's next ids are smaller,
        # so the offset that confirms it also confirms them.
        emulator.inject_raw({"message": {"text": "Secret line"}}, update_id=2**63)
        for _ in range(200):
            if not emulator.pending_updates:
                break
            await asyncio.sleep(0.1)
        assert not emulator.pending_updates
        assert [u["update_id"] for u in emulator.delivered].count(2**63) == 1
        await asyncio.sleep(0.5)
        assert process.returncode is None
        assert await stop(process) == 0

    log = stderr(tmp_path)
    assert "Traceback" not in log and "Secret line" not in log, log
    lines = log.splitlines()
    assert sum("event=poll_flood_control retry_after=1" in line for line in lines) == 1
    assert sum("event=poll_error error_type=" in line for line in lines) == 3, log
    unreadable = [line for line in lines if "event=update_unreadable" in line]
    assert [line.split("update=")[1].split()[0] for line in unreadable] == [
        *map(str, ids),
        str(2**63),
    ]


@pytest.mark.timeout(120)
async def test_no_network_at_start_is_one_line_then_the_bot_serves_when_telegram_answers(
    tmp_path,
):
    """Retry, rather than exit: a bot started before its network (at boot, in a container
    whose network comes up later) must not need a supervisor to come back."""
    port = free_port()
    token = "123456:TEST-TOKEN"
    process = await start_bot(f"http://127.0.0.1:{port}/bot", token, tmp_path)
    for _ in range(300):  # start-up (personas, lexicons) takes a few seconds
        if "event=telegram_unreachable" in stderr(tmp_path):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(3.5)  # two more attempts (after 1 s and 2 s)
    assert process.returncode is None
    log = stderr(tmp_path)
    assert "Traceback" not in log and token not in log
    [line] = [line for line in log.splitlines() if "level=INFO" not in line]
    assert "event=telegram_unreachable" in line and "Telegram cannot be reached" in line

    async with BotApiEmulator(port=port) as emulator:
        await emulator.wait_for("deleteWebhook", timeout=90)
        await still_serving(emulator, process, 610)
        assert await stop(process) == 0
