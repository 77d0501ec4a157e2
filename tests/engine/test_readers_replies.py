"""Replies the readers of rounds 16 and 17 judged wrong, replayed on the real personas
(their lines, word for word): each test fails on the code they read."""

from __future__ import annotations

import itertools
import re

import pytest

from bot.engine import routing
from bot.engine.meeting import Meeting
from bot.engine.personas import Persona
from bot.engine.text import split_sentences


def _play(persona: Persona, lang: str, lines: list[str], seed: int = 16) -> Meeting:
    meeting = Meeting.start(persona, lang, seed=seed)
    for line in lines:
        meeting.say(line)
    return meeting


def _opens_with(reply: str, text: str) -> bool:
    """The reply opens with ``text``, or with the visitor's name then ``text`` ("Sam, my day
    starts…": the host uses the name it remembered now and then)."""
    return reply.startswith(text) or bool(
        re.match(rf"[A-ZÉ][\w-]+, {re.escape(text[:1].lower() + text[1:])}", reply)
    )


TEXTING_INTRO = (
    "no worries lol. im sam, didier's cousin, i worked 5 yrs in retail n i wanna move into "
    "social economy stuff like ur recyclerie. not asking 4 a job just wanna understand how it works"
)


def test_a_texted_question_asked_again_gets_the_next_part_of_the_day(personas) -> None:
    """ "n wats ur day like" was a comment ("Hm, I see. And how can I help you with
    that?"); asked again ("lol i mean wat do u actually do all day") it got the five steps
    of an integration pathway, a long answer that shared two stray words with the first."""
    host = personas["puzzled_friend"]
    day = host.answers("typical_day", "en")
    meeting = _play(
        host,
        "en",
        [
            TEXTING_INTRO,
            "ok. n wats ur day like here, like a normal tuesday",
            "lol i mean wat do u actually do all day, ur typical day as director",
            "how does a typical day look 4 u",
        ],
    )
    first, again, third = meeting.state.turns[1:]
    assert (first.act, first.topic) == ("question", "typical_day")
    assert _opens_with(first.reply, day[0].say)
    assert again.reply.startswith(day[1].say)  # the author's next part of the day
    assert third.reply.startswith(day[2].say)


def test_you_said_before_the_question_says_which_detail_is_asked(personas) -> None:
    """ "You said you miss designing. Do you still manage to get your hands on a project
    now and then, and which part do you keep for yourself?" got the story of the client
    who made up 45 % of the studio's revenue: only the question sentence was read."""
    host = personas["curious_host"]
    lines = [
        "Thanks so much, a coffee would be lovely. I'm Camille Martin; I spent six years as a "
        "graphic designer in a print agency and I'm now moving into UX design. Léa suggested "
        "I talk to you; I'm not looking for a job.",
        "What does a typical week look like for you now, as a co-founder of the studio?",
        "You said you miss designing. Do you still manage to get your hands on a project now "
        "and then, and which part do you keep for yourself?",
    ]
    week, miss = _play(host, "en", lines).state.turns[1:]
    assert "I miss it" in week.reply
    assert miss.reply.startswith("Designing, I really do miss it."), miss.reply


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "which skills do you look for in a junior?"),
        (
            "en",
            "Coming back to my own move: which skills do you look for first in a junior UX "
            "designer who comes from graphic design?",
        ),
        ("en", "what do you look at first in a portfolio?"),
        ("fr", "qu'est-ce que tu regardes en premier chez un junior qui vient du graphisme"),
    ],
)
def test_what_a_recruiter_looks_for_is_hiring(personas, lang: str, line: str) -> None:
    """Round 16: "which skills do you look for first in a junior…" got what the host would
    have done differently; the short form went to no topic at all."""
    assert routing.route(line, lang, personas["curious_host"]) == "hiring"


def test_a_weak_visitor_s_plain_questions_get_their_own_answers(personas) -> None:
    """A weak visitor with the chatty expert: "Is it a good job, events?" got regulatory
    trends, "Did you always do events?" a follow-up on them, "does it pay well at the
    start?" the Paris premium (its answer also says "events", the host's everyday word),
    "Do you use AI tools?" the basic tools, and "your margin on a pharma congress" was
    answered as a question on the agency."""
    host = personas["chatty_expert"]
    lines = [
        "Hi, yes, thanks. So, I'm Julien, I'm kind of looking at events, things like that.",
        "Well, just to see, I guess. Is it a good job, events?",
        "Ok. Did you always do events?",
        "Is the pay good in events? Like, does it pay well at the start?",
        "Ok. Do you use AI tools in the agency?",
        "Ok. And your agency, how much turnover do you make in a year? And what's your margin "
        "on a pharma congress?",
    ]
    turns = _play(host, "en", lines).state.turns
    good, always, pay, tools, margin = turns[1:]
    assert (good.act, good.topic) == ("question", "likes")
    assert (always.act, always.topic) == ("question", "career_path")
    assert "junior project manager starts at" in pay.reply, pay.reply
    assert pay.reply.find("junior") < pay.reply.find("Paris") or "Paris" not in pay.reply
    assert tools.reply.startswith("Artificial intelligence"), tools.reply
    assert margin.act == "confidential_request"


LACONIC_EN = [
    "No problem at all, I hope the truck gets sorted. I'm Léa Martin; I spent five years as a "
    "team leader in retail stores and I'm moving into warehouse operations. Karim Benali, who "
    "works with your transport team, suggested I talk to you. I'm not looking for a job here.",
    "Could you walk me through a typical day on this site?",
]


def test_you_said_x_gets_the_detail_behind_x_not_a_new_answer_sharing_words(personas) -> None:
    """ "You said deciding where to put people: how do you make that call each morning?"
    got what the host likes ("the client calls me the next morning"): "call" and "morning"
    outweighed the staffing decisions behind what was quoted."""
    host = personas["laconic_host"]
    lines = [
        *LACONIC_EN,
        "You said deciding where to put people: how do you make that call each morning?",
    ]
    day, call = _play(host, "en", lines).state.turns[1:]
    assert "deciding where to put people" in day.reply
    assert "Staffing decisions" in call.reply, call.reply


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "en",
            [
                *LACONIC_EN,
                "How is automation or software changing the job on your site?",
                "And how did the team react to it — was there pushback at first?",
            ],
        ),
        (
            "fr",
            [
                "Bonjour, je suis Léa, chef d'équipe en magasin pendant cinq ans, Karim Benali "
                "m'a donné votre nom. Je voudrais comprendre le métier.",
                "Et le picking vocal, comment les équipes ont réagi ?",
            ],
        ),
    ],
)
def test_how_the_team_took_a_new_tool_is_told(personas, lang: str, lines: list[str]) -> None:
    """ "And how did the team react to it — was there pushback at first?" got "Can't tell
    you. I know this site and its jobs, nothing further": "it" was not read as the voice
    picking just described, and the host knew nothing of how it was received."""
    reply = _play(personas["laconic_host"], lang, lines).state.turns[-1].reply
    assert ("reacted badly" if lang == "en" else "mal réagi") in reply, reply


def test_the_cfo_s_studies_and_her_audit_years(personas) -> None:
    """ "Did you study finance at university?" got "I understood that finance decides…"
    ("finance", the CFO's everyday word, chose the answer) and "Big Four audit, was that
    hard?" what the Big Four are, or what she would have done differently."""
    host = personas["busy_executive"]
    lines = [
        "Hi, I'm Sam. I'm sort of interested in finance, I think.",
        "Ok. Did you study finance at university?",
        "Big Four audit, was that hard?",
    ]
    studies, hard = _play(host, "en", lines).state.turns[1:]
    assert studies.reply.startswith("Business school in Reims"), studies.reply
    assert hard.reply.startswith("Hard, yes"), hard.reply
    fr = _play(
        host,
        "fr",
        [
            "Bonjour, je suis Sam, je m'intéresse à la finance.",
            "Quel a été votre parcours ?",
            "L'audit dans un Big Four, c'était dur ?",
        ],
    )
    assert fr.state.turns[-1].reply.startswith("Dur, oui"), fr.state.turns[-1].reply


