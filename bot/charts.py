"""Pictures of a rehearsal: the scorecard after `/end` and the progress chart of `/history`.

People read a picture of their progress faster than ten lines of scores. The scorecard is
drawn with Pillow (10–20 ms: one goes out after every meeting); the progress chart with
matplotlib's object API (`Figure` + `FigureCanvasAgg`, no pyplot): no display, no global
figure registry, nothing to close or leak between chats. Both libraries are imported inside
the functions, so `import bot.charts` costs nothing at bot start-up.

Every text goes through gettext, and DejaVu Sans (shipped with matplotlib) is named
explicitly so French accents render whatever the host's matplotlibrc says.
"""

from __future__ import annotations

import importlib.util
import io
import textwrap
import threading
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.engine.coach import CRITERIA, criterion_name
from bot.i18n import translations

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bot.engine.coach import Feedback
    from bot.engine.personas import Persona

_LOCK = threading.Lock()
FONT = "DejaVu Sans"
DPI = 150
#: Portrait 1080×1350 px (4:5): fills a phone screen in Telegram without cropping.
SIZE = (1080 / DPI, 1350 / DPI)

#: Score bands, the same thresholds as the text feedback's 🔴 🟡 🟢.
RED, AMBER, GREEN = "#d9483b", "#f0a202", "#2e9d5b"
INK, MUTED, TRACK = "#1f2933", "#616e7c", "#e4e7eb"

#: One colour per criterion, the same on every chart (matplotlib's tab10, colour-blind aware).
CRITERION_COLOURS = dict(
    zip(
        CRITERIA,
        (
            "#1f77b4",
            "#ff7f0e",
            "#2ca02c",
            "#d62728",
            "#9467bd",
            "#8c564b",
            "#e377c2",
            "#7f7f7f",
            "#bcbd22",
            "#17becf",
        ),
        strict=True,
    )
)


def band_colour(score: float) -> str:
    """Red below 40, amber below 70, green from 70: what the text feedback's marks say."""
    return GREEN if score >= 70 else AMBER if score >= 40 else RED


def _png(fig: Figure) -> bytes:
    """Render with Agg, one picture at a time: matplotlib is not thread-safe and the bot may
    draw from worker threads (`asyncio.to_thread`). Then free the figure's artists."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    with _LOCK:
        # Fast zlib level: a third of the encoding time for a file about 1.5 times larger.
        FigureCanvasAgg(fig).print_png(
            buffer, metadata={"Software": None}, pil_kwargs={"compress_level": 1}
        )
    fig.clear()
    return buffer.getvalue()


@cache
def _font_path(bold: bool) -> str:
    """DejaVu Sans as shipped inside matplotlib, found without importing matplotlib."""
    origin = importlib.util.find_spec("matplotlib").origin  # type: ignore[union-attr]
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return str(Path(origin).parent / "mpl-data" / "fonts" / "ttf" / name)


@cache
def _font(size: int, bold: bool = False):  # -> PIL.ImageFont.FreeTypeFont
    from PIL import ImageFont

    return ImageFont.truetype(_font_path(bold), size)


def scorecard_png(feedback: Feedback, persona: Persona, lang: str, *, exam: bool = False) -> bytes:
    """The feedback as a phone-sized picture: who, the overall score, the ten criteria.

    Drawn with Pillow rather than matplotlib: a scorecard goes out after every meeting, and
    at 10–20 ms it costs a tenth of a matplotlib figure (the benchmark's 1,000 chats ending
    at once made the picture the bottleneck). Names sit above their bars, so long French
    labels never squeeze the bars on a portrait screen.
    """
    from PIL import Image, ImageDraw

    _ = translations(lang).gettext
    width, height = 1080, 1350
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    left, right = 76, width - 76

    # Header: who the meeting was with, and the exam badge.
    draw.text((left, 64), persona.name, font=_font(46, bold=True), fill=INK)
    y = 140
    for line in textwrap.wrap(persona.role.get(lang), 34):
        draw.text((left, y), line, font=_font(26), fill=MUTED)
        y += 36
    if exam:
        label = _("Exam").upper()
        box = draw.textbbox((left + 14, y + 14), label, font=_font(22, bold=True))
        draw.rounded_rectangle(
            (box[0] - 14, box[1] - 10, box[2] + 14, box[3] + 10), radius=10, fill=INK
        )
        draw.text((left + 14, y + 14), label, font=_font(22, bold=True), fill="white")

    # The overall score, big, inside a ring filled to the score in its band's colour.
    colour = band_colour(feedback.score)
    cx, cy, radius, thickness = 864, 170, 120, 24
    ring = (cx - radius, cy - radius, cx + radius, cy + radius)
    draw.ellipse(ring, outline=TRACK, width=thickness)
    if feedback.score > 0:
        draw.arc(ring, -90, -90 + 3.6 * feedback.score, fill=colour, width=thickness)
    draw.text(
        (cx, cy - 8), str(feedback.score), font=_font(80, bold=True), fill=colour, anchor="mm"
    )
    draw.text((cx, cy + 50), "/100", font=_font(24), fill=MUTED, anchor="mm")
    draw.text((cx, cy + radius + 34), _("Overall score"), font=_font(22), fill=MUTED, anchor="mm")

    # The ten criteria: a grey track from 0 to 100 and a bar in the band's colour.
    y = 400
    span = right - left
    for key, result in feedback.criteria.items():
        score = max(0, min(100, result.score))
        draw.text((left, y), criterion_name(key, lang), font=_font(27), fill=INK)
        draw.text((right, y), str(score), font=_font(27, bold=True), fill=INK, anchor="ra")
        top = y + 44
        draw.rectangle((left, top, right, top + 24), fill=TRACK)
        draw.rectangle(
            (left, top, left + max(8, span * score // 100), top + 24), fill=band_colour(score)
        )
        y += 83

    # Footer: what the colours mean.
    for i, (swatch, label) in enumerate(((RED, "0–39"), (AMBER, "40–69"), (GREEN, "70–100"))):
        x = left + 216 * i
        draw.ellipse((x, 1276, x + 22, 1298), fill=swatch)
        draw.text((x + 36, 1287), label, font=_font(21), fill=MUTED, anchor="lm")

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _day(started_at: float, lang: str) -> str:
    """A short localized date ("12 mars", "Mar 12"), in UTC like the text history."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMd", datetime.fromtimestamp(started_at, UTC), locale=lang)


