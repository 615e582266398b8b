"""Rows for `leadcards cards`: each card's schedule and flags, searchable by its text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leadcards.clock import from_ms, local_text, next_study_day_start, to_ms
from leadcards.scheduling import State
from leadcards.workspace import Workspace


@dataclass(frozen=True)
class CardFilter:
    due: bool = False
    new: bool = False
    suspended: bool = False
    leeches: bool = False
    search: str | None = None


def card_rows(ws: Workspace, only: CardFilter = CardFilter()) -> list[dict[str, Any]]:
    """The parsed decks' cards in deck order, as `cards` shows and ``--json`` prints them."""
    store, at_ms = ws.store, ws.now_ms
    at = from_ms(at_ms)
    needle = only.search.casefold() if only.search else None
    text = {
        c.key: f"{c.key}\n{c.front}\n{c.back}\n{c.extra}".casefold()
        for d in ws.decks
        for c in d.cards
    }
    rows: list[dict[str, Any]] = []
    for deck in ws.decks:
        scheduler = store.scheduler(deck.id)
        day_end = to_ms(next_study_day_start(at, store.settings(deck.id).day_start))
        for card in store.deck_cards(deck.id):
            memory, record = card.memory, card.record
            is_due = memory.state != State.NEW and memory.due is not None and memory.due < day_end
            if only.due and not (is_due and not record.suspended):
                continue
            if only.new and memory.state != State.NEW:
                continue
            if only.suspended and not record.suspended:
                continue
            if only.leeches and not record.leech:
                continue
            if needle and needle not in text.get(card.key, card.key.casefold()):
                continue
            flags = [
                name
                for name, on in (
                    ("suspended", record.suspended),
                    ("leech", record.leech),
                    ("buried", (record.buried_until or 0) > at_ms),
                )
                if on
            ]
            rows.append(
                {
                    "key": card.key,
                    "deck": deck.id,
                    "state": State(memory.state).label,
                    "due": local_text(memory.due) if memory.due is not None else None,
                    "stability": memory.stability,
                    "difficulty": memory.difficulty,
                    "retrievability": scheduler.retrievability(memory, at),
                    "reps": memory.reps,
                    "lapses": memory.lapses,
                    "flags": flags,
                }
            )
    return rows