@pytest.mark.parametrize(
    ("persona", "lang", "line", "topic"),
    [
        (
            "laconic_host",
            "fr",
            "ah ouai tous les postes, et c quoi ki t'as fait passer de prepa a chef? y a eu un "
            "declic",
            "career_path",
        ),
        ("sceptic", "fr", "Et il y a du travail dans ce secteur en ce moment ?", "skills_gap"),
        ("sceptic", "fr", "Vous faites surtout des toitures agricoles ?", "organisation"),
        ("sceptic", "en", "do u guys mostly do farm roofs", "organisation"),
        ("puzzled_friend", "en", "k. n is the sector hiring rn in lille", "skills_gap"),
    ],
)
def test_everyday_questions_of_round_16_find_their_topic(
    personas, persona: str, lang: str, line: str, topic: str
) -> None:
    """Round 16 (French readers): the laconic host's own switch got "Je ne sais pas. Je
    connais ce site…", "il y a du travail dans ce secteur ?" what is hardest, "Vous faites
    surtout des toitures agricoles ?" a beginner's mistake."""
    assert routing.route(line, lang, personas[persona]) == topic


def test_the_profiles_one_recruits_is_no_job_request(personas) -> None:
    """ "…qu'est-ce que cela change pour les profils que vous recrutez dans votre équipe ?"
    got "Je ne recrute pas en quinze minutes. Postulez par le circuit normal." """
    meeting = _play(
        personas["busy_executive"],
        "fr",
        [
            "Bonjour, je suis Sam, contrôleur de gestion, je ne cherche pas de poste.",
            "La moitié du reporting automatisée : qu'est-ce que cela change pour les profils "
            "que vous recrutez dans votre équipe ?",
        ],
    )
    assert meeting.state.turns[-1].act != "job_request"
    asked = _play(personas["busy_executive"], "fr", ["Vous recrutez en ce moment ?"])
    assert asked.state.turns[-1].act == "job_request"  # the request itself still is one


def test_a_texting_visitor_s_when_and_how_did_you_switch_is_the_host_s_path(personas) -> None:
    """ "et c'est quand que t'es passé au design ux du coup" got networking advice ("du coup"
    read as a rare word), and "jte demandais toi perso, comment t'as basculé de
    l'intégration vers l'ux" advice on how to ask questions; "ça se négocie si on a déjà
    de l'xp en dev ?" right after the junior pay got how the studio negotiates with clients."""
    host = personas["curious_host"]
    lines = [
        "salut thomas merci pr le café jsuis karim, léa m'a parlé de toi. jsuis dev front "
        "depuis 3 ans et jveux passer ux designer, jcherche pas de taf hein c juste pr "
        "comprendre ton métier",
        "c koi ton parcours toi, t'as tjrs été designer ?",
        "ah ouais l'intégration jconnais bien lol. et c'est quand que t'es passé au design ux "
        "du coup",
        "ok. et niveau salaire un ux junior a nantes ça tourne autour de combien",
        "32k aïe c moins que mon salaire de dev actuel. ça se négocie si on a deja de l'xp en "
        "dev ?",
    ]
    turns = _play(host, "fr", lines).state.turns
    assert _opens_with(turns[2].reply, "Le tournant, c'est 2011"), turns[2].reply
    assert turns[4].answered == "pay", turns[4].reply
    asked = "jte demandais toi perso, comment t'as basculé de l'intégration vers l'ux"
    assert routing.route(asked, "fr", host) == "career_path"


def test_a_reaction_before_a_question_on_hiring_asks_for_no_secret(personas) -> None:
    """ "Ah, la trésorerie. Du coup vous pouvez pas embaucher en ce moment ?" was read as a
    request for the accounts: the host's word echoed first, not the question, decided."""
    from bot.engine.analysis import analyse
    from bot.engine.requests import with_requests

    line = "Ah, la trésorerie. Du coup vous pouvez pas embaucher en ce moment ?"
    assert "confidential_request" not in with_requests(analyse(line, "fr"), "fr").intents
    secret = "Ah d'accord. Et vos marges sur ce contrat, c'est combien ?"
    assert "confidential_request" in with_requests(analyse(secret, "fr"), "fr").intents


def test_a_contact_asked_with_the_host_s_name_is_a_referral_request(personas) -> None:
    """ "tu connaîtrais qqn… que je pourrais contacter de ta part ?" got "Tu pourras citer
    mon nom sans souci, mais pour l'instant je ne t'ai donné aucun contact"."""
    host = personas["curious_host"]
    line = (
        "ah ok. du coup tu connaitrais qqn dans une equipe produit genre chez iadvize que je "
        "pourrais contacter de ta part ?"
    )
    turn = _play(host, "fr", [line]).state.turns[-1]
    assert turn.act == "referral_request"
    assert "aucun contact" not in turn.reply


# Round 17 (fresh readers, seed 17), their lines word for word.
CFO_EN = [
    "Good morning, thank you for seeing me. I'm Julien Moreau; I've spent eight years as "
    "a management controller in a food-processing group, and I want to move to a CFO-"
    "track role in industry. Sophie Lambert, your former audit partner, suggested I meet "
    "you. To be clear, I'm not here to ask for a job, just to understand the finance "
    "director role from the inside.",
    "Would you mind if I take a few notes while we talk? I have four questions prepared: "
    "your path, the job day to day, skills, and where the role is heading.",
    "Let's start with your path: how did you get from audit to running the finance "
    "function of a packaging company?",
    "You said you specialised in manufacturing clients during your audit years: how did "
    "that help when you crossed over to the company side?",
    "What does a typical week look like for you now at Cartonnages de la Vesle?",
]

SCEPTIC_FR = [
    "slt marc, moi c tom, jsuis en bts electrotechnique a toulouse. c bernard qui m'a dit"
    " de venir te voir, jcherche pas de taf jveux juste comprendre ton metier",
    "ok cool merci. jpeux prendre des notes sur mon tel stp",
    "t'as commencé comment toi dans le solaire, t'as fait quoi comme etudes",
    "ah chaud. et apres que ta boite a fermé t'as fait koi, t'as rebondi comment",
    "ok. et mtn une journée normale pour toi ca ressemble a quoi",
    "6 mois a plus d'un an entre la signature et la mise en service ?? pk c aussi long, "
    "ca bloque ou",
    "et pour bosser ds le solaire avec un bts electrotechnique, c koi les competences qui"
    " comptent vraiment pour toi",
    "euh jsuis pas en reconversion hein, jsors de bts. et un technicien qui debute il "
    "touche cmb a peu pres",
    "nn pas pcq c a la mode, g fait mon stage chez un installateur sur des onduleurs et g"
    " kiffé le diagnostic. tu vois le metier evoluer comment avec les batteries et "
    "l'autoconso",
    "la maintenance des vieilles centrales ca m'interesse grave. c qui qui fait ca "
    "concretement, des boites specialisées ou les installateurs eux memes",
    "ok jnote derbi. et les jeunes qui debarquent ds le metier c koi les erreurs qu'ils "
    "font le plus",
    "ah ouais pas con. sinon g un pote de promo en alternance chez enedis au service "
    "raccordement, si ca t'aide pour tes delais jpeux te le presenter",
]


def test_a_typical_week_at_the_host_s_company_is_the_typical_week(personas) -> None:
    """ "What does a typical week look like for you now at Cartonnages de la Vesle?" got
    the story of her hiring, which opened by repeating "CFO of Cartonnages de la Vesle since
    2017", the last words of the reply before."""
    turns = _play(personas["busy_executive"], "en", CFO_EN, seed=17).state.turns
    week = turns[-1]
    assert week.answered == "typical_day", week.reply
    assert "since 2017" not in week.reply


