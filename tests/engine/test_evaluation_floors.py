"""The measured accuracy of the analysis on the labelled sets (`eval/*.jsonl`) may not fall.

Each floor sits just below the figure measured when it was set (rounded down to 0.01). If a
change to the rules or the lexicons lowers a figure, this test names it; raise the floors
when the figures improve. `python -m bot eval --errors 60` shows what is misclassified.
"""

from __future__ import annotations

import pytest

from bot.engine.analysis import INTENTS, TOPICS
from bot.evaluation import TARGETS, Report, evaluate, load_set

#: Floors per language: open/closed macro-F1, question detection F1, F1 of each rubric
#: intent, and F1 of each information topic (secondary: one topic per line is hard to pin).
FLOORS: dict[str, dict[str, float | dict[str, float]]] = {
    "fr": {
        "open_closed_macro_f1": 0.99,
        "question_detection_f1": 0.99,
        "intents": {
            "introduction": 0.98,
            "link": 0.98,
            "purpose": 0.98,
            "assets": 0.98,
            "notes_permission": 0.99,
            "confidential_request": 0.99,
            "job_request": 0.99,
            "referral_request": 0.99,
            "give_back": 0.99,
            "thanks": 0.99,
            "keep_informed": 0.99,
        },
        "topics": {
            "organisation": 0.69,
            "typical_day": 0.84,
            "challenges": 0.84,
            "likes": 0.94,
            "experience": 0.79,
            "profiles": 0.84,
            "competitors": 0.79,
            "budget": 0.82,
            "locations": 0.74,
            "skills_gap": 0.88,
            "growth": 0.86,
            "improvement": 0.88,
        },
    },
    "en": {
        "open_closed_macro_f1": 0.99,
        "question_detection_f1": 0.99,
        "intents": {
            "introduction": 0.99,
            "link": 0.99,
            "purpose": 0.99,
            "assets": 0.98,
            "notes_permission": 0.99,
            "confidential_request": 0.99,
            "job_request": 0.99,
            "referral_request": 0.99,
            "give_back": 0.99,
            "thanks": 0.99,
            "keep_informed": 0.99,
        },
        "topics": {
            "organisation": 0.69,
            "typical_day": 0.88,
            "challenges": 0.90,
            "likes": 0.93,
            "experience": 0.79,
            "profiles": 0.79,
            "competitors": 0.79,
            "budget": 0.76,
            "locations": 0.79,
            "skills_gap": 0.87,
            "growth": 0.91,
            "improvement": 0.91,
        },
    },
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def report(request: pytest.FixtureRequest) -> Report:
    return evaluate(request.param, load_set(request.param))


def test_sets_are_large_enough(report: Report) -> None:
    assert report.size >= 500


def test_question_figures(report: Report) -> None:
    floors = FLOORS[report.lang]
    assert report.open_closed_macro_f1 >= floors["open_closed_macro_f1"]
    assert report.question_detection.f1 >= floors["question_detection_f1"]
    assert report.missed_targets() == []


def test_every_rubric_intent(report: Report) -> None:
    floors = FLOORS[report.lang]["intents"]
    assert set(floors) == set(INTENTS)
    below = {
        name: round(report.intents[name].f1, 3)
        for name in INTENTS
        if report.intents[name].f1 < max(floors[name], TARGETS["intent_f1"])
    }
    assert not below, f"{report.lang}: intent F1 under its floor: {below}"


def test_every_topic(report: Report) -> None:
    floors = FLOORS[report.lang]["topics"]
    assert set(floors) == set(TOPICS)
    below = {
        name: round(report.topics[name].f1, 3)
        for name in TOPICS
        if report.topics[name].f1 < floors[name]
    }
    assert not below, f"{report.lang}: topic F1 under its floor: {below}"
