"""The terminal channel: an interactive rehearsal (`console`) and a scripted one (`play`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.engine.coach import Feedback, build_feedback, criterion_name
from bot.engine.hints import coached_say
from bot.engine.lessons import lesson_lines
from bot.engine.meeting import Meeting
from bot.engine.personas import Persona, PersonaSet
from bot.i18n import translations

COACH = "💡"


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


def console(
    personas: PersonaSet,
    lang: str,
    persona_id: str | None,
    *,
    read: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
    save_dir: Path | None = None,
) -> int:
    """The interactive rehearsal; Ctrl-D or `/quit` leaves, `/end` gives the feedback.

    Each finished rehearsal is saved in `save_dir`: the transcript with its feedback, and
    the scorecard picture beside it.
    """
    _ = translations(lang).gettext

    def show(text: str = "") -> None:
        print(text, file=out, flush=True)

    show(
        _(
            "Networking interview rehearsal. Commands: /end for your feedback, /undo to take "
            "back your last line, /hints to toggle the coach, /quit to leave."
        )
    )
    try:
        while True:
            persona = personas[persona_id] if persona_id else _choose(personas, lang, read, show)
            if persona is None:
                return 0
            show("\n" + briefing_text(persona, lang) + "\n")
            meeting = Meeting.start(persona, lang)
            if meeting.state.narration:
                show(f"({meeting.state.narration})")
            for line in meeting.state.opening:
                show(f"{persona.name}: {line}")
            while not meeting.ended:
                line = read("> ")
                command = line.strip().lower()
                if command == "/quit":
                    return 0
                if command == "/hints":
                    meeting.state.hints_on = not meeting.state.hints_on
                    show(_("Coach hints on.") if meeting.state.hints_on else _("Coach hints off."))
                    continue
                if command == "/undo":
                    taken = meeting.undo()
                    show(
                        _("Taken back: {line}").format(line=taken.user)
                        if taken
                        else _("Nothing to take back.")
                    )
                    continue
                if command == "/end":
                    show(f"{persona.name}: {meeting.end('user')}")
                    break
                if command.startswith("/"):
                    show(_("Unknown command. Use /end, /undo, /hints or /quit."))
                    continue
                result = coached_say(meeting, line)
                if result.notice:
                    show(result.notice)
                if result.reply:
                    show(f"{persona.name}: {result.reply}")
                for hint in result.hints:
                    show(f"   {COACH} {hint}")
            feedback = build_feedback(meeting)
            show("\n" + feedback_text(feedback, lang, persona.name) + "\n")
            if save_dir is not None:
                for path in save_rehearsal(meeting, feedback, save_dir):
                    show(_("Saved: {path}").format(path=path))
            persona_id = None
    except (EOFError, KeyboardInterrupt):
        show("")
        return 0


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
    """Write the transcript and the scorecard picture; returns the files written."""
    from bot.charts import scorecard_png

    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"{datetime.now():%Y%m%d-%H%M%S}-{meeting.persona.id}"
    transcript = stem.with_suffix(".txt")
    transcript.write_text(transcript_text(meeting, feedback), encoding="utf-8")
    scorecard = stem.with_suffix(".png")
    scorecard.write_bytes(
        scorecard_png(feedback, meeting.persona, meeting.lang, exam=meeting.state.exam)
    )
    return [transcript, scorecard]


def _choose(personas: PersonaSet, lang: str, read, show) -> Persona | None:
    _ = translations(lang).gettext
    ordered = personas.speaking(lang)
    show(_("Who do you want to meet?"))
    for number, persona in enumerate(ordered, 1):
        stars = "★" * persona.difficulty + "☆" * (3 - persona.difficulty)
        show(f"  {number}. {persona.name} {stars} — {persona.summary.get(lang)}")
    while True:
        answer = read(_("Number (or /quit): ")).strip()
        if answer.lower() in {"/quit", "q"}:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(ordered):
            return ordered[int(answer) - 1]
        if answer in personas and personas[answer].speaks(lang):
            return personas[answer]
        show(_("Please type a number between 1 and {count}.").format(count=len(ordered)))
