"""The feedback defects a career coach saw, each pinned through `play --json`'s document."""

from __future__ import annotations

import json

from bot.channels.terminal import play, play_json
from bot.engine.personas import Persona


def feedback(persona: Persona, lang: str, lines: list[str], seed: int = 1) -> dict:
    """The feedback as `python -m bot play --json` prints it."""
    return json.loads(play_json(play(persona, lang, lines, seed=seed, hints=False)))["feedback"]


def test_closing_is_not_the_thanks_for_the_welcome(personas):
    host = personas["chatty_expert"]
    lines = [
        "Merci de me recevoir ! Je m'appelle Claire, Sylvie Brunet m'a donné votre nom.",
        "Comment est organisée l'agence ?",
        "Qu'est-ce qui vous plaît dans ce métier ?",
        "Quelles erreurs font les débutants ?",
    ]
    closing = feedback(host, "fr", lines)["criteria"]["closing"]
    assert closing["score"] == 0
    assert lines[0] not in closing["evidence"]


def test_thirty_closed_questions_are_not_active_listening(personas):
    host = personas["laconic_host"]
    lines = ["Vous aimez votre travail ?", "Le site est grand ?", "Vous faites les nuits ?"]
    result = feedback(host, "fr", lines * 4)
    assert result["criteria"]["active_listening"]["score"] == 0


def test_an_offer_of_a_contact_is_giving_back_not_an_asset(personas):
    host = personas["curious_host"]
    offer = "Je peux te présenter mon ancienne cheffe, elle dirige une équipe produit à Nantes."
    result = feedback(host, "fr", ["Salut Thomas, moi c'est Yanis.", offer])
    assert offer in result["criteria"]["give_back"]["evidence"]
    assert result["criteria"]["give_back"]["score"] == 100
    assert offer not in result["criteria"]["assets"]["evidence"]


def test_confidential_request_in_natural_french_costs_respect(personas):
    host = personas["busy_executive"]
    line = "Et vos marges, usine par usine, elles ressemblent à quoi ?"
    result = feedback(host, "fr", ["Bonjour Madame, je suis Julien.", line])
    respect = result["criteria"]["respect"]
    assert respect["score"] < 80
    assert line in respect["evidence"]


def test_a_job_request_is_never_the_introductions_evidence(personas):
    host = personas["sceptic"]
    job = "Bonjour, je m'appelle Tom, je cherche du boulot dans le solaire, vous recrutez ?"
    intro = feedback(host, "fr", [job, "Comment se passe un chantier ?"])["criteria"]
    assert job not in intro["introduction"]["evidence"]


def test_naming_the_referrer_counts_and_is_not_advised_again(personas):
    host = personas["chatty_expert"]
    first = "Bonjour, je suis Claire. Sylvie Brunet m'a parlé de vous."
    result = feedback(host, "fr", [first, "Comment êtes-vous arrivé dans l'événementiel ?"])
    advice = result["criteria"]["introduction"]["advice"]
    assert "Sylvie Brunet" not in advice
    assert first in result["criteria"]["introduction"]["evidence"]


def test_after_a_refusal_the_advice_is_how_to_take_it(personas):
    host = personas["laconic_host"]
    lines = ["Vous aimez votre travail ?", "Qui d'autre pourrais-je rencontrer ?"]
    result = feedback(host, "fr", lines)
    assert "Next time" not in " ".join(result["checklist"])
    assert not any("demandez un contact" in item.lower() for item in result["checklist"])
    assert host.name in result["criteria"]["referral"]["advice"]
    assert result["lessons"]["refusal"]["done"] is True


def test_english_counts_agree_with_their_noun(personas):
    host = personas["chatty_expert"]
    lines = [
        "How is the agency organised?",
        "What do you enjoy most?",
        "What is hardest in this job?",
        "Do you travel a lot?",
    ]
    advice = feedback(host, "en", lines)["criteria"]["open_questions"]["advice"]
    # three open of four earns full marks: praise first, then the one closed question
    assert advice.startswith("Mostly open questions: well done. 1 was closed"), advice
    advice = feedback(host, "en", lines[:1] + lines[3:])["criteria"]["open_questions"]["advice"]
    assert advice.startswith("1 of your 2 questions was closed"), advice


