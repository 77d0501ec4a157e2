"""What career guides teach beyond the ten criteria, read from the meeting's dialogue acts.

Each lesson says whether the visitor did it (``True``), missed it (``False``) or had no
occasion to show it (``None``: no refusal to take well, no digression to steer back), with
the lines that show it and one advice. Each persona names in its file the lesson it trains
above all (``lesson``, and ``trains``: one of ``LESSONS``); the feedback says how the
visitor did on it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import yaml

from bot.engine.acts import rule
from bot.engine.analysis import LEXICON_DIR, lexicon, normalise
from bot.engine.rubric import rubric
from bot.i18n import N_, NP_, addressed, translations

if TYPE_CHECKING:
    from bot.engine.meeting import Meeting

LESSONS = (
    "time",
    "steering",
    "own_project",
    "referral_quality",
    "refusal",
    "short_pitch",
    "register",
)

LESSON_NAMES = {
    "time": N_("Keeping to the time"),
    "steering": N_("Steering back to your questions"),
    "own_project": N_("Advice on your own project"),
    "referral_quality": N_("Qualifying a referral"),
    "refusal": N_("Taking a refusal well"),
    "short_pitch": N_("A short pitch"),
    "register": N_("A consistent register"),
}


@cache
def feedback_section(lang: str) -> dict[str, Any]:
    """The ``feedback`` section of ``lexicons/<lang>.yaml``: what only the coach reads."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (LEXICON_DIR / f"{lang}.yaml").open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)["feedback"]


@cache
def feedback_rule(lang: str, name: str) -> re.Pattern[str]:
    """One pattern list of the feedback section, compiled as one expression."""
    return re.compile("|".join(f"(?:{p})" for p in feedback_section(lang)[name]))


