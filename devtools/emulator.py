"""A local emulator of the Telegram Bot API, for tests and manual rehearsals.

Why it exists: the bot's tests must never reach the internet, yet mocking
python-telegram-bot (PTB) objects would skip exactly the code paths that break in
production: how requests are encoded, how HTTP errors become exceptions, how Telegram
rejects bad HTML, how long polling confirms updates, how webhooks are delivered. This
module serves the real Bot API wire protocol over HTTP on 127.0.0.1 so the real PTB
``Application`` runs unmodified against it::

    async with BotApiEmulator() as emulator:
        app = (
            ApplicationBuilder()
            .token(emulator.token)
            .base_url(emulator.base_url)
            .base_file_url(emulator.base_file_url)
            .build()
        )
        ...
        emulator.inject_message(42, "bonjour")
        [echo] = await emulator.wait_for_messages(42, 1)

What it does, in short:

* answers the Bot API methods the bot uses (``getMe``, ``getUpdates`` with real long
  polling and offsets, webhooks, ``sendMessage``, edits, callback answers, commands,
  documents and photos...) with the JSON shapes Telegram documents, and with Telegram's
  own error descriptions where tests need to catch mistakes (bad HTML, over-long text,
  "message is not modified"...);
* lets a test inject updates (messages, commands, callback queries, media, edits, raw
  updates, and re-deliveries of an update with the same ``update_id``);
* records every call, and offers waiters (``wait_for``, ``wait_for_messages``,
  ``wait_idle``) so tests do not sleep blindly;
* injects faults (429 with ``retry_after``, 5xx, delays, dropped connections) from a
  seeded random generator, so reliability tests are reproducible.

Run ``python -m devtools.emulator --port 8081`` to use it by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import logging
import random
import re
import socket
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeVar

from aiohttp import BodyPartReader, ClientError, ClientSession, ClientTimeout, web

__all__ = [
    "DEFAULT_FAULT_METHODS",
    "ApiError",
    "BotApiEmulator",
    "EntityParseError",
    "FaultSettings",
    "FormattedText",
    "RecordedCall",
    "RecordedFile",
    "WebhookAttempt",
    "parse_html",
    "utf16_len",
]

LOGGER = logging.getLogger(__name__)

JsonDict = dict[str, Any]
_T = TypeVar("_T")

DEFAULT_TOKEN: Final = "123456:TEST-TOKEN"
MAX_MESSAGE_LENGTH: Final = 4096
MAX_CAPTION_LENGTH: Final = 1024
MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_COMMANDS: Final = 100

#: Methods that faults apply to unless :attr:`FaultSettings.methods` is changed: the
#: calls whose failure the bot must survive while talking to a user.
DEFAULT_FAULT_METHODS: Final = frozenset(
    {"sendMessage", "editMessageText", "sendChatAction", "sendDocument", "sendPhoto"}
)

# Telegram does not deliver these unless they are listed in allowed_updates.
_OPT_IN_UPDATE_TYPES: Final = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)

_CHAT_ACTIONS: Final = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

# Parameters that Telegram types as String. PTB sends every string raw and everything
# else JSON-encoded, so a text such as "42" or "true" must not be JSON-decoded.
_STRING_PARAMS: Final = frozenset(
    {
        "action",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "custom_emoji_id",
        "description",
        "emoji",
        "file_id",
        "inline_message_id",
        "ip_address",
        "language_code",
        "message_effect_id",
        "name",
        "parse_mode",
        "query",
        "secret_token",
        "short_description",
        "text",
        "title",
        "url",
        # Input files given as a file_id, a URL or an attach:// reference.
        "animation",
        "audio",
        "document",
        "photo",
        "sticker",
        "thumbnail",
        "video",
        "video_note",
        "voice",
    }
)
_ID_PARAMS: Final = frozenset({"chat_id", "from_chat_id", "user_id", "sender_chat_id"})
_INT_RE: Final = re.compile(r"-?\d+")
_WELL_FORMED_TOKEN: Final = re.compile(r"\d+:[A-Za-z0-9_-]+")
_BOT_COMMAND_RE: Final = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")
_COMMAND_NAME_RE: Final = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_TOKEN_RE: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")

_DEFAULT_GROUP_USER_ID: Final = 4242
_DEFAULT_FIRST_NAME: Final = "Camille"
# Tiny placeholder payloads for injected media, so getFile/download work without data.
_FAKE_JPEG: Final = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00emulator-photo\xff\xd9"
_FAKE_OGG: Final = b"OggS\x00\x02emulator-voice"


# --------------------------------------------------------------------------------------
# Formatted text: the parsers Telegram applies to parse_mode, so tests catch bad markup.
# --------------------------------------------------------------------------------------


class EntityParseError(ValueError):
    """Raised when text cannot be parsed for its ``parse_mode``.

    The message is the part Telegram puts after ``"Bad Request: can't parse entities: "``.
    """


@dataclass(frozen=True)
class FormattedText:
    """Visible text and its entities, as Telegram stores a message after parsing.

    Offsets and lengths of ``entities`` are in UTF-16 code units, as in the Bot API.
    """

    text: str
    entities: list[JsonDict]


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    """UTF-8 byte offset of ``source[index]``: Telegram's error messages count bytes."""
    return len(source[:index].encode("utf-8"))