def _ticks(count: int, most: int = 7) -> list[int]:
    """At most `most` rehearsal numbers, always the first and the last, evenly spread."""
    if count <= most:
        return list(range(1, count + 1))
    step = (count - 1) / (most - 1)
    return sorted({1 + round(i * step) for i in range(most)})


def progress_png(history: list[dict], lang: str) -> bytes:
    """The overall score (thick) and the criteria that moved most (thin, at most
    `CHARTED_CRITERIA`) across rehearsals, oldest first.

    x is the rehearsal number, so rehearsals on the same day stay apart; ticks show dates.
    Exam rehearsals get hollow markers, practice ones filled markers.
    """
    if not history:
        raise ValueError("no rehearsal to chart")
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D

    _ = translations(lang).gettext
    fig = Figure(figsize=SIZE, dpi=DPI, facecolor="white")
    xs = list(range(1, len(history) + 1))
    exams = [bool(item.get("exam")) for item in history]
    crowd = len(history)  # markers shrink, then vanish on thin lines, as rehearsals pile up

    fig.text(
        0.07, 0.955, _("Your progress"), size=22, weight="bold", va="top", family=FONT, color=INK
    )
    trend = trend_line(history, lang)
    if trend:
        fig.text(
            0.07,
            0.9,
            textwrap.fill(trend, 48),
            size=13,
            va="top",
            linespacing=1.3,
            family=FONT,
            color=MUTED,
        )
    ax = fig.add_axes((0.1, 0.37, 0.84, 0.46))

    def plot(values: list[float | None], colour: str, width: float, size: float) -> None:
        """One series with filled markers, then hollow ones over its exam rehearsals."""
        points = [(x, v, e) for x, v, e in zip(xs, values, exams, strict=True) if v is not None]
        style = {"marker": "o", "ms": size, "mec": colour, "mew": 1.6}
        zorder = 3 if width > 2 else 2
        ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            color=colour,
            lw=width,
            solid_capstyle="round",
            mfc=colour,
            zorder=zorder,
            **style,
        )
        exam = [p for p in points if p[2]]
        if exam and size:
            ax.plot(
                [p[0] for p in exam],
                [p[1] for p in exam],
                ls="none",
                mfc="white",
                zorder=zorder + 0.5,
                **style,
            )

    charted = charted_criteria(history)
    for key in charted:
        plot(
            [item.get("criteria", {}).get(key) for item in history],
            CRITERION_COLOURS[key],
            1.4,
            4.5 if crowd <= 15 else 0,
        )
    plot(
        [item["score"] for item in history],
        INK,
        4.5,
        10 if crowd <= 12 else 7 if crowd <= 25 else 5,
    )

    font = FontProperties(family=FONT, size=11)
    ax.set_ylim(-4, 104)
    ax.set_xlim(0.6, len(history) + 0.4)
    ax.set_yticks([0, 40, 70, 100], ["0", "40", "70", "100"], family=FONT, size=11, color=MUTED)
    ticks = _ticks(len(history))
    labels = [f"{x}\n{_day(history[x - 1]['started_at'], lang)}" for x in ticks]
    ax.set_xticks(ticks, labels, family=FONT, size=11, color=MUTED)
    ax.set_xlabel(_("Rehearsal"), fontproperties=font, color=MUTED, labelpad=8)
    ax.grid(axis="y", color=TRACK, lw=1)
    ax.tick_params(length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(TRACK)
    for low, high, colour in ((0, 40, RED), (40, 70, AMBER), (70, 100, GREEN)):
        ax.axhspan(low, high, color=colour, alpha=0.06, lw=0, zorder=0)

    handles = [Line2D([], [], color=INK, lw=4.5, label=_("Overall score"))]
    handles += [
        Line2D([], [], color=CRITERION_COLOURS[key], lw=2.5, label=criterion_name(key, lang))
        for key in charted
    ]
    if any(exams):
        handles.append(
            Line2D(
                [], [], ls="none", marker="o", ms=9, mec=INK, mfc="white", mew=1.6, label=_("Exam")
            )
        )
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.07, 0.255),
        ncols=2,
        frameon=False,
        prop=FontProperties(family=FONT, size=12),
        handlelength=1.8,
        columnspacing=1.5,
        labelspacing=0.8,
        labelcolor=INK,
    )
    return _png(fig)


