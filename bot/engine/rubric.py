"""The rubric's numbers (`rubric.yaml`): trust moves, clock, criterion weights, what trains what.

Its own module because both the meeting and the coach read it, and the meeting calls the
coach: neither can import it from the other.

A coach may tune the file, so it is validated like a persona file: `rubric()` returns only
validated data (`Rubric`), and the command line checks the file at start, each error with
the file, the line and the field (`bot.__main__`, with the persona files' YAML reader: this
module cannot import it, since the personas import the coach, which imports this module).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

RUBRIC_FILE = Path(__file__).with_name("rubric.yaml")

#: A trust move: trust lives in 0..1, so a move is between -1 and 1.
TrustMove = Annotated[float, Field(ge=-1.0, le=1.0)]
#: A share of something, or a trust level.
Share = Annotated[float, Field(ge=0.0, le=1.0)]
#: A score, or points of a score (out of 100).
Score = Annotated[int, Field(ge=0, le=100)]
#: A count that divides (how many make full marks): at least 1.
Enough = Annotated[int, Field(ge=1)]
Count = Annotated[int, Field(ge=0)]
Minutes = Annotated[float, Field(ge=0.0)]
Rate = Annotated[float, Field(gt=0.0)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    # Strict: "12" or 12.5 is not a weight, `yes` is not a number (an int is still a float).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Trust(_Strict):
    open_question: TrustMove
    closed_question: TrustMove
    closed_streak_beyond_patience: TrustMove
    listening: TrustMove
    introduction: TrustMove
    link: TrustMove
    purpose: TrustMove
    assets: TrustMove
    preparation: TrustMove
    notes_permission: TrustMove
    give_back: TrustMove
    thanks: TrustMove
    keep_informed: TrustMove
    confidential_request: TrustMove
    own_pay: TrustMove
    job_request: TrustMove
    rambling: TrustMove
    rude: TrustMove
    referrer_mentioned: TrustMove


class Clock(_Strict):
    per_turn: Minutes
    user_words_per_minute: Rate
    persona_words_per_minute: Rate
    warning_minutes: Minutes
    grace_minutes: Minutes


class Weights(_Strict):
    """Weight of each criterion (the coach's `CRITERIA`, in its order) in the overall score."""

    introduction: Count
    assets: Count
    open_questions: Count
    active_listening: Count
    preparation: Count
    notes_permission: Count
    respect: Count
    referral: Count
    give_back: Count
    closing: Count


class Trains(_Strict):
    """The persona (an id: personas may be replaced, so any name) that trains each criterion."""

    introduction: Name
    assets: Name
    open_questions: Name
    active_listening: Name
    preparation: Name
    notes_permission: Name
    respect: Name
    referral: Name
    give_back: Name
    closing: Name


class Bands(_Strict):
    high: Score
    medium: Score


class Introduction(_Strict):
    #: The score for 0, 1, 2 or 3 parts.
    parts: Annotated[list[Score], Field(min_length=4, max_length=4)]
    early_lines: Count
    late_penalty: Score
    late_share: Share


class Assets(_Strict):
    vague: Score
    experience: Score


class GiveBack(_Strict):
    vague: Score


class Notes(_Strict):
    early_lines: Count
    early_share: Share
    late: Score


class Respect(_Strict):
    confidential_request: Score
    job_request: Score
    rude: Score
    overtime: Score
    # `register` would shadow the model class's own (ABC) `register`: the YAML key and the
    # returned dict still say `register`.
    register_: Score = Field(alias="register")


class Referral(_Strict):
    asked: Score
    qualified: Score


class Preparation(_Strict):
    research_share: Share
    specific_words: Count
    admitted_little_max: Score


class Lessons(_Strict):
    steer_reply_words: Enough
    pitch_words: Enough


class Rubric(_Strict):
    """The whole of `rubric.yaml`."""

    trust: Trust
    clam_threshold: Share
    rambling_words: Enough
    clock: Clock
    weights: Weights
    enough_questions: Enough
    open_share_for_full_marks: Annotated[float, Field(gt=0.0, le=1.0)]
    enough_follow_ups: Enough
    enough_topics: Enough
    trains: Trains
    bands: Bands
    introduction: Introduction
    assets: Assets
    give_back: GiveBack
    notes: Notes
    respect: Respect
    referral: Referral
    preparation: Preparation
    lessons: Lessons


def _consistency_errors(data: Rubric) -> Iterator[tuple[tuple, str]]:
    """Rules across fields, each located at the field to fix."""
    if not sum(data.weights.model_dump().values()):
        yield ("weights",), "at least one weight must be above 0"
    if data.bands.high <= data.bands.medium:
        yield ("bands", "high"), f"must be above bands.medium ({data.bands.medium})"
    if data.referral.asked + data.referral.qualified > 100:
        yield ("referral",), "asked + qualified must be at most 100 (a score is out of 100)"


def problems(data: object) -> list[tuple[tuple, str]]:
    """Every problem of a rubric document, as (field path, message); none when it is valid."""
    return _validate(data)[1]


def _validate(data: object) -> tuple[Rubric | None, list[tuple[tuple, str]]]:
    try:
        model = Rubric.model_validate(data)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            message = err["msg"]
            if err["type"] == "extra_forbidden":
                message = "unknown field (check its spelling)"
            elif err["type"] == "missing":
                message = "required field is missing"
            elif err["type"] == "model_type" and not loc:
                message = "expected a mapping of rubric fields"
            elif loc == ("introduction", "parts") and err["type"] in ("too_short", "too_long"):
                message = "expected 4 scores: for 0, 1, 2 and 3 parts"
            out.append((loc, message))
        return None, out
    return model, list(_consistency_errors(model))


def field_name(loc: Iterable) -> str:
    return ".".join(str(p) for p in loc)


class InvalidRubric(ValueError):
    """A rubric file that cannot be used; `errors` are (field path, message) pairs, and
    `str()` is one line per error, with the file and the field."""

    def __init__(self, file: str, errors: list[tuple[tuple, str]]) -> None:
        super().__init__(
            "\n".join(
                f"{file}: {field_name(loc) or '(file)'}: {message}" for loc, message in errors
            )
        )
        self.file = file
        self.errors = errors


def load_rubric(path: Path | None = None) -> dict[str, Any]:
    """Validate a rubric file (the shipped one by default) and return its data as a dict.

    Raises `InvalidRubric` with every problem.
    """
    path = RUBRIC_FILE if path is None else path
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidRubric(str(path), [((), f"cannot read: {exc}")]) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InvalidRubric(str(path), [((), f"invalid YAML: {problem}")]) from None
    model, errors = _validate(data)
    if errors or model is None:
        raise InvalidRubric(str(path), errors)
    return model.model_dump(by_alias=True)


@cache
def rubric() -> dict[str, Any]:
    """The rubric (`RUBRIC_FILE`), validated once (see `load_rubric`)."""
    return load_rubric()
