"""Which cards a topic names: ``--tag``, ``--table`` and ``--aspect``, as ``cards``,
``review`` and ``cram`` take them.

Written once so that the cards ``cards --tag x`` lists are the ones ``review --tag x``
and ``cram --tag x`` show. A name no card has is a typo far more often than a wish for
an empty answer, so it is refused with the names there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from leadcards.deck.model import Card
from leadcards.errors import UsageError
from leadcards.store import Store
from leadcards.texts import stored_cards


@dataclass(frozen=True)
class Topic:
    """A part of the decks; every part given must hold (tag and table and aspect)."""

    tag: str | None = None
    table: str | None = None
    aspect: str | None = None

    def __bool__(self) -> bool:
        return bool(self.tag or self.table or self.aspect)

    def has(self, card: Card) -> bool:
        return (
            (not self.tag or has_tag(card, self.tag))
            and (not self.table or in_table(card, self.table))
            and (not self.aspect or in_aspect(card, self.aspect))
        )

    def check(self, cards: Iterable[Card]) -> None:
        """Refuse a tag, table or aspect that no card has, naming the ones there are.
        Aspects are looked for in the table given, when one is."""
        cards = list(cards)
        if self.tag and not any(has_tag(c, self.tag) for c in cards):
            known = sorted({t for c in cards for t in c.tags})
            raise UsageError(f"no card has the tag '{self.tag}' (tags: {listed(known)})")
        if self.table and not any(in_table(c, self.table) for c in cards):
            known = sorted({c.origin.table_id for c in cards if c.origin is not None})
            raise UsageError(f"no table '{self.table}' (tables: {listed(known)})")
        if self.aspect:
            tabled = [c for c in cards if not self.table or in_table(c, self.table)]
            if not any(in_aspect(c, self.aspect) for c in tabled):
                known = sorted({aspect_id(c) for c in tabled if c.origin is not None})
                where = f" in table '{self.table}'" if self.table else ""
                raise UsageError(f"no aspect '{self.aspect}'{where} (aspects: {listed(known)})")


def has_tag(card: Card, tag: str) -> bool:
    """As Anki's ``tag:``: the tag itself or any tag below it (``a::b`` is under ``a``)."""
    wanted = tag.casefold()
    return any(t.casefold() == wanted or t.casefold().startswith(wanted + "::") for t in card.tags)


def in_table(card: Card, table: str) -> bool:
    origin = card.origin
    wanted = table.casefold()
    return origin is not None and wanted in (
        origin.table_id.casefold(),
        origin.table_title.casefold(),
    )


def aspect_id(card: Card) -> str:
    """The id of a table card's row: its note is ``table:row:column``."""
    return card.note_id.split(":")[1]


def in_aspect(card: Card, aspect: str) -> bool:
    """A table card of the row (aspect) with this id or label."""
    origin = card.origin
    wanted = aspect.casefold()
    return origin is not None and wanted in (aspect_id(card).casefold(), origin.row.casefold())


def listed(names: list[str], most: int = 12) -> str:
    if not names:
        return "none"
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def topic_keys(store: Store, deck_ids: list[str], topic: Topic) -> set[str] | None:
    """The keys of the decks' cards in ``topic``; None when no topic is given (every
    card). Reads the decks' stored text, so only a session with a topic pays for it."""
    if not topic:
        return None
    cards = [card for deck_id in deck_ids for card in stored_cards(store, deck_id).values()]
    topic.check(cards)
    return {card.key for card in cards if topic.has(card)}
