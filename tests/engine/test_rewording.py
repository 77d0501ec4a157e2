"""A yes/no question opened in the visitor's own words, subject kept (`bot.engine.rewording`)."""

import pytest

from bot.engine.rewording import open_in_own_words

OPENED = [
    # Round 21: how often, not "to what extent… often"; a step of one's own plan.
    (
        "fr",
        "Le Consuel, ça bloque souvent les chantiers ?",
        "Le Consuel, à quelle fréquence est-ce que ça bloque les chantiers ?",
    ),
    (
        "en",
        "Does the grid connection often delay projects?",
        "How often does the grid connection delay projects?",
    ),
    (
        "en",
        "Should I do a master's in finance first?",
        "How useful would it be to do a master's in finance first?",
    ),
    ("en", "Is PVsyst hard to learn on your own?", "How hard is PVsyst to learn on your own?"),
    ("en", "Is decision-making very different?", "How different is decision-making?"),
    (
        "en",
        "Six months to integrate, is that realistic?",
        "Six months to integrate, how realistic is that?",
    ),
    (
        "en",
        "Has remote working changed the way you recruit controllers?",
        "How has remote working changed the way you recruit controllers?",
    ),
    ("en", "Do you like your job?", "What do you like about your job?"),
    ("en", "Is that a complicated process?", "To what extent is that a complicated process?"),
    ("en", "Do you have any tips on getting in?", "What tips do you have on getting in?"),
    ("en", "Do you have many Swiss clients?", "How many Swiss clients do you have?"),
    (
        "en",
        "Do you think robots will replace pickers?",
        "To what extent do you think robots will replace pickers?",
    ),
    (
        "en",
        "Are there any certifications worth getting?",
        "What examples of certifications worth getting come to mind?",
    ),
    ("en", "Do you use AI tools at work?", "How do you use AI tools at work?"),
    ("fr", "Vous utilisez l'IA au quotidien ?", "Comment utilisez-vous l'IA au quotidien ?"),
    (
        "fr",
        "Le travail est très différent de l'agence ?",
        "À quel point le travail est différent de l'agence ?",
    ),
    (
        "fr",
        "L'anglais est-il vraiment indispensable dans votre équipe ?",
        "À quel point l'anglais est-il indispensable dans votre équipe ?",
    ),
    ("fr", "Vous avez beaucoup de clients suisses ?", "Combien de clients suisses avez-vous ?"),
    (
        "fr",
        "Il y a beaucoup de studios comme le vôtre à Nantes ?",
        "Combien de studios y a-t-il comme le vôtre à Nantes ?",
    ),
    (
        "fr",
        "Il y a des certifs reconnues ?",
        "Quels exemples de certifs reconnues vous viennent à l’esprit ?",
    ),
    ("fr", "Tu trouves ça réaliste ?", "À quel point trouves-tu ça réaliste ?"),
    # Round 15: "À quel point C'était dur de changer ?"
    ("fr", "C'était dur de changer ?", "À quel point c'était dur de changer ?"),
    (
        "fr",
        "Honnêtement, vous pensez qu'un ancien banquier a une chance ?",
        "Honnêtement, selon vous, dans quelle mesure un ancien banquier a une chance ?",
    ),
    ("fr", "Vous aimez votre métier ?", "Qu’est-ce qui vous plaît dans votre métier ?"),
    (
        "fr",
        "Est ce qu'on peut être pris sans alternance ?",
        "Dans quelle mesure peut-on être pris sans alternance ?",
    ),
    (
        "fr",
        "Le reporting va-t-il devenir un métier à part entière ?",
        "Dans quelle mesure le reporting va-t-il devenir un métier à part entière ?",
    ),
    (
        "fr",
        "La pénurie d'électriciens, ça vous oblige à recruter autrement ?",
        "La pénurie d'électriciens, dans quelle mesure est-ce que ça vous oblige à recruter"
        " autrement ?",
    ),
    # Round 16: "Dans quelle mesure est-ce que ça va durer vous pensez ?"
    ("fr", "Est-ce que ça va durer vous pensez ?", "Selon vous, dans quelle mesure ça va durer ?"),
    # "Dans quelle mesure… beaucoup", "To what extent… a lot": two measures of degree.
    ("fr", "Vous voyagez beaucoup ?", "Dans quelle mesure voyagez-vous ?"),
    (
        "en",
        "You mentioned raw materials, do prices still go up a lot?",
        "You mentioned raw materials, to what extent do prices still go up?",
    ),
    ("en", "Do new people make a lot of mistakes?", "To what extent do new people make mistakes?"),
]

