"""Round 8 of the coach's reading (issue #12): each criterion quotes the line that shows its
behaviour, and a sloppy or non-native visitor's requests are read as what they are. Each
test is a case the readers found wrong, played through `play` as a user would."""

from __future__ import annotations

import json

from bot.channels.terminal import play, play_json
from bot.engine.analysis import analyse
from bot.engine.personas import Persona

NON_NATIVE = [
    "hello no problem for the time. so im Agnieszka Nowak i am polish i live in lille since 3 years, i was accountant in Poland 8 years, i dont search job today i want understand how it work, is ok i write some notes",  # noqa: E501
    "how you go from accountant to director of a recyclerie, what was your way",
    "technical supervisor what is exactly this job, he is with the people in the workshop all day or more paper work",  # noqa: E501
    "ben the 32 people on integration contract, how they are recruited",
    "thank you for all this. if you want i can help one evening with the accounts or the grants files, for free",  # noqa: E501
    "do you know other person i can meet, maybe in other structure in lille, can i say you send me",
    "ok i must let you work, thank you very much Laurent for your time",
]


def feedback(persona: Persona, lang: str, lines: list[str], seed: int = 8) -> dict:
    return json.loads(play_json(play(persona, lang, lines, seed=seed, hints=False)))["feedback"]


def test_chat_questions_with_the_question_word_inside_are_questions():
    assert analyse(NON_NATIVE[2], "en").question == "open"
    assert analyse("ok. and for the future how you see the shop in 5 years", "en").question
    assert analyse("les gens en parcours ils arrivent comment", "fr").question == "open"
    # … but not a statement that says what one knows or sees
    assert analyse("i know what you mean, it is hard", "en").question is None
    assert analyse("I see how you work now", "en").question is None
    assert analyse("je sais pas comment faire", "fr").question is None


def test_a_non_native_visitors_requests_count(personas):
    criteria = feedback(personas["puzzled_friend"], "en", NON_NATIVE)
    assert criteria["criteria"]["notes_permission"]["score"] == 100  # "is ok i write some notes"
    referral = criteria["criteria"]["referral"]
    assert referral["score"] > 0 and NON_NATIVE[5] in referral["evidence"]
    assert not any("ask for a contact" in item for item in criteria["checklist"])


def test_each_criterion_quotes_its_own_behaviour(personas):
    criteria = feedback(personas["puzzled_friend"], "en", NON_NATIVE)["criteria"]
    # a referral request is no give-back; an offer is no closing; a question no asset
    assert NON_NATIVE[5] not in criteria["give_back"]["evidence"]
    assert NON_NATIVE[4] in criteria["give_back"]["evidence"]
    assert criteria["give_back"]["score"] == 100  # help with the accounts, for free: concrete
    assert NON_NATIVE[4] not in criteria["closing"]["evidence"]
    assert NON_NATIVE[3] not in criteria["assets"]["evidence"]
    # a question in the middle of the meeting, or the last thanks, introduces nobody
    assert NON_NATIVE[6] not in criteria["introduction"]["evidence"]
    assert NON_NATIVE[3] not in criteria["introduction"]["evidence"]


def test_preparation_quotes_no_follow_up(personas):
    lines = [
        "Bonjour, je suis Julie, Bernard Cazals m'a donné votre nom. Je ne cherche pas de poste.",
        "Comment votre entreprise est-elle organisée ?",
        "Vous parlez du bureau d'études : qu'est-ce qu'il fait exactement ?",
        "Quelles formations recommanderiez-vous pour débuter ?",
    ]
    evidence = feedback(personas["sceptic"], "fr", lines)["criteria"]["preparation"]["evidence"]
    assert evidence == []  # no research shown: no question is quoted as homework


