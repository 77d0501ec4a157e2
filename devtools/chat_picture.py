"""A picture of a real Telegram chat with the bot, for the README:
`python -m devtools.chat_picture [--lang en|fr] [--out docs/chat.png]`.

Nothing is mocked up: the bot as `python -m bot telegram` builds it talks to the local Bot
API emulator (`devtools.emulator`), a scripted user begins a meeting, says a few lines (one
draws a coach hint) and ends it; every message, its keyboard as it is at the end and the
scorecard photo are what the bot sent. The chat is then drawn with Pillow (as the
scorecard), user on the right, bot on the left, long messages cut with "…".

Colour emoji have no glyph in DejaVu Sans (the only font the project ships with), so the
ones the bot uses are drawn as a DejaVu symbol in a colour close to the emoji's.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import io
import sys
import tempfile
from dataclasses import dataclass, field
from functools import cache
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from bot import PROJECT_ROOT

CHAT = 4242
#: The bot's name, as BotFather would show it (a name, not a text to translate).
TITLE = "Entretien réseau"
PERSONA = "laconic_host"
#: The user's lines: an introduction, a closed question (the coach's hint), open questions,
#: the referral question and thanks.
SCRIPT = {
    "en": [
        "Hello, my name is Camille, I was a buyer for eight years at a DIY retailer. Julien "
        "Morel gave me your name; I'd like to understand your job, I'm not looking for one.",
        "May I take a few notes?",
        "Do you like your job?",
        "Could you walk me through a typical day?",
        "Do you know someone I should meet?",
        "Thank you very much for your time, I will keep you posted. Goodbye!",
    ],
    "fr": [
        "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans chez Leroy "
        "Merlin. C'est Julien Morel qui m'a donné votre nom ; je souhaite comprendre votre "
        "métier, je ne cherche pas de poste.",
        "Est-ce que je peux prendre quelques notes ?",
        "Vous aimez votre travail ?",
        "Pouvez-vous me décrire une journée type ?",
        "Connaissez-vous quelqu'un que je devrais rencontrer ?",
        "Merci beaucoup pour votre temps, je vous tiendrai au courant. Au revoir !",
    ],
}

#: Emoji → (a DejaVu Sans symbol, its colour; None: the text's).
GLYPHS = {
    "💡": ("●", "#f0b400"),
    "⏱": ("◷", None),
    "🏁": ("⚑", None),
    "📋": ("▤", "#8a6d3b"),
    "🎯": ("◎", "#d9483b"),
    "🔓": ("◇", "#f0a202"),
    "🟢": ("●", "#2e9d5b"),
    "🟡": ("●", "#f0a202"),
    "🔴": ("●", "#d9483b"),
    "✅": ("✔", "#2e9d5b"),
    "📝": ("✎", None),
    "⏭": ("»", None),
    "⏳": ("◔", None),
    "\ufe0f": ("", None),  # the emoji variation selector: nothing to draw
}

WIDTH = 1080
SIZE = 30
LEADING = 40
BACKGROUND, HEADER = "#cfdcc4", "#517da2"
BOT_BUBBLE, USER_BUBBLE = "#ffffff", "#e1fec6"
INK, NAME, MUTED, BUTTON = "#1f2933", "#3a76a8", "#6b7c8c", "#7f9c7a"
#: Wrapped lines a bubble shows at most; more are cut with "…".
MAX_LINES = 10
PAD, INNER, PHOTO = 22, int(WIDTH * 0.74), 560
HEADER_HEIGHT, GAP = 110, 24


@dataclass
class Bubble:
    """One message of the chat, as Telegram would show it."""

    mine: bool  # the user's (right) or the bot's (left)
    html: str
    buttons: list[list[str]] = field(default_factory=list)
    photo: bytes | None = None


# -- the session ------------------------------------------------------------------------------


async def record(lang: str) -> list[Bubble]:
    """A real session through the emulator: the meeting from its first message to the end
    sequence (feedback, scorecard, notes step)."""
    from bot.channels.telegram.app import create
    from bot.channels.telegram.polling import poll_updates
    from bot.settings import Settings
    from devtools.emulator import BotApiEmulator

    bubbles: list[Bubble] = []
    chat: list[str | dict] = []  # the user's lines and the bot's messages, in order
    with tempfile.TemporaryDirectory() as folder:
        async with BotApiEmulator() as emulator:
            settings = Settings.from_env(
                {
                    "TELEGRAM_BOT_TOKEN": emulator.token,
                    "TELEGRAM_API_BASE_URL": emulator.base_url,
                    "DATABASE_URL": f"sqlite:///{Path(folder) / 'chat.sqlite3'}",
                }
            )
            app = create(settings, rate_limit=False)
            await app.initialize()
            await app.post_init(app)
            await app.start()
            stop = asyncio.Event()
            poller = asyncio.create_task(poll_updates(app, stop, timeout=1))
            try:

                async def quiet() -> None:
                    while True:
                        await emulator.wait_idle(quiet=0.15, timeout=30)
                        if app.update_processor.current_concurrent_updates == 0:
                            return
                        await asyncio.sleep(0.05)

                async def act(inject, shown: str | None = None) -> list[dict]:
                    before = len(emulator.sent_to(CHAT))
                    inject()
                    await quiet()
                    if shown is not None:
                        chat.append(shown)
                    sent = emulator.sent_to(CHAT)[before:]
                    chat.extend(item for item in sent if item["type"] in ("message", "photo"))
                    return sent

                def say(text: str):
                    return lambda: emulator.inject_message(CHAT, text, language_code=lang)

                def tap(data: str, message_id: int):
                    return lambda: emulator.inject_callback(
                        CHAT, data, message_id=message_id, language_code=lang
                    )

                picker = (await act(say("/personas")))[-1]
                await act(tap(f"persona:{PERSONA}", picker["message_id"]))
                chat.clear()  # the picture starts with the meeting
                await act(tap(f"begin:{PERSONA}", picker["message_id"]))
                for line in SCRIPT[lang]:
                    await act(say(line), shown=line)
                if app.bot_data["rehearsals"].current(CHAT) is not None:
                    await act(say("/end"), shown="/end")  # unless the host ended it
                for entry in chat:
                    if isinstance(entry, str):
                        bubbles.append(Bubble(True, _escape(entry)))
                        continue
                    current = emulator.message(CHAT, entry["message_id"]) or {}
                    rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
                    labels = [[button["text"] for button in row] for row in rows]
                    if entry["type"] == "photo":
                        caption = entry.get("raw_caption") or ""
                        bubbles.append(Bubble(False, caption, labels, entry["photo"]))
                    else:
                        bubbles.append(Bubble(False, entry["raw_text"], labels))
            finally:
                stop.set()
                await poller
                await app.stop()
                await app.post_shutdown(app)
                await app.shutdown()
                app.bot_data["rehearsals"].storage.close()
    return bubbles


def _escape(text: str) -> str:
    """A user's line as Telegram HTML (what they typed is text, not markup)."""
    return escape(text)


