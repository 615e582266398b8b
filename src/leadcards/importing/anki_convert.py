"""An Anki collection as leadcards decks: which notes convert, and to what.

A note type is recognised by its shape, not its name (Anki renames copies, "Basic-a1b2c",
and users rename their own): a cloze type gives cloze notes; one template over two or
more fields, basic notes; two templates whose second asks the second field, reversed
notes, or, when that template shows only if a third field is filled ("Basic (optional
reversed card)"), reversed notes for the notes that fill it. Any other type is listed
by name, and ``as_basic`` takes its first two fields.

A note whose GUID is one leadcards gave a note of a deck it knows (exported before)
maps back to that note's cards: no deck is written for it, and its reviews land on
those cards. A note an earlier import wrote (its deck keeps the Anki GUID) is written
again, so a newer package updates its text; its id, and so its cards, stay the same.
Every other note is written into the deck of its first card (a card in a
filtered deck counts in its home deck), one deck per Anki deck, ``Parent::Child``
names kept; note ids derive from the GUID, so importing a newer package updates the
same cards.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from leadcards.deck.card_types import card_type
from leadcards.deck.model import Kind, Note
from leadcards.export.apkg import note_guid
from leadcards.importing.anki_records import AnkiCard, AnkiCollection, AnkiNote, AnkiNoteType
from leadcards.importing.deck_writer import (
    BasicNote,
    ClozeNote,
    NewDeck,
    NewNote,
    ReversedNote,
    deck_id_for,
    note_id_for,
    note_problem,
)
from leadcards.importing.html_text import html_to_markdown

Shape = Literal["basic", "reversed", "optional", "cloze", "own-basic", "own-reversed"]
_OWN: dict[Kind, Shape] = {
    Kind.BASIC: "own-basic",
    Kind.REVERSED: "own-reversed",
    Kind.CLOZE: "cloze",
}
_FIELD_REF = re.compile(r"{{\s*([#^/]?)\s*(?:[\w-]+:)*([^{}:]+?)\s*}}")


def shape_of(note_type: AnkiNoteType) -> Shape | None:
    """How a note type's notes convert; None: not a shape we know, or one with fields a
    leadcards note would lose. leadcards' own types (exported before) are known by id."""
    for kind, shape in _OWN.items():
        if note_type.id == card_type(kind).note_type.model_id:
            return shape
    fields, templates = note_type.fields, note_type.templates
    if note_type.cloze:
        return "cloze" if 1 <= len(fields) <= 2 else None
    if len(fields) == 2 and len(templates) == 1:
        return "basic" if fields[0] in _refs(templates[0].question) else None
    if len(templates) != 2 or fields[0] not in _refs(templates[0].question):
        return None
    second = templates[1].question
    if fields[1] not in _refs(second):
        return None
    if len(fields) == 2:
        return "reversed"
    sections = {name for kind, name in _FIELD_REF.findall(second) if kind == "#"}
    return "optional" if len(fields) == 3 and fields[2] in sections else None


def _refs(template: str) -> set[str]:
    return {name for kind, name in _FIELD_REF.findall(template) if kind == ""}


@dataclass(frozen=True)
class KnownNote:
    """A note of a deck leadcards has: its cards by Anki ordinal."""

    deck_id: str
    note_id: str
    cards: Mapping[int, str]  # Anki card ordinal → card key
    imported: bool  # it has its own ``guid``: an import wrote it, a newer one rewrites it


def known_notes(decks: Iterable[tuple[str, list[Note]]]) -> dict[str, KnownNote]:
    """Every known note by the GUID exports give it (its own ``guid``, else the key's)."""
    found = {}
    for deck_id, notes in decks:
        for note in notes:
            note_type = card_type(note.kind).note_type
            cards = {note_type.ordinal(card.template): card.key for card in note.cards}
            guid = note.guid or note_guid(deck_id, note.id)
            found[guid] = KnownNote(deck_id, note.id, cards, bool(note.guid))
    return found


@dataclass
class Conversion:
    """What an import writes and maps, and what it leaves out (never silently)."""

    decks: list[NewDeck] = field(default_factory=list)
    anki_names: dict[str, str] = field(default_factory=dict)  # deck id → Anki deck name
    known: dict[int, str] = field(default_factory=dict)  # Anki card id → known card key
    pending: dict[int, tuple[str, str, int]] = field(default_factory=dict)  # card id →
    # (deck id, note id, ordinal) of a written note; its key is known once written
    known_notes: int = 0
    media: dict[str, None] = field(default_factory=dict)  # names the texts refer to
    skipped: Counter[str] = field(default_factory=Counter)  # reason → notes
    other_types: Counter[str] = field(default_factory=Counter)  # note type → notes
    as_basic: int = 0

    @property
    def notes(self) -> int:
        return sum(len(deck.notes) for deck in self.decks)


