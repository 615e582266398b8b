"""The ``basic`` card type (the default): one card, front → back."""

from __future__ import annotations

from leadcards.deck.card_types.base import (
    ANSWER,
    EXTRA,
    AnkiField,
    Entry,
    EntryType,
    Markdown,
    NoteType,
    Template,
    wrap,
)
from leadcards.deck.model import Kind, Note

NOTE_TYPE = NoteType(
    1_732_104_001,
    "leadcards Basic",
    ("Front", "Back", "Extra"),
    (
        Template(
            "front", "Card", wrap("basic", "{{Front}}"), ANSWER + wrap("basic", "{{Back}}" + EXTRA)
        ),
    ),
)


def build(entry: Entry) -> Note:
    return entry.note([entry.card("front", entry.values["front"], entry.values["back"])])


def front_back_extra(note: Note) -> tuple[AnkiField, ...]:
    """Front, Back and Extra as the first card shows them (the reversed type shares this)."""
    first = note.cards[0]
    return Markdown(first.front), Markdown(first.back), Markdown(first.extra)


TYPE = EntryType(
    kind=Kind.BASIC,
    fields=("front", "back"),
    id_from="front",
    build=build,
    note_type=NOTE_TYPE,
    anki_fields=front_back_extra,
)
