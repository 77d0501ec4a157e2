"""How the terminal shows text and reads lines: colours, wrapping, line editing, history.

A person at a terminal gets colours (the persona, the coach and their own lines apart at a
glance), text wrapped to the window's width (read again at every line, so a resize counts)
and line editing with a history (readline, where Python has it). Output to a pipe or a file,
or with `NO_COLOR` set (https://no-color.org), gets plain text: no escape code at all, lines
unwrapped, so that scripts and transcripts stay clean.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

#: SGR codes of each role; bold for names, plain colours for the rest.
STYLES = {
    "persona": "1;36",  # bold cyan: who speaks
    "coach": "33",  # yellow: the live hints
    "user": "32",  # green: what the user types
    "prompt": "1;32",  # bold green: the prompt before it
    "title": "1",  # bold: headings, the briefing's first line
    "notice": "35",  # magenta: what the program says about the rehearsal
}
RESET = "\x1b[0m"
#: Markers around escape codes in a readline prompt, so it counts only the visible width.
RL_START, RL_END = "\001", "\002"
#: Line beginnings after which a wrapped line continues aligned (lists, quotes, advice).
MARKERS = ("■ ", "→ ", "✓ ", "✗ ", "☐ ", "« ", '"', "💡 ", "- ", "• ")
#: A numbered item or a command and its description: continuations go under the text.
COLUMN = re.compile(r" {0,8}(?:\d{1,3}\. |/\w{1,20} {2,})")
#: Lines kept in the history file.
HISTORY_LENGTH = 1000


def wants_colour(out: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set to anything or TERM=dumb."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    return _is_tty(out)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or fake stream
        return False


def wrap_line(line: str, width: int) -> list[str]:
    """One line wrapped to `width`, continuations aligned after its indent and list marker;
    words longer than the width (paths, links) are left whole."""
    stripped = line.lstrip(" ")
    if len(line) <= width or not stripped:
        return [line]
    indent = " " * (len(line) - len(stripped))
    hang = indent + "  "
    column = COLUMN.match(line)
    if column:  # "  1. Name …" or "  /end      what it does": under the text
        hang = " " * len(column.group(0))
    for marker in MARKERS:
        if stripped.startswith(marker):
            # an emoji takes two columns for one character
            hang = indent + " " * (len(marker) + (1 if marker == "💡 " else 0))
            break
    return textwrap.wrap(
        line,
        width=max(width, len(hang) + 20),
        subsequent_indent=hang,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [line]


class Screen:
    """Where the console writes, and how it asks for a line."""

    def __init__(
        self,
        out: TextIO,
        read: Callable[[str], str] | None = None,
        *,
        colour: bool | None = None,
        wrap: bool | None = None,
    ):
        self.out = out
        self.colour = wants_colour(out) if colour is None else colour
        self.wrap = _is_tty(out) if wrap is None else wrap
        self._read = read or input
        #: readline is editing the lines: prompts need their escape codes marked.
        self.readline = False
        self._history: Path | None = None

    # -- output --------------------------------------------------------------------------

    def paint(self, text: str, role: str | None) -> str:
        if not (self.colour and role and text):
            return text
        return f"\x1b[{STYLES[role]}m{text}{RESET}"

    def lines(self, text: str) -> list[str]:
        """The text cut into the lines it takes on screen."""
        if not self.wrap:
            return text.split("\n")
        width = shutil.get_terminal_size((80, 24)).columns - 1  # the last column wraps early
        return [part for line in text.split("\n") for part in wrap_line(line, width)]

    def show(self, text: str = "", role: str | None = None) -> None:
        rows = [self.paint(row, role) for row in self.lines(text)]
        print("\n".join(rows), file=self.out, flush=True)

    def speaker(self, name: str, text: str) -> None:
        """A line said by someone: their name in the persona's colour."""
        rows = self.lines(f"{name}: {text}")
        rows[0] = self.paint(f"{name}:", "persona") + rows[0][len(name) + 1 :]
        print("\n".join(rows), file=self.out, flush=True)

    def hint(self, text: str, mark: str) -> None:
        self.show(f"   {mark} {text}", "coach")

    def echo(self, text: str) -> None:
        """A line the user said earlier (a meeting taken up again), as they typed it."""
        self.show(f"> {text}", "user")

    # -- input ---------------------------------------------------------------------------

    def ask(self, prompt: str = "> ", *, remember: bool = True) -> str:
        """One line from the user, typed in the user's colour; EOFError on Ctrl-D and
        KeyboardInterrupt on Ctrl-C, as `input` raises them. Answers to a menu are not
        `remember`ed: the arrow keys bring back lines of the meeting, not "2"."""
        line = self._ask(prompt)
        if self.readline and not remember and line.strip():
            import readline

            readline.remove_history_item(readline.get_current_history_length() - 1)
        return line

    def _ask(self, prompt: str) -> str:
        if not self.colour:
            return self._read(prompt)
        start = f"\x1b[{STYLES['prompt']}m"
        typed = f"\x1b[0;{STYLES['user']}m"
        if self.readline:
            start, typed = RL_START + start + RL_END, RL_START + typed + RL_END
        try:
            return self._read(start + prompt + typed)
        finally:
            print(RESET, end="", file=self.out, flush=True)

    def edit_lines(self, history: Path | None, words: Iterable[str]) -> None:
        """Line editing, history (kept in `history`, owner-only) and Tab completion of
        `words`, when reading from a terminal with Python's readline."""
        if self._read is not input or not (_is_tty(self.out) and os.isatty(0)):
            return
        try:
            import readline
        except ImportError:  # Python built without it (Windows): plain input
            return
        self.readline = True
        choices = sorted(words)

        def complete(text: str, state: int) -> str | None:
            found = [word for word in choices if word.startswith(text)]
            return found[state] if state < len(found) else None

        readline.set_completer(complete)
        readline.set_completer_delims(" \t\n")
        readline.parse_and_bind(
            "bind ^I rl_complete" if "libedit" in (readline.__doc__ or "") else "tab: complete"
        )
        if history is None:
            return
        readline.set_history_length(HISTORY_LENGTH)
        with contextlib.suppress(OSError):  # no history yet, or unreadable: a fresh one
            readline.read_history_file(history)
        self._history = history

    def save_history(self) -> None:
        """Write the history file, created readable by its owner only (what was typed
        holds career plans)."""
        path = self._history
        if path is None:
            return
        import readline

        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
            path.chmod(0o600)
            readline.write_history_file(path)
        except OSError:  # a read-only home: the rehearsal itself is saved, not the history
            pass
