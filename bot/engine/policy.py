"""How the host reacts to an act: the one readable step between reading a line and wording a reply.

`decide` looks at what the visitor did (the act), the phase, the clock and the host's trust
and temperament, and returns a *plan*: which moves the host makes, in order (answer on a
topic, a detail behind its last answer, a bare yes or no, deflect, clam up, ask back, wrap
up, leave…). It says nothing about words: `meeting.py` words the plan from the persona's
lines. Keeping the two apart keeps behaviour testable, and would let another wording source
slot in behind the same decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from bot.engine.acts import Act
from bot.engine.recall import Place
from bot.engine.routing import OTHER, vocabulary
from bot.engine.rubric import rubric

if TYPE_CHECKING:
    from bot.engine.meeting import Meeting


@dataclass(frozen=True, slots=True)
class Move:
    """One thing the host does in its reply.

    ``kind`` is one of: ``line`` (a reaction from the persona's lines, ``key``), ``answer``
    (``count`` answers on ``topic``; ``short``: first sentence only), ``detail`` (the detail
    behind the host's last answer), ``yes_no``, ``referral`` (give the referral), ``anecdote``.
    """

    kind: str
    key: str | None = None
    topic: str | None = None
    count: int = 1
    short: bool = False
    #: A place of the host's knowledge (see `recall`): the answer's index on ``topic`` and,
    #: for a ``detail`` (or an answer told with one of its details), the detail's index.
    index: int | None = None
    detail: int | None = None
    #: Optional moves are dropped rather than repeated when their lines are used up.
    optional: bool = False


@dataclass
class Plan:
    moves: list[Move] = field(default_factory=list)
    #: Who ended the meeting with this reply, if it ends it.
    ended_by: str | None = None

    def say(self, key: str, *, optional: bool = False) -> Plan:
        self.moves.append(Move("line", key=key, optional=optional))
        return self


def _line(key: str, *, optional: bool = False) -> Move:
    return Move("line", key=key, optional=optional)


def decide(meeting: Meeting, act: Act, *, rambling: bool) -> Plan:
    """The host's moves for this act; see the module docstring."""
    state, persona = meeting.state, meeting.persona
    temperament = persona.temperament
    cfg = rubric()
    plan = Plan()
    kind = act.kind

    if kind == "rude":
        return Plan([_line("rude")], "persona_rude")
    grace = 0 if persona.schedule.strict_end else cfg["clock"]["grace_minutes"]
    if state.minute >= meeting.end_minute + grace:
        return Plan([_line("leaving")], "persona_time")
    if kind == "goodbye" or ("goodbye" in act.also and kind in ("thanks", "keep_informed")):
        # The visitor takes leave (a bare "goodbye" in the first lines is a greeting slip,
        # not a departure): thanked back if they thanked, then goodbye.
        moves = [_line("thanks")] if "thanks" in (kind, *act.also) else []
        return Plan([*moves, _line("goodbye")], "goodbye")

    if rambling:
        plan.say("rambling")
    purpose_known = meeting.has("purpose") and not meeting.has("suspicion")
    introduces = "introduction" in (kind, *act.also)

    # Requests that are not questions on the host's work.
    if kind == "confidential_request":
        if meeting.says("own_pay"):
            # "How much do you earn?" is personal, not the company's secrets: the host keeps
            # it private and offers what it can say, without shutting down. Having offered
            # a beginner's range, it gives it when asked ("Yes please, what would the range
            # be?" got "I can't talk about that.", round 22).
            state.clammed = False
            state.last_topic = "pay"
            return plan.say("own_pay")
        if meeting.says("own_company_figure") and not temperament.guarded:
            # "Chez vous, tu payes combien tes juniors exactement ?": the company's own grid
            # stays private, without the clients' non-disclosure agreements (round 21).
            return plan.say("company_pay")
        if temperament.guarded:
            state.clammed = True
        return plan.say("confidential")
    if kind == "job_request":
        return plan.say("job_request_again" if meeting.times_said("job_request") else "job_request")
    asks_something = kind in ("question", "follow_up")
    if temperament.needs_purpose and not meeting.has("purpose"):
        if introduces and meeting.has_new("purpose"):
            return plan.say("welcome_intro")
        heard_goal = meeting.times_said("ask_expectation")
        if not asks_something or (_purpose_asks(meeting) < PURPOSE_ASKS and not heard_goal):
            # "I see where you want to go. How can I be useful?" then "how did u get into
            # this?": the question says how; "remind me, what brings you here?" would not
            # have heard the goal.
            return _ask_purpose(meeting, plan)
        # Asked twice and still asked questions: a real host stops asking and answers
        # (a third "qu'est-ce qui t'amène ?" is a loop, not a trap).
    # A job request cools the host (terse answers), but only a request for secrets makes
    # it refuse the next question: "what do you do?" after "are you hiring?" gets an answer.
    just_offended = bool(state.turns) and state.turns[-1].act in ("confidential_request", "rude")
    cold = state.trust < cfg["clam_threshold"]
    if (state.clammed or just_offended) and meeting.says("apology"):
        # "Sorry, that was too personal": a guarded host accepts the apology and goes on.
        state.clammed = just_offended = False
        plan.say("apology_accepted")
        if not asks_something and kind != "referral_request":
            # "Bien sûr, pardon. Pour revenir à Isabelle : puis-je citer votre nom ?" asks
            # on after the apology; a bare "pardon" asks nothing more.
            return plan
    # Only a guarded host refuses to go on; another, cold after a request for secrets,
    # answers a fair question ("Is the salary good for a beginner?") in as few words as it
    # can: "Let's move on." to it taught the visitor nothing (round 16).
    if asks_something and state.clammed:
        if meeting.clam_ups() >= len(persona.say("lines.clam_up", meeting.lang)):
            # Every way of saying no has been said: a real host ends the meeting.
            return Plan([_line("leaving")], "persona_time")
        return plan.say("clam_up")
    # Cold but not offended: the host answers, in as few words as it can.
    terse = asks_something and cold

    asks_contact = kind in ("referral_request", "mention_permission")
    if asks_contact and act.second_topic and persona.answers(act.second_topic, meeting.lang):
        # The other question of the line first, briefly: the contact is the last word.
        plan.moves.append(Move("answer", topic=act.second_topic, short=True))
    if kind == "referral_request":
        if meeting.has("referral_given"):
            # "Puis-je la contacter de votre part, et comment la joindre ?" once a name was
            # given qualifies the referral: yes, and how; not "see her first".
            mention = meeting.intends("mention_permission")
            contact = meeting.says("referral_contact")
            if mention or contact:
                meeting.mark("referral_qualified")
                if mention:
                    plan.say("mention_ok")
                if contact:
                    plan.say("referral_contact")
                return plan
            return plan.say("referral_again")
        meeting.mark("referral_asked")
        if meeting.referral_earned():
            meeting.mark("referral_given")
            plan.moves.append(Move("referral"))
            if meeting.intends("mention_permission"):
                # "…et je peux dire que ça vient de toi ?": the name, then yes to that too.
                meeting.mark("referral_qualified")
                plan.say("mention_ok")
        else:
            plan.moves.append(Move("line", key="referral.refuse"))
        return plan
    if kind == "mention_permission":
        if meeting.has("referral_given"):
            meeting.mark("referral_qualified")
            # "How can I reach her?" is answered with how; "may I use your name?" with yes.
            return plan.say("referral_contact" if act.topic == "contact" else "mention_ok")
        return plan.say("mention_nobody")
    if kind == "notes_permission":
        opening = meeting.phase in ("opening", "introduction")
        if introduces and opening and purpose_known and meeting.mark("welcomed"):
            # A whole introduction that ends "Would you mind if I took a few notes?" is
            # welcomed too, not only given leave to write (round 22).
            plan.say("welcome_intro")
        plan.say("notes_ok")
        if "time_check" in act.also:  # "…trois quarts d'heure, ça vous va ? Et je peux noter ?"
            plan.say("time_left")
        return plan
    if kind == "time_check":
        return plan.say("time_left")

    opening = meeting.phase in ("opening", "introduction")
    welcome = introduces and opening and not meeting.has("suspicion")
    if welcome and meeting.has("purpose") and meeting.mark("welcomed"):
        # The welcome says "now I see what you are after": only once the purpose is said.
        plan.say("welcome_intro")
    elif welcome and kind == "introduction" and not meeting.has("purpose"):
        _ask_purpose(meeting, plan)
    elif "thanks" in act.also and opening and asks_something and not _welcomed(meeting):
        # "Merci. Et pour commencer…" after "Quelles sont vos questions ?" thanks the
        # welcome already given: "asseyez-vous" then would seat the visitor twice.
        plan.say("thanks_welcome", optional=True)
    leaving_now = kind in _CLOSING
    promised = meeting.has("offer_thanked") and meeting.says("sends_promised")
    if "offer" in act.also and not (leaving_now and meeting.has("offer_thanked")) and not promised:
        # "Thanks, I'll send you her contact tomorrow" at the door: the offer was thanked;
        # so was it before "I'll send it tonight. If you were in my place…" (round 20: "Oh
        # brilliant, I didn't know that! Can you send it to me?").
        meeting.mark("offer_thanked")
        plan.say("give_back")
    if "time_check" in act.also:
        plan.say("time_left")
    if "notes_permission" in act.also:
        plan.say("notes_ok")

    if kind == "follow_up":
        _follow_up(meeting, act, plan)
    elif kind == "question":
        suspicious = (temperament.suspicious and not purpose_known) or terse
        _question(meeting, act, plan, suspicious=suspicious)
    elif kind == "answer":
        if meeting.has_new("purpose") and meeting.mark("welcomed"):
            # "Comprendre ce que fait un DAF." answered "qu'attendez-vous de moi ?".
            plan.say("welcome_intro")
        elif not plan.moves:
            # "I'm looking around at different things at the moment." tells nothing: "I've
            # got a better idea of you now" to it rewarded vagueness (round 23).
            plan.say("ack_answer" if meeting.tells_something() else "ack_vague")
        if temperament.suspicious and not purpose_known:
            _ask_purpose(meeting, plan)
    elif kind == "offer":
        if meeting.has("offer_thanked") and _CLOSING & set(act.also):
            # "Thanks, I'll send you his details tomorrow": a goodbye, not a new offer.
            plan.say("thanks" if "thanks" in act.also else "welcome_reply")
        else:
            meeting.mark("offer_thanked")
            plan.say("give_back")
    elif kind == "introduction":
        if not plan.moves:
            plan.say("no_question")
        asked = any(move.key in _ASKS_PURPOSE for move in plan.moves)
        if temperament.suspicious and not meeting.has("purpose") and not asked:
            _ask_purpose(meeting, plan)
    elif kind == "keep_informed":
        plan.say("keep_informed")
    elif kind == "thanks":
        if opening and len(state.turns) < 3:
            plan.say("thanks_welcome")
        elif meeting.phase == "closing":
            plan.say("thanks")
        else:
            plan.say("welcome_reply")
    elif kind == "small_talk":
        plan.say("small_talk")
        if opening and not meeting.has("purpose"):
            _ask_purpose(meeting, plan)
    elif not plan.moves:
        if opening and not meeting.has("purpose"):
            _ask_purpose(meeting, plan)
        else:
            plan.say("no_question")
    if "keep_informed" in act.also and kind != "keep_informed":
        plan.say("keep_informed", optional=True)

    leaving = kind in _CLOSING or (not asks_something and bool(_CLOSING & set(act.also)))
    if not leaving:
        _clock(meeting, plan, asked=asks_something)
    return plan


#: Acts of a visitor who is taking leave: no "one last question" after them.
_CLOSING = frozenset({"thanks", "keep_informed", "goodbye"})
#: How many times a host that needs the visitor's purpose asks for it before it answers the
#: questions anyway.
PURPOSE_ASKS = 2
#: How many times a meeting the host complains about yes/no questions.
CLOSED_IRRITATION_MAX = 2
#: How clearly (routing score) a follow-up's own question must name another topic to be
#: answered on it rather than with the detail it picked up (a cue alone gives about 5).
PLAIN_TOPIC_MIN = 6.0


#: How much of a follow-up's rare vocabulary (see `recall`) the detail behind something the
#: host said must share to be its answer; an answer not given yet must share more, and at
#: least two words of the question; a question no topic takes must share this much.
GIVEN_PLACE_MIN = 3.5
NEW_PLACE_MIN = 6.0
#: An answer not given yet on the topic the host is on ("qu'est-ce qui t'a fait basculer ?"
#: after the first part of its career) needs less: the follow-up stays on that topic.
SAME_TOPIC_PLACE_MIN = 4.0
OTHER_PLACE_MIN = 3.5
#: A question no topic takes that shares one general word with a place (a word questions
#: about work use, or a synonym group: "le déclic" for "le tournant") goes there when that
#: word is this rare in the host's file.
SYNONYM_PLACE_MIN = 3.8


#: The reactions that ask the visitor why they came.
_ASKS_PURPOSE = frozenset({"ask_purpose", "ask_expectation"})


def _ask_purpose(meeting: Meeting, plan: Plan) -> Plan:
    """Ask why the visitor came; after "je voudrais devenir DAF", what they expect of this
    meeting (once): "quel est l'objet de ce rendez-vous ?" would not have heard the goal."""
    if meeting.says("career_goal") and not meeting.times_said("ask_expectation"):
        return plan.say("ask_expectation")
    return plan.say("ask_purpose")


def _purpose_asks(meeting: Meeting) -> int:
    return sum(meeting.times_said(key) for key in _ASKS_PURPOSE)


#: A question no topic takes goes to a place of the host's knowledge only if the place
#: speaks of at least this share of its own words ("Et QualiPV ?": all of them).
SPECIFIC_SHARE = 0.5


def style_bare(meeting: Meeting) -> bool:
    return meeting.persona.temperament.closed_answers == "bare"


def _specific(place: Place, meeting: Meeting) -> bool:
    """The place shares two words with the question, or one of the host's own trade
    ("QualiPV"), not a word any question about work may use ("un avis sur les retraites ?"
    shares "avis" with a line on the architects' opinion, and is still outside the field)."""
    general = vocabulary(meeting.lang)
    if place.matched < place.asked * SPECIFIC_SHARE:
        # "Vous êtes supporter du Stade toulousain ?" shares only the host's town with its
        # career, "vous savez si le TGV Reims-Paris reste aussi cher ?" two towns of seven
        # words: questions about something else, not about that line.
        return False
    return (
        place.matched >= 2
        or any(key not in general and not key.startswith("=") for key in place.keys)
        or (place.score >= SYNONYM_PLACE_MIN)
    )


def _recalled(place: Place, *, short: bool) -> Move:
    """The move that says a place of the host's knowledge."""
    if place.given:
        return Move("detail", topic=place.topic, index=place.index, detail=place.detail)
    return Move("answer", topic=place.topic, index=place.index, detail=place.detail, short=short)


def _question(meeting: Meeting, act: Act, plan: Plan, *, suspicious: bool) -> None:
    state, persona = meeting.state, meeting.persona
    temperament = persona.temperament
    topic = act.topic
    closed = act.polar
    style = temperament.closed_answers
    if closed and style == "bare":
        plan.moves.append(Move("yes_no"))
        return
    if topic in (None, OTHER) or not persona.answers(topic, meeting.lang):
        # Nothing names one of the host's topics, yet the host may know just that thing
        # ("Et QualiPV ?"): then it answers, else it says honestly where its field ends.
        place = meeting.place()
        # Said to be off topic ("ça n'a rien à voir, mais…": every topic's score falls below
        # zero), it is: the host's words in it do not make it a question on its work.
        off_topic = meeting.asked_topic()[1] < 0
        if (
            place is not None
            and not off_topic
            and place.score >= OTHER_PLACE_MIN
            and _specific(place, meeting)
        ):
            plan.moves.append(_recalled(place, short=style == "bare"))
        elif not off_topic and meeting.asks_about_last_answer():
            plan.moves.append(Move("detail", short=style == "bare"))
        elif "offer" not in act.also:
            # "…ça peut servir chez vous ?" asks whether the offer helps: the thanks for it
            # answer that, not "ce n'est pas mon rayon".
            plan.say("outside")
        return
    if (
        topic == state.last_topic
        and not (closed and style == "bare")
        and (meeting.says("that_just_said") or meeting.picks_up_last_answer())
        and meeting.asks_after_last_answer()
    ):
        # "How long is that training?" right after the vocational degree: its details say
        # how long, not another training on the topic.
        plan.moves.append(Move("detail", short=style == "bare"))
        return
    fact = meeting.is_fact_question(act)
    if style == "bare" or suspicious:
        plan.moves.append(Move("answer", topic=topic, short=fact or suspicious))
    elif closed and style == "brief":
        plan.say("brief_closed", optional=True)
        plan.moves.append(Move("answer", topic=topic, short=True))
    elif fact and style == "brief":
        plan.moves.append(Move("answer", topic=topic, short=True))
    else:
        long = temperament.verbosity >= 0.8 and not closed and not fact and not act.second_topic
        plan.moves.append(Move("answer", topic=topic, count=2 if long else 1))
        _second_answer(meeting, act, plan)
        if temperament.anecdote_rate and meeting.chance("anecdote") < temperament.anecdote_rate:
            plan.moves.append(Move("anecdote", optional=True))
    # Both questions of the line answered before the host asks anything back: a question
    # to the visitor in the middle of a reply is lost.
    if not any(move.topic == act.second_topic for move in plan.moves):
        _second_answer(meeting, act, plan)
    if (
        closed
        and state.closed_streak > temperament.patience
        and style != "bare"
        # Said once, then once more if the visitor goes on: a third time is a tic, not a
        # lesson (round 18: "the same lecture on yes/no questions three times").
        and meeting.times_said("closed_irritation") < CLOSED_IRRITATION_MAX
    ):
        plan.say("closed_irritation", optional=True)
    elif (
        suspicious
        and not (meeting.has("purpose") and not meeting.has("suspicion"))
        and not meeting.has("asked_purpose_once")
    ):
        # A cold host answers tersely; it asks why the visitor came only if it still
        # does not know ("Pourquoi, exactement ?" after the purpose was said is not listening).
        meeting.mark("asked_purpose_once")
        _ask_purpose(meeting, plan)
    elif (
        meeting.phase == "exploration"
        and meeting.remaining_minutes > rubric()["clock"]["warning_minutes"]
        and meeting.chance("ask_back") < temperament.asks_back
    ):
        plan.say("ask_back", optional=True)
    personal = topic in ("advice", "project_feedback", "experience", "training", "hiring")
    if personal and state.visitor.get("background") and meeting.mark("background_used"):
        plan.say("background_touch", optional=True)


#: Welcomes: said once a meeting, and they may end by asking for the visitor's question.
WELCOMES = frozenset({"thanks_welcome", "welcome_intro"})


def _welcomed(meeting: Meeting) -> bool:
    """The host has already welcomed the visitor or their introduction."""
    return any(meeting.times_said(key) for key in WELCOMES)


def _second_answer(meeting: Meeting, act: Act, plan: Plan) -> None:
    """A line that asks two things gets both answered, the second one briefly."""
    second = act.second_topic
    if second == "project_feedback" and not meeting.told_background():
        # "Je voudrais savoir si c'est un bon métier" is no request to judge a plan the
        # visitor has not told: "Votre projet me paraît réaliste" would be invented.
        return
    if second and meeting.persona.answers(second, meeting.lang):
        plan.moves.append(Move("answer", topic=second, short=True, optional=True))


def _ack_now(meeting: Meeting) -> bool:
    """ "Bonne question." once in a meeting is praise; before every follow-up, a tic. Said
    only to a line that asks openly: a reformulation is no question to praise."""
    return (
        meeting.asks_openly()
        and meeting.chance("follow_up_ack") < 0.6
        and meeting.mark("follow_up_acked")
    )


def _follow_up(meeting: Meeting, act: Act, plan: Plan) -> None:
    """Reward picking up the host's words with the detail behind them."""
    if act.polar and meeting.persona.temperament.closed_answers == "bare":
        plan.moves.append(Move("yes_no"))
        return
    last = meeting.state.last_topic
    step = meeting.next_answer() if last == "career_path" and meeting.says("moved_on") else None
    if step is not None:
        # "Qu'est-ce qui vous a fait passer de l'audit à l'entreprise ?" after the audit
        # years asks for the next step of the path: the next answer, not the school.
        plan.moves.append(Move("answer", topic=last, index=step))
        return
    # A follow-up whose own question plainly names a topic ("…: avec quels outils ?") is
    # answered from that topic (or the details of what was said); otherwise from anywhere.
    quoted = meeting.reanchor(act.marked) or (act.marked and bool(act.picked))
    plain, strength, preamble = meeting.asked_topic()
    named = strength >= PLAIN_TOPIC_MIN and plain != OTHER
    # "ça se négocie si on a déjà de l'xp ?" right after the junior pay stays on pay: the
    # clients one "négocie" with, in another answer, are not what is asked.
    on_last = plain == meeting.state.last_topic and plain != OTHER
    place = meeting.place(frozenset({plain}) if named or on_last else None)
    if named and place is not None and place.topic != plain and not act.marked:
        # "What does a typical week look like for you now at Cartonnages de la Vesle?" names
        # its topic plainly; the company's name, taken from the last reply, points to the
        # story of her hiring, which is not what it asks.
        place = None
    if quoted and place is not None and not place.given:
        # "You said deciding where to put people: how do you make that call each morning?"
        # asks about what was just said: the detail behind it, if one fits, before an answer
        # not given yet that happens to share "call" and "morning".
        behind = meeting.place(frozenset())
        # …if the question proper speaks of it too: "u said u miss designing, what do ur
        # designers actually do all day" asks about the designers, not the host's missing it.
        if (
            behind is not None
            and behind.score >= GIVEN_PLACE_MIN
            and behind.keys
            and [behind.topic, behind.index] == list(meeting.state.last_answer or [])
        ):
            place = behind
    if place is None and named and on_last and meeting.has_fresh_answer(plain):
        # "u said u miss designing, what do ur designers actually do all day": it plainly
        # asks the topic just answered, and nothing behind that answer speaks of what it
        # asks: the topic's next answer, not a detail of the host's missing it.
        plan.moves.append(Move("answer", topic=plain, short=style_bare(meeting)))
        return
    # A follow-up that quotes an earlier answer ("You said to work one peak as a temp…")
    # is about that answer: another answer on its topic must fit it as well as a new one.
    same_topic = not quoted and place is not None and place.topic == meeting.state.last_topic
    if same_topic and act.picked and meeting.asks_after_last_answer():
        # "That gain of one and a half jobs: what happened to those people?" picks up the
        # last answer, which has more behind it: another answer of its topic that shares
        # one word of the question ("analysis") must fit as well as a new one.
        same_topic = (place.topic, place.index) == tuple(meeting.state.last_answer)
    if place is not None and (
        place.score >= GIVEN_PLACE_MIN
        if place.given
        else (same_topic and place.score >= SAME_TOPIC_PLACE_MIN)
        or (place.score >= NEW_PLACE_MIN and place.matched >= 2)
    ):
        # It asks about one thing the host knows more of (the detail behind something it
        # said, or an answer that speaks of just that): that is the answer.
        if act.marked and not act.polar and _ack_now(meeting):
            plan.say("follow_up_ack", optional=True)
        plan.moves.append(_recalled(place, short=style_bare(meeting)))
        last = meeting.closing_question_topic()
        if last not in (None, place.topic) and meeting.persona.answers(last, meeting.lang):
            # Its last question asks something else: answered too, briefly (round 16: "do
            # companies round here hire people like that" got only what such people earn).
            plan.moves.append(Move("answer", topic=last, short=True, optional=True))
        return
    # A preamble that names what was said ("That gain of one and a half jobs: …") quotes it
    # as surely as "you said".
    # So does a statement before the question that repeats the host's words ("You look at
    # the cash position every single morning. Why daily…?").
    quotes = act.marked or bool(preamble) or bool(meeting.picked_sentences())
    source = meeting.follow_up_source(act.picked, marked=quotes)
    # "A fall near Auch: what happened that day?" picks up a name only the host's story
    # had: the story goes on, even if "that day" sounds like the typical day.
    specific = any(stem not in vocabulary(meeting.lang) for stem in meeting.asked_again(act))
    asks_elsewhere = (
        act.topic is not None
        and act.topic != meeting.state.last_topic
        and meeting.persona.answers(act.topic, meeting.lang)
        and not (specific and source == "detail")
        # "…design office: what do they do all day?": "they" are the people just described,
        # and what is behind that answer says what they do, not the host's own day.
        and not (source == "detail" and act.picked and meeting.says("they_just_said"))
    )
    # "Vous parlez de rétroplannings : avec quels outils… ?" picks up the host's rare words
    # only to ask, plainly, about another topic: that topic is answered, not the story.
    # After a preamble, a question that names no topic ("Vous dites que deux clients vous
    # ont suivi : comment avez-vous trouvé les suivants ?"), or only weakly another than
    # the whole line's ("Vous parliez du courant continu : qu'est-ce qui change
    # concrètement sur un chantier ?" is not the future "change" suggests), asks about
    # what it picked up.
    weakly_elsewhere = plain == OTHER or (plain != act.topic and strength < PLAIN_TOPIC_MIN)
    if asks_elsewhere and preamble and weakly_elsewhere:
        asks_elsewhere = False
    if (
        not asks_elsewhere
        and strength >= PLAIN_TOPIC_MIN
        and plain not in (OTHER, meeting.state.last_topic)
        and meeting.persona.answers(plain, meeting.lang)
    ):
        act = replace(act, topic=plain)
        asks_elsewhere = True
    if asks_elsewhere:
        # It picked up the host's words to ask something new: answer that question.
        if act.marked and _ack_now(meeting):
            plan.say("follow_up_ack", optional=True)
        style = meeting.persona.temperament.closed_answers
        plan.moves.append(Move("answer", topic=act.topic, short=style == "bare"))
        _second_answer(meeting, act, plan)
        return
    short = meeting.persona.temperament.closed_answers == "bare"
    if act.marked and not act.picked:
        # "Vous parlez de la paperasse…" when the last answer said nothing of it: the host
        # answers from where it does know about it, not with the detail of the last answer.
        known = meeting.weak_topic() or meeting.known_topic()
        if known and known != meeting.state.last_topic and meeting.has_fresh_answer(known):
            plan.moves.append(Move("answer", topic=known, short=short))
            return
    # A question that plainly names the topic the host answers from ("but how u start ur
    # agency, u was alone at begining" on the host's path) is answered, not "partly".
    on_named_topic = plain != OTHER and plain == meeting.state.last_topic
    if (
        source in ("detail", "answer")
        and not on_named_topic
        and meeting.asks_beyond(meeting.follow_up_texts(source))
    ):
        # It asks something precise the host has no line on: said honestly, then the
        # closest thing it knows, rather than a detail that answers another question.
        plan.say("partial")
    elif source == "detail" and act.marked and _ack_now(meeting):
        plan.say("follow_up_ack", optional=True)
    if source == "detail":
        plan.moves.append(Move("detail"))
        return
    # "You said peak season is tough: how do you handle it?" picks up nothing of the last
    # answer (or nothing the host has more on), yet asks, weakly worded, about another of
    # the host's topics: it answers that.
    if not act.picked or source is None:
        weak = meeting.weak_topic()
        if weak and weak != meeting.state.last_topic and meeting.has_fresh_answer(weak):
            plan.moves.append(Move("answer", topic=weak, short=short))
            return
    if source == "answer":
        plan.moves.append(Move("answer", topic=meeting.state.last_topic, short=short))
        return
    if act.picked:
        # It picks up something the host has nothing more on (a story it told): the host
        # says so rather than answering another question.
        plan.say("exhausted")
        return
    topic = act.topic or meeting.state.last_topic
    if topic and meeting.persona.answers(topic, meeting.lang):
        plan.moves.append(Move("answer", topic=topic, short=short))
        return
    plan.say("no_question")


def _clock(meeting: Meeting, plan: Plan, *, asked: bool) -> None:
    """Time warnings, the busy host's last question, and leaving when it said it would."""
    persona = meeting.persona
    warning = rubric()["clock"]["warning_minutes"]
    remaining = meeting.remaining_minutes
    if meeting.has("last_question") and asked and persona.schedule.strict_end:
        plan.say("leaving")
        plan.ended_by = "persona_time"
        return
    if 0 < remaining <= warning and meeting.mark("time_warned"):
        if persona.schedule.strict_end:
            meeting.mark("last_question")
            plan.say("last_question")
        else:
            plan.moves.append(Move("line", key="time_warning"))
