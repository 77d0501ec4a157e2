"""What the host hears in a line beyond its question: an offer made before, a path being
told, a second request for a job, a project never stated (round 13 of readings).

Each case is a line a reader typed in a meeting, with the reply it got then, on the real
personas.
"""

from __future__ import annotations

import pytest

from bot.engine.meeting import Meeting
from bot.engine.personas import Persona, default_lines


def _play(persona: Persona, lang: str, lines: list[str], seed: int = 13) -> Meeting:
    meeting = Meeting.start(persona, lang, seed=seed)
    for line in lines:
        meeting.say(line)
    return meeting


def _said(persona: Persona, lang: str, key: str) -> list[str]:
    return persona.say(f"lines.{key}", lang) or default_lines(key, lang, persona.address)


def test_a_project_never_told_is_never_judged(personas) -> None:
    """ "Je voudrais savoir si c'est un bon métier" asks whether the job is good: "Votre
    projet me paraît réaliste…" judged a project the visitor had not told."""
    persona = personas["guarded_insider"]
    meeting = _play(
        persona,
        "fr",
        [
            "bonjour, je cherche du travail dans la pharma, on m'a donné votre nom",
            "Ben je sais pas trop, je voudrais savoir si c'est un bon métier. "
            "Vous aimez votre travail ?",
        ],
    )
    reply = meeting.state.turns[-1].reply
    assert "J'aime" in reply
    assert "projet" not in reply


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fr", "Ah oui, c'est combien pour un débutant ?"),
        ("en", "Oh right, so how much for a beginner?"),
    ],
)
def test_how_much_for_a_beginner_is_the_junior_range(personas, lang: str, line: str) -> None:
    """The host offered a beginner's range; "c'est combien pour un débutant ?" got the
    commonest newcomer mistake ("débutant" pointed there)."""
    persona = personas["guarded_insider"]
    meeting = _play(persona, lang, [line])
    assert meeting.state.last_topic == "pay", meeting.state.turns[-1].reply


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "fr",
            [
                "Et c'est combien pour un débutant ?",
                "Ok merci. Et là vous travaillez sur quel médicament en ce moment ? "
                "Il sort quand ?",
            ],
        ),
        (
            "en",
            [
                "How much does a beginner earn?",
                "Ok thanks. What drug are you working on right now? When does it come out?",
            ],
        ),
    ],
)
def test_the_drug_in_development_is_a_secret_even_after_the_pay_answer(
    personas, lang: str, lines: list[str]
) -> None:
    """Right after the junior range, a question on the drug being developed and its launch
    got "Ce que j'aime moins, c'est la mise en forme": anything after the pay answer was
    taken for a question on the figures just given."""
    persona = personas["guarded_insider"]
    meeting = _play(persona, lang, lines)
    assert meeting.state.turns[-1].act == "confidential_request"
    assert meeting.state.turns[-1].reply in _said(persona, lang, "confidential")
    assert meeting.state.clammed


def test_a_process_question_on_launches_asks_no_secret(personas) -> None:
    meeting = _play(
        personas["guarded_insider"], "en", ["When does the product launch usually happen?"]
    )
    assert meeting.state.turns[-1].act != "confidential_request"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_job_asked_again_is_not_refused_in_the_same_words(personas, lang: str) -> None:
    """ "Vous connaissez pas quelqu'un qui pourrait m'embaucher ?" after a first no got "Je
    ne recrute pas en ce moment. Je peux en revanche vous dire comment fonctionne le
    métier", twelve turns into the métier."""
    persona = personas["guarded_insider"]
    lines = {
        "fr": [
            "Est-ce que vous recrutez en ce moment ? Je peux vous envoyer mon CV ?",
            "Vous connaissez pas quelqu'un qui pourrait m'embaucher ?",
        ],
        "en": [
            "Are you hiring at the moment? Can I send you my CV?",
            "Don't you know someone who could hire me?",
        ],
    }[lang]
    meeting = _play(persona, lang, lines)
    first, second = (turn.reply for turn in meeting.state.turns)
    assert first in _said(persona, lang, "job_request")
    assert second in _said(persona, lang, "job_request_again")


