"""Rounds 16 and 17 of readings, on the feedback: quotes that show the behaviour they are
evidence of, scores and advice that follow what happened. Through `play --json`."""

from __future__ import annotations

from functools import partial

from bot.engine.coach import MAX_QUOTE, quote, quotes_line
from bot.engine.meeting import Meeting
from tests.engine.test_feedback_credit import feedback as _feedback
from tests.engine.test_readers_replies import (
    CFO_EN,
    CFO_WEAK_FR_19,
    RECYCLERIE_STRONG_EN_19_ALL,
    WAREHOUSE_STRONG_FR_19_ALL,
)

#: `play --json`'s feedback, seed 16 unless a test says otherwise.
feedback = partial(_feedback, seed=16)


OFFER = (
    "That resonates: in my stores I set up a buddy system for new staff that cut early "
    "turnover by a third. I'd be happy to send you the one-page outline if it could help with "
    "your new team leaders."
)
REFERRAL = (
    "Thank you, Nadia, this has been really helpful, especially on fairness and mentoring. Is "
    "there someone — maybe a team leader who came from outside logistics — you think I should "
    "talk to next?"
)
LINES = [
    "Hello, I'm Léa Martin; I spent five years as a team leader in retail stores and I'm "
    "moving into warehouse operations. Karim Benali suggested I talk to you. I'm not looking "
    "for a job here.",
    "Would you mind if I jot down a few notes while we talk?",
    "Could you walk me through a typical day on this site?",
    OFFER,
    REFERRAL,
]


def test_a_long_line_is_quoted_from_the_sentence_that_shows_the_behaviour(personas) -> None:
    """ "In my stores I set up a buddy system… I'd be happy to send you" was quoted cut before
    the offer, as the evidence of giving back; a referral request after thanks, cut before
    the request."""
    result = feedback(personas["laconic_host"], "en", LINES)
    [give] = result["criteria"]["give_back"]["evidence"]
    assert give.startswith("… I'd be happy to send you the one-page outline"), give
    assert quotes_line(give, OFFER) and not quotes_line(give, REFERRAL)
    asked = result["criteria"]["referral"]["evidence"][0]
    assert asked.startswith("… Is there someone"), asked
    assert all(len(q) <= MAX_QUOTE + 2 for c in result["criteria"].values() for q in c["evidence"])


def test_a_short_line_is_quoted_whole() -> None:
    line = "Could you walk me through a typical day on this site?"
    assert quote(line, "en", "question") == line
    assert quote("  Two   spaces. ") == "Two spaces."


MEETING = [
    "No problem at all, I hope the truck gets sorted. I'm Léa Martin; I spent five years "
    "as a team leader in retail stores and I'm moving into warehouse operations. Karim "
    "Benali, who works with your transport team, suggested I talk to you. I'm not looking"
    " for a job here, just trying to understand the work from someone who does it.",
    "Thanks. Would you mind if I jot down a few notes while we talk?",
    "How did you end up running a warehouse? What was your path?",
    "Team leader at 26 — where did you start before that, on the floor?",
    "Being there at 5 a.m. — is that still what your days look like? Could you walk me "
    "through a typical day on this site?",
    "You said deciding where to put people: how do you make that call each morning?",
    "I meant more how you decide who goes where, but that 99.5 percent target is useful. "
    "What skills matter most for someone stepping into a team leader role here?",
    "Running a team of thirty — what separates the team leaders who manage it well from "
    "the ones who struggle?",
    "That resonates: in my stores I set up a buddy system for new staff that cut early "
    "turnover by a third. I'd be happy to send you the one-page outline if it could help "
    "with your new team leaders.",
    "I will. For someone starting as a team leader in a warehouse around Orléans, what "
    "pay range is realistic?",
    "Not in a warehouse, no — only store stockrooms and deliveries, which is why I'm "
    "talking to people like you. How is automation or software changing the job on your "
    "site?",
    "The voice picking headsets — how did the operators take it when you brought them in?",
    "And how did the team react to it — was there pushback at first?",
    "Fair enough. What mistakes do people coming from retail usually make in their first "
    "months in logistics?",
    "That's a useful warning, given my retail habits. How is hiring for team leaders "
    "looking in the Orléans logistics area at the moment?",
    "Thank you, Nadia, this has been really helpful, especially on fairness and "
    "mentoring. Is there someone — maybe a team leader who came from outside logistics — "
    "you think I should talk to next?",
]