@cache
def reword_topics(lang: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, topic) pairs that name the subject of a yes/no question, first match wins."""
    return tuple(
        (re.compile(pattern), topic)
        for item in feedback_section(lang)["reword_topics"]
        for pattern, topic in item.items()
    )


def asks_for_contacts(turn) -> bool:
    """The line asks for contacts, whatever else it does ("do you know other person i can
    meet, can i say you send me" also asks leave to use the name)."""
    return turn.act == "referral_request" or "referral_request" in turn.intents


@dataclass
class AfterContactsAsked:
    """What the visitor said after first asking for contacts: how a no was taken."""

    #: Every line after that first ask.
    said: list
    #: The lines among them that ask for contacts again.
    asked_again: list
    #: One of them thanks or says "je comprends".
    courteous: bool
    #: The first ask itself ("vous connaissez pas quelqu'un qui pourrait m'embaucher ?").
    asked: object = None


def after_contacts_asked(turns, lang: str) -> AfterContactsAsked | None:
    """The lines after the first request for contacts (None when there was none): the
    refusal lesson and the referral advice read how a no was taken from them.

    A job asked for as a contact counts only after a job was refused ("Vous connaissez
    pas quelqu'un qui pourrait m'embaucher ?"): asked first ("would you have a sales
    position for me?"), it is Respect's, and "You asked again after a no" quoted it when
    no one had said no yet (round 22)."""
    first = next(
        (
            i
            for i, t in enumerate(turns)
            if asks_for_contacts(t)
            and (t.act != "job_request" or any(b.act == "job_request" for b in turns[:i]))
        ),
        None,
    )
    if first is None:
        return None
    said = turns[first + 1 :]
    return AfterContactsAsked(
        said,
        [t for t in said if asks_for_contacts(t)],
        any("thanks" in t.intents or reads(lang, "courtesy", t.user) for t in said),
        turns[first],
    )


def reads(lang: str, name: str, text: str) -> bool:
    """True when the feedback pattern list ``name`` is found in ``text`` (as typed)."""
    return bool(feedback_rule(lang, name).search(lexicon(lang).expand(normalise(text))))


#: Acts that take leave: a duration said then thanks for the time, it checks nothing.
_LEAVING = frozenset({"thanks", "goodbye", "keep_informed"})

_TU = re.compile(r"\b(tu|toi|t'es|t'as|t'etais|t'avais)\b")
#: Chat words. A laugh ("haha ok") is no abbreviation, and readers did not take it for
#: one (round 21).
_CHAT = re.compile(r"\b(lol|mdr|ptdr|omg|wtf|jpp|xd|lmao)\b")


#: "jnote", "jpense", "jsp": a "je" texted into the next word (no French word starts so).
_CHAT_ELISION = re.compile(r"\bj[bcdfghklmnpqrstvwxz]\w++")


def _texting(text: str, lang: str) -> bool:
    """Chat register: "lol", or two text-message spellings ("c koi", "pr vs") in one line.
    A word the lexicon keeps as it is ("ok") is spoken French, not a spelling (round 21:
    "Ok" at the start of two lines failed the register lesson)."""
    norm = normalise(text)
    if _CHAT.search(norm):
        return True
    spellings = lexicon(lang).abbreviations
    words = re.findall(r"[\w']+", norm)
    texted = sum(spellings.get(w, w) != w or bool(_CHAT_ELISION.match(w)) for w in words)
    return texted >= 2


_FIRST_PERSON = {
    "fr": re.compile(r"\b(j'|m'|(je|me|moi|mon|ma|mes)\b)"),
    "en": re.compile(r"\b(i|i'm|i'd|me|my|mine)\b"),
}


@dataclass
class ReferralStatus:
    """How a referral was qualified: what the visitor asked, what the host said unasked."""

    reach_asked: list[str] = field(default_factory=list)
    name_asked: list[str] = field(default_factory=list)
    #: The request said who the visitor would like to meet ("a researcher in Nantes").
    who_asked: list[str] = field(default_factory=list)
    reach_given: bool = False
    name_granted: bool = False
    #: The host makes the introduction itself ("I'll introduce you by email tonight"):
    #: nothing is left for the visitor to qualify.
    host_introduces: bool = False


def referral_status(meeting: Meeting, quote=lambda text: text) -> ReferralStatus:
    """What is settled about the referral: how to reach the person, may the host be named.

    "Puis-je dire que je viens de ta part ?" answered "Oui, oui, vas-y" is settled: neither
    the advice nor the checklist asks it again. Only lines from the referral on count.
    """
    lang = meeting.lang
    turns = meeting.state.turns
    status = ReferralStatus()
    contact = rule(lang, "referral_contact")
    use_my_name = rule(lang, "use_my_name")
    start = next((i for i, t in enumerate(turns) if asks_for_contacts(t)), None)
    if start is None:
        return status
    # The host's own ways of saying "yes, use my name" ("Yes, you can.").
    granted = [line for line in meeting.persona.say("lines.mention_ok", lang) if len(line) > 12]
    for turn in turns[start:]:
        norm = normalise(turn.user)
        if asks_for_contacts(turn) and reads(lang, "referral_who", turn.user):
            status.who_asked.append(quote(turn.user))
        asks_name = turn.act == "mention_permission" or "mention_permission" in turn.intents
        if asks_name:
            status.name_asked.append(quote(turn.user))
        if contact.search(norm) or (turn.question and reads(lang, "reach_asked", turn.user)):
            status.reach_asked.append(quote(turn.user))
        reply = normalise(turn.reply)
        if (
            use_my_name.search(reply)
            or (asks_name and reads(lang, "affirmative", turn.reply))
            or any(line in turn.reply for line in granted)
        ):
            status.name_granted = True
        if reads(lang, "reach_given", turn.reply):
            status.reach_given = True
        if reads(lang, "host_introduces", turn.reply):
            # "Je le préviens ce soir": the host makes the introduction, its name with it.
            status.name_granted = status.reach_given = status.host_introduces = True
    return status


@dataclass
class Lesson:
    key: str
    done: bool | None
    evidence: list[str] = field(default_factory=list)
    advice: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"done": self.done, "evidence": self.evidence, "advice": self.advice}


#: Advice that quotes what to say to the host, in *tu* for a host who says *tu*.
TU_ADVICE = (
    NP_(
        "tu",
        "After a long story, thank them and move on: “That is clear; may I ask you about…”",
    ),
    NP_("tu", "Ask for advice on your own plan: “What would you do in my place?”"),
)


def register_slips(meeting: Meeting, quote=lambda text: text) -> list[str]:
    """The visitor's lines out of register: "tu" to a host who says "vous", chat spellings.

    The register lesson quotes them and Respect counts them (courtesy): one list for both.
    """
    turns = meeting.state.turns
    mixed = []
    if meeting.lang == "fr" and meeting.persona.address == "vous":
        # Only "tu" to a host who says "vous" is a slip: "vous" to a host who says "tu" may
        # be plural ("vous êtes combien ?").
        mixed = [quote(t.user) for t in turns if _TU.search(normalise(t.user))]
    mixed += [quote(t.user) for t in turns if _texting(t.user, meeting.lang)]
    return list(dict.fromkeys(mixed))


def lesson_name(key: str, lang: str) -> str:
    return translations(lang).gettext(LESSON_NAMES[key])