def test_a_reformulation_or_an_offer_is_not_a_closed_question(personas):
    lines = [
        "Hello, I'm Sam; Hélène Roux suggested I contact you. I'm not looking for a job.",
        "How is your team organised?",
        "If I understand correctly, you start everyone on the dossiers first?",
        "I wrote a short summary of the new EU rules, would you like me to send it to you?",
        "What mistakes do newcomers make?",
    ]
    result = feedback(personas["guarded_insider"], "en", lines)
    reworded = {item["question"] for item in result["rewordings"]}
    assert not reworded & {lines[2], lines[3]}
    assert "closed" not in result["criteria"]["open_questions"]["advice"]


TU_LINES = [
    "salut pas de souci. moi c yanis, je bosse en compta depuis 4 ans, Karim m'a filé ton nom, je cherche pas de taf je veux comprendre l'insertion",  # noqa: E501
    "hmm ok. et toi a ma place tu ferais quoi, je suis comptable et je veux bosser dans le social",
    "tu connaitrais qq1 d'autre que je pourrais rencontrer, et je peux dire que ca vient de toi",
]


def test_a_meeting_in_tu_gets_model_lines_in_tu(personas):
    """Round 8: "Que feriez-vous à ma place ?" was the model line of a meeting held in *tu*."""
    result = feedback(personas["puzzled_friend"], "fr", TU_LINES)
    notes = result["criteria"]["notes_permission"]["advice"]
    assert "« Ça te dérange si je prends quelques notes ? »" in notes
    assert "vous dérange" not in notes


def test_advice_asked_in_chat_inside_an_introduction_is_advice(personas):
    result = feedback(personas["puzzled_friend"], "fr", TU_LINES)
    assert result["lessons"]["own_project"]["done"] is True  # "à ma place tu ferais quoi"
    assert TU_LINES[2] in result["criteria"]["referral"]["evidence"]
    assert not any("si vous pouvez dire" in line for line in result["checklist"])


def test_a_refusal_taken_well_is_not_advised_again(personas):
    lines = [
        "Bonjour, je suis Paul, Bernard Cazals m'a donné votre nom. Je ne cherche pas de poste.",
        "Comment votre entreprise est-elle organisée ?",
        "Connaîtriez-vous quelqu'un d'autre que je pourrais rencontrer ?",
        "Je comprends tout à fait. Merci beaucoup pour votre temps.",
    ]
    result = feedback(personas["sceptic"], "fr", lines, seed=1)
    referral = result["criteria"]["referral"]["advice"]
    assert "aucun nom" in referral  # a wary host names nobody after one question
    assert "vous l’avez bien pris" in referral


def test_a_careful_hedge_is_no_request_for_secrets():
    """Round 8: "Without going into anything confidential, roughly how many…" cost 65 points
    of Respect. (Not in French: there a hedge turned out to open real requests for secrets.)"""
    line = (
        "Without going into anything confidential, roughly how many variations does a company "
        "of your size file in a year?"
    )
    assert "confidential_request" not in analyse(line, "en").intents
    assert (
        "confidential_request"
        in analyse("What are your margins on the Leclerc contract?", "en").intents
    )


def test_preparation_quotes_research_alone_when_there_is_some(personas):
    lines = [
        "Bonjour, je suis Julie, Bernard Cazals m'a donné votre nom. Je ne cherche pas de poste.",
        "J'ai lu sur votre site que vous avez équipé quarante exploitations l'an dernier.",
        "Comment votre entreprise est-elle organisée ?",
    ]
    evidence = feedback(personas["sceptic"], "fr", lines)["criteria"]["preparation"]["evidence"]
    assert evidence == [lines[1]]


def test_an_offer_in_the_line_of_a_referral_request_is_a_give_back(personas):
    """Round 9: "Giving back 0/100" after "I can send you the two-page summary if that's
    useful. And is there someone in your network I should meet?"."""
    lines = [
        "Hello, I'm Tom; Stéphane Aubert suggested I contact you. I'm not looking for a job.",
        "How is finance organised across your plants?",
        "In return, I wrote my thesis on hedging energy costs; I can send you the two-page "
        "summary if that's useful. And is there someone in your network I should meet?",
    ]
    criteria = feedback(personas["busy_executive"], "en", lines)["criteria"]
    assert criteria["give_back"]["score"] == 100
    assert lines[2] in criteria["referral"]["evidence"]


