"""Replies the readers of rounds 21 to 23 judged wrong (and one of round 20), replayed on the
real personas with their lines, word for word: each test fails on the code they read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.channels.terminal import play, play_json
from bot.engine import routing
from bot.engine.analysis import analyse
from bot.engine.meeting import Meeting
from bot.engine.personas import Persona
from bot.engine.requests import with_requests
from bot.engine.transcripts import check

#: The readers' own lines, one meeting per file, as they typed them.
READERS = Path(__file__).parent / "readers"


def _lines(name: str) -> list[str]:
    return [line for line in (READERS / name).read_text().splitlines() if line.strip()]


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


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Can you tell me your company's exact profit margin last year?"),
        ("en", "120 events is a lot. what's your turnover and margin per year?"),
        ("fr", "Et là, vous avez des dossiers en cours sur quels médicaments exactement ?"),
        (
            "fr",
            "Ok. Et vos commerciaux, ils gagnent combien exactement ? "
            "Et vous faites quelle marge sur un chantier ?",
        ),
    ],
)
def test_a_request_for_the_company_s_results_is_one_for_secrets(personas, lang, line) -> None:
    """Round 21: the CFO answered "your exact profit margin" with an acquisition target in
    Italy; "les commerciaux gagnent combien" hid the margin asked next to it."""
    meeting = _play(personas["sceptic"], lang, [line])
    assert meeting.state.turns[-1].act == "confidential_request"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "How do you protect your margins when prices rise?"),
        ("en", "What margins are typical in the sector?"),
        ("fr", "Et ils gagnent combien, les débutants ?"),
    ],
)
def test_margins_spoken_of_without_asking_the_figure_are_no_secret(lang, line) -> None:
    assert "confidential_request" not in with_requests(analyse(line, lang), lang).intents


def test_asking_what_work_someone_would_do_is_no_job_request(personas) -> None:
    """ "What kind of analysis would you want someone to do with the WMS data?" got "I don't
    hire through networking chats" (round 21); "would you need someone like me" still asks
    for a job."""
    line = (
        "You said lots of Excel but not enough analysis. What kind of analysis would you "
        "want someone to do with the WMS data?"
    )
    assert "job_request" not in analyse(line, "en").intents
    asks = "Would you need someone like me to do the analysis?"
    assert "job_request" in analyse(asks, "en").intents


@pytest.mark.parametrize(
    ("persona", "line"),
    [
        ("chatty_expert", "ben jvoudrais savoir comment t'as commencé toi dans l'evenementiel"),
        ("laconic_host", "bah t'as fait quels postes avant d'etre responsable stp?"),
        (
            "laconic_host",
            "ah ok lol. mais jvoulais dire les postes que t'as fait en entrepot, cariste prepa",
        ),
        ("laconic_host", "tous les postes genre quoi? et c lequel qui t'a le + appris"),
    ],
)
def test_texted_questions_on_the_host_s_path_are_heard(personas, persona, line) -> None:
    """Round 21: "comment t'as commencé" got "ça, je le connais mal" from a founder who
    told his first congress two turns later; "jvoulais dire les postes que t'as fait", with
    no question mark, got "Oui. Et ?"; "t'as fait quels postes" got what she likes."""
    meeting = _play(personas[persona], "fr", [line])
    turn = meeting.state.turns[-1]
    assert (turn.act, turn.topic) == ("question", "career_path")


def test_an_either_or_advice_asked_without_a_mark_is_a_question(personas) -> None:
    """ "du coup toi tu me conseilles de commencer prepa aussi apres mon bts ou direct agent
    de maitrise" got "D'accord." (round 21)."""
    line = (
        "du coup toi tu me conseilles de commencer prepa aussi apres mon bts ou direct agent "
        "de maitrise"
    )
    assert analyse(line, "fr").question == "closed"
    meeting = _play(personas["laconic_host"], "fr", [line])
    assert meeting.state.turns[-1].act == "question"


def test_do_you_like_being_a_cfo_is_about_what_she_likes(personas) -> None:
    """It got "Then twelve years at a glass group…" (round 21)."""
    meeting = _play(personas["busy_executive"], "en", ["Do you like being a CFO?"])
    turn = meeting.state.turns[-1]
    assert turn.topic == "likes"
    assert not turn.reply.startswith("Then")


