"""Shared material for the engine tests: scripted user lines (written once per language,
never per persona), the persona × language parametrisation, and a small player.

Any test that asks for both `persona` and `lang` runs for every shipped persona in French
and in English; a test that asks only for `lang` runs once per language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pytest

from bot.engine.hints import coached_say
from bot.engine.meeting import Meeting, TurnResult
from bot.engine.personas import PERSONAS_DIR, Persona, load_personas

LANGS = ("fr", "en")
PERSONA_IDS = sorted(path.stem for path in PERSONAS_DIR.glob("[!_]*.yaml"))

#: What a job seeker types, per language. `{referrer}` is the persona's mutual contact,
#: `{echo}` a few words picked up from the persona's previous reply.
LINES: dict[str, dict[str, str]] = {
    "en": {
        "intro": (
            "Hello, my name is Alex Martin. {referrer} suggested I contact you. "
            "I'm not looking for a job: I'd like to understand your work."
        ),
        "intro_only": "My name is Alex Martin. I spent ten years in hotel management.",
        "purpose": "I'm not looking for a job: I'd like to understand your work.",
        "notes": "Do you mind if I take a few notes?",
        "assets": "I spent ten years in hotel management, where I managed a team of 12 people.",
        "follow": "You mentioned {echo}. How does that work in practice?",
        "give": "I read a report on this last week; I can send it to you if it helps.",
        "give_plain": "In return, I would be happy to share the list of trade fairs in the region.",
        "referral": "Do you know someone I should meet?",
        "mention": "May I say that you sent me?",
        "thanks": "Thank you very much for your time, I will keep you informed.",
        "bye": "Goodbye, have a good day!",
        "ack": "I see.",
        "closed": "Do you like your job?",
        "closed2": "Do you travel a lot?",
        "closed3": "Is the team big?",
        "job": "Are you hiring at the moment? I'd love to work for you.",
        "confidential": "How much does your boss earn? It stays between us.",
        "rude": "You are useless, this is stupid.",
    },
    "fr": {
        "intro": (
            "Bonjour, je m'appelle Alex Martin. C'est {referrer} qui m'a conseillé de vous "
            "contacter. Je ne cherche pas un poste : je souhaite comprendre votre métier."
        ),
        "intro_only": "Je m'appelle Alex Martin. J'ai passé dix ans dans l'hôtellerie.",
        "purpose": "Je ne cherche pas un poste : je souhaite comprendre votre métier.",
        "notes": "Est-ce que ça vous dérange si je prends quelques notes ?",
        "assets": (
            "J'ai passé dix ans dans l'hôtellerie, où j'ai encadré une équipe de 12 personnes."
        ),
        "follow": "Vous avez parlé de {echo}. Comment cela se passe-t-il concrètement ?",
        "give": (
            "J'ai lu un rapport à ce sujet la semaine dernière, je peux vous l'envoyer "
            "si ça vous intéresse."
        ),
        "give_plain": (
            "En retour, je serais ravi de vous transmettre la liste des salons professionnels "
            "de la région."
        ),
        "referral": "Connaissez-vous quelqu'un que je devrais rencontrer ?",
        "mention": "Puis-je lui dire que c'est vous qui m'envoyez ?",
        "thanks": "Merci beaucoup pour votre temps, je vous tiendrai au courant.",
        "bye": "Au revoir, bonne journée !",
        "ack": "Je vois.",
        "closed": "Est-ce que vous aimez votre travail ?",
        "closed2": "Vous voyagez beaucoup ?",
        "closed3": "L'équipe est grande ?",
        "job": "Est-ce que vous recrutez en ce moment ? J'aimerais travailler chez vous.",
        "confidential": "Combien gagne votre directeur ? Ça restera entre nous.",
        "rude": "Vous êtes nul, c'est débile.",
    },
}

#: One open question per information topic (key "q:<topic>" in a script).
TOPIC_QUESTIONS: dict[str, dict[str, str]] = {
    "en": {
        "organisation": "How would you describe your organisation and its clients?",
        "typical_day": "Could you describe a typical day in your job?",
        "challenges": "What do you find hardest in this work?",
        "likes": "What do you enjoy most in this job?",
        "experience": "What experience do you expect from someone starting in this field?",
        "profiles": "What backgrounds do people in your field usually have?",
        "competitors": "How do your competitors and partners differ from you?",
        "budget": "How should one think about the budget needed to start such an activity?",
        "locations": "Why are some locations better than others for this activity?",
        "skills_gap": "What is in short supply today, in your view?",
        "growth": "What would you need in order to grow?",
        "improvement": "What would make your work more interesting?",
    },
    "fr": {
        "organisation": "Comment décririez-vous votre entreprise et ses clients ?",
        "typical_day": "Pouvez-vous me décrire une journée type ?",
        "challenges": "Qu'est-ce qui est le plus difficile dans votre travail ?",
        "likes": "Qu'est-ce qui vous plaît le plus dans ce métier ?",
        "experience": "Quelle expérience attendez-vous d'un débutant ?",
        "profiles": "Quels sont les parcours et les formations habituels dans votre métier ?",
        "competitors": "Comment se situent vos concurrents et vos partenaires ?",
        "budget": "Comment faut-il penser le budget pour démarrer ?",
        "locations": "Qu'est-ce qui fait un bon emplacement, à votre avis ?",
        "skills_gap": (
            "Qu'est-ce qui manque le plus aujourd'hui, selon vous, et où est la pénurie ?"
        ),
        "growth": "De quoi auriez-vous besoin pour grandir ?",
        "improvement": "Qu'est-ce qui rendrait votre travail plus intéressant ?",
    },
}

#: A good meeting: introduction (link and purpose), notes permission, assets, open
#: questions on different topics, a follow-up on the persona's words, give-back, referral
#: request, permission to mention the name, thanks and keep informed, goodbye.
GOOD = (
    "intro",
    "notes",
    "assets",
    "q:typical_day",
    "q:challenges",
    "follow",
    "q:experience",
    "give",
    "referral",
    "mention",
    "thanks",
    "bye",
)
#: Twenty turns that visit every topic.
VARIED_20 = (
    "intro",
    "notes",
    "q:organisation",
    "q:typical_day",
    "follow",
    "q:challenges",
    "q:likes",
    "assets",
    "q:experience",
    "q:profiles",
    "follow",
    "q:competitors",
    "q:budget",
    "q:locations",
    "q:skills_gap",
    "give",
    "q:growth",
    "q:improvement",
    "referral",
    "thanks",
)
#: Twenty turns that keep coming back to the same few subjects: the hard case for variety.
REPETITIVE_20 = (
    "intro",
    *("q:typical_day", "q:challenges", "ack", "q:likes", "q:experience", "closed") * 3,
    "referral",
)
#: A poor meeting: no introduction, closed questions only, a job request.
POOR = ("closed", "closed2", "closed3", "job", "bye")

_LONG_WORD = re.compile(r"[^\W\d_]{6,}")


def echo(reply: str) -> str:
    """Two content words of the persona's reply, to pick up what it just said."""
    words = list(dict.fromkeys(_LONG_WORD.findall(reply)))
    words.sort(key=len, reverse=True)
    return " ".join(words[:2]) or "cela"