def test_an_offer_asked_as_a_question_is_an_offer(personas):
    from bot.engine.meeting import Meeting

    meeting = Meeting.start(personas["busy_executive"], "fr", seed=9)
    meeting.say("Bonjour, je suis Julien, Stéphane Aubert m'a donné votre nom.")
    meeting.say(
        "En retour, mon mémoire compare les délais de clôture de vingt ETI : voulez-vous que je "
        "vous envoie la synthèse de deux pages ?"
    )
    assert meeting.state.turns[-1].act == "offer"
    assert "télétravail" not in meeting.state.turns[-1].reply


def test_the_hosts_own_pay_is_personal_and_a_range_still_comes(personas):
    """Round 9: "ok not your salary then, just roughly what a new team leader gets paid?"
    was refused as confidential."""
    from bot.engine.meeting import Meeting

    meeting = Meeting.start(personas["laconic_host"], "en", seed=9)
    meeting.say("Hi, I'm Kevin, Julien sent me. I'm not looking for a job, I want to understand.")
    meeting.say("And how much do you earn running the site, if I can ask?")
    own = meeting.state.turns[-1]
    assert own.act == "confidential_request"
    assert any(line in own.reply for line in personas["laconic_host"].say("lines.own_pay", "en"))
    meeting.say(
        "ok not your salary then, just roughly what a new team leader gets paid around here?"
    )
    turn = meeting.state.turns[-1]
    assert turn.act == "question" and turn.topic == "pay"


def test_more_chat_questions_without_a_mark():
    """Round 9: these went unheard ("D'accord… Et donc, qu'est-ce que tu voudrais savoir ?")."""
    for line in (
        "merci lol. mais du coup toi t'as fait comment pour passer de comptable a directeur d'asso",
        "et niveau salaire un encadrant technique qui debute dans une recyclerie comme la tienne "
        "ça tourne autour de combien a peu pres",
        "et tu dis t'as accepté de gagner moins, ça a été dur de lacher le salaire ou pas trop",
    ):
        assert analyse(line, "fr").question, line
    assert analyse("was it hard to take the pay cut or not", "en").question == "closed"
    for statement in ("je vois pas trop comment", "je sais pas trop quoi"):
        assert analyse(statement, "fr").question is None, statement


def test_the_referrer_named_with_a_full_stop_and_reading_said_when_asked(personas):
    """Round 9: "merci d'avoir dit oui à Bernard." was not heard as naming who sent you (the
    introduction was called late), and the answer to "Qu'est-ce que vous avez lu sur le
    secteur ?" was not counted as research."""
    from bot.engine.coach import build_feedback
    from bot.engine.meeting import Meeting

    host = personas["sceptic"]
    meeting = Meeting.start(host, "fr", seed=9)
    meeting.say(
        "Merci de me recevoir, et merci d'avoir dit oui à Bernard. Je suis Élodie, conseillère "
        "en bâtiments d'élevage. Je ne viens pas chercher de poste : je veux comprendre le métier."
    )
    meeting.state.turns[-1].reply_parts = (
        "Qu'est-ce que vous avez lu sur le secteur avant de venir ?",
    )
    meeting.say(
        "Surtout les notes de la Chambre d'agriculture du Gers sur les hangars photovoltaïques."
    )
    criteria = build_feedback(meeting).criteria
    assert criteria["introduction"].score == 100
    assert criteria["preparation"].evidence[:1] == [
        "Surtout les notes de la Chambre d'agriculture du Gers sur les hangars photovoltaïques."
    ]


def test_a_refusal_followed_by_a_job_request_is_not_taken_well(personas):
    """Round 9: "✓ Taking a refusal well" after a visitor asked for a job right after the no."""
    lines = [
        "Hi, I'm Kevin, Julien sent me.",
        "Is there someone in planning I could talk to?",
        "Are you hiring team leaders at the moment? I could send you my CV.",
    ]
    lesson = feedback(personas["laconic_host"], "en", lines)["lessons"]["refusal"]
    assert lesson["done"] is False


