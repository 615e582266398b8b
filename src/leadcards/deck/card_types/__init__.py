"""The card-type registry: every kind, and the one module that says what it is.

A kind's module (``basic``, ``reverse``, ``cloze``, ``choice``, ``table``) declares its
YAML fields, builds its cards and defines its Anki note type with its card ordinals
and field values. The loader and the exporters only look kinds up here. To add a
kind: a ``Kind`` member in ``deck.model``, a module here exporting ``TYPE``, and its
line in ``_ALL``; the import-time check below refuses a kind left out.
"""

from __future__ import annotations

from leadcards.deck.card_types import basic, choice, cloze, reverse, table
from leadcards.deck.card_types.base import CardType, EntryType
from leadcards.deck.model import Kind

# In the order decks document them; ``allowed`` field lists follow it.
_ALL: tuple[CardType, ...] = (basic.TYPE, reverse.TYPE, cloze.TYPE, choice.TYPE, table.TYPE)

TYPES: dict[Kind, CardType] = {t.kind: t for t in _ALL}
# The kinds a deck may name in a card's ``type`` field (tables have their own section).
ENTRY_TYPES: dict[str, EntryType] = {t.kind.value: t for t in _ALL if isinstance(t, EntryType)}

if set(TYPES) != set(Kind) or len(TYPES) != len(_ALL):
    raise RuntimeError(f"every Kind needs exactly one card type; registered: {list(TYPES)}")


def card_type(kind: Kind) -> CardType:
    """The type of ``kind``; every Kind has one (checked above, at import)."""
    return TYPES[kind]