def test_pas_con_is_praise_and_no_sentence_is_said_twice_in_a_row(personas) -> None:
    """ "ah ouais pas con. … jpeux te le presenter" ended the meeting ("Pas sur ce ton.
    C'est terminé."), and "Installateurs et développeurs y vont." was followed by
    "Installateurs et développeurs y vont, mais pas pour les mêmes raisons"."""
    meeting = _play(personas["sceptic"], "fr", SCEPTIC_FR, seed=17)
    turns = meeting.state.turns
    assert turns[-1].act == "offer" and not meeting.ended, turns[-1].reply
    for turn in turns:
        said = [s.strip().rstrip(".") for s in split_sentences(turn.reply)]
        pairs = itertools.pairwise(said)
        assert not any(b.startswith(a) for a, b in pairs if len(a.split()) >= 3), turn.reply


GUARDED_WEAK_EN = [
    "Hello. So, I'm interested in pharma, and regulatory things, I think it could be for me.",
    "Oh, ok. Do you like your job?",
    "Did you study pharmacy to get there?",
    "You said science, law and the factory: do you go to the factory a lot?",
    "Is it mostly paperwork all day?",
    "And how much do you earn yourself, if I may ask? And how many files is your team "
    "working on right now?",
    "Ok, so what is the range for a beginner?",
    "Ok. Is your lab hiring at the moment? Could I give you my CV?",
    "Ok, sorry. Do you use AI in regulatory affairs?",
    "And summarising guidelines, is it reliable?",
    "Do I need a master's to get into it? I have a biology degree.",
    "Ok. And which new drugs is your lab going to submit this year?",
]


def test_a_vague_introduction_the_beginner_range_and_the_pipeline(personas) -> None:
    """A weak visitor with the guarded insider: "I'm interested in pharma, and regulatory
    things" was read as a question and answered with salary ranges; "what is the range for a
    beginner?" then got the three-to-five-year range; "which new drugs is your lab going to
    submit this year?" got "We would need a proper regulatory information management
    system" instead of the refusal this host exists to train."""
    turns = _play(personas["guarded_insider"], "en", GUARDED_WEAK_EN, seed=17).state.turns
    assert turns[0].act != "question" and "?" in turns[0].reply  # she asks who they are
    assert "a junior in regulatory affairs starts at" in turns[6].reply, turns[6].reply
    assert turns[11].act == "confidential_request"


LACONIC_TEXTING_EN = [
    "hi no worries abt the delay. im tom, 26, i did 3 yrs as a driver n now i wanna move "
    "into warehouse supervision. karim from ur logistics training centre gave me ur name."
    " not looking for a job just wanna understand ur work",
    "ok if i take some notes on my phone",
    "so how did u end up running a warehouse, whats ur path",
    "team leader at 26 thats my age lol. what were u doing before that, did u start on the floor",
    "wat does a normal day look like for u on site",
    "u said backlog in the 7.30 meeting, wat do u do concretely when ur behind on volumes",
    "wat skills does a good team leader need, like wat do u look for",
    "ok so wat training shud i do to get there, a diploma or is experience enough",
    "never heard of but qlio lol, wat is it n how long does it take if ur already working",
    "im a driver not a temp tho. anyway how much does a team leader make when starting "
    "out, roughly",
    "i asked about team leaders not pickers. and with all the automation n robots, how do"
    " u see the job in 5 yrs",
]


def test_a_correction_and_the_pay_of_the_role_asked(personas) -> None:
    """ "im a driver not a temp tho. anyway how much does a team leader make when starting
    out, roughly" got a picker's pay: the correction's words and "starts at roughly" chose
    it; "how do u see the job in 5 yrs" got the name of the warehouse software."""
    turns = _play(personas["laconic_host"], "en", LACONIC_TEXTING_EN, seed=17).state.turns
    assert turns[9].reply.startswith("Team leader:"), turns[9].reply
    assert (turns[10].act, turns[10].topic) == ("question", "future"), turns[10].reply


def test_an_electrotechnics_student_is_not_a_career_changer_without_a_trade(personas) -> None:
    """ "jsuis en bts electrotechnique" then "c koi les competences qui comptent" got "Pour
    un reconverti sans métier électrique, un titre professionnel d'électricien"."""
    turns = _play(personas["sceptic"], "fr", SCEPTIC_FR[:7], seed=17).state.turns
    assert "reconverti sans métier" not in turns[6].reply
    assert turns[6].reply.startswith("Vous êtes du métier"), turns[6].reply


def test_a_contact_asked_beside_another_question_gets_both(personas) -> None:
    """ "À ma place… que ferais-tu ? Et y a-t-il quelqu'un… que tu me conseillerais de
    rencontrer ?" got advice only (the request for a contact, read with the advice, was
    vetoed): Referral 0/100 and "next time, ask for a contact" in the feedback. "Je la
    contacterai de votre part si vous m'y autorisez. Et pour le premier pas… ?" was not
    read as asking leave to use the host's name, and its question went unanswered."""
    line = (
        "D'accord. Et à ma place, avec mon profil communication et mutuelle, que ferais-tu "
        "dans les six prochains mois ? Et y a-t-il quelqu'un, par exemple dans une équipe "
        "produit interne, que tu me conseillerais de rencontrer ?"
    )
    turn = _play(personas["curious_host"], "fr", [line]).state.turns[-1]
    assert turn.act == "referral_request" and turn.answered == "advice", turn.reply
    host = personas["guarded_insider"]
    lines = [
        "Bonjour, je suis Julien, technicien qualité depuis six ans ; Hélène m'a donné votre "
        "nom. Je ne cherche pas de poste, je voudrais comprendre votre métier.",
        "Y a-t-il une personne de votre réseau que vous me conseilleriez de rencontrer ?",
        "Merci, je la contacterai de votre part si vous m'y autorisez. Et pour le premier pas, "
        "me conseilleriez-vous plutôt un diplôme universitaire ou une mobilité interne ?",
    ]
    last = _play(host, "fr", lines, seed=17).state.turns[-1]
    assert last.act in ("mention_permission", "referral_request")
    assert last.answered == "advice", last.reply  # the question answered, then the contact


def test_a_sentence_that_compares_comes_with_the_figure_it_compares_to(personas) -> None:
    """Round 18: "A maintenance technician starts a bit lower…" was said alone, as the
    short answer to a pay question: lower than what?"""
    host = personas["sceptic"]
    lines = [
        "Bonjour, je suis Léo, électricien depuis 5 ans, Bernard m'a donné votre nom ; je ne "
        "cherche pas de poste.",
        "Combien gagne un technicien qui débute ?",
    ]
    reply = _play(host, "fr", lines, seed=13).state.turns[-1].reply
    assert "un peu en dessous" in reply and "000" in reply, reply


def test_the_lesson_on_yes_no_questions_is_said_twice_at_most(personas) -> None:
    """Round 18: the curious host scolded about yes/no questions three times in a meeting
    (its own variants, then the shared defaults); now twice at most, whatever the host has."""
    from bot.engine.policy import CLOSED_IRRITATION_MAX

    host = personas["chatty_expert"]
    closed = [
        "Do you like your job?",
        "Do you travel a lot?",
        "Is it stressful?",
        "Do you work weekends?",
        "Is the pay good?",
        "Do you use Excel?",
        "Do you hire juniors?",
        "Is Lyon a good city for events?",
        "Do you work with hotels?",
        "Is it hard to start?",
    ]
    meeting = _play(host, "en", closed, seed=18)
    irritated = [
        t
        for t in meeting.state.turns
        if any(v in t.reply for v in host.say("lines.closed_irritation", "en"))
    ]
    assert 1 <= len(irritated) <= CLOSED_IRRITATION_MAX, [t.reply for t in irritated]


SCEPTIC_STRONG_EN = [
    "Thank you for seeing me, and I understand: I'm not here for a job. I'm Karim, an "
    "electrical engineer with eight years in industrial maintenance at a paper mill. "
    "Bernard suggested I talk to you because I'm thinking of moving into solar for farms,"
    " and I'd like to understand the reality of the trade before deciding anything.",
    "Do you mind if I jot down a few notes while we talk?",
    "How did you end up running a solar company for farms? What was your route into it?",
    "So your first company closed after the tariff freeze. What made you stay in solar "
    "after that, and how did you rebuild?",
    "And after that year of temping, how did you come back to solar and set up on your own?",
]