#: No frame fits: the coach falls back on the stock question of the subject.
LEFT = [
    # Round 21: no degree in a time of day, a name checked, a figure compared, "is there a".
    ("en", "That free hour, is it in the morning?"),
    ("en", "watching people struggle with a screen, is that what you call user testing?"),
    ("en", "Does a junior controller earn more than 40k?"),
    ("en", "Is there a classic mistake beginners make?"),
    ("en", "Could I show you one of my case studies?"),  # a request
    ("en", "Did you start in audit?"),  # the host's past
    ("en", "Hélène mentioned you sing in a choir, is that right?"),  # a check
    ("en", "Do you surf?"),  # nothing to keep
    ("fr", "Vous avez toujours travaillé chez Delorme ?"),
    ("fr", "Vous voulez dire les tarifs de rachat ?"),  # a clarification
    ("fr", "40 000 par jour, c'est ça ?"),
    ("fr", "Il n'y a pas de possibilité de la rajouter ?"),  # negative
    ("fr", "C'est une asso ou une entreprise ?"),
    # Round 16: a fact, not a degree ("Dans quelle mesure faites-vous surtout…").
    ("fr", "Vous faites surtout des toitures agricoles ?"),
    ("fr", "Tu déplaces des gens d'un quai à l'autre ?"),
    # Round 16: a share, not a degree ("To what extent is your day mostly meetings?").
    ("en", "Is your day mostly meetings?"),
    # Round 17: a time, a necessity ("to what extent was that while…", "dans quelle mesure
    # faut-il forcément un master").
    ("en", "wait the evening classes at cnam, was that while u were still working full time?"),
    ("fr", "Faut-il forcément un master pour travailler en contrôle de gestion ?"),
    ("fr", "Et l'audit dans un Big Four, c'est obligé de passer par là pour devenir DAF ?"),
    # Round 19: a share asked with "how" asks another thing ("How do you work mostly with
    # farms?"), and a bare "it" or "that" keeps no subject ("To what extent is it dangerous?").
    ("en", "Do you work mostly with farms?"),
    ("en", "Do you spend most of the day writing dossiers?"),
    ("fr", "Vous travaillez surtout avec des fermes ?"),
    ("en", "Is it dangerous?"),
    ("en", "Is that going to get better?"),
]

#: Round 19: the model question keeps no chat spelling the same feedback tells the visitor
#: to drop ("do u think ux jobs r gonna shrink", "like robots n stuff").
WRITTEN_OUT = [
    (
        "en",
        "And with all the ai tools now like figma ai n stuff, do u think ux jobs r gonna shrink?",
        "And with all the AI tools now, to what extent do you think UX jobs are going to shrink?",
    ),
    (
        "en",
        "is automation gonna change the job, like robots n stuff",
        "To what extent is automation going to change the job?",
    ),
    (
        "en",
        "Is the pay good at least for a beginner?",
        "To what extent is the pay good for a beginner?",
    ),
    (
        "fr",
        "tu penses que l ia va remplacer les designers",
        "Selon toi, dans quelle mesure l'IA va remplacer les designers ?",
    ),
]


@pytest.mark.parametrize(("lang", "question", "opened"), WRITTEN_OUT)
def test_the_open_question_is_written_out(lang, question, opened):
    assert open_in_own_words(question, lang) == opened


@pytest.mark.parametrize(("lang", "question", "opened"), OPENED)
def test_a_closed_question_is_opened_with_its_own_words(lang, question, opened):
    assert open_in_own_words(question, lang) == opened


@pytest.mark.parametrize(("lang", "question"), LEFT)
def test_no_frame_rather_than_a_broken_question(lang, question):
    assert open_in_own_words(question, lang) is None


def test_the_register_of_the_meeting_when_the_question_has_no_pronoun():
    opened = open_in_own_words("Il y a des pièges à éviter ?", "fr", address="tu")
    assert opened == "Quels exemples de pièges à éviter te viennent à l’esprit ?"


def test_a_tag_asking_for_a_yes_is_left_out_of_the_open_question():
    """Round 17: "Et l'IA, dans quelle mesure est-ce que ça va remplacer les contrôleurs de
    gestion, non ?" kept the "non ?" of the closed question."""
    opened = open_in_own_words("Et l'IA, ça va remplacer les contrôleurs de gestion, non ?", "fr")
    assert opened is not None and not opened.rstrip(" ?").endswith("non"), opened