def test_a_later_step_of_the_host_s_story_told_first_has_no_then(personas) -> None:
    """ "Ensuite, quinze ans dans un cabinet" as the first word of the host's path told
    (round 21): the step goes without its "ensuite" when the one before was not said."""
    lines = _lines("j21frA_m2.txt")[:4]
    meeting = _play(personas["puzzled_friend"], "fr", lines)
    said = " ".join(t.reply for t in meeting.state.turns)
    assert "Ensuite, quinze ans" not in said


def test_ten_years_as_a_store_manager_is_a_background_not_asked_again(personas) -> None:
    """ "j'ai été dix ans responsable de magasin" then "Et toi, tu faisais quoi avant ?"
    (round 21)."""
    meeting = _play(personas["puzzled_friend"], "fr", _lines("j21frA_m2.txt")[:3])
    assert "tu faisais quoi avant" not in meeting.state.turns[-1].reply


def test_a_texted_apology_lets_a_guarded_host_answer_again(personas) -> None:
    """ "oops sry my bad. wat training wud u recommend…" after a nosy question got "I'd
    rather not go into it", then "See our website." to a question on the sector (round
    21): "sry" is sorry, and the sector's hiring is no secret."""
    meeting = _play(personas["guarded_insider"], "en", _lines("j21enA_m4.txt")[:9])
    nosy, sorry, sector = meeting.state.turns[6:9]
    assert nosy.act == "confidential_request"
    assert sorry.topic == "training" and "rather not" not in sorry.reply
    assert sector.topic == "hiring"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "is reg affairs hiring juniors in lyon these days"),
        ("fr", "ça recrute des juniors à Lyon en ce moment ?"),
        ("fr", "est-ce que les labos embauchent des débutants ?"),
    ],
)
def test_whether_the_sector_hires_juniors_is_about_hiring(personas, lang, line) -> None:
    assert routing.route(line, lang, personas["guarded_insider"]) == "hiring"


@pytest.mark.parametrize(
    ("name", "persona", "polar"),
    [
        ("j21enA_m1.txt", "curious_host", "designers don't have to code at all?"),
        ("j21enA_m3.txt", "chatty_expert", "did she start as an assistant?"),
        ("j21enA_m4.txt", "guarded_insider", "is reg affairs hiring juniors in lyon"),
    ],
)
def test_the_short_fact_example_is_a_short_fact(personas, name, persona, polar) -> None:
    """Round 21: three feedbacks gave a yes/no question as their example of a question
    "that asks for one short fact (how much, where, when, which)"."""
    lines = _lines(name)
    played = play(personas[persona], "en", lines, seed=21, hints=False)
    advice = json.loads(play_json(played))["feedback"]["criteria"]["open_questions"]["advice"]
    assert polar not in advice


def _feedback(name: str, persona: str, lang: str, personas) -> dict:
    played = play(personas[persona], lang, _lines(name), seed=21, hints=False)
    return json.loads(play_json(played))["feedback"]["criteria"]


def test_a_site_looked_at_in_passing_is_no_preparation(personas) -> None:
    """ "Pas grand-chose, j'ai regardé vite fait votre site." earned "Préparation 100/100,
    recherches visibles", quoted as the evidence (round 21)."""
    preparation = _feedback("j21frB_m3.txt", "sceptic", "fr", personas)["preparation"]
    assert preparation["score"] <= 20 and preparation["evidence"] == []


def test_a_plan_announced_shows_preparation(personas) -> None:
    """ "J'ai préparé trois thèmes pour tenir le quart d'heure", followed through, got
    "Montrez que vous avez préparé l'entretien" (round 21)."""
    preparation = _feedback("j21frB_m1.txt", "busy_executive", "fr", personas)["preparation"]
    assert preparation["score"] == 100
    assert preparation["evidence"][0].startswith("… J'ai préparé trois thèmes")


def test_a_detail_s_heading_is_not_said_twice(personas) -> None:
    """ "…sont sur site presque en permanence : … Sur site presque en permanence : le
    contrôleur a son bureau près de l'atelier" (round 21)."""
    meeting = _play(personas["busy_executive"], "fr", _lines("j21frB_m1.txt")[:8])
    reply = meeting.state.turns[-1].reply
    assert reply.lower().count("sur site presque en permanence") <= 1
    assert [v.rule for v in check(meeting) if v.turn == len(meeting.state.turns)] == []


