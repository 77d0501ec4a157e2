"""The terminal channel: an interactive rehearsal (`console`) and a scripted one (`play`)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.channels import stars
from bot.channels.history import history_row, trend
from bot.engine.coach import Feedback, build_feedback, criterion_name
from bot.engine.hints import coached_say
from bot.engine.lessons import lesson_lines
from bot.engine.meeting import Meeting
from bot.engine.personas import Persona
from bot.i18n import translations
from bot.rehearsals import Caller, NotesChecked, Rehearsals, ThanksGraded

COACH = "💡"
#: The one user of a terminal (its chat too): the person at the keyboard.
LOCAL_USER = 0


def briefing_text(persona: Persona, lang: str) -> str:
    _ = translations(lang).gettext
    late = persona.schedule.late_minutes
    lines = [
        f"{persona.name} — {persona.role.get(lang)}",
        persona.organisation.get(lang),
        "",
        _("How the meeting came about: {text}").format(text=persona.briefing.how_we_met.get(lang)),
        _("Where: {place}").format(place=persona.briefing.place.get(lang)),
        _("Scheduled length: {minutes} minutes.").format(minutes=persona.schedule.duration_minutes),
        _("Your goal: {goal}").format(goal=persona.briefing.goal.get(lang)),
    ]
    if late:
        lines.append(_("Be ready: your host may not be on time."))
    return "\n".join(lines)


def feedback_text(feedback: Feedback, lang: str, persona_name: str = "") -> str:
    """The feedback as plain text, for the terminal and for `play`."""
    _ = translations(lang).gettext
    out = [_("Feedback — overall score: {score}/100").format(score=feedback.score), ""]
    for key, result in feedback.criteria.items():
        out.append(f"■ {criterion_name(key, lang)}: {result.score}/100")
        out.extend(
            f"    « {line} »" if lang == "fr" else f'    "{line}"' for line in result.evidence
        )
        out.append(f"    → {result.advice}")
    if feedback.rewordings:
        out += ["", _("Your closed questions, reworded as open ones:")]
        for item in feedback.rewordings:
            out.append(f"  ✗ {item['question']}")
            out.append(f"  ✓ {item['open']}")
    if feedback.lessons:
        out += ["", *lesson_lines(feedback, persona_name, lang)]
    out += ["", _("After the meeting:")]
    out.extend(f"  ☐ {item}" for item in feedback.checklist)
    return "\n".join(out)


def play(
    persona: Persona,
    lang: str,
    lines: Iterable[str],
    *,
    seed: int | None,
    hints: bool = True,
) -> dict:
    """Play a whole meeting from scripted lines; `/end` (or the end of input) closes it."""
    meeting = Meeting.start(persona, lang, seed=seed, hints=hints)
    notices: list[str] = []
    for raw in lines:
        line = raw.rstrip("\n")
        if line.strip().lower() == "/end":
            break
        result = coached_say(meeting, line)
        if result.notice:
            notices.append(result.notice)
        if result.ended:
            break
    meeting.end("user")
    feedback = build_feedback(meeting)
    state = meeting.state
    return {
        "persona": persona.id,
        "lang": lang,
        "seed": state.seed,
        "narration": state.narration,
        "opening": state.opening,
        "turns": [
            {
                "user": t.user,
                "reply": t.reply,
                "phase": t.phase,
                "hints": t.hints,
                "act": t.act,
                "topic": t.topic,
            }
            for t in state.turns
        ],
        "farewell": state.farewell,
        "ended_by": state.ended_by,
        "notices": notices,
        "feedback": feedback.to_json(),
        "_feedback": feedback,
        "_meeting": meeting,
    }


def print_play(result: dict, persona: Persona, out: TextIO) -> None:
    lang = result["lang"]
    if "_feedback" in result:
        feedback = result.pop("_feedback")
    else:
        feedback = Feedback.from_json(result["feedback"])
    if result.get("narration"):
        print(f"({result['narration']})", file=out)
    for line in result["opening"]:
        print(f"{persona.name}: {line}", file=out)
    for turn in result["turns"]:
        print(f"\n> {turn['user']}", file=out)
        print(f"{persona.name}: {turn['reply']}", file=out)
        for hint in turn["hints"]:
            print(f"   {COACH} {hint}", file=out)
    if result["farewell"]:
        print(f"\n{persona.name}: {result['farewell']}", file=out)
    print("\n" + feedback_text(feedback, lang, persona.name), file=out)


def play_json(result: dict) -> str:
    result = {k: v for k, v in result.items() if not k.startswith("_")}
    return json.dumps(result, ensure_ascii=False, indent=2)


def console_database() -> tuple[Path | str, Path]:
    """The console's own database and the folder its rehearsals are saved in.

    The database is `DATABASE_URL` when set (environment or `.env`), else a file in the
    user's data folder (`$XDG_DATA_HOME`, by default `~/.local/share`); rehearsals go beside
    the SQLite file, or in that data folder when the database is PostgreSQL.
    """
    from bot.settings import Settings

    settings = Settings.from_env()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    folder = Path(base) / "entretien-reseau"
    if "database_url" not in settings.model_fields_set:
        return folder / "console.sqlite3", folder / "rehearsals"
    if settings.postgres:
        return settings.database_url, folder / "rehearsals"
    return settings.database_path, settings.database_path.parent / "rehearsals"


def console(
    rehearsals: Rehearsals,
    lang: str,
    persona_id: str | None,
    *,
    read: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
    save_dir: Path | None = None,
) -> int:
    """The interactive rehearsal, through the same service as Telegram; Ctrl-D or `/quit`
    leaves, `/end` gives the feedback, then the notes and thank-you steps; `/history` lists
    past rehearsals.

    Each finished rehearsal is saved in `save_dir`: the transcript with its feedback, and
    the scorecard picture beside it (readable by the user only).
    """
    _ = translations(lang).gettext
    who = Caller(LOCAL_USER, LOCAL_USER, lang)

    def show(text: str = "") -> None:
        print(text, file=out, flush=True)

    show(
        _(
            "Networking interview rehearsal. Commands: /end for your feedback, /undo to take "
            "back your last line, /hints to toggle the coach, /history for your past "
            "rehearsals, /quit to leave."
        )
    )
    rehearsals.set_language(who, lang)
    try:
        while True:
            persona = (
                rehearsals.personas[persona_id]
                if persona_id
                else _choose(rehearsals, lang, read, show)
            )
            if persona is None:
                return 0
            show("\n" + briefing_text(persona, lang) + "\n")
            meeting = rehearsals.start(who, persona.id).meeting
            if meeting.state.narration:
                show(f"({meeting.state.narration})")
            for line in meeting.state.opening:
                show(f"{persona.name}: {line}")
            ending = None
            while ending is None:
                line = read("> ")
                command = line.strip().lower()
                if command == "/quit":
                    return 0
                if command == "/hints":
                    on = rehearsals.toggle_hints(who)
                    show(_("Coach hints on.") if on else _("Coach hints off."))
                elif command == "/undo":
                    taken = rehearsals.undo(who)
                    show(
                        _("Taken back: {line}").format(line=taken)
                        if taken
                        else _("Nothing to take back.")
                    )
                elif command == "/history":
                    show(history_text(rehearsals, lang))
                elif command == "/end":
                    ending = rehearsals.end(who)
                    if ending and ending.farewell:
                        show(f"{persona.name}: {ending.farewell}")
                elif command.startswith("/"):
                    show(_("Unknown command. Use /end, /undo, /hints, /history or /quit."))
                else:
                    turn = rehearsals.say(who, line)
                    if turn is None:
                        break
                    if turn.result.notice:
                        show(turn.result.notice)
                    if turn.result.reply:
                        show(f"{persona.name}: {turn.result.reply}")
                    for hint in turn.result.hints:
                        show(f"   {COACH} {hint}")
                    ending = turn.ending
            if ending is None:
                return 0
            show("\n" + feedback_text(ending.feedback, lang, persona.name) + "\n")
            if save_dir is not None and ending.meeting is not None:
                for path in save_rehearsal(ending.meeting, ending.feedback, save_dir):
                    show(_("Saved: {path}").format(path=path))
            if not _aftercare(rehearsals, who, persona, lang, read, show):
                return 0
            persona_id = None
    except (EOFError, KeyboardInterrupt):
        show("")
        return 0


def _aftercare(rehearsals: Rehearsals, who: Caller, persona: Persona, lang, read, show) -> bool:
    """The notes, checked against the meeting, then the thank-you draft, graded; /skip skips
    a step. False when the user leaves."""
    _ = translations(lang).gettext
    show(
        _(
            "📝 Now write your notes, as you would right after the meeting: date, person, "
            "place, subject, what you learned, the contacts given. One message; I will check "
            "them against what was said. (/skip to skip)"
        )
    )
    asked_thanks = False
    while True:
        text = read("> ")
        command = text.strip().lower()
        if command == "/quit":
            return False
        after = rehearsals.skip(who) if command == "/skip" else rehearsals.write_after(who, text)
        if isinstance(after, NotesChecked):
            lines = [_("📝 Your notes: {score}/100").format(score=after.check.score)]
            lines += [f"✓ {item}" for item in after.check.found]
            lines += [f"✗ {item}" for item in after.check.missing]
            show("\n".join(lines))
        elif isinstance(after, ThanksGraded):
            lines = [_("✉️ Your thank-you message: {score}/100").format(score=after.grade.score)]
            lines += [f"→ {advice}" for advice in after.grade.advice]
            lines += ["", _("A version to start from:"), after.grade.better, ""]
            show("\n".join(lines))
            return True
        elif after is None or after.next_stage is None:
            return True
        if not asked_thanks:
            asked_thanks = True
            show(
                _(
                    "✉️ Now draft the thank-you message you would send to {name} today. "
                    "(/skip to skip)"
                ).format(name=persona.name)
            )


def history_text(rehearsals: Rehearsals, lang: str) -> str:
    _ = translations(lang).gettext
    entries = rehearsals.history(LOCAL_USER)
    if not entries:
        return _("No rehearsal yet.")
    lines = [_("Your rehearsals")]
    lines += [history_row(e, lang, e.persona_name, str(e.score)) for e in entries]
    sentence = trend(entries, lang)
    return "\n".join([*lines, sentence] if sentence else lines)


def transcript_text(meeting: Meeting, feedback: Feedback) -> str:
    persona, state = meeting.persona, meeting.state
    lines = [f"({state.narration})"] if state.narration else []
    lines += [f"{persona.name}: {line}" for line in state.opening]
    for turn in state.turns:
        lines += ["", f"> {turn.user}", f"{persona.name}: {turn.reply}"]
        lines += [f"   {COACH} {hint}" for hint in turn.hints]
    if state.farewell:
        lines += ["", f"{persona.name}: {state.farewell}"]
    text = feedback_text(feedback, meeting.lang, meeting.persona.name)
    return "\n".join(lines) + "\n\n" + text + "\n"


def save_rehearsal(meeting: Meeting, feedback: Feedback, folder: Path) -> list[Path]:
    """Write the transcript and the scorecard picture, readable by the user only (a
    transcript holds their career plans); returns the files written."""
    from bot.charts import scorecard_png

    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    stem = folder / f"{datetime.now():%Y%m%d-%H%M%S}-{meeting.persona.id}"
    transcript = stem.with_suffix(".txt")
    _write_private(transcript, transcript_text(meeting, feedback).encode("utf-8"))
    scorecard = stem.with_suffix(".png")
    picture = scorecard_png(feedback, meeting.persona, meeting.lang, exam=meeting.state.exam)
    _write_private(scorecard, picture)
    return [transcript, scorecard]


def _write_private(path: Path, data: bytes) -> None:
    """Create the file owner-only from the start (no moment where others could read it)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    path.chmod(0o600)


def _choose(rehearsals: Rehearsals, lang: str, read, show) -> Persona | None:
    _ = translations(lang).gettext
    personas = rehearsals.personas
    ordered = personas.speaking(lang)
    show(_("Who do you want to meet?"))
    for number, persona in enumerate(ordered, 1):
        show(
            f"  {number}. {persona.name} {stars(persona.difficulty)} — {persona.summary.get(lang)}"
        )
    while True:
        answer = read(_("Number (or /quit): ")).strip()
        if answer.lower() in {"/quit", "q"}:
            return None
        if answer.lower() == "/history":
            show(history_text(rehearsals, lang))
            continue
        if answer.isdigit() and 1 <= int(answer) <= len(ordered):
            return ordered[int(answer) - 1]
        if answer in personas and personas[answer].speaks(lang):
            return personas[answer]
        show(_("Please type a number between 1 and {count}.").format(count=len(ordered)))
