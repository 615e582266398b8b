"""The ``cloze`` card type, in Anki's syntax: ``{{c1::answer}}`` and ``{{c1::answer::hint}}``.

One card per deletion number; the Anki note carries the text, and Anki makes the same
cards from it. The text is read once, the way Anki's own parser reads it: an opening
``{{c<number>::``, a closing ``}}``, the hint after the first ``::`` between them. What
Anki would read otherwise than leadcards is refused when the deck is loaded, so a deck
that loads makes the same cards in both: deletions inside deletions (or inside a hint),
one deletion on several cards (``{{c1,2::``), numbers Anki ignores (0, past what it
can count) or merges (past 500), digits other than 0-9, a deletion never closed.

Each card is then assembled from the pieces read, so a note's cards cost one reading
of its text plus the cards themselves: never a reading per deletion number, which made
a note with thousands of deletions take minutes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from leadcards.deck.card_types.base import (
    EXTRA,
    AnkiField,
    ClozeField,
    Entry,
    EntryType,
    NoteType,
    Template,
    wrap,
)
from leadcards.deck.model import Kind, Note

# Anki makes cloze card n with ordinal n - 1 and clamps ordinals at 499: every number
# past 500 would land on card 500, so a note has at most 500 (c1 to c500).
MAX_NUMBER = 500

# Anki's two tokens. An opening's digits are matched as any Unicode digit (and commas)
# so that the forms Anki reads differently can be refused by name rather than passed by.
_TOKEN = re.compile(r"\{\{c(,*\d[\d,]*)::|\}\}")

NOTE_TYPE = NoteType(
    1_732_104_003,
    "leadcards Cloze",
    ("Text", "Extra"),
    (
        Template(
            "c<n>",
            "Cloze",
            wrap("cloze", "{{cloze:Text}}"),
            wrap("cloze", "{{cloze:Text}}" + EXTRA),
        ),
    ),
    cloze=True,
)


class ClozeError(ValueError):
    """Cloze text leadcards and Anki would not read alike; the message is one line."""


@dataclass(frozen=True, slots=True)
class Deletion:
    """One ``{{cN::answer::hint}}``; ``hint`` is None when there is no ``::hint``."""

    number: int
    answer: str
    hint: str | None


Piece = str | Deletion


def parse_cloze(text: str) -> tuple[Piece, ...]:
    """The text as plain pieces and deletions, in order, in one pass.

    Raises ClozeError for anything Anki would read otherwise, or that makes no card
    (an empty answer); the text need not contain a deletion.
    """
    pieces: list[Piece] = []
    start = 0  # where the plain text not yet taken begins
    opening: re.Match[str] | None = None
    for token in _TOKEN.finditer(text):
        if token.group(1) is not None:
            if opening is not None:
                raise ClozeError(
                    f"cloze deletions cannot be nested: {token.group(0)} is inside "
                    f"{opening.group(0)}, which Anki and leadcards read differently"
                )
            opening = token
        elif opening is not None:
            answer, colons, hint = text[opening.end() : token.start()].partition("::")
            number = _number(opening.group(1))
            if not answer.strip():
                raise ClozeError(f"cloze deletion c{number} is empty")
            if opening.start() > start:
                pieces.append(text[start : opening.start()])
            pieces.append(Deletion(number, answer, hint if colons else None))
            start, opening = token.end(), None
        # A closing outside any deletion is plain text, for Anki too.
    if opening is not None:
        raise ClozeError(f"the cloze deletion {opening.group(0)} is never closed with }}}}")
    if start < len(text):
        pieces.append(text[start:])
    return tuple(pieces)


def _number(written: str) -> int:
    """The deletion number written after ``{{c``, or ClozeError if Anki reads it otherwise."""
    if "," in written:
        raise ClozeError(
            f"{{{{c{written}::...}}}} puts one deletion on several cards, which leadcards "
            "does not support: give each deletion one number"
        )
    if not written.isascii():
        raise ClozeError(f"cloze number '{written}' must be written with the digits 0-9")
    digits = written.lstrip("0") or "0"
    if len(digits) > len(str(MAX_NUMBER)) or int(digits) > MAX_NUMBER:
        shown = written if len(written) <= 12 else written[:12] + "..."
        raise ClozeError(
            f"cloze number c{shown} is too large: Anki makes at most {MAX_NUMBER} cards "
            f"from one note (c1 to c{MAX_NUMBER})"
        )
    if digits == "0":
        raise ClozeError("cloze numbers start at 1: Anki ignores {{c0::...}}")
    return int(digits)


def cloze_numbers(pieces: tuple[Piece, ...]) -> list[int]:
    """The distinct deletion numbers, ascending: one card each."""
    return sorted({p.number for p in pieces if isinstance(p, Deletion)})


def hidden(deletion: Deletion) -> str:
    """A deletion on the front of its own card: its hint, or an ellipsis."""
    return f"[{deletion.hint}]" if deletion.hint else "[...]"


def revealed(deletion: Deletion) -> str:
    """A deletion on the back of its own card: its answer, in bold."""
    return f"**{deletion.answer}**"


def card_sides(pieces: tuple[Piece, ...]) -> Iterator[tuple[int, str, str]]:
    """(number, front, back) of each card, ascending: Markdown with the card's own
    deletions hidden or revealed, every other deletion showing its answer, as Anki does.

    The text with every answer shown is laid out once; a card copies that list and
    changes only its own deletions, so the work per card is a copy and a join.
    """
    shown: list[str] = []
    where: dict[int, list[tuple[int, Deletion]]] = {}
    for index, piece in enumerate(pieces):
        if isinstance(piece, Deletion):
            where.setdefault(piece.number, []).append((index, piece))
            shown.append(piece.answer)
        else:
            shown.append(piece)
    for number in sorted(where):
        front, back = shown.copy(), shown.copy()
        for index, deletion in where[number]:
            front[index], back[index] = hidden(deletion), revealed(deletion)
        yield number, "".join(front), "".join(back)


def render_cloze(text: str, number: int, *, reveal: bool) -> str:
    """Markdown for cloze card ``number`` of ``text`` (valid cloze text)."""
    parts = []
    for piece in parse_cloze(text):
        if isinstance(piece, str):
            parts.append(piece)
        elif piece.number != number:
            parts.append(piece.answer)
        else:
            parts.append(revealed(piece) if reveal else hidden(piece))
    return "".join(parts)


def cloze_answers(text: str, number: int) -> list[str]:
    """The answers of card ``number`` of ``text`` (valid cloze text), in order."""
    pieces = parse_cloze(text)
    return [p.answer for p in pieces if isinstance(p, Deletion) and p.number == number]


def build(entry: Entry) -> Note | None:
    try:
        pieces = parse_cloze(entry.values["text"])
    except ClozeError as exc:
        entry.problem("text", str(exc))
        return None
    if not any(isinstance(p, Deletion) for p in pieces):
        entry.problem("text", "cloze text has no deletion: mark one like {{c1::answer}}")
        return None
    cards = [entry.card(f"c{number}", front, back) for number, front, back in card_sides(pieces)]
    return entry.note(cards)


def anki_fields(note: Note) -> tuple[AnkiField, ...]:
    # Extra too: Anki looks for deletions in every field of a cloze note.
    return ClozeField(note.fields["text"]), ClozeField(note.cards[0].extra, deletions=False)


TYPE = EntryType(
    kind=Kind.CLOZE,
    fields=("text",),
    id_from="text",
    build=build,
    note_type=NOTE_TYPE,
    anki_fields=anki_fields,
)