def test_no_pitch_is_no_short_pitch(personas):
    lessons = feedback(personas["laconic_host"], "en", ["How big is the warehouse?"])["lessons"]
    assert lessons["short_pitch"]["done"] is None


def test_round_10_wordings():
    """Round 10: a margin asked on a named client's job went unflagged; "and let you know how
    my meeting goes" was not heard as keeping the host informed."""
    assert (
        "confidential_request"
        in analyse("Et sur le chantier de Bernard, vous faites combien de marge ?", "fr").intents
    )
    assert (
        "keep_informed"
        in analyse(
            "I'll send you the contact tomorrow and let you know how my meeting with Anne goes.",
            "en",
        ).intents
    )


def test_round_10_chat_question_and_steering():
    """Round 10: "so for someone coming from hotels like me what do agencies expect…" went
    unheard; "but back to the debrief, what…" steers back."""
    line = "ok fair. so for someone coming from hotels like me what do agencies expect of me"
    assert analyse(line, "en").question == "open"
    from bot.engine.lessons import reads

    assert reads("en", "steered", "haha ok good to know but back to the debrief, what do u go over")


def test_round_10_leaving_and_an_alternative_asked_with_a_question_word():
    """Round 10: "Bon ben je vais y aller alors." got "Vous voulez savoir quoi ?"; "…every 2
    hours or how it work" went unheard."""
    assert "goodbye" in analyse("Bon ben je vais y aller alors.", "fr").intents
    line = "it mean the picker change zone every 2 hours or how it work"
    assert analyse(line, "en").question == "open"
    assert analyse("I will come on monday or tuesday, whatever works", "en").question is None


def test_qualifying_a_referral_nobody_gave_earns_nothing_and_a_new_question_is_no_research(
    personas,
):
    """Read after round 10: "Referral 100" with "named nobody" in its advice; a question put
    instead of answering "What did you read of our accounts?" quoted as research."""
    from bot.engine.coach import build_feedback
    from bot.engine.meeting import Meeting

    meeting = Meeting.start(personas["busy_executive"], "en", seed=12)
    meeting.say("Hello, I'm Tom, five years in audit; Stéphane Aubert suggested I contact you.")
    meeting.state.turns[-1].reply_parts = ("What did you read of our accounts before coming?",)
    meeting.say("What would you do in my place to move from audit to plant controlling?")
    meeting.say("And is there someone you think I should meet? May I say you sent me?")
    assert not meeting.has("referral_given")
    criteria = build_feedback(meeting).criteria
    assert criteria["referral"].score == 70
    assert criteria["preparation"].evidence == []


def test_a_clarification_check_is_listening_not_a_closed_question(personas):
    lines = [
        "Bonjour, je suis Claire Martin, acheteuse depuis six ans dans la grande distribution ; "
        "Stéphane Aubert m'a conseillé de vous rencontrer pour comprendre votre métier.",
        "Comment votre équipe est-elle organisée ?",
        "Ah, c'est un peu comme un contrôleur de gestion ?",
        "Comment recrutez-vous vos juniors ?",
        "Merci beaucoup pour votre temps.",
    ]
    criteria = feedback(personas["busy_executive"], "fr", lines)["criteria"]
    assert "fermée" not in criteria["open_questions"]["advice"]
    assert lines[2] in criteria["active_listening"]["evidence"]
    en = [
        "Hello, I'm Claire Martin, a buyer for six years in retail; Stéphane Aubert suggested "
        "I meet you to understand your job.",
        "How is your team organised?",
        "Oh, is that like a management controller?",
        "How do you recruit your juniors?",
        "Thank you very much for your time.",
    ]
    criteria = feedback(personas["busy_executive"], "en", en)["criteria"]
    assert "closed" not in criteria["open_questions"]["advice"]
    assert en[2] in criteria["active_listening"]["evidence"]
    # …but a yes/no question for information still counts as closed
    en[2] = "Is the job hard?"
    criteria = feedback(personas["busy_executive"], "en", en)["criteria"]
    assert "closed" in criteria["open_questions"]["advice"]