def test_thanks_after_the_welcome_does_not_seat_the_visitor_twice(personas) -> None:
    """ "Merci. Est-ce que je peux prendre quelques notes ?…" after "Quelles sont vos
    questions ?" got "Je vous en prie, asseyez-vous." in the second turn."""
    persona = personas["busy_executive"]
    meeting = _play(
        persona,
        "fr",
        [
            "Bonjour Madame Delmas, merci de me recevoir. Je m'appelle Julie Marchetti, je suis "
            "contrôleuse de gestion junior depuis deux ans, et c'est Paul Renaud qui m'a "
            "conseillé de vous contacter : je vise un poste en finance dans l'industrie et "
            "j'aimerais comprendre votre métier.",
            "Merci. Est-ce que je peux prendre quelques notes ? Et pour commencer : quel a été "
            "votre parcours ?",
        ],
    )
    reply = meeting.state.turns[-1].reply
    assert not any(line in reply for line in _said(persona, "fr", "thanks_welcome")), reply
    assert meeting.state.last_topic == "career_path"


@pytest.mark.parametrize(
    ("lang", "first", "then"),
    [
        (
            "fr",
            "Quel a été votre parcours ?",
            "Vous dites que vous êtes sortie de l'audit spécialisée dans l'industrie : "
            "qu'est-ce qui vous a fait passer de l'audit à l'entreprise ?",
        ),
        (
            "en",
            "What was your career path?",
            "You said you left audit specialised in manufacturing: what made you move from "
            "audit to industry?",
        ),
        (
            "en",
            "To start with your own path: how did you get to the CFO role here?",
            "You specialised in manufacturing in audit: how did that help when you moved to "
            "the industry side?",
        ),
        (
            "fr",
            "Comment êtes-vous arrivée à ce poste de DAF ?",
            "Vous étiez spécialisée dans l'industrie : en quoi ça vous a aidée quand vous êtes "
            "passée en entreprise ?",
        ),
    ],
)
def test_what_made_you_move_on_is_the_next_step_of_the_path(
    personas, lang: str, first: str, then: str
) -> None:
    """The follow-up on leaving audit got the business school's old name: a detail of the
    step just told, not the step that came after it."""
    persona = personas["busy_executive"]
    meeting = _play(persona, lang, [first, then])
    turns = meeting.state.turns
    answers = [answer.say for answer in persona.answers("career_path", lang)]
    assert any(answers[0] in turn.reply for turn in turns[:1]), turns[0].reply
    assert answers[1] in turns[1].reply, turns[1].reply


def test_a_preamble_on_the_last_answer_gets_what_is_behind_it(personas) -> None:
    """ "That gain of one and a half jobs in accounts payable: what happened to those people,
    were they moved to analysis work?" got the consolidation tool ("analysis" was in its
    detail) instead of where the freed time went."""
    persona = personas["busy_executive"]
    meeting = _play(
        persona,
        "en",
        [
            "Looking ahead, how are AI and automation tools changing the work of your controllers?",
            "That gain of one and a half jobs in accounts payable: what happened to those "
            "people, were they moved to analysis work?",
        ],
    )
    first, then = meeting.state.turns
    assert "one and a half jobs" in first.reply, first.reply
    assert "disputes" in then.reply, then.reply
    assert "Tagetik" not in then.reply


def test_a_texted_how_question_without_its_auxiliary_is_answered(personas) -> None:
    """Round 14: "how u start ur agency" (no "did", no mark) was no question: the host praised
    the introduction and ignored it, then answered junior pay to the same question asked
    again; the third time, "u was alone at begining" got "I couldn't tell you that
    precisely" before the very answer to it."""
    persona = personas["chatty_expert"]
    meeting = _play(
        persona,
        "en",
        [
            "hi gerard, im ana from portugal, my teacher marco said u know evrything about "
            "events in lyon so i want to ask u some thing",
            "i finish master in tourism, i want work in event agency. how u start ur agency",
            "ok thx :) but how u start ur agency, u was alone at begining",
        ],
    )
    second, third = meeting.state.turns[1:]
    assert second.topic == "career_path", second.reply
    assert third.topic == "career_path", third.reply
    assert not any(line in third.reply for line in _said(persona, "en", "partial"))


