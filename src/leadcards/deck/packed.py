"""A note as compact JSON text, as the store keeps it: how `review`, `cards` and
`export` get a deck's text without parsing its YAML.

Sync writes one text per note when the deck file changed; reading one back gives
the same ``Note`` and ``Card`` objects the loader made, so what is shown or exported
cannot depend on which of the two it came from. Lists, not objects, and trailing
defaults left out: a first sync writes one per note of a deck that may hold 100,000.

What all cards of a note share (kind, tags, line) is written once, for the note; a
note whose cards differ in those is a loader bug, refused here rather than stored
wrongly.
"""

from __future__ import annotations

import json
from typing import Any

from leadcards.deck.model import Card, Kind, Note, Origin, card_key

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
_DECODE = json.JSONDecoder()

# A card's values in the order they are written, and each one's default.
_CARD_DEFAULTS: tuple[Any, ...] = ("", "", "", "", [], -1, [], -1, None)


def pack_note(note: Note) -> str:
    """``note`` as one line of JSON."""
    cards = []
    for card in note.cards:
        if (card.kind, card.tags, card.line) != (note.kind, note.tags, note.line):
            raise ValueError(f"card {card.key} differs from its note in kind, tags or line")
        origin = card.origin
        values: list[Any] = [
            card.template,
            card.front,
            card.back,
            card.extra,
            card.options,
            card.answer_index,
            card.sides,
            card.answer_side,
            None
            if origin is None
            else [origin.table_id, origin.table_title, origin.row_label, origin.row, origin.column],
        ]
        end = len(values)
        while end > 1 and values[end - 1] in (_CARD_DEFAULTS[end - 1], ()):
            end -= 1
        cards.append(values[:end])
    values = [note.kind.value, note.line, note.tags, note.fields, cards]
    if note.guid:  # trailing, and only when given: text stored before it still reads
        values.append(note.guid)
    return _COMPACT.encode(values)


def unpack_note(deck_id: str, note_id: str, text: str) -> Note:
    """The note ``pack_note`` wrote, with its cards."""
    kind_name, line, tags_list, fields, packed, *more = _DECODE.decode(text)
    kind, tags = Kind(kind_name), tuple(tags_list)
    cards = tuple(_card(deck_id, note_id, kind, tags, line, values) for values in packed)
    return Note(note_id, kind, fields, tags, cards, line, more[0] if more else "")


def unpack_card(deck_id: str, note_id: str, text: str, template: str) -> Card | None:
    """One card of the note ``pack_note`` wrote (a review shows one at a time); None
    when the note has no card of ``template``."""
    kind_name, line, tags_list, _, packed, *_ = _DECODE.decode(text)
    for values in packed:
        if values[0] == template:
            return _card(deck_id, note_id, Kind(kind_name), tuple(tags_list), line, values)
    return None


def _card(
    deck_id: str, note_id: str, kind: Kind, tags: tuple[str, ...], line: int, given: list[Any]
) -> Card:
    template, front, back, extra, options, answer_index, sides, answer_side, origin = (
        *given,
        *_CARD_DEFAULTS[len(given) :],
    )
    return Card(
        key=card_key(deck_id, note_id, template),
        deck_id=deck_id,
        note_id=note_id,
        kind=kind,
        template=template,
        front=front,
        back=back,
        extra=extra,
        tags=tags,
        options=tuple(options),
        answer_index=answer_index,
        sides=tuple(sides),
        answer_side=answer_side,
        origin=None if origin is None else Origin(*origin),
        line=line,
    )
