"""After the meeting: notes checked against what was said, the thank-you message graded.

Every test plays a real meeting (scripted lines through `Meeting.say`) and checks the user's
notes or draft against it, in French and in English.
"""

from __future__ import annotations

import pytest

from bot.engine.aftercare import (
    THANKS_CRITERIA,
    NotesCheck,
    ThanksGrade,
    check_notes,
    facts,
    grade_thanks,
)
from bot.engine.analysis import normalise

NBSP = "\u00a0"


def finished(kit, persona, lang, script=None, seed=3):
    played = kit.play(persona, lang, script or kit.GOOD, seed=seed)
    played.meeting.end()
    return played.meeting


@pytest.fixture(scope="module")
def meetings(personas):
    """A few finished meetings, played once for the module (the engine is deterministic)."""
    from tests.engine.conftest import GOOD, POOR, play

    out = {}
    for persona_id in ("busy_executive", "curious_host", "sceptic"):
        for lang in ("fr", "en"):
            for name, script in (("good", GOOD), ("poor", POOR)):
                played = play(personas[persona_id], lang, script, seed=3)
                played.meeting.end()
                out[persona_id, lang, name] = played.meeting
    return out


def telegraphic(fact: str) -> str:
    """A fact as someone jots it down: content words only, no accents, in capitals."""
    words = [w for w in normalise(fact).split() if len(w) >= 4 or w.isdigit()]
    return " ".join(words[:8]).upper()


# -- facts ---------------------------------------------------------------------------------------


class TestFacts:
    def test_a_few_facts_the_persona_actually_said(self, kit, persona, lang):
        meeting = finished(kit, persona, lang)
        shared = facts(meeting)
        assert 3 <= len(shared) <= 6
        replies = " ".join(turn.reply for turn in meeting.state.turns)
        for fact in shared:
            assert fact in replies
            assert not fact.endswith("?")
        assert len(set(shared)) == len(shared)

    def test_deterministic(self, kit, personas, lang):
        persona = personas["curious_host"]
        assert facts(finished(kit, persona, lang)) == facts(finished(kit, persona, lang))

    def test_a_meeting_without_answers_has_no_facts(self, kit, personas, lang):
        meeting = finished(kit, personas["sceptic"], lang, ("ack",))
        assert facts(meeting) == []


# -- notes ---------------------------------------------------------------------------------------


class TestNotes:
    def test_good_notes_find_everything(self, kit, persona, lang):
        meeting = finished(kit, persona, lang)
        assert meeting.has("referral_given")
        shared = facts(meeting)
        day = "aujourd'hui" if lang == "fr" else "today"
        notes = "\n".join(
            [
                f"{day.upper()}: {persona.name}, {persona.organisation.get(lang)}",
                f"- {telegraphic(shared[0])}",
                f"- {telegraphic(shared[1])}",
                f"-> {persona.referral.name}",
            ]
        )
        check = check_notes(meeting, notes)
        assert isinstance(check, NotesCheck)
        assert check.missing == []
        assert check.score == 100
        assert any(persona.referral.name in item for item in check.found)
        assert sum("“" in item or "«" in item for item in check.found) >= 2

    def test_realistic_french_notes(self, meetings):
        meeting = meetings["busy_executive", "fr", "good"]
        notes = (
            "Mardi 12/03 — entretien avec Mme DELMAS, DAF des Cartonnages de la Vesle.\n"
            "Appris : facture de gaz et d'électricité triplée en douze mois en 2022, contrats à "
            "prix fixe sur trois ans. Le matin : trésorerie et indicateurs de la veille.\n"
            "Contact : Olivier Perrin (contrôle de gestion, Reims), à appeler de sa part."
        )
        check = check_notes(meeting, notes)
        assert check.missing == [], check.missing
        assert check.score == 100
        assert f"le nom de la personne recommandée{NBSP}: Olivier Perrin" in check.found

    def test_realistic_english_notes(self, meetings):
        meeting = meetings["curious_host", "en", "good"]
        notes = (
            "Met Thomas Nguyen (Atelier Estuaire, UX studio, Nantes) on Tuesday.\n"
            "* studio nearly went under in 2019: one bank = 45 percent of revenue\n"
            "* morning: 15-minute stand-up with the whole team, then a couple of hours in Figma\n"
            "* next: Camille Le Goff, head of product design"
        )
        check = check_notes(meeting, notes)
        assert check.missing == [], check.missing
        assert check.score == 100

    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_poor_notes_say_what_to_add(self, meetings, personas, lang):
        meeting = meetings["busy_executive", lang, "good"]
        persona = personas["busy_executive"]
        check = check_notes(meeting, "Catherine Delmas. Très sympa." if lang == "fr" else "Nice.")
        assert check.score < 40
        referral = next(item for item in check.missing if "Olivier Perrin" in item)
        if lang == "fr":
            assert referral == f"le nom de la personne recommandée{NBSP}: Olivier Perrin"
            examples = [
                m for m in check.missing if m.startswith(f"un fait appris, par exemple{NBSP}:")
            ]
        else:
            assert referral == "the name of the person recommended to you: Olivier Perrin"
            examples = [
                m for m in check.missing if m.startswith("a fact you learned, for example:")
            ]
        # Two facts to add, each quoted from what the persona said.
        assert len(examples) == 2
        shared = facts(meeting)
        for example in examples:
            assert any(fact.rstrip(".") in example for fact in shared)
        # The place or subject is suggested with the organisation's name.
        assert any("Cartonnages de la Vesle" in item for item in check.missing)
        if lang == "en":
            assert any(persona.name in item for item in check.missing)
            assert "the date of the meeting" in " ".join(check.missing)

    def test_one_fact_is_half_way(self, meetings):
        meeting = meetings["sceptic", "en", "good"]
        persona = meeting.persona
        shared = facts(meeting)
        notes = f"Today, {persona.name}: {telegraphic(shared[0])}. Then {persona.referral.name}."
        check = check_notes(meeting, notes)
        assert len([m for m in check.missing if m.startswith("a fact")]) == 1
        assert 80 <= check.score < 100

    def test_no_referral_item_when_none_was_given(self, meetings):
        meeting = meetings["sceptic", "fr", "poor"]
        assert not meeting.has("referral_given")
        check = check_notes(meeting, "Rencontré Marc Olivier hier chez Héliaterre.")
        referral = meeting.persona.referral.name
        assert not any(referral in item for item in check.found + check.missing)

    def test_accents_and_case_do_not_matter(self, meetings):
        meeting = meetings["curious_host", "fr", "good"]
        plain = check_notes(meeting, "thomas nguyen, camille le goff, AUJOURD'HUI, ile de nantes")
        accented = check_notes(
            meeting, "Thomas NGUYEN, Camille Le Goff, aujourd’hui, Île de Nantes"
        )
        assert plain.score == accented.score
        assert plain.found == accented.found

    def test_deterministic_and_json(self, meetings):
        meeting = meetings["busy_executive", "fr", "good"]
        first = check_notes(meeting, "Lundi, Delmas, Perrin")
        assert first == check_notes(meeting, "Lundi, Delmas, Perrin")
        assert first.to_json() == {
            "found": first.found,
            "missing": first.missing,
            "score": first.score,
        }


