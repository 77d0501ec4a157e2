"""The rubric's numbers (`rubric.yaml`): trust moves, clock, criterion weights, what trains what.

Its own module because both the meeting and the coach read it, and the meeting calls the
coach: neither can import it from the other.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml


@cache
def rubric() -> dict[str, Any]:
    with Path(__file__).with_name("rubric.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
