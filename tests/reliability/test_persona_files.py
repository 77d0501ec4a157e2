"""Malformed persona files: each one gets a clear, located error, and the bot still starts.

Issue 6, point 3. Every broken file derives from a shipped persona with ONE thing broken
(its `id` follows the file name, so that nothing else is wrong). The interesting ones are
committed in `malformed_personas/` (their lines are frozen, so the table gives them as
numbers); the others are made at test time from the shipped files by one regular-expression
edit (their expected line is found in the edited text: the line that starts with `find`,
plus `offset`). Each case says which error it expects: field, line and a piece of message.

Cases marked with a `bug` are known faults of `bot/engine/personas.py`; their tests are
`xfail(strict=True)`, so fixing the fault turns them into failures to update here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from bot.engine.personas import (
    PERSONAS_DIR,
    InvalidPersona,
    load_persona_file,
    load_personas,
    parse_persona,
)

HERE = Path(__file__).parent
MALFORMED = HERE / "malformed_personas"
SHIPPED = sorted(PERSONAS_DIR.glob("[!_]*.yaml"))
SHIPPED_IDS = {path.stem for path in SHIPPED}
#: Pydantic and PyYAML wording a coach should not have to read.
JARGON = ("[type=", "pydantic", "errors.pydantic.dev", "Value error,", "<unicode string>")

# -- the cases ----------------------------------------------------------------------------------

#: Known faults, each the reason of an `xfail(strict=True)`.


@dataclass(frozen=True)
class Case:
    name: str
    #: The error expected: its field ("" for the file as a whole), a piece of its message…
    field: str
    message: str
    #: …and its line: a number (committed files), or the first line that starts with this
    #: text in the edited file, plus `offset`; None when no line can be given.
    line: int | str | None
    offset: int = 0
    #: How many errors the file gives in all.
    count: int = 1
    #: Generated cases: the shipped persona, and the edit (a multiline regex and its
    #: replacement, applied once) or a function of the whole text.
    source: str | None = None
    pattern: str | None = None
    repl: str = ""
    build: Callable[[str], str] | None = None
    #: A known fault: the reason, and the tests it makes fail ("located", "validate").
    bug: str | None = None
    bug_in: tuple[str, ...] = ("located",)
    #: The validator accepts this file today (a fault): left out of the folder tests.
    accepted: bool = False

    @property
    def committed(self) -> bool:
        return self.source is None

    def make(self) -> bytes:
        """The broken file's bytes (generated cases)."""
        assert self.source
        text = (PERSONAS_DIR / f"{self.source}.yaml").read_text(encoding="utf-8")
        text, n = re.subn(r"^id: .*$", f"id: {self.name}", text, count=1, flags=re.M)
        assert n == 1
        if self.build:
            text = self.build(text)
        else:
            assert self.pattern
            text, n = re.subn(self.pattern, self.repl, text, count=1, flags=re.M)
            assert n == 1, f"{self.name}: the edit no longer applies to {self.source}.yaml"
        return text.encode("utf-8")


def comment_out(text: str) -> str:
    return "".join(f"# {line}\n" for line in text.splitlines())


HUGE_FILLER = 9_000  # variants of ~115 characters: a 1 MB file


def huge(text: str) -> str:
    filler = "".join(
        f'      - "Hum. Autre chose ? Variante numéro {i:05d}, allongée pour peser lourd dans '
        f"le fichier ; rien d'autre à signaler ici.\"\n"
        for i in range(HUGE_FILLER)
    )
    text, n = re.subn(
        r"^(  no_question:\n    fr:\n)", rf"\g<1>{filler}      - 4040404\n", text, flags=re.M
    )
    assert n == 1
    return text


