"""The kinds of feedback error a coach's reading found (issue #12), each pinned through the
document `python -m bot play --json` prints: counts, evidence, advice, scores, rewordings."""

from __future__ import annotations

import json

from bot.channels.terminal import play, play_json
from bot.engine.personas import Persona

BUSY_LINES = [
    "Bonjour Madame Delmas, merci de me recevoir. Je suis Sophie Lemaire, comptable depuis 12 ans dans un cabinet d'expertise, et Stéphane Aubert m'a suggéré de vous rencontrer. Je souhaite évoluer vers le contrôle de gestion en industrie et je viens chercher votre regard sur ce métier, pas un poste. J'ai trois questions, je serai brève.",  # noqa: E501
    "Je peux prendre des notes ? Première question : comment est organisé le contrôle de gestion dans votre groupe, et quel est son rôle auprès des usines ?",  # noqa: E501
    "Ce double rattachement, au directeur d'usine et à vous, comment le contrôleur le vit-il au quotidien ?",  # noqa: E501
    "Deuxième question : avec un profil comme le mien, venant de l'expertise comptable, qu'est-ce qui me manquerait le plus pour être crédible comme contrôleuse de gestion en usine ?",  # noqa: E501
    "Vous dites que l'expertise comptable mène plutôt à la consolidation : pour le contrôle de gestion en usine, ce serait donc un handicap ?",  # noqa: E501
    "Et quelle fourchette de salaire pour un contrôleur de gestion junior en usine, dans une ETI comme la vôtre ?",  # noqa: E501
    "Troisième question : comment l'automatisation et l'IA transforment-elles le travail de vos contrôleurs ?",  # noqa: E501
    "Et ce poste et demi gagné, qu'est-ce que ces personnes font maintenant à la place ?",
    "Vos contrôleurs font du télétravail ?",
    "J'ai lu votre communiqué sur le chiffre d'affaires 2025, en hausse de 6 %, et l'ouverture de la ligne de barquettes recyclées à Angers. D'ailleurs, mon cabinet a publié une note sur les nouvelles obligations de reporting CSRD pour les ETI, je peux vous l'envoyer si cela vous est utile.",  # noqa: E501
    "Il me reste une minute. Qui me conseilleriez-vous de rencontrer pour approfondir le contrôle de gestion industriel ?",  # noqa: E501
]


def feedback(persona: Persona, lang: str, lines: list[str], seed: int = 5) -> dict:
    return json.loads(play_json(play(persona, lang, lines, seed=seed, hints=False)))["feedback"]


# -- 1. one count of open questions ------------------------------------------------------------


def test_the_closed_count_in_the_advice_is_the_stats_count(personas):
    """ "1 de vos 10 questions était fermée" next to stats saying 6 of 10 were open was false."""
    lines = [
        "Bonjour, je suis Claire, Sylvie Brunet m'a donné votre nom.",
        "Comment êtes-vous arrivé dans l'événementiel ?",
        "Est-ce que l'IA commence à changer les choses ?",
        "Vous travaillez souvent le week-end ?",
        "Combien de chefs de projet avez-vous ?",
        "Qu'est-ce qui vous plaît le plus dans ce métier ?",
    ]
    result = feedback(personas["chatty_expert"], "fr", lines)
    stats = result["stats"]
    closed = stats["questions"] - stats["open_questions"]
    advice = result["criteria"]["open_questions"]["advice"]
    assert closed >= 2
    assert advice.startswith(f"{closed} de vos {stats['questions']} questions"), advice


def test_one_closed_question_is_singular_in_english(personas):
    lines = [
        "How did you get into events?",
        "What does a typical day look like?",
        "What do newcomers get wrong?",
        "What do you enjoy most?",
        "How do clients find you?",
        "Do you travel a lot?",
    ]
    advice = feedback(personas["chatty_expert"], "en", lines)["criteria"]["open_questions"]
    assert advice["advice"].startswith("Mostly open questions: well done. 1 was closed"), advice
    advice = feedback(personas["chatty_expert"], "en", lines[4:])["criteria"]["open_questions"]
    assert advice["advice"].startswith("1 of your 2 questions was closed"), advice