def _char_utf16(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


_HTML_TAGS: Final = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_HTML_ENTITY_TYPES: Final = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}
_HTML_SPACES: Final = frozenset(" \t\r\n\v\f")
_NAMED_HTML_ENTITIES: Final = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at ``text[pos] == "&"`` the way Telegram does.

    Only ``&lt; &gt; &amp; &quot;`` and numeric references are understood; anything else
    is not an error for Telegram: the ``&`` simply stays literal. Returns the character
    and the position after the reference, or ``None``.
    """
    size = len(text)
    end = pos + 1
    if end < size and text[end] == "#":
        end += 1
        code = 0
        if end < size and text[end] == "x":
            end += 1
            while end < size and text[end] in "0123456789abcdefABCDEF":
                code = code * 16 + int(text[end], 16)
                end += 1
                if code >= 0x10FFFF:
                    return None
        else:
            while end < size and "0" <= text[end] <= "9":
                code = code * 10 + int(text[end])
                end += 1
                if code >= 0x10FFFF:
                    return None
        if code == 0 or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < size and text[end].isascii() and text[end].isalpha():
            end += 1
        named = _NAMED_HTML_ENTITIES.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    if end < size and text[end] == ";":
        end += 1
    return char, end


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_start: int
    char_start: int


def parse_html(source: str) -> FormattedText:
    """Parse Telegram's HTML flavour like the Bot API server (TDLib) does.

    Why a faithful port rather than a generic HTML parser: the bot must find out in
    tests, not in production, that it sent ``<br>``, an unescaped ``<``, or an unclosed
    ``<b>``. Error texts and byte offsets follow Telegram's.
    """
    size = len(source)
    out: list[str] = []
    utf16_pos = 0
    entities: list[JsonDict] = []
    stack: list[_OpenTag] = []
    i = 0
    while i < size:
        char = source[i]
        if char == "&":
            decoded = _decode_html_entity(source, i)
            if decoded is not None:
                out.append(decoded[0])
                utf16_pos += _char_utf16(decoded[0])
                i = decoded[1]
                continue
        if char != "<":
            out.append(char)
            utf16_pos += _char_utf16(char)
            i += 1
            continue
        begin = i
        i += 1
        if i < size and source[i] == "/":
            i = _parse_html_end_tag(source, begin, stack, entities, out, utf16_pos)
        else:
            i = _parse_html_start_tag(source, begin, stack, utf16_pos, len(out))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return _trim(FormattedText("".join(out), _sorted_entities(entities)))


def _parse_html_start_tag(
    source: str, begin: int, stack: list[_OpenTag], utf16_pos: int, out_len: int
) -> int:
    """Parse ``<tag attr=...>`` starting at ``begin``; push it; return the next index."""
    size = len(source)
    i = begin + 1
    while i < size and source[i] not in _HTML_SPACES and source[i] != ">":
        i += 1
    if i >= size:
        raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(source, begin)}")
    tag = source[begin + 1 : i].lower()
    if tag not in _HTML_TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{tag}" at byte offset {_byte_offset(source, begin)}'
        )
    where = f'the tag "{tag}" at byte offset {_byte_offset(source, begin)}'
    argument = ""
    while True:
        while i < size and source[i] in _HTML_SPACES:
            i += 1
        if i >= size:
            raise EntityParseError(
                f'Unclosed start tag "{tag}" at byte offset {_byte_offset(source, begin)}'
            )
        if source[i] == ">":
            break
        attr_begin = i
        while i < size and source[i] not in _HTML_SPACES and source[i] not in "=>":
            i += 1
        attribute = source[attr_begin:i].lower()
        if not attribute:
            raise EntityParseError(f"Empty attribute name in {where}")
        while i < size and source[i] in _HTML_SPACES:
            i += 1
        if i >= size or source[i] != "=":
            if tag == "blockquote" and attribute == "expandable":
                argument = "expandable"
                continue
            raise EntityParseError(f"Expected equal sign in declaration of an attribute of {where}")
        i += 1
        while i < size and source[i] in _HTML_SPACES:
            i += 1
        if i >= size:
            raise EntityParseError(
                f'Unclosed start tag "{tag}" at byte offset {_byte_offset(source, begin)}'
            )
        value_chars: list[str] = []
        if source[i] in "'\"":
            quote = source[i]
            i += 1
            while i < size and source[i] != quote:
                if source[i] == "&":
                    decoded = _decode_html_entity(source, i)
                    if decoded is not None:
                        value_chars.append(decoded[0])
                        i = decoded[1]
                        continue
                value_chars.append(source[i])
                i += 1
            if i >= size:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(source, begin)}"
                )
            i += 1
            value = "".join(value_chars)
        else:
            token_begin = i
            while i < size and ((source[i].isascii() and source[i].isalnum()) or source[i] in ".-"):
                i += 1
            value = source[token_begin:i].lower()
            if i >= size or (source[i] not in _HTML_SPACES and source[i] != ">"):
                raise EntityParseError(
                    "Unexpected end of name token at byte offset "
                    f"{_byte_offset(source, token_begin)}"
                )
        if tag == "a" and attribute == "href":
            argument = value
        elif tag == "code" and attribute == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and attribute == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and attribute == "emoji-id":
            argument = value
    if tag == "span" and argument != "spoiler":
        raise EntityParseError(
            f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(source, begin)}'
        )
    if tag == "tg-emoji" and not _INT_RE.fullmatch(argument):
        raise EntityParseError("Invalid custom emoji identifier specified")
    stack.append(_OpenTag(tag, argument, utf16_pos, out_len))
    return i + 1


def _parse_html_end_tag(
    source: str,
    begin: int,
    stack: list[_OpenTag],
    entities: list[JsonDict],
    out: list[str],
    utf16_pos: int,
) -> int:
    """Parse ``</tag>`` at ``begin``; pop and emit the entity; return the next index."""
    size = len(source)
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(source, begin)}")
    i = begin + 2
    while i < size and source[i] not in _HTML_SPACES and source[i] != ">":
        i += 1
    end_name = source[begin + 2 : i].lower()
    while i < size and source[i] in _HTML_SPACES:
        i += 1
    if i >= size or source[i] != ">":
        raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(source, begin)}")
    opened = stack.pop()
    if end_name and end_name != opened.name:
        raise EntityParseError(
            f"Unmatched end tag at byte offset {_byte_offset(source, begin)}, "
            f'expected "</{opened.name}>", found "</{end_name}>"'
        )
    length = utf16_pos - opened.utf16_start
    if length > 0:
        entity = _html_entity(opened, length, "".join(out[opened.char_start :]))
        if entity is not None:
            if entity["type"] == "pre":
                _absorb_inner_code(entity, entities)
            entities.append(entity)
    return i + 1


def _html_entity(opened: _OpenTag, length: int, inner_text: str) -> JsonDict | None:
    """Build the Bot API MessageEntity for a closed tag (None when Telegram drops it)."""
    base: JsonDict = {"offset": opened.utf16_start, "length": length}
    name = opened.name
    if name in _HTML_ENTITY_TYPES:
        return {"type": _HTML_ENTITY_TYPES[name], **base}
    if name == "a":
        url = opened.argument or inner_text
        if not url:
            return None
        return {"type": "text_link", **base, "url": url}
    if name == "code":
        entity: JsonDict = {"type": "code", **base}
        if opened.argument:
            entity["_language"] = opened.argument
        return entity
    if name == "pre":
        return {"type": "pre", **base}
    if name == "blockquote":
        kind = "expandable_blockquote" if opened.argument else "blockquote"
        return {"type": kind, **base}
    if name == "tg-emoji":
        return {"type": "custom_emoji", **base, "custom_emoji_id": opened.argument}
    return None


def _absorb_inner_code(pre: JsonDict, entities: list[JsonDict]) -> None:
    """``<pre><code class="language-x">`` is one ``pre`` entity with a language."""
    for index, entity in enumerate(entities):
        if (
            entity["type"] == "code"
            and entity["offset"] == pre["offset"]
            and entity["length"] == pre["length"]
        ):
            if entity.get("_language"):
                pre["language"] = entity["_language"]
            del entities[index]
            return


def _sorted_entities(entities: list[JsonDict]) -> list[JsonDict]:
    for entity in entities:
        entity.pop("_language", None)
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _trim(formatted: FormattedText) -> FormattedText:
    """Strip leading/trailing whitespace like Telegram, keeping entities aligned."""
    text = formatted.text
    stripped = text.strip()
    if stripped == text:
        return formatted
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    entities: list[JsonDict] = []
    for entity in formatted.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(stripped, entities)


# --------------------------------------------------------------------------------------
# Records, errors and fault settings
# --------------------------------------------------------------------------------------


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(
        self,
        error_code: int,
        description: str,
        parameters: JsonDict | None = None,
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JsonDict:
        """The JSON body Telegram sends for this error."""
        body: JsonDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class RecordedFile:
    """A file uploaded with ``multipart/form-data`` (field name, filename, bytes)."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedCall:
    """One Bot API request as the emulator received and answered it.

    ``params`` holds the decoded values: strings as sent, other values JSON-decoded
    (``reply_markup`` is a dict, ``chat_id`` an int...). ``fault`` names the injected
    fault served instead of (or, for ``"drop_after"``, after) the real answer.
    """

    method: str
    params: JsonDict
    files: dict[str, RecordedFile]
    timestamp: float
    http_status: int = 0
    response: JsonDict | None = None
    fault: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the answer was ``{"ok": true, ...}``."""
        return bool(self.response and self.response.get("ok"))

    @property
    def result(self) -> Any:
        """The ``result`` of a successful answer (None otherwise)."""
        return self.response.get("result") if self.response else None

    @property
    def description(self) -> str | None:
        """The error description of a failed answer (None otherwise)."""
        return self.response.get("description") if self.response else None

    def summary(self, width: int = 160) -> str:
        """One line for failure dumps: method, status, fault, shortened params."""
        params = json.dumps(self.params, ensure_ascii=False, default=str)
        if len(params) > width:
            params = params[: width - 1] + "…"
        files = f" files={sorted(self.files)}" if self.files else ""
        fault = f" fault={self.fault}" if self.fault else ""
        return f"{self.method} -> {self.http_status}{fault} {params}{files}"


@dataclass(frozen=True)
class WebhookAttempt:
    """One POST of an update to the bot's webhook."""

    update_id: int
    attempt: int
    status: int | None
    error: str | None
    timestamp: float


FaultKind = Literal["429", "500", "502", "5xx", "delay", "drop", "drop_after"]


@dataclass(frozen=True)
class FaultPlan:
    """What :meth:`FaultSettings.decide` chose for one request."""

    delay: float = 0.0
    outcome: str | None = None  # "429", "500", "502", "drop", "drop_after", "answer" or None
    answer: tuple[int, bytes] | None = None  # for "answer": the HTTP status and raw body