COMMITTED = [
    Case("tab_indentation", "", "invalid YAML: found character '\\t'", 18),
    # The quote opened on line 4 runs on; the parser notices on line 5.
    Case("unclosed_quote", "", "invalid YAML", 5),
    Case("empty", "", "expected a mapping of persona fields", 1),
    Case("only_a_list", "", "expected a mapping of persona fields", 1),
    Case("id_mismatch", "id", "must match the file name ('id_mismatch')", 1),
    Case("referral_without_name", "referral.give.en.1", "must say the name: use {name}", 344),
    Case("unknown_topic", "knowledge.salary.[key]", "unknown topic: use one of organisation", 149),
    Case("unknown_placeholder", "lines.time_warning.fr.0", "unknown placeholder {minute}", 298),
    Case("missing_topic", "knowledge", "missing topics: budget", 40),
    Case("latin1", "", "UTF-8", 7),
    Case(
        "control_character",
        "",
        "invalid YAML",
        162,
    ),
    Case(
        "duplicate_key",
        "temperament.warmth",
        "appears twice",
        25,
    ),
    Case(
        "placeholder_format_spec",
        "lines.late_excuse.fr.0",
        "takes no format",
        162,
    ),
]

GENERATED = [
    # -- YAML syntax
    Case(
        "colon_in_value", "", "mapping values are not allowed", "name:",
        source="chatty_expert", pattern=r"^name: (.+)$", repl=r"name: \1: la vraie",
    ),
    Case(
        "unclosed_flow_list", "", "invalid YAML", "  requires: [", offset=1,
        source="curious_host", pattern=r"^(  requires: \[[^\]\n]*)\]$", repl=r"\1",
    ),
    Case(
        "bad_indentation", "", "invalid YAML", "   warmth:",
        source="guarded_insider", pattern=r"^  warmth: ", repl="   warmth: ",
    ),
    Case(
        "second_document", "", "but found another document", "---\nbriefing:",
        source="puzzled_friend", pattern=r"^briefing:$", repl="---\nbriefing:",
    ),
    Case(
        "undefined_alias", "", "anchors and aliases", "name:",
        source="sceptic", pattern=r"^name: .+$", repl="name: *marc",
    ),
    Case(
        "python_tag", "", "could not determine a constructor", "name:",
        source="busy_executive", pattern=r"^name: .+$",
        repl='name: !!python/object/apply:os.system ["echo pwned"]',
    ),
    Case(
        "comments_only", "", "expected a mapping of persona fields", 1,
        source="laconic_host", build=comment_out,
    ),
    # -- missing fields
    Case(
        "missing_name", "name", "required field is missing", "id:",
        source="chatty_expert", pattern=r"^name: .+\n",
    ),
    Case(
        # A reaction left out entirely is inherited from personas/_defaults.yaml; one left
        # out in one language is an error.
        "missing_reaction", "lines.rude.en", "required field is missing", "  rude:",
        source="curious_host",
        pattern=r"^(  rude:\n    fr:\n(?:      - .*\n)+)    en:\n(?:      - .*\n)+",
        repl=r"\1",
    ),
    Case(
        "missing_english", "summary.en", "required field is missing", "summary:",
        source="guarded_insider", pattern=r"^(summary:\n  fr: .*\n)  en: .*\n", repl=r"\1",
    ),
    Case(
        "missing_schedule_field", "schedule.strict_end", "required field is missing",
        "schedule:", source="puzzled_friend", pattern=r"^  strict_end: .*\n",
    ),
    # -- wrong types
    Case(
        "word_for_integer", "temperament.patience", "valid integer", "  patience:",
        source="sceptic", pattern=r"^  patience: \d+$", repl="  patience: three",
    ),
    Case(
        "quoted_word_for_integer", "schedule.duration_minutes", "valid integer",
        "  duration_minutes:", source="busy_executive",
        pattern=r"^  duration_minutes: \d+$", repl='  duration_minutes: "fifteen"',
    ),
    Case(
        "fraction_for_integer", "temperament.patience", "fractional part", "  patience:",
        source="chatty_expert", pattern=r"^  patience: \d+$", repl="  patience: 3.5",
    ),
    Case(
        "list_for_mapping", "role", "valid dictionary", "role:",
        source="curious_host", pattern=r"^role:\n  fr: (.*)\n  en: (.*)$",
        repl=r"role:\n  - \1\n  - \2",
    ),
    Case(
        "text_for_mapping", "schedule", "valid dictionary", "schedule:",
        source="guarded_insider", pattern=r"^schedule:\n(?:  .*\n)+", repl="schedule: 30 minutes\n",
    ),
    Case(
        "text_for_list", "referral.requires", "valid list", "  requires:",
        source="puzzled_friend", pattern=r"^  requires: \[.*\]$", repl="  requires: introduction",
    ),
    Case(
        "mapping_for_text", "name", "valid string", "name:",
        source="sceptic", pattern=r"^name: .+$", repl="name: {fr: Marc, en: Mark}",
    ),
    Case(
        "number_for_text", "lines.yes.fr.0", "valid string", "      - 42",
        source="busy_executive", pattern=r'^(  "yes":\n    fr:\n      - ).*$', repl=r"\g<1>42",
    ),
    Case(
        "empty_value", "name", "valid string", "name:",
        source="laconic_host", pattern=r"^name: .+$", repl="name:",
    ),
    Case(
        "not_a_boolean", "schedule.strict_end", "valid boolean", "  strict_end:",
        source="chatty_expert", pattern=r"^  strict_end: \w+$", repl="  strict_end: maybe",
    ),
    # -- numbers out of range
    Case(
        "warmth_above_one", "temperament.warmth", "less than or equal to 1", "  warmth:",
        source="curious_host", pattern=r"^  warmth: [\d.]+$", repl="  warmth: 1.5",
    ),
    Case(
        "difficulty_above_three", "difficulty", "less than or equal to 3", "difficulty:",
        source="guarded_insider", pattern=r"^difficulty: \d$", repl="difficulty: 5",
    ),
    Case(
        "negative_lateness", "schedule.late_minutes", "greater than or equal to 0",
        "  late_minutes:", source="puzzled_friend",
        pattern=r"^  late_minutes: \d+$", repl="  late_minutes: -5",
    ),
    Case(
        "meeting_too_long", "schedule.duration_minutes", "less than or equal to 180",
        "  duration_minutes:", source="sceptic",
        pattern=r"^  duration_minutes: \d+$", repl="  duration_minutes: 500",
    ),
    Case(
        "zero_patience", "temperament.patience", "greater than or equal to 1", "  patience:",
        source="busy_executive", pattern=r"^  patience: \d+$", repl="  patience: 0",
    ),
    # -- values outside the lists
    Case(
        "unknown_answer_style", "temperament.closed_answers", "'bare', 'brief' or 'full'",
        "  closed_answers:", source="chatty_expert",
        pattern=r"^  closed_answers: \w+$", repl="  closed_answers: terse",
    ),
    Case(
        "unknown_register", "register", "'vous' or 'tu'", "register:",
        source="curious_host", pattern=r"^register: \w+$", repl="register: toi",
    ),
    Case(
        "unknown_requirement", "referral.requires.0", "'open_questions'", "  requires:",
        source="guarded_insider", pattern=r"^(  requires: \[)\w+", repl=r"\1introductoin",
    ),
    # -- the schema
    Case(
        "field_typo", "schedule.stritc_end", "unknown field (check its spelling)",
        "  stritc_end:", count=2,  # and schedule.strict_end is missing
        source="puzzled_friend", pattern=r"^  strict_end:", repl="  stritc_end:",
    ),
    Case(
        "unknown_language", "role.de", "unknown field (check its spelling)", "  de:",
        source="sceptic", pattern=r"^(role:\n)", repl=r'\1  de: "Berater"\n',
    ),
    Case(
        "empty_language_list", "lines.arrival.fr", "at least 1 item", "    fr: []",
        source="busy_executive",
        pattern=r"^(  arrival:\n)    fr:\n(?:      - .*\n)+", repl=r"\1    fr: []\n",
    ),
    Case(
        "too_few_answers", "knowledge.organisation.fr", "at least 3 items",
        "  organisation:\n", offset=1, source="chatty_expert",
        pattern=(
            r"^(  organisation:\n    fr:\n"
            r"(?:      - say: .*\n(?:        more:\n(?:          - .*\n)+)?){2})"
            r"(?:      - say: .*\n(?:        more:\n(?:          - .*\n)+)?)+"
        ),
        repl=r"\1",
    ),
    Case(
        "blank_text", "name", "at least 1 character", "name:",
        source="curious_host", pattern=r"^name: .+$", repl='name: "   "',
    ),
    Case(
        "bad_id", "id", "should match pattern", "id:",
        source="guarded_insider", build=lambda t: t.replace("id: bad_id\n", "id: Bad-Id\n", 1),
    ),
    Case(
        "anecdote_rate_without_anecdotes", "anecdotes.fr", "anecdote_rate is above 0",
        "  fr: []", source="laconic_host", count=2,
        pattern=r"^  anecdote_rate: [\d.]+$", repl="  anecdote_rate: 0.5",
    ),
    Case(
        "anecdotes_missing_language", "anecdotes", "needs a 'en' list", "anecdotes:",
        source="sceptic", pattern=r"^(anecdotes:\n  fr:\n(?:    - .*\n)*)  en:\n(?:    - .*\n)*",
        repl=r"\1",
    ),
    # -- placeholders
    Case(
        "unbalanced_brace", "lines.no_question.fr.0", "unbalanced '{' or '}'",
        "  no_question:\n", offset=2, source="puzzled_friend",
        pattern=r'^(  no_question:\n    fr:\n      - ".*?)"$', repl=r'\1 {"',
    ),
    Case(
        "placeholder_not_allowed_here", "lines.arrival.fr.0", "unknown placeholder {name}",
        "  arrival:\n", offset=2, source="sceptic",
        pattern=r'^(  arrival:\n    fr:\n      - ")', repl=r"\1{name}, ",
    ),
    Case(
        "positional_placeholder", "lines.goodbye.en.0", "unknown placeholder {}",
        '      - "{} ', source="chatty_expert",
        pattern=r'^(  goodbye:\n    fr:\n(?:      - .*\n)+    en:\n      - ")', repl=r"\1{} ",
    ),
    # -- size
    Case(
        "huge_file", f"lines.no_question.fr.{HUGE_FILLER}", "valid string", "      - 4040404",
        source="laconic_host", build=huge,
    ),
]  # fmt: skip

