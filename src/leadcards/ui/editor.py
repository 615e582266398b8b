"""The `e` key: open the card's deck file in the learner's editor, then reload that deck.

Cards keep their keys across an edit, so fixing a typo mid-review keeps the card's
history. A deck the edit broke is not loaded: the old cards stay until it is fixed.

The editor is ``$VISUAL``, else ``$EDITOR``, else the platform's own (Notepad on
Windows; nano, else vi, elsewhere). It runs from an argument list, never a shell, so a
deck path with spaces or a drive letter reaches it as one argument.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path, PureWindowsPath

from leadcards import paths
from leadcards.deck.model import Card
from leadcards.errors import DeckError
from leadcards.session import Session


def make_editor(
    session: Session, before: Callable[[], None], after: Callable[[], None]
) -> Callable[[Card], str]:
    """An edit hook for the controller; it returns the message line to show.

    ``before`` and ``after`` hand the terminal to the editor and take it back.
    """

    def edit(card: Card) -> str:
        configured = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        path = Path(session.decks[card.deck_id].path)
        try:
            command = editor_command(configured, str(path), card.line, windows=os.name == "nt")
        except ValueError as exc:  # an unclosed quote
            return f"Could not read the editor command '{configured}': {exc}"
        if command is None:
            return "Set $EDITOR (or $VISUAL) to edit cards from the review."
        builtin_dir = paths.builtin_decks_dir().resolve()
        if path.resolve().parent == builtin_dir:
            return (
                "The built-in deck is part of leadcards; copy it into your data folder's "
                "decks/ (with a new id) to make your own."
            )
        before()
        try:
            # The exit status is not checked: whatever the file now says is the deck.
            subprocess.call(command)
        except OSError as exc:
            return f"Could not start the editor '{configured or command[0]}': {exc.strerror}"
        finally:
            after()
        try:
            changed = session.reload_deck(path)
        except DeckError as exc:
            first = exc.problems[0]
            return f"The deck now has problems, kept the old cards: {first}"
        return f"Reloaded {path.name}: {changed} cards."

    return edit


NO_LINE_ARGUMENT = {
    "notepad",
    "notepad++",
    "wordpad",
    "write",
    "code",
    "code-insiders",
    "codium",
    "subl",
}
"""Editors that would open ``+12`` as a file: they get the deck's path alone."""


def editor_command(
    configured: str | None,
    path: str,
    line: int,
    *,
    windows: bool,
    which: Callable[[str], str | None] = shutil.which,
) -> list[str] | None:
    """The editor's argument list for ``path`` at ``line``; None when no editor is set
    and the platform's own is missing.

    ``$EDITOR`` may carry options (``code --wait``). On POSIX it is split as a shell
    would; on Windows a backslash separates folders, so only quotes group
    (``"C:\\Program Files\\Notepad++\\notepad++.exe" -multiInst``), and the program is
    looked up on PATH as the shell would (``code`` is ``code.cmd``).
    """
    if configured and windows and os.path.isfile(configured.strip('"')):
        words = [configured.strip('"')]  # a path with spaces, unquoted
    elif configured:
        words = _split_windows(configured) if windows else shlex.split(configured)
    elif windows:
        words = ["notepad"]
    else:
        fallback = next((name for name in ("nano", "vi") if which(name)), None)
        if fallback is None:
            return None
        words = [fallback]
    if not words:
        return None
    if windows:
        words[0] = which(words[0]) or words[0]
    program = PureWindowsPath(words[0]).stem if windows else Path(words[0]).name
    if program.lower() in NO_LINE_ARGUMENT:
        return [*words, path]
    return [*words, f"+{line}", path]


def _split_windows(command: str) -> list[str]:
    """Words of a Windows command line: quotes group and are removed, backslashes stay."""
    lexer = shlex.shlex(command, posix=False)
    lexer.whitespace_split = True
    return [word[1:-1] if len(word) > 1 and word[0] == word[-1] == '"' else word for word in lexer]
