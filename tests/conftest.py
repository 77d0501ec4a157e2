"""Fixtures shared across the suite: the shipped personas, and the service on a temporary
database (real SQLite file, real YAML)."""

from __future__ import annotations

import pytest

from bot.engine.personas import PersonaSet, load_personas
from bot.rehearsals import Rehearsals
from bot.storage.sqlite import SqliteDatabase
from tests.auxil.service import User


@pytest.fixture(scope="session")
def shipped_personas() -> PersonaSet:
    return load_personas()


@pytest.fixture
def service(shipped_personas, tmp_path):
    """The service as every channel uses it, on a fresh database file."""
    storage = SqliteDatabase(tmp_path / "bot.sqlite3")
    yield Rehearsals(shipped_personas, storage, "fr")
    storage.close()


@pytest.fixture
def user(service) -> User:
    return User(service, 1001)
