"""Pictures are drawn by worker processes, one per core but the bot's own."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.telegram import pictures


@pytest.mark.parametrize(
    ("cores", "expected"), [(1, 1), (2, 1), (3, 2), (4, 3), (8, pictures.MAX_WORKERS)]
)
def test_one_worker_per_core_but_the_bots(cores: int, expected: int) -> None:
    assert pictures.workers(cores) == expected


def test_the_workers_start_and_draw() -> None:
    async def run() -> list[bytes]:
        await pictures.warm_up()
        return await asyncio.gather(*(pictures.draw(bytes, [i]) for i in range(3)))

    try:
        assert asyncio.run(run()) == [bytes([i]) for i in range(3)]
        assert pictures._pool is not None
        assert len(pictures._pool._processes) == pictures.workers()
    finally:
        pictures.shutdown()
    assert pictures._pool is None