def assess(meeting: Meeting, quote, *, said_why: bool = True) -> dict[str, Lesson]:
    """Every lesson, for this meeting (``quote`` shortens a line for evidence).

    ``said_why``: the introduction said why the visitor came, in the first lines, without
    the host having to ask (the introduction criterion decides it)."""
    _ = addressed(meeting.lang, meeting.persona.address)
    turns = meeting.state.turns
    persona = meeting.persona
    cfg = rubric()["lessons"]
    out: dict[str, Lesson] = {}

    # A time check may share its line with a question ("How much time do you have? And…").
    time_check = rule(meeting.lang, "time_check")
    # A duration said aloud ("On a une demi-heure, ça te va ?") or the clock watched ("I can
    # see we're nearly at time") shows the same care as asking.
    # "Merci pour ces quinze minutes" at the door thanks for the time; it checked nothing.
    checks = [
        quote(t.user)
        for t in turns
        if time_check.search(normalise(t.user))
        or (t.act not in _LEAVING and reads(meeting.lang, "time_aware", t.user))
    ]
    overtime = any(t.overtime for t in turns)
    # "Nous avons trente minutes": a host who said how long it has need not be asked.
    duration = rule(meeting.lang, "duration")
    announced = any(duration.search(normalise(line)) for line in meeting.state.opening)
    # Kept to the time: asked how much there was, or left before the host had to go.
    in_time = not overtime and (bool(checks) or meeting.state.ended_by in ("user", "goodbye", None))
    # A host who ended the meeting over the visitor's manners did not run out of time: the
    # clock is not what went wrong.
    judged = bool(turns) and meeting.state.ended_by != "persona_rude"
    out["time"] = Lesson(
        "time",
        # No line at all kept no time: there was nothing to keep it with.
        in_time if judged else None,
        checks[:2],
        _("You checked the time and kept to it.")
        if in_time and checks
        else _("You kept to the time {name} gave you.").format(name=persona.name)
        if in_time and announced
        else _(
            "You kept to the time. Next time, also ask at the start how much time {name} has."
        ).format(name=persona.name)
        if in_time
        else _("Keep to the time {name} gave you: offer to stop when it is up.").format(
            name=persona.name
        )
        if announced
        else _(
            "Ask at the start how much time {name} has, and offer to stop when it is up."
        ).format(name=persona.name),
    )

    # Back to one's questions after a story the host told (the chatty expert's lesson): a
    # question of one's own next, or said in so many words ("C'est très clair ; puis-je vous
    # demander…", "Let me steer us back to my plan"). A long answer to the question asked is
    # no digression (round 20: "✗ Steering back" to a visitor who never needed to).
    steer_back = rule(meeting.lang, "steer_back")
    stories = persona.anecdotes.get(meeting.lang) or []
    told = [any(story in t.reply for story in stories) for t in turns]
    steered = [
        quote(after.user)
        for index, (before, after) in enumerate(itertools.pairwise(turns))
        if after.question
        and (
            (
                told[index]
                and (
                    after.act == "referral_request"
                    or (
                        after.act in ("question", "follow_up")
                        and after.topic not in (None, before.topic)
                    )
                )
            )
            or (
                len(before.reply.split()) >= cfg["steer_reply_words"]
                # Back to one's questions for information: "Merci beaucoup. Puis-je lui dire
                # que je viens de votre part ?" asks leave, it steers nothing.
                and after.act in ("question", "follow_up")
                and (
                    steer_back.search(normalise(after.user))
                    or reads(meeting.lang, "steered", after.user)
                    or reads(meeting.lang, "thanked_on", after.user)
                )
            )
        )
    ]
    digressed = any(told[:-1])
    out["steering"] = Lesson(
        "steering",
        bool(steered) if digressed or steered else None,
        steered[:2],
        _("After a long answer, you brought the talk back to your own questions.")
        if steered
        else _("After a long story, thank them and move on: “That is clear; may I ask you about…”")
        if digressed
        else "",
    )

    # A question about the visitor's own case: said so ("à ma place", "for someone like me"),
    # or advice asked in the first person. A request for contacts or a job is not advice.
    own_case = rule(meeting.lang, "own_case")
    first_person = _FIRST_PERSON[meeting.lang]
    own = [
        quote(t.user)
        for t in turns
        if t.question
        and (
            t.act in ("question", "follow_up")
            or rule(meeting.lang, "in_my_place").search(normalise(t.user))
        )
        and not set(t.intents) & {"referral_request", "job_request", "mention_permission"}
        and (
            own_case.search(normalise(t.user))
            or (
                t.topic in ("advice", "project_feedback") and first_person.search(normalise(t.user))
            )
        )
    ]
    out["own_project"] = Lesson(
        "own_project",
        bool(own),
        own[:2],
        _("You asked for advice on your own project: that is what the meeting is for.")
        if own
        else _("Ask for advice on your own plan: “What would you do in my place?”"),
    )

    given = meeting.has("referral_given")
    status = referral_status(meeting, quote)
    asked_how = status.reach_asked or status.name_asked
    missing_reach = not (status.reach_asked or status.reach_given)
    missing_name = not (status.name_asked or status.name_granted)
    referral, host = persona.referral.name, persona.name
    if not given:
        advice = ""
    elif missing_reach and missing_name:
        advice = _("Ask how best to reach {referral} and whether you may say who sent you.").format(
            referral=referral
        )
    elif missing_reach:
        advice = _("Ask how best to reach {referral}.").format(referral=referral)
    elif missing_name:
        advice = _("Ask whether you may say that {name} sent you.").format(name=host)
    elif status.host_introduces and not asked_how:
        advice = _("{name} will introduce you to {referral}: nothing was left to ask.").format(
            name=host, referral=referral
        )
    elif status.reach_asked and status.name_asked:
        advice = _("You asked how to reach the person and whether you may use the name.")
    elif status.name_asked:
        advice = _("You asked whether you may say who sent you.")
    elif status.reach_asked:
        advice = _("You asked how best to reach the person.")
    else:
        advice = _("{name} said how to reach {referral} and that you may use the name.").format(
            name=host, referral=referral
        )
    out["referral_quality"] = Lesson(
        "referral_quality",
        (not missing_reach and not missing_name) if given else None,
        list(dict.fromkeys(status.reach_asked + status.name_asked))[:2] if asked_how else [],
        advice,
    )

    after_no = after_contacts_asked(turns, meeting.lang)
    refused = after_no is not None and not given
    insisted = [quote(t.user) for t in after_no.asked_again] if refused else []
    # Taken well: no second ask, no job asked instead, and thanks or "je comprends" after.
    # A first ask for "someone who could hire me" is a job asked for, not a contact.
    pushed = (
        [quote(t.user) for t in (after_no.asked, *after_no.said) if t.act == "job_request"]
        if refused
        else []
    )
    # (The meeting may end on the no: nothing more was said, nothing was pushed.)
    graceful = refused and (not after_no.said or after_no.courteous)
    out["refusal"] = Lesson(
        "refusal",
        (not insisted and not pushed and graceful) if refused else None,
        (insisted + pushed)[:2],
        (
            _("You asked again after a no: thank them instead, and ask for something smaller.")
            if insisted or pushed
            else _("No name given, and you did not insist: that keeps the door open.")
            if graceful
            else _("After a no, thank them all the same: the door stays open for later.")
        )
        if refused
        else "",
    )

    pitch_limit = cfg["pitch_words"]
    long_lines = [quote(t.user) for t in turns if len(t.user.split()) > pitch_limit]
    pitched = any(set(t.intents) & {"introduction", "assets"} for t in turns)
    # No pitch at all is no short pitch; nor is one so short that it left out why the
    # visitor came ("I'm kind of looking at events"; the host had to ask): not judged here,
    # the introduction criterion says what was missing.
    # …nor one that never said who the visitor is, by name or by trade ("I'm interested in
    # renewable energy, I've done a bit of everything"): round 19 read "✓ A short pitch".
    said_who = bool(meeting.state.visitor.get("name") or meeting.state.visitor.get("background"))
    judged = bool(long_lines) or (pitched and said_why and said_who)
    out["short_pitch"] = Lesson(
        "short_pitch",
        (not long_lines) if judged else None,
        long_lines[:2],
        ""
        if not judged
        else _("Your turns stayed short: two or three sentences, then a question.")
        if not long_lines
        else _("Keep your turns under a minute: two or three sentences, then a question."),
    )

    mixed = register_slips(meeting, quote)
    # "tu" to a host who says "vous"; a visitor who says "tu" as the host does slipped only
    # in spelling, and is not told to change register.
    tu_slips = (
        meeting.lang == "fr"
        and persona.address == "vous"
        and any(_TU.search(normalise(t.user)) for t in turns)
    )
    out["register"] = Lesson(
        "register",
        not mixed if turns else None,
        mixed[:2],
        # Register only: whether the questions were fit to ask is the respect criterion's.
        _("A consistent register throughout.")
        if not mixed
        else _("Keep one register: the one the host uses, and no chat abbreviations.")
        if tu_slips
        else _("Keep a consistent, courteous register: no chat abbreviations."),
    )
    return out


def lesson_lines(feedback, persona_name: str, lang: str) -> list[str]:
    """The lessons as plain lines: the persona's own first, then what to work on and what
    went well (lessons that had no occasion are left out)."""
    _ = translations(lang).gettext
    out = []
    lesson = feedback.lesson
    if lesson:
        status = {True: "✓", False: "✗", None: "·"}[lesson.get("done")]
        out.append(
            _("What {name} trains: {lesson}").format(name=persona_name, lesson=lesson["text"])
            + f" {status}"
        )
    for key, item in feedback.lessons.items():
        if item.done is False:
            out.append(f"✗ {lesson_name(key, lang)}: {item.advice}")
    for key, item in feedback.lessons.items():
        if item.done:
            out.append(f"✓ {lesson_name(key, lang)}")
    return out
