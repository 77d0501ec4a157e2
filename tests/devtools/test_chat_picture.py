"""The README's chat picture is drawn from a real session through the emulator: the
persona's replies, a coach hint, the controls and the end sequence, in both languages."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from devtools import chat_picture
from devtools.chat_picture import GAP, SCRIPT, USER_BUBBLE, WIDTH, draw, record

HINT = {"fr": "Coach\u00a0:", "en": "Coach:"}
NOTES = {"fr": ("Passer", "Terminé"), "en": ("Skip", "Done")}


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


@pytest.mark.timeout(120)
@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_a_real_session_drawn_as_a_chat(lang):
    bubbles = await record(lang)
    mine = [b.html for b in bubbles if b.mine]
    assert mine[: len(SCRIPT[lang])] == [chat_picture._escape(line) for line in SCRIPT[lang]]
    theirs = [b for b in bubbles if not b.mine]
    assert not bubbles[0].mine and any("⏱" in label for row in bubbles[0].buttons for label in row)
    assert any(HINT[lang] in b.html for b in theirs)  # a coach hint rode on a reply
    assert any("/100" in b.html and "<b>" in b.html for b in theirs)  # the feedback
    photo = next(b for b in theirs if b.photo)
    assert Image.open(io.BytesIO(photo.photo)).width >= 1000  # the real scorecard
    assert theirs.index(photo) > next(i for i, b in enumerate(theirs) if "/100" in b.html)
    labels = " ".join(label for row in theirs[-1].buttons for label in row)
    assert all(word in labels for word in NOTES[lang])  # the notes step comes last

    picture = Image.open(io.BytesIO(draw(bubbles))).convert("RGB")
    width, height = picture.size
    assert width == 2 * WIDTH + GAP and 1200 < height < 3500  # two columns, one screen
    pixels = picture.load()
    green = rgb(USER_BUBBLE)
    for left in (0, WIDTH + GAP):  # user bubbles on the right of each column, never the left
        right_edge = {pixels[left + WIDTH - 40, y] for y in range(150, height, 4)}
        left_edge = {pixels[left + 40, y] for y in range(150, height, 4)}
        assert green in right_edge and green not in left_edge
        assert (255, 255, 255) in left_edge and (255, 255, 255) not in right_edge