SCEPTIC_STRONG_FR = [
    "Merci de me recevoir, Monsieur Olivier, et merci à Bernard d'avoir insisté. Je suis "
    "Claire Dumas, ingénieure en génie électrique, huit ans chez un fabricant de tableaux"
    " électriques industriels. Je réfléchis à me reconvertir dans le photovoltaïque pour "
    "les exploitations agricoles, et je viens comprendre le métier de l'intérieur : je ne"
    " cherche pas de poste chez vous et je n'ai pas apporté de CV.",
    "Merci. Cela vous dérange-t-il si je prends quelques notes pendant qu'on parle ?",
    "Pour commencer, comment en êtes-vous venu à créer une entreprise de solaire pour les"
    " fermes et les entreprises ?",
    "Le moratoire de 2010 a fait fermer votre employeur : qu'est-ce qui vous a donné "
    "envie de rester dans le solaire malgré ce coup d'arrêt ?",
    "Et après cette année d'intérim, comment avez-vous décidé de revenir au solaire, à "
    "votre compte cette fois ?",
]


@pytest.mark.parametrize(("lang", "lines"), [("en", SCEPTIC_STRONG_EN), ("fr", SCEPTIC_STRONG_FR)])
def test_how_the_host_came_back_is_the_next_step_of_the_path(personas, lang, lines) -> None:
    """Round 18: "how did you come back to solar and set up on your own?" after the temping
    year got future building rules (en) and how installers are hired (fr)."""
    turn = _play(personas["sceptic"], lang, lines, seed=18).state.turns[-1]
    assert turn.answered == "career_path", turn.reply


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "is it hard to get a job in a place like urs"),
        ("fr", "c'est dur de trouver un boulot dans une structure comme la tienne ?"),
    ],
)
def test_is_it_hard_to_get_a_job_here_is_the_job_market(personas, lang, line) -> None:
    """Own play after round 18: "is it hard to get a job in a place like urs" got "I don't
    know much about that" from the recyclerie's director."""
    assert routing.route(line, lang, personas["puzzled_friend"]) == "skills_gap"


def test_can_someone_like_me_do_it_is_the_visitor_s_own_case(personas) -> None:
    """Round 18: "Do you think someone from admin like me can do UX?" got "I don't know much
    about that" from the studio's co-founder."""
    line = "Do you think someone from admin like me can do UX?"
    assert routing.route(line, "en", personas["curious_host"]) == "project_feedback"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Ok whatever. Is it nice working in a small studio like yours?"),
        ("en", "What is it like to work in a small studio like yours?"),
        ("en", "Is it a nice place to work?"),
        ("fr", "c'est comment de bosser dans un petit studio comme le tien ?"),
        ("fr", "C'est agréable de travailler dans une petite structure ?"),
    ],
)
def test_what_it_is_like_to_work_there_is_the_culture(personas, lang, line) -> None:
    """Round 18: "Is it nice working in a small studio like yours?" got the founding capital
    ("yours" counted as the budget's "your"; "studio comme le tien" as the competitors)."""
    assert routing.route(line, lang, personas["curious_host"]) == "culture"


def test_other_studios_like_yours_are_still_the_competitors(personas) -> None:
    host = personas["curious_host"]
    assert routing.route("Il y a d'autres studios comme le tien à Nantes ?", "fr", host) == (
        "competitors"
    )
    assert routing.route("Vous êtes une petite structure ?", "fr", host) == "organisation"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Hm ok. Is UX going to disappear because of AI?"),
        ("en", "No I meant the job itself. Will AI replace designers?"),
        ("fr", "L'IA va remplacer les designers ?"),
        ("fr", "Le métier va disparaître avec l'IA ?"),
    ],
)
def test_whether_ai_will_replace_the_job_is_its_future(personas, lang, line) -> None:
    """Round 18: "Is UX going to disappear because of AI?" got the research tools, and "Will
    AI replace designers?" what Contentsquare is ("not to replace testing")."""
    assert routing.route(line, lang, personas["curious_host"]) == "future"


def test_asked_again_whether_ai_replaces_designers_the_host_says_it_will_not(personas) -> None:
    """The same meeting, replayed: after the studio's use of AI, the question on the job's
    future is answered from the future, not from the next tool."""
    lines = [
        "Hi. I'm Sam, I'm kind of looking into UX stuff at the moment.",
        "Right. Do you guys use AI a lot now?",
        "Hm ok. Is UX going to disappear because of AI?",
    ]
    turn = _play(personas["curious_host"], "en", lines, seed=18).state.turns[-1]
    assert turn.answered == "future", turn.reply


GUARDED_WEAK_19 = [
    "Hi, so yeah, I'm Kevin, I'm kind of looking at pharma, I saw your profile online.",
    "Oh, right, Hélène. Well, I just finished a master's in biology and I want to see if "
    "regulatory affairs could be for me. Do you like your job?",
    "Cool. Is it hard to get into regulatory affairs?",
    "Combination products, like what, an insulin pen?",
    "Ok. So is your lab hiring at the moment? I could send you my CV today.",
    "Yeah sorry. Do you spend most of the day writing dossiers?",
    "Five steps, ok, what are they?",
    "Ok. Which products is your lab filing next, anything big in the pipeline?",
    "Ah ok sorry. Is the pay good at least for a beginner?",
]


def test_what_a_brief_answer_left_out_is_what_a_follow_up_on_it_gets(personas) -> None:
    """Round 19: "…goes through five steps, from preparing the dossier to approval." then
    "Five steps, ok, what are they?" got the host's afternoons: the steps, said in the
    rest of that answer, never came."""
    turns = _play(personas["guarded_insider"], "en", GUARDED_WEAK_19[:7], seed=19).state.turns
    assert "five steps" in turns[5].reply
    assert turns[6].reply.startswith("First, preparing the data"), turns[6].reply


def test_a_sentence_that_points_back_comes_with_what_it_points_to(personas) -> None:
    """Round 19: "Those are the ranges from surveys…" came alone: no figure was ever given."""
    reply = _play(personas["guarded_insider"], "en", GUARDED_WEAK_19, seed=19).state.turns[-1]
    assert "Those are the ranges" in reply.reply
    assert "36,000" in reply.reply


LACONIC_TEXTING_19 = [
    "hi no worries abt the delay. im sam, 5 yrs as assistant store manager in a supermarket, "
    "karim from ur inbound team gave me ur name. not here for a job, just wanna understand "
    "how a warehouse is run b4 i switch to logistics",
    "ok if i take notes on my phone?",
    "so how did u end up running a warehouse, what was ur path",
    "team leader at 26 thats young, wat were u doing b4 that",
    "5am wow. wats a normal day like 4 u now",
    "wich kpis do u actually look at every morning",
    "ok. coming from a supermarket wat skills wud i be missing to be a team leader here",
    "i had 15 ppl in my store dept. wats diff about running 30 in a warehouse",
    "uh ok. diff question, wat does a new team leader earn roughly, just a range",
    "thx. is automation gonna change the job, like robots n stuff",
    "lol ok fair. how has it changed things here so far",
    "hmm ok. if u were me wud u apply straight as team leader or start on the floor first",
]


def test_a_number_in_the_question_does_not_choose_the_answer(personas) -> None:
    """Round 19: "wats diff about running 30 in a warehouse" got "Building one new would
    cost over 30 million."."""
    turns = _play(personas["laconic_host"], "en", LACONIC_TEXTING_19[:8], seed=19).state.turns
    assert "million" not in turns[-1].reply
    assert turns[-1].answered != "budget"