# -- 2. evidence chosen per criterion ------------------------------------------------------------


def test_an_announced_new_question_is_not_active_listening(personas):
    lines = [
        "Bonjour Madame Delmas, je suis Sophie, comptable depuis 12 ans ; Stéphane Aubert m'a "
        "donné votre nom. Je viens comprendre votre métier, pas chercher un poste.",
        "Comment est organisé le contrôle de gestion dans votre groupe ?",
        "Deuxième question : avec un profil comme le mien, qu'est-ce qui me manquerait pour "
        "être crédible comme contrôleur de gestion ?",
    ]
    listening = feedback(personas["busy_executive"], "fr", lines)["criteria"]["active_listening"]
    assert lines[2] not in listening["evidence"]


def test_a_referral_request_is_not_advice_on_ones_project(personas):
    lines = [
        "Bonjour Madame Marchand, je suis Julie Roche, ingénieure qualité depuis sept ans.",
        "Pouvez-vous me décrire votre travail au quotidien ?",
        "Connaîtriez-vous quelqu'un que je pourrais rencontrer, venant comme moi d'un autre "
        "secteur ?",
    ]
    own = feedback(personas["guarded_insider"], "fr", lines)["lessons"]["own_project"]
    assert lines[2] not in own["evidence"]


def test_research_on_the_host_is_not_an_asset(personas):
    research = (
        "J'ai lu votre communiqué sur le chiffre d'affaires 2025, en hausse de 6 %, et "
        "l'ouverture de la ligne d'Angers."
    )
    lines = ["Bonjour Madame Delmas, je suis Sophie, comptable depuis 12 ans.", research]
    result = feedback(personas["busy_executive"], "fr", lines)
    assert research not in result["criteria"]["assets"]["evidence"]
    assert research in result["criteria"]["preparation"]["evidence"]


# -- 3. advice that agrees with the meeting --------------------------------------------------


def test_a_duration_said_by_the_visitor_is_minding_the_time(personas):
    lines = [
        "Salut Laurent, moi c'est Antoine, un ami de Didier Vasseur. Je réfléchis à me "
        "reconvertir dans l'insertion, je viens comprendre ton métier.",
        "On a une demi-heure, ça te va ?",
        "Comment se passe une journée type chez vous ?",
    ]
    result = feedback(personas["puzzled_friend"], "fr", lines)
    time = result["lessons"]["time"]
    assert time["done"] is True and lines[1] in time["evidence"]
    assert "combien de temps" not in time["advice"]
    assert lines[1] not in [item["question"] for item in result["rewordings"]]


def test_purpose_in_everyday_words_is_not_advised_again(personas):
    lines = [
        "salut thomas moi c mathis, c lea qui ma filé ton contact",
        "ben comprendre comment ca marche le metier, pas chercher un taf chez toi hein. tu "
        "fais quoi concretement dans une journée ?",
    ]
    intro = feedback(personas["curious_host"], "fr", lines)["criteria"]["introduction"]
    assert "Je ne cherche pas d’emploi" not in intro["advice"]
    assert lines[1] in intro["evidence"]


def test_steering_back_in_so_many_words_passes_the_steering_lesson(personas):
    lines = [
        "Bonjour Monsieur Fontaine, je suis Claire, Sylvie Brunet m'a donné votre nom.",
        "Comment en êtes-vous venu à créer votre agence ?",
        "Belle histoire ! Pour revenir à mes questions : quels profils recrutez-vous ?",
    ]
    steering = feedback(personas["chatty_expert"], "fr", lines)["lessons"]["steering"]
    assert steering["done"] is True and lines[2] in steering["evidence"]


