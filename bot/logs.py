"""Logging: key=value lines that let one follow a conversation, and never leak the token
or what users wrote.

Users' texts reach a log through three doors, each closed here unless `LOG_USER_TEXT=true`
(for local debugging only):
- libraries' debug lines: PTB logs every request's parameters and every update at DEBUG, and
  its request layer logs a whole unreadable answer; those loggers are kept above that level;
- exception messages (a `KeyError` of a user's word, a `ValueError` quoting a line), in a
  traceback or in a message's arguments: shown by type only, except for the types whose
  messages come from the system or from Telegram (`OSError`, `sqlite3.Error`, `TelegramError`);
- our own lines, which log ids and event names, never texts.
The token is masked in the final line, tracebacks included (an httpx error can quote a URL).
"""

from __future__ import annotations

import logging
import sqlite3
import traceback
from collections.abc import Iterable
from types import TracebackType

from telegram.error import TelegramError

#: Exceptions whose messages never quote a user: shown in full.
SAFE_EXCEPTIONS: tuple[type[BaseException], ...] = (OSError, sqlite3.Error, TelegramError)
#: Loggers that print request bodies or updates (so users' texts) below these levels.
QUIET_LOGGERS = {
    "httpx": logging.WARNING,  # request URLs, and so the token
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,  # DEBUG: every request's parameters, every update
    "telegram.request": logging.CRITICAL,  # an unreadable answer, whole (the caller says it)
}
#: Libraries' INFO lines that say nothing about a conversation: the meeting's state machine
#: logs two lines per phase change ("Finished processing state … callbacks"), with no chat
#: or meeting id, which cost a formatted and written line each (six per meeting begun).
#: Shown again with LOG_LEVEL=DEBUG.
NOISY_LOGGERS = {"transitions": logging.WARNING}

_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class RedactSecrets(logging.Formatter):
    """The house format, with secrets masked in the whole line (tracebacks included) and,
    unless `user_text`, exception messages reduced to their type."""

    def __init__(self, secrets: Iterable[str] = (), *, user_text: bool = False) -> None:
        super().__init__("%(asctime)s level=%(levelname)s logger=%(name)s %(message)s")
        self.secrets = [s for s in secrets if s]
        self.user_text = user_text

    def format(self, record: logging.LogRecord) -> str:
        if not self.user_text:
            record.msg = _hide(record.msg)
            if isinstance(record.args, tuple):
                record.args = tuple(_hide(arg) for arg in record.args)
        line = super().format(record)
        for secret in self.secrets:
            line = line.replace(secret, "[REDACTED]")
        return line

    def formatException(self, ei: _ExcInfo) -> str:
        if self.user_text or ei[1] is None:
            return super().formatException(ei)
        chain: list[BaseException] = []
        exc: BaseException | None = ei[1]
        while exc is not None and exc not in chain:
            chain.append(exc)
            exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        lines: list[str] = []
        for exc in reversed(chain):
            if lines:
                lines.append("\nThe above exception led to the following one:\n\n")
            lines.append("Traceback (most recent call last):\n")
            lines.extend(traceback.format_tb(exc.__traceback__))
            lines.append(f"{_hide(exc)}\n")
        return "".join(lines).rstrip("\n")


class _Hidden:
    """An exception's stand-in: the same text with `%s` and `%r`."""

    def __init__(self, exc: BaseException) -> None:
        kind = type(exc)
        self.text = f"{kind.__module__}.{kind.__qualname__}(message hidden)"

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def _hide(value: object) -> object:
    """An exception, as its type only unless its message is known not to quote a user."""
    if not isinstance(value, BaseException) or isinstance(value, SAFE_EXCEPTIONS):
        return value
    return _Hidden(value)


def setup_logging(
    level: str = "INFO", secrets: Iterable[str] = (), user_text: bool = False
) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactSecrets(secrets, user_text=user_text))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, quiet in QUIET_LOGGERS.items():
        least = quiet if not user_text or name.startswith("http") else logging.NOTSET
        logging.getLogger(name).setLevel(max(least, logging.getLevelName(level)))
    for name, least in NOISY_LOGGERS.items():
        chosen = logging.getLevelName(level)
        logging.getLogger(name).setLevel(chosen if chosen <= logging.DEBUG else max(least, chosen))
