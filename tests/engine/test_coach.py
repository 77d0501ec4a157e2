"""The coach's end-of-meeting feedback (`build_feedback`), from scripted meetings."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from bot import PROJECT_ROOT
from bot.engine.analysis import analyse
from bot.engine.coach import build_feedback
from bot.engine.meeting import Meeting
from tests.auxil.contract import CRITERIA as CONTRACT_CRITERIA

CRITERIA = CONTRACT_CRITERIA


def _french_catalogue_filled() -> bool:
    path = PROJECT_ROOT / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    messages = [m for m in catalog if m.id]
    translated = [
        m for m in messages if m.string and (not isinstance(m.string, tuple) or all(m.string))
    ]
    return bool(messages) and len(translated) >= 0.9 * len(messages)


FRENCH_FILLED = _french_catalogue_filled()


def flat(text: str) -> str:
    return " ".join(text.split())


def is_users_own(evidence: str, typed: list[str]) -> bool:
    """A quote of something the user typed (whitespace folded, possibly cut with '…')."""
    quoted = flat(evidence)
    if quoted.endswith("…"):
        quoted = quoted[:-1].rstrip()
    return bool(quoted) and any(quoted in flat(line) for line in typed)


def feedback_for(kit, persona, lang, script, **kwargs):
    played = kit.play(persona, lang, script, **kwargs)
    played.meeting.end()
    return played, build_feedback(played.meeting)


def check_shape(feedback, typed: list[str]) -> None:
    assert list(feedback.criteria) == list(CRITERIA)
    assert type(feedback.score) is int and 0 <= feedback.score <= 100
    for key, result in feedback.criteria.items():
        assert type(result.score) is int, key
        assert 0 <= result.score <= 100, key
        assert isinstance(result.advice, str) and result.advice.strip(), key
        assert isinstance(result.evidence, list), key
        for line in result.evidence:
            assert is_users_own(line, typed), f"{key}: {line!r} is not the user's own line"


class TestFeedbackShape:
    @pytest.mark.parametrize("script", ["GOOD", "POOR", "REPETITIVE_20"])
    def test_ten_criteria_with_score_evidence_and_advice(self, kit, persona, lang, script):
        played, feedback = feedback_for(kit, persona, lang, getattr(kit, script))
        check_shape(feedback, played.typed)

    def test_json_form_has_the_same_content(self, kit, persona, lang):
        _, feedback = feedback_for(kit, persona, lang, kit.GOOD)
        data = feedback.to_json()
        assert data["score"] == feedback.score
        assert set(data["criteria"]) == set(CRITERIA)
        for key in CRITERIA:
            assert set(data["criteria"][key]) >= {"score", "evidence", "advice"}
        assert data["checklist"] == feedback.checklist

    def test_a_meeting_without_turns_still_gets_feedback(self, personas, lang):
        meeting = Meeting.start(personas["sceptic"], lang, seed=1)
        meeting.end()
        feedback = build_feedback(meeting)
        check_shape(feedback, [])
        assert all(result.evidence == [] for result in feedback.criteria.values())
        assert feedback.rewordings == []
        assert feedback.score < 40


class TestScores:
    def test_good_meeting_scores_clearly_higher_than_a_poor_one(self, kit, persona, lang):
        _, good = feedback_for(kit, persona, lang, kit.GOOD)
        _, poor = feedback_for(kit, persona, lang, kit.POOR)

        assert good.score >= poor.score + 30, (good.score, poor.score)
        assert good.score >= 70
        for key in ("introduction", "open_questions", "respect", "referral", "closing"):
            assert good.criteria[key].score > poor.criteria[key].score, key

    def test_good_meeting_evidence_quotes_the_right_lines(self, kit, persona, lang):
        played, feedback = feedback_for(kit, persona, lang, kit.GOOD)
        line = dict(zip(played.keys, played.typed, strict=True))
        criteria = feedback.criteria

        assert line["intro"] in criteria["introduction"].evidence
        assert criteria["introduction"].score == 100
        assert criteria["notes_permission"].evidence == [line["notes"]]
        assert criteria["notes_permission"].score == 100
        assert line["referral"] in criteria["referral"].evidence
        assert line["give"] in criteria["give_back"].evidence
        assert line["thanks"] in criteria["closing"].evidence
        assert criteria["closing"].score == 100
        open_lines = {line[k] for k in played.keys if k.startswith("q:")}
        evidence = set(criteria["open_questions"].evidence)
        assert evidence & open_lines
        not_questions = {line[k] for k in ("notes", "give", "referral", "thanks", "bye")}
        assert not evidence & not_questions

    def test_poor_meeting_evidence_shows_what_went_wrong(self, kit, persona, lang):
        played, feedback = feedback_for(kit, persona, lang, kit.POOR)
        line = dict(zip(played.keys, played.typed, strict=True))
        criteria = feedback.criteria

        assert line["job"] in criteria["respect"].evidence
        assert criteria["respect"].score < 100
        assert criteria["open_questions"].score == 0
        assert criteria["introduction"].score == 0
        assert criteria["notes_permission"].score == 0
        assert criteria["referral"].score == 0


class TestRewordings:
    def test_one_open_rewording_per_closed_question(self, kit, persona, lang):
        played, feedback = feedback_for(kit, persona, lang, kit.POOR)
        closed = [
            kit.LINES[lang]["closed"],
            kit.LINES[lang]["closed2"],
            kit.LINES[lang]["closed3"],
        ]
        by_question = {item["question"]: item["open"] for item in feedback.rewordings}
        # A job request is not a badly worded question: the advice says what to do instead.
        assert kit.LINES[lang]["job"].split("?")[0] + "?" not in by_question

        for question in closed:
            assert question in by_question, f"no rewording for {question!r}"
            reworded = by_question[question]
            assert reworded.strip() and flat(reworded) != flat(question)
        for item in feedback.rewordings:
            assert is_users_own(item["question"], played.typed)

    def test_rewordings_are_open_questions(self, kit, persona):
        _, feedback = feedback_for(kit, persona, "en", kit.POOR)
        assert feedback.rewordings
        for item in feedback.rewordings:
            assert analyse(item["open"], "en").question == "open", item["open"]

    def test_no_rewording_when_every_question_was_open(self, kit, persona, lang):
        _, feedback = feedback_for(kit, persona, lang, kit.GOOD)
        assert feedback.rewordings == []


class TestChecklist:
    def test_names_the_persona_and_the_referral_once_given(self, kit, persona, lang):
        played, feedback = feedback_for(kit, persona, lang, kit.GOOD)
        assert played.meeting.has("referral_given")
        text = "\n".join(feedback.checklist)
        assert persona.name in text
        assert persona.referral.name in text

    def test_no_referral_name_when_none_was_given(self, kit, persona, lang):
        played, feedback = feedback_for(kit, persona, lang, kit.POOR)
        assert not played.meeting.has("referral_given")
        text = "\n".join(feedback.checklist)
        assert persona.name in text
        assert persona.referral.name not in text
        assert len(feedback.checklist) >= 3


@pytest.mark.xfail(
    not FRENCH_FILLED,
    reason="locales/fr/LC_MESSAGES/messages.po is not translated yet: French feedback is English",
    strict=False,
)
def test_feedback_is_in_the_meetings_language(kit, persona):
    feedbacks = {}
    for lang in ("fr", "en"):
        _, good = feedback_for(kit, persona, lang, kit.GOOD)
        _, poor = feedback_for(kit, persona, lang, kit.POOR)
        feedbacks[lang] = (good, poor)

    def texts(good, poor):
        advice = {r.advice for fb in (good, poor) for r in fb.criteria.values()}
        items = {item for fb in (good, poor) for item in fb.checklist}
        reworded = {item["open"] for item in poor.rewordings}
        return advice, items, reworded

    fr, en = texts(*feedbacks["fr"]), texts(*feedbacks["en"])
    for french, english in zip(fr, en, strict=True):
        assert french and english
        assert not french & english, f"untranslated: {sorted(french & english)[:3]}"


def test_closed_question_next_to_an_open_one_is_reworded(kit, personas, lang):
    closed = kit.LINES[lang]["closed2"]
    line = f"{closed} {kit.TOPIC_QUESTIONS[lang]['likes']}"
    meeting = kit.play(personas["curious_host"], lang, ["intro"]).meeting
    meeting.say(line)
    meeting.end()
    feedback = build_feedback(meeting)
    assert closed in [item["question"] for item in feedback.rewordings]
