"""How the outbox sends what it stores: a text as a message, and a scorecard whose picture
cannot be drawn as its caption alone (the score and the next step still go)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bot.channels.telegram import outbox
from bot.storage.records import Outgoing


class FakeBot:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, bool]] = []

    async def _post(self, endpoint: str, data: dict[str, Any]) -> None:
        """A text goes as the raw sendMessage (see `tests/channels/test_outbox_wire.py`)."""
        assert endpoint == "sendMessage"
        self.sent.append(("message", data["text"], data["disable_notification"]))

    async def send_photo(self, chat_id: int, photo: Any, **options: Any) -> None:
        self.sent.append(("photo", options["caption"], options["disable_notification"]))


async def sent(message: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """What the outbox asks of Telegram for `message`; no persona is known, so no scorecard
    can be drawn."""
    bot = FakeBot()
    rehearsals = SimpleNamespace(personas=SimpleNamespace(personas={}))
    application = SimpleNamespace(bot=bot, bot_data={"rehearsals": rehearsals})
    await outbox._send(application, Outgoing(1, 1001, message, "me", 0.0, 0.0))
    return bot.sent


async def test_a_text_goes_as_a_message() -> None:
    assert await sent({"text": "Hello", "keyboard": None, "silent": False}) == [
        ("message", "Hello", False)
    ]


async def test_a_scorecard_that_cannot_be_drawn_goes_as_its_caption() -> None:
    card = {"feedback": {}, "persona": "nobody", "lang": "fr", "exam": False}
    message = {"scorecard": card, "caption": "72/100", "keyboard": None, "silent": True}
    assert await sent(message) == [("message", "72/100", True)]