def test_it_after_a_bare_yes_is_what_the_visitor_asked_about(personas) -> None:
    """Round 19: "is automation gonna change the job" "Yep." "how has it changed things
    here so far" got what would make the host's job easier (forecasts)."""
    turns = _play(personas["laconic_host"], "en", LACONIC_TEXTING_19[:11], seed=19).state.turns
    assert turns[-2].reply == "Yep."
    assert (turns[-1].act, turns[-1].topic) == ("question", "future"), turns[-1].reply


def test_if_u_were_me_wud_u_is_a_request_for_advice(personas) -> None:
    """Round 19: "if u were me wud u apply straight as team leader or start on the floor
    first" (no question mark) got "Hm. Anything else?"."""
    turn = _play(personas["laconic_host"], "en", LACONIC_TEXTING_19, seed=19).state.turns[-1]
    assert (turn.act, turn.topic) == ("question", "advice"), turn.reply


@pytest.mark.parametrize(
    ("persona", "lang", "line", "referrer"),
    [
        ("guarded_insider", "en", GUARDED_WEAK_19[0], "Hélène"),
        ("sceptic", "fr", "Bonjour, je suis Paul, j'ai vu votre profil sur LinkedIn.", "Bernard"),
        ("sceptic", "en", "Hi, I'm Paul. I found your company online.", "Bernard"),
    ],
)
def test_a_visitor_who_found_the_host_alone_was_sent_by_nobody(
    personas, persona, lang, line, referrer
) -> None:
    """Round 19: "I saw your profile online" got "Hélène didn't give me many details", and a
    visitor who found the firm online "Bernard said you wanted to see me"."""
    for seed in range(6):
        reply = _play(personas[persona], lang, [line], seed=seed).state.turns[0].reply
        assert referrer not in reply, reply


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "en",
            "Budget season from October to December, noted. Which skills from audit carried "
            "over for you, and which did you have to learn on the job?",
        ),
        ("fr", "Quelles compétences de l'audit vous ont servi ?"),
    ],
)
def test_what_carried_over_from_the_host_s_past_job_is_its_path(personas, lang, line) -> None:
    """Round 19: "Which skills from audit carried over for you…?" after "budget season"
    got what a corrugator costs (the reaction's "budget" chose the topic)."""
    meeting = _play(personas["busy_executive"], lang, [line], seed=19)
    assert meeting.state.turns[-1].topic == "career_path"


CFO_STRONG_EN_19 = [
    "Good morning, Ms Delmas, thank you for seeing me. I'm Claire Dubois, eight years in "
    "audit at a Big Four firm, and Julien Marchetti, your former audit partner, suggested I"
    " talk to you. I'm not asking for a job: I want to understand the finance director role"
    " in a mid-sized industrial company before I move into industry.",
    "Do you mind if I take a few notes? I'd like to cover three points in our fifteen "
    "minutes: your path to CFO, what the job really demands day to day, and how you'd judge"
    " my move from audit.",
    "Let's start with your path: how did you end up as CFO of a packaging company?",
    "So you came from audit too, specialised in manufacturing. What made you leave as a "
    "manager, and how did the first years in industry go?",
    "Second point, then: what does a typical week look like for you as CFO of Cartonnages "
    "de la Vesle?",
    "You look at the cash position every single morning. Why daily, and what do you do when"
    " the figure surprises you?",
]


def test_a_statement_that_repeats_the_host_s_words_quotes_them(personas) -> None:
    """Round 19: "You look at the cash position every single morning. Why daily, and what do
    you do when the figure surprises you?" got the monthly calendar: only "You said…" made
    a quote, and the question's own words found nothing behind the morning."""
    turn = _play(personas["busy_executive"], "en", CFO_STRONG_EN_19, seed=19).state.turns[-1]
    assert turn.reply.startswith("The cash position arrives at 8.30"), turn.reply


CFO_WEAK_FR_19 = [
    "Bonjour, euh, je m'appelle Julien, je cherche un peu dans la finance en ce moment.",
    "Ben, voir un peu comment ça marche chez vous, c'est Stéphane qui m'a donné votre nom.",
    "Vous êtes DAF depuis longtemps ?",
    "Et l'audit dans le Big Four, c'était dur ?",
    "Et maintenant, vos journées c'est surtout des réunions ?",
    "D'accord. Et la trésorerie le matin, vous regardez quoi dedans ?",
    "Ah ok. Et votre entreprise, elle fait combien de marge exactement cette année ?",
    "Pardon. Un débutant en contrôle de gestion, ça gagne bien chez vous ?",
    "Euh, pas grand-chose, j'ai pas trop eu le temps de regarder.",
    "Les 40 000 à 45 000 pour un junior, il y a des primes en plus ?",
]


def test_dedans_is_no_word_of_the_host_s_trade(personas) -> None:
    """Round 19: "Et la trésorerie le matin, vous regardez quoi dedans ?" got what a new
    corrugator costs ("dedans" was a rare word of the host's lines)."""
    lines = CFO_WEAK_FR_19[:6]
    turn = _play(personas["busy_executive"], "fr", lines, seed=19).state.turns[-1]
    assert "trésorerie" in turn.reply, turn.reply
    assert "onduleuse" not in turn.reply


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "fr",
            "Je note la Fresque et le SST, merci. Si ce n'est pas indiscret sur le principe, "
            "quelle fourchette de salaire peut espérer un chef de projet junior en agence à Lyon ?",
        ),
        ("en", "If it's not too personal, what salary range can a junior expect?"),
    ],
)
def test_a_junior_s_pay_range_asked_politely_is_no_secret(personas, lang, line) -> None:
    """Round 19: "Si ce n'est pas indiscret…, quelle fourchette de salaire… junior" got
    "les budgets précis de mes clients, je ne peux pas", and Respect 35/100."""
    turn = _play(personas["chatty_expert"], lang, [line], seed=19).state.turns[-1]
    assert turn.act != "confidential_request"
    assert turn.answered == "pay", turn.reply


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "You asked me a lot, sorry. Still, how much do you earn, if it's not too personal?"),
        ("fr", "Si ce n'est pas indiscret, vous gagnez combien ?"),
    ],
)
def test_the_host_s_own_pay_asked_politely_is_still_personal(personas, lang, line) -> None:
    turn = _play(personas["chatty_expert"], lang, [line], seed=19).state.turns[-1]
    assert turn.act == "confidential_request", turn.reply


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "fr",
            "Oh non, pas du tout vos clients ! Je pensais seulement à un ordre de grandeur de "
            "salaire brut annuel pour un chef de projet débutant.",
        ),
        ("en", "No, I was asking about the typical day."),
    ],
)
def test_a_question_said_again_with_a_full_stop_is_a_question(lang, line) -> None:
    """Round 19: "Je pensais seulement à un ordre de grandeur de salaire…" got "Ah, c'est bien
    vrai. Allez-y, je vous écoute, posez-moi vos questions."."""
    from bot.engine.analysis import analyse

    assert analyse(line, lang).question == "open"


def test_whether_one_can_get_into_the_trade_is_no_job_request(personas) -> None:
    """Round 19: "pr qqn qui sort de chimie…, c possible de rentrer dans le réglementaire ou c
    fermé" got "Je ne recrute pas par ce biais"."""
    line = (
        "c qui hélène ? et du coup pr qqn qui sort de chimie et pas de pharma, c possible de "
        "rentrer dans le réglementaire ou c fermé"
    )
    turn = _play(personas["guarded_insider"], "fr", [line], seed=19).state.turns[-1]
    assert turn.act != "job_request", turn.reply