def test_a_host_who_will_tell_the_contact_is_not_contradicted(personas) -> None:
    """After "Karim Haddad… I'll let him know tonight" (how to reach him: settled), the
    advice said "qualified the referral: well done" under a score of 70: the visitor had
    qualified nothing. Nor is there anything left to ask (round 19: "ask whether you may say
    she sent you" after the host said it would tell him): the host makes the introduction."""
    result = feedback(personas["laconic_host"], "en", MEETING)
    referral = result["criteria"]["referral"]
    # Asked, and qualified by who ("maybe a team leader who came from outside logistics"):
    # who they are is one way to qualify a referral (design.md; round 22 readers).
    assert referral["score"] == 100
    assert "well done" not in referral["advice"]
    assert "will introduce you to Karim Haddad" in referral["advice"]
    assert "whether you may say" not in referral["advice"]


#: The readers' CFO meeting (round 17), one line further than the replies test takes it.
CFO_LINES = [
    *CFO_EN,
    "You doubled the finance team from 16 to 32 people: what drove that growth, the "
    "acquisitions themselves?",
]


def test_a_new_subject_that_names_the_host_s_company_is_not_listening(personas) -> None:
    """Round 17: "What does a typical week look like for you now at Cartonnages de la
    Vesle?" was quoted as active listening: it shares the company's name with the reply
    before, and opens a prepared subject."""
    result = feedback(personas["busy_executive"], "en", CFO_LINES, seed=17)
    evidence = result["criteria"]["active_listening"]["evidence"]
    assert not any("typical week" in e for e in evidence), evidence
    assert any(e.startswith("You said you specialised") for e in evidence), evidence


def test_round_17_feedback_defects(personas) -> None:
    """Round 17: an age read as a result ("im julie, 28, i did 4 yrs in customer support"
    got "concrete achievements", 100); "Could I give you my CV?" counted as giving back;
    "Gardez un seul registre (vous ou tu)" to a visitor who said "tu" as the host did."""
    intro = (
        "hey thomas, im julie, 28, i did 4 yrs in customer support at a telecom co n now i "
        "wanna switch to ux design. my friend marc gave me ur name, not looking for a job"
    )
    assets = feedback(personas["curious_host"], "en", [intro, "how did u start ur studio"])
    assert assets["criteria"]["assets"]["score"] < 100
    cv = "Ok. Is your lab hiring at the moment? Could I give you my CV?"
    give = feedback(personas["guarded_insider"], "en", [INTRO_EN, cv])["criteria"]["give_back"]
    assert give["score"] == 0 and not give["evidence"]
    texting = [
        "slt laurent, moi c sarah, c didier qui m a donné ton num. jsuis en reconversion, "
        "jcherche pas de taf",
        "tu fais koi toute la journée toi",
    ]
    register = feedback(personas["puzzled_friend"], "fr", texting)["lessons"]["register"]
    assert register["done"] is False and "(vous ou tu)" not in register["advice"]
    assert "abréviations" in register["advice"]


INTRO_EN = (
    "Hello, I'm Julien; I spent six years in quality control at a generics plant. Hélène gave "
    "me your name. I'm not looking for a job, I'd like to understand regulatory affairs."
)


