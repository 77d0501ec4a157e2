"""Run the real bot application against the local Bot API emulator, like a user would."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.channels.telegram.app import create
from bot.channels.telegram.polling import poll_updates
from bot.channels.telegram.webhook import start_webhook
from bot.settings import Settings
from devtools.emulator import BotApiEmulator
from tests.auxil.running import free_port

__all__ = ["WEBHOOK_SECRET", "BotUnderTest", "buttons", "free_port", "texts"]

WEBHOOK_SECRET = "test-secret"


class BotUnderTest:
    """The application as `python -m bot telegram` builds it, pointed at the emulator."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        db: Path,
        *,
        webhook: bool = False,
        rate_limit: bool = False,
        **env: str,
    ):
        self.emulator = emulator
        self.settings = Settings.from_env(
            {
                "TELEGRAM_BOT_TOKEN": emulator.token,
                "TELEGRAM_API_BASE_URL": emulator.base_url,
                "DATABASE_URL": f"sqlite:///{db}",
                **env,
            }
        )
        self.webhook = webhook
        self.rate_limit = rate_limit
        self.app = None

    async def start(self) -> BotUnderTest:
        self.app = create(self.settings, rate_limit=self.rate_limit)
        await self.app.initialize()
        await self.app.post_init(self.app)  # commands, retention job
        await self.app.start()
        if self.webhook:  # the production webhook server: 200 once the update is handled
            self.webhook_port = free_port()
            self._server = await start_webhook(
                self.app,
                listen="127.0.0.1",
                port=self.webhook_port,
                url=f"http://127.0.0.1:{self.webhook_port}/telegram",
                secret=WEBHOOK_SECRET,
            )
        else:  # the production polling loop, confirm-after-commit
            self._stop = asyncio.Event()
            self._poller = asyncio.create_task(poll_updates(self.app, self._stop, timeout=1))
        return self

    async def stop(self) -> None:
        if self.app is None:
            return
        if self.webhook:
            await self._server.stop()
        else:
            self._stop.set()
            await self._poller
        await self.app.stop()
        await self.app.post_shutdown(self.app)
        await self.app.shutdown()
        self.app.bot_data["rehearsals"].storage.close()
        self.app = None

    @property
    def rehearsals(self):
        return self.app.bot_data["rehearsals"]

    async def settle(self) -> None:
        """Wait until the emulator is quiet and no update is being handled (a handler may
        be busy without any HTTP call, e.g. drawing a picture)."""
        processor = self.app.update_processor
        while True:
            await self.emulator.wait_idle(quiet=0.15, timeout=20)
            if processor.current_concurrent_updates == 0:
                return
            await asyncio.sleep(0.05)

    async def send(self, chat_id: int, text: str, **kwargs: Any) -> list[dict]:
        """The user types `text`; returns what the bot sent in that chat in response."""
        before = len(self.emulator.sent_to(chat_id))
        self.emulator.inject_message(chat_id, text, **kwargs)
        await self.settle()
        return self.emulator.sent_to(chat_id)[before:]

    async def tap(self, chat_id: int, data: str, message_id: int, **kwargs: Any) -> list[dict]:
        """The user taps an inline button."""
        before = len(self.emulator.sent_to(chat_id))
        self.emulator.inject_callback(chat_id, data, message_id=message_id, **kwargs)
        await self.settle()
        return self.emulator.sent_to(chat_id)[before:]


def buttons(item: dict) -> list[tuple[str, str]]:
    markup = item.get("reply_markup") or {}
    return [
        (button["text"], button.get("callback_data", ""))
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]


def texts(items: list[dict]) -> list[str]:
    return [item.get("text") or "" for item in items]