@pytest.mark.parametrize(
    ("line", "question"),
    [
        ("how u start ur agency", "open"),
        ("and the 2 clients who follow u, how u convince them to come with u", "open"),
        ("I see how you work now", None),
        ("i want to know who the players are and how they compete", "open"),
    ],
)
def test_a_chat_clause_opening_on_how_asks(line: str, question: str | None) -> None:
    from bot.engine.analysis import analyse

    assert analyse(line, "en").question == question


def test_telling_how_something_went_is_no_question() -> None:
    from bot.engine.analysis import analyse

    line = "Je reviendrai vers vous pour vous dire comment s'est passée ma rencontre avec Claire."
    assert analyse(line, "fr").question is None


def test_a_second_job_request_never_quotes_a_refusal_the_host_did_not_make(personas) -> None:
    """Round 14: "As I said, hiring doesn't go through me" from a co-founder who had said
    "we're not hiring": the second refusal repeats what was said, in the persona's voice."""
    persona = personas["curious_host"]
    meeting = _play(
        persona,
        "en",
        ["Are you hiring at the moment?", "Can you send my CV to someone who is hiring?"],
    )
    assert "doesn't go through me" not in meeting.state.turns[-1].reply
    assert meeting.state.turns[-1].reply in _said(persona, "en", "job_request_again")


def test_a_host_that_heard_the_goal_answers_the_next_question(personas) -> None:
    """Round 14: "Right, I see where you want to go. How can I be useful?" then, to "how did
    u get into this, wat was ur path before the shop", "So, remind me: what brings you
    here?", which had not heard the goal."""
    persona = personas["puzzled_friend"]
    meeting = _play(
        persona,
        "en",
        [
            "hi laurent how r u. im sofiane, did 5 yrs in restaurants and now i wanna switch "
            "to social economy stuff like work integration, my cousin ines gave me ur number",
            "ok so like how did u get into this, wat was ur path before the shop",
        ],
        seed=14,
    )
    first, then = meeting.state.turns
    assert first.reply in _said(persona, "en", "ask_expectation"), first.reply
    assert then.topic == "career_path", then.reply


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        (
            "Ah oui, quand même. Et avec le client qui n'a pas compris, ça s'est terminé comment ?",
            False,
        ),
        ("Et c'était quel client, le nom ? Et vous lui avez facturé combien ?", True),
    ],
)
def test_a_follow_up_on_the_host_story_is_no_request_for_secrets(
    personas, line: str, secret: bool
) -> None:
    """Round 14: after "…J'ai arrêté le chantier le jour même. Le client n'a pas compris.",
    "Et avec le client qui n'a pas compris, ça s'est terminé comment ?" got "Nos marges et
    les noms de nos clients, ça ne regarde que nous." (the request model saw "client")."""
    from bot.engine.acts import Context, read
    from bot.engine.analysis import analyse
    from bot.engine.requests import with_requests

    previous = (
        "Le tournant, c'est une chute évitée de justesse sur un hangar près d'Auch. J'ai "
        "arrêté le chantier le jour même. Le client n'a pas compris."
    )
    analysis = with_requests(analyse(line, "fr"), "fr")
    act = read(analysis, "fr", Context(previous=previous, asked=False), personas["sceptic"])
    assert (act.kind == "confidential_request") is secret, act


