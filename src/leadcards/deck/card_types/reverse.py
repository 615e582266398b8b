"""The ``reversed`` card type: two cards, front → back and back → front."""

from __future__ import annotations

from leadcards.deck.card_types.base import ANSWER, EXTRA, Entry, EntryType, NoteType, Template, wrap
from leadcards.deck.card_types.basic import front_back_extra
from leadcards.deck.model import Kind, Note

NOTE_TYPE = NoteType(
    1_732_104_002,
    "leadcards Reversed",
    ("Front", "Back", "Extra"),
    (
        Template(
            "forward",
            "Forward",
            wrap("basic", "{{Front}}"),
            ANSWER + wrap("basic", "{{Back}}" + EXTRA),
        ),
        Template(
            "reverse",
            "Reverse",
            wrap("basic", "{{Back}}"),
            ANSWER + wrap("basic", "{{Front}}" + EXTRA),
        ),
    ),
)


def build(entry: Entry) -> Note:
    front, back = entry.values["front"], entry.values["back"]
    return entry.note([entry.card("forward", front, back), entry.card("reverse", back, front)])


TYPE = EntryType(
    kind=Kind.REVERSED,
    fields=("front", "back"),
    id_from="front",
    build=build,
    note_type=NOTE_TYPE,
    anki_fields=front_back_extra,
)