#: Criteria drawn on the progress chart besides the overall score: more lines than this
#: on one plot is a tangle nobody reads.
CHARTED_CRITERIA = 3


def _moves(history: list[dict]) -> list[tuple[int, int, str]]:
    """(change from the first rehearsal to the last, range over all, key) per criterion
    scored in both, the biggest change first (ties: the rubric's order)."""
    first, last = history[0].get("criteria", {}), history[-1].get("criteria", {})
    moves = []
    for key in CRITERIA:
        values = [item.get("criteria", {}).get(key) for item in history]
        known = [v for v in values if v is not None]
        if key in first and key in last and known:
            moves.append((abs(last[key] - first[key]), max(known) - min(known), key))
    return sorted(moves, key=lambda move: -move[0])


def charted_criteria(history: list[dict]) -> list[str]:
    """The criteria worth a line: those that moved at all, the widest swings first, at most
    `CHARTED_CRITERIA` (a criterion flat at 0 or at 100 says nothing)."""
    moved = sorted((m for m in _moves(history) if m[1] > 0), key=lambda m: -m[1])
    return [key for _change, _range, key in moved[:CHARTED_CRITERIA]]


def trend_line(history: list[dict], lang: str) -> str | None:
    """The overall score from the first rehearsal to the last (what the text's trend says
    too), then the criterion that moved most, which tells the user more than the average.
    Scores are out of 100, as everywhere else, not percentages."""
    if len(history) < 2:
        return None
    t = translations(lang)
    _, ngettext = t.gettext, t.ngettext
    count = len(history)
    overall = ngettext(
        "Overall score: {start} → {end}/100 after {count} rehearsal.",
        "Overall score: {start} → {end}/100 after {count} rehearsals.",
        count,
    ).format(start=history[0]["score"], end=history[-1]["score"], count=count)
    moves = _moves(history)
    if not moves or moves[0][0] == 0:
        return overall
    key = moves[0][2]
    return (
        overall
        + " "
        + _("Moved most: {name}, {start} → {end}.").format(
            name=criterion_name(key, lang),
            start=history[0]["criteria"][key],
            end=history[-1]["criteria"][key],
        )
    )


def network_png(
    met: list[str], unlocked: list[tuple[str, str]], to_earn: list[str], lang: str
) -> bytes:
    """The user's network as a small picture: who they met, who was recommended to them (an
    arrow from whoever did), and who is not met yet. Drawn with Pillow, like the scorecard."""
    from PIL import Image, ImageDraw

    _ = translations(lang).gettext
    people = [(name, GREEN) for name in met]
    people += [(name, AMBER) for name, _via in unlocked]
    people += [(name, TRACK) for name in to_earn]
    width, row = 900, 96
    height = 150 + row * max(1, len(people)) + 70
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((60, 44), _("Your network"), font=_font(40, bold=True), fill=INK)
    centres: dict[str, tuple[int, int]] = {}
    for i, (name, colour) in enumerate(people):
        x, y = 110, 150 + row * i + row // 2
        centres[name] = (x, y)
        draw.ellipse((x - 26, y - 26, x + 26, y + 26), fill=colour)
        draw.text((x + 50, y), name, font=_font(30), fill=INK, anchor="lm")
    for name, via in unlocked:  # who recommended whom
        if via in centres and name in centres:
            (x1, y1), (x2, y2) = centres[via], centres[name]
            draw.line((x1 - 40, y1, x1 - 60, y1, x2 - 60, y2, x2 - 34, y2), fill=MUTED, width=4)
            draw.polygon(((x2 - 30, y2), (x2 - 44, y2 - 8), (x2 - 44, y2 + 8)), fill=MUTED)
    legend = ((GREEN, _("met")), (AMBER, _("recommended")), (TRACK, _("not met yet")))
    for i, (swatch, label) in enumerate(legend):
        x = 60 + 260 * i
        draw.ellipse((x, height - 52, x + 22, height - 30), fill=swatch)
        draw.text((x + 34, height - 41), label, font=_font(24), fill=MUTED, anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