CASES = COMMITTED + GENERATED


@pytest.fixture(scope="module")
def generated_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("generated_personas")
    for case in GENERATED:
        (folder / f"{case.name}.yaml").write_bytes(case.make())
    return folder


def path_of(case: Case, generated_dir: Path) -> Path:
    return (MALFORMED if case.committed else generated_dir) / f"{case.name}.yaml"


def expected_line(case: Case, path: Path) -> int | None:
    if case.line is None or isinstance(case.line, int):
        return case.line
    text = path.read_text(encoding="utf-8")
    found = re.search("^" + re.escape(case.line), text, flags=re.M)
    assert found, f"{case.name}: no line starts with {case.line!r}"
    return text.count("\n", 0, found.start()) + 1 + case.offset


def params(kind: str, cases: list[Case] = CASES) -> list:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=case.bug)]
            if case.bug and kind in case.bug_in
            else [],
        )
        for case in cases
    ]


def test_enough_cases():
    assert len(CASES) + 2 >= 30  # + the duplicate id pair and the billion laughs
    assert len({case.name for case in CASES}) == len(CASES)
    assert sorted(p.stem for p in MALFORMED.glob("*.yaml")) == sorted(c.name for c in COMMITTED), (
        "a committed file without its row in the table (or the reverse)"
    )