# -- the drawing ------------------------------------------------------------------------------


class _Runs(HTMLParser):
    """Telegram HTML to runs of (text, bold, italic)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[tuple[str, bool, bool]] = []
        self.bold = self.italic = 0

    def handle_starttag(self, tag, attrs):
        self.bold += tag in ("b", "strong")
        self.italic += tag in ("i", "em")

    def handle_endtag(self, tag):
        self.bold -= tag in ("b", "strong")
        self.italic -= tag in ("i", "em")

    def handle_data(self, data):
        self.runs.append((data, self.bold > 0, self.italic > 0))


@cache
def _font(bold: bool, italic: bool, size: int = SIZE):
    from PIL import ImageFont

    origin = importlib.util.find_spec("matplotlib").origin  # type: ignore[union-attr]
    name = "DejaVuSans" + ("-Bold" if bold else "") + ("Oblique" if italic else "")
    name = name.replace("SansOblique", "Sans-Oblique")
    return ImageFont.truetype(str(Path(origin).parent / "mpl-data/fonts/ttf" / f"{name}.ttf"), size)


Piece = tuple[str, bool, bool, str | None]  # text, bold, italic, colour


def _pieces(html: str) -> list[list[Piece]]:
    """The message's paragraphs, each a list of pieces, emoji replaced by symbols."""
    parser = _Runs()
    parser.feed(html)
    paragraphs: list[list[Piece]] = [[]]
    for text, bold, italic in parser.runs:
        for i, part in enumerate(text.split("\n")):
            if i:
                paragraphs.append([])
            buffer = ""
            for char in part:
                if char in GLYPHS:
                    symbol, colour = GLYPHS[char]
                    if buffer:
                        paragraphs[-1].append((buffer, bold, italic, None))
                        buffer = ""
                    if symbol:
                        paragraphs[-1].append((symbol, bold, False, colour))
                else:
                    buffer += char
            if buffer:
                paragraphs[-1].append((buffer, bold, italic, None))
    return paragraphs


def _wrap(paragraphs: list[list[Piece]], width: float) -> list[list[Piece]]:
    """Greedy word wrap of styled pieces to `width` pixels."""
    lines: list[list[Piece]] = []
    for paragraph in paragraphs:
        line: list[Piece] = []
        used = 0.0
        words = [
            (word, bold, italic, colour)
            for text, bold, italic, colour in paragraph
            for word in _words(text)
        ]
        for word in words:
            size = _font(word[1], word[2]).getlength(word[0])
            if line and used + size > width and word[0].strip():
                lines.append(line)
                line, used = [], 0.0
                word = (word[0].lstrip(), *word[1:])
                size = _font(word[1], word[2]).getlength(word[0])
            line.append(word)
            used += size
        lines.append(line)
    return lines


def _words(text: str) -> list[str]:
    """Words with their following space, so that joining them gives the text back."""
    out, word = [], ""
    for char in text:
        word += char
        if char == " ":
            out.append(word)
            word = ""
    return [*out, word] if word else out


