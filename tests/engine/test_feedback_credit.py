"""Credit where it was earned, and none where it was not (round 13 of readings): no
homework in the briefing card's words, courtesy yes/no questions never counted as closed,
and lessons that praise only what the visitor did.

Pinned through the document `python -m bot play --json` prints, on the real personas.
"""

from __future__ import annotations

import json

import pytest

from bot.channels.terminal import play, play_json
from bot.engine.personas import Persona


def feedback(persona: Persona, lang: str, lines: list[str], seed: int = 13) -> dict:
    return json.loads(play_json(play(persona, lang, lines, seed=seed, hints=False)))["feedback"]


INTRO = (
    "Bonjour Madame Delmas, merci de me recevoir. Je m'appelle Julie Marchetti, je suis "
    "contrôleuse de gestion junior depuis deux ans chez un distributeur, et c'est Stéphane "
    "Aubert qui m'a conseillé de vous contacter : je vise un poste en finance dans "
    "l'industrie et j'aimerais comprendre votre métier."
)


@pytest.mark.parametrize(
    "asks",
    [
        "Et pour commencer : comment êtes-vous devenue DAF d'une ETI de l'emballage ?",
        "Comment se passe une journée type ?",
    ],
)
def test_the_briefing_card_is_no_homework(personas, asks: str) -> None:
    """The host's role and company are on the card every visitor reads before the meeting:
    a question that reuses them shows no research (the labelled coaches grade it so; a rule
    that counted it, tried after round 13, lowered the feedback set's agreement)."""
    result = feedback(personas["busy_executive"], "fr", [INTRO, asks])
    assert result["criteria"]["preparation"]["evidence"] == []


def test_asking_leave_before_an_open_question_is_not_a_closed_question(personas) -> None:
    """ "Merci. Est-ce que je peux prendre quelques notes ? Et pour commencer : comment… ?"
    was counted among "2 étaient fermées"."""
    lines = [
        INTRO,
        "Merci. Est-ce que je peux prendre quelques notes ? Et pour commencer : comment "
        "êtes-vous devenue directrice financière ?",
        "Comment est organisée votre direction financière ?",
        "Qu'est-ce qui a le plus changé dans votre métier ces dernières années ?",
        "Par quelle porte entre-t-on chez vous quand on a déjà deux ans d'expérience ?",
    ]
    criterion = feedback(personas["busy_executive"], "fr", lines)["criteria"]["open_questions"]
    assert criterion["score"] == 100
    assert "fermée" not in criterion["advice"], criterion["advice"]


def test_thanks_for_the_minutes_at_the_door_is_no_time_check(personas) -> None:
    """ "Merci beaucoup pour ces quinze minutes" was quoted as "vous avez vérifié le temps"."""
    lines = [
        INTRO,
        "Comment est organisée votre direction financière ?",
        "Merci beaucoup pour ces quinze minutes, je vous tiendrai au courant. Bonne journée !",
    ]
    time = feedback(personas["busy_executive"], "fr", lines)["lessons"]["time"]
    assert time["evidence"] == []
    assert "vérifié" not in time["advice"]


def test_a_job_asked_as_a_contact_is_no_refusal_taken_well(personas) -> None:
    """ "Vous connaissez pas quelqu'un qui pourrait m'embaucher ?" after a job request got
    "Aucun nom donné, et vous n'avez pas insisté"."""
    lines = [
        "bonjour, je cherche du travail dans la pharma, on m'a donné votre nom",
        "Est-ce que vous recrutez en ce moment ? Je peux vous envoyer mon CV ?",
        "Ok. Vous connaissez pas quelqu'un qui pourrait m'embaucher ?",
        "Bon ben merci, au revoir.",
    ]
    result = feedback(personas["guarded_insider"], "fr", lines)
    refusal = result["lessons"]["refusal"]
    assert refusal["done"] is False, refusal
    assert "pas insisté" not in refusal["advice"]
    # Nothing to praise or blame in a pitch never made: no advice either.
    pitch = result["lessons"]["short_pitch"]
    assert pitch["done"] is not None or pitch["advice"] == ""
    assert "courtois" not in result["lessons"]["register"]["advice"]


