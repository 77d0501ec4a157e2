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
from bot.channels.screen import Screen
from bot.engine.coach import Feedback, build_feedback, criterion_name
from bot.engine.hints import coached_say
from bot.engine.lessons import lesson_lines
from bot.engine.meeting import Meeting
from bot.engine.personas import Persona
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, translations
from bot.rehearsals import (
    Caller,
    Ending,
    NotAnAttempt,
    NotesChecked,
    NothingToGrade,
    Rehearsals,
    ThanksGraded,
)

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
    user's data folder (`$XDG_DATA_HOME`, by default `~/.local/share`), in a folder of its
    own that only the user can open (it also holds transcripts and history); rehearsals go
    beside the SQLite file, or in that data folder when the database is PostgreSQL.
    """
    from bot.settings import Settings

    settings = Settings.from_env()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    folder = Path(base) / "entretien-reseau"
    if "database_url" not in settings.model_fields_set:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder / "console.sqlite3", folder / "rehearsals"
    if settings.postgres:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return settings.database_url, folder / "rehearsals"
    return settings.database_path, settings.database_path.parent / "rehearsals"


def console(
    rehearsals: Rehearsals,
    lang: str | None,
    persona_id: str | None,
    *,
    read: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
    save_dir: Path | None = None,
    history: Path | None = None,
) -> int:
    """The interactive rehearsal, through the same service as Telegram.

    With no `lang` the user chooses French or English first (their last choice is the
    default); with no `persona_id`, a persona from the list, after being offered to take up
    a meeting they left. `/end` gives the feedback, then the notes and thank-you steps;
    `/help` lists the commands. Ctrl-D, Ctrl-C and `/quit` leave at any point: a meeting in
    progress stays saved (each line is committed as it is said) and is offered again at the
    next start.

    Each finished rehearsal is saved in `save_dir`: the transcript with its feedback, and
    the scorecard picture beside it (readable by the user only); what was typed is kept in
    `history` for the arrow keys, owner-only too.
    """
    screen = Screen(out, read)
    session = Console(rehearsals, screen, save_dir)
    screen.edit_lines(history, COMMANDS)
    try:
        return session.run(lang, persona_id)
    except (EOFError, KeyboardInterrupt):
        session.leave()
        return 0
    finally:
        screen.save_history()


#: Every command the console understands, for Tab completion.
COMMANDS = ("/end", "/undo", "/hints", "/history", "/help", "/quit", "/skip")
YES = {"", "y", "yes", "o", "oui"}
NO = {"n", "no", "non"}


class Console:
    """One terminal session: the language, the persona, the meeting, the after-care."""

    def __init__(self, rehearsals: Rehearsals, screen: Screen, save_dir: Path | None):
        self.rehearsals = rehearsals
        self.screen = screen
        self.save_dir = save_dir
        self.lang = rehearsals.default_language
        self.who = Caller(LOCAL_USER, LOCAL_USER, self.lang)

    def _(self, message: str) -> str:
        return translations(self.lang).gettext(message)

    def run(self, lang: str | None, persona_id: str | None) -> int:
        if lang is None:
            lang = self.choose_language()
            if lang is None:
                return 0
        self.lang = self.rehearsals.set_language(self.who, lang)
        _ = self._
        self.screen.show(_("Networking interview rehearsal."), "title")
        self.screen.show(_("Type /help at any time for the commands."))
        if persona_id and not self.rehearsals.personas[persona_id].speaks(self.lang):
            persona_id = None  # written in the other language only: choose among the others
        taken_up = None if persona_id else self.offer_to_take_up()
        while True:
            if taken_up is not None:
                persona = taken_up
                self.replay()
            else:
                persona = (
                    self.rehearsals.personas[persona_id] if persona_id else self.choose_persona()
                )
                if persona is None:
                    self.leave()  # a meeting not taken up is still kept: say so
                    return 0
                self.screen.show()
                self.show_briefing(persona)
                self.screen.show()
                meeting = self.rehearsals.start(self.who, persona.id).meeting
                if meeting.state.narration:
                    self.screen.show(f"({meeting.state.narration})", "notice")
                for line in meeting.state.opening:
                    self.screen.speaker(persona.name, line)
            ending = self.meet(persona)
            if ending is None:
                self.leave()
                return 0
            self.screen.show()
            self.show_feedback(ending.feedback, persona)
            if self.save_dir is not None and ending.meeting is not None:
                for path in save_rehearsal(ending.meeting, ending.feedback, self.save_dir):
                    self.screen.show(_("Saved: {path}").format(path=path), "notice")
            if not self.aftercare(persona):
                return 0
            persona_id = taken_up = None

    def leave(self) -> None:
        """Say what is kept: a meeting in progress is saved, line by line, and offered again
        at the next start."""
        _ = self._
        self.screen.show()
        entry = self.rehearsals.current(self.who.chat_id)
        if entry is None:
            self.screen.show(_("Goodbye, and good luck with your networking."), "notice")
            return
        meeting = entry[1]
        count = len(meeting.state.turns)
        self.screen.show(
            translations(self.lang)
            .ngettext(
                "Your meeting with {name} is saved ({count} line). Start the rehearsal again "
                "to take it up where you left it.",
                "Your meeting with {name} is saved ({count} lines). Start the rehearsal again "
                "to take it up where you left it.",
                count,
            )
            .format(name=meeting.persona.name, count=count),
            "notice",
        )

    # -- before the meeting ----------------------------------------------------------------

    def choose_language(self) -> str | None:
        """French or English, asked in both; the user's last choice is the default."""
        default = self.rehearsals.prefs(LOCAL_USER).lang or self.rehearsals.default_language
        both = " / ".join(translations(code).gettext("Language") for code in LANGUAGES)
        self.screen.show(both, "title")
        for number, code in enumerate(LANGUAGES, 1):
            self.screen.show(f"  {number}. {LANGUAGE_NAMES[code]}")
        choice = " / ".join(translations(code).gettext("Choice") for code in LANGUAGES)
        number = LANGUAGES.index(default) + 1
        while True:
            answer = self.screen.ask(f"{choice} [{number}]: ", remember=False).strip().lower()
            if answer in {"/quit", "q"}:
                return None
            if not answer:
                return default
            for index, code in enumerate(LANGUAGES, 1):
                if answer in {str(index), code} or LANGUAGE_NAMES[code].lower().startswith(answer):
                    return code
            again = "Please type a number between 1 and {count}."
            self.screen.show(
                " / ".join(
                    translations(code).gettext(again).format(count=len(LANGUAGES))
                    for code in LANGUAGES
                )
            )

    def offer_to_take_up(self) -> Persona | None:
        """The persona of a meeting left in progress, if the user takes it up."""
        entry = self.rehearsals.current(self.who.chat_id)
        if entry is None:
            return None
        _ = self._
        meeting = entry[1]
        self.screen.show()
        count = len(meeting.state.turns)
        self.screen.show(
            translations(self.lang)
            .ngettext(
                "You left a meeting with {name} in progress ({count} line).",
                "You left a meeting with {name} in progress ({count} lines).",
                count,
            )
            .format(name=meeting.persona.name, count=count),
            "notice",
        )
        while True:
            answer = self.screen.ask(_("Take it up again? [Y/n] "), remember=False).strip().lower()
            if answer in YES:
                return meeting.persona
            if answer in NO:
                return None
            if answer == "/quit":
                raise EOFError
            self.screen.show(_("Please answer y (yes) or n (no)."))

    def choose_persona(self) -> Persona | None:
        _ = self._
        personas = self.rehearsals.personas
        ordered = personas.speaking(self.lang)
        self.screen.show()
        self.screen.show(_("Who do you want to meet?"), "title")
        for number, persona in enumerate(ordered, 1):
            summary = persona.summary.get(self.lang)
            self.screen.show(f"  {number}. {persona.name} {stars(persona.difficulty)} — {summary}")
        while True:
            answer = self.screen.ask(_("Number (or /quit): "), remember=False).strip()
            if answer.lower() in {"/quit", "q"}:
                return None
            if answer.lower() == "/history":
                self.screen.show(history_text(self.rehearsals, self.lang))
            elif answer.lower() == "/help":
                self.screen.show(
                    _(
                        "Type the number of the person you want to meet. /history lists your "
                        "past rehearsals, /quit leaves."
                    )
                )
            elif answer.isdigit() and 1 <= int(answer) <= len(ordered):
                return ordered[int(answer) - 1]
            elif answer in personas and personas[answer].speaks(self.lang):
                return personas[answer]
            else:
                self.screen.show(
                    _("Please type a number between 1 and {count}.").format(count=len(ordered))
                )

    def show_briefing(self, persona: Persona) -> None:
        first, _newline, rest = briefing_text(persona, self.lang).partition("\n")
        self.screen.show(first, "title")
        self.screen.show(rest)

    def replay(self) -> None:
        """The meeting taken up so far, as it was seen."""
        entry = self.rehearsals.current(self.who.chat_id)
        if entry is None:
            return
        meeting = entry[1]
        name, state = meeting.persona.name, meeting.state
        self.screen.show()
        if state.narration:
            self.screen.show(f"({state.narration})", "notice")
        for line in state.opening:
            self.screen.speaker(name, line)
        for turn in state.turns:
            self.screen.echo(turn.user)
            self.screen.speaker(name, turn.reply)
            for hint in turn.hints:
                self.screen.hint(hint, COACH)

    # -- the meeting -----------------------------------------------------------------------

    def meet(self, persona: Persona) -> Ending | None:
        """The lines and commands of the meeting in progress, until it ends (its ending)
        or the user leaves (None)."""
        _ = self._
        while True:
            line = self.screen.ask("> ")
            command = line.strip().lower()
            if command == "/quit":
                return None
            if command == "/help":
                self.screen.show(self.meeting_help())
            elif command == "/hints":
                on = self.rehearsals.toggle_hints(self.who)
                self.screen.show(_("Coach hints on.") if on else _("Coach hints off."), "notice")
            elif command == "/undo":
                taken = self.rehearsals.undo(self.who)
                self.screen.show(
                    _("Taken back: {line}").format(line=taken)
                    if taken
                    else _("Nothing to take back."),
                    "notice",
                )
            elif command == "/history":
                self.screen.show(history_text(self.rehearsals, self.lang))
            elif command == "/end":
                ending = self.rehearsals.end(self.who)
                if isinstance(ending, NothingToGrade):
                    self.screen.show(
                        _("Nothing to grade: the meeting was cancelled without feedback."),
                        "notice",
                    )
                    return None
                if ending and ending.farewell:
                    self.screen.speaker(persona.name, ending.farewell)
                return ending
            elif command.startswith("/"):
                self.screen.show(_("Unknown command: /help lists them."), "notice")
            else:
                turn = self.rehearsals.say(self.who, line)
                if turn is None:
                    return None
                if turn.result.notice:
                    self.screen.show(turn.result.notice, "notice")
                if turn.result.reply:
                    self.screen.speaker(persona.name, turn.result.reply)
                for hint in turn.result.hints:
                    self.screen.hint(hint, COACH)
                if turn.ending is not None:
                    return turn.ending

    def meeting_help(self) -> str:
        _ = self._
        entry = self.rehearsals.current(self.who.chat_id)
        hints_on = entry is not None and entry[1].state.hints_on
        rows = [
            _("Type your lines as you would say them. Commands:"),
            "  /end      " + _("end the meeting: the goodbye, then your feedback"),
            "  /undo     " + _("take back your last line and the reply"),
            "  /hints    "
            + (
                _("switch the coach's hints off (now on)")
                if hints_on
                else _("switch the coach's hints on (now off)")
            ),
            "  /history  " + _("your past rehearsals and their scores"),
            "  /quit     " + _("leave; the meeting is saved and offered again next time"),
            "  /help     " + _("this list"),
            _("Ctrl-D or Ctrl-C leave too, and save the meeting."),
        ]
        if self.screen.readline:
            rows.append(
                _("Arrow keys edit the line and recall earlier ones; Tab completes a command.")
            )
        return "\n".join(rows)

    def show_feedback(self, feedback: Feedback, persona: Persona) -> None:
        first, _newline, rest = feedback_text(feedback, self.lang, persona.name).partition("\n")
        self.screen.show(first, "title")
        self.screen.show(rest)
        self.screen.show()

    # -- after the meeting -----------------------------------------------------------------

    def aftercare(self, persona: Persona) -> bool:
        """The notes, checked against the meeting, then the thank-you draft, graded; /skip
        skips a step, a command or an empty line is never graded. False when the user leaves."""
        _ = self._
        self.screen.show(
            _(
                "📝 Now write your notes, as you would right after the meeting: date, person, "
                "place, subject, what you learned, the contacts given. One message; I will check "
                "them against what was said. (/skip to skip)"
            )
        )
        asked_thanks = False
        while True:
            text = self.screen.ask("> ")
            command = text.strip().lower()
            if command == "/quit":
                self.leave()
                return False
            if command == "/help":
                self.screen.show(_("/skip skips this step, /quit leaves."))
                continue
            if not command or (command.startswith("/") and command != "/skip"):
                self.screen.show(_("Write your text, or /skip to skip this step."), "notice")
                continue
            if command == "/skip":
                after = self.rehearsals.skip(self.who)
            else:
                after = self.rehearsals.write_after(self.who, text)
            if isinstance(after, NotAnAttempt):
                self.screen.show(_("Not graded: write a few sentences, or /skip."), "notice")
                continue
            if isinstance(after, NotesChecked):
                lines = [_("📝 Your notes: {score}/100").format(score=after.check.score)]
                lines += [f"✓ {item}" for item in after.check.found]
                lines += [f"✗ {item}" for item in after.check.missing]
                self.screen.show("\n".join(lines))
            elif isinstance(after, ThanksGraded):
                lines = [_("✉️ Your thank-you message: {score}/100").format(score=after.grade.score)]
                lines += [f"→ {advice}" for advice in after.grade.advice]
                lines += ["", _("A version to start from:"), after.grade.better, ""]
                self.screen.show("\n".join(lines))
                return True
            elif after is None or after.next_stage is None:
                return True
            if not asked_thanks:
                asked_thanks = True
                self.screen.show(
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