RECYCLERIE_STRONG_EN_19_ALL = [
    "No problem at all, and yes, a coffee would be lovely, thank you. I'm Claire Dubois; "
    "Sophie Martin from the Lille volunteer network suggested I contact you. I've spent "
    "eight years as a logistics coordinator at a retail chain, and I'm considering a move"
    " into the social and solidarity economy, ideally at a work-integration organisation "
    "like yours. I'm not here to ask for a job: I'd like to understand how your work "
    "really goes, day to day.",
    "Would you mind if I took a few notes while we talk?",
    "Ha, I'll take one, thanks. To start, could you tell me how you came to run a "
    "recyclerie? What was your path before this?",
    "Only a little, I've been to the Fives Cail market hall. So you started in "
    "accounting, convinced you were made for numbers: what changed your mind?",
    "I understand the reporting frustration. But I'm curious about the switch itself: how"
    " did an accountant end up running a recyclerie in Fives?",
    "You said you agreed to earn less. What kind of salary range should someone expect "
    "when starting out in a work-integration structure, say as a supervisor?",
    "That's helpful, thank you for being frank. What does a technical supervisor actually"
    " do over a typical day here?",
    "You mentioned meeting companies that might hire one of your people. How does that "
    "placement work in practice, and how often does it succeed?",
    "Good to know. Coming from logistics, which skills do you think would transfer well, "
    "and what would I be missing for supervising people in integration?",
    "Supporting someone who hasn't worked in ten years sounds like the hard part. Is "
    "there a training or qualification you'd recommend to learn that side of the job?",
    "Thanks, I'll look into Transitions Pro. Looking ahead, how do you see recycleries "
    "evolving over the next five years, with the anti-waste law and funding pressures?",
    "When you say the question is who'll get hold of it, who are you competing with for "
    "that supply?",
    "That's where I might be useful in return: I know the CSR manager at my retail chain,"
    " who's looking for partners to take back returned furniture. Would an introduction "
    "be helpful to you?",
    "I'll send you her details. Is there someone else you think I should meet to "
    "understand the sector, perhaps a technical supervisor or another integration "
    "structure?",
    "Thank you, that's very generous. May I tell her that you suggested I get in touch?",
    "Perfect. Thank you very much for your time and your frankness, Laurent. I'll send "
    "you the CSR contact tomorrow and let you know how my conversation with Amandine "
    "goes.",
]

RECYCLERIE_STRONG_EN_19 = RECYCLERIE_STRONG_EN_19_ALL[:13]

RECYCLERIE_WEAK_FR_19 = [
    "Oui merci. Bonjour, je suis Kevin. Voilà, je cherche un peu dans le secteur, on m'a "
    "dit de venir vous voir.",
    "Ben je sais pas trop, le recyclage ça m'intéresse. C'est bien de travailler dans une"
    " recyclerie ?",
    "Un peu tout ça. J'ai fait de la vente chez Décathlon et là j'ai envie d'autre chose,"
    " un truc plus utile quoi.",
    "Ben savoir comment ça se passe ici. Vous faites quoi vous exactement ?",
    "Je sais pas, c'est plus humain je pense. Vous étiez comptable avant ?",
    "Et du coup vous avez changé pourquoi, vous en aviez marre des chiffres ?",
    "D'accord. Et vous recrutez en ce moment ? Parce que moi je cherche un poste, "
    "n'importe quoi ça me va.",
    "Un jury ? C'est dur d'être pris ?",
    "Ok. Et vous vous gagnez combien par mois, si c'est pas indiscret ?",
    "Ah ok pardon. Quelqu'un qui débute ici il gagne combien alors ?",
    "Non jamais. Encadrant technique il faut un diplôme pour ça ?",
    "Ok. Et vous pensez que les recycleries ça a de l'avenir ?",
    "Le sport aussi ? Moi je connais bien le matériel de sport avec Décathlon, ça peut "
    "servir chez vous ?",
]


def test_an_offer_of_an_introduction_is_thanked_as_a_contact(personas) -> None:
    """Round 19: "I know the CSR manager… Would an introduction be helpful to you?" got
    "Well, I didn't know that. See, I'm learning something today too."."""
    host = personas["puzzled_friend"]
    turn = _play(host, "en", RECYCLERIE_STRONG_EN_19, seed=19).state.turns[-1]
    assert turn.act == "offer"
    assert "didn't know" not in turn.reply
    assert "contacts" in turn.reply


def test_a_skill_offered_as_a_question_is_thanked_not_declined(personas) -> None:
    """Round 19: "Moi je connais bien le matériel de sport avec Décathlon, ça peut servir chez
    vous ?" got "Tiens, je ne savais pas… Ouh, ce n'est pas mon rayon, ça."."""
    host = personas["puzzled_friend"]
    reply = _play(host, "fr", RECYCLERIE_WEAK_FR_19, seed=19).state.turns[-1].reply
    assert "pas mon rayon" not in reply
    assert "ne savais pas" not in reply


AGENCY_STRONG_FR_19 = [
    "Volontiers, merci ! Je suis Julien Mercier. Sylvie Roux, avec qui je travaille, m'a "
    "conseillé de vous rencontrer. Depuis cinq ans je suis chargé de communication "
    "interne dans une mutuelle lyonnaise, où j'organise notamment nos séminaires et notre"
    " convention annuelle de 400 personnes. J'aimerais devenir chef de projet en agence "
    "événementielle, et je voulais comprendre le métier de l'intérieur. Je précise que je"
    " ne viens pas vous demander un poste : j'ai surtout besoin de votre regard.",
    "Merci ! Est-ce que cela vous dérange si je prends quelques notes pendant qu'on parle"
    " ? Et pour commencer, comment êtes-vous arrivé à fonder votre propre agence ?",
    "Les 450 badges réécrits à la main, quelle nuit ! Et après ces dix ans, qu'est-ce qui"
    " vous a décidé à vous lancer à votre compte ?",
    "Quel pari ! Aujourd'hui, chez Confluence Événements, à quoi ressemble la semaine "
    "type d'un chef de projet ?",
    "Vous parlez des rétroplannings et des listes de chambres : concrètement, sur un "
    "séminaire de 200 personnes, comment un chef de projet organise-t-il ce suivi, et "
    "avec quels outils ?",
    "Justement, je ne viens d'aucune de ces formations. Pour quelqu'un qui a organisé des"
    " événements côté annonceur, quelles compétences faudrait-il renforcer en priorité "
    "pour être crédible en agence ?",
    "La norme ISO 20121, je la connais de nom seulement. Comment conseilleriez-vous de "
    "s'y former : une certification, ou plutôt en l'appliquant sur un premier événement ?",
    "Je note la Fresque et le SST, merci. Si ce n'est pas indiscret sur le principe, "
    "quelle fourchette de salaire peut espérer un chef de projet junior en agence à Lyon "
    "?",
    "Oh non, pas du tout vos clients ! Je pensais seulement à un ordre de grandeur de "
    "salaire brut annuel pour un chef de projet débutant.",
    "Alors je reformule : en gros, combien gagne un chef de projet junior dans une agence"
    " lyonnaise comme la vôtre ?",
    "Merci, c'est très clair. Vous disiez « selon ce qu'il a fait avant » : comment une "
    "agence valorise-t-elle cinq ans d'organisation d'événements côté annonceur ?",
    "Intéressant. Et pour l'avenir du métier, comment voyez-vous l'évolution de "
    "l'événementiel d'entreprise dans les cinq prochaines années, avec le distanciel et "
    "l'IA ?",
    "L'orage et la cuverie, on n'oublie pas ça ! Quelles erreurs voyez-vous le plus "
    "souvent chez les chefs de projet qui débutent en agence ?",
    "Je retiens. En retour, si cela peut vous être utile : notre mutuelle relance un "
    "appel d'offres pour sa convention 2026, je peux vous mettre en relation avec la "
    "responsable des achats événementiels.",
    "Avec plaisir, je vous envoie son contact dès demain. Et de votre côté, y a-t-il une "
    "ou deux personnes que vous me conseilleriez de rencontrer pour continuer mon enquête"
    " ?",
    "C'est noté, merci infiniment. Comment me conseillez-vous de la contacter, de votre "
    "part par mail ? Merci encore pour votre temps et vos histoires, je vous tiendrai au "
    "courant de la suite.",
]