def assert_readable(error, path: Path) -> None:
    text = str(error)
    assert "\n" not in text, f"not a one-liner: {text!r}"
    assert text.startswith(f"{path}:"), text
    assert (error.field or "(file)") in text
    assert error.message.strip() and len(error.message) <= 300, error.message
    assert not any(word in text for word in JARGON), text


# -- each file on its own -----------------------------------------------------------------------


@pytest.mark.parametrize("case", params("located"))
def test_error_is_located(case, generated_dir):
    path = path_of(case, generated_dir)
    with pytest.raises(InvalidPersona) as raised:
        load_persona_file(path)
    errors = raised.value.errors
    assert str(raised.value) == "\n".join(map(str, errors))
    for error in errors:
        assert error.file == str(path)
        assert_readable(error, path)
    line = expected_line(case, path)
    found = [(e.field, e.line, e.message) for e in errors]
    assert any(
        e.field == case.field and e.line == line and case.message.lower() in e.message.lower()
        for e in errors
    ), f"expected {case.field!r} on line {line} ({case.message!r}), got {found}"
    assert len(errors) == case.count, found


def run_bot(*args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    environ = dict(os.environ)
    environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(PROJECT_ROOT), environ.get("PYTHONPATH")])
    )
    environ.pop("TELEGRAM_BOT_TOKEN", None)
    environ["PYTHONIOENCODING"] = "utf-8"
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        cwd=PROJECT_ROOT,
        env=environ,
        timeout=timeout,
    )


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert "Traceback" not in proc.stdout, proc.stdout[-3000:]


