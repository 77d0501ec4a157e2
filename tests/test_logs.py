"""Logs: never the token, never a user's text unless LOG_USER_TEXT=true (local debugging)."""

from __future__ import annotations

import io
import logging
import sqlite3

import pytest
from telegram.error import BadRequest

from bot.logs import RedactSecrets, setup_logging
from devtools.emulator import BotApiEmulator
from tests.auxil.process import start_bot, stderr, stop

TOKEN = "123456:AAE-secret-token-value"
USER_LINE = "Je m'appelle Zéphyrine Quetzal et je cherche un poste"


def capture(user_text: bool = False) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactSecrets([TOKEN], user_text=user_text))
    logger = logging.getLogger(f"test.logs.{user_text}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_the_token_is_masked_in_messages_arguments_and_tracebacks():
    logger, stream = capture()
    logger.info("GET https://api.telegram.org/bot%s/getMe", TOKEN)
    logger.info(f"url=https://api.telegram.org/bot{TOKEN}/getUpdates")
    logger.error("event=error", exc_info=raised(OSError(f"cannot reach /bot{TOKEN}/getMe")))
    out = stream.getvalue()
    assert TOKEN not in out
    assert out.count("[REDACTED]") == 3 and "Traceback" in out


def test_exception_messages_are_hidden_unless_known_safe():
    logger, stream = capture()
    error = raised(KeyError(USER_LINE))
    logger.error("event=error chat=1 error=%r", error, exc_info=error)
    chained = raised(ValueError("wrapped"))
    chained.__cause__ = raised(RuntimeError(USER_LINE))
    logger.error("event=error", exc_info=chained)
    logger.error(raised(ValueError(USER_LINE)))
    out = stream.getvalue()
    assert "Zéphyrine" not in out
    assert "error=builtins.KeyError(message hidden)" in out
    assert "builtins.RuntimeError(message hidden)" in out and "test_logs.py" in out
    logger.error("e=%s", raised(sqlite3.OperationalError("database is locked")))
    logger.error("e=%s", BadRequest("Message is too long"))
    assert "database is locked" in stream.getvalue()
    assert "Message is too long" in stream.getvalue()


def test_log_user_text_shows_exception_messages_for_local_debugging():
    logger, stream = capture(user_text=True)
    logger.error("error=%r", KeyError(USER_LINE), exc_info=raised(KeyError(USER_LINE)))
    assert stream.getvalue().count("Zéphyrine") == 2


@pytest.mark.parametrize("user_text", [False, True])
def test_library_loggers_stay_above_their_dumps(user_text):
    setup_logging("DEBUG", secrets=[TOKEN], user_text=user_text)
    try:
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
        telegram = logging.getLogger("telegram.Bot").getEffectiveLevel()
        assert telegram == (logging.DEBUG if user_text else logging.INFO)
        assert logging.getLogger("bot.channels").getEffectiveLevel() == logging.DEBUG
    finally:
        setup_logging("WARNING")
        for name in ("httpx", "httpcore", "telegram", "telegram.request"):
            logging.getLogger(name).setLevel(logging.NOTSET)


@pytest.mark.parametrize(("level", "shown"), [("INFO", False), ("DEBUG", True)])
def test_the_state_machine_says_its_phase_changes_only_when_debugging(level, shown):
    """Its INFO lines ("Finished processing state … callbacks") name no chat or meeting:
    at INFO they only cost a written line each; LOG_LEVEL=DEBUG shows them."""
    setup_logging(level)
    try:
        assert logging.getLogger("transitions.core").isEnabledFor(logging.INFO) is shown
        assert logging.getLogger("transitions.core").isEnabledFor(logging.WARNING)
    finally:
        setup_logging("WARNING")
        logging.getLogger("transitions").setLevel(logging.NOTSET)


@pytest.mark.slow
@pytest.mark.parametrize("user_text", [False, True])
@pytest.mark.timeout(120)
async def test_a_meeting_at_debug_level_logs_no_user_text_and_no_token(tmp_path, user_text):
    """The real process at LOG_LEVEL=DEBUG; with LOG_USER_TEXT=true the same run does show
    the lines (so the check can fail), and the token stays masked either way."""
    lines = [
        "Bonjour, je m'appelle Zéphyrine Quetzal, acheteuse pendant huit ans.",
        "Pouvez-vous me décrire une journée type, Quetzalcoatl-4242 ?",
        "Merci beaucoup pour votre temps, Zéphyrine vous remercie.",
    ]
    async with BotApiEmulator(token=TOKEN) as emulator:
        process = await start_bot(
            emulator.base_url,
            TOKEN,
            tmp_path,
            wait=emulator,
            LOG_LEVEL="DEBUG",
            LOG_USER_TEXT=str(user_text).lower(),
        )
        chat = 700
        emulator.inject_callback(chat, "begin:chatty_expert", message_id=1)
        for line in [*lines, "/end"]:
            emulator.inject_message(chat, line)
        await emulator.wait_for_messages(chat, 1, timeout=30, types={"photo"})
        await emulator.wait_idle(quiet=0.5, timeout=30)
        assert await stop(process) == 0
    log = stderr(tmp_path)
    assert "level=DEBUG" in log and TOKEN not in log
    shown = [word for word in ("Zéphyrine", "Quetzalcoatl-4242", "journée type") if word in log]
    assert shown == (["Zéphyrine", "Quetzalcoatl-4242", "journée type"] if user_text else [])
