"""The holdout figures of the dialogue, feedback and natural-wording sets may not fall.

Each floor sits a little below the figure measured when it was set (see the README's
"Measured accuracy"); raise them when the figures improve. The holdout halves are never
tuned on: this test only reads their aggregate figure, to catch regressions.
"""

from __future__ import annotations

import pytest

from bot.evaluation import evaluate_dialogue, evaluate_feedback, evaluate_intents

DIALOGUE = {"fr": 0.79, "en": 0.80}
FEEDBACK_BANDS = {"fr": 0.88, "en": 0.88}
FEEDBACK_EVIDENCE = {"fr": 0.81, "en": 0.83}
#: Natural-wording intents: far from their target (README); the floor still guards them.
INTENT_RECALL = {"fr": 0.84, "en": 0.74}
FALSE_ALARMS = {"fr": 0.08, "en": 0.015}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dialogue_routing_holdout(lang):
    report = evaluate_dialogue(lang, "holdout")
    assert report.size > 250
    assert report.accuracy >= DIALOGUE[lang], report.to_json()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_feedback_holdout(lang):
    data = evaluate_feedback(lang, "holdout").to_json()
    assert data["meetings"] >= 20
    assert data["bands"] >= FEEDBACK_BANDS[lang], data
    assert data["evidence"] >= FEEDBACK_EVIDENCE[lang], data


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_natural_wording_holdout(lang):
    data = evaluate_intents(lang, "holdout").to_json()
    assert min(data["recall"].values()) >= INTENT_RECALL[lang], data
    assert data["false_alarm_rate"] <= FALSE_ALARMS[lang], data