def test_a_question_on_which_tools_gets_the_tools_not_a_bare_yes(personas) -> None:
    """Own play (session of 6 December): the laconic host answered "What tools do you use in
    the warehouse?" with "Yes." (a "what" question asks a fact, never yes or no), then, told
    to give a fact, picked the third tools answer (AI) at random over the overview."""
    persona = personas["laconic_host"]
    meeting = _play(
        persona,
        "en",
        [
            "Hello Nadia, I'm Paul, I'm moving into logistics and I'd like to understand your job.",
            "What tools do you use in the warehouse?",
            "Do you use a WMS?",
        ],
    )
    tools, polar = meeting.state.turns[1:]
    assert tools.reply.startswith("The WMS runs everything"), tools.reply
    assert polar.reply in [*_said(persona, "en", "yes"), "Yes.", "Yes"], polar.reply


@pytest.mark.parametrize(
    ("persona_id", "lang", "question"),
    [
        ("curious_host", "fr", "Qu'est-ce qui est le plus difficile dans votre métier ?"),
        ("curious_host", "en", "What's the hardest part of your job?"),
    ],
)
def test_a_first_answer_never_opens_on_the_other_one(personas, persona_id, lang, question):
    """ "What do you find hardest?" was answered "The other challenge is…" before any."""
    persona = personas[persona_id]
    for seed in range(6):
        reply = _play(persona, lang, [question], seed=seed).state.turns[-1].reply
        assert not reply.lower().startswith(("the other", "l'autre")), reply


@pytest.mark.parametrize(
    ("lang", "line", "background"),
    [
        ("fr", "j'ai été en train de chercher un peu partout", None),
        ("fr", "j'ai passé du temps en te parlant de moi lol", None),
        ("fr", "j'ai été en galère pendant un an", None),
        ("fr", "jai bossé 3 ans dans la vente", "dans la vente"),
        (
            "fr",
            "J'ai travaillé dix ans dans l'hôtellerie, et je change de voie.",
            "dans l'hôtellerie",
        ),
        ("en", "I've been in touch with Karim about it", None),
        ("en", "I spent ten years in hotel management, where I ran a team.", "in hotel management"),
    ],
)
def test_the_host_remembers_a_trade_not_any_phrase_after_in(personas, lang, line, background):
    """Round 14: the puzzled friend said "Ton passage dans te dire lol te servira": any words
    after "dans"/"en" were kept as the visitor's background and said back."""
    meeting = _play(personas["puzzled_friend"], lang, [line])
    assert meeting.state.visitor.get("background") == background


def test_what_the_visitor_tells_of_their_past_does_not_pick_the_answer(personas) -> None:
    """Own play: "Oui, j'ai fait de la couverture pendant deux ans. Et quelles compétences
    comptent le plus chez un poseur ?" got the answer on what will be in demand "dans cinq
    ans": the visitor's "deux ans" was read as asked."""
    persona = personas["sceptic"]
    meeting = _play(
        persona,
        "fr",
        [
            "Bonjour, je suis Kevin, Bernard m'a donné votre nom. Je voudrais comprendre le "
            "métier d'installateur solaire, je ne cherche pas de poste.",
            "Oui, j'ai fait de la couverture pendant deux ans. Et quelles compétences comptent "
            "le plus chez un poseur ?",
        ],
        seed=4,
    )
    assert "cinq ans" not in meeting.state.turns[-1].reply, meeting.state.turns[-1].reply


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "What would you do in my place?"),
        (
            "en",
            "honestly i just wanna know if its smart for me b4 i pay for any training. "
            "wat would u do in my place",
        ),
        ("fr", "Et vous, à ma place, vous feriez quoi ?"),
    ],
)
def test_in_my_place_asks_for_advice(personas, lang, line) -> None:
    """Round 15 (3 of 3 for one reader): "wat would u do in my place" got the asbestos
    training; "What would you do in my place?" alone scored below the threshold although its
    cue names advice (the cue said "I" in capitals, never matched on lower-case text)."""
    from bot.engine.acts import Context, read
    from bot.engine.analysis import analyse

    act = read(analyse(line, lang), lang, Context(), personas["sceptic"])
    assert (act.kind, act.topic) == ("question", "advice")


