"""The coach: one live hint at most per turn, and the end-of-meeting feedback.

Scores come from what the user actually did (the analysed turns) and are always backed by
the user's own lines as evidence; the weights live in `rubric.yaml`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.engine import routing
from bot.engine.acts import generic_stems, is_polar_sentence, rule
from bot.engine.analysis import analyse, lexicon, normalise
from bot.engine.lessons import (
    Lesson,
    after_contacts_asked,
    asks_for_contacts,
    assess,
    reads,
    referral_status,
    register_slips,
    reword_topics,
)
from bot.engine.rewording import open_in_own_words
from bot.engine.rubric import rubric
from bot.engine.text import asks_visitor, content_stems, sentences
from bot.i18n import N_, NP_, addressed, translations

if TYPE_CHECKING:
    from bot.engine.meeting import Meeting

CRITERIA = (
    "introduction",
    "assets",
    "open_questions",
    "active_listening",
    "preparation",
    "notes_permission",
    "respect",
    "referral",
    "give_back",
    "closing",
)

CRITERION_NAMES = {
    "introduction": N_("Introduction"),
    "assets": N_("Your assets"),
    "open_questions": N_("Open questions"),
    "active_listening": N_("Active listening"),
    "preparation": N_("Preparation"),
    "notes_permission": N_("Permission to take notes"),
    "respect": N_("Respect"),
    "referral": N_("Referral"),
    "give_back": N_("Giving back"),
    "closing": N_("Closing"),
}

#: An open question per topic, to reword the user's closed ones (yes/no questions only: a
#: question for a fact, "how many…?", is a fine question). The French text is in *vous*; the
#: ``tu`` context holds the version for a host who says *tu*.
OPEN_BY_TOPIC = {
    "organisation": N_("How would you describe your organisation and the people it serves?"),
    "typical_day": N_("Could you walk me through a typical day or week in your job?"),
    "challenges": N_("What do you find hardest or riskiest in this work?"),
    "likes": N_("What do you enjoy most in this job, and what do you enjoy least?"),
    "experience": N_("What experience do you expect from someone starting in this field?"),
    "profiles": N_("What paths and backgrounds do the people in your field usually have?"),
    "competitors": N_("Which other organisations work in this field, and how do they differ?"),
    "budget": N_("How should one think about the budget needed to start such an activity?"),
    "locations": N_("What makes a location good or bad for this activity?"),
    "skills_gap": N_("Which skills do you see missing in the sector today?"),
    "growth": N_("What would your organisation need in order to grow?"),
    "improvement": N_("What would make this work more interesting or more viable?"),
    "career_path": N_("How did you come to this job, and what were the turning points?"),
    "advice": N_("What would you do in my place, starting tomorrow?"),
    "future": N_("How do you see this job changing in the next few years?"),
    "tools": N_("Which tools do you use every day, and how is AI changing them?"),
    "remote_work": N_("How is work split between the site and home in your team?"),
    "pay": N_("How does pay usually develop in this field, from a first job onwards?"),
    "training": N_("Which training would you recommend to someone coming into this field?"),
    "hiring": N_("How does hiring usually work in your sector?"),
    "culture": N_("How would you describe the culture and the atmosphere of your team?"),
    "newcomer_mistakes": N_("What mistakes do newcomers make in their first months?"),
    "hindsight": N_("What would you do differently if you started again?"),
    "project_feedback": N_("What do you think of my plan, and what would make it stronger?"),
}
#: The same questions for a host who says *tu* (French only; English is unchanged).
OPEN_BY_TOPIC_TU = {
    "organisation": NP_("tu", "How would you describe your organisation and the people it serves?"),
    "typical_day": NP_("tu", "Could you walk me through a typical day or week in your job?"),
    "challenges": NP_("tu", "What do you find hardest or riskiest in this work?"),
    "likes": NP_("tu", "What do you enjoy most in this job, and what do you enjoy least?"),
    "experience": NP_("tu", "What experience do you expect from someone starting in this field?"),
    "profiles": NP_("tu", "What paths and backgrounds do the people in your field usually have?"),
    "competitors": NP_(
        "tu", "Which other organisations work in this field, and how do they differ?"
    ),
    "budget": NP_("tu", "How should one think about the budget needed to start such an activity?"),
    "locations": NP_("tu", "What makes a location good or bad for this activity?"),
    "skills_gap": NP_("tu", "Which skills do you see missing in the sector today?"),
    "growth": NP_("tu", "What would your organisation need in order to grow?"),
    "improvement": NP_("tu", "What would make this work more interesting or more viable?"),
    "career_path": NP_("tu", "How did you come to this job, and what were the turning points?"),
    "advice": NP_("tu", "What would you do in my place, starting tomorrow?"),
    "future": NP_("tu", "How do you see this job changing in the next few years?"),
    "tools": NP_("tu", "Which tools do you use every day, and how is AI changing them?"),
    "remote_work": NP_("tu", "How is work split between the site and home in your team?"),
    "pay": NP_("tu", "How does pay usually develop in this field, from a first job onwards?"),
    "training": NP_("tu", "Which training would you recommend to someone coming into this field?"),
    "hiring": NP_("tu", "How does hiring usually work in your sector?"),
    "culture": NP_("tu", "How would you describe the culture and the atmosphere of your team?"),
    "newcomer_mistakes": NP_("tu", "What mistakes do newcomers make in their first months?"),
    "hindsight": NP_("tu", "What would you do differently if you started again?"),
    "project_feedback": NP_("tu", "What do you think of my plan, and what would make it stronger?"),
}
#: Advice that quotes what to say to the host, in *tu* for a host who says *tu*
#: (`bot.i18n.addressed` picks these; the French catalogue holds their text).
TU_ADVICE = (
    NP_("tu", "Always end with: “Do you know someone I should meet?”"),
    NP_("tu", "Ask at the start: “Do you mind if I take a few notes?”"),
    NP_("tu", "Offer to keep them informed: “May I tell you how it goes?”"),
    NP_(
        "tu",
        "Pick up on what you just heard: “You mentioned …; how does that work?” "
        "or reformulate: “If I understand correctly, …”.",
    ),
    NP_("tu", "Say who sent you: “{name} suggested I contact you.” It opens the door."),
    NP_(
        "tu",
        "Say why you came and who sent you: “{name} suggested I contact you; I would like "
        "to understand what your job is really like.”",
    ),
    NP_("tu", "Say why you came: “I am not looking for a job; I want to understand your work.”"),
    NP_(
        "tu",
        "Complete, but the host had to ask why you came: say it with the rest, in your "
        "first lines (“I would like to understand what your job is really like”).",
    ),
    NP_(
        "tu",
        "You said where you want to go; say too what you expect of this meeting: “I would "
        "like to understand what the job is really like and how you got there.”",
    ),
    NP_("tu", "Show you did your homework: “I read that you…”, then ask for what is not online."),
)
OPEN_FALLBACK = N_("Could you tell me more about that: how does it work in practice?")
OPEN_FALLBACK_TU = NP_("tu", "Could you tell me more about that: how does it work in practice?")

MAX_EVIDENCE = 3
MAX_QUOTE = 160


@dataclass
class CriterionResult:
    score: int
    evidence: list[str]
    advice: str

    def to_json(self) -> dict[str, Any]:
        return {"score": self.score, "evidence": self.evidence, "advice": self.advice}


@dataclass
class Feedback:
    score: int
    criteria: dict[str, CriterionResult]
    rewordings: list[dict[str, str]]
    checklist: list[str]
    stats: dict[str, Any] = field(default_factory=dict)
    #: The weakest criterion and the persona that trains it best.
    next_step: dict[str, str] = field(default_factory=dict)
    #: What career guides teach beyond the criteria (`lessons.py`), and the persona's own.
    lessons: dict[str, Lesson] = field(default_factory=dict)
    lesson: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "criteria": {k: v.to_json() for k, v in self.criteria.items()},
            "rewordings": self.rewordings,
            "checklist": self.checklist,
            "stats": self.stats,
            "next": self.next_step,
            "lessons": {k: v.to_json() for k, v in self.lessons.items()},
            "lesson": self.lesson,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Feedback:
        return cls(
            score=data["score"],
            criteria={k: CriterionResult(**v) for k, v in data["criteria"].items()},
            rewordings=data["rewordings"],
            checklist=data["checklist"],
            stats=data.get("stats", {}),
            next_step=data.get("next", {}),
            lessons={k: Lesson(k, **v) for k, v in data.get("lessons", {}).items()},
            lesson=data.get("lesson", {}),
        )


def quote(text: str, lang: str | None = None, showing: str | None = None) -> str:
    """The visitor's line as evidence, cut under `MAX_QUOTE` characters between words.

    A long line is quoted from the sentence that shows the behaviour (``showing``: an
    intent such as "give_back", or "question"), not from its start: "In my stores I set up
    a buddy system… I'd be happy to send you the outline" cut before the offer showed no
    offer (round 16)."""
    text = " ".join(text.split())
    if len(text) <= MAX_QUOTE:
        return text
    if lang is not None and showing is not None:
        parts = [p for p in sentences(text) if p]
        for i, part in enumerate(parts):
            if i and _shows(part, lang, showing):
                return "… " + _cut(" ".join(parts[i:]))
            if _shows(part, lang, showing):
                break
    return _cut(text)


def _cut(text: str) -> str:
    if len(text) <= MAX_QUOTE:
        return text
    # Cut between words: "…Julien Morel f…" reads as broken.
    cut = text[: MAX_QUOTE - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut[MAX_QUOTE // 2 :] else cut
    return head.rstrip(" ,;:") + "…"


def _shows(sentence: str, lang: str, showing: str) -> bool:
    analysis = analyse(sentence, lang)
    if showing == "question":
        return analysis.question is not None
    return showing in analysis.intents


def quotes_line(evidence: str, line: str) -> bool:
    """The evidence quotes this line (whole, or the part that shows the behaviour)."""
    core = evidence.removeprefix("… ").removesuffix("…")
    return bool(core) and core in " ".join(line.split())


def criterion_name(key: str, lang: str) -> str:
    return translations(lang).gettext(CRITERION_NAMES[key])


#: A French question that says "tu" to the host.
_SAYS_TU = re.compile(r"\b(tu|t'|te|toi|ton|ta|tes)\b")
_SAYS_VOUS = re.compile(r"\b(vous|votre|vos)\b")


def _visitor_address(turns, lang: str, default: str) -> str:
    """The register the visitor held, for every rewording of the meeting: one list that said
    "recommanderiez-vous" under "Tu pourrais m'en dire plus" read as two voices (round 16)."""
    if lang != "fr":
        return default
    tu = sum(bool(_SAYS_TU.search(normalise(t.user))) for t in turns)
    vous = sum(bool(_SAYS_VOUS.search(normalise(t.user))) for t in turns)
    return "tu" if tu > vous else "vous" if vous > tu else default


def reword(question: str, topics: list[str], lang: str, address: str = "vous") -> str:
    """An open question on the same subject as a closed one, in the meeting's register.

    The subject is read in the question itself first ("depuis longtemps" is a career path,
    "c'est dur" the hardest part), then from the topic the meeting gave the line.
    """
    own = open_in_own_words(question, lang, address)
    return _rewordings(question, topics, lang, address, own)[0]


def _rewordings(
    question: str, topics: list[str], lang: str, address: str, own: str | None
) -> list[str]:
    """Every open question that fits, best first: ``own``, the question opened in its own
    words (`bot.engine.rewording`), then the stock question of its subject, the generic one
    last."""
    catalogue = translations(lang)
    # A visitor who says "tu" to a host who says "vous" gets their own register back:
    # "Pourriez-vous m'en dire plus" after "tu déplaces des gens… ?" read as a lesson in
    # another voice (round 16).
    tu = lang == "fr" and (address == "tu" or bool(_SAYS_TU.search(normalise(question))))
    norm = lexicon(lang).expand(normalise(question))
    named = [topic for pattern, topic in reword_topics(lang) if pattern.search(norm)]
    out = [own] if own else []
    for topic in dict.fromkeys(named[:1] + list(topics)):
        if topic in OPEN_BY_TOPIC:
            if tu:
                out.append(catalogue.pgettext("tu", OPEN_BY_TOPIC_TU[topic]))
            else:
                out.append(catalogue.gettext(OPEN_BY_TOPIC[topic]))
    if tu:
        out.append(catalogue.pgettext("tu", OPEN_FALLBACK_TU))
    else:
        out.append(catalogue.gettext(OPEN_FALLBACK))
    return out


def _reworded(asked, lang: str, address: str) -> list[dict[str, str]]:
    """The rewordings of the yes/no questions for information, one per question.

    A time check ("On a une demi-heure, ça te va ?") is no question to reword, and no two
    questions get the same rewording: a second one on the same subject gets the next
    fitting question, or none rather than a repeat.
    """
    used: set[str] = set()
    out = []
    for turn in asked:
        if turn.act not in ("question", "follow_up", None):
            continue
        for text, kind in turn.questions:
            if kind != "closed" or not is_polar_sentence(text, lang):
                continue
            if _not_information(text, lang) or routing.outside_work(text, lang):
                continue  # small talk off the host's work is no question to open
            own = open_in_own_words(text, lang, address)
            options = _rewordings(text, turn.topics, lang, address, own)
            named = any(
                p.search(lexicon(lang).expand(normalise(text))) for p, _ in reword_topics(lang)
            )
            if turn.act == "follow_up" and not named and not own:
                # A follow-up is about what the host just said: a stock question on the topic
                # loses it ("is there one in lille u know" → "What would you do in my
                # place?"), so none rather than that.
                continue
            # "Could you tell me more about that: how does it work in practice?" fits every
            # question and keeps no subject: readers counted it wrong in every round. No
            # rewording rather than that one; the advice already says how to open.
            generic = {options[-1]} if options else set()
            fresh = [r for r in options if r not in used and r not in generic]
            if fresh:
                used.add(fresh[0])
                out.append({"question": quote(text), "open": fresh[0]})
    return out


# -- feedback ------------------------------------------------------------------------------------


def _unique(lines: list[str]) -> list[str]:
    """Evidence without repeats (one line may show two things, and be quoted whole and from
    the sentence that shows one of them), at most MAX_EVIDENCE."""
    out: list[str] = []
    for line in lines:
        core = _core(line)
        # Two cuts of one line ("… Is there someone else…?" and "I'll send you her
        # details. Is there someone else…") share a long run of words.
        if not any(
            core in _core(other)
            or _core(other) in core
            or core[:SAME_QUOTE_CHARS] in other
            or _core(other)[:SAME_QUOTE_CHARS] in line
            for other in out
        ):
            out.append(line)
    return out[:MAX_EVIDENCE]


def _core(quoted: str) -> str:
    """A quote without the ellipses that cut it."""
    return quoted.removeprefix("… ").removesuffix("…").rstrip()


#: How many characters two quotes share at the start of one of them to be one line.
SAME_QUOTE_CHARS = 40


#: Acts that ask the host for something: a line doing that is not a closing.
_ASKING = frozenset(
    {
        "question",
        "follow_up",
        "referral_request",
        "mention_permission",
        "job_request",
        "confidential_request",
        "notes_permission",
        "time_check",
    }
)


#: Where a line's opening ends: "Des comptes à J+5 ouvrés : comment…", "Cadrer ? C'est-à-dire…".
_OPENING_END = re.compile(r"(?<![:.?!])[:.?!]++\s+(?=(?:\S+\s+){2}\S)")


def _opens_on_host_words(line: str, said: set[str], lang: str) -> bool:
    """The line opens on words the host said, then asks ("Des comptes à J+5 ouvrés :
    comment l'équipe s'organise ?"): it picks up what was said, whatever it asks about."""
    end = _OPENING_END.search(line)
    if end is None:
        return False
    opening = set(content_stems(line[: end.start()], lang)) - generic_stems(lang)
    return bool(opening & said)


def _lines_with(turns, *intents: str) -> list[str]:
    return [quote(t.user) for t in turns if set(t.intents) & set(intents)]


def _closing_start(meeting: Meeting) -> int:
    """Where the end of the meeting begins: its last lines, within the closing phase."""
    turns = meeting.state.turns
    # The last three lines at most: a "thank you" for an answer mid-meeting is not a closing.
    last_lines = max(1, len(turns) - 3)
    for index, turn in enumerate(turns):
        if turn.phase in ("closing", "ended"):
            return max(last_lines, index)
    return last_lines


def _referrer_lines(meeting: Meeting) -> list[str]:
    """Lines that name who sent the visitor (the briefing's contact, or a chain's referrer)."""
    names = [meeting.persona.briefing.referrer_name]
    if meeting.state.referred_by:
        names.append(meeting.state.referred_by)
    keys = {normalise(part) for name in names for part in name.split() if len(part) > 2}
    return [
        quote(t.user)
        for t in meeting.state.turns
        if keys & set(re.findall(r"[\w'-]+", normalise(t.user)))  # "oui à Bernard."
    ]


def _assets(meeting: Meeting) -> tuple[list[str], list[str], list[str]]:
    """The visitor's own facts: achievements (a figure, a result), experience (years in a
    trade, "cariste depuis 6 ans": a concrete fact, not yet an achievement) and vague ones.

    A line that repeats the host's previous reply is the host's achievement, not the
    visitor's; a question, an offer or research on the host ("J'ai lu votre communiqué…")
    is not an asset.
    """
    concrete: list[str] = []
    experience: list[str] = []
    vague: list[str] = []
    previous = " ".join(meeting.state.opening)
    lang = meeting.lang
    for turn in meeting.state.turns:
        intents = set(turn.intents)
        echo = _echoes(turn.user, previous, lang)
        previous = turn.reply
        if turn.act == "job_request" or echo:
            continue
        # What the visitor says of themselves, not the figures of their questions ("ben
        # les 32 salariés, comment ils sont recrutés ?").
        said = _statements(turn) if turn.act in ("question", "follow_up") else turn.user
        if turn.act == "offer" or "give_back" in intents:
            # The offer is no asset; what comes with it may be ("in my stores I set up a
            # buddy system that cut early turnover by a third. I'd be happy to send you…").
            said = " ".join(
                s for s in sentences(said) if "give_back" not in analyse(s, lang).intents
            )
        if "preparation" in intents:
            # "I read your presentation: 280 million… In my internship I built a dashboard
            # that cut the close from eight to five days": the research is not an asset, the
            # sentence after it is.
            said = " ".join(
                s for s in sentences(said) if "preparation" not in analyse(s, lang).intents
            )
        if not said or reads(lang, "little_research", said) or reads(lang, "told_nothing", said):
            # "Pas grand-chose, j'ai juste regardé votre site", "I've done a bit of
            # everything": no asset.
            continue
        norm = lexicon(lang).expand(normalise(said))
        # "Four years in audit at a Big Four firm" counts years, it achieved nothing: the
        # years and the firm's name are no figure of a result.
        counted = _NOT_A_FIGURE[lang].sub(" ", _BIG_FOUR.sub(" ", _EXPERIENCE.sub(" ", norm)))
        has_figure = bool(_FIGURE.search(counted)) or (
            bool(_ACHIEVED.search(norm)) and len(norm.split()) >= 12
        )
        # A statement of its own before the question ("jviens de 5 ans comme commerciale
        # b2b, j'ai fait un DCG. a ma place tu ferais quoi…") tells of the visitor.
        apart = said.strip() != turn.user.strip()
        record = (
            reads(lang, "record", said)
            and bool(_FIRST_PERSON[lang].search(norm))
            and (not turn.question or apart or bool(intents & {"assets", "introduction"}))
        )
        past = bool(_PAST.search(norm) or _EXPERIENCE.search(norm) or _ACHIEVED.search(norm))
        # "jviens de 5 ans comme commerciale b2b" counts years, in the first person.
        own_years = bool(_EXPERIENCE.search(norm)) and bool(_FIRST_PERSON[lang].search(norm))
        years_only = (
            (record or bool(_FIGURE.search(norm)) or own_years)
            and not has_figure
            and bool(_EXPERIENCE.search(norm))
            and not reads(lang, "record_done", said)
        )
        if years_only:
            experience.append(quote(turn.user))
        elif (has_figure and ("assets" in intents or past)) or record:
            concrete.append(quote(turn.user))
        elif (
            "assets" in intents
            or (past and ("introduction" in intents or turn.act == "answer"))
            or reads(lang, "own_role", said)
        ):
            vague.append(quote(turn.user))
    return concrete, experience, vague


def _statements(turn) -> str:
    """The line without its question sentences."""
    said = turn.user
    for question, _kind in turn.questions:
        said = said.replace(question, " ")
    return " ".join(said.split())


_FIRST_PERSON = {
    "fr": re.compile(r"\b(j'|(je|moi|jsuis)\b)"),
    "en": re.compile(r"\b(i|i'm|i've|im|ive|my)\b"),
}
_FIGURE = re.compile(
    r"(?<!i'm )(?<!i am )\b(\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|"
    r"vingt|trente|cent|mille|dizaine|douzaine|quinzaine|vingtaine|trentaine|centaine|two|three|four|five|six|"
    r"seven|eight|nine|ten|twelve|fifteen|twenty|thirty|hundred|hundreds|thousand|dozens?)\b"
    r"(?! (ans|annees|mois|years?|yrs?|months?)\b)"
    # A share is a figure too ("cut early turnover by a third", "divisé de moitié").
    r"|\b(by|of) (a|one) (third|quarter)\b|\bby half\b|\b(de moitie|d'un (tiers|quart))\b"
)
_PAST = re.compile(
    r"\b(j'?ai (ete|travaille|passe|fait|gere|dirige|occupe|accompagne|encadre|monte|cree|"
    r"lance|organise|forme|developpe|redige|conduit)|je travaille|i'?ve "
    r"(been|worked|spent|done|run|led|managed|got (\w+ ){0,3}experience)|i (was|worked|spent|ran|"
    r"led|managed|work|built|organised|organized|trained|created|launched)|j'?ai (\w+ ){0,3}"
    r"experience)\b"
)
#: Years in a trade ("électricienne depuis 6 ans", "ten years as a team leader"): experience
#: the visitor brings, not yet an achievement.
_NUMBER_WORD = (
    r"(\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|two|three|"
    r"four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty)"
)
_EXPERIENCE = re.compile(
    rf"\b(depuis {_NUMBER_WORD} ans|"
    rf"{_NUMBER_WORD} ans (d'experience|dans|comme|en tant que|de|d'\w+|en|chez|a la|au)|"
    rf"for {_NUMBER_WORD} years|{_NUMBER_WORD} years (of experience|in|as|at|of)|"
    rf"{_NUMBER_WORD} yrs?)\b"
    # "(4 yrs)", written out "(4 years)" for the chat spellings.
    rf"|\({_NUMBER_WORD} years\)"
)
#: Doing, not being: a past action with its object is an achievement even without a figure
#: ("Last year I ran the project to put panels on our school's roof").
#: A firm's name with a number in it ("Big Four", "les Big 4").
_BIG_FOUR = re.compile(r"\bbig (four|4)\b")
#: Numbers that measure nothing the visitor did: the meeting's own minutes ("I'll keep to
#: the thirty minutes"), and chat's "4"/"2" for "for"/"to" ("not asking 4 a job").
#: Numbers that are no result: the meeting's own minutes, chat's "4"/"2" for "for"/"to", and
#: the visitor's age ("im julie, 28", "j'ai 26 ans", "26 ans").
_NOT_A_FIGURE = {
    "en": re.compile(
        r"\b(the|your|these|those|our|my) (\w+ )?minutes\b|\b[24] (?=(a|an|the|me|u|you|ur|"
        r"your|my|it|this|that|be|get|go|do|work|help|find|see|learn|understand|ask)\b)"
        r"|\b(i'm|im|i am|aged?),? [1-6]\d\b(?! (years?|yrs|percent|%|k\b))"
        r"|\b[1-6]\d (years|yrs) old\b"
        r"|\b(i'm|im) [a-z]+, [1-6]\d\b(?! ?(years?|yrs|percent|%|k\b|people|staff))"
        # "just 15 min of advice": the meeting's time, not a result.
        r"|\b\d+ ?(min|mins|minutes)\b"
    ),
    "fr": re.compile(
        r"\b(les|vos|tes|ces|nos|mes) (\w+ )?minutes\b|\b(j'ai|jai|g|age de|agee? de) [1-6]\d ans\b"
        r"|\b(je suis|jsuis|moi c'est|moi c) \w+,? [1-6]\d ans\b"
        r"|\b\d+ ?(min|minutes)\b"
    ),
}
_ACHIEVED = re.compile(
    r"\b(i (ran|led|built|launched|organised|organized|set up|created|managed|designed|delivered|"
    r"cut|reduced|increased|doubled|halved|improved|automated|negotiated|hired|trained|saved|"
    r"grew|sold|opened|migrated)|"
    r"j'?ai (monte|cree|lance|organise|pilote|conduit|dirige|mis en place|concu|realise|ramene|"
    r"reduit|augmente|baisse|divise|double|ameliore|automatise|optimise|negocie|recrute|forme|"
    r"livre|deploye|migre|ouvert|vendu|installe|fait baisser|fait passer|fait gagner))\b"
)


def _offers_something(turn, lang: str) -> bool:
    """A sentence of the line offers something to the host: "I can send you the summary. And
    is there someone I should meet?" does, "do you know someone, can i say you send me"
    and "Could I give you my CV?" (read as giving by their words) do not."""
    if "give_back" not in turn.intents:
        return False
    asks = {"referral_request", "job_request"}
    if not asks & set(turn.intents) and turn.act not in ("mention_permission", "job_request"):
        return True
    # "Is your lab hiring? Could I give you my CV?" gives nothing: a sentence that asks for a
    # job or a contact is no offer, whatever its verb.
    return any(
        "give_back" in said.intents and not asks & set(said.intents)
        for said in (analyse(sentence, lang) for sentence in sentences(turn.user))
    )


def _took_it_well(turns, lang: str) -> bool:
    """After the first request for contacts, the visitor thanked or said they understood
    ("Je comprends. Je vous remercie sincèrement…"), and did not ask again."""
    after_no = after_contacts_asked(turns, lang)
    return after_no is not None and not after_no.asked_again and after_no.courteous


def _names_something(text: str, lang: str) -> bool:
    """An offer of a person or a document, not "if I can help in any way"."""
    norm = normalise(text)
    return bool(rule(lang, "offer_person").search(norm) or rule(lang, "document").search(norm))


def _one_line_per_topic(turns) -> list[str]:
    """The first question on each subject among the questions that cover one (a short yes/no
    question, "Is the warehouse big?", shows no preparation and is not quoted as such)."""
    seen: set[str] = set()
    lines = []
    for turn in turns:
        fresh = [t for t in turn.topics if t not in seen] if turn.question else []
        if fresh and turn.act not in ("job_request", "confidential_request"):
            seen.update(fresh)
            lines.append(quote(turn.user))
    return lines


def _echoes(text: str, previous: str, lang: str) -> bool:
    """Most of the line's content words come from the host's previous reply."""
    mine = set(content_stems(text, lang))
    if len(mine) < 3:
        return False
    return len(mine & set(content_stems(previous, lang))) / len(mine) > 0.6


def _is_job_request(turn, lang: str) -> bool:
    """A job asked for, in the request rules' words or the coach's ("any openings?",
    "quelqu'un à appeler pour un poste ?")."""
    if turn.act == "job_request":
        return True
    return bool(turn.question) and reads(lang, "job_request", turn.user)


def _contacts_apart(turn, lang: str) -> bool:
    """A line that asks for contacts in a sentence of its own, whatever the next one does
    ("Vous connaîtriez quelqu'un que je pourrais aller voir ? Je peux vous laisser mon CV"):
    the referral asked counts; the CV is Respect's fault."""
    return any(
        "referral_request" in (intents := set(analyse(sentence, lang).intents))
        and "job_request" not in intents
        and not reads(lang, "job_request", sentence)
        for sentence in sentences(turn.user)
    )


#: Intents of a line that asks leave or help, not information.
_LEAVE = frozenset({"referral_request", "notes_permission", "mention_permission", "keep_informed"})


def _asks_for_information(turn, lang: str) -> bool:
    """A question about the host's work: what the open-questions criterion counts."""
    if not turn.question or turn.act in ("job_request", "confidential_request", "rude"):
        return False
    if _is_job_request(turn, lang):
        return False
    asks = [text for text, _kind in turn.questions if not _not_information(text, lang)]
    if not asks:
        return False
    # A line that asks leave, offers or checks what it understood ("Si je comprends bien,
    # il faut d'abord… ?") counts only when it also asks something else.
    other_purpose = (
        set(turn.intents) & _LEAVE or turn.act == "offer" or reads(lang, "reformulates", turn.user)
    )
    # "Je peux prendre des notes ? Et pour commencer : comment… ?": the leave is a sentence
    # of its own, set aside above; what is left asks for information.
    return not other_purpose or len(asks) > 1 or len(asks) < len(turn.questions)


def _not_information(sentence: str, lang: str) -> bool:
    """A question that checks the time or the setting ("On a une demi-heure, ça te va ?"),
    offers ("would you like me to send it to you?"), or checks a word of the host's ("Is
    that like a distributor?": listening, not a closed question for information)."""
    norm = normalise(sentence)
    analysed = analyse(sentence, lang)
    return bool(
        (
            reads(lang, "clarifies", sentence)
            # "When you say the floor, do you mean shifts as an operator, or shadowing?"
            and (is_polar_sentence(sentence, lang) or analysed.question == "closed")
        )
        or set(analysed.intents) & (_LEAVE | {"give_back"})
        or rule(lang, "time_check").search(norm)
        or rule(lang, "mind_question").search(norm)
        or reads(lang, "not_information", sentence)
        or reads(lang, "time_aware", sentence)
    )


def build_feedback(meeting: Meeting) -> Feedback:
    """Score the ten criteria from the meeting's turns; evidence is the user's own lines."""
    cfg = rubric()
    lang = meeting.lang
    persona = meeting.persona
    _ = addressed(lang, persona.address)
    turns = meeting.state.turns
    results: dict[str, CriterionResult] = {}

    # 1. Introduction: who you are, who sent you, why you came. A job request is none of
    # them; a part the host had to ask for ("Tu cherches du travail ?") came late.
    job_turns = {id(t) for t in turns if _is_job_request(t, lang)}
    referrer = _referrer_lines(meeting)
    # A question for information after the first lines, or the last words, introduce nobody
    # ("Didier say you was accountant before, how you go from…", "i say hi to Didier").
    closing_from = _closing_start(meeting)
    introducing = [
        t
        for i, t in enumerate(turns)
        if id(t) not in job_turns
        and not (i >= cfg["introduction"]["early_lines"] and _asks_for_information(t, lang))
        and not (i and i >= closing_from and "thanks" in t.intents)
        and not (i >= cfg["introduction"]["early_lines"] and t.act == "offer")
    ]
    # "I'm Kevin" says who one is for the score (the labelled coaches count a name), but the
    # advice asks for more: a trade, a background, years.
    says_who = any("assets" in t.intents or reads(lang, "says_who", t.user) for t in introducing)
    # "I'm thinking about changing careers, I've done a bit of everything" tells neither a
    # name nor a trade: no one was introduced (round 19: Introduction 70 for it).
    named = says_who or bool(meeting.state.visitor.get("name"))
    parts = {
        "introduction": [t for t in introducing if "introduction" in t.intents and named],
        "link": [t for t in introducing if "link" in t.intents or quote(t.user) in referrer],
        "purpose": [
            t for t in introducing if "purpose" in t.intents or reads(lang, "purpose", t.user)
        ],
    }
    got = [k for k, v in parts.items() if v]
    index = {id(t): i for i, t in enumerate(turns)}
    first = min((index[id(v[0])] for v in parts.values() if v), default=0)
    # On time: in the first introducing line, or the next one if the host did not have to
    # ask for it in between.
    on_time = [
        k
        for k in got
        if index[id(parts[k][0])] == first
        or (index[id(parts[k][0])] == first + 1 and not asks_visitor(turns[first].reply))
    ]
    early = first < cfg["introduction"]["early_lines"]
    scale = cfg["introduction"]["parts"]
    # A purpose said only after asking for a job is not believed: it earns nothing more.
    first_job = min((index[i] for i in job_turns), default=len(turns))
    late = [k for k in got if k not in on_time and index[id(parts[k][0])] < first_job]
    score = scale[len(on_time)] + round(
        cfg["introduction"]["late_share"] * (scale[len(on_time) + len(late)] - scale[len(on_time)])
    )
    if got and not early:
        score = max(0, score - cfg["introduction"]["late_penalty"])
    missing = [k for k in parts if k not in got]
    name_only = "introduction" in got and not says_who
    if not got:
        advice = _("Say who you are in two sentences: your background and your project.")
    elif name_only and not missing:
        advice = _(
            "Complete. Say who you are beyond your name too: your trade or background in one "
            "sentence (“I have spent six years in retail logistics”)."
        )
    elif not missing:
        advice = _("Complete introduction. Keep it under a minute, as you did.")
        if early and on_time and "purpose" not in on_time:
            advice = _(
                "Complete, but the host had to ask why you came: say it with the rest, in your "
                "first lines (“I would like to understand what your job is really like”)."
            )
        elif not early or len(on_time) < len(got):
            advice = _("Complete, but late: introduce yourself in your very first lines.")
    elif "link" in missing and "purpose" in missing:
        # Both gaps, the purpose first: without it the host has to ask what the meeting is
        # for (round 16: "Say who sent you" was the only advice to "sort of interested in
        # finance, I think").
        advice = _(
            "Say why you came and who sent you: “{name} suggested I contact you; I would like "
            "to understand what your job is really like.”"
        ).format(name=persona.briefing.referrer_name)
    elif "link" in missing:
        advice = _("Say who sent you: “{name} suggested I contact you.” It opens the door.").format(
            name=persona.briefing.referrer_name
        )
    elif "purpose" in missing and any(
        rule(lang, "career_goal").search(normalise(t.user)) for t in introducing
    ):
        advice = _(
            "You said where you want to go; say too what you expect of this meeting: “I would "
            "like to understand what the job is really like and how you got there.”"
        )
    elif "purpose" in missing:
        advice = _(
            "Say why you came: “I am not looking for a job; I want to understand your work.”"
        )
    else:
        advice = _("Say who you are in two sentences: your background and your project.")
    # Quoted: where each part was first said, not every later line that names the referrer.
    shown = {id(v[0]) for v in parts.values() if v}
    evidence = list(dict.fromkeys(quote(t.user) for t in turns if id(t) in shown))
    results["introduction"] = CriterionResult(score, evidence[:MAX_EVIDENCE], advice)
    intro_on_time = not missing and early and len(on_time) == len(got) and not job_turns

    # 2. Assets: the visitor's own facts, concrete (a figure, a result) or vague.
    concrete, experience, vague = _assets(meeting)
    score = (
        100
        if concrete
        else cfg["assets"]["experience"]
        if experience
        else cfg["assets"]["vague"]
        if vague
        else 0
    )
    results["assets"] = CriterionResult(
        score,
        _unique(concrete + experience + vague),
        (
            _("Good: concrete achievements make you credible.")
            if any(_FIGURE.search(normalise(line)) for line in concrete)
            else _("Good: concrete achievements make you credible. Add a figure when you can.")
        )
        if concrete
        else _(
            "Your years in the trade count. Add one result they brought "
            "(“I ran a team of 8”, “I cut errors by half”)."
        )
        if experience
        else _("Make it concrete: a figure, a result (“I ran a team of 8”, “I cut costs by 12%”).")
        if vague
        else _("Mention one concrete achievement (“I ran a team of 8”, “I cut costs by 12%”)."),
    )

    # 3. Open questions. A job or confidential request is not a question for information,
    # however it is worded: Respect blames it, this criterion neither counts nor quotes it.
    # Nor is a line that only asks leave (notes, "may I use your name") or checks the time;
    # one that also asks something else ("Je peux prendre des notes ? Première question :
    # comment…") counts. The same counts make the score, the advice and the stats.
    asked = [t for t in turns if _asks_for_information(t, lang)]
    # A request for contacts counts as a question asked, never as a badly closed one: "Do you
    # know someone I should meet?" is how it is asked.
    # "Je peux prendre des notes ? Et pour commencer : comment… ?" is judged on its question
    # for information: the leave asked first is closed by nature, never a fault.
    closed = [
        t
        for t in asked
        if t.question == "closed"
        and not asks_for_contacts(t)
        and not any(
            kind == "open" and not _not_information(text, lang) for text, kind in t.questions
        )
    ]
    open_ = [t for t in asked if t not in closed]
    if asked:
        share = len(open_) / len(asked)
        volume = min(1.0, len(asked) / cfg["enough_questions"])
        score = round(100 * min(1.0, share / cfg["open_share_for_full_marks"]) * volume)
    else:
        share, score = 0.0, 0
    if not asked:
        advice = _("Prepare at least five open questions before the meeting.")
    elif closed and score >= cfg["bands"]["high"]:
        # Full marks with a few closed ones: praise first, so the advice does not read as
        # a fault the score does not show.
        advice = (
            translations(lang)
            .ngettext(
                "Mostly open questions: well done. {closed} was closed: open it with “how” "
                "or “what” next time.",
                "Mostly open questions: well done. {closed} were closed: open them with “how” "
                "or “what” next time.",
                len(closed),
            )
            .format(closed=len(closed))
        )
    elif closed:
        advice = (
            translations(lang)
            .ngettext(
                "{closed} of your {total} questions was closed: start them with “how”, "
                "“what”, “could you describe”.",
                "{closed} of your {total} questions were closed: start them with “how”, "
                "“what”, “could you describe”.",
                len(closed),
            )
            .format(closed=len(closed), total=len(asked))
        )
    elif len(asked) < cfg["enough_questions"]:
        advice = (
            translations(lang)
            .ngettext(
                "Open, but only {total} question: prepare at least five for a meeting.",
                "Open, but only {total} questions: prepare at least five for a meeting.",
                len(asked),
            )
            .format(total=len(asked))
        )
    else:
        advice = _("All your questions were open: keep it that way.")
    if asked and any(t.act in ("job_request", "confidential_request") for t in turns):
        # "9 of your 11 questions" to a visitor who asked 13 reads as a wrong count (round 20).
        advice += " " + _(
            "Your requests for a job or for confidential figures are not counted here: "
            "Respect judges them."
        )
    # Questions after one fact ("il gagne combien ?", "where did you start?") count as
    # closed (the rubric's "one short fact"), which visitors do not expect: say so, with
    # one of theirs, since no rewording shows them.
    facts = [
        text
        for t in closed
        for text, kind in t.questions
        if kind == "closed" and not is_polar_sentence(text, lang) and _asks_one_fact(text, lang)
    ]
    if facts:
        advice += " " + _(
            "A question that asks for one short fact (how much, where, when, which) counts as "
            "closed too, such as “{question}”: ask also what lies behind the fact."
        ).format(question=quote(facts[0]))
    # Evidence of what went well when the score is good, of what to change when it is not;
    # never a closed question quoted as a good one. An introduction, an answer or an offer
    # that ends on a question shows something else than a good question.
    good = score >= cfg["bands"]["medium"]
    shown = [
        t
        for t in open_
        if t.act in ("question", "follow_up")
        and not set(t.intents) & {"introduction", "link", "purpose", "give_back"}
    ] or open_
    evidence = [
        quote(t.user, lang, "question") for t in (shown[:MAX_EVIDENCE] if good else closed[:2])
    ]
    results["open_questions"] = CriterionResult(score, evidence, advice)

    # 4. Active listening: follow-ups that pick up what the host just said ("Vous dites
    # que…", a reformulation). A new subject announced ("Deuxième question :"), a way back
    # to one's questions or an answer to the host is not one. Open ones are quoted first.
    pick_up = rule(lang, "pick_up")
    # A line that only shares a word with the host's reply picks it up if it stays on what
    # was said: "Wow. And now, are you on the roofs every day?" after a story, or "What does
    # a typical week look like for you now at <the company just named>?" opens a new subject.
    said: set[str] = set()  # the host's words so far: a story told earlier counts too
    stays = set()
    for before, t in itertools.pairwise(turns):
        said |= set(content_stems(before.reply, lang))
        if (
            t.topic in (None, routing.OTHER)
            or t.topic == before.answered
            or _opens_on_host_words(t.user, said, lang)
        ):
            stays.add(id(t))
    follow = [
        t
        for t in turns
        if t.question
        and t.act not in ("answer", "job_request", "confidential_request", "referral_request")
        and not reads(lang, "steered", t.user)
        # "My third question is about hiring. But first, if I follow you, …" announces a new
        # subject and still reformulates first.
        and (not reads(lang, "new_subject", t.user) or "reformulation" in t.intents)
        and (
            pick_up.search(normalise(t.user))
            or reads(lang, "picks_up", t.user)
            or "reformulation" in t.intents
            or reads(lang, "clarifies", t.user)
            or (
                t.listening
                and t.echoed
                and id(t) in stays
                and not reads(lang, "new_subject", t.user)
                and not reads(lang, "steered", t.user)
            )
        )
    ]
    follow.sort(key=lambda t: t.question != "open")
    follow_ups = [quote(t.user) for t in follow]
    score = round(100 * min(1.0, len(follow_ups) / cfg["enough_follow_ups"]))
    results["active_listening"] = CriterionResult(
        score,
        follow_ups[:MAX_EVIDENCE],
        _("You picked up on what was said: that is what makes people open up.")
        if score >= 100
        else _(
            "Pick up on what you just heard: “You mentioned …; how does that work?” "
            "or reformulate: “If I understand correctly, …”."
        ),
    )

    # 5. Preparation: research shown and topics covered. An answer to the host's "what did
    # you read before coming?" that says what ("Surtout les notes de la Chambre
    # d'agriculture…") shows it too; "Pas grand-chose" does not.
    research = [
        quote(t.user, lang, "preparation")
        for t in turns
        if "preparation" in t.intents
        and not _only_found(t.user, lang)
        and not _read_in_passing(t.user, lang)
    ] + [
        quote(t.user)
        for before, t in zip([None, *turns], turns, strict=False)
        if before is not None
        and reads(lang, "asks_research", before.reply)
        and t.act == "answer"  # it answers the host's question, not asks a new one
        and len(t.user.split()) >= 6
        and not reads(lang, "little_research", t.user)
    ]
    # Subjects covered by questions for information; a yes/no question ("C'est dur comme
    # métier ?") shows little preparation and covers its subject only if an open one does too.
    covering = [
        t
        for t in turns
        if _asks_for_information(t, lang)
        and not (
            t.question == "closed"
            and t.polar
            and len(t.user.split()) < cfg["preparation"]["specific_words"]
        )
    ]
    topics = {topic for t in covering for topic in t.topics}
    coverage = min(1.0, len(topics) / cfg["enough_topics"])
    share = cfg["preparation"]["research_share"]
    score = round(100 * (share * bool(research) + (1 - share) * coverage))
    # "Pas grand-chose, j'ai pas trop eu le temps de regarder" to the host's "what did you
    # read?": the subjects asked do not make up for it (round 19: 50/100 for that).
    admitted = [
        quote(t.user)
        for before, t in zip([None, *turns], turns, strict=False)
        if before is not None
        and reads(lang, "asks_research", before.reply)
        and reads(lang, "little_research", t.user)
        # "Pas grand-chose, je l'avoue, quelques articles généraux" read a little all the same;
        # "Pas grand-chose, j'ai regardé vite fait votre site" did not (round 21).
        and (not reads(lang, "read_words", t.user) or _read_in_passing(t.user, lang))
    ]
    if admitted and not research:
        score = min(score, cfg["preparation"]["admitted_little_max"])
    advice = _preparation_advice(
        _,
        lang,
        admitted=bool(admitted) and not research,
        research=bool(research),
        topics=len(topics),
        coverage=coverage,
    )
    # Quoted: the research shown, and only that. The subjects covered count in the score, but
    # coaches who read the feedback did not take a question, however good, as proof of
    # homework (rounds 8 and 9 of the reading).
    results["preparation"] = CriterionResult(
        score,
        list(dict.fromkeys(research))[:MAX_EVIDENCE],
        advice,
    )

    # 6. Notes permission.
    # Asked late (after the first third of the meeting), it is less of a courtesy.
    notes_at = [i for i, t in enumerate(turns) if "notes_permission" in t.intents]
    late_notes = bool(notes_at) and notes_at[0] >= max(
        cfg["notes"]["early_lines"], len(turns) * cfg["notes"]["early_share"]
    )
    results["notes_permission"] = CriterionResult(
        (cfg["notes"]["late"] if late_notes else 100) if notes_at else 0,
        [quote(turns[notes_at[0]].user, lang, "notes_permission")] if notes_at else [],
        _("You asked, but late: ask at the start, before you write anything down.")
        if late_notes
        else _("You asked before taking notes: courteous and useful.")
        if notes_at
        else _("Ask at the start: “Do you mind if I take a few notes?”"),
    )

    # 7. Respect: no confidential or job request, courtesy, the time kept.
    confidential = [
        quote(t.user, lang, "confidential_request")
        for t in turns
        if t.act == "confidential_request"
    ]
    job = [quote(t.user, lang, "job_request") for t in turns if _is_job_request(t, lang)]
    rude = [quote(t.user) for t in turns if t.act == "rude"]
    overtime = [quote(t.user) for t in turns if t.overtime]
    # Chat spellings, or "tu" to a host who says "vous": a lapse of courtesy, counted once.
    slips = register_slips(meeting, quote)
    penalty = cfg["respect"]
    score = (
        100
        - penalty["confidential_request"] * len(confidential)
        - penalty["job_request"] * len(job)
        - penalty["rude"] * len(rude)
        - (penalty["overtime"] if overtime else 0)
        - (penalty["register"] if slips else 0)
    )
    if not turns:
        # Nothing said, nothing to credit: "Respect 100, courteous exchange" would praise
        # a meeting that did not take place.
        score = 0
        advice = _("Nothing to judge: the meeting ended before your first line.")
    elif rude:
        advice = _("Courtesy first: the person gives you their time for free.")
    elif confidential and job:
        advice = _(
            "Never ask for confidential information or for a job: ask what anyone in the job "
            "could say, and for contacts; offers follow."
        )
    elif confidential:
        advice = _("Never ask for confidential information: ask what anyone in the job could say.")
    elif job:
        advice = _("Do not ask for a job: ask for information and contacts; offers follow.")
    elif overtime:
        advice = _("Watch the time: offer to stop when the scheduled time is over.")
    elif slips:
        advice = _(
            "Within the rules of a networking meeting; mind the register: the host is giving "
            "you their time, write to them as you would speak to them, no chat abbreviations."
        )
    else:
        advice = _("Courteous and within the rules of a networking meeting.")
    # The register lesson quotes the slips: Respect, still high, quotes what went well.
    faults = rude + confidential + job + overtime[:1]
    if not faults:
        # What showed respect: the first words, care for the time or a no taken well, and
        # the last words.
        time_check = rule(lang, "time_check")
        minded = [
            quote(t.user)
            for t in turns[1:-1]
            if "purpose" in t.intents
            or reads(lang, "purpose", t.user)
            or time_check.search(normalise(t.user))
            or reads(lang, "time_aware", t.user)
            or reads(lang, "courtesy", t.user)
        ]
        ends = [quote(turns[0].user)] if turns else []
        faults = ends + minded[:1] + [quote(t.user) for t in turns[-1:]]
    results["respect"] = CriterionResult(
        max(0, score), list(dict.fromkeys(faults))[:MAX_EVIDENCE], advice
    )

    # 8. Referral: asked for, then qualified (how to reach them, may I use your name). A
    # contact asked "for a job" is a job request (Respect), not a referral.
    referral = [
        quote(t.user, lang, "referral_request")
        for t in turns
        if asks_for_contacts(t) and (not _is_job_request(t, lang) or _contacts_apart(t, lang))
    ]
    status = referral_status(meeting, quote)
    # Qualified: who they are ("a researcher in Nantes"), how to reach them, may I use your
    # name (design.md). A request that says who was counted as none (round 22: 70/100 under
    # "✓ Qualifying a referral").
    qualify = list(dict.fromkeys(status.name_asked + status.reach_asked + status.who_asked))
    given = meeting.has("referral_given")
    points = cfg["referral"]
    # Qualifying counts once there is someone to qualify: "May I say you sent me?" to a host
    # who named nobody earns nothing more.
    reach_missing = not (status.reach_asked or status.reach_given)
    name_missing = not (status.name_asked or status.name_granted)
    # A host who settles it unasked (how to reach the person, "tell him I sent you") leaves
    # the visitor nothing to ask, but the rubric asks the visitor to qualify the referral:
    # still medium, and the advice says so (it said "well done" under 70).
    settled = given and not reach_missing and not name_missing and not qualify
    # The rubric still asks the visitor to qualify a referral the host will introduce
    # (the labelled meetings score it medium); the advice asks nothing more of them.
    introduced = given and status.host_introduces and bool(referral)
    score = points["asked"] * bool(referral) + points["qualified"] * bool(
        referral and qualify and given
    )
    if not referral:
        advice = _("Always end with: “Do you know someone I should meet?”")
    elif not given and _took_it_well(turns, lang):
        advice = _(
            "{name} named nobody, and you took it well. Next time, also ask for something "
            "smaller: an event to attend, an article, a company to look at."
        ).format(name=persona.name)
    elif not given:
        advice = _(
            "{name} named nobody: take it well, thank them, and ask for something smaller "
            "(an event to attend, an article, a company to look at)."
        ).format(name=persona.name)
    elif introduced and not qualify:
        # "Je le préviens ce soir": nothing is left to ask (round 19: "ask whether you may
        # say she sent you" after it, three times).
        advice = _(
            "{name} will introduce you to {referral}: thank them, and write to {referral} "
            "once the introduction is made."
        ).format(name=persona.name, referral=persona.referral.name)
    elif introduced:
        advice = _(
            "You said who you hoped to meet, and {name} will introduce you to {referral}: "
            "write to {referral} once the introduction is made."
        ).format(name=persona.name, referral=persona.referral.name)
    elif reach_missing and name_missing:
        advice = _(
            "{name} gave you {referral}: ask how best to reach them, and whether you may "
            "say that {name} sent you."
        ).format(name=persona.name, referral=persona.referral.name)
    elif reach_missing:
        advice = _("{name} gave you {referral}: ask how best to reach them.").format(
            name=persona.name, referral=persona.referral.name
        )
    elif name_missing:
        advice = _(
            "{name} gave you {referral}: ask whether you may say that {name} sent you."
        ).format(name=persona.name, referral=persona.referral.name)
    elif settled:
        advice = _(
            "{name} gave you {referral} and said how to go about it. Next time, qualify it "
            "yourself: ask how best to reach them and whether you may say {name} sent you."
        ).format(name=persona.name, referral=persona.referral.name)
    else:
        advice = _(
            "You asked for contacts and qualified the referral ({referral}): well done."
        ).format(referral=persona.referral.name)
    results["referral"] = CriterionResult(score, _unique(referral + qualify), advice)

    # 9. Give back: offers to the host, nothing else.
    offers = [t for t in turns if t.act == "offer" or _offers_something(t, lang)]
    concrete = [
        t for t in offers if _names_something(t.user, lang) or reads(lang, "concrete_offer", t.user)
    ]
    shown = concrete + [t for t in offers if t not in concrete]
    give = [quote(t.user, lang, "give_back") for t in shown]
    results["give_back"] = CriterionResult(
        100 if concrete else cfg["give_back"]["vague"] if offers else 0,
        give[:MAX_EVIDENCE],
        _("You offered something in return: that is what makes a network last.")
        if concrete
        else _("Make your offer concrete: an article, a contact, what you saw elsewhere.")
        if offers
        else _("Offer something: an article, a contact, what you saw elsewhere."),
    )

    # 10. Closing, from the end of the meeting: thanks and keep informed.
    ending = turns[_closing_start(meeting) :]
    # "Merci, c'est clair. Et le salaire ?" thanks for an answer and asks on: not a closing.
    # The last line is the closing whatever it also does.
    thanks = [
        quote(t.user)
        for i, t in enumerate(ending)
        if "thanks" in t.intents
        and (t.act not in _ASKING or i == len(ending) - 1)
        and (i == len(ending) - 1 or not (t.act == "offer" or "give_back" in t.intents))
    ]
    informed = _lines_with(turns, "keep_informed")
    score = 50 * bool(thanks) + 50 * bool(informed)
    if not thanks:
        advice = _("Thank the person for their time before you leave.")
    elif not informed:
        advice = _("Offer to keep them informed: “May I tell you how it goes?”")
    else:
        advice = _("Thanks and a promise to keep in touch: a relationship, not a one-off.")
    results["closing"] = CriterionResult(score, _unique(thanks + informed), advice)

    weights = cfg["weights"]
    overall = round(sum(results[k].score * weights[k] for k in CRITERIA) / sum(weights.values()))

    # Every closed question, even one asked in the same line as an open one.
    # Only questions for information are reworded: a job, confidential or referral request
    # or an offer is not a badly worded question, and the advice says what to do instead.
    rewordings = _reworded(asked, lang, _visitor_address(turns, lang, persona.address))
    weakest = min(CRITERIA, key=lambda k: (results[k].score, -weights[k]))
    lessons = assess(meeting, quote, said_why=early and "purpose" in on_time)
    return Feedback(
        lessons=lessons,
        lesson=_persona_lesson(meeting, results, lessons, intro_on_time),
        next_step={"criterion": weakest, "persona": cfg["trains"][weakest]},
        score=overall,
        criteria={k: results[k] for k in CRITERIA},
        rewordings=rewordings,
        checklist=checklist(meeting),
        stats={
            "turns": len(turns),
            "questions": len(asked),
            "open_questions": len(open_),
            "minutes": round(meeting.state.minute),
            "scheduled_minutes": persona.schedule.duration_minutes,
            "referral_given": meeting.has("referral_given"),
            "takebacks": meeting.state.takebacks,
            "exam": meeting.state.exam,
        },
    )


def _persona_lesson(
    meeting: Meeting,
    results: dict[str, CriterionResult],
    lessons: dict[str, Lesson],
    intro_on_time: bool,
) -> dict[str, Any]:
    """The skill the persona trains, and whether the visitor showed it."""
    persona = meeting.persona
    if persona.lesson is None:
        return {}
    key = persona.trains
    if not meeting.state.turns:
        # A meeting ended before the first line showed no skill, whatever the criteria say.
        done = False
    elif key == "introduction":
        # Saying at once who you are and why you came: a part the host had to ask for, or a
        # job request, fails the lesson however complete the introduction ends up.
        done: bool | None = intro_on_time
    elif key in results:
        done = results[key].score >= rubric()["bands"]["high"]
    elif key in lessons:
        done = lessons[key].done
    else:
        done = None
    return {"text": persona.lesson.get(meeting.lang), "trains": key, "done": done}


def checklist(meeting: Meeting) -> list[str]:
    """The after-meeting steps, made concrete with this meeting's names."""
    _ = addressed(meeting.lang, meeting.persona.address)
    name = meeting.persona.name
    items = [
        _("Write your notes now: date, {name}, place, subject, what you learned.").format(
            name=name
        ),
        _("Send {name} a thank-you message within a day.").format(name=name),
    ]
    asked = any(asks_for_contacts(t) for t in meeting.state.turns)
    # "Oui, oui, vas-y" to "Je peux lui dire que je viens de ta part ?" is a yes to use.
    may_say = referral_status(meeting).name_granted
    if meeting.has("referral_given") and may_say:
        items.append(
            _("Contact {referral}, saying that {name} sent you.").format(
                referral=meeting.persona.referral.name, name=name
            )
        )
    elif meeting.has("referral_given"):
        # The host named someone but never said "use my name": ask before using it.
        items.append(
            _(
                "Contact {referral}; first ask {name}, in your thank-you message, whether you "
                "may say that {name} sent you."
            ).format(referral=meeting.persona.referral.name, name=name)
        )
    elif asked:
        # A name was refused: asking for one again the next day would undo the grace with
        # which the refusal was taken (the refusal lesson praises it); something smaller.
        items.append(
            _(
                "In your thank-you message, ask {name} for one event to attend or one article "
                "to read."
            ).format(name=name)
        )
    else:
        items.append(_("Next time, ask for a contact before leaving."))
    items.append(_("Keep {name} informed of how your search progresses.").format(name=name))
    return items


def _only_found(text: str, lang: str) -> bool:
    """The line says how the visitor found the host ("I saw your profile online"), which is
    how one reaches them, not homework on their work, unless it says what was read too."""
    norm = lexicon(lang).expand(normalise(text))
    return bool(rule(lang, "found_alone").search(norm)) and not reads(lang, "read_words", text)


#: The words of a question after one fact, as the advice names them (how much, where, when,
#: which): only such a question illustrates it. An either-or question ("…or is a chemistry
#: degree enough?") did, in five feedbacks of round 22.
_ONE_FACT = {
    "en": re.compile(r"\b(how (much|many|long|old|often)|where|when|which)\b", re.I),
    "fr": re.compile(
        r"\b(combien|cb|cmb|où|quand|quel|quelle|quels|quelles|lequel|laquelle)\b", re.I
    ),
}


def _asks_one_fact(sentence: str, lang: str) -> bool:
    norm = normalise(sentence)
    return bool(_ONE_FACT[lang].search(sentence)) and not rule(lang, "alternative").search(norm)


def _read_in_passing(line: str, lang: str) -> bool:
    """ "Pas grand-chose, j'ai regardé vite fait votre site": little, and in passing."""
    return reads(lang, "little_research", line) and reads(lang, "hasty_research", line)


def _preparation_advice(
    _: Callable[[str], str],
    lang: str,
    *,
    admitted: bool,
    research: bool,
    topics: int,
    coverage: float,
) -> str:
    """What to do about preparation, from what the meeting showed of it (``_``: the
    meeting's translation, in its register)."""
    homework = _("Show you did your homework: “I read that you…”, then ask for what is not online.")
    if admitted:
        return _(
            "You said you had read little before coming. Read the company's site and one "
            "article on the sector, and say what struck you in your first minutes."
        )
    if not research and topics:
        # The points the subjects earned, said, since no line is quoted for them.
        covered = (
            translations(lang)
            .ngettext(
                "Your questions covered {count} subject: that earns part of the score.",
                "Your questions covered {count} subjects: that earns part of the score.",
                topics,
            )
            .format(count=topics)
        )
        return f"{covered} {homework}"
    if not research:
        return homework
    if coverage < 1:
        return _(
            "You showed your research. Cover more subjects: training, a typical day, "
            "the sector's needs."
        )
    return _("Well prepared: research shown and several subjects covered.")
