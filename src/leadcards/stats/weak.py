"""Weak spots: where recall fails, by comparison table, aspect (row), side (column),
cell and tag; and the confusions — the wrong option or side picked most often.

``weak_spots`` says what the groups are and how they rank, over plain values;
``weakest`` takes the same from one SQL aggregate (``Store.weakest_groups``), which
the tests hold equal to it.

A table cell's note id is ``table:row:column`` (``deck/card_types/table.py``), so a
card's table, aspect and side follow from its key alone; their titles come from the
few cards shown, and tags from the stored notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from leadcards.card_list import one_line
from leadcards.deck.model import Card, split_card_key
from leadcards.forgetting import Curve
from leadcards.stats.log_tallies import LogFigures
from leadcards.stats.retention import Tally
from leadcards.store import Store
from leadcards.store.stats import by_note

GROUP_KINDS = ("table", "aspect", "side", "cell", "tag")
MIN_ANSWERS = 5  # a group's retention ranks it only from this many first reviews on


def table_parts(note_id: str) -> tuple[str, str, str] | None:
    """(table, row, column) of a table cell's note id; None for any other note."""
    parts = note_id.split(":")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def own_tags(note_id: str) -> set[str]:
    """The tags a table gives each of its cells (``table::t``, ``t::row``, ``t::column``):
    the table, aspect and side groups already count those."""
    parts = table_parts(note_id)
    if parts is None:
        return set()
    table, row, column = parts
    return {f"table::{table}", f"{table}::{row}", f"{table}::{column}"}


@dataclass
class Group:
    """A set of cards and how they fare: first reviews over all days, R now."""

    kind: str
    id: str
    sample: str  # one card's key, for the group's title
    cards: int = 0
    seen: int = 0
    recall: float = 0.0  # the sum of R over the cards seen
    reviews: Tally = field(default_factory=Tally)

    @property
    def retrievability(self) -> float | None:
        return self.recall / self.seen if self.seen else None

    def rank(self) -> tuple[bool, float, float, str]:
        """Weakest first: by retention where there are enough answers to tell, then by
        mean retrievability; groups too little answered come after."""
        rate = self.reviews.rate if self.reviews.total >= MIN_ANSWERS else None
        r = self.retrievability
        return (rate is None, 1.0 if rate is None else rate, 1.0 if r is None else r, self.id)


def groups_of(key: str, tags: Iterable[str]) -> list[tuple[str, str]]:
    """(kind, id) of every group a card belongs to; ids carry the deck."""
    deck, note, _ = split_card_key(key)
    found = []
    parts = table_parts(note)
    if parts is not None:
        table, row, column = parts
        found += [
            ("table", f"{deck}:{table}"),
            ("aspect", f"{deck}:{table}:{row}"),
            ("side", f"{deck}:{table}:{column}"),
            ("cell", f"{deck}:{note}"),
        ]
    skip = own_tags(note)
    found += [("tag", tag) for tag in tags if tag not in skip]
    return found


def weak_spots(
    keys: Iterable[str],
    tags: Mapping[tuple[str, str], list[str]],
    recall: Mapping[str, float],
    reviews: Mapping[tuple[str, str], Tally],
) -> dict[str, list[Group]]:
    """Every group of the cards ``keys``, weakest first, by kind. ``tags``: (deck, note)
    → tags; ``recall``: R now of each card seen; ``reviews``: first reviews per (deck,
    note), every card the note has had. A group is made of whole notes (a cell, a tag),
    so it counts each of its notes' reviews once."""
    found: dict[tuple[str, str], Group] = {}
    counted: set[tuple[str, str, str, str]] = set()
    for key in keys:
        deck, note, _ = split_card_key(key)
        r = recall.get(key)
        tally = reviews.get((deck, note))
        for kind, group_id in groups_of(key, tags.get((deck, note), ())):
            group = found.get((kind, group_id))
            if group is None:
                group = found[(kind, group_id)] = Group(kind, group_id, key)
            group.cards += 1
            if r is not None:
                group.seen += 1
                group.recall += r
            if tally is not None and (kind, group_id, deck, note) not in counted:
                counted.add((kind, group_id, deck, note))
                group.reviews = group.reviews + tally
    by_kind: dict[str, list[Group]] = {kind: [] for kind in GROUP_KINDS}
    for group in found.values():
        by_kind[group.kind].append(group)
    for groups in by_kind.values():
        groups.sort(key=Group.rank)
    return by_kind


def weakest(
    store: Store, deck_ids: list[str], now_ms: int, shape: Curve, log: LogFigures, limit: int
) -> dict[str, list[Group]]:
    """``weak_spots`` of the decks' cards, at most ``limit`` of each kind, grouped and
    ranked in SQL (first reviews per note: the kept rows and ``log.cards``)."""
    found: dict[str, list[Group]] = {kind: [] for kind in GROUP_KINDS}
    for kind, group_id, sample, cards, seen, recall, passed, failed in store.weakest_groups(
        deck_ids,
        now_ms,
        shape,
        kept=log.kept_cards,
        extra=by_note((key, t.passed, t.failed) for key, t in log.cards.items()),
        enough=MIN_ANSWERS,
        limit=limit,
    ):
        found[kind].append(
            Group(kind, group_id, sample, cards, seen, recall, Tally(passed, failed))
        )
    for groups in found.values():
        groups.sort(key=Group.rank)
    return found


def group_title(group: Group, card: Card | None) -> str:
    """How a group is named to the learner: the table's title, the aspect or side as
    the table calls it (with the table's title: two tables may share a column name),
    ``Risk Attitude · Leadership`` for a cell, or the tag."""
    origin = card.origin if card is not None else None
    if group.kind == "tag":
        return group.id
    if origin is None:
        return group.id.split(":", 1)[1]
    table = origin.table_title or origin.table_id
    return {
        "table": table,
        "aspect": f"{origin.row} ({table})",
        "side": f"{origin.column} ({table})",
        "cell": f"{origin.row} · {origin.column}",
    }[group.kind]


@dataclass(frozen=True)
class Confusion:
    """A wrong pick, and how often it was made on one card (texts on one line, without
    Markdown emphasis)."""

    key: str
    asked: str  # what the card asked about
    picked: str
    right: str
    times: int


def right_answer(card: Card) -> str | None:
    """The option or side a choice or identify card wants."""
    if card.options and 0 <= card.answer_index < len(card.options):
        return card.options[card.answer_index]
    if card.sides and 0 <= card.answer_side < len(card.sides):
        return card.sides[card.answer_side]
    return None


def asked_about(card: Card) -> str:
    """A choice card on a table cell asks for the cell of an aspect and side; an identify
    card shows the cell (the first paragraph of its front); any other, its front."""
    if card.origin is not None and card.options:
        return f"{card.origin.row} · {card.origin.column}"
    return card.front.split("\n\n", 1)[0]


def confusions(
    picks: Iterable[tuple[str, str, int]], card_of: Callable[[str], Card | None], limit: int
) -> list[Confusion]:
    """The wrong picks made most often, most first (then by card and pick)."""
    found = []
    cards: dict[str, Card | None] = {}
    for key, picked, times in picks:
        if key not in cards:
            cards[key] = card_of(key)
        card = cards[key]
        right = right_answer(card) if card is not None else None
        if card is None or right is None or picked == right:
            continue
        found.append(
            Confusion(key, one_line(asked_about(card)), one_line(picked), one_line(right), times)
        )
    found.sort(key=lambda c: (-c.times, c.key, c.picked))
    return found[:limit]