@pytest.mark.parametrize(
    ("lang", "line", "question", "intents"),
    [
        # Round 15: "Oui." to an open question asked in chat.
        ("fr", "bon sinon avec les robots, tu penses que le metier va changer comment", "open", []),
        (
            "fr",
            "ok jnote. et en ce moment ca recrute des juniors ux a nantes ou c mort",
            "closed",
            [],
        ),
        ("fr", "bah la jte demandais si les boites embauchent des juniors", "closed", []),
        # Round 15: a referral request taken for a request for secrets ("produit interne").
        (
            "fr",
            "tu connaitrais qq1 que je devrais rencontrer, genre dans une equipe produit interne",
            None,
            ["referral_request"],
        ),
        ("en", "do u think the job will change how", "open", []),
        ("fr", "tu penses que le metier va changer comment avec les robots", "open", []),
        ("en", "do u think the job will change how with robots", "open", []),
        # Round 15: a hand offered was no give-back.
        (
            "fr",
            "si un jour t'as besoin d'un coup de main un samedi, je suis dispo",
            None,
            ["give_back"],
        ),
    ],
)
def test_chat_questions_are_read_as_asked(lang, line, question, intents) -> None:
    from bot.engine.analysis import analyse

    analysis = analyse(line, lang)
    assert (analysis.question, list(analysis.intents)) == (question, intents)


def test_a_question_after_the_purpose_is_answered(personas) -> None:
    """Round 15: "Je voudrais savoir si ce métier est fait pour moi. Ça recrute, en ce
    moment, à Lyon ?" got "Merci, cela m'aide à mieux situer votre démarche": a question
    sentence of its own after a purpose is a question, not part of an introduction."""
    from bot.engine.acts import Context, read
    from bot.engine.analysis import analyse

    line = "Je voudrais savoir si ce métier est fait pour moi. Ça recrute, en ce moment, à Lyon ?"
    act = read(analyse(line, "fr"), "fr", Context(), personas["guarded_insider"])
    assert act.kind == "question"


@pytest.mark.parametrize(
    ("persona_id", "line"),
    [
        ("guarded_insider", "Euh, un peu tout. Vous faites ce métier depuis longtemps ?"),
        (
            "chatty_expert",
            "Et au bout de ces dix ans, qu'est-ce qui vous a décidé à créer votre agence ?",
        ),
        (
            "busy_executive",
            "Et en sortant de l'audit, comment s'est fait le passage côté entreprise ?",
        ),
        # Own play: "…décidée à changer ?" got the future of the regulation.
        (
            "guarded_insider",
            "Vous parliez du laboratoire : qu'est-ce qui vous a décidée à changer ?",
        ),
    ],
)
def test_questions_on_the_host_s_own_path_go_to_the_path(personas, persona_id, line) -> None:
    """Round 15: "Vous faites ce métier depuis longtemps ?" got the profiles of the team,
    "qu'est-ce qui vous a décidé à créer votre agence ?" the other paths of the trade."""
    from bot.engine.acts import Context, read
    from bot.engine.analysis import analyse

    act = read(analyse(line, "fr"), "fr", Context(), personas[persona_id])
    assert act.topic == "career_path"


def test_the_step_after_the_audit_is_the_next_step_of_the_path(personas) -> None:
    """Round 15: "en sortant de l'audit…, comment s'est fait le passage côté entreprise ?"
    got the business school again."""
    meeting = _play(
        personas["busy_executive"],
        "fr",
        [
            "Bonjour Madame Delmas, je suis Julie, Stéphane Aubert m'a conseillé de vous "
            "contacter ; je voudrais comprendre votre métier, je ne cherche pas de poste.",
            "Quel a été votre parcours ?",
            "Et en sortant de l'audit, comment s'est fait le passage côté entreprise ?",
        ],
        seed=15,
    )
    assert "groupe verrier" in meeting.state.turns[-1].reply