def test_a_name_alone_is_told_to_say_more(personas) -> None:
    """ "Hello, I'm Kevin. I'm looking into pharma, a bit, I saw your profile on LinkedIn."
    was told "Complete introduction, keep it under a minute, as you did". The labelled coaches
    count a name as who one is (the score stays), but the advice asks for a trade."""
    vague = ["Hello, I'm Kevin. I'm looking into pharma, a bit, I saw your profile on LinkedIn."]
    intro = feedback(personas["guarded_insider"], "en", vague)["criteria"]["introduction"]
    assert "beyond your name" in intro["advice"]
    assert "as you did" not in intro["advice"]


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "en",
            "Hello, I'm Kevin, a junior accountant. Paul Girard sent me: I aim at pharma.",
        ),
        (
            "fr",
            "Je suis Élodie, conseillère en insertion. Paul m'envoie : je vise l'industrie.",
        ),
    ],
)
def test_a_trade_after_the_name_says_who_one_is(personas, lang: str, line: str) -> None:
    """ "Je suis Élodie, conseillère en bâtiments d'élevage" lost the introduction's third part
    once a name alone stopped counting: the trade comes after the name and a comma."""
    intro = feedback(personas["guarded_insider"], lang, [line])["criteria"]["introduction"]
    assert "beyond your name" not in intro["advice"] and "au-delà" not in intro["advice"]


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "en",
            "hey thomas, im lea, my friend sarah from ur studio said u were cool to chat, im a "
            "graphic designer and wanna switch to ux",
        ),
        (
            "fr",
            "salut thomas, moi c lea, je suis en reconversion je bosse ds la compta depuis 5 ans "
            "et je veux passer en ux design. c ma pote sarah qui m a file ton contact",
        ),
    ],
)
def test_a_career_goal_is_heard_in_chat_spelling(personas, lang: str, line: str) -> None:
    """ "…and wanna switch to ux" was told "Say why you came", as if no goal had been said."""
    intro = feedback(personas["curious_host"], lang, [line])["criteria"]["introduction"]
    assert "beyond your name" not in intro["advice"] and "au-delà" not in intro["advice"]
    assert not intro["advice"].startswith(("Say why you came", "Dites pourquoi")), intro["advice"]


def test_years_at_a_big_four_firm_are_experience_not_an_achievement(personas) -> None:
    """ "I've spent four years in audit at a Big Four firm" scored 100, "concrete achievements
    make you credible", with no achievement in it."""
    line = (
        "Good morning Ms Delmas, I'm Julie Martin, I've spent four years in audit at a Big Four "
        "firm, and Stéphane Aubert suggested I speak with you: I'd like to understand FP&A."
    )
    assets = feedback(personas["busy_executive"], "en", [line])["criteria"]["assets"]
    assert assets["score"] < 100
    assert "result" in assets["advice"]


@pytest.mark.parametrize(
    ("lang", "line", "research"),
    [
        ("en", "Hi Thomas, I saw your studio on LinkedIn. How is a project organised?", False),
        (
            "fr",
            "Salut Thomas, j'ai vu ton studio sur LinkedIn. Comment s'organise un projet ?",
            False,
        ),
        (
            "en",
            "I saw your studio on LinkedIn and read your case study on the museum app. How is "
            "a project organised?",
            True,
        ),
    ],
)
def test_finding_the_host_on_a_network_is_no_homework(
    personas, lang: str, line: str, research: bool
) -> None:
    """Round 14: "I saw your studio on LinkedIn" earned Preparation 100 ("research shown"):
    it says how the visitor reached the host, not what they learnt of the work."""
    preparation = feedback(personas["curious_host"], lang, [line])["criteria"]["preparation"]
    assert bool(preparation["evidence"]) is research, preparation


