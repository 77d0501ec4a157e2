"""A yes/no question opened in the visitor's own words.

"Is PVsyst hard to learn on your own?" becomes "How hard is PVsyst to learn on your own?",
"Vous utilisez l'IA ?" becomes « Comment utilisez-vous l'IA ? »: the visitor sees their own
question opened, subject kept, which is what they will remember and say next time. A stock
question on the topic ("How do you see this job changing?") loses the subject; the coach
falls back on it only when no frame here fits (`open_in_own_words` returns None).

The grammar is the language's own (an English auxiliary moved to the front, a French subject
inverted), so each language has its function; the words that choose a frame and the frames
themselves are data, in the lexicon's `feedback.open_frames`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from bot.engine.analysis import lexicon, normalise
from bot.engine.lessons import feedback_section


@cache
def _words(lang: str) -> dict[str, Any]:
    data = feedback_section(lang)["open_frames"]
    return {
        key: frozenset(value) if isinstance(value, list) else value for key, value in data.items()
    }


def open_in_own_words(question: str, lang: str, address: str = "vous") -> str | None:
    """The question opened with its own words, or None when no frame fits it."""
    text = _written_out(" ".join(question.replace("’", "'").split()), lang).rstrip(" ?!.…")
    # "…remplacer les contrôleurs de gestion, non ?": the tag asks for a yes, the open
    # question has no use for it (it stayed, hanging, round 17).
    text = _TAG.sub("", text).rstrip(" ,?")
    if not text or len(text) > 240:
        return None
    opened = _open_fr(text, address) if lang == "fr" else _open_en(text)
    return opened[0].upper() + opened[1:] if opened else None


def _written_out(text: str, lang: str) -> str:
    """The question without chat spellings ("do u think ux jobs r gonna shrink, like n
    stuff"): the model question the feedback hands over is one the visitor can say to a
    manager, in the register the same feedback asks for."""
    lex = lexicon(lang)
    # Chat spellings written out, texted elisions restored ("l ia" → "l'ia").
    text = _CHAT_FILLER[lang].sub("", lex.expand(text))
    # "ai", "ux", "rh": the acronyms a chat writes in lower case.
    text = re.sub(
        r"(?<!\w)\w+(?!\w)",
        lambda m: m.group(0).upper() if m.group(0) in lex.short_words else m.group(0),
        text,
    )
    return " ".join(text.split()).replace(" ,", ",")


#: What a spoken question says to fill ("…, like robots n stuff", "lol", "genre").
_CHAT_FILLER = {
    "en": re.compile(
        r"(?i)(?:,\s*+)?\b(?:like\s++)?(?:[\w-]++\s++){0,3}?(?:and|n) stuff\b"
        r"|\b(?:lol|lmao|omg|tbh|haha|at least)\b"
    ),
    "fr": re.compile(
        r"(?i)(?:,\s*+)?\b(?:et tout (?:ça|ca)|tout (?:ça|ca) quoi)\b|\b(?:lol|mdr|ptdr|genre)\b"
    ),
}


def _lower_first(text: str, lang: str) -> str:
    """The question's first word in lower case when it is a common word ("Le", "Is"), not a
    name ("Enedis", "SAP")."""
    first = text.split(" ", 1)[0]
    elided = first[: first.index("'") + 1] if "'" in first else first  # "L'anglais": "l'"
    common = lexicon(lang).stopwords
    lowered = {first.lower(), elided.lower()}
    if normalise(first) in common or normalise(elided) in common or lowered & _LOWER_OK:
        return text[:1].lower() + text[1:]
    return text


_LOWER_OK = frozenset(
    {"is", "are", "was", "were", "do", "does", "did", "can", "could", "will", "would", "should"}
    | {"has", "have", "might", "must", "est-ce", "est", "y", "faut-il", "peut-on"}
    # "C'était dur de changer ?" opens "À quel point c'était dur…", not "…point C'était".
    | {"c'", "ç'", "l'", "d'", "j'", "qu'", "s'", "n'", "ça", "ca", "cela", "ce", "il", "elle"}
    | {"ils", "elles", "on", "it", "there", "this", "that", "they", "he", "she"}
)


def _lead(text: str, start: re.Pattern[str]) -> tuple[str, str] | None:
    """("After seeing all this, ", "do you still shop online?"): a short lead-in kept as it
    is, then the question proper, which must begin as `start` says."""
    for match in re.finditer(r"(?i:^|[,:;]\s+|\b(?:but|and|so|et|mais|alors|donc)\s+)", text):
        lead, core = text[: match.end()], text[match.end() :]
        if len(lead.split()) > 14:
            return None
        if start.match(core):
            return lead, core
    return None


def _join(lead: str, opened: str) -> str:
    return lead + opened[:1].lower() + opened[1:] if lead else opened


# -- English ---------------------------------------------------------------------------------

_EN_DO = ("do", "does", "did")
_EN_BE = ("is", "are", "was", "were")
_EN_HAVE = ("have", "has")
_EN_CAN = ("can", "could")
_EN_MODAL = ("will", "would", "should", "might", "must")
_EN_START = re.compile(rf"(?i)(?:{'|'.join(_EN_DO + _EN_BE + _EN_HAVE + _EN_CAN + _EN_MODAL)})\b")
_EN_PRONOUNS = frozenset({"you", "u", "they", "we", "he", "she", "people"})
_EN_PREPOSITIONS = frozenset({"for", "on", "about", "in", "to", "with", "at", "from", "that"})


def _noun_phrase(tokens: list[str]) -> tuple[str, str]:
    """("tips", " on getting in") from "tips on getting in": up to the first preposition."""
    for index, token in enumerate(tokens):
        if token.lower() in _EN_PREPOSITIONS and index:
            return " ".join(tokens[:index]), " " + " ".join(tokens[index:])
    return " ".join(tokens), ""


def _open_en(text: str) -> str | None:
    found = _lead(text, _EN_START)
    if not found:
        return None
    lead, core = found
    words = _words("en")
    frames = words["frames"]
    tokens = core.split()
    low = [t.lower().strip(",;:") for t in tokens]
    if len(tokens) < 2 or set(low) & words["skip"]:
        return None
    aux, subject = low[0], low[1]
    question = _lower_first(core, "en")
    if aux in (*_EN_CAN, "may") and subject == "i":
        return None  # "Could I show you…?" asks leave, not information
    if aux in _EN_DO and subject in _EN_PRONOUNS and len(tokens) > 3:
        if low[2] in words["likes"] and not set(low[3:]) & {"to", "enough", "if", "when"}:
            rest = " ".join(tokens[3:])
            return _join(
                lead,
                frames["likes"].format(aux=aux, subject=tokens[1], verb=tokens[2], rest=rest),
            )
        if low[2] == "have" and len(tokens) > 4:
            if low[3] in ("any", "some"):
                noun, rest = _noun_phrase(tokens[4:])
                return _join(
                    lead,
                    frames["have_any"].format(noun=noun, aux=aux, subject=tokens[1], rest=rest),
                )
            start = {"many": 4, "much": 4}.get(low[3])
            if low[3:6] == ["a", "lot", "of"]:
                start = 6
            elif low[3:5] == ["lots", "of"]:
                start = 5
            if start and len(tokens) > start:
                noun, rest = _noun_phrase(tokens[start:])
                amount = low[3] if start == 4 else _many_or_much(noun)
                return _join(
                    lead,
                    frames["have_many"].format(
                        quantity=amount, noun=noun, aux=aux, subject=tokens[1], rest=rest
                    ),
                )
            if low[3] != "to":
                return None  # "Do you have panels on your house?": about the host's things
    if aux in _EN_BE:
        if subject == "there":
            if aux in ("are", "were") and len(tokens) > 2:
                rest = tokens[3:] if low[2] in ("any", "some", "many") else tokens[2:]
                return _join(lead, frames["examples"].format(rest=" ".join(rest)))
            if len(low) > 2 and low[2] in ("a", "an", "one"):
                # "Is there a classic mistake beginners make?": "To what extent is there…"
                # is no English; the stock question of its subject asks it (round 21).
                return None
            return _degree(lead, frames, question, "en")
        adjective = _gradable_at(low, words)
        if adjective:
            start, end = adjective
            subject_end = start
            while subject_end > 2 and low[subject_end - 1] in words["intensifiers"]:
                subject_end -= 1
            rest = " ".join(tokens[end:])
            return _join(
                lead,
                frames["how_adjective"].format(
                    adjective=" ".join(tokens[start:end]),
                    aux=aux,
                    subject=" ".join(tokens[1:subject_end]),
                    rest=" " + rest if rest else "",
                ),
            )
        if subject in ("you", "u"):
            return None  # about the host as a person ("Were you ever a team leader?")
        if (
            subject in _EN_BARE_SUBJECTS
            and len(tokens) <= BARE_SUBJECT_WORDS
            and not set(low[2:]) & _EN_DETERMINERS  # "Is that a complicated process?" names one
        ):
            # "Is it dangerous?", "Is that going to get better?": opened, they keep no
            # subject ("To what extent is it dangerous?"); the stock question names one.
            return None
        return _degree(lead, frames, question, "en")
    if aux == "should" and subject == "i" and len(tokens) > 2:
        # "Should I do a master's in finance first?": how useful the step would be, not "To
        # what extent should I…" (round 21).
        return _join(lead, frames["useful"].format(rest=" ".join(tokens[2:])))
    if aux in _EN_MODAL:
        return _degree(lead, frames, question, "en")
    if aux == "did" and subject in _EN_PRONOUNS | {"i", "it"}:
        return None  # someone's past: the stock career question says it better
    if aux in _EN_HAVE and subject in _EN_PRONOUNS:
        return None  # "Have you been to…?": the host's experience, not how things work
    if aux in _EN_DO and len(tokens) < 4:
        return None  # "Do you surf?": no subject to keep
    if set(low) & (words["degree"] | words["likes"]) or " a lot" in core.lower():
        return _degree(lead, frames, question, "en")
    if set(low) & _EN_JUDGED:
        return None  # "How do installers earn good money?" would ask another thing
    if _SHARE["en"].search(question) or _COMPARED.search(question):
        # "How do you work mostly with farms?", "How does a junior earn more than 40k?"
        # ask another thing (rounds 19 and 21).
        return None
    return _join(lead, frames["how"].format(question=question))


#: A figure compared ("more than 40k"): "how" before it asks the means, not the figure.
_COMPARED = re.compile(r"\b(more|less|fewer) than\b|\b(over|under) \d", re.I)

#: Subjects that name nothing by themselves, and up to how many words a question made on
#: one has nothing else to name its subject.
_EN_BARE_SUBJECTS = frozenset({"it", "that", "this"})
BARE_SUBJECT_WORDS = 6
_EN_DETERMINERS = frozenset({"a", "an", "the", "your", "their", "our", "my", "his", "her"})

#: Words of a judgement ("Do installers earn good money?"): "how" before it changes the
#: question; the stock question of its subject keeps it.
_EN_JUDGED = frozenset({"good", "bad", "well", "enough", "worth", "nice", "great", "decent"})


def _gradable_at(low: list[str], words: dict[str, Any]) -> tuple[int, int] | None:
    """Where the adjective of "Is the job (very) stressful…" is: (start, end) token indexes,
    the subject being between the verb and it (at most six words)."""
    for index in range(2, min(len(low), 9)):
        if low[index - 1] in ("a", "an", "about", "being", "to", "for", "of", "in", "the"):
            return None  # "is that a complicated process", "is it about being close"
        pair = " ".join(low[index : index + 2])
        if pair in words["gradable"]:
            return index, index + 2
        if low[index] in words["gradable"]:
            return index, index + 1
    return None


def _many_or_much(noun: str) -> str:
    return "many" if noun.lower().endswith("s") else "much"


# -- French ----------------------------------------------------------------------------------

_FR_PRONOUNS = ("vous", "tu", "on", "il", "elle", "ils", "elles")
_LETTERS = "a-zàâçéèêëîïôûùüÿœ"
#: The ways a French yes/no question starts, as patterns (case is ignored).
_ESTCE = r"est[- ]ce qu(?:e\s+|')"
_EXIST = (
    r"(?:il y a|y a[- ]t[- ]il|il existe|existe[- ]t[- ]il)\s+"
    r"(?P<what>beaucoup d(?:e\s+|')|des\s+|d'(?=autres))"
)
_INVERTED = (
    rf"(?<![\w'])(?P<verb>[{_LETTERS}']+)-(?:t-)?(?P<pro>vous|tu|on|il|elle|ils|elles)\b"
    r"\s*(?P<rest>.*)"
)
_NOUN_INVERTED = (
    r"(?:le|la|les|l'|un|une|ce|cet|cette|ces|vos|votre|leur|leurs|mon|ma|mes)\b.{1,60}?\s"
    rf"[{_LETTERS}']+-(?:t-)?(?:il|elle|ils|elles)\b"
)
_DECLARATIVE = (
    r"(?P<pro>(?:vous|tu|on|il|elle|ils|elles|ça|cela)\b|t')\s*"
    rf"(?P<verb>[{_LETTERS}]{{2,}})\b\s*(?P<rest>.*)"
)
_FR_ESTCE, _FR_EXIST, _FR_INVERTED, _FR_NOUN_INVERTED, _FR_DECLARATIVE = (
    re.compile(pattern, re.I)
    for pattern in (_ESTCE, _EXIST, _INVERTED, _NOUN_INVERTED, _DECLARATIVE)
)
_FR_START = re.compile(
    rf"(?:{_ESTCE}|{_EXIST}|{_INVERTED}|{_NOUN_INVERTED}|(?:(?:vous|tu|on|ça|cela)\b|t'|"
    r"c'est\b)\s*\w)",
    re.I,
)
#: "…, vous pensez ?", "…, à ton avis ?": an opinion asked at the end of the question.
_FR_OPINION_TAIL = re.compile(
    r"(?<![ ,])[ ,]+(?:selon (?:vous|toi)|d'après (?:vous|toi)|à (?:votre|ton) avis|"
    r"(?:vous|tu) (?:pensez|penses|croyez|crois|trouvez|trouves))$",
    re.I,
)
_FR_NEGATIVE = re.compile(r"\bn'|\bne\b|\bpas\b", re.I)
#: "…, c'est ça ?", "c'est-à-dire ?", "c'est vrai que…": a check, not a question to open.
_FR_TAG = re.compile(r"c'est (?:ça|bien ça|vrai)\b|c'est-à-dire|\bvrai que\b", re.I)
_FR_YOU = re.compile(r"\b(?:vous|tu|t')", re.I)
_FR_DETERMINER = re.compile(r"(?:le|la|les|l'|votre|vos|ton|ta|tes|ce|cet|cette|ces)\b", re.I)
_FR_CLITICS = frozenset({"me", "te", "se", "le", "la", "les", "lui", "leur", "y", "en", "ne"})
_FR_PREPOSITIONS = r"\s(?:à|a|en|dans|pour|chez|sur|avec|par|quand|qui|que|comme)\s|,"
_FR_COPULA = (
    r"(?:est|sont|c'est|était|c'était|sera|serait|semble|paraît|reste|devient)"
    r"(?:-(?:t-)?(?:il|elle|ils|elles|ce))?"
)


def _invert(pronoun: str, verb: str) -> str:
    """ "vous utilisez" → "utilisez-vous", "on peut" → "peut-on", "il a" → "a-t-il"."""
    if pronoun in ("il", "elle", "on") and verb[-1:] in ("a", "e"):
        return f"{verb}-t-{pronoun}"
    return f"{verb}-{pronoun}"


def _you(pronoun: str | None, address: str) -> tuple[str, str]:
    """("vous", "vous") or ("toi", "te"): the user's own register, else the meeting's."""
    tu = pronoun in ("tu", "t'") if pronoun in ("vous", "tu", "t'") else address == "tu"
    return ("toi", "te") if tu else ("vous", "vous")


def _open_fr(text: str, address: str) -> str | None:
    # Without a start the rules know ("Le travail est très différent ?"), only the
    # adjective frame may fit.
    lead, core = _lead(text, _FR_START) or ("", text)
    words = _words("fr")
    frames = words["frames"]
    low = set(re.findall(r"[\w']+", core.lower()))
    if low & words["skip"] or _FR_NEGATIVE.search(core) or _FR_TAG.search(core):
        return None
    tail = _FR_OPINION_TAIL.search(core)
    if tail and not lead:
        # "Est-ce que ça va durer, vous pensez ?" asks an opinion: "Selon vous, dans quelle
        # mesure ça va durer ?", not "Dans quelle mesure est-ce que ça va durer vous pensez".
        said = _FR_ESTCE.sub("", core[: tail.start()], count=1).strip(" ,")
        if said:
            tu = re.search(r"\b(?:tu|toi|ton)\b", tail[0], re.I)
            you = _you("tu" if tu else "vous", address)[0]
            return frames["opinion"].format(you=you, clause=_lower_first(said, "fr"))
    said_you = _FR_YOU.search(core)
    you, you_object = _you(said_you[0].lower() if said_you else None, address)
    estce = _FR_ESTCE.match(core)
    clause = core[estce.end() :] if estce else core
    exist = _FR_EXIST.match(clause)
    if exist:
        rest = clause[exist.end() :]
        noun, after = _fr_noun(rest)
        if exist["what"].lower().startswith("beaucoup"):
            return _join(
                lead,
                frames["how_many"].format(of=_of(noun), noun=noun, verb="y a-t-il", rest=after),
            )
        return _join(
            lead, frames["examples"].format(of=_of(rest), rest=rest, you_object=you_object)
        )
    inverted = None if estce else _FR_INVERTED.match(core)
    noun_inverted = not estce and not inverted and bool(_FR_NOUN_INVERTED.match(core))
    if inverted:
        pronoun, verb, rest = inverted["pro"].lower(), inverted["verb"], inverted["rest"]
    else:
        declarative = None if noun_inverted else _FR_DECLARATIVE.match(clause)
        pronoun, verb, rest = (
            (declarative["pro"].lower(), declarative["verb"], declarative["rest"])
            if declarative
            else (None, "", clause)
        )
        if pronoun == "t'":
            pronoun = "tu"
    verb_low = verb.lower()
    # The question read as a statement, and as a question with its subject inverted.
    if inverted or noun_inverted:
        asked = _lower_first(core, "fr")
    elif pronoun in ("ça", "cela") or (pronoun is None and estce):
        that = "est-ce qu'" if re.match(r"[aeiouyhéèê]", clause, re.I) else "est-ce que "
        asked = that + _lower_first(clause, "fr")
    elif pronoun in _FR_PRONOUNS and verb_low not in _FR_CLITICS:
        asked = _invert(pronoun, verb_low) + (" " + rest if rest else "")
    else:  # "C'est une asso ?", "Le contrat est renégocié ?": only an adjective opens them
        asked = None
    if pronoun in ("vous", "tu") and verb_low in words["opinion"]:
        that = re.match(r"qu(?:e\s+|')", rest, re.I)
        if that:
            said = rest[that.end() :]
            return _join(lead, frames["opinion"].format(you=you, clause=_lower_first(said, "fr")))
    if pronoun in ("vous", "tu") and verb_low in words["likes"] and _FR_DETERMINER.match(rest):
        return _join(lead, frames["likes"].format(you_object=you_object, rest=rest))
    many = re.match(r"beaucoup d(?:e\s+|')", rest, re.I)
    if many and pronoun in ("vous", "tu") and verb_low in ("avez", "as"):
        noun, after = _fr_noun(rest[many.end() :])
        return _join(
            lead,
            frames["how_many"].format(
                of=_of(noun), noun=noun, verb=_invert(pronoun, verb_low), rest=after
            ),
        )
    if pronoun in ("vous", "tu") and verb_low in ("avez", "as", "aviez", "avais"):
        return None  # "Vous avez commencé poseur ?", "Tu as un avis ?": the host's own story
    gradable = "|".join(sorted(words["gradable"], key=len, reverse=True))
    adjective = re.search(
        rf"\b(?P<intens>(?:(?:{'|'.join(words['intensifiers'])})\s+)*)"
        rf"(?:(?:aussi|plus|moins)\s+)?(?:{gradable})\b",
        core,
        re.I,
    )
    copula = re.search(rf"\b{_FR_COPULA}\b", clause, re.I)
    intensifier = re.compile(
        rf"\b(?:{'|'.join(words['intensifiers'])})\s+"
        rf"(?=(?:aussi |plus |moins )?(?:{gradable})\b)",
        re.I,
    )
    if adjective and (copula or (verb_low in words["opinion"] and asked)):
        if copula and not asked:
            asked = _lower_first(clause if estce else core, "fr")
        plain = asked if asked else core
        plain = intensifier.sub("", plain)
        if asked and not (inverted or noun_inverted) and pronoun in _FR_PRONOUNS:
            return _join(lead, frames["how_adjective"].format(clause=plain))
        statement = clause if estce or not (inverted or noun_inverted) else core
        statement = intensifier.sub("", statement)
        return _join(lead, frames["how_adjective"].format(clause=_lower_first(statement, "fr")))
    if not asked:
        return None
    if verb_low in words["manner"] and pronoun in ("vous", "tu", "on"):
        if _SHARE["fr"].search(asked):
            return None  # "Comment travaillez-vous surtout avec des fermes ?" asks autre chose
        return _join(lead, frames["how"].format(question=asked))
    if noun_inverted:  # "Le reporting va-t-il devenir…": the verb before "-t-il"
        found = re.search(r"(?<![\w'])([\w']+)-(?:t-)?(?:il|elle|ils|elles)\b", core)
        verb_low = found[1].lower() if found else verb_low
    # "Ça vous oblige à recruter autrement ?": how far a thing does something.
    that = pronoun in ("ça", "cela")
    if that or verb_low in words["degree"] or low & words["degree_words"]:
        return _degree(lead, frames, asked, "fr")
    # "Vous faites surtout des toitures agricoles ?" asks a fact: "Dans quelle mesure
    # faites-vous surtout…" reads as a template (round 16); the stock question of its
    # subject says it better.
    return None


#: Words of degree that "To what extent" / "Dans quelle mesure" already says: kept, they
#: stack two measures ("To what extent do prices still go up a lot?", round 16).
_DOUBLED_DEGREE = {
    "en": re.compile(
        r"\b(a lot|lots|very much|that much|so much)\b(?! of\b)|\b(a lot|lots) of\b", re.I
    ),
    "fr": re.compile(r"\b(beaucoup|tellement|vraiment)\b(?! d[e'])", re.I),
}
#: A share asked as yes or no ("Is your day mostly meetings?"): how much of it is.
_SHARE = {
    "en": re.compile(r"\b(mostly|mainly|largely|most of|primarily)\b", re.I),
    "fr": re.compile(r"\b(surtout|principalement|majoritairement|la plupart)\b", re.I),
}


#: A tag that asks for a yes at the end of a question.
_TAG = re.compile(
    r"(?i),\s*+(non|hein|right|n'est-ce pas|isn't it|aren't they|don't you|or not|ou pas)\s*+\?*+$"
)
#: What no degree measures: a time ("was that while u were still working?"), a necessity
#: ("faut-il forcément un master ?": "dans quelle mesure… forcément" contradicts itself).
_NOT_A_DEGREE = {
    "en": re.compile(
        r"\b(while|when|before|after|necessarily|have to|has to|need to|needs to|must|"
        r"need an?|needs an?|need any|"
        # a time of day ("is it in the morning?"), a name checked ("is that what you call
        # user testing?"), a figure compared ("more than 40k?"): round 21
        r"in the (morning|afternoon|evening)|at night|on (the )?weekends?|"
        r"what (you|they|we|people) call|(more|less|fewer) than|over \d|under \d)\b",
        re.I,
    ),
    "fr": re.compile(
        r"\b(pendant que|quand|avant|apres|après|forcement|forcément|obligé|obligée|"
        r"obligatoire|obligatoirement|faut-il|faut il|"
        r"le matin|l'après-midi|l'apres-midi|le soir|la nuit|le week-end|"
        r"ce que (vous appelez|tu appelles|on appelle)|(plus|moins) (de|que) \d)\b",
        re.I,
    ),
}
#: How often something happens, asked as yes or no ("ça bloque souvent les chantiers ?"):
#: "how often", not "to what extent… often" (round 21).
_OFTEN = {
    "en": re.compile(r"\b(often|frequently|regularly)\b", re.I),
    "fr": re.compile(r"\b(souvent|fréquemment|frequemment|régulièrement|regulierement)\b", re.I),
}


def _degree(lead: str, frames: dict[str, str], question: str, lang: str) -> str | None:
    """The question of degree, without the degree word it already had; a question of
    share ("mostly"), of a time or of a necessity is no question of degree, and gets the
    stock question of its subject (None)."""
    if _SHARE[lang].search(question) or _NOT_A_DEGREE[lang].search(question):
        return None
    plain = " ".join(_DOUBLED_DEGREE[lang].sub(" ", question).split())
    often = _OFTEN[lang].search(plain)
    frame = frames["how_often"] if often else frames["degree"]
    plain = " ".join(_OFTEN[lang].sub("", plain).split()) if often else plain
    return _join(lead, frame.format(question=plain.removesuffix("?").rstrip()))


def _of(noun: str) -> str:
    """ "d'" before a vowel ("d'heures"), else "de "."""
    return "d'" if re.match(r"[aeiouyhéèêâîô]", noun, re.I) else "de "


def _fr_noun(text: str) -> tuple[str, str]:
    """("clients suisses", " en ce moment") from "clients suisses en ce moment"."""
    cut = re.search(_FR_PREPOSITIONS, text)
    if not cut:
        return text, ""
    return text[: cut.start()], text[cut.start() :]