def test_the_pay_of_the_role_asked_not_of_the_one_said_a_peu_pres(personas) -> None:
    """Round 15: "un chef d'equipe qui debute ca gagne cb a peu pres" got the pickers' pay,
    whose answer says "à peu près" too."""
    meeting = _play(
        personas["laconic_host"],
        "fr",
        [
            "salut nadia, moi c mehdi, cariste interim depuis 2 ans, c karim qui m'a filé ton "
            "contact, je veux devenir chef d'equipe, je cherche pas de taf",
            "un chef d'equipe qui debute ca gagne cb a peu pres",
        ],
        seed=15,
    )
    assert meeting.state.turns[-1].reply.startswith("Chef d'équipe")


def test_the_last_reply_breaks_a_tie_only_for_a_question_that_goes_on(personas) -> None:
    """Own play: "tu utilises quels outils" right after the typical day ("…des arbitrages
    sur les effectifs") got the AI answer ("…le calcul des effectifs"): the last reply only
    chooses among answers when the question goes on from it."""
    meeting = _play(
        personas["laconic_host"],
        "fr",
        [
            "Bonjour, je suis Mehdi, cariste.",
            "tu fais quoi dans une journée",
            "tu utilises quels outils",
        ],
        seed=21,
    )
    assert meeting.state.turns[-1].reply.startswith("Le WMS pilote tout")


def test_calling_the_visitor_by_name_keeps_i_a_capital(personas) -> None:
    """Own play: "Alex, i started with a two-year multimedia diploma…"."""
    meeting = _play(
        personas["curious_host"],
        "en",
        [
            "Hello Mr Nguyen, I'm Alex. Léa Fournier suggested I contact you. I spent ten years "
            "in hotel management and I'm moving into UX design; I'm not looking for a job, I'd "
            "like to understand your work.",
            "Do you mind if I take notes?",
            "How did you get into UX?",
        ],
        seed=22,
    )
    assert meeting.state.turns[-1].reply.startswith("Alex, I started")


@pytest.mark.parametrize(
    ("lang", "line", "topics"),
    [
        # Round 15: "What do I love? The moment the doors open…"
        ("en", "Is project manager a job I could do?", {"project_feedback", "advice"}),
        ("en", "Could someone like me move into events?", {"project_feedback", "advice"}),
        ("en", "Do I need to learn Python?", {"training"}),
        ("fr", "C'est un métier pour moi, vous croyez ?", {"project_feedback", "advice"}),
        ("fr", "J'ai mes chances avec mon profil ?", {"project_feedback", "advice"}),
    ],
)
def test_a_question_on_the_visitor_s_own_case_gets_an_opinion_on_it(
    personas, lang: str, line: str, topics: set[str]
) -> None:
    """The visitor asks about their own chances or what they must learn: the host answers
    that, not its favourite part of the job."""
    intro = {
        "en": "Hello, I'm Sam, I run a retail shop and Karim sent me: I'm thinking of "
        "moving into event management.",
        "fr": "Bonjour, je suis Sam, je gère une boutique et c'est Karim qui m'envoie : "
        "je pense me reconvertir dans l'événementiel.",
    }[lang]
    persona = personas["chatty_expert"]
    turn = _play(persona, lang, [intro, line]).state.turns[-1]
    assert turn.answered in topics, (turn.act, turn.topic, turn.reply)


@pytest.mark.parametrize(
    ("persona", "lang", "lines", "expected"),
    [
        (
            "sceptic",
            "fr",
            ["Combien gagne un poseur qui débute ?", "Et un chargé d'affaires ?"],
            "chargé d'affaires",
        ),
        (
            "laconic_host",
            "en",
            ["How much does an order picker earn when starting?", "And a team leader?"],
            "Team leader",
        ),
    ],
)
def test_a_question_without_its_verb_asks_the_last_question_again(
    personas, persona: str, lang: str, lines: list[str], expected: str
) -> None:
    """Round 15: "Et un chargé d'affaires ?" right after the pay of a fitter got where the
    business managers work (the host's words for them were in its remote-work line)."""
    intro = {
        "fr": "Bonjour, je suis Kevin, électricien depuis quatre ans, mon cousin Paul m'a "
        "donné votre nom. Je voudrais comprendre le métier.",
        "en": "Good morning. I'm Claire, six years in customer service; Julien Morel "
        "suggested I contact you. I'd like to understand the job.",
    }[lang]
    turns = _play(personas[persona], lang, [intro, *lines]).state.turns
    assert turns[-2].answered == "pay"
    assert turns[-1].answered == "pay" and expected in turns[-1].reply, turns[-1].reply