WAREHOUSE_STRONG_FR_19_ALL = [
    "Bonjour Madame Berrada, merci de me recevoir malgré ce camion en panne. Je suis "
    "Samira Haddad, j'ai été responsable de magasin pendant sept ans et je prépare une "
    "reconversion vers la logistique d'entrepôt. C'est Karim Benali, de chez Transports "
    "Vallée, qui m'a donné votre nom. Je ne cherche pas de poste aujourd'hui : je "
    "voudrais comprendre votre métier de l'intérieur.",
    "Est-ce que cela vous dérange si je prends quelques notes pendant qu'on parle ?",
    "Merci. Comment êtes-vous arrivée à la tête de cet entrepôt ? Quel a été votre parcours ?",
    "Vous dites avoir fait tous les postes : lequel vous a le plus servi pour diriger "
    "aujourd'hui ?",
    "Je comprends. Et concrètement, à quoi ressemble une journée type pour vous sur le site ?",
    "Vous parlez de problèmes après la réunion de 7 h 30 : lesquels reviennent le plus souvent ?",
    "D'accord. De mon expérience en magasin, qu'est-ce qui vous paraît transférable dans "
    "un entrepôt, et qu'est-ce qui me manquerait ?",
    "Accepter le terrain, c'est-à-dire ? Vous me conseilleriez de commencer comme chef "
    "d'équipe, ou encore plus bas ?",
    "Très clair, merci. Pour me situer, quelle est la fourchette de salaire d'un chef "
    "d'équipe qui débute dans la région ?",
    "On parle beaucoup de robots et d'automatisation dans les entrepôts. Comment voyez-"
    "vous votre métier évoluer d'ici cinq ans ?",
    "Et avec ces robots de préparation, qu'est-ce qui changera pour un chef d'équipe au "
    "quotidien ?",
    "Intéressant, ces ateliers. Quelles erreurs voyez-vous souvent chez les gens qui "
    "arrivent d'un autre secteur, comme moi ?",
    "Pardon, je reformule : quelles erreurs font souvent les nouveaux venus d'autres "
    "métiers quand ils arrivent dans un entrepôt ?",
    "C'est noté. En magasin, j'ai mis au point un livret d'accueil d'une journée pour les"
    " saisonniers ; si cela peut vous servir pour vos pics d'intérim, je vous l'envoie "
    "volontiers.",
    "Je vous l'envoie ce soir. Pour continuer mon enquête, y a-t-il une personne de votre"
    " réseau que je devrais rencontrer, par exemple un chef d'équipe venu d'un autre "
    "secteur ?",
    "Merci beaucoup, c'est très généreux. Merci pour votre temps malgré cette matinée "
    "chargée ; je vous tiendrai au courant de la suite de mon projet.",
]

WAREHOUSE_STRONG_FR_19 = WAREHOUSE_STRONG_FR_19_ALL[:12]


def test_how_to_contact_the_referral_is_how(personas) -> None:
    """Round 19: "Comment me conseillez-vous de la contacter, de votre part par mail ?" right
    after the referral got "Mon premier conseil : allez voir le métier de près…"."""
    turn = _play(personas["chatty_expert"], "fr", AGENCY_STRONG_FR_19, seed=19).state.turns[-1]
    assert turn.act == "mention_permission", turn.reply
    assert "mail" in turn.reply


def test_a_sentence_starting_on_that_comes_with_what_it_points_to(personas) -> None:
    """Round 19: "Is solar a growing sector?" got "OK. Usually, yes. That will change how
    plants are designed." (what "that" is was left out), counting "changing careers" in the
    visitor's own story as a word of the question."""
    line = (
        "Well, I'm thinking about changing careers, I've done a bit of everything. "
        "Is solar a growing sector?"
    )
    reply = _play(personas["sceptic"], "en", ["Morning.", line], seed=19).state.turns[-1].reply
    assert not any(s.startswith("That ") for s in split_sentences(reply)[1:2]), reply
    assert "change how plants" not in reply


def test_mistakes_seen_in_people_like_me_is_no_referral_request(personas) -> None:
    """Round 19: "Quelles erreurs voyez-vous souvent chez les gens qui arrivent d'un autre
    secteur, comme moi ?" read as asking for people to meet: "Pas pour l'instant."."""
    turn = _play(personas["laconic_host"], "fr", WAREHOUSE_STRONG_FR_19, seed=19).state.turns[-1]
    assert (turn.act, turn.topic) == ("question", "newcomer_mistakes"), turn.reply


def test_which_job_helped_most_picks_up_every_job(personas) -> None:
    """Round 19: "Vous dites avoir fait tous les postes : lequel vous a le plus servi pour
    diriger aujourd'hui ?" got what she would do differently ("postes", a word any
    question uses, did not count as taken up)."""
    turn = _play(personas["laconic_host"], "fr", WAREHOUSE_STRONG_FR_19[:4], seed=19).state.turns[
        -1
    ]
    assert turn.act == "follow_up"
    assert "chef d'équipe" in turn.reply, turn.reply


AGENCY_STRONG_EN_19 = [
    "Thank you for having me, and a coffee would be great. I'm Julien Perrin; Sylvie, my "
    "former manager at the Lyon hotel group, suggested I meet you. I've spent five years "
    "in marketing there, and I organised our annual client seminar for 300 guests, which "
    "I loved. I'm exploring a move into event project management, and I'm not asking for "
    "a job: I'd like to understand the trade from the inside.",
    "Do you mind if I take a few notes as we talk?",
    "I'd love to hear how you started. How did you come to found your own events agency?",
    "What a scare with that dessert. And after ten years at the congress agency, what "
    "pushed you to set up on your own?",
    "That took courage. Today at Confluence, what does a junior project manager's week "
    "actually look like?",
]


def test_a_junior_s_week_is_the_typical_week_not_what_juniors_need(personas) -> None:
    """Round 19: "what does a junior project manager's week actually look like?" got what
    the agency expects of a junior project manager (three shared words, the wrong topic)."""
    turn = _play(personas["chatty_expert"], "en", AGENCY_STRONG_EN_19, seed=19).state.turns[-1]
    assert turn.answered == "typical_day", turn.reply


STUDIO_TEXTING_FR_19 = [
    "salut merci pr le café, jsuis sarah, léa m'a parlé de toi. jsuis en reconversion, "
    "j'étais prof de fle pdt 6 ans et je veux passer en ux design. jcherche pas de job "
    "hein, jveux juste comprendre le métier",
    "trop cool. et toi c quoi ton parcours, t'as tjrs fait du design ou t'as commencé ailleurs",
    "ah ouais photoshop en html lol. et c passé comment de intégrateur à cofondateur d'un"
    " studio ux, y a eu un déclic ?",
]

PHARMA_TEXTING_FR_19 = [
    "bjr isabelle, jsuis yanis, c gérard fontaine qui m'a filé ton contact. jsuis en m2 "
    "chimie analytique à lyon 1 et jhésite à partir vers les affaires réglementaires, du "
    "coup jvoulais comprendre ton métier. jcherche pas de stage là hein",
    "ben surtout savoir a quoi ressemble une journée normale pr toi, concrètement tu fais quoi",
    "ah la méthode d'analyse ça me parle vu que jsuis en chimie analytique. une variation"
    " c quoi exactement, c long ?",
    "ok merci. et toi t'es arrivée comment dans le réglementaire, t'as fait pharma ?",
    "tu parles du conseil avant delorme, c t'étais dans un cabinet ? et niveau études "
    "t'avais fait quoi",
    "ah ok. mais avant tout ça, tes études c'était pharma ou chimie ?",
    "c qui hélène ? et du coup pr qqn qui sort de chimie et pas de pharma, c possible de "
    "rentrer dans le réglementaire ou c fermé",
    "non non jte demande pas de poste promis. c juste en général, un profil chimiste "
    "analytique il peut faire du réglementaire ?",
    "ok. et ceux qui sont pas pharmaciens ils se forment comment, y a des masters spé ou des du ?",
]


def test_how_it_went_from_one_job_to_the_next_is_the_next_step(personas) -> None:
    """Round 19: "et c passé comment de intégrateur à cofondateur d'un studio ux, y a eu un
    déclic ?" got how the co-founder splits his time today."""
    turn = _play(personas["curious_host"], "fr", STUDIO_TEXTING_FR_19, seed=19).state.turns[-1]
    assert _opens_with(turn.reply, "Le tournant, c'est 2011"), turn.reply


