"""French typography for texts the catalogues cannot fix: persona texts (written with the
straight apostrophes of a keyboard) and names put into a sentence at run time.

The interface's French uses curly apostrophes (’); a persona's line next to it should too.
And "auprès de {name}" is right for Marc and wrong for Isabelle ("auprès d’Isabelle"),
which only the code that knows the name can decide. English texts are left as they are.
"""

from __future__ import annotations

import re

_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_VOWEL = re.compile(r"[AEIOUYÀÂÄÆÉÈÊËÎÏÔÖŒÙÛÜŸ]", re.IGNORECASE)
_ELIDED = {"de": "d’", "De": "D’", "que": "qu’", "Que": "Qu’"}


def curly(text: str, lang: str) -> str:
    """French: a straight apostrophe between two letters becomes ’ ("c'est" → "c’est")."""
    return _APOSTROPHE.sub("’", text) if lang == "fr" else text


def elide(text: str, lang: str, *names: str) -> str:
    """French: "de Isabelle" → "d’Isabelle", "que Isabelle" → "qu’Isabelle", for the
    `names` given only (as they appear in `text`, e.g. HTML-escaped), so nothing else in
    the message, such as the user's own words, is touched."""
    if lang != "fr":
        return text
    for name in names:
        if name and _VOWEL.match(name):
            pattern = re.compile(rf"\b(de|De|que|Que) {re.escape(name)}\b")
            text = pattern.sub(lambda match, name=name: _ELIDED[match[1]] + name, text)
    return text