def test_a_yes_to_may_i_say_you_sent_me_is_not_asked_again(personas):
    lines = [
        "Salut Laurent, moi c'est Antoine, un ami de Didier Vasseur ; je réfléchis à me "
        "reconvertir dans l'insertion et je viens comprendre ton métier.",
        "Comment se passe une journée type pour un encadrant technique ?",
        "Je connais plusieurs directeurs de magasins de bricolage, je peux te passer leurs "
        "contacts.",
        "Est-ce que tu connais quelqu'un, peut-être un encadrant technique, avec qui je "
        "pourrais discuter du métier ?",
        "Génial, merci ! Je peux lui dire que je viens de ta part ?",
    ]
    host = personas["puzzled_friend"]
    result = feedback(host, "fr", lines)
    assert result["stats"]["referral_given"], "the host named nobody: the test needs a name"
    checklist = " ".join(result["checklist"])
    assert "demandez d’abord" not in checklist
    assert "lui ou elle" not in checklist
    quality = result["lessons"]["referral_quality"]
    assert "comment joindre la personne et si" not in quality["advice"]


def test_the_checklist_names_the_host_and_asks_only_what_is_unsettled(personas):
    """No "lui ou elle" for a host whose name is known, and no "ask how to reach them" when
    the host said it would write to the person named ("Je le préviens par mail")."""
    lines = BUSY_LINES
    host = personas["busy_executive"]
    result = feedback(host, "fr", lines)
    assert result["stats"]["referral_given"], "the host named nobody: the test needs a name"
    checklist = " ".join(result["checklist"])
    assert "lui ou elle" not in checklist
    assert f"c’est {host.name} qui vous envoie" in checklist
    advice = result["criteria"]["referral"]["advice"]
    assert "joindre" not in advice and "se charge de vous présenter" in advice, advice


# -- 4. fair scores --------------------------------------------------------------------------


def test_years_in_a_trade_are_a_fact_not_yet_an_achievement(personas):
    """ "Électricien depuis 10 ans" is a concrete fact (more than "I worked in retail"), but
    praising it as "des réalisations concrètes" (a coach's reading) overstates it."""
    from bot.engine.rubric import rubric

    line = "Bonjour, je m'appelle Lucas, je suis électricien dans le bâtiment depuis 10 ans."
    assets = feedback(personas["sceptic"], "fr", [line, "Comment se passe un chantier ?"])
    criterion = assets["criteria"]["assets"]
    assert criterion["score"] == rubric()["assets"]["experience"] > rubric()["assets"]["vague"]
    assert line in criterion["evidence"]
    assert "réalisations" not in criterion["advice"] and "résultat" in criterion["advice"]
    done = "J'ai encadré une équipe de 8 préparateurs pendant 6 ans et réduit les erreurs de 30 %."
    assets = feedback(personas["sceptic"], "fr", [line, done, "Comment se passe un chantier ?"])
    assert assets["criteria"]["assets"]["score"] == 100


def test_an_offer_of_named_contacts_is_concrete(personas):
    offer = (
        "sinon si ca peut taider jconnais bien les imprimeurs nantais, si un jour t'as un "
        "client qui a besoin de print jpeux te filer des noms"
    )
    lines = ["salut thomas moi c mathis, c lea qui ma filé ton contact", offer]
    give = feedback(personas["curious_host"], "fr", lines)["criteria"]["give_back"]
    assert give["score"] == 100 and offer in give["evidence"]


def test_asking_for_openings_costs_respect_and_the_persona_lesson(personas):
    ask = "Do you have any openings for a team supervisor at the moment?"
    lines = [
        "Hi Laurent, I'm Mehdi, Didier Vasseur sent me; I'm not here for a job, I'd like to "
        "understand how the shop works.",
        "How does a typical day go for a supervisor?",
        ask,
    ]
    result = feedback(personas["puzzled_friend"], "en", lines)
    assert result["criteria"]["respect"]["score"] < 80
    assert ask in result["criteria"]["respect"]["evidence"]
    assert ask not in [item["question"] for item in result["rewordings"]]
    assert result["lesson"]["done"] is False


