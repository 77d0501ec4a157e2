"""gettext catalogues for every text the bot itself shows (persona lines live in YAML).

The `.po` files under ``locales/`` are the source of truth; `.mo` files are build products,
compiled when the wheel is built (setup.py) and by `make` in a checkout. A running bot never
writes them: in a checkout whose `.mo` is missing or older than its `.po`, the catalogue is
compiled in memory, so a translator's edit shows at the next start.
"""

from __future__ import annotations

import gettext
import io
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot import PROJECT_ROOT, data_dir

LOCALES_DIR = data_dir("locales")
DOMAIN = "messages"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
#: Each language named in itself, as a language menu shows it (never translated).
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def normalize_language(code: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Map a Telegram ``language_code`` such as ``en-GB`` to a supported language."""
    if code:
        base = code.replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default


def _paths(lang: str) -> tuple[Path, Path]:
    folder = LOCALES_DIR / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def _compile(po_path: Path) -> bytes:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogues() -> list[Path]:
    """Write every `.mo` from its `.po`; returns the files written."""
    written = []
    for lang in LANGUAGES:
        po_path, mo_path = _paths(lang)
        mo_path.write_bytes(_compile(po_path))
        written.append(mo_path)
    return written


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The catalogue of a language: its `.mo`, or its `.po` compiled in memory when newer.

    An installed wheel ships only the `.mo`; a checkout has both.
    """
    po_path, mo_path = _paths(normalize_language(lang))
    stale = po_path.exists() and (
        not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime
    )
    data = _compile(po_path) if stale else mo_path.read_bytes()
    return gettext.GNUTranslations(io.BytesIO(data))


def addressed(lang: str, address: str) -> Callable[[str], str]:
    """``gettext`` for texts that quote what to say to the host: in a French meeting held in
    *tu*, the ``tu`` version of a text when the catalogue has one ("Que ferais-tu à ma
    place ?"), else the text as it is."""
    catalogue = translations(lang)
    if lang != "fr" or address != "tu":
        return catalogue.gettext

    def gettext(message: str) -> str:
        tu = catalogue.pgettext("tu", message)
        return tu if tu != message else catalogue.gettext(message)

    return gettext


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it where it is shown."""
    return message


def NP_(context: str, message: str) -> str:
    """The same, with a context: ``NP_("tu", …)`` is the French *tu* version of a text."""
    return message


def _update() -> None:
    """Extract the template and merge it into both catalogues (`make locales`).

    New French entries stay empty until translated; a test fails while any is.
    """
    pot = LOCALES_DIR / f"{DOMAIN}.pot"
    babel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run(
        [
            *babel,
            "extract",
            "-F",
            str(LOCALES_DIR / "babel.cfg"),
            "-k",
            "N_",
            "-k",
            "NP_:1c,2",
            "--no-location",
            "--sort-output",
            "-o",
            str(pot),
            str(PROJECT_ROOT / "bot"),
        ],
        check=True,
    )
    for lang in LANGUAGES:
        po_path, _ = _paths(lang)
        action = "update" if po_path.exists() else "init"
        subprocess.run(
            [
                *babel,
                action,
                "-i",
                str(pot),
                "-d",
                str(LOCALES_DIR),
                "-D",
                DOMAIN,
                "-l",
                lang,
                *(["--no-fuzzy-matching"] if action == "update" else []),
            ],
            check=True,
        )


def _fill_english() -> None:
    """The English catalogue is the source text: copy each new msgid into its msgstr."""
    from babel.messages.pofile import write_po

    po_path, _ = _paths("en")
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:  # (singular, plural) ids; strings are a tuple
            if not any(message.string):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=100, ignore_obsolete=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["compile"]:
        for path in compile_catalogues():
            print(f"compiled {path.relative_to(PROJECT_ROOT)}")
        return 0
    if argv[:1] == ["update"]:
        _update()
        _fill_english()
        return 0
    print("usage: python -m bot.i18n compile|update", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