def test_the_jobs_in_a_company_like_yours_are_not_its_competitors(personas) -> None:
    """ "Quels sont les métiers dans une entreprise comme la vôtre ?" got the big developers
    of the region."""
    turn = _play(
        personas["sceptic"],
        "fr",
        [
            "Bonjour, je suis Kevin, électricien, mon cousin Paul m'a donné votre nom.",
            "Quels sont les métiers dans une entreprise comme la vôtre ?",
        ],
    ).state.turns[-1]
    assert turn.answered == "profiles", (turn.answered, turn.reply)


@pytest.mark.parametrize(
    ("persona", "lang", "lines", "fits", "not_for"),
    [
        (
            # Round 15: "Faites un pic en intérim" to a temp of two years.
            "laconic_host",
            "fr",
            [
                "slt jsuis kevin, intérimaire depuis 2 ans comme préparateur, julien m'a "
                "filé ton contact",
                "tu me conseillerais quoi pour devenir chef d'équipe",
            ],
            "Vous connaissez déjà le terrain",
            "Faites un pic en intérim",
        ),
        (
            # Round 15: the route "for a career changer with no electrical trade" to an
            # electrician of four years.
            "sceptic",
            "en",
            [
                "hi im tom, been doing electrician work 4 yrs n thinking abt solar. my cousin "
                "paul said u might talk to me",
                "as an electrician wat would i need to learn extra, like certif or smth?",
            ],
            "You're an electrician already",
            "no electrical trade",
        ),
    ],
)
def test_advice_fits_what_the_visitor_said_of_themselves(
    personas, persona: str, lang: str, lines: list[str], fits: str, not_for: str
) -> None:
    reply = _play(personas[persona], lang, lines).state.turns[-1].reply
    assert fits in reply and not_for not in reply, reply


def test_an_answer_for_one_trade_is_never_given_to_another(personas) -> None:
    """The electrician's route is no answer for a baker, and a question about the host's
    start ("t'étais électricien au début ?") tells nothing of the visitor."""
    host = personas["sceptic"]
    for lines in (
        ["Bonjour, je suis boulanger depuis dix ans, Bernard m'a donné votre nom."],
        ["Bonjour, je suis Marc. Vous étiez électricien au début ?"],
    ):
        for seed in range(3):
            meeting = _play(host, "fr", [*lines, "Quelle formation faut-il suivre ?"], seed=seed)
            assert "Vous êtes électricien" not in meeting.state.turns[-1].reply


@pytest.mark.parametrize(
    ("lines", "topic"),
    [
        # Round 16: "OK." — a texted question without its mark, after the purpose.
        (
            [
                "hi im tom, electrician 4 yrs, my cousin paul gave me ur name",
                "just wanna understand how the job works b4 i do a training. how did u get "
                "into solar",
            ],
            "career_path",
        ),
    ],
)
def test_a_texted_question_without_its_mark_is_answered(
    personas, lines: list[str], topic: str
) -> None:
    turn = _play(personas["sceptic"], "en", lines, seed=16).state.turns[-1]
    assert turn.answered == topic, (turn.act, turn.reply)