def test_what_something_was_of_use_for_is_an_open_question(personas) -> None:
    """ "il vous a servi à quoi, concrètement ?" got "En règle générale, oui." before the
    answer (a closing reading of the eleventh session)."""
    line = "Vous parlez du BTS : il vous a servi à quoi, concrètement ?"
    assert analyse(line, "fr").question == "open"
    assert analyse("ça t'a apporté quoi ?", "fr").question == "open"


@pytest.mark.parametrize(
    ("name", "persona", "lang"),
    [("j21frA_m1.txt", "curious_host", "fr"), ("j21enA_m3.txt", "chatty_expert", "en")],
)
def test_ok_and_a_laugh_are_no_chat_abbreviations(personas, name, persona, lang) -> None:
    """ "Ok" at the start of two lines, or "haha ok", failed the register lesson ("no chat
    abbreviations") of visitors who used none (round 21)."""
    played = play(personas[persona], lang, _lines(name), seed=21, hints=False)
    assert json.loads(play_json(played))["feedback"]["lessons"]["register"]["done"] is True


def test_what_one_read_about_the_trade_is_preparation(personas) -> None:
    """ "J'ai lu qu'il existe un titre professionnel d'encadrant technique d'insertion" got
    "Montrez que vous avez préparé l'entretien" (round 21)."""
    preparation = _feedback("j21frA_m2.txt", "puzzled_friend", "fr", personas)["preparation"]
    assert preparation["score"] == 100
    assert any("J'ai lu qu'il existe" in line for line in preparation["evidence"])


def test_the_company_s_own_pay_grid_is_kept_without_speaking_of_clients(personas) -> None:
    """ "Et chez vous, tu payes combien tes juniors exactement ?" after the trade's ranges
    got the freelance's real income (round 21): it asks the studio's own grid."""
    meeting = _play(personas["curious_host"], "fr", _lines("j21frA_m1.txt")[:8])
    turn = meeting.state.turns[-1]
    assert turn.act == "confidential_request"
    assert "grille" in turn.reply or "maison" in turn.reply
    assert "clients" not in turn.reply


@pytest.mark.parametrize(
    ("name", "persona"), [("j22enA_m2.txt", "puzzled_friend"), ("j22enA_m3.txt", "chatty_expert")]
)
def test_an_introduction_ending_on_notes_is_welcomed_not_answered(personas, name, persona) -> None:
    """ "…I'm not here to ask for a job: I'd like to understand how the work really looks
    from the inside. Would you mind if I took a few notes?" got how permanent posts are
    filled (round 22): the purpose was read as a question on hiring."""
    meeting = _play(personas[persona], "en", _lines(name)[:1], seed=22)
    turn = meeting.state.turns[-1]
    assert turn.act == "notes_permission" and turn.topic is None
    assert "permanent posts" not in turn.reply and "recruiter" not in turn.reply
    assert meeting.has("welcomed")


def test_asking_the_host_s_path_is_no_request_for_a_contact(personas) -> None:
    """ "Before we get to that side of things, I'd love to hear how you came to run a
    recyclerie: what was your path?" got Amandine Roussel's name (round 22)."""
    meeting = _play(personas["puzzled_friend"], "en", _lines("j22enA_m2.txt")[:2], seed=22)
    turn = meeting.state.turns[-1]
    assert (turn.act, turn.topic) == ("question", "career_path")


@pytest.mark.parametrize(
    ("line", "question"),
    [
        ("ok. et un chargé d'AR junior a lyon ca tourne a cb en salaire a peu pres", "closed"),
        (
            "et le marché du solaire tu le vois comment ds 5 ans, vu que t'as vécu le moratoire",
            "open",
        ),
        ("Ok. Et vous auriez un conseil pour moi, du coup ?", "open"),
    ],
)
def test_texted_and_polite_questions_of_round_22_are_questions(line, question) -> None:
    """ "D'accord. Quelle est votre question ?", "D'accord. Et ?" and "Plutôt non." were
    their replies (round 22)."""
    assert analyse(line, "fr").question == question


def test_asking_for_advice_is_no_job_request(personas) -> None:
    """ "Et vous auriez un conseil pour moi ?" got "je ne peux pas vous aider à trouver un
    poste ici", and the feedback cut Respect for it (round 22)."""
    meeting = _play(personas["busy_executive"], "fr", _lines("j22frB_m1.txt")[:12], seed=22)
    turn = meeting.state.turns[-1]
    assert (turn.act, turn.topic) == ("question", "advice")
    assert not turn.reply.startswith(("Plutôt", "Oui", "Non"))
    assert "job_request" in analyse("vous auriez un poste pour moi ?", "fr").intents


