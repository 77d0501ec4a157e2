"""The defects a career coach saw in the host's replies, each pinned on real personas.

Lines are typed as a visitor would; the assertions are about what a real host does: answer
what was asked, reward a follow-up with the detail behind its words, never glue a yes/no to
an open answer, never say goodbye when thanked for the welcome, keep each archetype's rule.
"""

from __future__ import annotations

import pytest

from bot.engine.analysis import normalise
from bot.engine.meeting import Meeting, _says
from bot.engine.personas import Persona, default_lines
from bot.engine.text import sentences
from bot.engine.transcripts import check


def say_all(persona: Persona, lang: str, lines: list[str], seed: int = 1, **kw) -> Meeting:
    meeting = Meeting.start(persona, lang, seed=seed, **kw)
    for line in lines:
        meeting.say(line)
    return meeting


def said_from(persona: Persona, lang: str, topic: str) -> set[str]:
    return {answer.say for answer in persona.answers(topic, lang)}


def in_topic(reply: str, persona: Persona, lang: str, topic: str) -> bool:
    folded = reply.casefold()
    return any(
        s.casefold() in folded
        for answer in persona.answers(topic, lang)
        for s in sentences(answer.say)[:1]
    )


INTRO = {
    "fr": "Bonjour, je m'appelle Claire Martin, je suis en reconversion après dix ans dans "
    "l'hôtellerie ; je viens comprendre votre métier, pas chercher un poste.",
    "en": "Hello, I'm Claire Martin, changing careers after ten years in hotels; I'd like to "
    "understand your work, I'm not looking for a job.",
}


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [
        ("fr", "Comment êtes-vous arrivé dans l'événementiel ?", "career_path"),
        ("fr", "Que me conseilleriez-vous pour commencer ?", "advice"),
        ("fr", "Le télétravail, c'est possible dans votre métier ?", "remote_work"),
        ("fr", "Quelles erreurs font les débutants ?", "newcomer_mistakes"),
        ("fr", "Comment se passe le recrutement dans votre secteur ?", "hiring"),
        ("en", "How did you get into events?", "career_path"),
        ("en", "What would you advise me to do first?", "advice"),
        ("en", "How is AI changing your work?", "tools"),
        ("en", "What does a junior earn in this sector, roughly?", "pay"),
        ("en", "What would you do differently if you started again?", "hindsight"),
    ],
)
def test_questions_every_visitor_asks_are_answered_on_their_topic(personas, lang, question, topic):
    host = personas["chatty_expert"]
    meeting = say_all(host, lang, [INTRO[lang], question])
    turn = meeting.state.turns[-1]
    assert turn.topic == topic, (question, turn.act, turn.topic)
    assert in_topic(turn.reply, host, lang, topic), turn.reply


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_follow_up_gets_the_detail_behind_the_last_answer(personas, lang):
    host = personas["busy_executive"]
    first = "Qu'est-ce qui est le plus difficile ?" if lang == "fr" else "What is hardest?"
    meeting = say_all(host, lang, [INTRO[lang], first])
    topic, index = meeting.state.last_answer
    answer = host.answers(topic, lang)[index]
    word = next(w for w in answer.say.split() if len(w) > 6).strip(".,;:!?")
    follow = (
        f"Vous parlez de « {word} » : pouvez-vous m'en dire plus ?"
        if lang == "fr"
        else f"You mentioned '{word}': could you tell me more?"
    )
    meeting.say(follow)
    turn = meeting.state.turns[-1]
    assert turn.act == "follow_up"
    assert any(detail in turn.reply for detail in answer.more), turn.reply


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_laconic_host_never_answers_an_open_question_with_yes_or_no(personas, lang):
    host = personas["laconic_host"]
    lines = (
        ["Quelle formation me conseilleriez-vous ?", "Qui d'autre pourrais-je rencontrer ?"]
        if lang == "fr"
        else ["What training would you recommend?", "Who else could I meet?"]
    )
    for seed in range(1, 6):
        meeting = say_all(host, lang, [INTRO[lang], *lines], seed=seed)
        for turn in meeting.state.turns[1:]:
            assert turn.reply.rstrip(".! ").casefold() not in {"oui", "non", "yes", "no"}, (
                seed,
                turn.user,
                turn.reply,
            )