def line_for(key: str, lang: str, persona: Persona, previous_reply: str) -> str:
    if key.startswith("q:"):
        return TOPIC_QUESTIONS[lang][key[2:]]
    return LINES[lang][key].format(
        referrer=persona.briefing.referrer_name, echo=echo(previous_reply)
    )


@dataclass
class Played:
    meeting: Meeting
    typed: list[str] = field(default_factory=list)
    results: list[TurnResult] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    @property
    def replies(self) -> list[str]:
        return [turn.reply for turn in self.meeting.state.turns]

    def reply_to(self, key: str) -> str:
        """The persona's reply to the first line typed for `key`."""
        return self.results[self.keys.index(key)].reply or ""

    def transcript(self) -> tuple:
        state = self.meeting.state
        return (
            tuple(state.opening),
            tuple((t.user, t.reply, t.phase, tuple(t.hints), t.minute) for t in state.turns),
            state.ended_by,
            state.phase,
        )


def play(
    persona: Persona,
    lang: str,
    keys: Iterable[str],
    *,
    seed: int = 3,
    hints: bool = True,
    meeting: Meeting | None = None,
) -> Played:
    """Say the scripted lines one by one; stops after the line that ends the meeting."""
    meeting = meeting or Meeting.start(persona, lang, seed=seed, hints=hints)
    played = Played(meeting)
    previous = (
        meeting.state.turns[-1].reply if meeting.state.turns else " ".join(meeting.state.opening)
    )
    for key in keys:
        text = line_for(key, lang, persona, previous)
        result = coached_say(meeting, text)
        played.keys.append(key)
        played.typed.append(text)
        played.results.append(result)
        previous = result.reply or previous
        if result.ended:
            break
    return played


def variants(persona: Persona, key: str, lang: str) -> list[str]:
    """The persona's own lines for a reaction (`clam_up`, `referral.give`, `knowledge.budget`…)."""
    return persona.say(key if "." in key else f"lines.{key}", lang)


@pytest.fixture(scope="session")
def personas():
    return load_personas()


@pytest.fixture(params=PERSONA_IDS)
def persona_id(request) -> str:
    return request.param


@pytest.fixture(params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.fixture
def persona(personas, persona_id) -> Persona:
    return personas[persona_id]


class Kit:
    """The scripts and helpers, handed to tests as the `kit` fixture."""

    LINES = LINES
    TOPIC_QUESTIONS = TOPIC_QUESTIONS
    GOOD = GOOD
    VARIED_20 = VARIED_20
    REPETITIVE_20 = REPETITIVE_20
    POOR = POOR

    play = staticmethod(play)
    line_for = staticmethod(line_for)
    variants = staticmethod(variants)
    echo = staticmethod(echo)


@pytest.fixture(scope="session")
def kit() -> type[Kit]:
    return Kit