def test_like_how_asks_a_follow_up(personas) -> None:
    """Round 16: "u said ull have to sell differently, like how" got "I see. That's
    clearer."."""
    from bot.engine.analysis import analyse

    for lang, line in (
        ("en", "u said ull have to sell differently, like how"),
        ("fr", "tu disais qu'il faudra vendre autrement, genre comment"),
    ):
        assert analyse(line, lang).question == "open", line


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fr", "Qu'est-ce que cela change pour les profils que vous recrutez ?"),
        ("en", "do companies hire ppl like me"),
    ],
)
def test_asking_how_hiring_works_is_no_job_request(personas, lang: str, line: str) -> None:
    """Round 16: "…pour les profils que vous recrutez ?" got "Je ne recrute pas… postulez par
    le circuit normal", and the feedback took Respect down for it."""
    from bot.engine.analysis import analyse

    assert "job_request" not in analyse(line, lang).intents


def test_a_cold_host_still_answers_a_fair_question(personas) -> None:
    """Round 16: after a job request and a request for the exact profit, "Is the salary
    good for a beginner in finance?" got "Let's move on.": only the guarded host clams up;
    another answers, briefly."""
    lines = [
        "Hi, I'm Sam. I'm sort of interested in finance, I think.",
        "Ok. Do you have any jobs open in your finance team? I could start quite soon.",
        "Fine. How much does your company make in profit, like the exact number?",
        "Is the salary good for a beginner in finance?",
    ]
    turn = _play(personas["busy_executive"], "en", lines, seed=16).state.turns[-1]
    assert turn.answered == "pay", turn.reply


@pytest.mark.parametrize("seed", range(6))
def test_a_brief_host_s_yes_or_no_agrees_with_its_answer(personas, seed: int) -> None:
    """Round 16: "Plutôt non. Trois canaux : … des cabinets spécialisés…" to "Vous passez
    par des cabinets pour recruter ?", and "Cela dépend de l'usine." to "Vous êtes DAF
    depuis longtemps ?": the lead was drawn at random."""
    lines = [
        "Bonjour Madame, je suis Julien Faure, je regarde un peu tout ce qui est finance.",
        "Vous êtes DAF depuis longtemps ?",
        "Et vous passez par des cabinets pour recruter ?",
    ]
    turns = _play(personas["busy_executive"], "fr", lines, seed=seed).state.turns
    assert not turns[1].reply.startswith("Cela dépend"), turns[1].reply
    assert turns[1].answered == "career_path", turns[1].reply
    assert not turns[2].reply.startswith(("Plutôt non", "Rarement")), turns[2].reply


def test_a_quoted_detail_gets_its_detail_not_the_topic_a_word_suggests(personas) -> None:
    """A reading of this session: "Vous parliez du courant continu : qu'est-ce qui change
    concrètement sur un chantier ?" got the future of the market ("change"); and the
    electrician's route says nothing of the visitor's gender ("Vous êtes électricien" to
    Inès, électricienne)."""
    lines = [
        "Bonjour Monsieur Olivier, je suis Inès, électricienne depuis cinq ans dans le "
        "tertiaire ; Bernard m'a donné votre nom. Je ne cherche pas de poste, je veux "
        "comprendre le solaire avant de me former.",
        "Cela vous dérange si je prends quelques notes ?",
        "Comment êtes-vous passé de l'électricité du bâtiment au solaire ?",
        "Et côté formation, qu'est-ce qui me manquerait, à moi, pour poser du photovoltaïque ?",
        "Vous parliez du courant continu : qu'est-ce qui change concrètement sur un chantier ?",
    ]
    turns = _play(personas["sceptic"], "fr", lines, seed=5).state.turns
    assert turns[3].reply.startswith("Vous êtes du métier"), turns[3].reply
    assert "courant continu" in turns[4].reply and turns[4].answered == "training", turns[4]


def test_what_a_role_makes_is_its_pay(personas) -> None:
    """A reading of this session: "how much does a picker make" got what the host would
    improve ("Reliable forecasts from the client…"), then "and a team leader?" the same."""
    lines = [
        "hi, im jess. i work in a shop. i want to see if warehouse work is ok for me",
        "how much does a picker make",
        "and a team leader?",
    ]
    turns = _play(personas["laconic_host"], "en", lines, seed=7).state.turns
    assert [t.answered for t in turns[1:]] == ["pay", "pay"], [t.reply for t in turns]