def _cut(lines: list[list[Piece]]) -> list[list[Piece]]:
    if len(lines) <= MAX_LINES:
        return lines
    kept = lines[: MAX_LINES - 1]
    while kept and not "".join(text for text, *_rest in kept[-1]).strip():
        kept.pop()  # no blank line before the "…"
    return [*kept, [("…", False, False, MUTED)]]


@dataclass
class _Block:
    bubble: Bubble
    lines: list[list[Piece]]
    width: int
    height: int  # the bubble's
    photo: object = None  # a PIL image

    @property
    def span(self) -> int:
        """Height taken in the column: the bubble, its buttons, the gap."""
        return self.height + 8 + 74 * len(self.bubble.buttons) + 16


def _block(bubble: Bubble) -> _Block:
    from PIL import Image

    lines = _cut(_wrap(_pieces(bubble.html), INNER - 2 * PAD)) if bubble.html else []
    text_width = max(
        (sum(_font(b, i).getlength(t) for t, b, i, _c in line) for line in lines), default=0
    )
    height = len(lines) * LEADING + 2 * PAD - 8
    width = text_width + 2 * PAD
    photo = None
    if bubble.photo:
        photo = Image.open(io.BytesIO(bubble.photo)).convert("RGB")
        photo = photo.resize((PHOTO, round(photo.height * PHOTO / photo.width)))
        width, height = max(PHOTO, width), photo.height + (height if lines else 0)
    if bubble.buttons:
        width = max(width, INNER)
    return _Block(bubble, lines, int(width), int(height), photo)


def _columns(blocks: list[_Block]) -> tuple[list[_Block], list[_Block]]:
    """Two columns of about the same height, split between messages (a user's line opens
    the second column when it can: the chat reads on naturally)."""
    total = sum(block.span for block in blocks)
    best, best_gap = 1, total
    used = 0
    for i, block in enumerate(blocks[:-1], start=1):
        used += block.span
        gap = abs(total - 2 * used) + (0 if blocks[i].bubble.mine else 300)
        if gap < best_gap:
            best, best_gap = i, gap
    return blocks[:best], blocks[best:]


def _column(blocks: list[_Block], height: int, title: str | None):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH, HEADER_HEIGHT), fill=HEADER)
    if title:
        pen.ellipse((30, 20, 100, 90), fill="#f0a202")
        pen.text((65, 55), "ER", font=_font(True, False, 28), fill="white", anchor="mm")
        pen.text((124, 28), title, font=_font(True, False, 32), fill="white")
        pen.text((124, 68), "bot", font=_font(False, False, 24), fill="#d6e4f0")
    y = HEADER_HEIGHT + 30
    for block in blocks:
        bubble = block.bubble
        left = WIDTH - 28 - block.width if bubble.mine else 28
        colour = USER_BUBBLE if bubble.mine else BOT_BUBBLE
        pen.rounded_rectangle(
            (left, y, left + block.width, y + block.height), radius=22, fill=colour
        )
        top = y + PAD - 4
        if block.photo is not None:
            image.paste(block.photo, (left + (block.width - block.photo.width) // 2, y))
            top = y + block.photo.height + PAD - 4
        for number, line in enumerate(block.lines):
            x = left + PAD
            for text, bold, italic, tint in line:
                font = _font(bold, italic)
                name = bold and not bubble.mine and number == 0
                pen.text((x, top), text, font=font, fill=tint or (NAME if name else INK))
                x += font.getlength(text)
            top += LEADING
        y += block.height + 8
        label_font = _font(True, False, 26)
        for row in bubble.buttons:
            cell = (INNER + 8) / len(row)
            for i, label in enumerate(row):
                x0 = left + i * cell
                pen.rounded_rectangle((x0, y, x0 + cell - 8, y + 64), radius=14, fill=BUTTON)
                pieces = _pieces(_escape(label))[0]
                x = x0 + (cell - 8 - sum(label_font.getlength(p[0]) for p in pieces)) / 2
                for text, _b, _i, _tint in pieces:
                    pen.text((x, y + 32), text, font=label_font, fill="white", anchor="lm")
                    x += label_font.getlength(text)
            y += 74
        y += 16
    return image


def draw(bubbles: list[Bubble]) -> bytes:
    """The chat as a PNG: two phone-wide columns side by side (the meeting reads on from
    the left one to the right one), short enough for the README's first screen."""
    from PIL import Image

    left, right = _columns([_block(bubble) for bubble in bubbles])
    height = HEADER_HEIGHT + 30 + max(sum(b.span for b in column) for column in (left, right))
    image = Image.new("RGB", (2 * WIDTH + GAP, height), "white")
    image.paste(_column(left, height, TITLE), (0, 0))
    image.paste(_column(right, height, None), (WIDTH + GAP, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["en", "fr"], default="en")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "chat.png")
    args = parser.parse_args(argv)
    bubbles = asyncio.run(record(args.lang))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(draw(bubbles))
    print(f"{args.out}: {len(bubbles)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
