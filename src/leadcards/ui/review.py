"""The two review front ends: single keys in a terminal, or one command per line.

Both only translate input into controller commands and draw the controller's state;
everything that is stored happens in the session, one transaction per answer, before
the next card is drawn. So q, Ctrl-C, a closed terminal or a kill lose nothing
already answered.
"""

from __future__ import annotations

import os
import re
import select
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console

from leadcards import paths
from leadcards.clock import now, to_ms
from leadcards.deck.model import Card
from leadcards.errors import DeckError
from leadcards.scheduling import format_interval
from leadcards.session import Session
from leadcards.ui.controller import OPTION_LETTERS, Controller, side_keys
from leadcards.ui.screen import review_screen, summary_view


def next_due_text(session: Session) -> str:
    summary = session.summary
    at = to_ms(now())
    if summary.next_due_ms is None:
        return "nothing scheduled"
    if summary.next_due_ms <= at:
        return "now"
    from leadcards.clock import from_ms

    local = from_ms(summary.next_due_ms).astimezone().strftime("%Y-%m-%d %H:%M")
    return f"in {format_interval(summary.next_due_ms - at)} ({local})"


def make_editor(
    session: Session, before: Callable[[], None], after: Callable[[], None]
) -> Callable[[Card], str]:
    """The `e` key: open the card's deck file at its line, then reload that deck."""

    def edit(card: Card) -> str:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            return "Set $EDITOR (or $VISUAL) to edit cards from the review."
        deck = session.decks[card.deck_id]
        builtin_dir = paths.builtin_decks_dir().resolve()
        if deck.path.resolve().parent == builtin_dir:
            return (
                "The built-in deck is part of leadcards; copy it into your data folder's "
                "decks/ (with a new id) to make your own."
            )
        before()
        try:
            subprocess.call([*shlex.split(editor), f"+{card.line}", str(deck.path)])
        except OSError as exc:
            return f"Could not start the editor {editor!r}: {exc.strerror}"
        finally:
            after()
        try:
            changed = session.reload_deck(deck.path)
        except DeckError as exc:
            first = exc.problems[0]
            return f"The deck now has problems, kept the old cards: {first}"
        return f"Reloaded {deck.path.name}: {changed} cards."

    return edit


# single-key terminal ----------------------------------------------------------


KEY_NAMES = {" ": "enter", "\r": "enter", "\n": "enter"}


def decode_keys(data: bytes) -> list[str]:
    """Raw bytes from the terminal → commands. Escape sequences (arrows, F-keys) vanish."""
    text = data.decode("utf-8", errors="ignore")
    commands: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\x1b":  # skip a whole CSI/SS3 sequence
            i += 1
            if i < len(text) and text[i] in "[O":
                i += 1
                while i < len(text) and not ("@" <= text[i] <= "~"):
                    i += 1
            i += 1
            continue
        if ch in KEY_NAMES:
            commands.append(KEY_NAMES[ch])
        elif ch == "\x03":
            raise KeyboardInterrupt
        elif ch == "\x04":
            commands.append("q")
        elif ch.isprintable():
            commands.append(ch.lower())
        i += 1
    return commands


@contextmanager
def cbreak(fd: int) -> Iterator[None]:
    """Keys without Enter, no echo; Ctrl-C still interrupts."""
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def run_terminal(session: Session, deck_names: dict[str, str], console: Console) -> int:
    fd = sys.stdin.fileno()
    resized = [False]

    def on_resize(*_: object) -> None:
        resized[0] = True

    previous = signal.signal(signal.SIGWINCH, on_resize)
    mode: list[object] = []

    def leave() -> None:
        import termios

        if mode:
            termios.tcsetattr(fd, termios.TCSADRAIN, mode[0])  # type: ignore[arg-type]

    def enter() -> None:
        import tty

        tty.setcbreak(fd)

    controller = Controller(session, deck_names, edit=make_editor(session, leave, enter))
    controller.start()
    if controller.finished:
        return nothing_due(session, console)
    interrupted = False
    try:
        import termios

        mode.append(termios.tcgetattr(fd))
        with console.screen(hide_cursor=True), cbreak(fd):
            draw = True
            while not controller.finished:
                if draw or resized[0]:
                    resized[0] = False
                    console.clear()
                    console.print(review_screen(controller))
                    draw = False
                ready, _, _ = select.select([fd], [], [], 0.25)
                if not ready:
                    continue
                data = os.read(fd, 64)
                if not data:
                    break  # the terminal went away
                for command in decode_keys(data):
                    controller.handle(command)
                    draw = True
                    if controller.finished:
                        break
    except KeyboardInterrupt:
        interrupted = True
    finally:
        signal.signal(signal.SIGWINCH, previous)
    session.finish()
    console.print(summary_view(session.summary, next_due_text(session)))
    if interrupted:
        sys.stderr.write("interrupted: every answer given is saved\n")
        return 130
    return 0


