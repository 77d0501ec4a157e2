"""The utterance analysis on the hard cases of the issues, on what users really type, and on
the `python -m bot analyze` entry point. Accuracy on the labelled sets is guarded separately
(`test_evaluation_floors.py`)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.engine.analysis import (
    EXTRA_INTENTS,
    INTENTS,
    LEXICON_DIR,
    TOPICS,
    Analysis,
    Lexicon,
    analyse,
    clean,
    grams,
    lexicon,
    normalise,
)
from bot.evaluation import load_set

OPEN, CLOSED, NONE = "open", "closed", None

# -- question type -------------------------------------------------------------------------

QUESTIONS = [
    # The cases the issues name.
    ("fr", "Pouvez-vous me décrire une journée type ?", OPEN),
    ("fr", "Qu'est-ce qui vous plaît dans ce métier ?", OPEN),
    ("en", "How did you get into this field?", OPEN),
    ("en", "Tell me about your first year in the job.", OPEN),
    ("en", "Tell me about the team", OPEN),
    ("fr", "Parlez-moi de votre équipe", OPEN),
    ("fr", "Je me demandais comment vous étiez arrivée là", OPEN),
    ("en", "Could you walk me through a typical project?", OPEN),
    ("fr", "Pourriez-vous m'expliquer comment se passe un recrutement ?", OPEN),
    ("fr", "Quelles sont les qualités attendues ?", OPEN),
    ("en", "I was wondering how you ended up at the Red Cross", OPEN),
    ("fr", "Est-ce que vous aimez votre travail ?", CLOSED),
    ("fr", "Vous voyagez beaucoup ?", CLOSED),
    ("fr", "Combien êtes-vous dans l'équipe ?", CLOSED),
    ("en", "Do you like it?", CLOSED),
    ("fr", "Vous n'avez pas trop de déplacements ?", CLOSED),
    ("fr", "plutôt terrain ou bureau ?", CLOSED),
    ("fr", "Pouvez-vous me dire si le poste est ouvert aux débutants ?", CLOSED),
    ("en", "I'd like to know whether a master's is really necessary.", CLOSED),
    ("en", "Where is the office?", CLOSED),
    ("en", "Since when?", CLOSED),
    ("fr", "Puis-je prendre des notes ?", CLOSED),
    ("en", "So you started as an intern?", CLOSED),
    # Which/what asks for one fact, or invites to elaborate, by the noun that follows.
    ("fr", "Quel est le salaire d'entrée ?", CLOSED),
    ("fr", "Quelle est l'organisation de l'équipe ?", OPEN),
    ("en", "What's the starting salary for a junior buyer?", CLOSED),
    ("en", "What's the culture like in the company?", OPEN),
    ("en", "Which software do you use for route planning?", CLOSED),
    # Several clauses: one open clause makes the line open.
    ("en", "Who else should I speak with, and why?", OPEN),
    ("fr", "Qui sont vos principaux partenaires et comment travaillez-vous avec eux ?", OPEN),
    ("en", "If you could change one thing about your job, what would it be?", OPEN),
    ("fr", "Bonjour, je suis Marc, technicien. Pouvez-vous me décrire votre rôle ?", OPEN),
    # Informal, no accents, typos, SMS.
    ("fr", "Pouvez vous me decrire une journee type", OPEN),
    ("fr", "tu peux me raconter comment t'as commencé ?", OPEN),
    ("fr", "pouriez vous m'expliquer votre parcours ?", OPEN),
    ("fr", "kesk tu fé ds ta boite", OPEN),
    ("fr", "cmt t'es arrivé la", OPEN),
    ("fr", "vs etes combien ds la boite", CLOSED),
    ("fr", "vous avez des horaires decales", CLOSED),
    ("fr", "Et du coup, ta journée elle ressemble à quoi ?", OPEN),
    ("en", "whats ur typical day like", OPEN),
    ("en", "u work from home sometimes", CLOSED),
    ("en", "any chance ur team needs someone like me", CLOSED),
    # Not questions: statements, conditionals, small talk, exclamations.
    ("fr", "Bonjour, je m'appelle Julie et je suis comptable depuis huit ans.", NONE),
    ("fr", "Si vous voulez, je peux vous mettre en contact avec mon ancien chef.", NONE),
    ("fr", "Quand j'aurai fini ma formation, je vous ferai signe.", NONE),
    ("fr", "Je vous tiendrai au courant de la suite.", NONE),
    ("fr", "Bonjour, comment allez-vous ?", NONE),
    ("en", "When I finish my course, I'll get back to you.", NONE),
    ("en", "What a coincidence, I grew up in that town too!", NONE),
    ("en", "Have a nice weekend!", NONE),
    ("en", "What I'm after is a clearer picture of the market: who the players are.", NONE),
    ("en", "Let me know if I can help with anything, I mean it.", NONE),
]


@pytest.mark.parametrize(("lang", "text", "expected"), QUESTIONS)
def test_question_type(lang: str, text: str, expected: str | None) -> None:
    assert analyse(text, lang).question == expected


def test_questions_keep_each_sentence_with_its_type() -> None:
    result = analyse(
        "Merci ! Vous travaillez ici depuis longtemps ? Et qu'est-ce qui vous plaît ?", "fr"
    )
    assert result.questions == (
        ("Vous travaillez ici depuis longtemps ?", "closed"),
        ("Et qu'est-ce qui vous plaît ?", "open"),
    )
    assert result.question == "open"


# -- intents -------------------------------------------------------------------------------

INTENT_CASES = [
    ("fr", "Connaîtriez-vous quelqu'un que je pourrais rencontrer ?", {"referral_request"}),
    ("en", "Is there anyone else you think I should talk to?", {"referral_request"}),
    ("fr", "Qui d'autre devrais-je rencontrer selon vous ?", {"referral_request"}),
    ("en", "Can I mention that you sent me?", {"referral_request"}),
    (
        "fr",
        "Bonjour, je m'appelle Claire, je suis comptable. C'est Paul qui m'a donné votre nom.",
        {"introduction", "link"},
    ),
    ("en", "I'm not looking for a job, I just want to understand the sector.", {"purpose"}),
    ("fr", "J'ai géré une équipe de 8 préparateurs pendant quatre ans.", {"assets"}),
    ("en", "Do you mind if I take a few notes?", {"notes_permission"}),
    ("fr", "Combien gagne votre directeur commercial ?", {"confidential_request"}),
    ("en", "Are you hiring at the moment?", {"job_request"}),
    ("fr", "Je peux vous envoyer l'étude dont je vous ai parlé.", {"give_back"}),
    ("en", "Thanks so much for your time.", {"thanks"}),
    ("fr", "Je vous tiendrai informée de la suite.", {"keep_informed"}),
    # Lookalikes that are not the intent.
    ("fr", "Je ne cherche pas un emploi, juste des conseils.", {"purpose"}),
    ("en", "Are your competitors recruiting at the moment?", set()),
    ("fr", "Je connais quelqu'un à la mairie, je vous mets en relation.", {"give_back"}),
    ("en", "I'll send you a quick note after my interview.", {"keep_informed"}),
]


@pytest.mark.parametrize(("lang", "text", "expected"), INTENT_CASES)
def test_rubric_intents(lang: str, text: str, expected: set[str]) -> None:
    assert set(analyse(text, lang).intents) & set(INTENTS) == expected


@pytest.mark.parametrize(
    ("lang", "text", "intent"),
    [
        ("fr", "Bonjour, enchantée !", "greeting"),
        ("en", "Hello, nice to meet you!", "greeting"),
        ("fr", "Au revoir et bonne journée", "goodbye"),
        ("en", "Bye, have a great day", "goodbye"),
        ("fr", "J'ai lu votre rapport annuel avant de venir.", "preparation"),
        ("en", "I read your annual report before coming.", "preparation"),
        ("fr", "Puis-je dire que je viens de votre part ?", "mention_permission"),
        ("en", "Can I mention your name?", "mention_permission"),
        ("fr", "Si je comprends bien, vous gérez tout seul ?", "reformulation"),
        ("en", "So you're saying you manage it all alone?", "reformulation"),
        ("fr", "T'es vraiment nul", "rude"),
        ("en", "you're useless", "rude"),
    ],
)
def test_intents_the_engine_uses(lang: str, text: str, intent: str) -> None:
    assert intent in EXTRA_INTENTS
    assert intent in analyse(text, lang).intents


def test_one_topic_per_line_the_one_asked_about() -> None:
    result = analyse("J'ai travaillé dix ans dans une banque. Quels sont les risques ?", "fr")
    assert result.topics == ("challenges",)
    assert result.asked_topics[0] == "challenges"
    assert analyse("Are you hiring at the moment?", "en").topics == ()


# -- what users type -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("text", ["", "   ", "\n\t", "🙂👍", "…", "???", "🙂 ?"])
def test_empty_and_emoji_only_lines(text: str, lang: str) -> None:
    result = analyse(text, lang)
    assert result.words == 0 and result.is_empty
    assert result.question is None and result.intents == () and result.topics == ()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_ten_thousand_characters_stay_cheap(lang: str) -> None:
    text = "Pouvez-vous me décrire une journée type ? " * 250
    started = time.process_time()
    result = analyse(text, lang)
    assert time.process_time() - started < 0.5
    assert result.text == text.strip()  # the evidence keeps what the user typed
    assert result.words < 1000  # only the head is analysed


def test_control_characters_are_dropped() -> None:
    result = analyse("Pouvez-vous\x00 me décrire\x07 une journée\x1b type ?\u200b", "fr")
    assert result.question == "open"
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u200b]", result.text)
    assert clean("a\x00b\nc") == "a b\nc"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Ich möchte wissen, wie Sie dazu gekommen sind."),
        ("en", "Ich möchte wissen, wie Sie dazu gekommen sind."),
        ("fr", "How did you get into this field?"),
        ("en", "Comment êtes-vous arrivée là ?"),
        ("en", "¿Cómo llegó usted a este trabajo?"),
    ],
)
def test_another_language_is_not_understood(lang: str, text: str) -> None:
    assert analyse(text, lang).understood is False


@pytest.mark.parametrize(
    ("lang", "text"),
    [("fr", "Bon week-end !"), ("en", "Makes total sense, yeah."), ("fr", "ok"), ("en", "ok")],
)
def test_short_lines_are_understood(lang: str, text: str) -> None:
    assert analyse(text, lang).understood is True


def test_normalised_form() -> None:
    assert normalise("Qu’est-ce qui VOUS plaît ? Œuvre 😀") == "qu'est ce qui vous plait ? oeuvre"
    assert normalise("Connaîtriez-vous quelqu'un ?") == "connaitriez vous quelqu'un ?"


def test_analysis_is_a_plain_value() -> None:
    result = analyse("Do you travel a lot?", "en")
    assert isinstance(result, Analysis)
    assert result == analyse("Do you travel a lot?", "en")
    assert result.to_json() == {
        "text": "Do you travel a lot?",
        "question": "closed",
        "intents": [],
        "topics": ["typical_day"],
    }
    assert set(result.topics) <= set(TOPICS)


# -- the lexicons ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_lexicon_lists_every_intent_and_topic(lang: str) -> None:
    lex = lexicon(lang)
    assert set(INTENTS) | set(EXTRA_INTENTS) == set(lex.intents)
    assert set(TOPICS) == set(lex.topics)


def test_a_bare_yaml_boolean_in_a_word_class_is_reported() -> None:
    data = yaml.safe_load((LEXICON_DIR / "en.yaml").read_text(encoding="utf-8"))
    data["classes"]["degree"] = [*data["classes"]["degree"], False]  # what `- no` becomes
    with pytest.raises(ValueError, match=r"class 'degree'.*quote it"):
        Lexicon("en", data)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shortcuts_give_the_same_answers_as_the_patterns(lang: str) -> None:
    """The speed shortcuts of the pattern search may only skip lines that cannot match."""
    lex = lexicon(lang)
    finders = [rule.match for rule in lex.intents.values()]
    finders += [rule.unless for rule in lex.intents.values()] + list(lex.topics.values())
    texts = [lex.expand(normalise(example["text"])) for example in load_set(lang)]
    texts += ["", "a", "je vous", "i'm", "?" * 10, "qui d'autre", "who else", "merci", "thanks"]
    for text in texts:
        pieces = grams(text)
        for finder in finders:
            for _, _, full in finder._tests:
                expected = bool(full.search(text))
                shortcut = type(finder).__new__(type(finder))
                shortcut._tests = [t for t in finder._tests if t[2] is full]
                shortcut._gate = None
                assert shortcut.search(text, pieces) is expected, (full.pattern, text)


# -- speed and the command line -------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_typical_line_takes_well_under_a_millisecond(lang: str) -> None:
    texts = [example["text"] for example in load_set(lang)]
    lexicon(lang)
    best = float("inf")
    for _ in range(3):  # best of three: a busy machine only ever slows a run down
        started = time.process_time()
        for text in texts:
            analyse(text, lang)
        best = min(best, (time.process_time() - started) / len(texts))
    assert best < 0.001


def test_analyze_command_prints_json_lines() -> None:
    lines = ["Pouvez-vous me décrire une journée type ?", "Vous voyagez beaucoup ?", "", "🙂"]
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "analyze", "--lang", "fr"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(lines)
    assert all(set(row) == {"text", "question", "intents", "topics"} for row in out)
    assert [row["question"] for row in out] == ["open", "closed", None, None]
    assert out[0]["topics"] == ["typical_day"]