SCEPTIC_WEAK_EN = [
    "Hi. So, I'm interested in solar, and Bernard said I could come and see you.",
    "No, no. I just wanted to know a bit about the job. Do you like working in solar?",
    "Just information really. Did you always work in solar?",
    "The rush? Was that a good time to start?",
    "Wow. And now, are you on the roofs every day?",
    "OK. To be honest, could you take me on? Even as an apprentice installer, I'd take anything.",
    "Fine. How much margin do you make on a farm installation? And what does your "
    "turnover look like?",
    "OK sorry. Is the pay decent for a beginner?",
    "Yeah, kind of, it's the future I guess. Does the 24,000 go up quickly after that?",
    "Well, just to see if it's for me. Do you need a diploma to do this?",
    "AFPA, is that a long course?",
    "OK. Will there still be work in solar in ten years?",
    "You said warehouses have to cover their roofs now. So is that where the jobs will be?",
    "Are installers around Toulouse hiring at the moment?",
    "OK, I think I've got what I needed. Bye then.",
]


def test_no_rewording_that_keeps_no_subject(personas) -> None:
    """Every round: "Could you tell me more about that: how does it work in practice?" was
    offered as the open version of questions it kept nothing of (round 17: "Wow. And now,
    are you on the roofs every day?")."""
    rewordings = feedback(personas["sceptic"], "en", SCEPTIC_WEAK_EN, seed=17)["rewordings"]
    assert rewordings, "the closed questions with a subject are still opened"
    assert not any("tell me more about that" in r["open"] for r in rewordings), rewordings


def test_a_visitor_who_said_they_read_little_is_not_well_prepared(personas) -> None:
    """Round 19: "Pas grand-chose, j'ai pas trop eu le temps de regarder" to the CFO's
    "Qu'avez-vous lu de nos comptes ?", and Preparation 50/100 for the subjects asked."""
    host = personas["busy_executive"]
    meeting = Meeting.start(host, "fr", seed=19)
    for line in CFO_WEAK_FR_19:
        meeting.say(line)
    assert "Qu'avez-vous lu" in meeting.state.turns[7].reply
    preparation = feedback(host, "fr", CFO_WEAK_FR_19, seed=19)["criteria"]["preparation"]
    assert preparation["score"] <= 20
    assert "peu lu" in preparation["advice"]


def test_finding_the_host_online_is_no_research(personas) -> None:
    """Round 19: Preparation 100, "research shown", quoting "I saw your profile online"."""
    lines = [
        "Hi, so yeah, I'm Kevin, I'm kind of looking at pharma, I saw your profile online.",
        "What does a regulatory affairs officer do all day?",
    ]
    preparation = feedback(personas["guarded_insider"], "en", lines, seed=19)["criteria"][
        "preparation"
    ]
    assert preparation["evidence"] == []
    assert preparation["score"] <= 50


def test_on_site_is_not_the_web_site(personas) -> None:
    """Round 19: "à quoi ressemble une journée type pour vous sur le site ?" (the warehouse)
    was quoted as research."""
    lines = [
        "Bonjour Nadia, je suis Léa, Karim Benali m'a donné votre nom.",
        "À quoi ressemble une journée type pour vous sur le site ?",
    ]
    preparation = feedback(personas["laconic_host"], "fr", lines, seed=19)["criteria"][
        "preparation"
    ]
    assert preparation["evidence"] == []


SOLAR_WEAK_EN_19 = [
    "Hello. So, I'm interested in renewable energy in general, and I saw your company online.",
    "Well, I'm thinking about changing careers, I've done a bit of everything. "
    "Is solar a growing sector?",
    "Okay. Do you work mostly with farms?",
    "I see. And did you always work in solar?",
    "Sorry. How did it work, that rush in 2009?",
    "Wow. Honestly, are you hiring at the moment? I could start quite quickly.",
    "No, sorry, forget that. Is your job mostly in the office or on site?",
    "Just to understand the business, really. What margin do you make on a big farm roof, roughly?",
    "Fair enough. You mentioned a design office, what do the people there actually do?",
    "Ok. Is the pay good for someone starting out?",
    "No, never. Is it dangerous?",
    "Earlier you said the substations in the Gers are full. Is that going to get better?",
    "Right. Do I need a specific diploma to get into solar?",
    "Okay, I think that's it for me. Bye.",
]