def test_how_to_contact_the_referral_is_answered(personas) -> None:
    """ "Comment est-il préférable que je la contacte : par courriel en mentionnant votre
    nom, ou préférez-vous la prévenir d'abord ?" got "Ce que j'aime ?…" (round 22)."""
    meeting = _play(personas["chatty_expert"], "fr", _lines("j22frA_m3.txt")[:13], seed=22)
    turn = meeting.state.turns[-1]
    assert turn.act == "referral_request"
    assert meeting.has("referral_qualified")


@pytest.mark.parametrize(
    ("name", "persona", "turn", "topic"),
    [
        ("j22frA_m4.txt", "guarded_insider", 9, "pay"),
        ("j22frB_m3.txt", "sceptic", 9, "future"),
    ],
)
def test_texted_questions_without_a_mark_get_an_answer(personas, name, persona, turn, topic):
    meeting = _play(personas[persona], "fr", _lines(name)[:turn], seed=22)
    played = meeting.state.turns[-1]
    assert (played.act, played.topic) == ("question", topic)


@pytest.mark.parametrize(
    ("name", "persona", "lang", "turn"),
    [
        ("j22enA_m4.txt", "guarded_insider", "en", 8),
        ("j22frA_m2.txt", "puzzled_friend", "fr", 9),
    ],
)
def test_the_range_the_host_offered_is_given_when_taken_up(personas, name, persona, lang, turn):
    """ "My own pay stays private. For a beginner, though, I can give you a range." then
    "Yes please, what would the range be?" got "I can't talk about that."; "Oui, je veux
    bien, la fourchette pour un débutant." got "rappelle-moi : qu'est-ce qui t'amène ?"
    (round 22)."""
    meeting = _play(personas[persona], lang, _lines(name)[:turn], seed=22)
    played = meeting.state.turns[-1]
    assert (played.act, played.topic) == ("question", "pay")
    assert any(ch.isdigit() for ch in played.reply)


def test_a_guarded_host_who_offered_a_range_answers_fair_questions_again(personas) -> None:
    """After the offer, "Do I need a master's…?" got "I have nothing to add." and the AI
    question "I'd rather not go into it." (round 22)."""
    meeting = _play(personas["guarded_insider"], "en", _lines("j22enA_m4.txt")[:11], seed=22)
    master, ai = meeting.state.turns[9:11]
    assert master.topic == "training" and "nothing to add" not in master.reply
    assert "rather not" not in ai.reply


@pytest.mark.parametrize(
    ("name", "persona", "lang"),
    [
        ("j22enA_m1.txt", "curious_host", "en"),
        ("j22enB_m1.txt", "busy_executive", "en"),
        ("j22frB_m2.txt", "laconic_host", "fr"),
    ],
)
def test_a_request_that_says_who_qualifies_the_referral(personas, name, persona, lang) -> None:
    """ "…like an actual researcher in nantes", "perhaps a plant controller or another CFO
    in the region", "par exemple un chef d'équipe passé par une reconversion": 70/100 next
    to "✓ Qualifying a referral" (round 22). Who they are is one way to qualify it."""
    played = play(personas[persona], lang, _lines(name), seed=22, hints=False)
    feedback = json.loads(play_json(played))["feedback"]
    assert feedback["criteria"]["referral"]["score"] == 100
    assert feedback["lessons"]["referral_quality"]["done"] is True


@pytest.mark.parametrize(
    ("name", "persona", "lang"),
    [("j22enB_m3.txt", "sceptic", "en"), ("j22enA_m4.txt", "guarded_insider", "en")],
)
def test_an_either_or_question_is_not_the_short_fact_example(personas, name, persona, lang):
    """ "…will there still be work in rooftop solar, or will the market be saturated?" and
    "Do I need a master's…, or is a chemistry degree enough?" were given as questions "that
    ask for one short fact (how much, where, when, which)" (round 22)."""
    played = play(personas[persona], lang, _lines(name), seed=22, hints=False)
    advice = json.loads(play_json(played))["feedback"]["criteria"]["open_questions"]["advice"]
    assert "short fact" not in advice