def test_chat_spellings_cost_respect_and_say_why(personas):
    texting = [
        "hey im Sam, 4 yrs in hotels, Julie sent me, not looking 4 a job just want 2 understand ur job",  # noqa: E501
        "ok cool. how do u organise a big event, whats the 1st step",
        "u said PMs carry it, whats in the debrief w the client",
        "thx a lot, do u know s1 else i could meet",
        "thx bye",
    ]
    criteria = feedback(personas["chatty_expert"], "en", texting)["criteria"]
    respect = criteria["respect"]
    assert respect["score"] == 80
    assert "register" in respect["advice"] and "Courteous" not in respect["advice"]
    # the same visitor in full words keeps full marks
    spelled = [
        "Hello, I'm Sam, four years in hotels; Julie sent me. I'm not looking for a job, I "
        "want to understand your job.",
        "How do you organise a big event, what is the first step?",
        "You said project managers carry it: what is in the debrief with the client?",
        "Thank you, do you know someone else I could meet?",
        "Thank you, goodbye.",
    ]
    assert feedback(personas["chatty_expert"], "en", spelled)["criteria"]["respect"]["score"] == 100


def test_preparation_says_what_earned_its_points_and_reads_a_website_named(personas):
    lines = [
        "Hello Laurent, I'm Claire, an accountant for eight years; Julie suggested I meet you. "
        "I'm not looking for a job, I want to understand work integration.",
        "How is the Recyclerie organised?",
        "What does a typical day look like for a technical supervisor?",
        "What training do supervisors have?",
        "How do you see the sector evolving?",
        "Thank you very much for your time.",
    ]
    preparation = feedback(personas["puzzled_friend"], "en", lines)["criteria"]["preparation"]
    assert preparation["evidence"] == []
    assert "subjects: that earns part of the score" in preparation["advice"]
    assert "I read that you" in preparation["advice"]
    lines[1] = (
        "Thank you. I read on the Recyclerie's website that you were an accountant before "
        "running it. How did you make that move?"
    )
    preparation = feedback(personas["puzzled_friend"], "en", lines)["criteria"]["preparation"]
    assert lines[1] in preparation["evidence"]


def test_round_11_assets_and_checks(personas):
    """Round 11: "Pas grand-chose, j'ai juste regardé votre site" quoted as an asset; three
    years in a trade scored as an achievement; "vous avez donc…?" reworded as closed."""
    lines = [
        "Bonjour, je m'appelle Kévin Marty, Bernard m'a dit de venir : je voudrais comprendre "
        "le métier, je ne cherche pas de poste.",
        "Non, jamais. J'ai fait trois ans d'électricité dans le bâtiment, mais en intérieur. "
        "Comment se passe une journée sur un chantier ?",
        "Pas grand-chose, j'ai juste regardé votre site. Comment se forme un poseur ?",
        "Vous avez donc commencé comme chef d'équipe ?",
        "Merci pour votre temps.",
    ]
    criteria = feedback(personas["sceptic"], "fr", lines)
    assets = criteria["criteria"]["assets"]
    assert assets["score"] == 75 and lines[2] not in assets["evidence"]
    assert not any(r["question"] == lines[3] for r in criteria["rewordings"])


def test_advice_asked_in_other_words_is_advice_on_ones_project(personas):
    """Round 11: "✗ Advice on your own project" after "is it worth doing one at 29 or is it
    better to start directly?" and "what u think about this idea"."""
    from bot.channels.terminal import play

    for persona, lang, line in [
        (
            "guarded_insider",
            "en",
            "You said there are master's programmes in Lyon that take biologists, is it worth "
            "doing one at 29 or is it better to start directly?",
        ),
        (
            "curious_host",
            "en",
            "im doing a online bootcamp and my case study is redesign the hotel check in, what u "
            "think about this idea",
        ),
        ("curious_host", "fr", "je fais un bootcamp, tu penses quoi de mon étude de cas ?"),
    ]:
        lines = [
            "Hello, I'm Sam, a biologist; Hélène suggested I meet you to understand your job."
            if lang == "en"
            else "Salut, moi c'est Sam, prof ; Hélène m'a dit de venir pour comprendre ton métier.",
            line,
        ]
        result = play(personas[persona], lang, lines, seed=11, hints=False)
        lessons = json.loads(play_json(result))["feedback"]["lessons"]
        assert lessons["own_project"]["done"] is True, (persona, line)