@pytest.mark.parametrize(
    ("persona_id", "lang", "line"),
    [
        (
            "laconic_host",
            "en",
            "Hello Nadia, I'm Paul, Karim Haddad sent me. I'm moving into logistics and I'd "
            "like to understand your job.",
        ),
        (
            "chatty_expert",
            "fr",
            "Bonjour Gérard, je suis Paul, Karim Haddad m'envoie. Je me reconvertis dans "
            "l'événementiel et j'aimerais comprendre votre métier.",
        ),
        (
            "chatty_expert",
            "fr",
            "Bonjour, c'est Karim qui m'envoie, je suis Paul, ancien cuisinier.",
        ),
    ],
)
def test_naming_who_sent_you_plainly_is_saying_who_sent_you(personas, persona_id, lang, line):
    """Own play: "Karim Haddad sent me." got "Say who sent you: 'Julien Morel suggested I
    contact you.'" (the link was heard only in "suggested I contact you" and the like)."""
    result = feedback(personas[persona_id], lang, [line, "Merci, au revoir."])
    advice = result["criteria"]["introduction"]["advice"]
    assert "Julien Morel" not in advice and "Sylvie Brunet" not in advice, advice


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_meeting_without_a_line_earns_no_credit(personas, lang: str) -> None:
    """`/end` before the first line showed "Respect 100/100, courteous exchange", the
    persona's lesson ticked and "✓ Keeping to the time": praise for a meeting that did
    not take place."""
    result = feedback(personas["busy_executive"], lang, [])
    assert all(c["score"] == 0 for c in result["criteria"].values()), result["criteria"]
    assert result["criteria"]["respect"]["evidence"] == []
    assert result["lesson"]["done"] is False
    assert result["lessons"]["time"]["done"] is None
    assert result["lessons"]["register"]["done"] is None
    assert result["score"] == 0


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Is project manager a job I could do?"),
        ("en", "Do I need to learn Python?"),
        ("fr", "jdois apprendre quoi du coup, html css ?"),
        ("fr", "Vous pensez que je pourrais devenir chef de projet ?"),
    ],
)
def test_asking_about_one_s_own_chances_is_asking_advice_on_one_s_project(
    personas, lang: str, line: str
) -> None:
    """Round 15: "✗ Advice on your own project: ask “What would you do in my place?”" after
    "Is project manager a job I could do?"; the feedback told the visitor to do what they
    had done."""
    intro = {
        "en": "Hi, I'm Sam, I manage a shop and Karim sent me. I'd like to understand the job.",
        "fr": "Bonjour, je suis Sam, je gère une boutique, c'est Karim qui m'envoie. "
        "J'aimerais comprendre le métier.",
    }[lang]
    lesson = feedback(personas["chatty_expert"], lang, [intro, line])["lessons"]["own_project"]
    assert lesson["done"] is True, lesson


def test_a_texting_visitor_gets_credit_for_what_they_texted(personas) -> None:
    """Round 16: "ca te derange si jprends 2-3 notes sur mon tel" scored Notes 0/100; "jpeux
    filer ton contact a la prof ki gere ca" was a vague offer; the rewording of "tu deplaces
    des gens… ?" said "Pourriez-vous…" to a visitor who says "tu"."""
    lines = [
        "slt nadia, moi c yanis, jsuis en bts gtla en alternance, c karim du quai 3 ki m'a "
        "donné ton num. jcherche pas de taf, jveux juste comprendre ton metier",
        "ok cool. ca te derange si jprends 2-3 notes sur mon tel",
        "tu deplaces des gens d'un quai a l'autre?",
        "ah ok. mon ecole organise un forum alternance en mars, si tu cherches des alternants "
        "jpeux filer ton contact a la prof ki gere ca",
    ]
    result = feedback(personas["laconic_host"], "fr", lines, seed=16)
    assert result["criteria"]["notes_permission"]["score"] == 100
    assert result["criteria"]["give_back"]["score"] == 100
    (rewording,) = [r for r in result["rewordings"] if r["question"].startswith("tu deplaces")]
    assert "vous" not in rewording["open"].lower(), rewording


# Round 16 of readings.


def test_an_achievement_told_with_an_offer_is_an_asset(personas) -> None:
    """ "Add one result" followed a line that gave one, because the line also offered
    something: the offer is no asset, the sentence before it is."""
    lines = [
        "Hello, I'm Léa Martin; I spent five years as a team leader in retail stores and I'm "
        "moving into warehouse operations. Karim Benali suggested I talk to you. I'm not "
        "looking for a job, just trying to understand the work.",
        "How did you end up running a warehouse?",
        "That resonates: in my stores I set up a buddy system for new staff that cut early "
        "turnover by a third. I'd be happy to send you the one-page outline if it could help.",
    ]
    assets = feedback(personas["laconic_host"], "en", lines, seed=16)["criteria"]["assets"]
    assert assets["score"] == 100
    assert any("cut early turnover" in line for line in assets["evidence"])
    assert "Add a figure" not in assets["advice"]  # "by a third" is one