def convert(
    collection: AnkiCollection,
    known: Mapping[str, KnownNote],
    *,
    as_basic: bool = False,
    only_deck: str | None = None,
) -> Conversion:
    """The decks to write for ``collection`` and how its cards map to leadcards cards."""
    done = Conversion()
    cards_of: dict[int, list[AnkiCard]] = {}
    for card in collection.cards:
        cards_of.setdefault(card.note_id, []).append(card)
    grouped: dict[str, list[NewNote]] = {}
    taken: dict[str, set[str]] = {}
    for note in collection.notes:
        cards = sorted(cards_of.get(note.id, ()), key=lambda c: c.ordinal)
        if not cards:
            done.skipped["a note without cards"] += 1
            continue
        deck_name = _home_deck(collection, cards[0])
        if only_deck is not None and not _within(deck_name, only_deck):
            continue
        mapped = known.get(note.guid)
        if mapped is not None and not mapped.imported:
            done.known_notes += 1
            for card in cards:
                key = mapped.cards.get(card.ordinal)
                if key is not None:
                    done.known[card.id] = key
            continue
        note_type = collection.notetypes.get(note.notetype_id)
        shape = shape_of(note_type) if note_type is not None else None
        type_name = note_type.name if note_type is not None else f"#{note.notetype_id}"
        if shape is None:
            if not as_basic or note_type is None or len(note.fields) < 2:
                done.other_types[type_name] += 1
                continue
            done.as_basic += 1
            shape = "basic"
        deck_id = deck_id_for(deck_name)
        ids = taken.setdefault(deck_id, set())
        made = _note(note, shape, note_id_for(f"anki {note.guid}", ids), done)
        problem = note_problem(made)
        if problem is not None:
            done.skipped[problem] += 1
            continue
        ids.add(made.id)
        grouped.setdefault(deck_id, []).append(made)
        done.anki_names[deck_id] = deck_name
        for card in cards:
            done.pending[card.id] = (deck_id, made.id, card.ordinal)
    for deck_id, notes in grouped.items():
        name = done.anki_names[deck_id]
        done.decks.append(NewDeck(deck_id, name, notes, source=f"Anki deck '{name}'"))
    return done


def _home_deck(collection: AnkiCollection, card: AnkiCard) -> str:
    deck_id = card.original_deck_id or card.deck_id
    deck = collection.decks.get(deck_id)
    return deck.name if deck is not None else "Default"


def _within(name: str, wanted: str) -> bool:
    """``name`` is the deck ``wanted`` or one of its subdecks (Anki ignores case)."""
    name, wanted = name.casefold(), wanted.casefold()
    return name == wanted or name.startswith(wanted + "::")


def _text(html: str, done: Conversion) -> str:
    converted = html_to_markdown(html)
    for name in converted.media:
        done.media.setdefault(name, None)
    return converted.text


def _note(note: AnkiNote, shape: Shape, note_id: str, done: Conversion) -> NewNote:
    fields = note.fields
    tags = tuple(note.tags)
    if shape == "cloze":
        extra = _text(fields[1], done) if len(fields) > 1 else ""
        return ClozeNote(note_id, _text(fields[0], done), extra, tags, note.guid)
    front, back = _text(fields[0], done), _text(fields[1], done)
    own = shape in ("own-basic", "own-reversed")
    extra = _text(fields[2], done) if own and len(fields) > 2 else ""
    reverse = shape in ("reversed", "own-reversed") or (
        shape == "optional" and len(fields) > 2 and bool(html_to_markdown(fields[2]).text.strip())
    )
    if reverse:
        return ReversedNote(note_id, front, back, extra, tags, note.guid)
    return BasicNote(note_id, front, back, extra, tags, note.guid)


def written_keys(conversion: Conversion, written: Mapping[str, list[Note]]) -> dict[int, str]:
    """Anki card id → leadcards card key of the notes written (as synced, by deck)."""
    by_note: dict[tuple[str, str], dict[int, str]] = {}
    for deck_id, notes in written.items():
        for note in notes:
            note_type = card_type(Kind(note.kind)).note_type
            by_note[(deck_id, note.id)] = {
                note_type.ordinal(card.template): card.key for card in note.cards
            }
    found = {}
    for card_id, (deck_id, note_id, ordinal) in conversion.pending.items():
        key = by_note.get((deck_id, note_id), {}).get(ordinal)
        if key is not None:
            found[card_id] = key
    return found