def test_requests_and_offers_are_not_reworded(personas):
    host = personas["chatty_expert"]
    lines = [
        "Est-ce que vous recrutez en ce moment ?",
        "Connaissez-vous quelqu'un que je devrais rencontrer ?",
        "Vous voyagez beaucoup ?",
    ]
    reworded = [item["question"] for item in feedback(host, "fr", lines)["rewordings"]]
    assert reworded == ["Vous voyagez beaucoup ?"]


def test_the_persona_lesson_is_said_and_assessed(personas):
    host = personas["busy_executive"]
    lines = [
        "Bonjour, je suis Julien. Combien de temps avez-vous ?",
        "Quels outils utilisez-vous ?",
    ]
    result = feedback(host, "fr", lines)
    assert result["lesson"]["trains"] == "time"
    assert result["lesson"]["text"] == host.lesson.fr
    assert result["lesson"]["done"] is True
    assert "Combien de temps avez-vous ?" in " ".join(result["lessons"]["time"]["evidence"])


def test_keeping_to_the_time_without_asking_is_not_praised_as_a_check(personas):
    """ "You checked the time" after a meeting where nobody asked about the time is false."""
    host = personas["laconic_host"]
    lines = ["Hi, I'm Tom, Julien sent me.", "What does a typical day look like for you?"]
    time = feedback(host, "en", lines)["lessons"]["time"]
    assert time["done"] is True and not time["evidence"]
    assert "checked the time" not in time["advice"]
    assert "ask at the start how much time" in time["advice"]


def test_requests_are_neither_counted_nor_quoted_as_closed_questions(personas):
    """ "Vous gagnez combien, vous ?" costs Respect; counted again as a closed question it
    would be blamed twice, with advice ("start with how") that does not fit it. A question
    in SMS spelling ("c dur comme metier ?") is still reworded."""
    lines = [
        "Bonjour, je suis Sarah.",
        "c dur comme metier ?",
        "vous gagnez combien vous ?",
        "Vous recrutez en ce moment ?",
        "Comment se passe une journée type ?",
    ]
    result = feedback(personas["guarded_insider"], "fr", lines)
    criterion = result["criteria"]["open_questions"]
    assert "vous gagnez combien vous ?" not in criterion["evidence"]
    assert "1 de vos 2 questions" in criterion["advice"]
    assert [r["question"] for r in result["rewordings"]] == ["c dur comme metier ?"]


def test_a_host_who_announced_the_time_is_not_to_be_asked_for_it(personas):
    """ "I have fifteen minutes" in the host's first line: the lesson does not advise asking."""
    host = personas["busy_executive"]
    lines = ["Hello, I'm Tom, Stéphane sent me.", "What does a typical day look like for you?"]
    result = feedback(host, "en", lines)
    time = result["lessons"]["time"]
    assert time["done"] is True
    assert "ask at the start" not in time["advice"], time["advice"]


def test_the_introduction_is_not_quoted_as_an_open_question(personas):
    lines = [
        "Hello, I'm Tom, Stéphane sent me. I ran a warehouse team for six years. "
        "Could you tell me about your work?",
        "How is the finance team organised?",
        "What does a typical week look like for you?",
        "What skills are hardest to find?",
    ]
    evidence = feedback(personas["busy_executive"], "en", lines)["criteria"]["open_questions"]
    assert lines[0] not in evidence["evidence"], evidence


def test_years_in_a_trade_count_as_what_the_visitor_brings(personas):
    """ "Électricienne depuis 6 ans" is experience, scored like any background said (not 0)."""
    lines = [
        "Bonjour, je suis Léa, électricienne en bâtiment depuis 6 ans ; je viens comprendre "
        "votre métier.",
        "Comment êtes-vous arrivé dans le solaire ?",
    ]
    assets = feedback(personas["sceptic"], "fr", lines)["criteria"]["assets"]
    assert assets["score"] > 0 and assets["evidence"], assets