def test_round_12_full_marks_praise_first_and_a_reaction_is_not_reworded(personas):
    """Round 12: "100/100" beside "2 of your 8 questions were closed", and "À quel point Ah
    ok pardon. Et c'est dur comme métier… ?" offered as an open question."""
    from bot.engine.hints import coached_say
    from bot.engine.meeting import Meeting

    lines = [
        "Hello, I'm Claire Martin, a buyer for six years; Stéphane suggested I meet you to "
        "understand your job, not for a job.",
        "How is your team organised?",
        "What does a typical day look like for you?",
        "How do you recruit your juniors?",
        "What skills will matter most in five years?",
        "What mistakes do newcomers make?",
        "Is the job stressful?",
        "Thank you very much for your time.",
    ]
    criteria = feedback(personas["busy_executive"], "en", lines)["criteria"]
    assert criteria["open_questions"]["score"] == 100
    assert criteria["open_questions"]["advice"].startswith("Mostly open questions: well done.")
    meeting = Meeting.start(personas["guarded_insider"], "fr", seed=12)
    coached_say(meeting, "Bonjour, je suis Camille, technicienne qualité ; Hélène m'envoie.")
    result = coached_say(meeting, "Ah ok pardon. Et c'est dur comme métier, le réglementaire ?")
    assert result.hints and "pardon" not in result.hints[0]
    assert "à quel point et" not in result.hints[0].lower()


def test_contacts_asked_in_their_own_sentence_count_beside_a_cv_offered(personas):
    """Round 12: "Vous connaîtriez pas quelqu'un d'autre que je pourrais aller voir ? Je peux
    vous laisser mon CV au cas où" scored the referral 0 and advised asking for contacts."""
    lines = [
        "Bonjour, je suis Kévin, électricien ; Bernard m'a dit de venir, pour comprendre le "
        "métier.",
        "Comment se passe une journée sur un chantier ?",
        "Vous connaîtriez pas quelqu'un d'autre que je pourrais aller voir ? Je peux vous laisser "
        "mon CV au cas où.",
    ]
    criteria = feedback(personas["sceptic"], "fr", lines)["criteria"]
    assert criteria["referral"]["score"] >= 70 and lines[2] in criteria["referral"]["evidence"]
    assert criteria["respect"]["score"] < 100  # the CV is still a job request
    # …but a contact asked for a job is a job request, not a referral
    lines[2] = "Vous connaîtriez quelqu'un qui recrute, pour un poste ?"
    assert feedback(personas["sceptic"], "fr", lines)["criteria"]["referral"]["score"] == 0


def test_an_achievement_after_research_in_one_line_is_an_asset(personas):
    """Round 12: "I read your group presentation… In my internship I built a dashboard that
    cut the monthly close from eight to five days." scored Assets 0."""
    lines = [
        "Good morning, I'm Julien Moreau, final-year Master's in finance; Stéphane Aubert "
        "suggested I meet you to understand your job.",
        "I read your group presentation and the press coverage: 280 million in revenue, six "
        "plants. In my internship I built a cost-per-tonne dashboard that cut the monthly close "
        "from eight to five days.",
        "My third question: where is the finance job heading in a group like yours?",
    ]
    result = feedback(personas["busy_executive"], "en", lines)
    assert result["criteria"]["assets"]["score"] == 100
    assert result["criteria"]["preparation"]["evidence"][0].startswith(lines[1][:60])
    from bot.engine.analysis import analyse

    assert analyse(lines[2], "en").question == "open"
    assert analyse("Where is the office?", "en").question == "closed"
