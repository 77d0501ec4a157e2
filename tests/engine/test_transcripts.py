"""The transcript checker over every scripted meeting of the suite: zero incoherences."""

from __future__ import annotations

import pytest

from bot.engine.meeting import Meeting
from bot.engine.transcripts import check
from tests.engine.conftest import GOOD, POOR, REPETITIVE_20, VARIED_20, play

SCRIPTS = {"good": GOOD, "poor": POOR, "varied": VARIED_20, "repetitive": REPETITIVE_20}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize("seed", [1, 7])
def test_scripted_meetings_have_no_incoherence(persona, lang, script, seed):
    played = play(persona, lang, SCRIPTS[script], seed=seed)
    violations = check(played.meeting)
    assert violations == [], [v.to_json() for v in violations]


@pytest.mark.parametrize(
    ("lang", "lines", "rule"),
    [
        ("fr", ["Quelle est l'organisation de l'équipe ?"] * 1, None),
        ("en", ["What does a typical day look like?"], None),
    ],
)
def test_checker_is_quiet_on_a_plain_answer(personas, lang, lines, rule):
    meeting = Meeting.start(personas["chatty_expert"], lang, seed=1)
    for line in lines:
        meeting.say(line)
    assert [v.rule for v in check(meeting)] == ([] if rule is None else [rule])


def test_checker_catches_what_it_is_for(personas):
    """Each rule fires on a transcript that breaks it (so a green run means something)."""
    meeting = Meeting.start(personas["chatty_expert"], "en", seed=1)
    meeting.say("What does a typical day look like?")
    meeting.say("Could you tell me how the team is organised?")
    turns = meeting.state.turns
    turns[0].reply = "Yes. " + turns[0].reply + " Goodbye, and good luck."
    turns[1].reply = turns[0].reply + " Use my name with them. Use my name with them, twice."
    rules = {v.rule for v in check(meeting)}
    assert {"yes_no_to_open", "early_farewell", "repeated_sentence", "echoed_opening"} <= rules
    assert "name_without_referral" in rules