@pytest.mark.parametrize("persona_id", ["chatty_expert", "curious_host", "sceptic"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_thanks_for_the_welcome_is_not_a_farewell(personas, persona_id, lang):
    host = personas[persona_id]
    thanks = "Merci de me recevoir !" if lang == "fr" else "Thank you for seeing me!"
    meeting = say_all(host, lang, [thanks])
    assert not meeting.ended
    reply = meeting.state.turns[0].reply
    assert reply not in host.say("lines.thanks", lang)
    assert reply not in host.say("lines.goodbye", lang)
    assert check(meeting) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_use_my_name_only_after_naming_someone(personas, lang):
    host = personas["chatty_expert"]
    mention = (
        "Puis-je dire que je viens de votre part ?" if lang == "fr" else "May I say you sent me?"
    )
    meeting = say_all(host, lang, [INTRO[lang], mention])
    reply = meeting.state.turns[-1].reply.casefold()
    assert any(line.casefold()[1:] in reply for line in host.say("lines.mention_nobody", lang))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_offer_of_an_introduction_is_thanked_not_taken_for_a_request(personas, lang):
    host = personas["curious_host"]
    offer = (
        "Je peux vous présenter mon ancien chef, il dirige une équipe produit chez un éditeur."
        if lang == "fr"
        else "I could introduce you to my former boss, she runs a product team."
    )
    meeting = say_all(host, lang, [INTRO[lang], offer])
    turn = meeting.state.turns[-1]
    assert turn.act == "offer"
    assert "referral_asked" not in meeting.state.done
    assert any(line in turn.reply for line in host.say("lines.give_back", lang))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_host_acknowledges_the_answer_to_its_own_question(personas, lang):
    host = personas["curious_host"]
    meeting = say_all(host, lang, [INTRO[lang]])
    meeting.state.asked = True
    meeting.state.turns[-1].reply = (
        "Et toi, qu'est-ce qui t'attire dans le design ?"
        if lang == "fr"
        else "And you, what draws you to design?"
    )
    answer = (
        "J'ai refait le parcours de réservation de mon hôtel et j'ai adoré comprendre les clients."
        if lang == "fr"
        else "I redesigned my hotel's booking flow and loved understanding the guests."
    )
    meeting.say(answer)
    turn = meeting.state.turns[-1]
    assert turn.act == "answer"
    assert turn.reply in host.say("lines.ack_answer", lang) or any(
        ack in turn.reply for ack in host.say("lines.ack_answer", lang)
    )


@pytest.mark.parametrize(
    ("lang", "demand"),
    [
        ("fr", "Et vos marges, usine par usine, elles ressemblent à quoi ?"),
        ("fr", "À quel prix vous vendez vos génériques aux grossistes ?"),
        ("en", "Which clients are you about to lose, between us?"),
    ],
)
def test_the_guarded_host_clams_up_on_natural_wording_and_keeps_its_referral(
    personas, lang, demand
):
    host = personas["guarded_insider"]
    ask = (
        "Connaissez-vous quelqu'un que je devrais rencontrer ?"
        if lang == "fr"
        else "Do you know someone I should meet?"
    )
    meeting = say_all(host, lang, [INTRO[lang], demand, ask])
    assert meeting.state.turns[1].act == "confidential_request"
    assert meeting.state.clammed
    assert "referral_given" not in meeting.state.done


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_sceptic_does_not_say_you_came_for_information_after_a_job_request(personas, lang):
    host = personas["sceptic"]
    job = (
        "Je cherche du boulot dans le solaire, vous recrutez ?"
        if lang == "fr"
        else "I'm looking for work in solar, are you hiring?"
    )
    question = "Comment s'organise un chantier ?" if lang == "fr" else "How is a site organised?"
    meeting = say_all(host, lang, [job, question])
    first, second = meeting.state.turns
    assert first.act == "job_request"
    assert first.reply in host.say("lines.job_request", lang)
    welcome = host.say("lines.welcome_intro", lang)
    assert not any(line in second.reply for line in welcome)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_executive_leaves_after_the_last_question_she_announced(personas, lang):
    host = personas["busy_executive"]
    questions = list(
        {
            "fr": [
                "Comment est organisée la direction financière ?",
                "Quelles sont les difficultés du moment ?",
                "Quels profils recrutez-vous en contrôle de gestion ?",
                "Comment voyez-vous l'avenir du métier ?",
                "Quels outils utilisez-vous ?",
                "Que me conseilleriez-vous ?",
                "Comment se passe le recrutement ?",
                "Qu'est-ce qui vous plaît dans ce métier ?",
            ],
            "en": [
                "How is the finance department organised?",
                "What are the current difficulties?",
                "What profiles do you hire in controlling?",
                "How do you see the future of the job?",
                "Which tools do you use?",
                "What would you advise me?",
                "How does hiring work?",
                "What do you enjoy in this job?",
            ],
        }[lang]
    )
    meeting = Meeting.start(host, lang, seed=1)
    meeting.say(INTRO[lang])
    announced = None
    for question in questions * 2:
        meeting.say(question)
        if announced is None and "last_question" in meeting.state.done:
            announced = len(meeting.state.turns)
        if meeting.ended:
            break
    assert announced is not None
    assert meeting.ended and meeting.state.ended_by == "persona_time"
    assert len(meeting.state.turns) == announced + 1


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_host_met_through_a_chain_never_names_its_usual_contact(personas, lang):
    host = personas["guarded_insider"]
    usual = host.briefing.referrer_name.split()[0]
    for seed in range(1, 8):
        meeting = say_all(
            host,
            lang,
            [INTRO[lang], "Au revoir !" if lang == "fr" else "Goodbye!"],
            seed=seed,
            referred_by="Gérard Fontaine",
        )
        text = " ".join([*meeting.state.opening, *(t.reply for t in meeting.state.turns)])
        assert usual not in text, text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_host_remembers_the_visitors_name_and_background(personas, lang):
    host = personas["chatty_expert"]
    meeting = say_all(host, lang, [INTRO[lang]])
    assert meeting.state.visitor["name"] == "Claire"
    assert meeting.state.visitor.get("background")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_question_outside_the_hosts_field_gets_an_honest_in_character_answer(personas, lang):
    host = personas["sceptic"]
    question = (
        "Vous avez un avis sur la réforme des retraites ?"
        if lang == "fr"
        else "What do you think of the pension reform?"
    )
    meeting = say_all(host, lang, [INTRO[lang], question])
    turn = meeting.state.turns[-1]
    assert turn.topic == "other"
    assert turn.reply in host.say("lines.outside", lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_routing_data_covers_exactly_the_persona_topics(lang):
    """Each language's routing file has examples and cues for every topic, and no other."""
    from bot.engine import routing
    from bot.engine.analysis import ALL_TOPICS

    model = routing._routing(lang)
    assert set(model.topics) == set(ALL_TOPICS)
    assert set(model.cues) == set(ALL_TOPICS)


# -- round 4 of the coach's reading -----------------------------------------------------------


def test_a_job_request_cools_the_host_but_the_next_question_is_answered(personas):
    sceptic = personas["sceptic"]
    meeting = say_all(
        sceptic,
        "fr",
        [
            "Bonjour, merci de me recevoir. C'est Bernard qui m'envoie.",
            "Euh, je voulais savoir si vous recrutez en ce moment ?",
            "Non non, c'était juste pour savoir. Et vous faites quoi exactement ?",
        ],
    )
    last = meeting.state.turns[-1]
    assert last.act == "question"
    assert in_topic(last.reply, sceptic, "fr", "typical_day"), last.reply


@pytest.mark.parametrize(
    ("lang", "line", "confidential"),
    [
        ("fr", "Ça paye combien un technicien qui débute ?", False),
        ("fr", "Vous êtes directeur des opérations, c'est ça ?", False),
        ("fr", "Quel est votre salaire ?", True),
        ("fr", "Et toi, tu gagnes combien ?", True),
        ("en", "What salary range can a junior expect?", False),
        ("en", "What is your salary?", True),
    ],
)
def test_a_juniors_pay_is_not_the_hosts_own_salary(lang, line, confidential):
    from bot.engine.analysis import analyse
    from bot.engine.requests import with_requests

    intents = with_requests(analyse(line, lang), lang).intents
    assert ("confidential_request" in intents) is confidential


def test_the_pay_answer_is_the_one_on_the_role_asked(personas):
    sceptic = personas["sceptic"]
    meeting = say_all(sceptic, "fr", [INTRO["fr"], "Combien gagne un technicien qui débute ?"])
    assert "technicien" in meeting.state.turns[-1].reply


def test_no_praise_in_the_goodbye_after_a_job_request(personas):
    for seed in range(6):
        meeting = say_all(
            personas["sceptic"],
            "fr",
            [
                INTRO["fr"],
                "Vous recrutez en ce moment ?",
                "Quels sont les métiers de votre équipe ?",
                "Qu'est-ce qui vous plaît dans ce travail ?",
                "Merci beaucoup pour votre temps, au revoir.",
            ],
            seed=seed,
        )
        reply = meeting.state.turns[-1].reply
        assert "pas là pour un poste" not in reply and "tenaient la route" not in reply


def test_a_welcome_never_asks_for_the_question_just_asked(personas):
    for seed in range(8):
        meeting = say_all(
            personas["guarded_insider"],
            "fr",
            [
                "Bonjour madame, merci de me recevoir, c'est Hélène Garnier qui m'a donné votre "
                "contact, je suis pharmacien d'officine et je m'intéresse aux affaires "
                "réglementaires.",
                "Merci. Vous pouvez me décrire une journée type dans votre travail ?",
            ],
            seed=seed,
        )
        reply = meeting.state.turns[-1].reply
        assert "question ?" not in reply, reply


def test_no_referral_once_the_host_has_closed_up(personas):
    guarded = personas["guarded_insider"]
    meeting = say_all(
        guarded,
        "fr",
        [
            INTRO["fr"],
            "Comment se passe une journée type ?",
            "Quelles questions posez-vous pour comprendre un dossier ?",
            "Et quels produits allez-vous lancer l'an prochain, ceux qui ne sont pas annoncés ?",
            "Vous connaissez quelqu'un que je pourrais rencontrer ?",
        ],
    )
    assert guarded.referral.name not in meeting.state.turns[-1].reply


def test_a_follow_up_on_earlier_steps_gets_another_answer_on_the_path(personas):
    """After one career story, "and before that?" gets another answer on the path, not more
    of the same story."""
    executive = personas["busy_executive"]
    meeting = say_all(executive, "fr", [INTRO["fr"], "Quel a été votre parcours ?"])
    first = meeting.state.last_answer
    meeting.say("Et avant cela, quelles étapes vous ont menée jusqu'à la direction financière ?")
    turn = meeting.state.turns[-1]
    assert turn.reply.strip()
    assert meeting.state.last_answer is not None
    assert meeting.state.last_answer[0] == "career_path"
    assert first is not None


def test_register_and_own_project_lessons_read_the_visitors_lines(personas):
    from bot.engine.coach import build_feedback

    friend = say_all(
        personas["puzzled_friend"],
        "fr",
        [
            "Salut, c'est Laurent qui m'a donné ton contact, je suis comptable depuis quinze ans.",
            "Vous êtes combien dans l'association ?",
            "Qu'est-ce que tu me conseillerais pour devenir encadrant ?",
        ],
    )
    lessons = build_feedback(friend).lessons
    assert lessons["register"].done, lessons["register"]
    assert lessons["own_project"].done, lessons["own_project"]
    sloppy = say_all(
        personas["guarded_insider"],
        "fr",
        [INTRO["fr"], "c koi vs faites le matin pr les dossiers ?"],
    )
    assert not build_feedback(sloppy).lessons["register"].done


def test_a_time_check_and_a_question_in_one_line_get_both_answered(personas):
    laconic = personas["laconic_host"]
    meeting = say_all(
        laconic,
        "en",
        [
            INTRO["en"],
            "Thank you. How much time do you have today? And to start: how did you come to run "
            "this site?",
        ],
    )
    turn = meeting.state.turns[-1]
    assert turn.topic == "career_path"
    assert "minute" in turn.reply
    assert in_topic(turn.reply, laconic, "en", "career_path"), turn.reply


def test_may_i_tell_the_named_person_is_asking_permission(personas):
    from bot.engine.analysis import analyse

    intents = analyse("May I tell Karine Estrade that you suggested I contact her?", "en").intents
    assert "mention_permission" in intents


def test_an_offer_to_come_is_thanked_not_taken_as_news(personas):
    for seed in range(4):
        meeting = say_all(
            personas["chatty_expert"],
            "fr",
            [INTRO["fr"], "Je peux vous envoyer l'étude sur le tourisme d'affaires de mon hôtel."],
            seed=seed,
        )
        assert "savais pas" not in meeting.state.turns[-1].reply


def test_no_yes_or_no_word_opens_an_answer_to_an_open_question(personas):
    from bot.engine.meeting import _opens_on_yes_no

    for persona in personas:
        meeting = say_all(persona, "en", [INTRO["en"], "How do you see the future of your job?"])
        reply = meeting.state.turns[-1].reply
        assert not _opens_on_yes_no(reply, "en"), (persona.id, reply)


def test_notes_permission_and_a_question_in_one_line_get_both_answered(personas):
    busy = personas["busy_executive"]
    meeting = say_all(
        busy,
        "fr",
        [
            INTRO["fr"],
            "Puis-je prendre quelques notes ? Première question : comment est organisée votre "
            "direction financière ?",
        ],
    )
    turn = meeting.state.turns[-1]
    assert turn.topic == "organisation"
    assert in_topic(turn.reply, busy, "fr", "organisation"), turn.reply


def test_an_offer_already_thanked_is_not_thanked_again_at_the_door(personas):
    friend = personas["puzzled_friend"]
    meeting = say_all(
        friend,
        "fr",
        [
            INTRO["fr"],
            "Je peux te présenter la directrice du collège Jules-Verne, si ça t'intéresse.",
            "Merci beaucoup pour ton temps, je t'envoie son contact demain et je te tiens au "
            "courant.",
        ],
    )
    first, last = meeting.state.turns[-2].reply, meeting.state.turns[-1].reply
    give_back = set(friend.say("lines.give_back", "fr"))
    assert not any(line in last for line in give_back), (first, last)


LEAST = {
    "fr": "Qu'est-ce qui vous plaît le moins dans votre métier ?",
    "en": "What do you like least about your job?",
}
MOST = {
    "fr": "Qu'est-ce qui vous plaît dans votre métier ?",
    "en": "What do you enjoy about your job?",
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_asked_what_they_like_least_every_host_gives_the_down_side(personas, lang, seed):
    """ "Qu'est-ce qui vous plaît le moins ?" answered with "Ce que j'adore…" is the wrong
    answer; and the first answer to "what do you like?" is not the down side."""
    for host in personas.personas.values():
        if not host.speaks(lang):
            continue
        answers = host.answers("likes", lang)
        downsides = {i for i, a in enumerate(answers) if _says("dislike", a.say, lang)}
        least = say_all(host, lang, [INTRO[lang], LEAST[lang]], seed=seed)
        assert least.state.last_answer[0] == "likes", (host.id, least.state.turns[-1].act)
        # A talkative host may go on to a second answer: the first one given is what counts.
        first = least.state.used["knowledge.likes"][0]
        assert first in downsides, (host.id, least.state.turns[-1].reply)
        most = say_all(host, lang, [INTRO[lang], MOST[lang]], seed=seed)
        assert most.state.last_answer[0] == "likes", (host.id, most.state.turns[-1].act)
        first = most.state.used["knowledge.likes"][0]
        assert first not in downsides, (host.id, most.state.turns[-1].reply)


@pytest.mark.parametrize(
    ("lang", "question", "word"),
    [
        ("fr", "Et l'IA, ça change quoi pour vous ?", "IA"),
        ("en", "And AI, what does it change?", "AI"),
    ],
)
def test_two_letter_words_that_carry_meaning_pick_the_answer(personas, lang, question, word):
    """ "IA", "AI", "RH", "UX" are shorter than the words compared: they still count."""
    host = personas["curious_host"]
    meeting = say_all(host, lang, [INTRO[lang], question])
    topic, index = meeting.state.last_answer
    assert word in host.answers(topic, lang)[index].say, meeting.state.turns[-1].reply


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_host_who_is_not_talkative_tells_no_unrelated_story(personas, lang):
    """A story about a bakery right after a pay range is a non sequitur; only the
    talkative host tells stories whatever was asked."""
    question = {
        "fr": "Un junior gagne combien, en gros ?",
        "en": "Roughly what does a junior earn?",
    }
    host = personas["curious_host"]
    assert host.temperament.anecdote_rate > 0 and host.temperament.verbosity < 0.8
    stories = host.anecdotes[lang]
    for seed in range(1, 16):
        reply = say_all(host, lang, [INTRO[lang], question[lang]], seed=seed).state.turns[-1].reply
        assert not any(story in reply for story in stories), (seed, reply)


def test_a_follow_up_on_words_said_earlier_answers_what_it_asks(personas):
    """ "You said peak season is tough: how do you handle it?" after two other answers has
    no detail behind the last one; it asks, weakly worded, about the hard part of the job,
    and gets that, not "I've said all there is on that"."""
    host = personas["laconic_host"]
    lines = [
        INTRO["en"],
        "What does a typical day look like for you?",
        "What skills are hardest to find?",
        "You said the peak season is tough, how do you handle it?",
    ]
    meeting = say_all(host, "en", lines)
    assert meeting.state.last_answer[0] == "challenges", meeting.state.turns[-1].reply


@pytest.mark.parametrize(
    ("lang", "lines", "praise"),
    [
        (
            "fr",
            ["Bonjour, je m'apelle Sarah.", "Vous gagnez combien, vous ?", "Merci, au revoir."],
            ("échange sérieux", "bien préparé"),
        ),
        (
            "en",
            ["Hi, I'm Sarah.", "How much do you earn yourself?", "Thanks, goodbye."],
            ("serious conversation", "prepared your questions"),
        ),
    ],
)
def test_no_praise_in_the_thanks_after_a_confidential_request(personas, lang, lines, praise):
    for seed in range(1, 6):
        reply = say_all(personas["guarded_insider"], lang, lines, seed=seed).state.turns[-1].reply
        assert not any(p in reply for p in praise), reply


def test_a_sloppy_english_visitor_is_understood(personas):
    """Chat-style lines without capitals or question marks, read as a visitor means them."""
    host = personas["busy_executive"]
    lines = [
        "hi im dan, laid off from a logistics firm, Sylvie gave me your name",
        "how long have we got",
        "is excel still king or is it all power bi now",
        "sorry i mean, can i stay in touch",
    ]
    turns = say_all(host, "en", lines).state.turns
    assert turns[1].act == "time_check", turns[1]
    assert (turns[2].act, turns[2].topic) == ("question", "tools"), turns[2]
    # A choice between two things is not answered "Rarely." or "Yes.".
    assert turns[2].reply.split()[0].strip(".,!").lower() not in {"yes", "no", "rarely"}
    assert turns[3].act == "keep_informed", turns[3]


def test_the_answer_on_what_was_asked_wins_over_one_with_a_figure(personas):
    """ "Combien de temps… les raccordements Enedis ?" gets the Enedis answer ("six mois à
    plus d'un an"), not another challenge that happens to hold a digit (asbestos, 1997)."""
    host = personas["sceptic"]
    line = "Et les raccordements Enedis, ça prend combien de temps en moyenne ?"
    meeting = say_all(host, "fr", [INTRO["fr"], line])
    assert "Enedis" in meeting.state.turns[-1].reply, meeting.state.turns[-1].reply


def test_you_mentioned_what_the_host_said_elsewhere_gets_that_answer(personas):
    """ "Vous parlez de la paperasse…" when the last answer said nothing of it: the host
    answers from where it knows about paperwork, not with the last answer's detail."""
    host = personas["sceptic"]
    lines = [
        INTRO["fr"],
        "Comment êtes-vous arrivé dans le solaire ?",
        "Vous parlez de la paperasse, c'est quoi le plus long ?",
    ]
    reply = say_all(host, "fr", lines).state.turns[-1].reply
    assert "paperasse" in reply, reply


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "fr",
            [
                "Bonjour, je suis Sarah, chimiste ; je viens comprendre votre métier.",
                "Vous gagnez combien, vous ?",
                "Pardon, c'était indiscret. Comment êtes-vous arrivée dans le réglementaire ?",
            ],
        ),
        (
            "en",
            [
                "Hello, I'm Sarah, a chemist; I'd like to understand your work.",
                "How much do you earn yourself?",
                "Sorry, that was too personal. How did you get into regulatory affairs?",
            ],
        ),
    ],
)
def test_the_guarded_host_accepts_an_apology_and_answers(personas, lang, lines):
    """A guarded host clams up after a confidential question, but an apology lets the
    meeting go on: the next question is answered, not refused to the end."""
    host = personas["guarded_insider"]
    meeting = say_all(host, lang, lines)
    assert not meeting.state.clammed
    assert meeting.state.last_answer[0] == "career_path", meeting.state.turns[-1].reply


@pytest.mark.parametrize(
    ("lang", "line"),
    [("en", "Do you mind if I jot that down?"), ("fr", "Ça vous dérange si je prends des notes ?")],
)
def test_do_you_mind_is_never_answered_yes_go_ahead(personas, lang, line):
    """ "Do you mind…?" — "Yes, go ahead" would mean the host minds."""
    for host in personas.personas.values():
        if not host.speaks(lang):
            continue
        for seed in (1, 2, 3):
            reply = say_all(host, lang, [INTRO[lang], line], seed=seed).state.turns[-1].reply
            first = normalise(reply).split()[0] if reply else ""
            assert first not in {"yes", "oui", "yeah", "ouais"}, (host.id, reply)


CHATTY_FR = [
    "Bonjour Monsieur Fontaine, je m'appelle Claire Dumas, c'est Sylvie Brunet qui m'a "
    "conseillé de vous contacter. Je voudrais comprendre votre métier, je ne cherche pas de "
    "poste.",
    "Et concrètement, à quoi ressemble une journée type pour un chef de projet chez vous ?",
]


def test_a_follow_up_that_plainly_asks_another_topic_gets_that_topic(personas):
    """ "Vous parlez de rétroplannings : avec quels outils… ?" picks up the host's words only
    to ask about tools: tools are answered, not the story's detail."""
    host = personas["chatty_expert"]
    meeting = say_all(host, "fr", CHATTY_FR, seed=5)
    meeting.say(
        "Vous parlez de rétroplannings et de listes de chambres : avec quels outils vos chefs "
        "de projet travaillent-ils ? Est-ce que l'IA commence à changer leur façon de faire ?"
    )
    assert meeting.state.last_answer[0] == "tools", meeting.state.turns[-1].reply


def test_steering_back_is_a_new_question_not_a_follow_up(personas):
    """ "Pour revenir à mes questions : …" gets no "Vous avez bien retenu !"."""
    host = personas["chatty_expert"]
    meeting = say_all(host, "fr", CHATTY_FR, seed=5)
    meeting.say(
        "Belle histoire ! Pour revenir à mes questions : quels profils recrutez-vous pour les "
        "postes de chef de projet junior ?"
    )
    turn = meeting.state.turns[-1]
    assert turn.act == "question", turn
    assert "bien retenu" not in turn.reply


def test_qualifying_a_referral_gets_yes_and_how(personas):
    """Once a name is given, "Puis-je la contacter de votre part, et comment la joindre ?"
    gets a yes and the how, not "Voyez déjà Isabelle Marchand"."""
    host = personas["chatty_expert"]
    meeting = say_all(host, "fr", CHATTY_FR, seed=5)
    meeting.state.trust = 1.0
    for line in (
        "Puis-je prendre quelques notes ?",
        "Je vois que l'heure tourne. Connaîtriez-vous une ou deux personnes que je devrais "
        "rencontrer pour avancer ?",
    ):
        meeting.say(line)
    assert meeting.has("referral_given"), meeting.state.turns[-1].reply
    meeting.say(
        "Merci ! Puis-je la contacter de votre part, et quel est le meilleur moyen de la joindre ?"
    )
    reply = meeting.state.turns[-1].reply
    assert "Voyez déjà" not in reply and meeting.has("referral_qualified"), reply


def test_time_check_and_notes_permission_in_one_line_are_both_answered(personas):
    host = personas["chatty_expert"]
    meeting = say_all(host, "fr", CHATTY_FR[:1], seed=5)
    meeting.say(
        "Nous avions prévu trois quarts d'heure, cela vous convient toujours ? Et cela vous "
        "dérange si je prends quelques notes ?"
    )
    reply = meeting.state.turns[-1].reply
    assert "notes" in reply and "minutes" in reply, reply


def test_whats_your_day_like_is_the_typical_day(personas):
    lines = [
        "hi marc, im lucas, electrician 10 yrs, bernard sent me, not looking for a job",
        "so whats ur day like as head of ops",
    ]
    meeting = say_all(personas["sceptic"], "en", lines)
    assert meeting.state.last_answer[0] == "typical_day", meeting.state.turns[-1].reply


PUZZLED_FR = [
    "Salut Laurent, merci de prendre ce temps ! Moi c'est Antoine Mercier, un ami de Didier "
    "Vasseur, on joue au foot ensemble.",
    "Pardon, j'aurais dû commencer par là ! J'ai été commercial dans la grande distribution "
    "pendant quinze ans, et je réfléchis à me reconvertir dans l'insertion par l'activité "
    "économique. Je ne cherche pas de poste chez toi : j'aimerais comprendre comment ça marche "
    "de l'intérieur, et avoir ton avis. On a une demi-heure, ça te va ?",
    "Merci, je note l'Avise. Ça te dérange si je prends des notes ? Et pour commencer, tu peux "
    "me raconter comment tu es passé de la comptabilité à la direction d'une recyclerie ?",
    "Et qu'est-ce qui t'a fait basculer des chiffres vers le social, à un moment ?",
    "Ok, mais le déclic pour l'insertion, c'était quoi ?",
    "Bon, parlons de la recyclerie alors. Comment ça se passe, une journée type pour un "
    "encadrant technique chez vous ?",
    "Tu dis que l'absentéisme vient souvent de la vie perso des salariés : comment les "
    "encadrants accompagnent ça, concrètement ?",
    "Et pour devenir encadrant technique d'insertion, quelle formation ou quelle expérience "
    "vous attendez ?",
    "Je parlais plutôt d'encadrant technique, sur le terrain avec les salariés en insertion, "
    "pas de direction. Il y a un diplôme spécifique ?",
    "D'accord. Et ça gagne combien, un encadrant technique qui débute ?",
    "Avec mon profil de commercial, qu'est-ce que tu me conseillerais pour mettre un pied dans "
    "le secteur ?",
]


def test_the_host_does_not_ask_what_the_visitor_already_said(personas):
    """ "Et toi, tu faisais quoi avant ?" after fifteen years of retail sales were told is not
    listening (a coach's reading found it, in this very meeting)."""
    meeting = say_all(personas["puzzled_friend"], "fr", PUZZLED_FR, seed=5)
    for turn in meeting.state.turns:
        assert "tu faisais quoi avant" not in turn.reply.lower(), turn.reply


SCEPTIC_BACKGROUND = {
    "en": [
        "Hello Mr Olivier, I'm Sam Carter, six years in retail logistics. Anne Dubois sent me; "
        "I want to understand the solar trade.",
        "What does your day look like?",
        "What do you like most in the job?",
        "How did you get into solar?",
        "What training should a beginner do?",
        "How do teams work on a roof?",
        "What are the mistakes newcomers make?",
        "How do you see the next five years?",
    ],
    "fr": [
        "Bonjour Monsieur Olivier, je suis Sam Carter, j'ai été chef d'équipe en logistique "
        "pendant six ans. C'est Anne Dubois qui m'envoie ; je veux comprendre le solaire.",
        "À quoi ressemble votre journée ?",
        "Qu'est-ce qui vous plaît le plus dans le métier ?",
        "Comment êtes-vous arrivé dans le solaire ?",
        "Quelle formation pour un débutant ?",
        "Comment s'organisent les équipes sur un toit ?",
        "Quelles erreurs font les nouveaux ?",
        "Comment voyez-vous les cinq prochaines années ?",
    ],
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_host_does_not_ask_about_a_last_job_already_told(personas, lang):
    """ "What did you actually do in your last job?" right after "six years in retail
    logistics" (a coach's reading found it): a background told in any words is heard."""
    for seed in range(12):
        meeting = say_all(personas["sceptic"], lang, SCEPTIC_BACKGROUND[lang], seed=seed)
        for turn in meeting.state.turns:
            assert "last job" not in turn.reply.lower(), (seed, turn.reply)
            assert "dernier poste" not in turn.reply.lower(), (seed, turn.reply)


@pytest.mark.parametrize(
    ("lang", "line", "expected"),
    [
        ("fr", "Et l'IA, ça change quoi ?", "intelligence artificielle"),
        ("en", "And AI, what does it change?", "artificial intelligence"),
    ],
)
def test_a_question_on_a_topic_gets_the_answer_that_speaks_of_it(personas, lang, line, expected):
    """ "Et l'IA, ça change quoi ?" got the tools answer on the EMA database: among a topic's
    answers, the one that speaks of the asked thing, in the host's words ("IA" is
    "intelligence artificielle")."""
    intro = {
        "fr": "Bonjour, je suis Julie Roche, ingénieure qualité ; Paul Girard m'envoie. Je "
        "voudrais comprendre les affaires réglementaires.",
        "en": "Hello, I'm Julie Roche, a quality engineer; Paul Girard sent me. I'd like to "
        "understand regulatory affairs.",
    }[lang]
    for seed in range(6):
        meeting = say_all(personas["guarded_insider"], lang, [intro, line], seed=seed)
        assert expected in meeting.state.turns[-1].reply.lower(), (seed, meeting.state.turns[-1])


@pytest.mark.parametrize(
    ("lang", "line", "expected"),
    [
        ("en", "Is the warehouse big?", "yes"),
        ("en", "Do you work here?", "yes"),
        ("en", "Can you work remotely on the floor?", "no"),
        ("fr", "L'entrepôt est grand ?", "yes"),
        ("fr", "Vous aimez votre métier ?", "yes"),
        ("fr", "Vous faites du télétravail ?", "no"),
    ],
)
def test_a_bare_yes_or_no_is_true_to_what_the_host_knows(personas, lang, line, expected):
    """ "Is the warehouse big?" got "No." and, two lines later, 60,000 m² (a coach's
    reading): the laconic host's yes or no follows its knowledge, whatever the seed."""
    persona = personas["laconic_host"]
    words = {v.rstrip(".!").lower() for v in persona.say(f"lines.{expected}", lang)}
    for seed in range(8):
        meeting = say_all(persona, lang, [line], seed=seed)
        assert meeting.state.turns[-1].reply.rstrip(".!").lower() in words, (seed, line)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_follow_up_question_is_not_welcomed_with_a_yes_word(personas, lang):
    """ "Vous parlez du WMS : comment un chef d'équipe s'en sert ?" got "Exact." before the
    answer: agreement words welcome nothing in an open question; a host whose every welcome
    is one ("Exact.", "Oui.", "C'est ça.") just answers."""
    import random

    from bot.engine.meeting import _opens_on_yes_no

    for persona in personas.speaking(lang):
        meeting = Meeting.start(persona, lang=lang, seed=1)
        meeting._open_question = True  # as during the turn of an open question
        for seed in range(8):
            line = meeting._pick("follow_up_ack", random.Random(seed), optional=True)
            assert line is None or not _opens_on_yes_no(line, lang), (persona.id, line)


@pytest.mark.parametrize(
    "line",
    [
        "ok et ce decalage vous le gerez comment concretement",
        "un controleur qui vient de la distrib il galere sur quoi en arrivant dans l'industrie",
    ],
)
def test_a_chat_question_without_a_mark_is_a_question(line):
    """Sloppy questions without "?" got "Noté. Quoi d'autre ?" (a coach's reading)."""
    from bot.engine.analysis import analyse

    assert analyse(line, "fr").question == "open"


def test_a_host_that_needs_the_purpose_asks_twice_then_answers(personas):
    """Four "qu'est-ce qui t'amène ?" in a row to four questions is a loop, not a trap."""
    lines = [
        "salut laurent",
        "c'est quoi une recyclerie d'insertion exactement ?",
        "et ça tourne comment, au quotidien ?",
        "tu fais quoi toi dans une journée type ?",
    ]
    meeting = say_all(personas["puzzled_friend"], "fr", lines, seed=7)
    assert meeting.times_said("ask_purpose") == 2
    assert meeting.state.turns[-1].answered, meeting.state.turns[-1]


def test_a_short_greeting_is_no_job_request():
    from bot.engine.analysis import analyse
    from bot.engine.requests import with_requests

    assert "job_request" not in with_requests(analyse("slt laurent c moi", "fr"), "fr").intents


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_host_never_names_a_referrer_the_visitor_did_not_name(personas, lang):
    """ "Et remerciez Stéphane de ma part" to a visitor sent by Paul Girard, "Saluez Bernard"
    to one sent by Bruno Castel (a coach's reading): the visitor's word wins the briefing's."""
    lines = {
        "fr": [
            "Bonjour Monsieur Olivier, je suis Nathalie Garcia, électricienne depuis 12 ans ; "
            "c'est Paul Girard qui m'a donné votre contact. Je veux comprendre le solaire.",
            "Comment se passe un chantier type ?",
            "Merci beaucoup pour votre temps, je vous tiens au courant.",
        ],
        "en": [
            "Hello Mr Olivier, I'm Nathalie Garcia, an electrician for 12 years; Paul Girard "
            "gave me your contact. I want to understand solar.",
            "How does a typical job go?",
            "Thank you very much for your time, I'll keep you posted.",
        ],
    }[lang]
    for seed in range(15):
        meeting = say_all(personas["sceptic"], lang, lines, seed=seed)
        meeting.end()
        said = " ".join([*(t.reply for t in meeting.state.turns), meeting.state.farewell or ""])
        assert "Bernard" not in said, (seed, said)


def test_contacts_and_leave_to_use_the_name_in_one_chat_line_get_a_name(personas):
    """Round 8: "Say I sent you? Hang on, I haven't given you any names yet!" to a visitor who
    asked for contacts first, in a line with no "and"."""
    host = personas["puzzled_friend"]
    line = "do you know other person i can meet, maybe in other structure in lille, can i say you send me"  # noqa: E501
    meeting = say_all(host, "en", [INTRO["en"], line])
    turn = meeting.state.turns[-1]
    assert turn.act == "referral_request"
    assert not any(
        text.casefold()[1:] in turn.reply.casefold()
        for text in host.say("lines.mention_nobody", "en")
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_offer_of_a_hand_is_not_asked_for_a_link(personas, lang):
    host = personas["puzzled_friend"]
    offer = (
        "Si tu veux, je peux t'aider un soir sur les dossiers de subventions, gratuitement."
        if lang == "fr"
        else "If you want I can help one evening with the accounts or the grants files, for free."
    )
    for seed in range(6):
        meeting = say_all(host, lang, [INTRO[lang], offer], seed=seed)
        reply = meeting.state.turns[-1].reply
        thanks = host.say("lines.give_back", lang) + default_lines("give_back", lang, host.address)
        # the offer is thanked (a host may put the visitor's name first: "Claire, thank you…")
        assert any(line.casefold()[1:] in reply.casefold() for line in thanks), reply
        assert "lien" not in reply and "link" not in reply, reply
        assert "contact" not in reply.lower(), reply  # "contacts like that": not for a hand


def test_picking_up_the_hosts_words_is_no_request_for_secrets(personas):
    """Round 8: "You mentioned supplier contracts: what does the AI do on them?" was refused
    as a request for secrets, and blamed in Respect."""
    host = personas["busy_executive"]
    meeting = Meeting.start(host, "en", seed=8)
    meeting.say(INTRO["en"])
    meeting.say("Do you use AI in your team?")
    meeting.say(
        "You mentioned supplier contracts: what does the AI actually do on those contracts?"
    )
    assert meeting.state.turns[-1].act != "confidential_request"
    meeting.say("You mentioned supplier contracts: what exact prices do you pay them?")
    assert meeting.state.turns[-1].act == "confidential_request"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "fr",
            "Sur une installation comme celle de Bernard, vous avez fait quelle marge exactement ?",
        ),
        ("fr", "Et combien gagne une DAF comme vous ?"),
        ("en", "And just curious, how much does a CFO like you earn here?"),
    ],
)
def test_a_margin_on_one_job_and_the_hosts_own_pay_are_secrets(personas, lang, line):
    meeting = say_all(personas["sceptic"], lang, [INTRO[lang], line])
    assert meeting.state.turns[-1].act == "confidential_request"


