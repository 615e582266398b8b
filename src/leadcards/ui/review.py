"""The two review front ends: single keys in a terminal, or one command per line.

Both only translate input into controller commands and draw the controller's state;
everything that is stored happens in the session, one transaction per answer, before
the next card is drawn. So q, Ctrl-C, a closed terminal or a kill lose nothing
already answered. This module holds what the two share: the start ("nothing due"),
the end (the summary and the exit code); ``terminal`` and ``lines`` hold the loops.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from rich.console import Console, RenderableType

from leadcards.clock import due_text
from leadcards.errors import ExitStatus
from leadcards.session import Session
from leadcards.ui import lines
from leadcards.ui.controller import Controller
from leadcards.ui.editor import make_editor
from leadcards.ui.safe_console import SafeConsole
from leadcards.ui.screen import summary_view

Show = Callable[[RenderableType], None]


def next_due_text(session: Session) -> str:
    """When the next card is due, by the session's own clock."""
    return due_text(session.summary.next_due_ms, session.clock())


def run_terminal(session: Session, deck_names: dict[str, str], console: Console) -> int:
    """Single keys on a full-screen view; returns the exit code."""
    # Imported here: line mode needs neither the screen nor a platform's key reader.
    from leadcards.ui import terminal
    from leadcards.ui.console_io import key_reader

    keys = key_reader(sys.stdin.fileno())
    edit = make_editor(session, keys.pause, keys.resume)
    controller = Controller(session, deck_names, edit=edit)
    return _review(
        controller, lambda: terminal.run(controller, console, keys), console.print, boxed=True
    )


def run_lines(session: Session, deck_names: dict[str, str], stdin: TextIO, out: TextIO) -> int:
    """One command per line, plain text out; end of input quits with the summary."""
    plain_console = SafeConsole(
        file=out, color_system=None, width=80, highlight=False, markup=False, emoji=False
    )

    def show(view: RenderableType) -> None:
        plain_console.print(view)
        out.flush()

    controller = Controller(session, deck_names)
    return _review(controller, lambda: lines.run(controller, stdin, out), show, boxed=False)


def _review(controller: Controller, loop: Callable[[], None], show: Show, *, boxed: bool) -> int:
    """Start, run one front end's ``loop``, then end with the summary and an exit code.

    Ctrl-C inside the loop still ends with the summary: every answer is already saved.
    """
    session = controller.session
    controller.start()
    if controller.finished:
        session.finish()
        if session.practising:
            show("Nothing to practise.")
        else:
            show(f"Nothing due now. Next card: {next_due_text(session)}.")
        return 0
    try:
        loop()
    except KeyboardInterrupt:
        interrupted = True
    else:
        interrupted = False
    session.finish()
    covered = [controller.deck_names.get(deck, deck) for deck in session.decks]
    show(summary_view(session.summary, next_due_text(session), covered, boxed=boxed))
    if interrupted:
        sys.stderr.write("interrupted: every answer given is saved\n")
        return ExitStatus.INTERRUPTED
    return 0