def test_a_goal_said_without_what_is_expected_gets_advice_that_hears_the_goal(personas) -> None:
    host = personas["busy_executive"]
    intro = (
        "Bonjour, je suis Paul, contrôleur de gestion depuis 5 ans, c'est Marc Petit qui m'a "
        "donné votre nom. Je voudrais devenir DAF dans l'industrie."
    )
    result = feedback(host, "fr", [intro, "Quel a été votre parcours ?"])
    advice = result["criteria"]["introduction"]["advice"]
    assert advice.startswith("Vous avez dit où vous voulez aller")
    # Said once the host asked: complete, and the advice says what to do better.
    result = feedback(host, "fr", [intro, "Comprendre ce que fait vraiment un DAF."])
    introduction = result["criteria"]["introduction"]
    assert introduction["advice"].startswith("Complète, mais votre hôte a dû demander")


def test_round_13_texting_visitor_gets_feedback_on_what_he_did(personas) -> None:
    """Round 13 (en, set B), a texting visitor to the puzzled friend: his introduction
    ("hey laurent its tom…") was no introduction, four years in a trade an achievement, a
    Saturday's help offered "not concrete", and "u changed tracks too?" reworded into a
    generic question."""
    lines = [
        "hey laurent its tom, karim from the climbing club gave me ur number. im in retail "
        "sales rn (4 yrs) and i wanna switch to smth more useful like social economy",
        "like i said i wanna understand how ur shop works. not asking for a job lol just info",
        "u changed tracks too? wat were u doing before",
        "ok thx a lot for ur time laurent, if u need hands for a saturday sorting i can come "
        "help, ill keep u posted",
    ]
    result = feedback(personas["puzzled_friend"], "en", lines, seed=13)
    criteria = result["criteria"]
    assert criteria["introduction"]["score"] >= 85
    assert criteria["assets"]["score"] == 75  # years in a trade: experience
    assert criteria["give_back"]["score"] == 100
    assert not any(r["question"].startswith("u changed tracks") for r in result["rewordings"])


def test_an_unsure_answer_to_the_host_s_quiz_is_no_question(personas) -> None:
    """Round 13: "Do you know what a kilowatt peak is?" answered "Not really, the max power of
    the panel I think?" was quoted as listening and reworded as a closed question."""
    host = personas["sceptic"]
    lines = [
        "Hello. I'm Kevin. I'm interested in solar.",
        "Well, I don't really know. I did some electrical work before. Is solar a good sector?",
        "Bernard said you might be hiring. Do you have any openings for an electrician?",
        "So is the BP clearance hard to get?",
        "OK. What is your day like?",
        "And what margin do you make on a farm installation? Who are your big clients?",
        "Sorry. You said the grid connection delays, is that a big problem?",
        "Do installers earn good money?",
        "Housing wiring mostly, for a small company, three years. Then I stopped. Will there "
        "still be work in solar in ten years?",
        "OK sorry. You said building electricians have never touched direct current. How "
        "would someone like me get that practice?",
        "Do you know other companies that are hiring? Could you pass my CV on?",
        "No, sorry, that's not what I meant. What mistakes do new people make when they "
        "start in solar?",
        "Not really, the max power of the panel I think? Anyway thanks for your time.",
    ]
    played = json.loads(play_json(play(host, "en", lines, seed=4, hints=False)))
    assert "kilowatt peak" in played["turns"][-2]["reply"]
    result = played["feedback"]
    quoted = result["criteria"]["active_listening"]["evidence"]
    assert not any(q.startswith("Not really") for q in quoted)
    assert not any(r["question"].startswith("Not really") for r in result["rewordings"])


def test_evidence_is_cut_between_words() -> None:
    from bot.engine.coach import MAX_QUOTE, quote

    text = "word " * 60
    cut = quote(text)
    assert len(cut) <= MAX_QUOTE and cut.endswith("word…")


def test_after_a_refusal_the_checklist_asks_for_something_smaller(personas) -> None:
    host = personas["laconic_host"]
    lines = [
        "Good morning Ms Berrada. I'm Claire Dumont, six years as a customer service team "
        "lead; Julien Morel suggested I contact you. I'd like to understand the job.",
        "Is there someone you think I should meet?",
    ]
    checklist = feedback(host, "en", lines, seed=13)["checklist"]
    assert not any("one name" in item for item in checklist)
    assert any("one event to attend or one article" in item for item in checklist)