def test_the_figure_of_the_junior_pay_just_given_is_no_secret(personas):
    meeting = say_all(
        personas["sceptic"],
        "fr",
        [
            INTRO["fr"],
            "Et un technicien qui débute dans le solaire, en général, il gagne combien ?",
            "Un peu en dessous de quoi ? Vous pouvez me donner un chiffre ?",
        ],
    )
    assert meeting.state.turns[-2].act != "confidential_request"
    assert meeting.state.turns[-1].act != "confidential_request"


def test_good_point_is_said_once_a_meeting_at_most(personas):
    """Round 8: "Bonne remarque." before every follow-up read as a tic."""
    host = personas["guarded_insider"]
    acks = {line for line in host.say("lines.follow_up_ack", "fr")} or {"Bonne remarque."}
    lines = [INTRO["fr"], "Comment votre service est-il organisé ?"]
    lines += ["Vous parlez de l'équipe : comment se répartit le travail ?"] * 6
    for seed in range(4):
        meeting = say_all(host, "fr", lines, seed=seed)
        said = sum(any(a in t.reply for a in acks) for t in meeting.state.turns)
        assert said <= 1, seed


def test_a_question_is_praised_as_one_and_a_reformulation_not_at_all(personas):
    """Round 11: "Bonne remarque." to a question read wrong; "Bonne question." to a
    reformulation would too."""
    for persona in personas.personas.values():
        for lang in ("fr", "en"):
            acks = persona.say("lines.follow_up_ack", lang)
            assert not any("remarque" in a or "point." in a.lower() for a in acks), persona.id
    host = personas["guarded_insider"]
    acks = set(host.say("lines.follow_up_ack", "fr"))
    lines = [INTRO["fr"], "Comment votre service est-il organisé ?"]
    lines += ["Si je comprends bien, l'équipe se répartit le travail par dossier."] * 4
    for seed in range(4):
        meeting = say_all(host, "fr", lines, seed=seed)
        assert not any(a in t.reply for a in acks for t in meeting.state.turns[2:]), seed


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fr", "Pour voir un peu comment ça se passe chez vous. Vous êtes nombreux ?"),
        ("fr", "c quoi la diff entre chef de projet et commercial chez toi, qui fait quoi"),
    ],
)
def test_headcount_and_who_does_what_are_about_the_organisation(personas, lang, line):
    meeting = say_all(personas["chatty_expert"], lang, [INTRO[lang], line])
    assert meeting.state.turns[-1].topic == "organisation"