#: One `validate` per file for a few kinds of fault (one process each costs ~0.3 s)…
ONE_BY_ONE = ("tab_indentation", "empty", "latin1", "id_mismatch", "word_for_integer")


@pytest.fixture(scope="module")
def validated(generated_dir) -> dict[str, subprocess.CompletedProcess]:
    """`python -m bot validate <file>`, a few processes at a time; "*": all files at once."""
    jobs = {name: [name] for name in ONE_BY_ONE}
    jobs["*"] = [case.name for case in CASES]
    by_name = {case.name: case for case in CASES}

    def validate(names: list[str]) -> subprocess.CompletedProcess:
        return run_bot("validate", *(str(path_of(by_name[n], generated_dir)) for n in names))

    with ThreadPoolExecutor(max_workers=max(2, min(6, os.cpu_count() or 2))) as pool:
        return dict(zip(jobs, pool.map(validate, jobs.values()), strict=True))


@pytest.mark.parametrize("name", ONE_BY_ONE)
def test_validate_command_exits_1_on_a_broken_file(name, validated, generated_dir):
    proc = validated[name]
    no_traceback(proc)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert not proc.stdout.strip()


@pytest.mark.parametrize("case", params("validate"))
def test_validate_command_rejects(case, validated, generated_dir):
    """…and one `validate` of every file: each is refused, with one-line errors of its own."""
    proc = validated["*"]
    no_traceback(proc)
    assert proc.returncode == 1
    path = path_of(case, generated_dir)
    assert f"{path}: ok (" not in proc.stdout
    # Split stderr into each file's block: a line that starts with no file's path is the
    # spill-over of a message that did not fit on one line, charged to the block it is in.
    blocks: dict[str, list[str]] = {}
    owner = None
    for text in proc.stderr.splitlines():
        owner = next(
            (c.name for c in CASES if text.startswith(f"{path_of(c, generated_dir)}:")), owner
        )
        blocks.setdefault(owner, []).append(text)
    own = blocks.get(case.name, [])
    assert own, proc.stderr
    assert all(line.startswith(f"{path}:") for line in own), own
    if not case.bug:
        line = expected_line(case, path)
        where = f"{path}:{line}" if line else str(path)
        assert any(x.startswith(f"{where}: {case.field or '(file)'}: ") for x in own), own


def test_validate_command_runs_a_python_tag_nowhere(validated):
    assert "pwned" not in validated["*"].stdout + validated["*"].stderr


# -- a folder of shipped and broken files ------------------------------------------------------

#: The 1 MB file is left out of the folders: it costs ~2 s per load (PyYAML in pure Python
#: parses it twice: compose, then load), and each file is already tested on its own.
BROKEN = [case for case in CASES if not case.accepted and case.name != "huge_file"]


@pytest.fixture(scope="module")
def mixed_dir(tmp_path_factory, generated_dir) -> Path:
    """The seven shipped personas and every broken file the validator rejects today."""
    folder = tmp_path_factory.mktemp("mixed_personas")
    for path in SHIPPED:
        shutil.copy(path, folder / path.name)
    for case in BROKEN:
        shutil.copy(path_of(case, generated_dir), folder / f"{case.name}.yaml")
    return folder