# -- thank-you message -------------------------------------------------------------------------

GOOD_FR_VOUS = (
    "Bonjour Madame Delmas,\n"
    "Je vous remercie pour le temps que vous m'avez accordé ce matin. J'ai retenu que votre "
    "facture de gaz et d'électricité a triplé en douze mois en 2022, et que vous avez signé "
    "des contrats à prix fixe sur trois ans. Comme convenu, je vais contacter Olivier "
    "Perrin de votre part dans la semaine. Je vous tiendrai au courant de la suite.\n"
    "Bien cordialement,\nAlex Martin"
)
SAME_IN_TU = (
    "Salut Catherine,\n"
    "Je te remercie pour le temps que tu m'as accordé ce matin. J'ai retenu que ta facture "
    "de gaz et d'électricité a triplé en douze mois en 2022, et que vous avez signé des "
    "contrats à prix fixe sur trois ans. Comme convenu, je vais contacter Olivier "
    "Perrin de ta part dans la semaine. Je te tiendrai au courant de la suite.\n"
    "À bientôt,\nAlex"
)
GOOD_EN = (
    "Hi Thomas,\n"
    "Thank you so much for meeting me on the Île de Nantes today. I was struck by the story of "
    "the bank that made up 45 percent of your revenue in 2019, and by how much your studio now "
    "relies on design systems. As you suggested, I'll reach out to Camille Le Goff this week "
    "and mention that you sent me. I'll keep you posted on how it goes.\n"
    "Best,\nAlex"
)