def test_thanks_with_a_document_to_come_is_no_news(personas):
    """Round 8: "Ça, je ne savais pas. Merci." to "je vous envoie la grille par mail"."""
    host = personas["laconic_host"]
    for seed in range(4):
        meeting = say_all(
            host,
            "fr",
            [INTRO["fr"], "Merci. Je vous envoie la grille par mail ce soir."],
            seed=seed,
        )
        assert "je ne savais pas" not in meeting.state.turns[-1].reply.lower()


@pytest.mark.parametrize(
    ("lang", "question", "role"),
    [
        (
            "fr",
            "Dans la région, quelle fourchette de salaire peut espérer un chef d'équipe débutant ?",
            "Chef d'équipe",
        ),
        ("en", "In the region, what pay can a new team leader expect?", "Team leader"),
    ],
)
def test_the_pay_of_the_role_asked(personas, lang, question, role):
    """Round 8: a team leader's pay asked, a picker's given ("débutant" ~ "débute")."""
    for seed in range(4):
        meeting = say_all(personas["laconic_host"], lang, [INTRO[lang], question], seed=seed)
        assert role in meeting.state.turns[-1].reply, seed


def test_a_question_in_two_parts_after_a_colon_keeps_its_question_word():
    from bot.engine.meeting import _split_preamble

    line = (
        "Je sais que le temps est compté : comment recrutez-vous vos chefs d'équipe : "
        "promotion interne ou recrutement externe ?"
    )
    question, preamble = _split_preamble(line)
    assert question.startswith("comment recrutez-vous")
    assert preamble == "Je sais que le temps est compté "