def test_folder_keeps_the_valid_personas(mixed_dir):
    personas = load_personas(mixed_dir, skip_invalid=True)
    assert {p.id for p in personas} == SHIPPED_IDS
    reported = {Path(error.file).stem for error in personas.errors}
    assert reported == {case.name for case in BROKEN}
    assert all(Path(error.file).stem not in SHIPPED_IDS for error in personas.errors)


def test_folder_refuses_to_start_when_strict(mixed_dir):
    with pytest.raises(InvalidPersona) as raised:
        load_personas(mixed_dir, skip_invalid=False)
    reported = {Path(error.file).stem for error in raised.value.errors}
    assert reported == {case.name for case in BROKEN}, "the start must list every bad file"
    assert all(f"{case.name}.yaml" in str(raised.value) for case in BROKEN)


@pytest.fixture(scope="module")
def folder_runs(mixed_dir, tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """The commands that read the mixed folder, run side by side (each loads it: ~2 s)."""
    db = tmp_path_factory.mktemp("telegram_db") / "bot.sqlite3"
    folder = {"PERSONAS_DIR": str(mixed_dir)}
    jobs = {
        "personas": lambda: run_bot("personas", **folder, PERSONAS_SKIP_INVALID="true"),
        "personas strict": lambda: run_bot("personas", **folder, PERSONAS_SKIP_INVALID="false"),
        # Unreachable API: should the start go past the personas, it fails fast offline.
        "telegram strict": lambda: run_bot(
            "telegram",
            timeout=30,
            TELEGRAM_BOT_TOKEN="1:x",
            TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
            DATABASE_URL=f"sqlite:///{db}",
            **folder,
            PERSONAS_SKIP_INVALID="false",
        ),
    }
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def test_personas_command_lists_the_valid_ones_and_warns(folder_runs):
    proc = folder_runs["personas"]
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    listed = {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}
    assert listed == SHIPPED_IDS
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: skipped")]
    for case in BROKEN:
        assert any(f"{case.name}.yaml" in line for line in warnings), case.name


def test_personas_command_stops_when_strict(folder_runs):
    proc = folder_runs["personas strict"]
    no_traceback(proc)
    assert proc.returncode == 1, proc.stdout
    for case in BROKEN:
        assert f"{case.name}.yaml" in proc.stderr, case.name


def test_personas_command_with_no_valid_persona(tmp_path, generated_dir):
    for case in BROKEN[:5]:
        shutil.copy(path_of(case, generated_dir), tmp_path / f"{case.name}.yaml")
    proc = run_bot("personas", PERSONAS_DIR=str(tmp_path), PERSONAS_SKIP_INVALID="true")
    no_traceback(proc)
    assert proc.returncode == 1
    assert "No valid persona" in proc.stderr


def test_telegram_app_starts_with_the_valid_ones(mixed_dir, tmp_path):
    from bot.channels.telegram.app import create
    from bot.settings import Settings

    env = {"TELEGRAM_BOT_TOKEN": "1:x", "DATABASE_URL": f"sqlite:///{tmp_path}/bot.sqlite3"}
    lenient = {**env, "PERSONAS_DIR": str(mixed_dir), "PERSONAS_SKIP_INVALID": "true"}
    app = create(Settings.from_env(lenient), rate_limit=False)
    rehearsals = app.bot_data["rehearsals"]
    try:
        assert {p.id for p in rehearsals.personas} == SHIPPED_IDS
        assert {Path(e.file).stem for e in rehearsals.personas.errors} == {
            case.name for case in BROKEN
        }
    finally:
        rehearsals.storage.close()

    # Strict, on a smaller folder (loading the whole mixed one again costs seconds).
    small = tmp_path / "small"
    small.mkdir()
    for path in [*SHIPPED, *(mixed_dir / f"{case.name}.yaml" for case in BROKEN[:3])]:
        shutil.copy(path, small / path.name)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/strict.sqlite3"
    strict = {**env, "PERSONAS_DIR": str(small), "PERSONAS_SKIP_INVALID": "false"}
    with pytest.raises(InvalidPersona) as raised:
        create(Settings.from_env(strict), rate_limit=False)
    assert {Path(e.file).stem for e in raised.value.errors} == {c.name for c in BROKEN[:3]}
    assert not (tmp_path / "strict.sqlite3").exists()


def test_telegram_command_stops_cleanly_when_strict(folder_runs):
    proc = folder_runs["telegram strict"]
    no_traceback(proc)
    assert proc.returncode == 1
    for case in BROKEN:
        assert f"{case.name}.yaml" in proc.stderr, case.name


# -- two files, one id ---------------------------------------------------------------------------


def test_duplicate_id_keeps_the_first_file():
    """`nadia.yaml` and `nadia_copy.yaml` both say `id: nadia`: the copy is refused.

    The id must equal the file name, so two files of one folder can never share an id:
    the duplicate is caught as a name mismatch, located on the copy's `id` line.
    """
    folder = MALFORMED / "duplicate_id"
    personas = load_personas(folder, skip_invalid=True)
    assert [p.id for p in personas] == ["nadia"]
    [error] = personas.errors
    assert error.file == str(folder / "nadia_copy.yaml")
    assert (error.field, error.line) == ("id", 1)
    assert "nadia_copy" in error.message
    assert_readable(error, folder / "nadia_copy.yaml")
    with pytest.raises(InvalidPersona) as raised:
        load_personas(folder, skip_invalid=False)
    assert raised.value.errors == [error]


# -- what must still load ------------------------------------------------------------------------

TOLERATED = {
    "crlf_line_ends": lambda text: text.replace("\n", "\r\n"),
    "utf8_bom": lambda text: "\ufeff" + text,
    "unquoted_yes_no_keys": lambda text: text.replace('  "yes":\n', "  yes:\n").replace(
        '  "no":\n', "  no:\n"
    ),
    "comments_and_blank_lines": lambda text: (
        "# a coach's note\n\n" + text.replace("\nlines:\n", "\n\n# reactions\nlines:\n")
    ),
}


@pytest.mark.parametrize("edit", TOLERATED.values(), ids=TOLERATED.keys())
@pytest.mark.parametrize("source", ["laconic_host", "guarded_insider"])
def test_harmless_variations_still_load(source, edit, tmp_path):
    shipped = load_persona_file(PERSONAS_DIR / f"{source}.yaml")
    path = tmp_path / f"{source}.yaml"
    path.write_bytes(edit((PERSONAS_DIR / f"{source}.yaml").read_text("utf-8")).encode("utf-8"))
    assert load_persona_file(path) == shipped


# -- a file that takes forever ------------------------------------------------------------------

BOMB_TIMEOUT = 5  # seconds: a shipped file validates in ~0.3 s, process start included


def billion_laughs(text: str, levels: int = 9) -> str:
    block = '  l0: &l0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]\n'
    for i in range(1, levels + 1):
        block += f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n"
    return text.replace("\nlines:\n", f"\nlaughs:\n{block}lines:\n", 1)


def test_billion_laughs_is_refused_quickly(tmp_path):
    source = (PERSONAS_DIR / "laconic_host.yaml").read_text("utf-8")
    path = tmp_path / "billion_laughs.yaml"
    path.write_text(billion_laughs(source.replace("id: laconic_host", "id: billion_laughs")))
    # a few hundred bytes more than the persona, that would expand to gigabytes
    assert path.stat().st_size < len(source.encode()) + 2_000
    try:
        proc = run_bot("validate", str(path), timeout=BOMB_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"validate still running after {BOMB_TIMEOUT} s")
    no_traceback(proc)
    assert proc.returncode == 1
    assert "anchors and aliases" in proc.stderr


def test_even_a_small_alias_tree_is_refused_with_its_line():
    """Anchors and aliases are refused outright: a persona never needs them."""
    source = (PERSONAS_DIR / "laconic_host.yaml").read_text("utf-8")
    text = billion_laughs(source, levels=2)
    with pytest.raises(InvalidPersona) as raised:
        parse_persona(text, "x.yaml", expected_id="laconic_host")
    [error] = raised.value.errors
    assert "anchors and aliases" in error.message
    assert text.splitlines()[error.line - 1].lstrip().startswith("l0: &l0")
