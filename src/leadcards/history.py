"""Card schedules and review histories for export, read from the store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from leadcards.clock import from_ms, now, to_ms
from leadcards.deck.model import Deck
from leadcards.export.records import CardSchedule, ReviewRecord
from leadcards.scheduling import STATE_NAMES
from leadcards.store import memory_of, open_store
from leadcards.sync import sync_deck


def card_histories(home_dir: Path, decks: list[Deck]) -> dict[str, CardSchedule]:
    """Every card of ``decks``: its current schedule and all its answers, oldest first."""
    wanted = {card.key for deck in decks for card in deck.cards}
    with open_store(home_dir) as store:
        at = to_ms(now())
        for deck in decks:
            sync_deck(store, deck, at)
        reviews: dict[str, list[ReviewRecord]] = {}
        previous_interval: dict[str, int] = {}
        for row in store.conn.execute("SELECT * FROM reviews WHERE kind = 'answer' ORDER BY seq"):
            key = row["card_key"]
            if key not in wanted:
                continue
            interval = (row["due_after"] or row["reviewed_at"]) - row["reviewed_at"]
            reviews.setdefault(key, []).append(
                ReviewRecord(
                    id=row["id"],
                    reviewed_at=from_ms(row["reviewed_at"]),
                    rating=row["rating"],
                    duration_ms=row["duration_ms"],
                    state_before=STATE_NAMES[row["state_before"]],
                    interval_after=timedelta(milliseconds=interval),
                    interval_before=timedelta(milliseconds=previous_interval.get(key, 0)),
                    difficulty_after=row["difficulty_after"],
                    stability_after=row["stability_after"],
                )
            )
            previous_interval[key] = interval
        schedules: dict[str, CardSchedule] = {}
        for row in store.conn.execute("SELECT * FROM cards WHERE removed = 0"):
            key = row["key"]
            if key not in wanted:
                continue
            memory = memory_of(row)
            schedules[key] = CardSchedule(
                key=key,
                state=STATE_NAMES[memory.state],
                due=from_ms(memory.due) if memory.due is not None else None,
                stability=memory.stability,
                difficulty=memory.difficulty,
                last_review=from_ms(memory.last_review) if memory.last_review else None,
                reps=memory.reps,
                lapses=memory.lapses,
                suspended=bool(row["suspended"]),
                reviews=tuple(reviews.get(key, ())),
            )
    return schedules
