"""The decks' text as sync last stored it, read back as the loader's objects.

Sync keeps each note's text in the store (``deck.packed``), refreshed whenever its file
changes; commands that show cards read it here instead of parsing the deck. One card
is one indexed read (a review draws its cards one at a time); a whole deck is one
query, decoded with the cycle collector paused, as a parse is.
"""

from __future__ import annotations

from pathlib import Path

from leadcards import collector
from leadcards.deck.model import Card, Deck, Note
from leadcards.deck.packed import unpack_card, unpack_note
from leadcards.store import Store


def stored_card(store: Store, key: str) -> Card | None:
    """The card as its deck last said it; None when its deck has no such card now, or
    its text is not stored (a file not synced since it was first kept)."""
    found = store.card_text(key)
    return None if found is None else unpack_card(*found)


def stored_notes(store: Store, deck_id: str) -> list[Note]:
    """The deck's notes in its learning order."""
    with collector.paused():
        return [unpack_note(deck_id, note_id, text) for note_id, text in store.note_texts(deck_id)]


def stored_cards(store: Store, deck_id: str) -> dict[str, Card]:
    """The deck's cards by key, in its learning order."""
    return {card.key: card for note in stored_notes(store, deck_id) for card in note.cards}


def stored_deck(store: Store, deck_id: str, path: Path) -> Deck | None:
    """The deck as its file ``path`` last said it, without its tables (only ``show`` and
    ``check`` use those, and they parse); None when no text of it is stored."""
    about = store.deck_text(deck_id)
    if about is None:
        return None
    notes = stored_notes(store, deck_id)
    return Deck(about.id, about.name, path, about.description, about.source, notes=tuple(notes))
