"""Replies the readers of round 21 judged wrong (and one of round 20), replayed on the real
personas with their lines, word for word: each test fails on the code they read."""

from __future__ import annotations

from bot.engine.meeting import Meeting
from bot.engine.personas import Persona
from bot.engine.transcripts import check


def _play(persona: Persona, lang: str, lines: list[str], seed: int = 21) -> Meeting:
    meeting = Meeting.start(persona, lang, seed=seed)
    for line in lines:
        meeting.say(line)
    return meeting


def test_a_detail_told_with_its_answer_does_not_echo_it(personas) -> None:
    """ "A three-month bootcamp can be enough… A three-month bootcamp is intense: …" (round
    20): the answer's sentence the detail says again, in more depth, is left out."""
    meeting = _play(
        personas["curious_host"],
        "en",
        [
            (
                "Thanks, a coffee would be great. I'm Camille Durand; I spent eight years as a "
                "print graphic designer at a publishing house, and I'm moving into UX design. Léa"
                " suggested I talk to you. I'm not here to ask for a job, just to understand how "
                "the work looks from the inside."
            ),
            "Do you mind if I take a few notes while we talk?",
            "How did you end up co-founding a UX studio in Nantes? What was your path before that?",
            (
                "Slicing Photoshop mock-ups into HTML all day, that's quite far from UX research."
                " How did you make the jump from there to founding the studio?"
            ),
            (
                "Nobody managing to pay, that must have been a shock. And today, as a co-founder,"
                " what does a typical week look like for you at the studio?"
            ),
            (
                "You said you miss designing. When you hire junior designers for the studio, "
                "which skills do you look for first, and where do people coming from print "
                "usually fall short?"
            ),
            (
                "That half-hour case study in front of two designers: what makes one convincing "
                "when the candidate has no real UX client project yet?"
            ),
        ],
        seed=20,
    )
    reply = meeting.state.turns[-1].reply
    assert "A three-month bootcamp is intense" in reply
    assert reply.count("A three-month bootcamp") == 1
    assert [v.rule for v in check(meeting)] == []
