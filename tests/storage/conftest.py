"""Every storage test runs on SQLite and on PostgreSQL (`tests.auxil.storage`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from bot.rehearsals import Rehearsals
from bot.storage import open_database
from bot.storage.interface import Database
from tests.auxil.storage import BACKENDS, postgres_schema


@pytest.fixture(params=BACKENDS)
def open_db(request, tmp_path) -> Iterator[Callable[[], Database]]:
    """Opens a storage on this test's one database, as often as called (several processes
    on one database); all are closed after the test."""
    with ExitStack() as stack:
        if request.param == "postgres":
            target: object = stack.enter_context(postgres_schema())
        else:
            target = tmp_path / "bot.sqlite3"

        def opener() -> Database:
            storage = open_database(target)  # type: ignore[arg-type]
            stack.callback(storage.close)
            return storage

        yield opener


@pytest.fixture
def db(open_db) -> Database:
    return open_db()


@pytest.fixture
def service(shipped_personas, db) -> Rehearsals:
    """The service as every channel uses it, on a fresh database of each backend."""
    return Rehearsals(shipped_personas, db, "fr")