def nothing_due(session: Session, console: Console | None, out: TextIO | None = None) -> int:
    session.finish()
    text = f"Nothing due now. Next card: {next_due_text(session)}."
    if console is not None:
        console.print(text)
    elif out is not None:
        out.write(text + "\n")
    return 0


# line mode ---------------------------------------------------------------------


_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")


def plain(text: str) -> str:
    """Markdown emphasis dropped: screen readers should not read out asterisks."""
    return _EMPHASIS.sub(r"\2", text)


def _plain_card(controller: Controller) -> list[str]:
    card = controller.card
    assert card is not None
    new, learning, due = controller.counts()
    done, total = controller.progress((new, learning, due))
    name = controller.deck_names.get(card.deck_id, card.deck_id)
    lines = [f"--- card {done + 1} of {total} · {name} · {new} new, {learning} learning, {due} due"]
    if card.origin is not None:
        lines.append(f"[{card.origin.table_title or card.origin.table_id} · {card.origin.row}]")
    lines.append("Q: " + plain(card.front))
    for letter, option in zip(OPTION_LETTERS, card.options, strict=False):
        lines.append(f"  {letter}) {plain(option)}")
    if card.options:
        lines.append("(a-d to choose, empty line to show the answer)")
    elif side_keys(card):
        lines.append(f"({'/'.join(side_keys(card))} to answer, empty line to show the answer)")
    else:
        lines.append("(empty line to show the answer)")
    return lines


def _plain_answer(controller: Controller) -> list[str]:
    card = controller.card
    assert card is not None
    lines = []
    if controller.choice is not None:
        verdict = "right" if controller.choice.correct else "wrong"
        lines.append(f"You chose: {controller.choice.label} ({verdict})")
    answer = card.options[card.answer_index] if card.options else card.back
    lines.append("A: " + plain(answer))
    if card.extra:
        lines.append("   " + plain(card.extra))
    buttons = " · ".join(f"{r} {name} {ivl}" for r, name, ivl in controller.ratings_line())
    suggested = f" (empty line = {controller.suggestion or 3})"
    lines.append(buttons + suggested)
    return lines


def run_lines(session: Session, deck_names: dict[str, str], stdin: TextIO, out: TextIO) -> int:
    """One command per line; plain text out. End of input quits with the summary."""

    def say(lines: list[str]) -> None:
        out.write("\n".join(lines) + "\n")
        out.flush()

    controller = Controller(session, deck_names)
    controller.start()
    if controller.finished:
        return nothing_due(session, None, out)
    interrupted = False
    try:
        say(_plain_card(controller))
        while not controller.finished:
            line = stdin.readline()
            if not line:
                break
            command = line.strip().lower() or "enter"
            shown = controller.card
            was_revealed = controller.revealed
            controller.handle(command)
            if controller.message:
                say([controller.message])
            if controller.show_help:
                from leadcards.ui.controller import HELP_LINES

                say([f"  {keys}: {meaning}" for keys, meaning in HELP_LINES])
            if controller.finished:
                break
            if controller.card is not shown or (was_revealed and not controller.revealed):
                say(_plain_card(controller))
            elif controller.revealed and not was_revealed:
                say(_plain_answer(controller))
    except KeyboardInterrupt:
        interrupted = True
    session.finish()
    plain = Console(file=out, color_system=None, width=80, highlight=False)
    plain.print(summary_view(session.summary, next_due_text(session)))
    out.flush()
    if interrupted:
        sys.stderr.write("interrupted: every answer given is saved\n")
        return 130
    return 0
