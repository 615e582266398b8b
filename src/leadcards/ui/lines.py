"""Line mode: one command per line in, plain text out, for scripts and screen readers.

It prints only what changed after each command (a message, the help, the answer or
the next card), never a redrawn screen, no Markdown emphasis and no control character.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from leadcards.deck.text import plain
from leadcards.printable import printable
from leadcards.ui.controller import OPTION_LETTERS, Controller, help_lines, side_keys
from leadcards.ui.render import origin_title

Say = Callable[[list[str]], None]


def card_lines(controller: Controller) -> list[str]:
    """The card before its answer: position, question, options, and what to type."""
    card = controller.card
    assert card is not None
    new, learning, due = controller.counts()
    done, total = controller.progress((new, learning, due))
    name = controller.deck_names.get(card.deck_id, card.deck_id)
    if controller.session.practising:
        lines = [f"--- cram: card {done + 1} of {total} · {name} · no schedule changes"]
    else:
        tally = f"{new} new, {learning} learning, {due} due"
        lines = [f"--- card {done + 1} of {total} · {name} · {tally}"]
    origin = origin_title(card, revealed=False)
    if origin:
        lines.append(f"[{origin}]")
    lines.append("Q: " + plain(card.front))
    for letter, option in zip(OPTION_LETTERS, card.options, strict=False):
        lines.append(f"  {letter}) {plain(option)}")
    if card.options:
        lines.append("(a-d to choose, empty line to show the answer)")
    elif side_keys(card):
        named = " · ".join(f"{key} {plain(card.sides[i])}" for key, i in side_keys(card).items())
        lines.append(f"({named} to answer, empty line to show the answer)")
    else:
        lines.append("(empty line to show the answer)")
    return lines


def answer_lines(controller: Controller) -> list[str]:
    """The revealed answer, the verdict on a pick, and the four ratings."""
    card = controller.card
    assert card is not None
    lines = []
    if controller.choice is not None:
        verdict = "right" if controller.choice.correct else "wrong"
        lines.append(f"You chose: {controller.choice.label} ({verdict})")
    answer = card.options[card.answer_index] if card.options else card.back
    if card.template == "identify" and (origin := origin_title(card, revealed=True)):
        lines.append(f"[{origin}]")
    lines.append("A: " + plain(answer))
    if card.extra:
        lines.append("   " + plain(card.extra))
    buttons = " · ".join(f"{r} {name} {ivl}".rstrip() for r, name, ivl in controller.ratings_line())
    suggested = f" (empty line = {controller.suggestion or 3})"
    lines.append(buttons + suggested)
    return lines


def step(controller: Controller, command: str, say: Say) -> None:
    """Apply one command and print what it changed."""
    shown = controller.card
    was_revealed = controller.revealed
    controller.handle(command)
    if controller.message:
        say([controller.message])
    if controller.show_help:
        practice = controller.session.practising
        say([f"  {keys}: {meaning}" for keys, meaning in help_lines(practice)])
    if controller.finished:
        return
    if controller.card is not shown or (was_revealed and not controller.revealed):
        say(card_lines(controller))
    elif controller.revealed and not was_revealed:
        say(answer_lines(controller))


def run(controller: Controller, stdin: TextIO, out: TextIO) -> None:
    """Read commands until the review is finished or input ends; an empty line is Enter."""

    def say(lines: list[str]) -> None:
        out.write(printable("\n".join(lines)) + "\n")
        out.flush()  # a script waits for each card before it answers

    say(card_lines(controller))
    while not controller.finished:
        line = stdin.readline()
        if not line:
            return
        step(controller, line.strip().lower() or "enter", say)