def test_a_first_job_request_is_not_asking_again_after_a_no(personas) -> None:
    """ "✗ Taking a refusal well: You asked again after a no", quoting the visitor's first
    and only job request (round 22): no one had said no yet, and Respect judges it."""
    played = play(personas["sceptic"], "en", _lines("j22enB_m3.txt"), seed=22, hints=False)
    refusal = json.loads(play_json(played))["feedback"]["lessons"]["refusal"]
    assert refusal["done"] is None


@pytest.mark.parametrize(
    "line", ["hmm i meant for u as a manager lol.", "no i meant the ppl in ur program"]
)
def test_what_was_meant_is_the_question_said_again(line) -> None:
    assert analyse(line, "en").question == "open"


@pytest.mark.parametrize(
    "line",
    [
        "À ma place, vous commenceriez par quoi ?",
        "tu commencerais par quoi ?",
        "t'as commencé par quoi ?",
    ],
)
def test_by_what_one_would_start_is_an_open_question(line) -> None:
    """A laconic host answered "À ma place, vous commenceriez par quoi ?" with "Oui." (a
    reading of the eleventh session)."""
    assert analyse(line, "fr").question == "open"


def test_a_texted_purpose_is_heard(personas) -> None:
    """ "not after a job, just tryna understand what a cfo actually does" got "What exactly
    do you expect from this conversation?" (a reading of the eleventh session)."""
    line = (
        "hey, im jess, 3 yrs as an accounts assistant at a logistics firm, stephane said u "
        "might talk to me. not after a job, just tryna understand what a cfo actually does"
    )
    assert "purpose" in analyse(line, "en").intents
    meeting = _play(personas["busy_executive"], "en", [line], seed=4)
    assert not meeting.state.turns[-1].reply.rstrip().endswith("?")


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "fr",
            "si ca peut t'aider jconnais bien les CRM, jpeux te montrer comment on suivait "
            "nos leads",
        ),
        ("en", "if it helps I can show u how we tracked our leads"),
    ],
)
def test_an_offer_to_show_how_is_no_question(lang, line) -> None:
    """The sceptic thanked the offer, then told of its remote monitoring, as if "comment on
    suivait nos leads" had asked something (a reading of the eleventh session)."""
    analysis = analyse(line, lang)
    assert analysis.question is None and "give_back" in analysis.intents


def test_a_degree_is_a_fact_not_an_achievement(personas) -> None:
    """ "I did a chemistry degree and then some lab stuff" got "Assets 100/100, Good:
    concrete achievements make you credible" (round 22)."""
    played = play(personas["guarded_insider"], "en", _lines("j22enA_m4.txt"), seed=22, hints=False)
    assets = json.loads(play_json(played))["feedback"]["criteria"]["assets"]
    assert 0 < assets["score"] < 100
    assert "Good" not in assets["advice"]


@pytest.mark.parametrize(
    ("line", "question"),
    [
        ("le dscg en cours du soir en bossant a coté c jouable d apres toi", "closed"),
        (
            "oui oui jconnais les big four lol, mais ce que t as appris la bas ca t a aidé "
            "comment une fois en entreprise",
            "open",
        ),
    ],
)
def test_round_23_texted_questions_are_questions(line, question) -> None:
    """ "D'accord. Le temps presse, avançons." and "Entendu. Question suivante ?" were the
    CFO's replies to them (round 23)."""
    assert analyse(line, "fr").question == question


def test_round_23_notes_and_test_participants_are_read(personas) -> None:
    """ "ca t derange si jnote 2-3 trucs" got "ça, je le connais mal"; "vous recrutez les
    utilisateurs vous-mêmes ?" (test participants) got "Je n'ai pas de poste à te
    proposer" (round 23)."""
    assert (
        "notes_permission"
        in analyse("ca t derange si jnote 2-3 trucs sur mon tel pdt qu'on parle ?", "fr").intents
    )
    line = (
        "Tu parles de préparer et analyser des tests : comment ça se passe concrètement, "
        "vous recrutez les utilisateurs vous-mêmes ?"
    )
    assert "job_request" not in analyse(line, "fr").intents
    assert routing.route("Vous faites ça depuis longtemps ?", "fr", personas["chatty_expert"]) == (
        "career_path"
    )