def test_a_reaction_before_a_new_question_does_not_make_it_a_follow_up(personas):
    """Round 8: "Eco-design, I hadn't thought of that… And AI itself: how do the designers
    use it?" got more eco-design, twice."""
    from bot.engine.acts import Context, read
    from bot.engine.analysis import analyse

    previous = (
        "Claire, on the regulatory side, the next big thing after accessibility is eco-design: "
        "public tenders ask for it in black and white."
    )
    line = (
        "Eco-design, I hadn't thought of that, and public tenders asking for it is interesting. "
        "And AI itself: how do the designers at the studio use it today, if at all?"
    )
    act = read(
        analyse(line, "en"),
        "en",
        Context(previous=previous, topic="future"),
        personas["curious_host"],
    )
    assert (act.kind, act.topic) == ("question", "tools")
    # …but a question that points back at what was said is a follow-up
    back = "Forty events in three weeks... how did you keep the team together through that?"
    act = read(
        analyse(back, "en"),
        "en",
        Context(
            previous="We had forty events in three weeks after the floods.", topic="challenges"
        ),
        personas["chatty_expert"],
    )
    assert act.kind == "follow_up"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "en",
            "For my own portfolio, I only have the canteen app and a school portal: what would "
            "you look for first in those two case studies?",
        ),
        (
            "fr",
            "Pour mon portfolio, je n'ai que deux projets : qu'est-ce que vous regarderiez en "
            "premier dans ces deux études de cas ?",
        ),
    ],
)
def test_feedback_asked_on_ones_portfolio_is_about_the_project(personas, lang, line):
    """Round 9: a portfolio question answered with how the studio uses AI ("tools")."""
    from bot.engine import routing

    assert routing.route(line, lang, personas["curious_host"]) == "project_feedback"


@pytest.mark.parametrize(
    ("lang", "line", "kind"),
    [
        ("en", "so the sorter problem what happen when machine stop, people wait or what", "open"),
        ("en", "robots and AI come in warehouse, in 5 years team leader job change how", "open"),
        (
            "en",
            "team leader at 26 wow young. before that you start like operator on the floor or "
            "you come from school",
            "closed",
        ),
        (
            "en",
            "so for me you think better start as operator first or try team leader direct",
            "closed",
        ),
        ("fr", "avant ça tu as commencé comme opérateur ou tu sortais d'école", "closed"),
        (
            "fr",
            "donc pour moi tu penses mieux commencer opérateur ou direct chef d'équipe",
            "closed",
        ),
        (
            "fr",
            "mais du coup le fonds social europeen il finance quoi chez vous exactement",
            "open",
        ),
        ("fr", "tu dis un titre, c'est quel titre qu'il faut avoir pour etre encadrant", "open"),
        # Round 13: asked for advice with no mark.
        ("en", "any tips for someone coming from hotels", "open"),
        ("en", "so any advice for me", "open"),
        ("fr", "des conseils pour quelqu'un qui vient de l'hôtellerie", "open"),
        ("fr", "ton avis sur l'IA", "open"),
        ("en", "I have some tips for your recruitment, I'll send them", None),
        ("en", "i will show you how", None),
        ("en", "i dont know how", None),
        ("en", "you can call me or send me an email", None),
        ("fr", "tu peux m'appeler ou m'envoyer un mail", None),
    ],
)
def test_a_non_native_chat_question_without_a_mark_still_asks(lang, line, kind):
    from bot.engine.analysis import analyse

    assert analyse(line, lang).question == kind