def test_round_19_a_weak_visitor_s_feedback(personas) -> None:
    """Round 19 (sceptic, a weak visitor): Introduction 70 and Assets 50 quoting "I've done a
    bit of everything", "✓ A short pitch" with no pitch, and the rewordings "How do you work
    mostly with farms?", "To what extent is it dangerous?"."""
    result = feedback(personas["sceptic"], "en", SOLAR_WEAK_EN_19, seed=19)
    criteria = result["criteria"]
    assert criteria["introduction"]["score"] < 50
    assert criteria["assets"]["score"] == 0
    assert criteria["assets"]["evidence"] == []
    assert result["lessons"]["short_pitch"]["done"] is None
    opened = {r["question"]: r["open"] for r in result["rewordings"]}
    assert not opened["Do you work mostly with farms?"].startswith("How do you work")
    assert "is it dangerous" not in opened["Is it dangerous?"]
    assert "extent" not in opened["Do I need a specific diploma to get into solar?"]


def test_two_cuts_of_one_line_are_one_quote(personas) -> None:
    """Round 19: the referral request quoted twice, once from its question ("… Is there
    someone else…?") and once from its start."""
    lines = RECYCLERIE_STRONG_EN_19_ALL
    evidence = feedback(personas["puzzled_friend"], "en", lines, seed=19)["criteria"]["referral"][
        "evidence"
    ]
    cores = [q.removeprefix("… ").removesuffix("…")[:40] for q in evidence]
    assert not any(
        a != b and (a in other or b in one)
        for one, a in zip(evidence, cores, strict=True)
        for other, b in zip(evidence, cores, strict=True)
    ), evidence


def test_a_host_who_makes_the_introduction_leaves_nothing_to_ask(personas) -> None:
    """Round 19: "Karim Haddad… Je le préviens ce soir." then, three times, "demandez si vous
    pouvez dire que Nadia Berrada vous envoie"."""
    result = feedback(personas["laconic_host"], "fr", WAREHOUSE_STRONG_FR_19_ALL, seed=19)
    advice = result["criteria"]["referral"]["advice"]
    assert "se charge de vous présenter" in advice
    assert "demandez" not in advice.lower()
    assert result["lessons"]["referral_quality"]["done"] is True
    assert not any("pouvez dire" in item for item in result["checklist"])


def test_a_named_contact_or_a_precise_service_is_a_concrete_offer(personas) -> None:
    """Round 20: "Make your offer concrete" after "the sales manager at my hotel… i can put u
    in touch", and after "jpeux jeter un oeil a vos tournées de collecte gratos"."""
    en = [
        "hey gerard im tom, sylvie sent me, 2 yrs at a hotel reception, not looking 4 a job",
        "oh btw the sales manager at my hotel books loads of seminars and shes looking for "
        "reliable agencies, i can put u in touch if u want",
    ]
    fr = [
        "salut laurent moi c'est yanis, didier m'a parlé de toi, je cherche pas de taf",
        "ah ok. sinon si ça peut t'aider, moi jfais de l'optimisation de tournées au taf, "
        "jpeux jeter un oeil a vos tournées de collecte gratos si tu veux",
    ]
    for persona, lang, lines in (("chatty_expert", "en", en), ("puzzled_friend", "fr", fr)):
        give = feedback(personas[persona], lang, lines, seed=20)["criteria"]["give_back"]
        assert give["score"] == 100, (lang, give)