@pytest.mark.parametrize(
    ("persona", "line", "topic"),
    [
        (
            "puzzled_friend",
            "Ok. Is there going to be more jobs in recycling later, with all the ecology stuff?",
            "future",
        ),
        (
            "chatty_expert",
            "noted. n money wise wat does a junior project manager make in lyon more or less",
            "pay",
        ),
    ],
)
def test_round_23_english_questions_find_their_topic(personas, persona, line, topic) -> None:
    """ "You've got me there!" from a recyclerie director on jobs in recycling; "What would
    make the job more sustainable?" to a question on pay (round 23)."""
    assert routing.route(line, "en", personas[persona]) == topic


def test_round_23_requests_are_read(personas) -> None:
    """ "is there a training u recommend 4 that" got "Rather not." before a recommendation;
    "Do you think I could work here one day?" got the host's remote work (round 23)."""
    assert (
        analyse("right ive never done dc. is there a training u recommend 4 that", "en").question
        == "open"
    )
    assert "job_request" in analyse("Do you think I could work here one day?", "en").intents
    assert "job_request" not in analyse("I could work with you on that if it helps", "en").intents


def test_a_vague_answer_gets_no_praise(personas) -> None:
    """ "Hello. I'm interested in logistics, I'm looking around at different things at the
    moment." got "Right. I've got a better idea of you now." (round 23)."""
    line = (
        "Hello. I'm interested in logistics, I'm looking around at different things at the moment."
    )
    reply = _play(personas["laconic_host"], "en", [line], seed=23).state.turns[-1].reply
    assert "better idea" not in reply and "point in your favour" not in reply


def test_dc_is_a_word_and_a_correction_rules_its_other_word_out(personas) -> None:
    """ "is there a training u recommend 4 that" after "ive never done dc" got the asbestos
    training; "i meant a dc training, not asbestos" got asbestos again (round 23)."""
    meeting = _play(personas["sceptic"], "en", _lines("j23enB_m3.txt")[:7], seed=23)
    training, corrected = meeting.state.turns[5:7]
    assert "direct current" in training.reply
    assert "asbestos" not in corrected.reply


def test_the_host_s_own_city_does_not_choose_the_answer(personas) -> None:
    """ "how much does a beginner installer make in toulouse roughly" got a junior
    engineer's pay, the one pay answer that says "Toulouse" (round 23)."""
    meeting = _play(personas["sceptic"], "en", _lines("j23enB_m3.txt")[:8], seed=23)
    assert "installer" in meeting.state.turns[-1].reply


def test_thanks_then_the_next_question_is_steering_back(personas) -> None:
    """ "Très clair, merci. Et côté rémunération…" and "L'écoconception, je note. Mais sur
    l'IA justement…" after long answers got "✗ Après une longue histoire, remerciez et
    enchaînez" (round 23)."""
    played = play(personas["curious_host"], "fr", _lines("j23frA_m1.txt"), seed=23, hints=False)
    steering = json.loads(play_json(played))["feedback"]["lessons"]["steering"]
    assert steering["done"] is True
    assert steering["evidence"][0].startswith("Très clair, merci.")


def test_which_profiles_one_recruits_after_a_preamble_is_no_job_request(personas) -> None:
    """ "Belle histoire ! Pour revenir à mes questions : quels profils recrutez-vous ?" read
    as a job request once the steering lesson asked for a question (found this session)."""
    line = "Belle histoire ! Pour revenir à mes questions : quels profils recrutez-vous ?"
    assert "job_request" not in analyse(line, "fr").intents
    assert (
        routing.route(
            "Comment en êtes-vous venu à créer votre agence ?", "fr", personas["chatty_expert"]
        )
        == "career_path"
    )


@pytest.mark.parametrize(
    ("lang", "typed", "read"),
    [
        (
            "fr",
            "jsp trop, ptet que c vrmt dur tt ça, tkt",
            "je sais pas trop, peut etre que c'est vraiment dur tout ca, t'inquiete",
        ),
        (
            "en",
            "idk tho, imo its rly gud, ofc",
            "i don't know though, in my opinion its really good, of course",
        ),
    ],
)
def test_common_chat_spellings_are_written_out(lang, typed, read) -> None:
    """After "sry" and "tryna" (missing, found one by one by readers), a pass over common
    chat spellings in both languages."""
    from bot.engine.analysis import lexicon, normalise

    assert lexicon(lang).expand(normalise(typed)) == read
