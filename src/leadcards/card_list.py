"""What `leadcards cards` lists and `cards KEY` shows: each card's text beside its
schedule and flags, and one card's whole history.

Rows are plain dicts because they are also the ``--json`` output; times in them are
ISO-8601 UTC, as in ``status --json``, so scripts never parse a local clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from leadcards.clock import from_ms, iso_utc, next_study_day_start, to_ms
from leadcards.deck.model import Card
from leadcards.deck.text import plain
from leadcards.events import EventKind
from leadcards.scheduling import RATINGS, State
from leadcards.store import CardRow, Store
from leadcards.texts import stored_cards
from leadcards.topics import Topic
from leadcards.workspace import Workspace


@dataclass(frozen=True)
class CardFilter:
    due: bool = False
    new: bool = False
    learning: bool = False
    suspended: bool = False
    leeches: bool = False
    buried: bool = False
    tag: str | None = None
    table: str | None = None
    aspect: str | None = None
    search: str | None = None

    @cached_property  # asked once per card
    def topic(self) -> Topic:
        return Topic(self.tag, self.table, self.aspect)


def one_line(text: str) -> str:
    """Card text for a list: Markdown emphasis and line breaks dropped."""
    return " ".join(plain(text).split())


def _flags(row: CardRow, at_ms: int) -> list[str]:
    record = row.record
    return [
        name
        for name, on in (
            ("suspended", record.suspended),
            ("leech", record.leech),
            ("buried", (record.buried_until or 0) > at_ms),
        )
        if on
    ]


def _wanted(row: CardRow, card: Card, only: CardFilter, at_ms: int, day_end: int) -> bool:
    memory, record = row.memory, row.record
    state = memory.state
    is_due = state != State.NEW and memory.due is not None and memory.due < day_end
    checks = (
        (only.due, is_due and not record.suspended),
        (only.new, state == State.NEW),
        (only.learning, state in (State.LEARNING, State.RELEARNING)),
        (only.suspended, record.suspended),
        (only.leeches, record.leech),
        (only.buried, (record.buried_until or 0) > at_ms),
    )
    if any(asked and not holds for asked, holds in checks):
        return False
    if not only.topic.has(card):
        return False
    if only.search:
        text = f"{card.key}\n{card.front}\n{card.back}\n{card.extra}".casefold()
        if only.search.casefold() not in text:
            return False
    return True


def card_rows(ws: Workspace, only: CardFilter = CardFilter()) -> list[dict[str, Any]]:
    """The workspace's decks' cards in deck order, as `cards` lists them and ``--json``
    prints; their text as the decks last said it, stored at sync."""
    store, at_ms = ws.store, ws.now_ms
    decks = {deck_id: stored_cards(store, deck_id) for deck_id in ws.deck_ids}
    only.topic.check(card for cards in decks.values() for card in cards.values())
    at = from_ms(at_ms)
    rows: list[dict[str, Any]] = []
    for deck_id, cards in decks.items():
        scheduler = store.scheduler(deck_id)
        day_end = to_ms(next_study_day_start(at, store.settings(deck_id).day_start))
        for row in store.deck_cards(deck_id):
            card = cards.get(row.key)
            if card is None or not _wanted(row, card, only, at_ms, day_end):
                continue
            memory = row.memory
            rows.append(
                {
                    "key": row.key,
                    "deck": deck_id,
                    "question": one_line(card.front),
                    "answer": one_line(card.back),
                    "state": State(memory.state).label,
                    "due": iso_utc(memory.due),
                    "last_review": iso_utc(memory.last_review),
                    "stability": memory.stability,
                    "difficulty": memory.difficulty,
                    "retrievability": scheduler.retrievability(memory, at),
                    "reps": memory.reps,
                    "lapses": memory.lapses,
                    "flags": _flags(row, at_ms),
                    "tags": list(card.tags),
                    "table": card.origin.table_id if card.origin else None,
                }
            )
    return rows


def card_detail(
    store: Store, key: str, at_ms: int, deck_name: str | None = None, card: Card | None = None
) -> dict[str, Any]:
    """One card in full: its text (``card``, when its deck still has it), schedule and
    history."""
    row = store.card(key)
    memory = row.memory
    detail: dict[str, Any] = {
        "key": key,
        "deck": row.deck_id,
        "deck_name": deck_name,
        "in_deck": card is not None and not row.removed,
        "template": row.template,
        "question": card.front if card else None,
        "answer": card.back if card else None,
        "options": list(card.options) if card else [],
        "extra": card.extra if card and card.extra else None,
        "tags": list(card.tags) if card else [],
        "origin": None,
        "state": State(memory.state).label,
        "due": iso_utc(memory.due),
        "last_review": iso_utc(memory.last_review),
        "stability": memory.stability,
        "difficulty": memory.difficulty,
        "retrievability": store.scheduler(row.deck_id).retrievability(memory, from_ms(at_ms)),
        "reps": memory.reps,
        "lapses": memory.lapses,
        "flags": _flags(row, at_ms),
        "buried_until": iso_utc(row.buried_until) if (row.buried_until or 0) > at_ms else None,
        "history": [],
    }
    if card is not None and card.origin is not None:
        o = card.origin
        detail["origin"] = {
            "table": o.table_id,
            "title": o.table_title,
            "row": o.row,
            "column": o.column,
        }
    for logged in store.history(key):
        event = logged.event
        entry: dict[str, Any] = {"at": iso_utc(event.at), "kind": event.kind.value}
        if event.kind is EventKind.ANSWER and event.rating is not None:
            entry.update(
                rating=event.rating,
                rating_label=RATINGS[event.rating],
                duration_ms=event.duration_ms,
                picked=event.picked,
                due_after=iso_utc(logged.due_after),
                interval_ms=(logged.due_after - event.at) if logged.due_after else None,
                stability_after=logged.stability_after,
                difficulty_after=logged.difficulty_after,
            )
        elif event.kind is EventKind.PRACTICE and event.rating is not None:
            entry.update(  # changed no schedule: no interval, no memory after it
                rating=event.rating,
                rating_label=RATINGS[event.rating],
                duration_ms=event.duration_ms,
                picked=event.picked,
            )
        elif event.kind is EventKind.BURY:
            entry["until"] = iso_utc((event.data or {}).get("until"))
        detail["history"].append(entry)
    return detail