@dataclass
class FaultSettings:
    """Fault injection settings, applied to the methods in :attr:`methods` only.

    Why rates plus a seed: reliability tests need realistic, random-looking failures
    that are still reproducible run after run. Each eligible request draws the same
    number of random values in the same order, so a seed always gives the same faults
    for the same call sequence. :meth:`force` queues deterministic one-off faults for
    tests that need an exact scenario.

    Rates are probabilities in 0..1:

    * ``rate_429``: answer 429 "Too Many Requests" with ``parameters.retry_after`` set
      to :attr:`retry_after` (Telegram sends whole seconds; a float is allowed to keep
      tests fast);
    * ``rate_5xx``: answer one of :attr:`server_error_codes` (500, 502);
    * ``rate_delay``: wait :attr:`delay` seconds before answering (combines with the
      others);
    * ``rate_drop``: close the connection without answering, before doing anything;
    * ``rate_drop_after``: do the work (the message *is* sent) and then close the
      connection without answering: the case that makes naive retries duplicate
      messages.
    """

    rate_429: float = 0.0
    retry_after: float = 1
    rate_5xx: float = 0.0
    server_error_codes: tuple[int, ...] = (500, 502)
    rate_delay: float = 0.0
    delay: float = 0.5
    rate_drop: float = 0.0
    rate_drop_after: float = 0.0
    methods: set[str] = field(default_factory=lambda: set(DEFAULT_FAULT_METHODS))
    seed: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    _rng: random.Random = field(init=False, repr=False)
    _forced: list[list[Any]] = field(init=False, repr=False, default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def reseed(self, seed: int | None = None) -> None:
        """Restart the random sequence (with a new seed if given)."""
        if seed is not None:
            self.seed = seed
        self._rng = random.Random(self.seed)

    def force(
        self,
        kind: FaultKind,
        *,
        method: str | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Serve ``kind`` on the next ``times`` eligible calls (of ``method`` if given).

        A forced fault applies even if ``method`` is not in :attr:`methods`. With
        ``chat_id``, only calls for that chat take it: Telegram's per-chat flood control,
        or one slow chat, while the other chats are served normally.
        """
        if kind not in ("429", "500", "502", "5xx", "delay", "drop", "drop_after"):
            raise ValueError(f"unknown fault kind {kind!r}")
        self._forced.append([kind, method, times, None, chat_id])

    def force_answer(self, method: str, status: int, body: bytes | Any, *, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with ``status`` and ``body``.

        ``body`` is sent as is when it is bytes, JSON-encoded otherwise: what a broken proxy
        or a confused server may send (HTML instead of JSON, a ``result`` of the wrong type).
        """
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self._forced.append(["answer", method, times, (status, raw), None])

    def clear(self) -> None:
        """Switch every fault off (rates to 0, forced faults dropped); keep counts."""
        self.rate_429 = self.rate_5xx = self.rate_delay = 0.0
        self.rate_drop = self.rate_drop_after = 0.0
        self._forced.clear()

    def decide(self, method: str, chat_id: Any = None) -> FaultPlan:
        """Choose the fault (if any) for one call of ``method`` (to ``chat_id``), count it."""
        plan = self._take_forced(method, chat_id)
        if plan is None and method in self.methods:
            draws = [self._rng.random() for _ in range(5)]
            code = self._rng.choice(self.server_error_codes or (500,))
            delay = self.delay if draws[0] < self.rate_delay else 0.0
            outcome: str | None = None
            if draws[1] < self.rate_drop:
                outcome = "drop"
            elif draws[2] < self.rate_429:
                outcome = "429"
            elif draws[3] < self.rate_5xx:
                outcome = str(code)
            elif draws[4] < self.rate_drop_after:
                outcome = "drop_after"
            plan = FaultPlan(delay, outcome)
        if plan is None:
            return FaultPlan()
        if plan.delay:
            self.counts["delay"] += 1
        if plan.outcome:
            self.counts[plan.outcome] += 1
        return plan

    def _take_forced(self, method: str, chat_id: Any = None) -> FaultPlan | None:
        for entry in self._forced:
            kind, only, chat = entry[0], entry[1], entry[4]
            if chat is not None and str(chat) != str(chat_id):
                continue
            if (only is None and method in self.methods) or only == method:
                entry[2] -= 1
                if entry[2] <= 0:
                    self._forced.remove(entry)
                if kind == "answer":
                    return FaultPlan(outcome=kind, answer=entry[3])
                if kind == "delay":
                    return FaultPlan(delay=self.delay)
                if kind == "5xx":
                    kind = str(self._rng.choice(self.server_error_codes or (500,)))
                return FaultPlan(outcome=kind)
        return None


@dataclass
class _Pending:
    """An update waiting in the getUpdates queue until an offset confirms it."""

    update: JsonDict
    redelivery: bool = False
    delivered: bool = False


@dataclass(frozen=True)
class _Webhook:
    url: str
    secret_token: str | None
    allowed_updates: list[str] | None
    max_connections: int
    ip_address: str | None


@dataclass(frozen=True)
class _Described:
    """A result whose answer also carries a ``description`` (e.g. setWebhook)."""

    result: Any
    description: str


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None


_Handler = Callable[[RecordedCall], Awaitable[Any]]


# --------------------------------------------------------------------------------------
# The emulator
# --------------------------------------------------------------------------------------


class BotApiEmulator:
    """An HTTP server on 127.0.0.1 that behaves like the Telegram Bot API for one bot.

    Pass :attr:`base_url` and :attr:`base_file_url` to PTB's ``ApplicationBuilder``.
    PTB then requests ``{base_url}{token}/{method}`` (it appends the token itself), i.e.
    ``http://127.0.0.1:PORT/bot<token>/<method>`` exactly like ``api.telegram.org``.

    Everything runs in the test's event loop; the injecting and recording helpers are
    plain synchronous methods that must be called from that loop's thread.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "rehearsal_test_bot",
        bot_first_name: str = "Rehearsal Test Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        fault_seed: int = 0,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456
        self.bot_user: JsonDict = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.host = host
        self._requested_port = port
        self._port: int | None = None

        #: Every request, in the order the answers were sent.
        self.calls: list[RecordedCall] = []
        #: Fault injection settings and counters of faults served.
        self.faults = FaultSettings(seed=fault_seed)
        #: Updates handed to the bot (getUpdates answers and accepted webhook POSTs).
        self.delivered: list[JsonDict] = []
        #: Every webhook POST attempt.
        self.webhook_attempts: list[WebhookAttempt] = []
        #: Updates given up on after ``webhook_max_attempts`` failed POSTs.
        self.webhook_failures: list[JsonDict] = []
        #: Answers to callback queries, by callback query id.
        self.callback_answers: dict[str, JsonDict] = {}
        #: Chats that "blocked the bot": sending to them answers 403 like Telegram.
        self.blocked_chats: set[int] = set()
        self.webhook_max_attempts = 3
        self.webhook_retry_delay = 0.05
        self.webhook_timeout = 10.0

        self._outbox: list[JsonDict] = []
        self._sent_listeners: list[Callable[[JsonDict], None]] = []
        self._webhook_listeners: list[Callable[[WebhookAttempt], None]] = []
        self._chats: dict[int, JsonDict] = {}
        self._messages: dict[tuple[int, int], JsonDict] = {}
        self._next_message_ids: dict[int, int] = {}
        self._next_update_id = 1
        self._callback_ids = 0
        self._open_callbacks: set[str] = set()
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.bot_settings: dict[str, JsonDict] = {}
        self._descriptions: dict[tuple[str, str], str] = {}

        self._pending: list[_Pending] = []
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._webhook: _Webhook | None = None
        self._webhook_queues: dict[int | None, deque[JsonDict]] = {}
        self._webhook_tasks: dict[int | None, asyncio.Task[None]] = {}
        self._webhook_inflight = 0
        self._webhook_last_error: tuple[int, str] | None = None

        self._inflight = 0
        self._last_activity = time.monotonic()
        self._changed = asyncio.Event()
        self._stopping = False
        self._runner: web.AppRunner | None = None
        self._http: ClientSession | None = None
        self._methods = self._method_table()

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Bind 127.0.0.1 (a free port unless one was given) and start serving."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown_path)
        # handler_cancellation: a long poll whose client went away must stop waiting.
        # shutdown_timeout: stop() must not wait a minute for pending long polls.
        runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0
        )
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit TCP_NODELAY on Linux; _handle_api sets it again per
        # connection. Without it every small answer can wait ~40 ms for a delayed ACK.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((self.host, self._requested_port))
        sock.setblocking(False)
        self._port = sock.getsockname()[1]
        await web.SockSite(runner, sock).start()
        self._runner = runner
        self._http = ClientSession()
        self._stopping = False
        LOGGER.debug("Bot API emulator listening on %s", self.base_url)

    async def stop(self) -> None:
        """Stop serving: wake long polls, cancel webhook deliveries, close sockets."""
        self._stopping = True
        self._notify()
        tasks = list(self._webhook_tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.close()
            self._http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port the emulator listens on (after :meth:`start`)."""
        if self._port is None:
            raise RuntimeError("emulator not started")
        return self._port

    @property
    def base_url(self) -> str:
        """Value for ``ApplicationBuilder().base_url(...)``: PTB appends the token."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ``ApplicationBuilder().base_file_url(...)`` (file downloads)."""
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def webhook_url(self) -> str | None:
        """The webhook URL set by the bot, or None in polling mode."""
        return self._webhook.url if self._webhook else None

    @property
    def pending_updates(self) -> list[JsonDict]:
        """Updates not yet confirmed (polling) or not yet delivered (webhook)."""
        pending = [copy.deepcopy(p.update) for p in self._pending]
        for queue in self._webhook_queues.values():
            pending.extend(copy.deepcopy(u) for u in queue)
        return pending

    # ---------------------------------------------------------------- recording API

    def calls_for(self, method: str) -> list[RecordedCall]:
        """Calls of ``method`` (case-insensitive, like the Bot API), in order."""
        wanted = method.lower()
        return [call for call in self.calls if call.method.lower() == wanted]

    def sent_to(self, chat_id: int) -> list[JsonDict]:
        """What the bot did in ``chat_id``, in order, as dicts (copies).

        ``type`` is one of ``"message"``, ``"edit_text"``, ``"edit_reply_markup"``,
        ``"document"``, ``"photo"``, ``"delete"``. Text items carry ``text`` (what the
        user sees, markup parsed), ``raw_text`` (as sent), ``parse_mode``, ``entities``,
        ``reply_markup`` (as sent) and ``disable_notification``; media items carry
        ``document``/``photo`` (bytes when uploaded, else the file_id or URL string),
        ``filename`` and ``caption`` (photos also ``disable_notification``).
        """
        return [copy.deepcopy(item) for item in self._outbox if item["chat_id"] == chat_id]

    def commands(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[JsonDict] | None:
        """Commands set with setMyCommands for ``scope``/``language_code`` (or None)."""
        found = self._commands.get((_scope_key(scope), language_code))
        return copy.deepcopy(found) if found is not None else None

    def message(self, chat_id: int, message_id: int) -> JsonDict | None:
        """The current state of a stored message (sent, injected or edited)."""
        found = self._messages.get((chat_id, message_id))
        return copy.deepcopy(found) if found is not None else None

    def add_sent_listener(self, listener: Callable[[JsonDict], None]) -> None:
        """Call ``listener(item)`` for each new :meth:`sent_to` item (any chat)."""
        self._sent_listeners.append(listener)

    def add_webhook_listener(self, listener: Callable[[WebhookAttempt], None]) -> None:
        """Call ``listener(attempt)`` as soon as the bot answered a webhook POST (or failed
        to): a test can then look at what the bot had done when it acknowledged."""
        self._webhook_listeners.append(listener)

    def describe_recent_calls(self, count: int = 20) -> str:
        """A readable dump of the last ``count`` calls, for failure messages."""
        recent = self.calls[-count:]
        lines = [f"last {len(recent)} of {len(self.calls)} calls:"]
        lines.extend(f"  {call.summary()}" for call in recent)
        lines.append(f"pending updates: {len(self.pending_updates)}, webhook: {self.webhook_url}")
        return "\n".join(lines)

    async def wait_for(
        self,
        predicate: Callable[[RecordedCall], bool] | str,
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> RecordedCall:
        """Return the first call (from index ``since``) matching ``predicate``.

        ``predicate`` may be a method name. Raises :class:`TimeoutError` with a dump of
        recent calls, so a failing test shows what the bot did instead.
        """
        if isinstance(predicate, str):
            method = predicate.lower()

            def matches(call: RecordedCall) -> bool:
                return call.method.lower() == method

        else:
            matches = predicate
        scanned = since

        def check() -> RecordedCall | None:
            nonlocal scanned
            while scanned < len(self.calls):
                call = self.calls[scanned]
                scanned += 1
                if matches(call):
                    return call
            return None

        return await self._wait_until(check, timeout, lambda: f"no matching call within {timeout}s")

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 5.0,
        *,
        types: Collection[str] | None = None,
    ) -> list[JsonDict]:
        """Wait until :meth:`sent_to` has ``count`` items (of ``types``) and return them."""

        def check() -> list[JsonDict] | None:
            items = [
                item
                for item in self._outbox
                if item["chat_id"] == chat_id and (types is None or item["type"] in types)
            ]
            return copy.deepcopy(items) if len(items) >= count else None

        def describe() -> str:
            got = [
                (item["type"], item.get("text") or item.get("caption"))
                for item in self._outbox
                if item["chat_id"] == chat_id
            ]
            return f"expected {count} items for chat {chat_id} within {timeout}s, got {got}"

        return await self._wait_until(check, timeout, describe)

    async def wait_idle(self, quiet: float = 0.2, timeout: float = 10.0) -> None:
        """Wait until no update is pending and no call happened for ``quiet`` seconds.

        Long-poll ``getUpdates`` requests do not count as activity (they are always
        in flight while polling); any other request does, from arrival to answer.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._changed
            busy = self._inflight > 0 or self._pending_count() > 0
            idle_for = time.monotonic() - self._last_activity
            if not busy and idle_for >= quiet:
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"emulator not idle within {timeout}s (in flight: {self._inflight},"
                    f" pending updates: {self._pending_count()})\n" + self.describe_recent_calls()
                )
            wait = remaining if busy else min(remaining, quiet - idle_for)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), max(wait, 0.001))

    async def _wait_until(
        self, check: Callable[[], _T | None], timeout: float, describe: Callable[[], str]
    ) -> _T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._changed
            result = check()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(describe() + "\n" + self.describe_recent_calls())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _notify(self) -> None:
        """Wake every waiter (long polls, wait_for...): set the event, start a new one."""
        self._changed.set()
        self._changed = asyncio.Event()

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    def _pending_count(self) -> int:
        queued = sum(len(queue) for queue in self._webhook_queues.values())
        return len(self._pending) + queued + self._webhook_inflight

    # ---------------------------------------------------------------- injection API

    def inject_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        language_code: str = "fr",
        chat_type: str = "private",
        first_name: str = _DEFAULT_FIRST_NAME,
        username: str | None = None,
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JsonDict:
        """Queue a text message from a user; commands get a ``bot_command`` entity."""
        content: JsonDict = {"text": text}
        entities = _command_entities(text)
        if entities:
            content["entities"] = entities
        if reply_to_message_id is not None:
            replied = self._messages.get((chat_id, reply_to_message_id))
            if replied is not None:
                content["reply_to_message"] = _without_reply(replied)
        return self._inject_user_message(
            chat_id,
            content,
            user_id=user_id,
            language_code=language_code,
            chat_type=chat_type,
            first_name=first_name,
            username=username,
            chat_title=chat_title,
        )

    def inject_callback(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int,
        user_id: int | None = None,
        language_code: str = "fr",
        first_name: str = _DEFAULT_FIRST_NAME,
        username: str | None = None,
    ) -> JsonDict:
        """Queue a callback query (button press) on message ``message_id``."""
        chat = self._chat(chat_id)
        message = self._messages.get((chat_id, message_id))
        if message is None:
            message = {
                "message_id": message_id,
                "from": dict(self.bot_user),
                "chat": dict(chat),
                "date": int(time.time()),
                "text": "",
            }
        self._callback_ids += 1
        query_id = f"{self.bot_id}{self._callback_ids:08d}"
        self._open_callbacks.add(query_id)
        user = _user(
            self._default_user_id(chat_id, chat["type"], user_id),
            first_name,
            username,
            language_code,
        )
        query: JsonDict = {
            "id": query_id,
            "from": user,
            "message": _without_reply(message),
            "chat_instance": str(abs(hash((self.bot_id, chat_id))) % 10**18),
            "data": data,
        }
        return self._queue_update({"callback_query": query})

    def inject_sticker(
        self,
        chat_id: int,
        *,
        emoji: str = "👍",
        user_id: int | None = None,
        language_code: str = "fr",
        chat_type: str = "private",
        first_name: str = _DEFAULT_FIRST_NAME,
        username: str | None = None,
    ) -> JsonDict:
        """Queue a (regular, static) sticker message."""
        stored = self._store_file(b"RIFFemulator-sticker", "stickers", "webp")
        sticker: JsonDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": len(stored.data),
        }
        return self._inject_user_message(
            chat_id,
            {"sticker": sticker},
            user_id=user_id,
            language_code=language_code,
            chat_type=chat_type,
            first_name=first_name,
            username=username,
        )

    def inject_photo(
        self,
        chat_id: int,
        *,
        data: bytes = _FAKE_JPEG,
        caption: str | None = None,
        user_id: int | None = None,
        language_code: str = "fr",
        chat_type: str = "private",
        first_name: str = _DEFAULT_FIRST_NAME,
        username: str | None = None,
    ) -> JsonDict:
        """Queue a photo message; the bytes are downloadable through getFile."""
        stored = self._store_file(data, "photos", "jpg", mime_type="image/jpeg")
        content: JsonDict = {"photo": _photo_sizes(stored)}
        if caption is not None:
            content["caption"] = caption
        return self._inject_user_message(
            chat_id,
            content,
            user_id=user_id,
            language_code=language_code,
            chat_type=chat_type,
            first_name=first_name,
            username=username,
        )

    def inject_voice(
        self,
        chat_id: int,
        *,
        data: bytes = _FAKE_OGG,
        duration: int = 3,
        user_id: int | None = None,
        language_code: str = "fr",
        chat_type: str = "private",
        first_name: str = _DEFAULT_FIRST_NAME,
        username: str | None = None,
    ) -> JsonDict:
        """Queue a voice message; the bytes are downloadable through getFile."""
        stored = self._store_file(data, "voice", "oga", mime_type="audio/ogg")
        voice: JsonDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(data),
        }
        return self._inject_user_message(
            chat_id,
            {"voice": voice},
            user_id=user_id,
            language_code=language_code,
            chat_type=chat_type,
            first_name=first_name,
            username=username,
        )

    def inject_document(
        self,
        chat_id: int,
        *,
        data: bytes = b"emulator document\n",
        file_name: str = "notes.txt",
        mime_type: str = "text/plain",
        caption: str | None = None,
        user_id: int | None = None,
        language_code: str = "fr",
        chat_type: str = "private",
        first_name: str = _DEFAULT_FIRST_NAME,
        username: str | None = None,
    ) -> JsonDict:
        """Queue a document message; the bytes are downloadable through getFile."""
        extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = self._store_file(
            data, "documents", extension, file_name=file_name, mime_type=mime_type
        )
        content: JsonDict = {"document": _document_object(stored)}
        if caption is not None:
            content["caption"] = caption
        return self._inject_user_message(
            chat_id,
            content,
            user_id=user_id,
            language_code=language_code,
            chat_type=chat_type,
            first_name=first_name,
            username=username,
        )

    def inject_edited_message(
        self,
        chat_id: int,
        text: str,
        message_id: int,
        *,
        user_id: int | None = None,
        language_code: str = "fr",
        first_name: str = _DEFAULT_FIRST_NAME,
        username: str | None = None,
    ) -> JsonDict:
        """Queue an ``edited_message``: the user edited message ``message_id``."""
        chat = self._chat(chat_id)
        now = int(time.time())
        message = self._messages.get((chat_id, message_id))
        if message is None:
            message = {
                "message_id": message_id,
                "from": _user(
                    self._default_user_id(chat_id, chat["type"], user_id),
                    first_name,
                    username,
                    language_code,
                ),
                "chat": dict(chat),
                "date": now - 60,
            }
            self._messages[(chat_id, message_id)] = message
        message["text"] = text
        message["edit_date"] = now
        message.pop("entities", None)
        entities = _command_entities(text)
        if entities:
            message["entities"] = entities
        return self._queue_update({"edited_message": copy.deepcopy(message)})

    def inject_raw(self, update: Mapping[str, Any], *, update_id: Any = None) -> JsonDict:
        """Queue any update dict; ``update_id`` is assigned unless given (any value, even
        one no real update has, e.g. ``2**63``: the sequence of assigned ids goes on)."""
        payload = {k: copy.deepcopy(v) for k, v in update.items() if k != "update_id"}
        if update_id is None:
            return self._queue_update(payload)
        self._enqueue({"update_id": update_id, **payload}, redelivery=False)
        return {"update_id": update_id, **copy.deepcopy(payload)}

    def inject_again(self, update: Mapping[str, Any]) -> JsonDict:
        """Queue an already delivered update again, with the SAME ``update_id``.

        Telegram re-delivers updates (a webhook answer was lost, the bot restarted
        before confirming an offset). The re-delivery bypasses the offset the bot
        already confirmed, once, then is confirmed normally.
        """
        if "update_id" not in update:
            raise ValueError("inject_again needs an update with its update_id")
        again = copy.deepcopy(dict(update))
        self._enqueue(again, redelivery=True)
        return copy.deepcopy(again)

    def _inject_user_message(
        self,
        chat_id: int,
        content: JsonDict,
        *,
        user_id: int | None,
        language_code: str,
        chat_type: str,
        first_name: str,
        username: str | None,
        chat_title: str | None = None,
    ) -> JsonDict:
        chat = self._register_chat(chat_id, chat_type, first_name, username, chat_title)
        user = _user(
            self._default_user_id(chat_id, chat_type, user_id),
            first_name,
            username,
            language_code,
        )
        message: JsonDict = {
            "message_id": self._new_message_id(chat_id),
            "from": user,
            "chat": dict(chat),
            "date": int(time.time()),
            **content,
        }
        self._messages[(chat_id, message["message_id"])] = message
        return self._queue_update({"message": copy.deepcopy(message)})

    def _queue_update(self, payload: JsonDict) -> JsonDict:
        update: JsonDict = {"update_id": self._next_update_id, **payload}
        self._next_update_id += 1
        self._enqueue(update, redelivery=False)
        return copy.deepcopy(update)

    def _enqueue(self, update: JsonDict, *, redelivery: bool) -> None:
        self._touch()
        if self._webhook is not None:
            key = _ordering_key(update)
            self._webhook_queues.setdefault(key, deque()).append(update)
            self._ensure_webhook_worker(key)
        else:
            self._pending.append(_Pending(update, redelivery=redelivery))
            self._pending.sort(key=lambda p: p.update["update_id"])
        self._notify()

    # ---------------------------------------------------------------- chats, messages

    def _register_chat(
        self,
        chat_id: int,
        chat_type: str,
        first_name: str,
        username: str | None,
        title: str | None,
    ) -> JsonDict:
        if chat_type == "private":
            if chat_id <= 0:
                raise ValueError("private chats have positive ids")
            chat: JsonDict = {"id": chat_id, "type": "private", "first_name": first_name}
            if username:
                chat["username"] = username
        elif chat_type in ("group", "supergroup", "channel"):
            if chat_id >= 0:
                raise ValueError(f"{chat_type} chats have negative ids")
            chat = {"id": chat_id, "type": chat_type, "title": title or "Test group"}
        else:
            raise ValueError(f"unknown chat type {chat_type!r}")
        self._chats[chat_id] = chat
        return chat

    def _chat(self, chat_id: int) -> JsonDict:
        """The known chat, or a plausible one (private if positive, else a group)."""
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_id > 0:
                chat = {"id": chat_id, "type": "private", "first_name": _DEFAULT_FIRST_NAME}
            else:
                kind = "supergroup" if str(chat_id).startswith("-100") else "group"
                chat = {"id": chat_id, "type": kind, "title": "Test group"}
            self._chats[chat_id] = chat
        return chat

    def _default_user_id(self, chat_id: int, chat_type: str, user_id: int | None) -> int:
        if user_id is not None:
            return user_id
        return chat_id if chat_type == "private" and chat_id > 0 else _DEFAULT_GROUP_USER_ID

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_ids.get(chat_id, 1)
        self._next_message_ids[chat_id] = message_id + 1
        return message_id

    def _store_file(
        self,
        data: bytes,
        folder: str,
        extension: str,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> _StoredFile:
        number = len(self._files) + 1
        stored = _StoredFile(
            file_id=f"EMU{folder[:3].upper()}{number:06d}-{self.bot_id}",
            file_unique_id=f"EMUU{number:06d}",
            file_path=f"{folder}/file_{number}.{extension}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _record_sent(self, item: JsonDict) -> None:
        self._outbox.append(item)
        for listener in self._sent_listeners:
            listener(copy.deepcopy(item))

    # ---------------------------------------------------------------- HTTP plumbing

    async def _handle_unknown_path(self, request: web.Request) -> web.Response:
        return _json_response(404, ApiError(404, "Not Found").payload())

    async def _handle_file(self, request: web.Request) -> web.Response:
        _set_nodelay(request)
        stored = self._files_by_path.get(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return _json_response(404, ApiError(404, "Not Found").payload())
        return web.Response(body=stored.data, content_type="application/octet-stream")

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        _set_nodelay(request)
        token = request.match_info["token"]
        if token != self.token:
            if _WELL_FORMED_TOKEN.fullmatch(token):
                return _json_response(401, ApiError(401, "Unauthorized").payload())
            return _json_response(404, ApiError(404, "Not Found").payload())
        raw_method = request.match_info["method"]
        entry = self._methods.get(raw_method.lower())
        method = entry[0] if entry else raw_method
        tracked = method != "getUpdates"
        if tracked:
            self._inflight += 1
            self._touch()
        call = RecordedCall(method=method, params={}, files={}, timestamp=time.time())
        try:
            try:
                call.params, call.files = await _read_request(request)
            except ApiError as exc:
                answer: tuple[int, JsonDict | bytes] | None = (exc.error_code, exc.payload())
            else:
                answer = await self._dispatch(call, entry[1] if entry else None)
        finally:
            if tracked:
                self._inflight -= 1
                self._touch()
        if answer is None:
            call.http_status = 0
            self._record_call(call)
            LOGGER.info("%s: connection dropped (fault %s)", method, call.fault)
            if request.transport is not None:
                request.transport.close()
            # The client sees the connection close without an answer; aiohttp cancels
            # this handler when it notices (handler_cancellation=True).
            await asyncio.sleep(3600)
            raise web.HTTPInternalServerError()
        call.http_status, response = answer
        if isinstance(response, bytes):  # a forced raw answer
            self._record_call(call)
            return web.Response(status=call.http_status, body=response)
        call.response = response
        self._record_call(call)
        return _json_response(call.http_status, response)

    def _record_call(self, call: RecordedCall) -> None:
        self.calls.append(call)
        LOGGER.info("%s", call.summary())
        self._notify()

    async def _dispatch(
        self, call: RecordedCall, handler: _Handler | None
    ) -> tuple[int, JsonDict | bytes] | None:
        """Answer one call: faults first, then the method; None means "drop"."""
        if handler is None:
            return 404, ApiError(404, "Not Found").payload()
        plan = self.faults.decide(call.method, call.params.get("chat_id"))
        if plan.delay:
            await asyncio.sleep(plan.delay)
        if plan.outcome:
            call.fault = plan.outcome
        if plan.outcome == "drop":
            return None
        if plan.answer is not None:
            return plan.answer
        if plan.outcome == "429":
            retry_after: float = self.faults.retry_after
            if float(retry_after).is_integer():
                retry_after = int(retry_after)
            return 429, ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            ).payload()
        if plan.outcome in ("500", "502"):
            code = int(plan.outcome)
            text = "Internal Server Error" if code == 500 else "Bad Gateway"
            return code, ApiError(code, text).payload()
        try:
            result = await handler(call)
        except ApiError as exc:
            return exc.error_code, exc.payload()
        if plan.outcome == "drop_after":
            return None
        if isinstance(result, _Described):
            return 200, {"ok": True, "result": result.result, "description": result.description}
        return 200, {"ok": True, "result": result}

    def _method_table(self) -> dict[str, tuple[str, _Handler]]:
        handlers: dict[str, _Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendChatAction": self._send_chat_action,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "getFile": self._get_file,
            "close": self._harmless,
            "logOut": self._harmless,
            "setMyDescription": self._set_description,
            "setMyShortDescription": self._set_description,
            "getMyDescription": self._get_description,
            "getMyShortDescription": self._get_description,
            "setChatMenuButton": self._store_setting,
        }
        return {name.lower(): (name, func) for name, func in handlers.items()}

    # ---------------------------------------------------------------- updates

    async def _get_me(self, call: RecordedCall) -> JsonDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, call: RecordedCall) -> list[JsonDict]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        params = call.params
        offset = _int_param(params, "offset", 0)
        limit = min(max(_int_param(params, "limit", 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed] or None
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older long poll must learn it has been superseded
        self._confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._changed
            self._drop_unwanted(self._allowed_updates)
            batch = self._pending[:limit]
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that "
                    "only one bot instance is running",
                )
        for pending in batch:
            pending.delivered = True
            self.delivered.append(copy.deepcopy(pending.update))
        return [copy.deepcopy(pending.update) for pending in batch]

    def _confirm(self, offset: int) -> None:
        """Forget updates confirmed by ``offset`` (negative: keep the last -offset)."""
        if offset > 0:
            self._pending = [
                p
                for p in self._pending
                if p.update["update_id"] >= offset or (p.redelivery and not p.delivered)
            ]
        elif offset < 0:
            self._pending = self._pending[offset:]
        if offset:
            self._notify()

    def _drop_unwanted(self, allowed: list[str] | None) -> None:
        kept = [p for p in self._pending if _is_allowed(p.update, allowed)]
        if len(kept) != len(self._pending):
            self._pending = kept
            self._notify()

    async def _set_webhook(self, call: RecordedCall) -> _Described:
        params = call.params
        url = str(params.get("url") or "")
        drop = bool(params.get("drop_pending_updates"))
        if not url:
            return await self._delete_webhook(call)
        if not url.startswith(("http://", "https://")):
            raise _bad("bad webhook: HTTPS url must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN_RE.fullmatch(str(secret)):
            raise _bad("secret token contains unallowed characters")
        allowed = params.get("allowed_updates")
        self._webhook = _Webhook(
            url=url,
            secret_token=str(secret) if secret else None,
            allowed_updates=[str(a) for a in allowed] if allowed else None,
            max_connections=_int_param(params, "max_connections", 40),
            ip_address=params.get("ip_address"),
        )
        self._webhook_last_error = None
        if drop:
            self._pending.clear()
            self._webhook_queues.clear()
        else:
            moved, self._pending = self._pending, []
            for pending in moved:
                key = _ordering_key(pending.update)
                self._webhook_queues.setdefault(key, deque()).append(pending.update)
        for key in list(self._webhook_queues):
            self._ensure_webhook_worker(key)
        self._notify()
        return _Described(True, "Webhook was set")

    async def _delete_webhook(self, call: RecordedCall) -> _Described:
        was_set = self._webhook is not None
        self._webhook = None
        for queue in self._webhook_queues.values():
            self._pending.extend(_Pending(update) for update in queue)
        self._webhook_queues.clear()
        self._pending.sort(key=lambda p: p.update["update_id"])
        if call.params.get("drop_pending_updates"):
            self._pending.clear()
        self._notify()
        return _Described(True, "Webhook was deleted" if was_set else "Webhook is already deleted")

    async def _get_webhook_info(self, call: RecordedCall) -> JsonDict:
        info: JsonDict = {
            "url": self._webhook.url if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": self._pending_count(),
        }
        if self._webhook is not None:
            info["max_connections"] = self._webhook.max_connections
            if self._webhook.allowed_updates:
                info["allowed_updates"] = list(self._webhook.allowed_updates)
            if self._webhook.ip_address:
                info["ip_address"] = self._webhook.ip_address
            if self._webhook_last_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        return info

    def _ensure_webhook_worker(self, key: int | None) -> None:
        if key not in self._webhook_tasks and not self._stopping:
            self._webhook_tasks[key] = asyncio.get_running_loop().create_task(
                self._webhook_worker(key), name=f"emulator-webhook-{key}"
            )

    async def _webhook_worker(self, key: int | None) -> None:
        """Deliver one chat's updates in order, awaiting each answer before the next."""
        try:
            while self._webhook is not None and self._webhook_queues.get(key):
                update = self._webhook_queues[key].popleft()
                self._webhook_inflight += 1
                try:
                    await self._post_update(update)
                finally:
                    self._webhook_inflight -= 1
                    self._touch()
                    self._notify()
        finally:
            if self._webhook_tasks.get(key) is asyncio.current_task():
                del self._webhook_tasks[key]
            if not self._webhook_queues.get(key):
                self._webhook_queues.pop(key, None)

    async def _post_update(self, update: JsonDict) -> None:
        webhook = self._webhook
        if webhook is None or self._http is None:
            return
        if not _is_allowed(update, webhook.allowed_updates):
            return
        body = json.dumps(update, ensure_ascii=False).encode("utf-8")
        # PTB's webhook server insists on exactly "application/json" (no charset).
        headers = {"Content-Type": "application/json"}
        if webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
        for attempt in range(1, self.webhook_max_attempts + 1):
            if self._webhook is not webhook:
                # The webhook changed or was deleted meanwhile: keep the update, still ahead
                # of its chat's later ones (another replica calling setWebhook as it starts
                # must not reorder a chat).
                if self._webhook is not None:
                    key = _ordering_key(update)
                    self._webhook_queues.setdefault(key, deque()).appendleft(update)
                    self._ensure_webhook_worker(key)
                    self._notify()
                else:
                    self._enqueue(update, redelivery=False)
                return
            status: int | None = None
            error: str | None = None
            try:
                async with self._http.post(
                    webhook.url,
                    data=body,
                    headers=headers,
                    timeout=ClientTimeout(total=self.webhook_timeout),
                ) as resp:
                    status = resp.status
                    await resp.read()
                    if not 200 <= status < 300:
                        error = f"Wrong response from the webhook: {status} {resp.reason}"
            except (ClientError, OSError, TimeoutError) as exc:
                error = f"Connection failed: {exc.__class__.__name__}: {exc}"
            answered = WebhookAttempt(update["update_id"], attempt, status, error, time.time())
            self.webhook_attempts.append(answered)
            for listener in self._webhook_listeners:
                listener(answered)
            if error is None:
                self.delivered.append(copy.deepcopy(update))
                return
            self._webhook_last_error = (int(time.time()), error)
            LOGGER.info("webhook delivery of %s failed: %s", update["update_id"], error)
            if attempt < self.webhook_max_attempts:
                await asyncio.sleep(self.webhook_retry_delay * attempt)
        self.webhook_failures.append(copy.deepcopy(update))

    # ---------------------------------------------------------------- messages

    def _resolve_chat(self, params: JsonDict) -> JsonDict:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise _bad("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            for chat in self._chats.values():
                if chat.get("username") == raw[1:]:
                    raw = chat["id"]
                    break
            else:
                raise _bad("chat not found")
        if isinstance(raw, bool) or not isinstance(raw, int):
            try:
                raw = int(str(raw))
            except ValueError as exc:
                raise _bad("chat not found") from exc
        if raw in self.blocked_chats:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return self._chat(raw)

    def _format(self, raw: str, params: JsonDict, *, caption: bool = False) -> FormattedText:
        """Apply parse_mode/entities and Telegram's emptiness and length limits."""
        entities = params.get("caption_entities" if caption else "entities")
        parse_mode = str(params.get("parse_mode") or "")
        if isinstance(entities, list):
            formatted = FormattedText(raw, [dict(e) for e in entities])
        else:
            # The bot sends HTML only: another parse mode is refused, so a change is noticed.
            parser = {"": None, "html": parse_html}
            if parse_mode.lower() not in parser:
                raise _bad("unsupported parse_mode")
            parse = parser[parse_mode.lower()]
            try:
                formatted = _trim(FormattedText(raw, [])) if parse is None else parse(raw)
            except EntityParseError as exc:
                raise _bad(f"can't parse entities: {exc}") from exc
        if caption:
            if len(formatted.text) > MAX_CAPTION_LENGTH:
                raise _bad("message caption is too long")
        else:
            if not formatted.text:
                raise _bad("message text is empty")
            if len(formatted.text) > MAX_MESSAGE_LENGTH:
                raise _bad("message is too long")
        return formatted

    def _reply_to(self, chat_id: int, params: JsonDict) -> JsonDict | None:
        reply = params.get("reply_parameters")
        message_id: Any = None
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow_missing = allow_missing or bool(reply.get("allow_sending_without_reply"))
            chat_id = _as_int(reply.get("chat_id"), chat_id)
        elif params.get("reply_to_message_id") is not None:
            message_id = params.get("reply_to_message_id")
        if message_id is None:
            return None
        replied = self._messages.get((chat_id, _as_int(message_id, -1)))
        if replied is None:
            if allow_missing:
                return None
            raise _bad("message to be replied not found")
        return _without_reply(replied)

    def _new_bot_message(self, chat: JsonDict, params: JsonDict, content: JsonDict) -> JsonDict:
        chat_id = chat["id"]
        message: JsonDict = {
            "message_id": self._new_message_id(chat_id),
            "from": dict(self.bot_user),
            "chat": dict(chat),
            "date": int(time.time()),
            **content,
        }
        replied = self._reply_to(chat_id, params)
        if replied is not None:
            message["reply_to_message"] = replied
        markup = _inline_markup(params.get("reply_markup"))
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        return message

    async def _send_message(self, call: RecordedCall) -> JsonDict:
        params = call.params
        chat = self._resolve_chat(params)
        raw_text = params.get("text")
        if raw_text is None or str(raw_text) == "":
            raise _bad("message text is empty")
        formatted = self._format(str(raw_text), params)
        _validate_markup(params.get("reply_markup"))
        content: JsonDict = {"text": formatted.text}
        if formatted.entities:
            content["entities"] = formatted.entities
        if isinstance(params.get("link_preview_options"), dict):
            content["link_preview_options"] = params["link_preview_options"]
        message = self._new_bot_message(chat, params, content)
        self._record_sent(
            {
                "type": "message",
                "chat_id": chat["id"],
                "message_id": message["message_id"],
                "text": formatted.text,
                "raw_text": str(raw_text),
                "parse_mode": params.get("parse_mode"),
                "entities": formatted.entities,
                "reply_markup": params.get("reply_markup"),
                "reply_to_message_id": (message.get("reply_to_message") or {}).get("message_id"),
                "disable_notification": bool(params.get("disable_notification")),
            }
        )
        return copy.deepcopy(message)

    def _editable(self, params: JsonDict) -> tuple[JsonDict, JsonDict]:
        if params.get("inline_message_id"):
            raise _bad("message to edit not found")
        chat = self._resolve_chat(params)
        message = self._messages.get((chat["id"], _as_int(params.get("message_id"), -1)))
        if message is None:
            raise _bad("message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise _bad("message can't be edited")
        return chat, message

    async def _edit_message_text(self, call: RecordedCall) -> JsonDict:
        params = call.params
        chat, message = self._editable(params)
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        raw_text = params.get("text")
        if raw_text is None or str(raw_text) == "":
            raise _bad("message text is empty")
        formatted = self._format(str(raw_text), params)
        _validate_markup(params.get("reply_markup"))
        markup = _inline_markup(params.get("reply_markup"))
        if (
            formatted.text == message["text"]
            and formatted.entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise _not_modified()
        message["text"] = formatted.text
        _set_or_pop(message, "entities", formatted.entities or None)
        _set_or_pop(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        self._record_sent(
            {
                "type": "edit_text",
                "chat_id": chat["id"],
                "message_id": message["message_id"],
                "text": formatted.text,
                "raw_text": str(raw_text),
                "parse_mode": params.get("parse_mode"),
                "entities": formatted.entities,
                "reply_markup": params.get("reply_markup"),
            }
        )
        return copy.deepcopy(message)

    async def _edit_message_reply_markup(self, call: RecordedCall) -> JsonDict:
        params = call.params
        chat, message = self._editable(params)
        _validate_markup(params.get("reply_markup"))
        markup = _inline_markup(params.get("reply_markup"))
        if markup == message.get("reply_markup"):
            raise _not_modified()
        _set_or_pop(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        self._record_sent(
            {
                "type": "edit_reply_markup",
                "chat_id": chat["id"],
                "message_id": message["message_id"],
                "reply_markup": params.get("reply_markup"),
            }
        )
        return copy.deepcopy(message)

    async def _delete_message(self, call: RecordedCall) -> bool:
        chat = self._resolve_chat(call.params)
        message_id = _as_int(call.params.get("message_id"), -1)
        if self._messages.pop((chat["id"], message_id), None) is None:
            raise _bad("message to delete not found")
        self._record_sent({"type": "delete", "chat_id": chat["id"], "message_id": message_id})
        return True

    async def _answer_callback_query(self, call: RecordedCall) -> bool:
        query_id = str(call.params.get("callback_query_id") or "")
        if query_id not in self._open_callbacks:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._open_callbacks.discard(query_id)
        self.callback_answers[query_id] = dict(call.params)
        return True

    async def _send_chat_action(self, call: RecordedCall) -> bool:
        self._resolve_chat(call.params)
        if call.params.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    def _input_file(
        self, call: RecordedCall, name: str, folder: str, extension: str
    ) -> tuple[_StoredFile, bytes | str]:
        """The file given for parameter ``name``: an upload, an attach://, a file_id or URL."""
        upload = call.files.get(name)
        value = call.params.get(name)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = call.files.get(value[len("attach://") :])
        if upload is not None:
            filename = upload.filename
            ext = filename.rsplit(".", 1)[-1] if filename and "." in filename else extension
            stored = self._store_file(
                upload.data,
                folder,
                ext,
                file_name=filename,
                mime_type=upload.content_type,
            )
            return stored, upload.data
        if not isinstance(value, str) or not value:
            raise _bad(f"there is no {name} in the request")
        known = self._files.get(value)
        if known is not None:
            return known, value
        if value.startswith(("http://", "https://")):
            file_name = value.rstrip("/").rsplit("/", 1)[-1] or None
            return self._store_file(b"", folder, extension, file_name=file_name), value
        raise _bad("wrong file identifier/HTTP URL specified")

    def _caption_content(self, params: JsonDict) -> tuple[JsonDict, FormattedText | None]:
        raw = params.get("caption")
        if raw is None or raw == "":
            return {}, None
        formatted = self._format(str(raw), params, caption=True)
        content: JsonDict = {}
        if formatted.text:
            content["caption"] = formatted.text
        if formatted.entities:
            content["caption_entities"] = formatted.entities
        return content, formatted

    async def _send_document(self, call: RecordedCall) -> JsonDict:
        params = call.params
        chat = self._resolve_chat(params)
        stored, payload = self._input_file(call, "document", "documents", "bin")
        caption, formatted = self._caption_content(params)
        _validate_markup(params.get("reply_markup"))
        content = {"document": _document_object(stored), **caption}
        message = self._new_bot_message(chat, params, content)
        self._record_sent(
            {
                "type": "document",
                "chat_id": chat["id"],
                "message_id": message["message_id"],
                "document": payload,
                "filename": stored.file_name,
                "caption": formatted.text if formatted else None,
                "raw_caption": params.get("caption"),
                "parse_mode": params.get("parse_mode"),
                "reply_markup": params.get("reply_markup"),
            }
        )
        return copy.deepcopy(message)

    async def _send_photo(self, call: RecordedCall) -> JsonDict:
        params = call.params
        chat = self._resolve_chat(params)
        stored, payload = self._input_file(call, "photo", "photos", "jpg")
        caption, formatted = self._caption_content(params)
        _validate_markup(params.get("reply_markup"))
        content = {"photo": _photo_sizes(stored), **caption}
        message = self._new_bot_message(chat, params, content)
        self._record_sent(
            {
                "type": "photo",
                "chat_id": chat["id"],
                "message_id": message["message_id"],
                "photo": payload,
                "filename": stored.file_name,
                "caption": formatted.text if formatted else None,
                "raw_caption": params.get("caption"),
                "parse_mode": params.get("parse_mode"),
                "reply_markup": params.get("reply_markup"),
                "disable_notification": bool(params.get("disable_notification")),
            }
        )
        return copy.deepcopy(message)

    async def _get_file(self, call: RecordedCall) -> JsonDict:
        stored = self._files.get(str(call.params.get("file_id") or ""))
        if stored is None:
            raise _bad("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    # ---------------------------------------------------------------- commands, misc

    async def _set_my_commands(self, call: RecordedCall) -> bool:
        commands = call.params.get("commands")
        if not isinstance(commands, list) or len(commands) > MAX_COMMANDS:
            raise _bad("commands must be a list of at most 100 BotCommand")
        cleaned: list[JsonDict] = []
        for command in commands:
            if not isinstance(command, dict):
                raise _bad("can't parse BotCommand")
            name = str(command.get("command") or "")
            description = str(command.get("description") or "")
            if not _COMMAND_NAME_RE.fullmatch(name):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = (_scope_key(call.params.get("scope")), str(call.params.get("language_code") or ""))
        self._commands[key] = cleaned
        return True

    async def _get_my_commands(self, call: RecordedCall) -> list[JsonDict]:
        key = (_scope_key(call.params.get("scope")), str(call.params.get("language_code") or ""))
        return copy.deepcopy(self._commands.get(key, []))

    async def _delete_my_commands(self, call: RecordedCall) -> bool:
        key = (_scope_key(call.params.get("scope")), str(call.params.get("language_code") or ""))
        self._commands.pop(key, None)
        return True

    async def _harmless(self, call: RecordedCall) -> bool:
        return True

    async def _store_setting(self, call: RecordedCall) -> bool:
        self.bot_settings[call.method] = dict(call.params)
        return True

    async def _set_description(self, call: RecordedCall) -> bool:
        """Per language, like Telegram: an empty text removes that language's version."""
        short = call.method.lower() == "setmyshortdescription"
        field, limit = ("short_description", 120) if short else ("description", 512)
        text = str(call.params.get(field) or "")
        if len(text) > limit:
            raise _bad(f"{field.upper()}_TOO_LONG")
        self.bot_settings[call.method] = dict(call.params)
        key = (field, str(call.params.get("language_code") or ""))
        if text:
            self._descriptions[key] = text
        else:
            self._descriptions.pop(key, None)
        return True

    async def _get_description(self, call: RecordedCall) -> JsonDict:
        field = "short_description" if "short" in call.method.lower() else "description"
        return {field: self.description(field, str(call.params.get("language_code") or ""))}

    def description(self, field: str, language_code: str = "") -> str:
        """The bot's ``description`` or ``short_description`` for a language ("": default)."""
        return self._descriptions.get((field, language_code), "")


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _set_nodelay(request: web.Request) -> None:
    """Disable Nagle on this connection: small answers must leave at once."""
    transport = request.transport
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _json_response(status: int, payload: JsonDict) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        content_type="application/json",
    )


def _decode_value(name: str, raw: str) -> Any:
    """Decode one form value the way PTB encoded it (strings raw, others as JSON)."""
    if name in _STRING_PARAMS:
        return raw
    if name in _ID_PARAMS:
        return int(raw) if _INT_RE.fullmatch(raw) else raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


async def _read_request(request: web.Request) -> tuple[JsonDict, dict[str, RecordedFile]]:
    """Read query, form, multipart or JSON parameters, and uploaded files."""
    params: JsonDict = {k: _decode_value(k, v) for k, v in request.query.items()}
    files: dict[str, RecordedFile] = {}
    if not request.body_exists:
        return params, files
    content_type = request.content_type
    if content_type.startswith("multipart/"):
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                continue
            name = part.name or ""
            if part.filename is not None:
                data = bytes(await part.read(decode=False))
                files[name] = RecordedFile(
                    field=name,
                    filename=part.filename,
                    content_type=part.headers.get("Content-Type"),
                    data=data,
                )
            else:
                params[name] = _decode_value(name, await part.text())
    elif content_type == "application/json":
        try:
            body = json.loads(await request.read() or b"{}")
        except ValueError as exc:
            raise _bad("can't parse JSON object") from exc
        if not isinstance(body, dict):
            raise _bad("can't parse JSON object")
        for key, value in body.items():
            if isinstance(value, str) and key not in _STRING_PARAMS:
                value = _decode_value(key, value)
            params[key] = value
    else:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = _decode_value(key, value)
    return params, files


def _int_param(params: JsonDict, name: str, default: int) -> int:
    return _as_int(params.get(name), default)


def _as_int(value: Any, default: int) -> int:
    if value is None or isinstance(value, bool):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _user(
    user_id: int, first_name: str, username: str | None, language_code: str | None
) -> JsonDict:
    user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def _command_entities(text: str) -> list[JsonDict]:
    """``bot_command`` entities, as Telegram adds them to incoming messages."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _BOT_COMMAND_RE.finditer(text)
    ]


def _without_reply(message: JsonDict) -> JsonDict:
    """A copy of a message as nested in another one (Telegram nests one level only)."""
    nested = copy.deepcopy(message)
    nested.pop("reply_to_message", None)
    return nested


def _photo_sizes(stored: _StoredFile) -> list[JsonDict]:
    return [
        {
            "file_id": f"{stored.file_id}-s",
            "file_unique_id": f"{stored.file_unique_id}s",
            "width": 90,
            "height": 67,
            "file_size": max(len(stored.data) // 10, 1),
        },
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 1280,
            "height": 960,
            "file_size": len(stored.data),
        },
    ]


def _document_object(stored: _StoredFile) -> JsonDict:
    document: JsonDict = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


def _inline_markup(markup: Any) -> JsonDict | None:
    """The reply_markup Telegram echoes in a Message: inline keyboards only."""
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        return copy.deepcopy(markup)
    return None


def _validate_markup(markup: Any) -> None:
    """Reject the inline keyboards Telegram rejects (the common bot bugs)."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text") or ""):
                raise _bad("BUTTON_TEXT_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise _bad("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _not_modified() -> ApiError:
    return _bad(
        "message is not modified: specified new message content and reply markup are "
        "exactly the same as a current content and reply markup of the message"
    )


def _set_or_pop(target: JsonDict, key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def _scope_key(scope: Any) -> str:
    if not scope:
        scope = {"type": "default"}
    return json.dumps(scope, sort_keys=True)


def _update_type(update: Mapping[str, Any]) -> str | None:
    return next((key for key in update if key != "update_id"), None)


def _is_allowed(update: Mapping[str, Any], allowed: Iterable[str] | None) -> bool:
    kind = _update_type(update)
    if allowed is None:
        return kind not in _OPT_IN_UPDATE_TYPES
    return kind in set(allowed)


def _ordering_key(update: Mapping[str, Any]) -> int | None:
    """The chat whose updates must reach a webhook in order (None: no chat)."""
    kind = _update_type(update)
    payload = update.get(kind) if kind else None
    if not isinstance(payload, dict):
        return None
    for holder in (payload, payload.get("message")):
        if isinstance(holder, dict) and isinstance(holder.get("chat"), dict):
            return _as_int(holder["chat"].get("id"), 0)
    sender = payload.get("from")
    return _as_int(sender.get("id"), 0) if isinstance(sender, dict) else None


# --------------------------------------------------------------------------------------
# Command line: python -m devtools.emulator --port 8081
# --------------------------------------------------------------------------------------


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Local Telegram Bot API emulator. Lines typed on stdin are sent "
        "to the bot as messages from --chat-id; the bot's answers are printed."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--bot-username", default="rehearsal_test_bot")
    parser.add_argument("--chat-id", type=int, default=1001)
    parser.add_argument("--language-code", default="fr")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every call")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    emulator = BotApiEmulator(
        args.token, bot_username=args.bot_username, host=args.host, port=args.port
    )
    loop = asyncio.get_running_loop()

    def show(item: JsonDict) -> None:
        text = item.get("text") or item.get("caption") or ""
        print(f"[bot -> {item['chat_id']}] {item['type']}: {text}", flush=True)

    def read_stdin() -> None:
        for line in sys.stdin:
            text = line.rstrip("\n")
            if text:
                loop.call_soon_threadsafe(
                    lambda t=text: emulator.inject_message(
                        args.chat_id, t, language_code=args.language_code
                    )
                )

    emulator.add_sent_listener(show)
    async with emulator:
        print(f"base_url: {emulator.base_url}", flush=True)
        print(f"base_file_url: {emulator.base_file_url}", flush=True)
        print(f"token: {emulator.token}", flush=True)
        print(f"type a line to send it as chat {args.chat_id}; Ctrl-C to stop", flush=True)
        threading.Thread(target=read_stdin, daemon=True).start()
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """Run the emulator until Ctrl-C."""
    args = _parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(message)s",
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