def test_a_laconic_host_answers_an_alternative_rather_than_a_filler(personas):
    """Round 11: "…or you come from school" and "…change how" got "Hm. Anything else?" and
    "OK." from the laconic host: either-or and open questions get a short answer."""
    lines = [
        "hi im Andrei, Julien neighbour, i work 3 years in a shop, i want learn about warehouse "
        "jobs, not asking job",
        "ok. how you become site manager, what was your path",
        "team leader at 26 wow young. before that you start like operator on the floor or you "
        "come from school",
        "robots and AI come in warehouse, in 5 years team leader job change how",
    ]
    meeting = say_all(personas["laconic_host"], "en", lines, seed=11)
    fillers = set(default_lines("en", "rambling")) | {"OK.", "Hm. Anything else?", "Right. And?"}
    for turn in meeting.state.turns[2:]:
        assert turn.reply not in fillers and len(turn.reply.split()) > 4, turn.reply


def test_news_given_and_a_question_on_the_hosts_story_ask_for_no_secret(personas):
    """Round 11: an offer that says "not yet announced" was taken for a request for secrets,
    and "who came up with the Vienne idea" on the host's own story too (Respect 0)."""
    lines = [
        "Hello, I'm Sophie Lambert; eight years in hotels in Lyon, banqueting manager. Claire "
        "suggested I meet you: I'm not looking for a job, I want to understand agencies.",
        "What was the hardest event you ever had to rescue?",
        "Thank you, that's very concrete. Something in return: my former hotel is reopening its "
        "seminar floor in March, not yet announced. I'd be happy to introduce you to their new "
        "sales director if that's useful for your clients.",
    ]
    meeting = say_all(personas["chatty_expert"], "en", lines, seed=11)
    assert meeting.state.turns[2].act == "offer"
    from bot.engine.acts import Context, read
    from bot.engine.analysis import analyse
    from bot.engine.requests import with_requests

    story = (
        "The Festival of Lights, 2019: the coaches never came, so we moved two hundred guests "
        "to Vienne by train, and the salesperson found a restaurant there in an hour."
    )
    line = (
        "What a rescue! In that Festival of Lights story, who came up with the Vienne idea and "
        "the coaches: the salesperson, the project manager or production?"
    )
    act = read(
        with_requests(analyse(line, "en"), "en"), "en", Context(previous=story, topic="challenges")
    )
    assert act.kind != "confidential_request"
    # …but a question on the host's words that asks names or figures still is one
    greedy = "In that Festival of Lights story with the coaches in Vienne, which clients were they?"
    act = read(
        with_requests(analyse(greedy, "en"), "en"),
        "en",
        Context(previous=story, topic="challenges"),
    )
    assert act.kind == "confidential_request"


def test_a_word_picked_from_the_last_reply_still_finds_the_line_that_says_it(personas):
    """Round 11: "un peu plus avec un titre" then "c'est quel titre qu'il faut avoir pour
    être encadrant technique d'insertion ?": the title's own line answers, not one that only
    shares its answer's words."""
    from bot.engine.recall import concepts, find, weigh

    persona = personas["puzzled_friend"]
    question = "c'est quel titre qu'il faut avoir pour etre encadrant technique d'insertion"
    weights = weigh(question, "", "fr")
    previous = "Un conseiller démarre un peu plus haut avec un titre ou de l'expérience."
    place = find(
        persona,
        "fr",
        weights,
        used={},
        fresh=lambda text: True,
        last=None,
        echoed=frozenset(weights) & concepts(previous, "fr"),
    )
    assert place is not None
    answer = persona.answers(place.topic, "fr")[place.index]
    said = answer.say if place.detail is None else answer.more[place.detail]
    assert "titre" in said and "encadrant technique" in said


@pytest.mark.parametrize(
    ("line", "intent", "present"),
    [
        (
            "En fait je suis technicienne en contrôle qualité et j'aimerais changer. Vous "
            "recrutez en ce moment dans votre service ?",
            "job_request",
            True,
        ),
        (
            "Vous pourriez me donner le contact de la personne qui s'occupe du recrutement chez "
            "vous, pour que je lui envoie mon CV ?",
            "job_request",
            True,
        ),
        (
            "Vous parlez du module 3 avec trois personnes dessus : c'est la partie où quelqu'un "
            "qui vient du contrôle qualité comme moi serait le plus utile ?",
            "referral_request",
            False,
        ),
        ("Vous parlez de Julie : je peux la contacter de votre part ?", "referral_request", True),
    ],
)
def test_round_11_requests_in_french(line, intent, present):
    from bot.engine.analysis import analyse
    from bot.engine.requests import with_requests

    assert (intent in with_requests(analyse(line, "fr"), "fr").intents) is present


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Well I finished a diploma in electrical work last year. Is solar a good sector?"),
        ("en", "is it a growing field"),
        ("fr", "Le solaire, c'est un bon secteur ?"),
        ("fr", "c'est un métier d'avenir ?"),
    ],
)
def test_a_good_sector_is_a_question_on_its_future(personas, lang, line):
    """Round 11: "Is solar a good sector?" after a diploma was answered with training."""
    from bot.engine.acts import Context, read
    from bot.engine.analysis import analyse

    act = read(analyse(line, lang), lang, Context(), personas["sceptic"])
    assert act.topic == "future"


def test_a_figure_word_the_host_said_is_no_request_for_figures():
    """Round 11: "Le moratoire sur le tarif d'achat, c'est-à-dire ?" was a request for secrets."""
    from bot.engine.acts import Context, read
    from bot.engine.analysis import analyse
    from bot.engine.requests import with_requests

    said = (
        "En 2009, j'ai rejoint un installateur solaire. Fin 2010, le moratoire sur le tarif "
        "d'achat a gelé le marché."
    )
    line = "Le moratoire sur le tarif d'achat, c'est-à-dire ?"
    act = read(with_requests(analyse(line, "fr"), "fr"), "fr", Context(previous=said))
    assert act.kind != "confidential_request"
    greedy = "Le moratoire sur le tarif d'achat : et vos tarifs à vous, ils sont de combien ?"
    act = read(with_requests(analyse(greedy, "fr"), "fr"), "fr", Context(previous=said))
    assert act.kind == "confidential_request"


def test_a_question_back_ends_the_reply_and_a_fragment_keeps_its_sentence(personas):
    """Round 11: "Remplacement d'onduleurs, rénovation, démantèlement. Vous savez ce qu'est un
    kilowatt-crête ? L'intelligence artificielle…": a fragment alone, then a question to the
    visitor in the middle of the reply."""
    host = personas["sceptic"]
    asks = host.say("lines.ask_back", "fr")
    lines = [
        "Bonjour. Oui, je m'appelle Kévin Marty, c'est Bernard qui m'a dit de venir. Je regarde "
        "un peu du côté du solaire.",
        "Non non, c'était juste pour savoir, je ne demande pas de poste. Et vous, vous avez "
        "commencé comment dans le solaire ?",
        "D'accord. Et un technicien poseur qui débute chez un installateur, il gagne combien à "
        "peu près ?",
        "Pardon. Et pour l'avenir, avec l'IA et les robots, les poseurs vont être remplacés ?",
    ]
    seen = 0
    for seed in range(8, 16):
        reply = say_all(host, "fr", lines, seed=seed).state.turns[-1].reply
        assert not reply.lstrip().startswith("Remplacement"), reply
        for ask in asks:
            if ask in reply:
                seen += 1
                assert reply.rstrip().endswith(ask), reply
    assert seen  # the host does ask back on some seeds


def test_a_number_promised_is_thanked_as_a_contact(personas):
    """Round 11: "je t'envoie son num ce soir" got "Tiens, je ne savais pas… j'apprends
    quelque chose" and "Tu peux m'envoyer le lien ?"."""
    host = personas["puzzled_friend"]
    lines = [
        "salut laurent, moi c lucas, vendeur chez decathlon depuis 6 ans, c didier qui m'envoie, "
        "je cherche pas de taf je veux comprendre ton metier",
        "je connais bien le directeur du decathlon de villeneuve d'ascq, ils ont plein de velos "
        "retournés, je peux te mettre en contact",
        "je t'envoie son num ce soir",
    ]
    for seed in range(8):
        reply = say_all(host, "fr", lines, seed=seed).state.turns[-1].reply
        assert "savais pas" not in reply and "lien" not in reply, reply


def test_a_question_after_the_time_words_is_answered_too(personas):
    """Round 11: "I'm keeping an eye on the time, so let me steer us to my main question:
    what mistakes…?" got only "Roughly 38 more minutes."."""
    from bot.engine.acts import Context, read
    from bot.engine.analysis import analyse

    line = (
        "Great story. I'm keeping an eye on the time, so let me steer us to my main question: "
        "what mistakes do people coming from hotels typically make in their first year?"
    )
    act = read(analyse(line, "en"), "en", Context(), personas["chatty_expert"])
    assert act.kind == "question" and act.topic == "newcomer_mistakes"
    assert "time_check" in act.also
    only = read(
        analyse("How much time do we have?", "en"), "en", Context(), personas["chatty_expert"]
    )
    assert only.kind == "time_check"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fr", "C'est dangereux, le travail sur les toits ?"),
        ("en", "Is working on roofs dangerous?"),
    ],
)
def test_danger_is_a_question_on_what_is_hard(personas, lang, line):
    """Round 11: "C'est dangereux, le travail sur les toits ?" got what a site manager needs."""
    from bot.engine.acts import Context, read
    from bot.engine.analysis import analyse

    assert read(analyse(line, lang), lang, Context(), personas["sceptic"]).topic == "challenges"


def test_a_follow_up_the_host_has_no_line_on_gets_an_honest_partial_answer(personas):
    """Round 11: "You mentioned three out of four work-study students get hired: what makes
    the difference for the one who isn't?" got the work-study scheme, as if it answered. The
    host now says it has no precise answer before the closest thing it knows; the follow-ups
    before it, which it can answer, get none."""
    host = personas["busy_executive"]
    partial = set(host.say("lines.partial", "en"))
    lines = ROUND_11_CFO
    meeting = say_all(host, "en", lines, seed=11)
    assert any(meeting.state.turns[-1].reply.startswith(p) for p in partial)
    assert not any(t.reply.startswith(p) for t in meeting.state.turns[:-1] for p in partial)


