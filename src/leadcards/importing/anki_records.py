"""What an Anki package holds, as plain values: the same for every package generation,
so the conversion to decks and history never asks which one it came from.

Values keep Anki's own units and codes (documented on each field), so nothing is lost
before the importer decides what they mean.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

# Which collection file a package carries: collection.anki2 (Anki 2.0 and 2.1 before
# 2.1.28 or so), collection.anki21 (2.1's legacy export), collection.anki21b (2.1.50+,
# zstd-compressed, schema 18).
PackageFormat = Literal["anki2", "anki21", "anki21b"]


@dataclass(frozen=True)
class AnkiTemplate:
    """One card template of a note type: which card ``ordinal`` it makes."""

    name: str
    ordinal: int
    question: str  # Anki's template syntax: {{Field}}, {{cloze:Text}}, {{#Field}}…
    answer: str


@dataclass(frozen=True)
class AnkiNoteType:
    id: int
    name: str
    cloze: bool  # a cloze note type: one card per cloze number, not per template
    fields: tuple[str, ...]  # field names in order (a note's values are in this order)
    templates: tuple[AnkiTemplate, ...]


@dataclass(frozen=True)
class AnkiDeck:
    id: int
    name: str  # levels joined by "::", as Anki shows it: "Parent::Child"
    filtered: bool  # a filtered deck: its cards live in another deck (their odid)


@dataclass(frozen=True)
class AnkiNote:
    id: int  # milliseconds since the epoch when the note was added
    guid: str
    notetype_id: int
    fields: tuple[str, ...]  # HTML, as Anki stores it
    tags: tuple[str, ...]
    modified: int  # seconds since the epoch


@dataclass(frozen=True)
class AnkiCard:
    id: int  # milliseconds since the epoch when the card was made
    note_id: int
    deck_id: int  # where it is now; a filtered deck when original_deck_id is set
    original_deck_id: int  # the home deck of a card in a filtered deck, else 0
    ordinal: int  # template index, or cloze number - 1
    type: int  # 0 new, 1 learning, 2 review, 3 relearning
    queue: int  # type's queue, or -1 suspended, -2 buried as a sibling, -3 buried by hand
    due: int  # new: position; learning: epoch seconds; review: day number from `created`
    interval: int  # days (review cards); 0 otherwise
    ease_factor: int  # permille: 2500 is 250%; 0 for new cards
    reps: int
    lapses: int


@dataclass(frozen=True)
class AnkiReview:
    id: int  # milliseconds since the epoch: when the answer was given
    card_id: int
    ease: int  # button pressed, 1 Again to 4 Easy; 0 for a manual change
    interval: int  # days when positive, seconds when negative
    last_interval: int  # the same, before the answer
    ease_factor: int  # permille, after the answer
    time_ms: int  # time taken to answer
    kind: int  # 0 learning, 1 review, 2 relearning, 3 filtered, 4 manual, 5 rescheduled


@dataclass(frozen=True)
class AnkiMediaFile:
    """One media file listed by the package."""

    name: str  # the name the notes refer to it by
    size: int  # bytes once unpacked
    entry: str  # its member of the zip ("0", "1", …)
    problem: str | None  # why it would not be extracted (an unsafe name), or None


@dataclass(frozen=True)
class AnkiCollection:
    format: PackageFormat
    schema: int  # the collection's `ver`: 11 for legacy packages, 18 for the newest
    created: int  # col.crt, epoch seconds: day 0 of review cards' `due`
    notetypes: Mapping[int, AnkiNoteType]
    decks: Mapping[int, AnkiDeck]
    notes: tuple[AnkiNote, ...]  # in id order, as are cards and reviews
    cards: tuple[AnkiCard, ...]
    revlog: tuple[AnkiReview, ...]
    media: tuple[AnkiMediaFile, ...]
