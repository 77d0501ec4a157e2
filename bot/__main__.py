"""The command line: rehearse in the terminal, check persona files, run the Telegram bot.

With no command, runs the Telegram bot when `TELEGRAM_BOT_TOKEN` is set, the terminal
rehearsal otherwise (what `make run` does).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings

try:
    from bot.i18n import LANGUAGES
except ModuleNotFoundError as missing:  # a Python without the project's dependencies
    sys.exit(
        f"python -m bot needs the project's dependencies (missing: {missing.name}).\n"
        "In a checkout, `make run` builds them into .venv once; then use "
        "`.venv/bin/python -m bot ...` (or activate .venv first). "
        "Or install the package: pip install ."
    )


def rubric_errors(path: Path | None = None) -> list:
    """Every problem of the rubric file (`bot/engine/rubric.yaml` by default), located as a
    persona file's are (file, line, field), none when it is valid.

    Read with the persona files' YAML reader (it also refuses duplicate keys and anchors)
    and checked with the rubric's schema; `bot.engine.rubric` cannot import that reader
    (the personas import the coach, which imports the rubric), so they meet here.
    """
    from dataclasses import replace

    from bot.engine import rubric as rubric_file
    from bot.engine.personas import (
        InvalidPersona,
        PersonaError,
        _field_name,
        _line_index,
        _locate,
        _read_yaml,
    )

    path = rubric_file.RUBRIC_FILE if path is None else path
    file = str(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [PersonaError(file, line, "", "not UTF-8 text: save the file as UTF-8")]
    except OSError as exc:
        return [PersonaError(file, None, "", f"cannot read: {exc}")]
    try:
        node, data = _read_yaml(text, file)
    except InvalidPersona as exc:
        return [
            replace(e, message=e.message.replace("persona fields", "rubric fields"))
            for e in exc.errors
        ]
    lines = _line_index(node)
    return [
        PersonaError(file, _locate(loc, lines), _field_name(loc), message)
        for loc, message in rubric_file.problems(data)
    ]


def _check_rubric() -> None:
    """The rubric's numbers, validated at start: a bad file is one line per error (file,
    line, field) and exit 2, a configuration error; never a traceback in a meeting."""
    from bot.engine.rubric import rubric

    errors = rubric_errors()
    for error in errors:
        print(f"Invalid rubric: {error}", file=sys.stderr)
    if errors:
        raise SystemExit(2)
    rubric()  # read once, now


def _load_personas():
    """The personas, or a clear message and exit 1: never a traceback.

    With PERSONAS_SKIP_INVALID (default true) invalid files are skipped with a warning.
    The rubric is checked first (`_check_rubric`).
    """
    from bot.engine.personas import InvalidPersona, load_personas
    from bot.settings import Settings

    _check_rubric()
    settings = Settings.from_env()
    try:
        personas = load_personas(settings.personas_dir, skip_invalid=settings.personas_skip_invalid)
    except InvalidPersona as exc:
        print(f"Invalid persona files:\n{exc}", file=sys.stderr)
        raise SystemExit(1) from None
    for error in personas.errors:
        print(f"warning: skipped {error}", file=sys.stderr)
    if not personas.personas:
        print("No valid persona: nothing to rehearse.", file=sys.stderr)
        raise SystemExit(1)
    return personas


def _persona_or_exit(personas, persona_id: str, lang: str | None = None):
    if persona_id not in personas:
        known = ", ".join(p.id for p in personas)
        print(f"Unknown persona {persona_id!r}. Available: {known}", file=sys.stderr)
        raise SystemExit(2)
    persona = personas[persona_id]
    if lang and not persona.speaks(lang):
        print(
            f"Persona {persona_id!r} is written in {', '.join(persona.languages)} only.",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return persona


def cmd_console(args: argparse.Namespace) -> int:
    """The terminal rehearsal. A person at a terminal chooses the language unless `--lang`
    says it; piped input gets `--lang` or DEFAULT_LANGUAGE without a question."""
    from bot.channels.terminal import console, console_database
    from bot.rehearsals import Rehearsals
    from bot.settings import Settings
    from bot.storage import open_database

    personas = _load_personas()
    if args.persona:
        _persona_or_exit(personas, args.persona, args.lang)
    default = Settings.from_env().default_language
    lang = args.lang or (None if sys.stdin.isatty() else default)
    database, save_dir = console_database()
    storage = open_database(database)
    try:
        rehearsals = Rehearsals(personas, storage, args.lang or default)
        return console(
            rehearsals,
            lang,
            args.persona,
            save_dir=save_dir,
            history=save_dir.parent / "console_history",
        )
    finally:
        storage.close()


def cmd_play(args: argparse.Namespace) -> int:
    from bot.channels.terminal import play, play_json, print_play

    personas = _load_personas()
    persona = _persona_or_exit(personas, args.persona, args.lang)
    result = play(persona, args.lang, sys.stdin, seed=args.seed, hints=not args.no_hints)
    if args.scorecard:
        from bot.channels.terminal import Feedback
        from bot.charts import scorecard_png

        feedback = Feedback.from_json(result["feedback"])
        Path(args.scorecard).write_bytes(scorecard_png(feedback, persona, args.lang))
    if args.json:
        print(play_json(result))
    else:
        print_play(result, persona, sys.stdout)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the persona format as JSON Schema (personas/persona.schema.json is this output)."""
    from bot.engine.personas import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Play a meeting from standard input and list the host's incoherences (exit 1 if any)."""
    from bot.channels.terminal import play
    from bot.engine.transcripts import check

    personas = _load_personas()
    persona = _persona_or_exit(personas, args.persona, args.lang)
    result = play(persona, args.lang, sys.stdin, seed=args.seed, hints=False)
    violations = check(result["_meeting"])
    if args.json:
        print(json.dumps([v.to_json() for v in violations], ensure_ascii=False, indent=2))
    else:
        for v in violations:
            print(f"turn {v.turn}: {v.rule}: {v.reply}")
        print(f"{len(violations)} violation(s) in {len(result['turns'])} turns")
    return 1 if violations else 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from bot.engine.analysis import analyse

    for line in sys.stdin:
        text = line.rstrip("\n")
        print(json.dumps(analyse(text, args.lang).to_json(), ensure_ascii=False), flush=True)
    return 0