class TestThanks:
    def test_good_french_draft_in_the_right_register(self, meetings):
        grade = grade_thanks(meetings["busy_executive", "fr", "good"], GOOD_FR_VOUS)
        assert isinstance(grade, ThanksGrade)
        assert tuple(grade.criteria) == THANKS_CRITERIA
        assert all(grade.criteria.values()), grade.criteria
        assert grade.score == 100
        assert grade.advice == [
            f"Bon message de remerciement{NBSP}: envoyez-le dans les 24 heures."
        ]

    def test_good_english_draft(self, meetings):
        grade = grade_thanks(meetings["curious_host", "en", "good"], GOOD_EN)
        assert all(grade.criteria.values()), grade.criteria
        assert grade.score == 100

    def test_tu_to_a_vous_persona_is_a_register_mismatch(self, meetings):
        meeting = meetings["busy_executive", "fr", "good"]
        assert meeting.persona.address == "vous"
        grade = grade_thanks(meeting, SAME_IN_TU)
        assert grade.criteria["register"] is False
        assert all(v for k, v in grade.criteria.items() if k != "register")
        assert grade.score == 85
        assert any(
            "vouvoie" in line and "« vous »" in line.replace(NBSP, " ") for line in grade.advice
        )

    def test_vous_to_a_tu_persona_is_a_register_mismatch(self, meetings):
        meeting = meetings["curious_host", "fr", "good"]
        assert meeting.persona.address == "tu"
        draft = GOOD_FR_VOUS.replace("Madame Delmas", "Thomas").replace(
            "Olivier Perrin", "Camille Le Goff"
        )
        grade = grade_thanks(meeting, draft)
        assert grade.criteria["register"] is False
        assert any("tutoie" in line for line in grade.advice)

    def test_register_is_not_checked_in_english(self, meetings):
        grade = grade_thanks(meetings["busy_executive", "en", "good"], "Thanks, see you!")
        assert grade.criteria["register"] is True

    @pytest.mark.parametrize(
        ("lang", "draft"),
        [("fr", "Merci pour le rendez-vous !"), ("en", "Thanks for the meeting!")],
    )
    def test_a_one_liner_scores_low_with_concrete_advice(self, meetings, lang, draft):
        meeting = meetings["busy_executive", lang, "good"]
        grade = grade_thanks(meeting, draft)
        assert grade.criteria["thanks"] is True
        assert not grade.criteria["specific"]
        assert not grade.criteria["next_step"]
        assert not grade.criteria["keep_informed"]
        assert not grade.criteria["length"]
        assert grade.score <= 35
        advice = " ".join(grade.advice)
        assert "Olivier Perrin" in advice  # the next step names the referral
        assert "Catherine Delmas" in advice
        assert len(grade.advice) >= 4

    def test_generic_words_are_not_a_specific_fact(self, meetings):
        meeting = meetings["curious_host", "en", "good"]
        draft = "Thanks for the coffee and your insights about the design studio and your clients."
        assert grade_thanks(meeting, draft).criteria["specific"] is False

    def test_no_thanks_at_all(self, meetings):
        grade = grade_thanks(meetings["sceptic", "en", "good"], "Hello Marc, how are you?")
        assert grade.criteria["thanks"] is False
        assert grade.advice[0] == "Start by thanking Marc Olivier for their time."

    def test_too_long(self, meetings):
        meeting = meetings["busy_executive", "en", "good"]
        draft = GOOD_EN + " I really enjoyed our conversation." * 40
        grade = grade_thanks(meeting, draft)
        assert grade.criteria["length"] is False
        assert any(line.startswith("Too long") for line in grade.advice)

    def test_the_better_version_grades_well(self, kit, persona, lang):
        meeting = finished(kit, persona, lang)
        better = grade_thanks(meeting, "Merci." if lang == "fr" else "Thanks.").better
        grade = grade_thanks(meeting, better)
        assert grade.score >= 80, (better, grade.criteria)
        assert persona.referral.name in better
        assert persona.name.split()[0] in better
        assert any(fact.rstrip(".!?") in better for fact in facts(meeting))
        if lang == "fr":
            pronoun = "vous" if persona.address == "vous" else "te"
            assert f" {pronoun} " in better

    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_the_better_version_without_a_referral(self, meetings, lang):
        meeting = meetings["sceptic", lang, "poor"]
        assert not meeting.has("referral_given")
        better = grade_thanks(meeting, "x").better
        assert meeting.persona.referral.name not in better
        assert grade_thanks(meeting, better).score >= 80

    def test_deterministic_and_json(self, meetings):
        meeting = meetings["curious_host", "fr", "good"]
        first = grade_thanks(meeting, "Merci Thomas !")
        assert first == grade_thanks(meeting, "Merci Thomas !")
        data = first.to_json()
        assert set(data) == {"score", "criteria", "advice", "better"}
        assert data["criteria"] == first.criteria


class TestModelLetter:
    """The model thank-you reads like the user's letter improved: addressed by first name,
    signed with the user's signature when the draft had one."""

    @pytest.mark.parametrize(("lang", "greeting"), [("fr", "Bonjour Catherine,"), ("en", "Dear")])
    def test_opens_with_the_first_name(self, meetings, lang, greeting):
        meeting = meetings["busy_executive", lang, "good"]
        assert meeting.persona.address == "vous"
        first_line = grade_thanks(meeting, "Merci.").better.splitlines()[0]
        assert first_line.startswith(greeting) and first_line.endswith("Catherine,")
        assert "Delmas" not in first_line

    @pytest.mark.parametrize(
        ("draft", "kept"),
        [
            ("Merci beaucoup pour votre temps.\nCamille Martin", "Camille Martin"),
            ("Merci pour tout.\n\nBien à vous,\n— Camille", "Camille"),
            ("Thanks!\nJ.-P. Dupont", "J.-P. Dupont"),
            ("Merci pour votre temps, je vous tiens au courant.", None),  # one line
            ("Merci.\nJe vous recontacte la semaine prochaine.", None),  # a sentence
            ("Merci.\nA bientôt !", None),
            ("Merci.\nTel 06 12 34 56 78", None),
        ],
    )
    def test_keeps_the_users_signature(self, meetings, draft, kept):
        better = grade_thanks(meetings["busy_executive", "fr", "good"], draft).better
        last = better.splitlines()[-1]
        if kept:
            assert last == kept and better.splitlines()[-2] == "Bien cordialement,"
        else:
            assert last == "Bien cordialement,"
