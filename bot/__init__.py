"""Rehearse networking interviews (entretiens réseau) against simulated interlocutors."""

from importlib.resources import files
from pathlib import Path

__version__ = "0.1.0"

#: The repository root, in a checkout: where `personas/`, `locales/` and `eval/` are edited.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """A data folder of the bot (`personas`, `locales`), wherever the bot runs from.

    Coaches and translators edit these folders at the top of the repository; a built wheel
    carries them inside the package (setup.py maps them), so an installed bot reads them
    with importlib.resources, and a checkout (editable install) reads them where they are edited.
    """
    shipped = files(__name__) / name
    return shipped if isinstance(shipped, Path) and shipped.is_dir() else PROJECT_ROOT / name