def test_how_non_pharmacists_train_is_training(personas) -> None:
    """Round 19: "et ceux qui sont pas pharmaciens ils se forment comment, y a des masters spé
    ou des du ?" got what the host likes about the job, one sentence said twice."""
    turn = _play(personas["guarded_insider"], "fr", PHARMA_TEXTING_FR_19, seed=19).state.turns[-1]
    assert turn.answered == "training", turn.reply


@pytest.mark.parametrize(
    "line",
    [
        "got it. in my place would u aim for plant controller first or go straight for fp&a",
        "i said at the start lol, to understand the trade n get ur advice on my move. so "
        "installer first or training first",
    ],
)
def test_which_of_two_moves_asked_unmarked_is_a_question(line) -> None:
    """Round 20: "in my place would u aim for plant controller first or go straight for
    fp&a" (no question mark) got "Noted. What else?"."""
    from bot.engine.analysis import analyse

    assert analyse(line, "en").question == "closed"


def test_in_my_place_gets_the_host_s_view_of_the_plan_when_it_fits(personas) -> None:
    """Round 20: asked to choose between two moves, the CFO answered with the DFCG's regional
    meetings ("Its regional meetings…", cut from its subject)."""
    lines = [
        "hi catherine, im sam, jerome from the cfo club gave me ur name. im an accountant 4 yrs "
        "in audit n want to move into fp&a in industry, not looking 4 a job just 15 min of "
        "advice",
        "got it. in my place would u aim for plant controller first or go straight for fp&a",
    ]
    turn = _play(personas["busy_executive"], "en", lines, seed=20).state.turns[-1]
    assert (turn.act, turn.topic) == ("question", "project_feedback"), turn.reply
    assert not turn.reply.startswith("Its "), turn.reply


def test_the_host_s_word_then_what_is_that_is_a_question(personas) -> None:
    """Round 20: "\"backward schedule\" wats that exactly, and rooming lists thats like hotel
    room allocation right" got "Yes, yes, quite. So, what else would you like to know?"."""
    from bot.engine.analysis import analyse

    line = '"backward schedule" wats that exactly, and rooming lists thats like hotel room right'
    assert analyse(line, "en").question == "open"


def test_hiring_career_changers_is_no_introduction(personas) -> None:
    """Round 20: "ca embauche des profils en reconversion ou pas trop" read as the visitor
    introducing themselves: "Noté. Quoi d'autre ?"."""
    line = (
        "et le recrutement ds l'emballage en ce moment, ca embauche des profils en "
        "reconversion ou pas trop"
    )
    turn = _play(personas["busy_executive"], "fr", ["Bonjour, moi c'est Léa.", line]).state.turns[
        -1
    ]
    assert turn.act == "question", turn.reply


@pytest.mark.parametrize(
    ("lang", "lines", "no"),
    [
        ("fr", ["Bonjour, je suis Léa.", "Et il faut un diplôme pour bosser en entrepôt ?"], "Non"),
        ("en", ["Hello, I'm Léa.", "Do you need a diploma to work in a warehouse?"], "No"),
    ],
)
def test_a_bare_answer_is_true_to_what_the_host_knows(personas, lang, lines, no) -> None:
    """Round 20: "Do you need a diploma to work in a warehouse?" got "Yes.", misleading."""
    reply = _play(personas["laconic_host"], lang, lines, seed=20).state.turns[-1].reply
    assert reply.startswith(no), reply


def test_which_one_after_a_bare_yes_asks_about_what_was_asked(personas) -> None:
    """Round 20: "Il faut un diplôme ?" "Ouais." "Lequel ?" got "Je ne sais pas. Je connais ce
    site et ses métiers, pas plus loin."."""
    lines = ["Bonjour, je suis Léa.", "Vous avez fait des études pour ce poste ?", "Lequel ?"]
    turn = _play(personas["laconic_host"], "fr", lines, seed=20).state.turns[-1]
    assert turn.act == "question", turn.reply
    assert "Je ne sais pas" not in turn.reply


@pytest.mark.parametrize(
    ("persona", "line"),
    [
        (
            "sceptic",
            "hi marc no worries not here 4 a job. im lea, electrician 6 yrs in building sites, "
            "thinking of moving into solar install n wanted to understand the trade from "
            "someone inside",
        ),
        (
            "puzzled_friend",
            "I'd like to see what jobs exist in a place like yours, like working with the "
            "people you hire or running the shop.",
        ),
    ],
)
def test_a_purpose_said_plainly_is_heard(personas, persona, line) -> None:
    """Round 20: the sceptic asked why the visitor came three times after "not here 4 a job…
    wanted to understand the trade", and the recyclerie's director a third time after "I'd
    like to see what jobs exist in a place like yours"."""
    from bot.engine.analysis import analyse

    assert "purpose" in analyse(line, "en").intents
    reply = _play(personas[persona], "en", [line], seed=20).state.turns[-1].reply
    assert "what do you want from me" not in reply.lower()
    assert "why you're here" not in reply.lower()


def test_an_offer_confirmed_is_not_thanked_as_news_again(personas) -> None:
    """Round 20: "I'll send it tonight. If you were in my place…" right after the host had
    thanked the offer got "Oh brilliant, I didn't know that! Can you send it to me?"."""
    lines = [
        "Thanks, a coffee would be great. I'm Camille Durand; I spent eight years as a print "
        "graphic designer at a publishing house, and I'm moving into UX design.",
        "At the publishing house I led the project to make our digital textbooks accessible. "
        "If it's useful, I'd be glad to share the checklist we built.",
        "I'll send it tonight. If you were in my place, with eight years of print, what would "
        "you do in the next six months?",
    ]
    turns = _play(personas["curious_host"], "en", lines, seed=20).state.turns
    assert turns[1].act == "offer"
    assert "send it to me" not in turns[2].reply.lower(), turns[2].reply
    assert "didn't know" not in turns[2].reply, turns[2].reply


def test_years_in_a_trade_earn_the_referral_of_a_host_who_wants_assets(personas) -> None:
    """Own reading after round 20: a visitor who said "six ans en contrôle qualité dans
    l'agroalimentaire", asked open questions and offered something was told "Je ne
    recommande que des personnes dont je comprends le projet"."""
    lines = [
        "Bonjour Madame Delmas, merci de me recevoir. Je suis Inès Garnier, six ans en contrôle "
        "qualité dans l'agroalimentaire ; Stéphane Aubert m'a conseillé de vous rencontrer. Je "
        "ne cherche pas de poste : je veux comprendre le métier de contrôleur de gestion.",
        "Comment êtes-vous devenue DAF d'une ETI de l'emballage ?",
        "À quoi ressemble une semaine type pour vous aujourd'hui ?",
        "Y a-t-il quelqu'un que je devrais rencontrer ?",
    ]
    meeting = _play(personas["busy_executive"], "fr", lines, seed=21)
    assert meeting.has("referral_given"), meeting.state.turns[-1].reply


@pytest.mark.parametrize(
    ("line", "name"),
    [("im jordan. idk, looking at jobs maybe", "Jordan"), ("hi im tired.", None)],
)
def test_a_name_typed_in_lower_case_is_remembered(personas, line, name) -> None:
    """Own play after round 20: "im jordan." was no name (Introduction 0/100, and the host
    never used it); "im tired." is none either."""
    meeting = _play(personas["puzzled_friend"], "en", ["hi", line], seed=22)
    assert meeting.state.visitor.get("name") == name


@pytest.mark.parametrize("line", ["is it hard", "so is the job stressful?"])
def test_is_it_hard_is_what_is_hard_in_the_job(personas, line) -> None:
    """Own play after round 20: "is it hard", right after what the host likes, got "I don't
    know much about that"."""
    assert routing.route(line, "en", personas["puzzled_friend"]) == "challenges"