#: A strong visitor's first six lines with the CFO, as a reader of round 11 wrote them.
ROUND_11_CFO = [
    "Good afternoon, Ms Delmas, and thank you for the slot. I'm Julien Marchetti, 24, finishing a Master's in finance at NEOMA in Reims, with a six-month internship in management control at a logistics firm. Stéphane Aubert suggested I meet you. I'm not here about a job: I want to understand how finance works in a mid-sized manufacturer. I have three questions, and I'll keep to fifteen minutes. May I take a few notes?",  # noqa: E501
    "Thank you. My three questions are: how the finance function is organised here, what profiles you recruit, and what you'd advise someone like me. First: how is your finance team split between management control, treasury and consolidation across the six plants?",  # noqa: E501
    "You said the plant controllers report to the plant manager with a dotted line to you: in practice, what happens when a plant manager and you disagree on the numbers?",  # noqa: E501
    "If I understand correctly, order intake is your early-warning signal. When you alerted the CEO those two times in 2023, what did finance actually do next?",  # noqa: E501
    "My second question: when you hire a junior controller or analyst, what profile do you look for, and how does the recruitment process work here?",  # noqa: E501
    "In my internship I rebuilt the monthly reporting for four warehouses in Power BI and cut the closing from eight days to five. So: clean reporting, and comfort talking to operations people. You mentioned three out of four work-study students get hired: what makes the difference for the one who isn't?",  # noqa: E501
]


def test_round_12_non_native_lines_are_read_for_what_they_ask(personas):
    """Round 12 (laconic host, a non-native visitor): notes asked as "i can write some
    notes…?", a question word inside one clause and an either-or in the next, "you think…"
    without its "do", and a referral with "i can meet" and "i can say you send me"."""
    from bot.engine.analysis import analyse
    from bot.engine.requests import with_requests

    def read(line: str):
        return with_requests(analyse(line, "en"), "en")

    assert "notes_permission" in read("ok i can write some notes on phone while we talk?").intents
    assert "notes_permission" not in read("I can take notes for you.").intents
    both = read("but methods and planning what they do all day, is it office job or on the floor")
    assert both.question == "open"
    assert read("robots and automation, you think in 5 years the job change a lot").question
    assert read("i think you are right").question is None
    referral = read(
        "you talk before about methods and planning, is there somebody in methods team here i "
        "can meet 15 min, and i can say you send me"
    ).intents
    assert {"referral_request", "mention_permission"} <= set(referral)
    assert "give_back" not in referral
    assert "give_back" in read("i can send you the article, and can i say you sent me?").intents


def test_round_12_a_question_asked_again_and_one_after_a_promise(personas):
    """Round 12 (puzzled friend, a texting visitor): "mais moi je demandais plutot sa journée
    type" got "Avec plaisir."; "je te l'envoie. et l'insertion dans 5-10 ans tu la vois
    comment" got "Tiens, je ne savais pas.", as if a question were news."""
    from bot.engine.analysis import analyse

    again = "ah ok merci pour le salaire lol mais moi je demandais plutot sa journée type"
    assert analyse(again, "fr").question == "open"
    assert analyse("thanks for that but i was asking about her typical day", "en").question
    assert analyse("je parlais de ça avec mon chef", "fr").question is None
    assert analyse("i was talking about it with my boss", "en").question is None
    lines = [
        "salut laurent merci de me recevoir ! moi c inès, la voisine de didier, jsuis en master "
        "et je veux comprendre l'insertion, je cherche pas de taf",
        "et en echange jfais mon memoire sur le devenir des salariés apres un parcours en SIAE, "
        "je peux te l'envoyer",
        "trop bien je te l'envoie. et l'insertion dans 5-10 ans tu la vois comment, avec les "
        "budgets de l'etat qui bougent et tout",
    ]
    for seed in range(6):
        turn = say_all(personas["puzzled_friend"], "fr", lines, seed=seed).state.turns[-1]
        assert turn.topics and turn.act == "question", turn.act
        assert "savais pas" not in turn.reply, turn.reply


def test_the_visitors_name_never_opens_a_sentence_that_continues_another(personas):
    """Round 12: "Claire, and I'd have built links with local businesses from day one."."""
    import random

    from bot.engine.meeting import Meeting

    meeting = Meeting.start(personas["puzzled_friend"], "en", seed=1)
    meeting.state.visitor["name"] = "Claire"
    meeting.state.named_at = -10
    for seed in range(20):
        parts = meeting._address(["And I'd have built links from day one."], random.Random(seed))
        assert parts == ["And I'd have built links from day one."]


# -- a career goal is heard (round 13) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "goal"),
    [
        ("fr", "Je voudrais devenir DAF dans l'industrie.", True),
        ("fr", "j'aimerais me reconvertir dans l'événementiel", True),
        ("fr", "Je vise un poste de chef de projet dans une agence.", True),
        ("fr", "Je voudrais travailler chez vous.", False),
        ("fr", "Je voudrais revenir sur ce que vous disiez.", False),
        ("en", "i want to move into event agencies", True),
        ("en", "I'd like to become a project manager in an agency", True),
        ("en", "My goal is to work in solar.", True),
        ("en", "I'd like to work for you.", False),
        ("en", "I want to go back to what you said.", False),
    ],
)
def test_a_career_goal_is_read(lang: str, text: str, goal: bool) -> None:
    assert _says("career_goal", text, lang) is goal


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_goal_without_what_is_expected_gets_what_do_you_expect_of_me(personas, lang) -> None:
    """ "Je voudrais devenir DAF dans l'industrie." is heard: the host asks what the visitor
    expects of the meeting (not "what is this meeting about?"), and the answer to that is the
    purpose, welcomed, not asked for again."""
    persona = personas["busy_executive"]
    intro = {
        "fr": "Bonjour, je suis Paul, contrôleur de gestion depuis 5 ans, c'est Marc Petit qui "
        "m'a donné votre nom. Je voudrais devenir DAF dans l'industrie.",
        "en": "Hello, I'm Paul, a management controller for 5 years; Marc Petit gave me your "
        "name. I'd like to become a CFO in industry.",
    }[lang]
    because = {
        "fr": "Comprendre ce que fait vraiment un DAF dans l'industrie.",
        "en": "To understand what a CFO in industry really does.",
    }[lang]
    meeting = say_all(persona, lang, [intro])
    first = meeting.state.turns[-1].reply
    assert first in persona.say("lines.ask_expectation", lang)
    meeting.say(because)
    turn = meeting.state.turns[-1]
    assert "purpose" in turn.intents
    assert turn.reply in persona.say("lines.welcome_intro", lang)


@pytest.mark.parametrize(
    ("persona_id", "lang", "line"),
    [
        ("sceptic", "fr", "Vous êtes supporter du Stade toulousain ?"),
        (
            "chatty_expert",
            "fr",
            "Ça n'a rien à voir, mais vous savez si le Vieux Lyon est encore classé en entier "
            "à l'Unesco ?",
        ),
        ("busy_executive", "fr", "Vous savez s'il existe un bon club de course à pied à Reims ?"),
        ("sceptic", "en", "Do you follow Stade Toulousain?"),
    ],
)
def test_a_question_off_the_host_s_work_is_not_answered_with_a_line_naming_its_town(
    personas, persona_id, lang, line
) -> None:
    """Round 13 (answer-topic measure): a question about something else that shares one word
    with the host's knowledge (its town, its referrer) got that line ("Stade toulousain" →
    the host's training in Toulouse): it gets the host's honest "not my field"."""
    persona = personas[persona_id]
    meeting = say_all(persona, lang, [INTRO[lang], line])
    reply = meeting.state.turns[-1].reply
    assert reply in persona.say("lines.outside", lang)


def test_a_question_made_of_the_last_answer_s_words_gets_what_is_behind_it(personas) -> None:
    """Own play, round 13: "ah ok et le déclic c'était quoi" right after "Le tournant, c'est
    2011…" (a synonym of its word) got "Ça, je le connais mal": it asks for more of that."""
    host = personas["curious_host"]
    lines = [
        "salut thomas, moi c yanis, graphiste print depuis 4 ans, c lea qui m'a filé ton "
        "contact, je viens comprendre ton métier",
        "tu peux me dire comment t'es arrivé dans l'ux ?",
        "ah ok et le déclic c'était quoi",
    ]
    meeting = say_all(host, "fr", lines, seed=13)
    turns = meeting.state.turns
    assert turns[-2].reply.split(", ", 1)[-1].lower().startswith("le tournant, c'est 2011")
    said = next(a for a in host.answers("career_path", "fr") if a.say.startswith("Le tournant"))
    assert turns[-1].reply in said.more


def test_a_strong_english_meeting_with_the_sceptic_answers_what_was_asked(personas) -> None:
    """Own play, round 13, a strong visitor: jobs off the roof got the future of building
    rules; "what do they do all day?" about the design office just described got the host's
    own afternoons; "how long is that training?" another training; "growing or slowing
    down?" two fragments ("Inverter replacements, refurbishment, decommissioning. A market
    that's just starting.")."""
    host = personas["sceptic"]
    lines = [
        "Hello Mr Olivier, I'm Karim, I was a roofer for 10 years and I hurt my back. Bernard "
        "gave me your name. I'm thinking about moving into solar, not on roofs though.",
        "What jobs are there in solar that aren't on a roof?",
        "You mentioned the design office, what do they do all day?",
        "Do I need a degree for that?",
        "How long is that training?",
        "Is the market growing or slowing down right now?",
    ]
    turns = say_all(host, "en", lines, seed=13).state.turns
    assert turns[1].reply.startswith("Design office: technicians and engineers")
    design_office = next(a for a in host.answers("profiles", "en") if "Design office" in a.say)
    assert turns[2].reply.endswith(design_office.more[2])
    degree = next(a for a in host.answers("training", "en") if "vocational degree" in a.say)
    assert turns[4].reply in degree.more
    first = sentences(turns[5].reply)[0]
    assert len(first.split()) > 6, turns[5].reply  # not a list said alone