@pytest.mark.parametrize(
    "intro",
    [
        # "4" for "for" is no figure of a result.
        "no worries lol. im sam, didier's cousin, i worked 5 yrs in retail n i wanna move into "
        "social economy stuff like ur recyclerie. not asking 4 a job just wanna understand how "
        "it works",
        # Nor are the meeting's own minutes.
        "Thank you for making the time, I'll keep to the thirty minutes. I'm Claire; I've spent "
        "seven years as an analytical chemist in a quality-control lab, and I want to move into "
        "regulatory affairs. I'm not here about a job.",
    ],
)
def test_years_in_a_trade_are_experience_not_an_achievement(personas, intro: str) -> None:
    lines = [intro, "How did you get into this work?"]
    assets = feedback(personas["puzzled_friend"], "en", lines, seed=16)["criteria"]["assets"]
    assert assets["score"] == 75, assets
    assert "Add one result" in assets["advice"]


def test_a_pitch_that_left_out_why_the_visitor_came_is_not_praised(personas) -> None:
    """ "✓ A short pitch" followed "I'm sort of interested in finance, I think", which the
    host had to question; the introduction's advice names both gaps."""
    lines = [
        "Hi, I'm Sam. I'm sort of interested in finance, I think.",
        "Not sure really, just to see what it's like. Is being a CFO stressful?",
        "What does your typical day look like?",
    ]
    result = feedback(personas["busy_executive"], "en", lines, seed=16)
    assert result["lessons"]["short_pitch"]["done"] is None
    assert "why you came and who sent you" in result["criteria"]["introduction"]["advice"]


def test_a_question_after_one_fact_is_named_as_closed(personas) -> None:
    """ "4 of your 9 questions were closed" left visitors counting: questions after one
    fact ("il gagne combien ?") count as closed, and the advice says so, with one of theirs."""
    lines = [
        INTRO,
        "Comment êtes-vous devenue DAF ?",
        "Un contrôleur de gestion qui débute dans l'industrie, il gagne combien ?",
        "Qu'est-ce qui a le plus changé dans votre métier ?",
    ]
    advice = feedback(personas["busy_executive"], "fr", lines)["criteria"]["open_questions"]
    assert "un seul fait" in advice["advice"] and "il gagne combien" in advice["advice"]


@pytest.mark.parametrize(
    ("persona", "lang", "question"),
    [
        ("busy_executive", "en", "Do I need to be good at Excel?"),
        (
            "puzzled_friend",
            "en",
            "wat skills wud someone from retail need 2 work in a place like this",
        ),
        (
            "curious_host",
            "en",
            "Coming back to my own move: which skills do you look for first in a junior UX "
            "designer who comes from graphic design?",
        ),
        (
            "busy_executive",
            "fr",
            "Comment un contrôleur venu de la distribution peut-il acquérir ce réflexe terrain ?",
        ),
        ("guarded_insider", "fr", "Moi j'ai un master en biologie. C'est foutu alors ?"),
        ("laconic_host", "fr", "le caces faut l'avoir meme si on vise chef d'equipe ?"),
    ],
)
def test_advice_on_ones_own_move_in_other_words(personas, persona, lang, question) -> None:
    """Round 16: "✗ Advice on your own project" after these, which ask exactly that."""
    lines = ["Hello, I'm Sam." if lang == "en" else "Bonjour, je suis Sam.", question]
    lesson = feedback(personas[persona], lang, lines, seed=16)["lessons"]["own_project"]
    assert lesson["done"] is True, lesson


def test_the_rewordings_of_a_meeting_held_in_tu_all_say_tu(personas) -> None:
    """Round 16: "Tu pourrais m'en dire plus" and "Quelle formation recommanderiez-vous"
    in the same list, for a visitor who said tu throughout."""
    lines = [
        "slt nadia, moi c yanis, jsuis en bts en alternance, c karim ki m'a donné ton num",
        "tu fais koi exactement en tant que resp d'entrepot ?",
        "tu deplaces des gens d'un quai a l'autre?",
        "le caces faut l'avoir meme si on vise chef d'equipe?",
    ]
    rewordings = feedback(personas["laconic_host"], "fr", lines, seed=16)["rewordings"]
    assert len(rewordings) == 2
    assert not any("vous" in r["open"] for r in rewordings), rewordings
