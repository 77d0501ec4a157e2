"""The scorecard and progress pictures (`bot.charts`) and the one-line trend reading."""

from __future__ import annotations

import io
import struct
import subprocess
import sys

import pytest

from bot import PROJECT_ROOT, charts
from bot.engine.coach import CRITERIA, Feedback, build_feedback
from bot.engine.meeting import Meeting
from bot.engine.personas import Persona, load_personas
from bot.i18n import translations

NBSP = "\u00a0"
DAY = 86_400.0
START = 1_741_000_000.0  # 2025-03-03, UTC

#: A real meeting with mixed results: a good introduction, a closed question, no give-back.
LINES = {
    "fr": [
        "Bonjour, je m'appelle Camille, j'ai été acheteuse pendant huit ans. C'est Julien "
        "Morel qui m'a donné votre nom ; je souhaite comprendre votre métier, je ne cherche "
        "pas de poste.",
        "Est-ce que je peux prendre quelques notes ?",
        "Vous aimez votre travail ?",
        "Pouvez-vous me décrire une journée type ?",
        "Connaissez-vous quelqu'un que je devrais rencontrer ?",
        "Merci beaucoup pour votre temps, je vous tiendrai au courant. Au revoir !",
    ],
    "en": [
        "Hello, my name is Camille, I was a buyer for eight years. Julien Morel gave me your "
        "name; I'd like to understand your work, I'm not looking for a job.",
        "Do you mind if I take a few notes?",
        "Do you like your job?",
        "Could you describe a typical day in your job?",
        "Do you know someone I should meet?",
        "Thank you very much for your time, I will keep you informed. Goodbye!",
    ],
}


@pytest.fixture(scope="module")
def persona() -> Persona:
    return load_personas()["laconic_host"]


@pytest.fixture(scope="module")
def feedbacks(persona: Persona) -> dict[str, Feedback]:
    """Feedback from meetings actually played, one per language."""
    result = {}
    for lang, lines in LINES.items():
        meeting = Meeting.start(persona, lang, seed=7)
        for line in lines:
            if meeting.say(line).ended:
                break
        meeting.end()
        result[lang] = build_feedback(meeting)
    return result


def entry(day: int, score: int, exam: bool = False, **criteria: int) -> dict:
    scores = dict.fromkeys(CRITERIA, 50) | criteria
    return {
        "started_at": START + day * DAY,
        "score": score,
        "criteria": scores,
        "exam": exam,
        "persona": "Nadia Berrada",
    }


def history(count: int) -> list[dict]:
    """A plausible history: every criterion climbs at its own pace, every third is an exam."""
    return [
        {
            "started_at": START + i * 1.7 * DAY,
            "score": min(100, 30 + 9 * i),
            "criteria": {key: min(100, 10 * j + 7 * i) for j, key in enumerate(CRITERIA)},
            "exam": i % 3 == 2,
            "persona": "Nadia Berrada",
        }
        for i in range(count)
    ]


def check_png(data: bytes) -> tuple[int, int]:
    """A decodable PNG of a sensible size for Telegram; returns its width and height."""
    import matplotlib.image

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 800 and height >= 800
    assert 10_000 <= len(data) <= 300_000, len(data)
    pixels = matplotlib.image.imread(io.BytesIO(data), format="png")
    assert pixels.shape[:2] == (height, width)
    assert pixels.std() > 0.05  # not a blank picture
    return width, height


# -- pictures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("exam", [False, True])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_scorecard_is_a_phone_sized_png(feedbacks, persona, lang, exam):
    feedback = feedbacks[lang]
    assert {r.score for r in feedback.criteria.values()} - {0, 100}, "want a mixed meeting"
    assert check_png(charts.scorecard_png(feedback, persona, lang, exam=exam)) == (1080, 1350)


def test_exam_badge_changes_the_picture(feedbacks, persona):
    plain = charts.scorecard_png(feedbacks["fr"], persona, "fr")
    exam = charts.scorecard_png(feedbacks["fr"], persona, "fr", exam=True)
    assert plain != exam


def test_scorecard_accepts_extreme_scores(feedbacks, persona):
    for score in (0, 100):
        data = feedbacks["en"].to_json()
        data["score"] = score
        for result in data["criteria"].values():
            result["score"] = score
        check_png(charts.scorecard_png(Feedback.from_json(data), persona, "en"))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("count", [1, 3, 40])
def test_progress_is_a_phone_sized_png(lang, count):
    assert check_png(charts.progress_png(history(count), lang)) == (1080, 1350)


