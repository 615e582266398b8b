"""The order a deck introduces its notes in: its ``order:`` list, then file order.

New cards are introduced in deck order, and one card of a note a day (its siblings
wait), so the order of notes is what a learner's first days are made of. A deck left
to file order gives every table before any card; ``order:`` lets its author put the
big picture first, mix kinds of card from the first day, and bring a scenario only
after the facts it draws on.

An item names notes by the start of their id: a card's ``id``, a table id (its cells,
row by row), ``table:row`` (that row's cells) or ``table:row:column`` (one cell).
"""

from __future__ import annotations

from yaml.nodes import Node

from leadcards.deck.model import Note
from leadcards.deck.reader import Reader, line_of


def ordered(reader: Reader, node: Node | None, notes: list[Note]) -> list[Note]:
    """``notes`` in the order ``node`` (the deck's ``order:``) gives; a note named by
    several items goes where it is first named, and notes named by none follow in
    file order. An item that names no note, or only notes placed above, is reported."""
    items = reader.sequence(node, "order")
    if not items:
        return notes
    by_name: dict[str, list[Note]] = {}
    for note in notes:
        parts = note.id.split(":")
        for end in range(1, len(parts) + 1):
            by_name.setdefault(":".join(parts[:end]), []).append(note)
    placed: dict[str, int] = {}  # note id → line of the item that placed it
    first: list[Note] = []
    for item in items:
        name = reader.text(item, "each item of order")
        if name is None:
            continue
        named = by_name.get(name)
        if not named:
            hint = reader.suggest(name, list(by_name))
            reader.problem(item, f"order: '{name}' names no table, row or card{hint}")
            continue
        fresh = [note for note in named if note.id not in placed]
        if not fresh:
            line = placed[named[0].id]
            reader.problem(item, f"order: '{name}' is already placed by line {line}")
            continue
        for note in fresh:
            placed[note.id] = line_of(item)
            first.append(note)
    return first + [note for note in notes if note.id not in placed]