STUDIO_STRONG_EN_20 = [
    "Thanks, a coffee would be great. I'm Camille Durand; I spent eight years as a print "
    "graphic designer at a publishing house, and I'm moving into UX design. Léa suggested"
    " I talk to you. I'm not here to ask for a job, just to understand how the work looks"
    " from the inside.",
    "Do you mind if I take a few notes while we talk?",
    "How did you end up co-founding a UX studio in Nantes? What was your path before that?",
    "Slicing Photoshop mock-ups into HTML all day, that's quite far from UX research. How"
    " did you make the jump from there to founding the studio?",
    "Nobody managing to pay, that must have been a shock. And today, as a co-founder, "
    "what does a typical week look like for you at the studio?",
    "You said you miss designing. When you hire junior designers for the studio, which "
    "skills do you look for first, and where do people coming from print usually fall "
    "short?",
    "That half-hour case study in front of two designers: what makes one convincing when "
    "the candidate has no real UX client project yet?",
    "Good to know about the bootcamp trap. Roughly what range of salary can a junior UX "
    "designer expect in Nantes when starting out?",
    "Interesting that accessibility specialists are so hard to find. Is that a direction "
    "you'd recommend for someone starting now, given how AI tools are changing design "
    "work?",
    "Speaking of accessibility, at the publishing house I led the project to make our "
    "digital textbooks accessible for visually impaired students. If it's useful, I'd be "
    "glad to share the checklist we built with the accessibility association we worked "
    "with.",
    "I'll send it tonight. If you were in my place, with eight years of print and that "
    "accessibility project, what would you do in the next six months?",
    "I've met a UX researcher at a bank in Rennes; she told me that in-house teams now "
    "want designers who can also run user interviews. On that note, is there someone "
    "you'd suggest I meet, perhaps a researcher or someone in an in-house product team?",
    "Thank you, that's very kind. Would you prefer I write to Camille Le Goff directly "
    "mentioning your name, or would you rather introduce us by email first?",
    "Thank you so much for your time, Thomas, this was really helpful. I'll send you the "
    "accessibility checklist tonight and let you know how the meeting with Camille goes.",
]


def test_no_steering_lesson_against_a_visitor_who_moved_on(personas) -> None:
    """Round 20: "✗ Steering back" to a visitor who moved on after every answer: long answers
    to their own questions were taken for digressions, and the one story the host told was
    followed by a request for a contact."""
    host = personas["curious_host"]
    steering = feedback(host, "en", STUDIO_STRONG_EN_20, seed=20)["lessons"]["steering"]
    assert steering["done"] is True, steering


def test_texted_years_are_experience_and_a_meeting_length_no_figure(personas) -> None:
    """Round 20: "im an accountant 4 yrs in audit… just 15 min of advice" scored as a concrete
    achievement (the 15 minutes read as a figure), and "jviens de 5 ans comme commerciale
    b2b, j'ai fait un DCG en cours du soir. a ma place tu ferais quoi…" scored 0."""
    from bot.engine.rubric import rubric

    en = [
        "hi catherine, im sam, jerome from the cfo club gave me ur name. im an accountant 4 yrs "
        "in audit n want to move into fp&a in industry, not looking 4 a job just 15 min of "
        "advice",
    ]
    assets = feedback(personas["busy_executive"], "en", en, seed=20)["criteria"]["assets"]
    assert assets["score"] == rubric()["assets"]["experience"], assets
    fr = [
        "salut catherine, moi c'est léa, stéphane m'a donné ton nom",
        "jviens de 5 ans comme commerciale b2b, j'ai fait un DCG en cours du soir. a ma place tu "
        "ferais quoi pr decrocher un 1er poste",
    ]
    assets = feedback(personas["busy_executive"], "fr", fr, seed=20)["criteria"]["assets"]
    assert assets["score"] > 0, assets


def test_the_count_of_questions_says_what_it_leaves_out(personas) -> None:
    """Round 20: "9 of your 11 questions were closed" to a visitor who asked 13: the job and
    confidential requests were left out without a word."""
    lines = [
        "Hello. So, I'm interested in renewable energy in general, and I saw your company online.",
        "Do you work mostly with farms?",
        "Wow. Honestly, are you hiring at the moment? I could start quite quickly.",
        "Is it dangerous?",
    ]
    advice = feedback(personas["sceptic"], "en", lines, seed=19)["criteria"]["open_questions"][
        "advice"
    ]
    assert "not counted here" in advice, advice