def test_a_short_answer_never_opens_on_fragments(personas) -> None:
    """ "Inverter replacements, refurbishment, decommissioning. A market that's just starting."
    said alone: the short answer goes back to the sentence that says what they are."""
    host = personas["sceptic"]
    meeting = say_all(host, "en", [INTRO["en"]])
    meeting._analysis = None
    text = (
        "The plants built in the 2010s are reaching mid-life. Inverter replacements, "
        "refurbishment, decommissioning. A market that's just starting."
    )
    from bot.engine.analysis import analyse

    meeting._analysis = analyse("Is the market just starting?", "en")
    assert meeting._short(text) == text


@pytest.mark.parametrize(
    ("lang", "line", "rule"),
    [
        ("en", "what do they do all day?", "they_just_said"),
        ("fr", "et ils font quoi toute la journée ?", "they_just_said"),
        ("en", "How long is that training?", "that_just_said"),
        ("fr", "c'est combien à peu près une formation comme ça", "that_just_said"),
        ("fr", "Cette formation dure combien de temps ?", "that_just_said"),
    ],
)
def test_lines_that_point_back_at_what_the_host_just_said(lang, line, rule) -> None:
    assert _says(rule, line, lang)


# -- round 13 (en, set B) ------------------------------------------------------------------


def _acts(persona: Persona, lang: str, lines: list[str]) -> list[tuple[str, list[str]]]:
    meeting = say_all(persona, lang, lines, seed=13)
    return [(t.act, list(t.intents)) for t in meeting.state.turns]


def test_social_moves_a_texting_visitor_makes_are_read_as_made(personas) -> None:
    """A referral asked as "do u know smone i could talk to, like a job coach in ur team"
    was a job request (the "job" of "job coach"), "just a name of smone to chat with" an
    introduction, and a beginner's pay asked with a generic "u" the host's own salary."""
    lines = [
        "hey laurent its tom, karim from the climbing club gave me ur number. im in retail "
        "sales rn (4 yrs) and i wanna switch to smth more useful like social economy",
        "and for smone starting like a job coach or shop supervisor how much do u get paid roughly",
        "do u know smone i could talk to, like a job coach in ur team or another place",
        "no no not a job, just a name of smone to chat with like today",
    ]
    acts = _acts(personas["puzzled_friend"], "en", lines)
    assert acts[1][0] == "question" and "confidential_request" not in acts[1][1]
    assert acts[2][0] == "referral_request" and "job_request" not in acts[2][1]
    assert acts[3][0] == "referral_request"


def test_the_sceptic_hears_a_request_for_openings(personas) -> None:
    lines = [
        "Hello. I'm Kevin. I'm interested in solar.",
        "Bernard said you might be hiring. Do you have any openings for an electrician?",
    ]
    host = personas["sceptic"]
    meeting = say_all(host, "en", lines, seed=13)
    assert meeting.state.turns[-1].act == "job_request"
    assert meeting.state.turns[-1].reply in host.say("lines.job_request", "en")


def test_follow_ups_on_the_laconic_host_get_the_detail_they_quote(personas) -> None:
    """ "You mention the KPIs: which ones…?" got the morning meeting (the host says
    "indicators"); "You said to work one peak as a temp, October to January: what would I
    learn there…?", asked after another answer, got another piece of advice."""
    host = personas["laconic_host"]
    lines = [
        "Good morning Ms Berrada. I'm Claire Dumont, six years as a customer service team "
        "lead; Julien Morel suggested I contact you. I'd like to understand the job.",
        "What does a typical day look like for you as site manager?",
        "You mention the KPIs. Which ones do you actually watch every day?",
        "Coming from customer service, what would you advise me to do first to be credible "
        "in a warehouse?",
        "Do you work in shifts?",
        "You said to work one peak as a temp, October to January. What would I learn there "
        "that I can't learn from the outside?",
    ]
    turns = say_all(host, "en", lines, seed=13).state.turns
    assert turns[2].reply.startswith("Indicators, I follow four")
    advice = turns[3].answered
    assert advice == "advice"
    given = next(a for a in host.answers("advice", "en") if a.say == turns[3].reply)
    assert turns[4].answered != "advice"
    assert any(turns[5].reply.endswith(more) for more in given.more)


def test_a_job_coach_is_the_host_s_employment_adviser(personas) -> None:
    """Round 13: "a beginner job coach, wat do they earn" got the director's pay; the host
    calls that job an employment adviser."""
    host = personas["puzzled_friend"]
    meeting = say_all(host, "en", [INTRO["en"], "i mean a beginner job coach, wat do they earn"])
    assert "an employment adviser starts" in meeting.state.turns[-1].reply.lower()


def test_a_short_answer_never_is_a_fragment_alone(personas) -> None:
    """Own play, round 13: "C'est dur ?" to the busy CFO got "Cela dépend de l'usine.
    L'énergie." (the first sentence of her answer, one word)."""
    host = personas["busy_executive"]
    meeting = say_all(host, "fr", ["Bonjour, je suis Léa, je suis comptable.", "C'est dur ?"], 13)
    said = meeting.state.turns[-1].reply
    assert "L'énergie." not in said or "L'énergie. En 2022" in said


def test_how_the_laconic_host_moved_up_is_her_career(personas) -> None:
    """Round 13: "How did you move up from picker to manager?" got the picker detail again,
    "what were the steps up to running the site?" the site's departments."""
    host = personas["laconic_host"]
    lines = [
        "Good morning Ms Berrada. I'm Claire Dumont, six years as a customer service team "
        "lead; Julien Morel suggested I contact you. I'd like to understand the job.",
        "Thank you. How did you end up running a warehouse? What was your path?",
        "You say you've done every job in the warehouse. How did you move up from picker to "
        "manager?",
        "And after picking, what were the steps up to running the site?",
    ]
    turns = say_all(host, "en", lines, seed=13).state.turns
    assert turns[2].answered == "career_path" and "Temp picker" not in turns[2].reply
    assert turns[3].answered == "career_path"


def test_a_texting_visitor_to_the_puzzled_friend_in_french(personas) -> None:
    """Own play, round 13: "et ils gagnent combien en gros" about the supervisors just
    named got "je le garde pour moi"; "jpeux venir aider" a Saturday got "je ne savais pas"."""
    host = personas["puzzled_friend"]
    lines = [
        "slt laurent c moi kevin, didier m'a dit de venir te voir, jbosse dans la vente depuis "
        "3 ans et jveux faire un truc plus utile",
        "jveux comprendre comment ca marche chez toi",
        "tu parles des encadrants, ils font quoi exactement",
        "et ils gagnent combien en gros",
        "merci bcp, si t'as besoin de bras pour un samedi jpeux venir aider",
    ]
    turns = say_all(host, "fr", lines, seed=13).state.turns
    assert turns[3].act == "question" and turns[3].answered == "pay"
    assert "encadrant" in normalise(turns[3].reply)
    assert "give_back" in turns[4].intents and "savais pas" not in normalise(turns[4].reply)


@pytest.mark.parametrize(
    ("lang", "lines", "first_words"),
    [
        (
            "fr",
            [
                "Bonjour Monsieur Fontaine, je suis Camille Roux, sept ans responsable des groupes "
                "dans un hôtel ; Sylvie Brunet m'a conseillé de vous contacter, j'aimerais "
                "comprendre le métier.",
                "Concrètement, comment se déroule l'organisation d'un séminaire, du premier "
                "contact au jour J ?",
                "Vous parlez du brief : qu'est-ce qui fait un bon brief ?",
            ],
            "La première étape, c'est le brief",
        ),
        (
            "en",
            [
                "hi im sam, i worked 6 yrs in hotels as events coordinator, my friend julie gave "
                "me ur name, i want to move into event agencies",
                "how do u organise a big event, whats the 1st step",
            ],
            "A seminar, from the first call to the big day?",
        ),
    ],
)
def test_how_an_event_is_organised_is_the_agency_founder_s_trade(
    personas, lang, lines, first_words
) -> None:
    """Own play, round 13: the agency founder had no answer on how an event is organised
    step by step (peak season, then "not my field"), and "qu'est-ce qui fait un bon brief ?"
    after it got his opinion of the visitor's project."""
    reply = say_all(personas["chatty_expert"], lang, lines, seed=13).state.turns[-1].reply
    assert first_words in reply, reply


def test_an_answer_that_adds_to_another_never_opens_a_topic(personas) -> None:
    """Own play, round 13: "What does a typical week look like for you?" got "There is a lot
    of proofreading too." as the first word on the topic."""
    host = personas["guarded_insider"]
    meeting = say_all(host, "en", [INTRO["en"], "What does a typical week look like for you?"])
    assert "too." not in sentences(meeting.state.turns[-1].reply)[0]
    from bot.engine.acts import rule

    assert rule("en", "sequel").match(normalise("There is a lot of proofreading too. Print…"))
    assert not rule("en", "sequel").match(normalise("Mornings are for the team. Then…"))


def test_a_visitor_named_like_the_host_s_contact_is_not_taken_for_him(personas) -> None:
    """Own play, round 13: Julien, sent by Paul Girard, heard "Passez par Julien" (the
    laconic host's contact is Julien Morel) when he promised news."""
    host = personas["laconic_host"]
    lines = [
        "Bonjour Madame Berrada, je suis Julien, j'ai été chef de rayon pendant six ans, c'est "
        "Paul Girard de l'association logistique qui m'a donné votre nom. J'aimerais "
        "comprendre le métier de chef d'équipe en entrepôt.",
        "Merci beaucoup pour votre temps, je vous tiens au courant.",
    ]
    meeting = say_all(host, "fr", lines, seed=13)
    assert meeting.has("other_referrer") and not meeting.has("named_referrer")
    assert "Julien" not in meeting.state.turns[-1].reply
