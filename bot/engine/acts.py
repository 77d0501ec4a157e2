"""What the visitor did with a line, in context: the dialogue act the host reacts to.

The analysis (`analysis.py`) says what a line contains: a question and its kind, intents
such as a referral request or thanks. An act adds the context a host has: the reply it has
just given (is this line a follow-up on it?) and whether that reply asked the visitor
something (is this line the answer?). One act per line, by priority, as in
``eval/dialogue/GUIDE.md``; the other things the line does stay in ``also`` so the host can
acknowledge them too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from bot.engine import recall, routing
from bot.engine.analysis import Analysis, analyse, lexicon, normalise
from bot.engine.text import content_stems, split_sentences

if TYPE_CHECKING:
    from bot.engine.personas import Persona

ACTS = (
    "rude",
    "confidential_request",
    "job_request",
    "referral_request",
    "mention_permission",
    "notes_permission",
    "follow_up",
    "question",
    "answer",
    "offer",
    "introduction",
    "keep_informed",
    "thanks",
    "goodbye",
    "time_check",
    "small_talk",
    "comment",
)

#: Intents that are acts of their own, in priority order (before any question).
_REQUESTS = (
    "rude",
    "confidential_request",
    "job_request",
    "mention_permission",
    "referral_request",
    "notes_permission",
)
#: Acts a line may do besides its main act, that the host acknowledges.
_SIDE_ACTS = {
    "give_back": "offer",
    "introduction": "introduction",
    "link": "introduction",
    "purpose": "introduction",
    "keep_informed": "keep_informed",
    "thanks": "thanks",
    "goodbye": "goodbye",
}

#: Intents of a sentence that introduces the visitor, whatever its question mark.
INTRODUCING = frozenset({"introduction", "link", "purpose", "greeting", "assets"})
#: A question inside an introduction must be this clearly on a topic to count as one.
INTRODUCTION_QUESTION_MIN = 4.0
#: A question this clearly on another topic than the host's last answer is a new question.
NEW_TOPIC_MIN = 4.0
#: Stems a follow-up must share with the host's reply to count (weights add up).
FOLLOW_UP_MIN = 1.0


#: Words of a request for a person to meet ("tu connaîtrais qqn que…", "someone I could…").
_SOMEONE = re.compile(
    r"\b(qqn|quelqu'un|quelqu un|une personne|des personnes|des gens|someone|somebody|anyone|"
    r"anybody|people|a contact|un contact|des contacts|contacts)\b"
)


@dataclass(frozen=True, slots=True)
class Context:
    """What the host just said."""

    #: The host's previous reply (None at the start).
    previous: str | None = None
    #: The previous reply ended on a question to the visitor.
    asked: bool = False
    #: The topic the previous reply answered, if it answered one.
    topic: str | None = None
    #: The previous reply told something (an answer, a story), not only a reaction: only
    #: then can a line that shares its words be a follow-up on it.
    content: bool = True
    #: The topic of the visitor's previous question: after a bare "Yep.", "how has it
    #: changed things here?" still asks about it.
    asked_topic: str | None = None
    #: The stems of what the host said before its previous reply: "you said six plants"
    #: may pick up an earlier answer. A function, called only for a line that says it
    #: picks up the host's words (the meeting keeps them compact, see `Meeting`).
    earlier: Callable[[], Container[str]] | None = None


@dataclass(frozen=True, slots=True)
class Act:
    kind: str
    #: For a question: its topic, or "other".
    topic: str | None
    #: A yes/no question (not "how many", "where"…): only these get a yes or a no.
    polar: bool
    #: Every other act the line does (thanks, an offer…), for the host to acknowledge.
    also: tuple[str, ...]
    #: Stems of the host's previous reply that the line picked up.
    picked: tuple[str, ...] = ()
    #: Said outright that it picks up the host's words ("You mentioned…", "Si je comprends").
    marked: bool = False
    #: A second question in the same line, on another topic ("…, and how do you hire?").
    second_topic: str | None = None


@cache
def rule(lang: str, name: str) -> re.Pattern[str]:
    """One rule of the dialogue lexicon (``lexicons/dialogue/<lang>.yaml``), compiled once."""
    return re.compile("|".join(f"(?:{p})" for p in lexicon(lang).dialogue[name]))


@cache
def generic_stems(lang: str) -> frozenset[str]:
    """Stems of the words every question about work uses (job, team, work…)."""
    words = lexicon(lang).dialogue["generic_words"]
    return frozenset(stem for word in words for stem in content_stems(word, lang))


def _is_polar(analysis: Analysis, lang: str) -> bool:
    """A closed question that expects yes or no, not a short fact."""
    if analysis.question != "closed":
        return False
    closed = [q for q, kind in analysis.questions if kind == "closed"]
    return bool(closed) and all(is_polar_sentence(q, lang) for q in closed)


def is_polar_sentence(sentence: str, lang: str) -> bool:
    """A closed question sentence that expects yes or no ("Vous voyagez ?", "Is it big?").

    "Combien… ?", "Where…?" ask for a fact; so does a question without a verb ("Et le
    nombre d'employés ?").
    """
    norm = lexicon(lang).expand(normalise(sentence))  # "c dur ?" reads "c'est dur ?"
    if rule(lang, "alternative").search(norm):  # "Excel or Power BI?" wants one of them
        return False
    if not rule(lang, "fact_question").search(norm):
        return bool(rule(lang, "subject").search(norm))
    # "that woman who's associate director now, did she start as an assistant?": the "who"
    # is in the preamble; the question is its last clause.
    *preamble, last = norm.rsplit(",", 1)
    return bool(preamble) and is_polar_sentence(last.strip(), lang)


def _asks_apart(analysis: Analysis, lang: str) -> bool:
    """A question sentence of its own, after the introduction: "Je voudrais savoir si ce
    métier est fait pour moi. Ça recrute, en ce moment, à Lyon ?" asks about hiring."""
    # Texted without its question mark ("…b4 i do a training. how did u get into solar")
    # it is still a question sentence of its own, if it reads as one alone.
    parts = [
        q
        for q, _ in analysis.questions
        if q.rstrip().endswith("?") or analyse(q, lang).question is not None
    ]
    return any(
        q != analysis.text and not (set(analyse(q, lang).intents) & INTRODUCING) for q in parts
    )


def _route(analysis: Analysis, lang: str, persona: Persona | None) -> tuple[str, float]:
    """The topic of what is asked: the question sentences first ("That's useful. How is AI
    changing the job?" is about tools), the whole line when they say too little on their
    own ("My plan: six months of training, then… What do you think?")."""
    asked = " ".join(q for q, _ in analysis.questions)
    # "…before I pay for any training. What would you do in my place?" asks for advice on
    # the visitor's own move, whatever else it names.
    in_my_place = rule(lang, "in_my_place").search(normalise(asked or analysis.text))
    if in_my_place and persona is not None and persona.answers("advice", lang):
        return _advice_or_feedback(asked or analysis.text, lang, persona), routing.THRESHOLD
    if asked and asked != analysis.text:
        topic, strength = routing.route_with_score(asked, lang, persona)
        if topic != routing.OTHER:
            return topic, strength
    return routing.route_with_score(analysis.text, lang, persona)


def _advice_or_feedback(question: str, lang: str, persona: Persona) -> str:
    """Asked what the host would do in the visitor's place: its advice, or, asked to choose
    between two moves, its view of the visitor's plan when that is what speaks of the
    question's words ("in my place would u aim for plant controller first or go straight
    for fp&a": the line on aiming for the regions, not the one on joining the DFCG)."""
    if not _CHOICE.search(normalise(question)):
        return "advice"  # "tu commencerais par quoi ?" asks what to do: advice
    topics = frozenset({"advice", "project_feedback"})
    place = recall.find(
        persona,
        lang,
        recall.weigh(question, "", lang),
        used={},
        fresh=lambda _text: True,
        last=None,
        topics=topics,
    )
    return place.topic if place is not None and place.topic in topics else "advice"


def _second_topic(
    analysis: Analysis, lang: str, persona: Persona | None, first: str | None
) -> str | None:
    """The topic of another question sentence of the line, when it asks about something else."""
    parts = [q for q, _ in analysis.questions]
    if len(parts) < 2:
        parts = [p for p in re.split(r",? (?:et|and) (?=\w+ \w+)", parts[0])] if parts else []
    # Advice and a view of one's plan answer one "what would you do in my place?".
    same = _OWN_CASE if first in _OWN_CASE else {first}
    for part in parts:
        topic = routing.route(part, lang, persona)
        if topic != routing.OTHER and topic not in same:
            return topic
    return None


_OWN_CASE = frozenset({"advice", "project_feedback"})
#: A choice between two moves ("…plant controller first or go straight for fp&a").
_CHOICE = re.compile(r"\b(or|ou|ou bien)\b")


def _picked(text: str, previous: str, lang: str) -> tuple[tuple[str, ...], float]:
    """Stems of ``previous`` the line repeats, and how much they weigh (rare words more)."""
    return _picked_among(text, set(content_stems(previous, lang)), lang)


def _picked_among(text: str, theirs: Container[str], lang: str) -> tuple[tuple[str, ...], float]:
    """Stems among ``theirs`` (the host's) the line repeats, and how much they weigh."""
    generic = generic_stems(lang)
    norm = normalise(text)
    if rule(lang, "meant").search(norm):
        # "i meant a dc training, not asbestos": what is ruled out is not picked up.
        text = rule(lang, "ruled_out").sub(" ", norm)
    mine = set(content_stems(text, lang))
    shared = tuple(sorted(s for s in mine if s in theirs and s not in generic))
    known = routing.vocabulary(lang)
    # A word the topics do not know (a name, a product, a figure) is what the host said.
    weight = sum(
        2.0 if s not in known else 1.0 if (len(s) >= 4 or s.isdigit()) else 0.5 for s in shared
    )
    return shared, weight


def _repeats_words(text: str, previous: str, lang: str) -> bool:
    """The line repeats words of the host's reply, generic ones included."""
    return not set(content_stems(text, lang)).isdisjoint(content_stems(previous, lang))


def _echoed_fragment(analysis: Analysis, previous: str, lang: str) -> bool:
    """ "A variation? What kind of change needs one?": the host's own word, echoed as a
    question before the question, picks up what it said."""
    first = analysis.questions[0][0] if analysis.questions else ""
    if len(analysis.questions) < 2 or len(first.split()) > 4:
        return False
    echoed = set(content_stems(first, lang)) - generic_stems(lang)
    return bool(echoed) and echoed <= set(content_stems(previous, lang))


def _asking_part(analysis: Analysis, lang: str) -> str:
    """What a line picks up from the host is read in its question, not in a reaction before
    it ("Eco-design, I hadn't thought of that. And AI itself: how do you use it?" asks about
    AI), unless the line says it picks up ("You mentioned eco-design: …")."""
    asked = " ".join(q for q, _ in analysis.questions)
    if not asked or asked == analysis.text or asked not in analysis.text:
        return analysis.text
    reaction = normalise(analysis.text.replace(asked, " "))
    if rule(lang, "picked_words").search(reaction) or rule(lang, "pick_up").search(reaction):
        return analysis.text
    return asked


#: Words of the host's last reply a line must take up to be about it, unannounced.
ECHO_WORDS = 3
#: The same when only the request model (no pattern) read a request for secrets in it:
#: "Et avec le client qui n'a pas compris, ça s'est terminé comment ?" after "Le client n'a
#: pas compris." takes up the host's story, not its client list.
MODEL_ECHO_WORDS = 2


def _not_a_secret(analysis: Analysis, lang: str, context: Context, norm: str) -> bool:
    """A follow-up that reads like a request for secrets, but is not one.

    "You mentioned analysing supplier contracts: what does the AI do on them?" picks up the
    host's own words and asks for no figure or name; "Un peu en dessous de quoi ? Vous
    pouvez me donner un chiffre ?" asks the figure of the junior pay the host was talking
    about, not the host's own.
    """
    if context.previous is None or rule(lang, "own_pay").search(norm):
        return False
    if (
        context.topic == "pay"
        and rule(lang, "asks_figures").search(norm)
        # "Et chez vous, tu payes combien tes juniors exactement ?" asks the company's own
        # grid (round 21), not the range the host just gave.
        and not rule(lang, "own_company_figure").search(norm)
    ):
        # A figure asked right after the pay answer is the junior's range; "et là vous
        # travaillez sur quel médicament ?" after it is a new, secret subject.
        return True
    by_pattern = "confidential_request" in analyse(analysis.text, lang).intents
    picks_up = (
        rule(lang, "pick_up").search(norm)
        or rule(lang, "picked_words").search(norm)
        # "In that Festival of Lights story, who came up with the Vienne idea?" names the
        # host's story in the host's words: it asks about the story, not for secrets.
        or len(
            (set(content_stems(analysis.text, lang)) - generic_stems(lang))
            & set(content_stems(context.previous, lang))
        )
        >= (ECHO_WORDS if by_pattern else MODEL_ECHO_WORDS)
    )
    # "Le moratoire sur le tarif d'achat, c'est-à-dire ?": a figure word the host said
    # itself asks for no figure.
    said = set(normalise(context.previous).split())
    own = " ".join(word for word in norm.split() if word not in said)
    return bool(picks_up) and not rule(lang, "asks_figures").search(own)


def _past_time_check(question: str, lang: str) -> str:
    """What a question sentence asks besides checking the time: all of it when it does not
    speak of the time, what follows the time words when that still asks something."""
    norm = normalise(question)
    found = rule(lang, "time_check").search(norm)
    if found is None:
        return question
    rest = norm[found.end() :].split(":", 1)[-1].strip(" ,;.")
    return rest if len(rest.split()) >= 3 and analyse(rest + " ?", lang).question else ""


def _offer_taken(norm: str, lang: str, context: Context) -> str | None:
    """The sentence of the host's last reply that offered something, when the visitor's
    line says yes to it ("Yes please", "Oui, je veux bien")."""
    if context.previous is None or not rule(lang, "takes_offer").match(norm):
        return None
    offers = [
        s
        for s in split_sentences(context.previous)
        if rule(lang, "host_offers").search(normalise(s))
    ]
    return offers[-1] if offers else None


def read(analysis: Analysis, lang: str, context: Context, persona: Persona | None = None) -> Act:
    """The act of an analysed line, given what the host just said."""
    intents = set(analysis.intents)
    norm = normalise(analysis.text)
    also = tuple(dict.fromkeys(_SIDE_ACTS[i] for i in analysis.intents if i in _SIDE_ACTS))
    requests = [kind for kind in _REQUESTS if kind in intents]
    if not requests and persona is not None and (offered := _offer_taken(norm, lang, context)):
        # "Oui, je veux bien, la fourchette pour un débutant." to "je peux te donner une
        # fourchette": the visitor takes up what the host offered (round 22: "Alors,
        # rappelle-moi : qu'est-ce qui t'amène ?").
        topic = routing.route(offered, lang, persona)
        if topic != routing.OTHER:
            return Act("question", topic, False, also)
    if "confidential_request" in requests and _not_a_secret(analysis, lang, context, norm):
        requests.remove("confidential_request")
    both = {"mention_permission", "referral_request"} <= set(requests)
    asked = normalise(" ".join(q for q, _ in analysis.questions)) or norm
    if both and (re.search(r"\b(et|and)\b|[,;?].+", asked) or _SOMEONE.search(asked)):
        # "Is there someone I should meet, and may I mention your name?", "tu connaîtrais
        # qqn que je pourrais contacter de ta part ?": a request for a contact first (once a
        # name was given, the policy says yes to both). "May I say you sent me?" alone is
        # the permission only.
        requests.remove("mention_permission")
        also = (*also, "mention_permission")
    if requests == ["notes_permission"] and persona is not None:
        # "May I take notes? And to start: how did you…?": both are answered.
        notes = re.compile(r"\b(notes?|noter|note)\b")
        # "…I'd like to understand how the work really looks from the inside. Would you
        # mind if I took a few notes?": the purpose is no question (round 22: it got how
        # permanent posts are filled).
        others = [
            q
            for q, _ in analysis.questions
            if not notes.search(normalise(q)) and not set(analyse(q, lang).intents) & INTRODUCING
        ]
        topic = routing.route(" ".join(others), lang, persona) if others else routing.OTHER
        if topic != routing.OTHER:
            return Act("question", topic, False, (*also, "notes_permission"))
    if requests == ["notes_permission"] and rule(lang, "time_check").search(norm):
        also = (*also, "time_check")  # both asked in one line: both answered
    contact_asks = {"referral_request", "mention_permission"}
    if requests and requests[0] in contact_asks and persona is not None:
        # "À ma place, que ferais-tu ? Et y a-t-il quelqu'un que je devrais rencontrer ?",
        # "je la contacterai de votre part si vous m'y autorisez. Et pour le premier pas… ?":
        # the contact asked, and the other question answered too.
        others = [
            q for q, _ in analysis.questions if not contact_asks & set(analyse(q, lang).intents)
        ]
        topic = _route(analyse(" ".join(others), lang), lang, persona)[0] if others else None
        if topic not in (None, routing.OTHER):
            return Act(requests[0], None, False, also, second_topic=topic)
    for kind in requests:
        return Act(kind, None, _is_polar(analysis, lang), also)
    time_check = rule(lang, "time_check")
    if time_check.search(norm):
        # "How much time do you have? And to start: how did you…?": both are answered.
        # "I'm keeping an eye on the time, so: what mistakes do newcomers make?" asks after
        # the time words too.
        others = [rest for q, _ in analysis.questions if (rest := _past_time_check(q, lang))]
        if others and persona is not None:
            topic = routing.route(" ".join(others), lang, persona)
            if topic != routing.OTHER:
                return Act("question", topic, False, (*also, "time_check"))
        return Act("time_check", None, False, also)
    if analysis.question is not None and rule(lang, "referral_contact").search(norm):
        # "How may I reach her?": qualifying a referral, asked like a question.
        return Act("mention_permission", "contact", False, also)

    if (
        context.asked
        and analysis.question == "closed"
        and len(analysis.questions) == 1
        and rule(lang, "unsure_answer").match(norm)
    ):
        # "Not really, the max power of the panel I think?" answers the host's quiz, unsure:
        # its question mark asks nothing.
        for side in ("goodbye", "keep_informed", "thanks"):  # "…I think? Anyway thanks."
            if side in also:
                return Act(side, None, False, tuple(a for a in also if a != side))
        return Act("answer", None, False, also)
    topic, strength = (
        _route(analysis, lang, persona) if analysis.question is not None else (None, 0.0)
    )
    if "keep_informed" in also and topic in (None, routing.OTHER):
        # "Can I stay in touch?" asks nothing about the host's work: it takes leave.
        return Act("keep_informed", None, False, tuple(a for a in also if a != "keep_informed"))
    asks = analysis.question is not None or (
        analysis.words <= 8 and bool(rule(lang, "pick_up").search(norm))
    )
    if (
        analysis.question is not None
        and context.topic not in (None, routing.OTHER)
        and rule(lang, "ellipsis").match(norm)
    ):
        # "Et un chargé d'affaires ?" right after a pay answer asks for that pay: the
        # question just answered, about something else. Its words choose the answer.
        return Act("question", context.topic, False, also)
    if (
        analysis.question is not None
        and not context.content
        and context.asked_topic not in (None, routing.OTHER)
        and strength < routing.THRESHOLD
        and (
            rule(lang, "pronoun_subject").search(norm)
            # "Il faut un diplôme ?" "Ouais." "Lequel ?": which one of what was asked.
            or rule(lang, "wh_fragment").match(norm)
        )
    ):
        # "is automation gonna change the job?" "Yep." "how has it changed things here so
        # far": "it" is what the visitor just asked about, which the host's yes told nothing of.
        return Act("question", context.asked_topic, _is_polar(analysis, lang), also)
    # "Une question hors de votre domaine : …" announces a new question, whatever it echoes.
    announced_other = topic == routing.OTHER and routing.is_off_topic(analysis.text, lang)
    # "Pour revenir à mes questions : …" steers back: a new question, whatever it echoes.
    steers_back = topic not in (None, routing.OTHER) and bool(rule(lang, "steer_back").search(norm))
    if asks and context.previous and not announced_other and not steers_back:
        picked, weight = _picked(analysis.text, context.previous, lang)
        # A reaction before the question ("Eco-design, I hadn't thought of that. And AI
        # itself: how do you use it?") echoes the host without asking about it; the
        # question's own words say whether it asks about what was said ("…how did you keep
        # the team together through that?" does).
        asking = _asking_part(analysis, lang)
        own_weight = weight
        if asking != analysis.text and not rule(lang, "anaphora").search(normalise(asking)):
            own_weight = _picked(asking, context.previous, lang)[1]
        marked = (
            "reformulation" in intents
            or bool(rule(lang, "pick_up").search(norm))
            or _echoed_fragment(analysis, context.previous, lang)
        )
        if marked and not picked and context.earlier is not None:
            # "You said six plants in three countries": said three answers ago, still said.
            picked, weight = _picked_among(analysis.text, context.earlier(), lang)
        own = [s for s in content_stems(analysis.text, lang) if s not in generic_stems(lang)]
        bare = analysis.words <= 6 and not own  # "Pourquoi ?", "How come?"
        # A question on nothing the host knows, that points back at what it just said.
        points_back = weight > 0 or bool(rule(lang, "anaphora").search(norm))
        unplaced = topic == routing.OTHER and points_back
        # A question clearly on another topic is a new question, even if it shares a word.
        elsewhere = strength >= NEW_TOPIC_MIN and topic != context.topic and own_weight < 2
        echoes = weight >= FOLLOW_UP_MIN and not elsewhere
        # "You mentioned X" where the host never said X: a question on X, answered as such.
        # ("Vous dites avoir fait tous les postes" repeats "tous les postes", a word any
        # question may use: the host said it all the same.)
        misremembered = (
            marked
            and not picked
            and own
            and topic not in (None, routing.OTHER)
            and not _repeats_words(analysis.text, context.previous, lang)
        )
        if not context.content:
            echoes = unplaced = bare = False
        # "You said six plants: how do…?" is listening even when it asks on another topic.
        explicit = marked and not misremembered and (bool(picked) or not elsewhere)
        if explicit or echoes or unplaced or (bare and analysis.question):
            # A follow-up that asks something of its own ("Merci, c'est clair. Et quelle
            # rémunération pour un junior ?") carries that topic: the host answers it.
            own_topic = topic if topic not in (None, routing.OTHER) else context.topic
            second = _second_topic(analysis, lang, persona, own_topic)
            return Act(
                "follow_up", own_topic, _is_polar(analysis, lang), also, picked, marked, second
            )
    if (
        "offer" in also
        and analysis.questions
        and all("give_back" in analyse(q, lang).intents for q, _ in analysis.questions)
    ):
        # "Voulez-vous que je vous envoie la synthèse ?" asks about the offer, nothing else.
        return Act("offer", None, False, tuple(a for a in also if a != "offer"))
    if analysis.question is not None:
        small = rule(lang, "small_talk").match(norm)
        # "I'd like to understand your work" closing an introduction is not a question.
        weak_in_intro = (
            "introduction" in also
            and (strength < INTRODUCTION_QUESTION_MIN or "?" not in analysis.text)
            and not rule(lang, "in_my_place").search(norm)  # "et toi à ma place tu ferais quoi"
            and not _asks_apart(analysis, lang)
        )
        if not small and not weak_in_intro:
            if topic == routing.OTHER and persona is not None:
                topic = routing.weakly_worded(analysis.text, lang, persona) or topic
            second = _second_topic(analysis, lang, persona, topic)
            return Act("question", topic, _is_polar(analysis, lang), also, second_topic=second)
    # "Thank you, I'll keep you posted" after the host's question takes leave: no answer.
    leaving = "goodbye" in intents or "keep_informed" in also
    if context.asked and analysis.words >= 2 and not leaving:
        return Act("answer", None, False, also)
    for side in ("offer", "introduction", "keep_informed", "thanks", "goodbye"):
        if side in also:
            return Act(side, None, False, tuple(a for a in also if a != side))
    if rule(lang, "small_talk").search(norm):
        return Act("small_talk", None, False, also)
    return Act("comment", None, False, also)
