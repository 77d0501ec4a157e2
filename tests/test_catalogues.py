"""The gettext catalogues are complete: every French entry translated, placeholders kept."""

import re

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR

PLACEHOLDER = re.compile(r"\{\w*\}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_entry_is_translated_with_its_placeholders(lang):
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        assert all(strings), f"{lang}: untranslated {message.id!r}"
        assert "fuzzy" not in message.flags, f"{lang}: fuzzy {message.id!r}"
        for string in strings:
            assert set(PLACEHOLDER.findall(ids[0])) == set(PLACEHOLDER.findall(string)), string


def test_the_template_lists_every_text_of_the_code():
    """`make locales` was run: no msgid in the code is missing from the template."""
    from babel.messages.extract import extract_from_dir

    found = {
        message
        for _, _, message, *_ in extract_from_dir(
            str(LOCALES_DIR.parent / "bot"), keywords={"_": None, "N_": None, "ngettext": (1, 2)}
        )
    }
    with (LOCALES_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        known = {m.id for m in read_po(handle) if m.id}
    missing = {m for m in found if m not in known}
    assert not missing