def cmd_personas(args: argparse.Namespace) -> int:
    personas = _load_personas()
    if args.json:
        data = [
            {
                "id": p.id,
                "name": p.name,
                "role": p.role.get(args.lang),
                "sector": p.sector.get(args.lang),
                "difficulty": p.difficulty,
                "duration_minutes": p.schedule.duration_minutes,
                "description": p.summary.get(args.lang),
            }
            for p in personas.speaking(args.lang)
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for p in personas.speaking(args.lang):
            print(f"{p.id:<18} {'★' * p.difficulty:<3} {p.name} — {p.summary.get(args.lang)}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from bot.engine.personas import InvalidPersona, load_persona_file

    status = 0
    for name in args.paths:
        path = Path(name)
        files = sorted(path.glob("[!_]*.yaml")) if path.is_dir() else [path]
        for file in files:
            try:
                persona = load_persona_file(file)
            except InvalidPersona as exc:
                status = 1
                for error in exc.errors:
                    print(error, file=sys.stderr)
            else:
                print(f"{file}: ok ({persona.id})")
                if not all(persona.speaks(lang) for lang in ("fr", "en")):
                    only = ", ".join(persona.languages)
                    print(f"{file}: warning: written in {only} only, offered in {only} only")
    return status


def _print_confusion(report, errors: int) -> None:
    """The most frequent confusions of a tune half (never of a holdout: it stays unseen)."""
    if errors and report.split != "holdout":
        for key, count in sorted(report.confusion.items(), key=lambda kv: -kv[1])[:20]:
            print(f"    {count:>3}  {key}")


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation import (
        EVAL_DIR,
        evaluate,
        evaluate_dialogue,
        evaluate_feedback,
        evaluate_intents,
        format_report,
        load_set,
    )

    if not EVAL_DIR.is_dir():  # the labelled sets are not installed with the package
        print(f"eval needs the labelled sets of a source checkout: no {EVAL_DIR}", file=sys.stderr)
        return 2
    _check_rubric()
    langs = [args.lang] if args.lang else list(LANGUAGES)
    if args.set == "analysis":
        reports = [evaluate(lang, load_set(lang)) for lang in langs]
        if args.json:
            print(json.dumps({r.lang: r.to_json() for r in reports}, ensure_ascii=False, indent=2))
        else:
            print("\n\n".join(format_report(r, show_errors=args.errors) for r in reports))
        return 0
    splits = [args.split] if args.split else ["tune", "holdout"]
    out: dict[str, list] = {"dialogue": [], "intents": [], "feedback": []}
    for lang in langs:
        for split in splits:
            if args.set in ("dialogue", "all"):
                out["dialogue"].append(evaluate_dialogue(lang, split))
            if args.set in ("intents", "all"):
                out["intents"].append(evaluate_intents(lang, split))
            if args.set in ("feedback", "all"):
                out["feedback"].append(evaluate_feedback(lang, split))
    if args.json:
        print(
            json.dumps(
                {k: [r.to_json() for r in v] for k, v in out.items() if v},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for report in out["dialogue"]:
        data = report.to_json()
        print(
            f"dialogue {report.lang} {report.split:<8} n={report.size:<4} "
            f"routing {data['accuracy']:.3f} (acts {data['act_accuracy']:.3f}, "
            f"topics {data['topic_accuracy']:.3f}); target {data['target']}"
        )
        _print_confusion(report, args.errors)
    for report in out["feedback"]:
        data = report.to_json()
        print(
            f"feedback {report.lang} {report.split:<8} n={report.meetings:<4} "
            f"bands {data['bands']:.3f}  evidence {data['evidence']:.3f}; target {data['target']}"
        )
        _print_confusion(report, args.errors)
    for report in out["intents"]:
        data = report.to_json()
        recall = "  ".join(f"{k} {v:.2f}" for k, v in data["recall"].items())
        print(
            f"intents  {report.lang} {report.split:<8} n={report.size:<4} recall: {recall}; "
            f"false alarms {data['false_alarm_rate']:.3f}"
        )
        if args.errors and report.split != "holdout":
            for error in report.errors[: args.errors]:
                print(f"    {error['expected']:<22} got {error['got']}: {error['text']}")
    return 0


def cmd_health(args: argparse.Namespace) -> int:
    """What a container's HEALTHCHECK asks: could the bot serve now?

    The personas load, both catalogues load, and the database file opens as SQLite (or the
    PostgreSQL server answers). It checks what the bot needs, not that the running process
    answers Telegram (polling has no port).
    """
    from bot.i18n import translations
    from bot.settings import Settings

    personas = _load_personas()
    for lang in LANGUAGES:
        translations(lang)
    where, problem = _database_problem(Settings.from_env())
    if problem is not None:
        print(f"database {where}: {problem}", file=sys.stderr)
        return 1
    print(f"ok: {len(personas.personas)} personas, database {where}")
    return 0


def _database_problem(settings: Settings) -> tuple[str, str | None]:
    """The database as `health` names it (a URL without its password), and why it cannot be
    used now (None: it answers)."""
    if settings.postgres:
        import psycopg

        from bot.settings import redact
        from bot.storage.postgres.database import one_line

        where = redact(settings.database_url)
        try:
            with psycopg.connect(settings.database_url, connect_timeout=5) as db:
                db.execute("SELECT 1").fetchone()
        except psycopg.Error as exc:
            return where, one_line(exc)
        return where, None
    import sqlite3

    path = settings.database_path
    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as db:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        return str(path), str(exc)
    return str(path), None


def cmd_telegram(args: argparse.Namespace) -> int:
    from bot.channels.telegram.app import run
    from bot.settings import Settings

    _check_rubric()
    return run(Settings.from_env())


def cmd_auto(args: argparse.Namespace) -> int:
    """The Telegram bot with a token, the terminal rehearsal without one; with neither a
    token nor a terminal (a service whose token is missing or misspelt), a clear error:
    exit 2, as for any configuration error, so a supervisor does not restart it."""
    from bot.settings import Settings

    if Settings.from_env().telegram_token:
        return cmd_telegram(args)
    if not sys.stdin.isatty():
        print(_no_token_no_terminal(), file=sys.stderr)
        return 2
    args.persona, args.lang = None, None
    return cmd_console(args)


def _no_token_no_terminal() -> str:
    """Why nothing runs, and the two ways out; names a variable that looks like a misspelt
    TELEGRAM_BOT_TOKEN (in the environment or ./.env)."""
    import difflib

    from dotenv import dotenv_values

    names = set(os.environ) | {k for k in dotenv_values(Path.cwd() / ".env") if k}
    names.discard("TELEGRAM_BOT_TOKEN")
    close = difflib.get_close_matches("TELEGRAM_BOT_TOKEN", sorted(names), n=3, cutoff=0.7)
    close += sorted(n for n in names if "TELEGRAM" in n.upper() and "TOKEN" in n.upper())
    lines = [
        "TELEGRAM_BOT_TOKEN is not set, and there is no terminal to rehearse in "
        "(standard input is not a terminal).",
        f"- To run the Telegram bot: set TELEGRAM_BOT_TOKEN in the environment or in "
        f"{Path.cwd() / '.env'}.",
        "- To rehearse in the terminal: run `make run` or `.venv/bin/python -m bot console` "
        "in a terminal.",
    ]
    if close:
        found = ", ".join(dict.fromkeys(close))
        lines.insert(1, f"Found {found}: did you mean TELEGRAM_BOT_TOKEN?")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    lang = {"choices": LANGUAGES, "default": "fr", "help": "language (default: fr)"}

    p = sub.add_parser("console", help="interactive rehearsal in the terminal")
    p.add_argument("--persona", help="persona id (default: choose from a list)")
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language (default: asked in a terminal, else DEFAULT_LANGUAGE)",
    )
    p.set_defaults(func=cmd_console)

    p = sub.add_parser("play", help="play a meeting from lines on standard input")
    p.add_argument("--persona", required=True)
    p.add_argument("--lang", **lang)
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same meeting)")
    p.add_argument("--no-hints", action="store_true", help="no live coach hints")
    p.add_argument("--scorecard", metavar="PNG", help="also write the scorecard picture")
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("analyze", help="analyse one utterance per line (JSON lines out)")
    p.add_argument("--lang", **lang)
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("personas", help="list the available personas")
    p.add_argument("--json", action="store_true")
    p.add_argument("--lang", **lang)
    p.set_defaults(func=cmd_personas)

    p = sub.add_parser("validate", help="validate persona files (or folders)")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="print the persona format as JSON Schema")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("check", help="play lines from standard input; list incoherent replies")
    p.add_argument("--persona", required=True)
    p.add_argument("--lang", choices=LANGUAGES, default="fr")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("eval", help="accuracy of the analysis on the labelled sets")
    p.add_argument("--lang", choices=LANGUAGES)
    p.add_argument("--json", action="store_true")
    p.add_argument("--errors", type=int, default=30, help="misclassified examples to show")
    p.add_argument(
        "--set",
        choices=("all", "analysis", "dialogue", "intents", "feedback"),
        default="all",
        help="analysis: the question/intent labels of eval/<lang>.jsonl; dialogue: routing "
        "of acts and topics; intents: requests and offers in natural wording",
    )
    p.add_argument("--split", choices=("tune", "holdout"), help="one half only (default: both)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("telegram", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    p.set_defaults(func=cmd_telegram)

    p = sub.add_parser("health", help="check personas, catalogues and database (exit 0 if ok)")
    p.set_defaults(func=cmd_health)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Lines typed or piped in may hold invalid UTF-8: replace it, never die on a traceback.
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_auto)
    from bot.engine.rubric import InvalidRubric
    from bot.settings import InvalidSettings
    from bot.storage.interface import StorageUnavailable

    try:
        return func(args)
    except InvalidSettings as exc:  # one line per bad setting, no traceback
        print(exc, file=sys.stderr)
        return 2
    except InvalidRubric as exc:  # read by a command that did not check it at start
        for line in str(exc).splitlines():
            print(f"Invalid rubric: {line}", file=sys.stderr)
        return 2
    except StorageUnavailable as exc:  # the database server is down or refuses us
        print(exc, file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:  # Ctrl-C while loading, before a command could catch it
        print(file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
