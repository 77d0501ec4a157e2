"""A reply sent from the outbox is the very call `bot.send_message` makes, on the wire."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.ext import ExtBot
from telegram.request import BaseRequest

from bot.channels.telegram import outbox
from bot.storage.records import Outgoing

SENT = {
    "message_id": 7,
    "date": 1_700_000_000,
    "chat": {"id": 42, "type": "private", "first_name": "Camille"},
    "text": "Gérard Fontaine\nBonjour.",
}


class Recorded(BaseRequest):
    """Records each call's parameters, as they would go on the wire; answers a message."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict | None]] = []

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float:
        return 5.0

    async def do_request(self, url, method, request_data=None, **timeouts):
        self.calls.append((url.rsplit("/", 1)[1], request_data and request_data.json_parameters))
        return 200, json.dumps({"ok": True, "result": SENT}).encode()


KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("⏱ 12 min", callback_data="c:clock.1"),
            InlineKeyboardButton("🏁 Fin", callback_data="c:end.1"),
        ],
        [InlineKeyboardButton("↩️ Annuler", callback_data="c:undo.1.3")],
    ]
)


@pytest.mark.parametrize("keyboard", [KEYBOARD, None])
@pytest.mark.parametrize("silent", [False, True])
async def test_the_outbox_sends_what_send_message_would(keyboard, silent):
    request = Recorded()
    bot = ExtBot("123:abc", request=request, get_updates_request=Recorded())
    replies = outbox.Replies(42)
    replies.text("<b>Gérard</b> « é » <i>x</i>", keyboard=keyboard, silent=silent)
    [message] = json.loads(json.dumps(replies.messages))  # as stored
    await outbox._send(SimpleNamespace(bot=bot), Outgoing(1, 42, message, "me", 0, 0))
    await bot.send_message(
        42,
        message["text"],
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        disable_notification=silent,
    )
    assert request.calls[0] == request.calls[1]
    assert list(request.calls[0][1]) == list(request.calls[1][1])  # the same order, too
