"""French typography for persona texts and names put into sentences at run time."""

from __future__ import annotations

import pytest

from bot.typography import curly, elide


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C'est l'usine d'Airbus, aujourd'hui.", "C’est l’usine d’Airbus, aujourd’hui."),
        ("'Quote' et l'' reste", "'Quote' et l'' reste"),  # only between two letters
        ("Déjà l'été", "Déjà l’été"),
    ],
)
def test_curly_apostrophes_in_french(text, expected):
    assert curly(text, "fr") == expected
    assert curly(text, "en") == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("auprès de Isabelle Marchand :", "auprès d’Isabelle Marchand :"),
        ("recommandation de Élodie Roy.", "recommandation d’Élodie Roy."),
        ("De Isabelle Marchand, rien.", "D’Isabelle Marchand, rien."),
        ("plus que Isabelle Marchand", "plus qu’Isabelle Marchand"),
        ("auprès de Marc Olivier", "auprès de Marc Olivier"),  # a consonant: no elision
        ("de Isabelle Marchandise", "de Isabelle Marchandise"),  # another name
        ("monde Isabelle Marchand", "monde Isabelle Marchand"),  # not the word "de"
    ],
)
def test_elision_before_a_name(text, expected):
    names = ("Isabelle Marchand", "Élodie Roy", "Marc Olivier")
    assert elide(text, "fr", *names) == expected
    assert elide(text, "en", *names) == text
