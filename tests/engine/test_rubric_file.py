"""`rubric.yaml` is a coach's file: validated at start, every error with file, line and field.

The located check is the command line's (`bot.__main__.rubric_errors`: the persona files'
YAML reader with the rubric's schema); `load_rubric` / `rubric()` validate what they return.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.__main__ import rubric_errors
from bot.engine.coach import CRITERIA
from bot.engine.personas import PersonaError
from bot.engine.rubric import RUBRIC_FILE, InvalidRubric, Trains, Weights, load_rubric, rubric

SHIPPED = RUBRIC_FILE.read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the shipped rubric with one edit, and the line of the edit."""
    assert SHIPPED.count(old) == 1, old
    text = SHIPPED.replace(old, new)
    path = tmp_path / "rubric.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text.count("\n", 0, text.index(new)) + 1


def errors_of(path: Path) -> list[PersonaError]:
    errors = rubric_errors(path)
    assert errors
    if not any(e.message == "this field appears twice" for e in errors):  # YAML reads those
        with pytest.raises(InvalidRubric):  # never loaded, even without the start check
            load_rubric(path)
    return errors


def test_shipped_rubric_is_valid():
    assert rubric_errors() == []
    data = load_rubric()
    assert data == yaml.safe_load(SHIPPED)  # the same shape the callers have always read
    assert rubric() is rubric()  # cached


def test_the_schema_names_the_coach_criteria():
    assert tuple(Weights.model_fields) == tuple(Trains.model_fields) == CRITERIA


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        ("  listening: 0.05\n", "  listenning: 0.05\n", "trust.listenning", "unknown field"),
        ("  introduction: 12\n", '  introduction: "twelve"\n', "weights.introduction", "integer"),
        ("  introduction: 12\n", '  introduction: "12"\n', "weights.introduction", "integer"),
        ("  early_share: 0.4\n", "  early_share: 1.5\n", "notes.early_share", "less than or equal"),
        ("  high: 80\n  medium: 40\n", "  high: 40\n  medium: 80\n", "bands.high", "above"),
        ("  closing: 10\n# Open", "  closin: 10\n# Open", "weights.closin", "unknown field"),
        ("  closing: busy_executive\n", "  closing: 3\n", "trains.closing", "string"),
        ("  high: 80\n", "  high: 80\n  high: 90\n", "bands.high", "appears twice"),
    ],
    ids=["misspelled", "string", "quoted", "share", "bands", "weights", "trains", "twice"],
)
def test_an_error_names_file_line_and_field(tmp_path, old, new, field, says):
    path, line = broken(tmp_path, old, new)
    errors = errors_of(path)
    error = next(e for e in errors if e.field == field)
    if says == "appears twice":
        line += 1  # the second one is the duplicate
    assert (error.file, error.line) == (str(path), line), errors
    assert says in error.message
    assert str(error).startswith(f"{path}:{line}: {field}: ")


def test_a_misspelled_criterion_is_also_missing(tmp_path):
    path, _ = broken(tmp_path, "  closing: 10\n# Open", "  closin: 10\n# Open")
    missing = next(e for e in errors_of(path) if e.field == "weights.closing")
    assert missing.line == SHIPPED[: SHIPPED.index("weights:")].count("\n") + 1
    assert missing.message == "required field is missing"


def test_bad_yaml_and_empty_file(tmp_path):
    path, line = broken(tmp_path, "  medium: 40\n", "  medium: 40: 3\n")
    (error,) = errors_of(path)
    assert error.line == line and "invalid YAML" in error.message
    path.write_text("", encoding="utf-8")
    (error,) = errors_of(path)
    assert "rubric fields" in error.message


def test_load_rubric_names_file_and_field(tmp_path):
    path, _ = broken(tmp_path, "  introduction: 12\n", '  introduction: "twelve"\n')
    with pytest.raises(InvalidRubric) as caught:
        load_rubric(path)
    assert str(caught.value) == f"{path}: weights.introduction: Input should be a valid integer"


def _cli(rubric_file: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m bot …` with the rubric read from another file (the shipped one is the
    package's own: it has no setting to move it)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env["PYTHONIOENCODING"] = "utf-8"
    code = (
        "import sys; from pathlib import Path; import bot.engine.rubric as r; "
        "r.RUBRIC_FILE = Path(sys.argv[1]); from bot.__main__ import main; "
        "sys.exit(main(sys.argv[2:]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(rubric_file), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=PROJECT_ROOT,
        env=env,
        timeout=60,
    )


def test_cli_on_a_broken_rubric_exits_2_with_one_line(tmp_path):
    path, line = broken(tmp_path, "  introduction: 12\n", '  introduction: "twelve"\n')
    proc = _cli(path, "personas")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"Invalid rubric: {path}:{line}: weights.introduction: Input should be a valid integer"
    ]


def test_cli_on_the_shipped_rubric_lists_personas():
    proc = _cli(RUBRIC_FILE, "personas")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