def test_progress_tolerates_missing_criteria():
    items = history(3)
    del items[0]["criteria"]["closing"]
    items[1]["criteria"] = {}
    check_png(charts.progress_png(items, "fr"))


def test_progress_needs_a_rehearsal():
    with pytest.raises(ValueError):
        charts.progress_png([], "fr")


def test_tick_dates_are_localized():
    assert charts._day(START, "fr") == "3 mars"
    assert charts._day(START, "en") == "Mar 3"
    assert charts._ticks(3) == [1, 2, 3]
    ticks = charts._ticks(40)
    assert ticks[0] == 1 and ticks[-1] == 40 and len(ticks) <= 7


def test_band_colours_follow_the_text_feedback():
    assert [charts.band_colour(s) for s in (0, 39, 40, 69, 70, 100)] == [
        charts.RED,
        charts.RED,
        charts.AMBER,
        charts.AMBER,
        charts.GREEN,
        charts.GREEN,
    ]
    assert len(set(charts.CRITERION_COLOURS.values())) == len(CRITERIA)


def test_importing_charts_does_not_import_matplotlib():
    """The bot imports `bot.charts` at start-up; matplotlib must wait for the first picture."""
    code = "import sys, bot.charts; assert 'matplotlib' not in sys.modules, 'eager import'"
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)


# -- trend line ----------------------------------------------------------------------------------


def test_no_trend_before_two_rehearsals():
    assert charts.trend_line([], "en") is None
    assert charts.trend_line([entry(0, 50)], "fr") is None


def test_trend_gives_the_overall_score_then_the_criterion_that_moved_most():
    items = [
        entry(0, 50, open_questions=40, closing=50),
        entry(1, 55),
        entry(2, 60),
        entry(3, 62, exam=True),
        entry(4, 70, open_questions=75, closing=70),
    ]
    assert charts.trend_line(items, "en") == (
        "Overall score: 50 → 70/100 after 5 rehearsals. Moved most: Open questions, 40 → 75."
    )
    assert charts.trend_line(items, "fr") == (
        f"Note globale{NBSP}: 50 → 70/100 en 5 répétitions. "
        f"Ce qui a le plus bougé{NBSP}: Questions ouvertes, 40 → 75."
    )


def test_trend_tells_the_same_story_as_the_text():
    """The overall score leads, falling here, even when one criterion rose a lot."""
    items = [entry(0, 60, referral=20, assets=40), entry(1, 40, referral=80, assets=30)]
    assert charts.trend_line(items, "en") == (
        "Overall score: 60 → 40/100 after 2 rehearsals. Moved most: Referral, 20 → 80."
    )


def test_trend_without_a_criterion_that_moved():
    items = [entry(0, 50), entry(1, 50)]
    assert charts.trend_line(items, "en") == "Overall score: 50 → 50/100 after 2 rehearsals."
    assert charts.trend_line(items, "fr") == f"Note globale{NBSP}: 50 → 50/100 en 2 répétitions."


def test_the_chart_draws_only_the_criteria_that_moved_most():
    items = [
        entry(0, 40, respect=0, listening=0, open_questions=20, assets=60, referral=10),
        entry(1, 50, respect=0, listening=0, open_questions=70, assets=40, referral=10),
        entry(2, 60, respect=0, listening=0, open_questions=60, assets=65, referral=90),
    ]
    assert charts.charted_criteria(items) == ["referral", "open_questions", "assets"]
    assert charts.charted_criteria([entry(0, 50), entry(1, 60)]) == []  # none moved
    assert len(charts.charted_criteria(history(20))) == charts.CHARTED_CRITERIA


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        ("en", "after 1 rehearsal.", "after 3 rehearsals."),
        ("fr", "en 1 répétition.", "en 3 répétitions."),
    ],
)
def test_rehearsal_plural_forms(lang, one, many):
    """`trend_line` needs two rehearsals, so the singular is checked in the catalogue."""
    singular = "Overall score: {start} → {end}/100 after {count} rehearsal."
    plural = "Overall score: {start} → {end}/100 after {count} rehearsals."
    ngettext = translations(lang).ngettext
    for count, ending in ((1, one), (3, many)):
        text = ngettext(singular, plural, count).format(start=1, end=2, count=count)
        assert text.endswith(ending)
    items = [entry(0, 40), entry(1, 50), entry(2, 60)]
    assert charts.trend_line(items, lang).endswith(many)
