"""Rehearse networking interviews (entretiens réseau) against simulated interlocutors."""

from pathlib import Path

__version__ = "0.1.0"

#: The repository root: personas/ and locales/ are data that ship beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