def test_a_purpose_the_host_had_to_ask_for_fails_the_introduction_lesson(personas):
    lines = [
        "Salut Laurent, merci de prendre ce temps ! Moi c'est Antoine Mercier, un ami de "
        "Didier Vasseur, on joue au foot ensemble.",
        "Pardon, j'aurais dû commencer par là ! Je réfléchis à me reconvertir dans "
        "l'insertion, je viens comprendre ton métier, pas chercher un poste.",
        "Comment se passe une journée type chez vous ?",
    ]
    result = feedback(personas["puzzled_friend"], "fr", lines)
    assert result["lesson"]["trains"] == "introduction"
    assert result["lesson"]["done"] is False
    assert result["criteria"]["introduction"]["score"] < 100


def test_a_job_lead_asked_as_a_referral_is_no_referral(personas):
    lines = [
        "hello",
        "how many people work here?",
        "do you know someone I could call for a job?",
    ]
    result = feedback(personas["laconic_host"], "en", lines)
    assert result["criteria"]["referral"]["score"] == 0
    assert lines[2] in result["criteria"]["respect"]["evidence"]


def test_short_yes_no_questions_show_no_preparation(personas):
    lines = [
        "Do you like your job?",
        "Is it hard?",
        "Do you work from home?",
        "Is the pay good?",
        "Does AI change things?",
    ]
    prep = feedback(personas["laconic_host"], "en", lines)["criteria"]["preparation"]
    assert prep["score"] < 40, prep


def test_notes_asked_late_are_not_full_marks(personas):
    lines = [
        "Good morning Ms Delmas, I'm Karim; Stéphane Aubert suggested I contact you.",
        "How is the finance team organised?",
        "What do you look for in a plant controller?",
        "What should I do first, given my retail background?",
        "How do your controllers use SAP?",
        "Do you mind if I jot that down?",
        "How do you see the job changing?",
    ]
    notes = feedback(personas["busy_executive"], "en", lines)["criteria"]["notes_permission"]
    assert 0 < notes["score"] < 100
    assert "late" in notes["advice"]


def test_a_clean_meeting_quotes_what_showed_respect(personas):
    lines = [
        "Bonjour Madame Marchand, je suis Julie Roche ; Hélène Garnier m'a conseillé de vous "
        "contacter.",
        "Comment se passe votre travail au quotidien ?",
        "Merci beaucoup pour votre temps, je vous tiendrai au courant.",
    ]
    respect = feedback(personas["guarded_insider"], "fr", lines)["criteria"]["respect"]
    assert respect["score"] == 100
    assert lines[0] in respect["evidence"] and lines[-1] in respect["evidence"]


# -- 5. rewordings ------------------------------------------------------------------------------


def test_two_questions_never_get_the_same_rewording(personas):
    lines = [
        "Bonjour, je suis Lucas, électricien depuis 10 ans.",
        "Et la formation hauteur, c'est obligatoire pour poser des panneaux ?",
        "Et la certification QualiPV, c'est utile pour un électricien ?",
    ]
    rewordings = feedback(personas["sceptic"], "fr", lines)["rewordings"]
    opens = [item["open"] for item in rewordings]
    assert len(opens) == len(set(opens)), opens


def test_a_rewording_keeps_the_subject_of_the_question(personas):
    lines = ["Vous travaillez ici depuis longtemps ?", "C'est dur comme métier ?"]
    rewordings = feedback(personas["laconic_host"], "fr", lines)["rewordings"]
    opens = {item["question"]: item["open"] for item in rewordings}
    assert "parcours" in opens[lines[0]], opens  # no "arrivé" for a host who may be a woman
    assert opens[lines[1]] == "À quel point c'est dur comme métier ?", opens
