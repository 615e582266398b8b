"""Card schedules and answer histories in the neutral form exporters take.

This is the one place export reads the store: writers get plain records and never see
SQL, and undone answers are already left out.
"""

from __future__ import annotations

from datetime import timedelta

from leadcards.clock import from_ms
from leadcards.deck.model import Deck
from leadcards.export.records import CardSchedule, ReviewRecord
from leadcards.scheduling import State
from leadcards.store import Answered, Store


def _reviews(answers: list[Answered]) -> tuple[ReviewRecord, ...]:
    records = []
    previous_interval = 0
    for a in answers:
        interval = (a.due_after or a.at) - a.at
        records.append(
            ReviewRecord(
                id=a.id,
                reviewed_at=from_ms(a.at),
                rating=a.rating,
                duration_ms=a.duration_ms,
                state_before=State(a.state_before).label,
                interval_after=timedelta(milliseconds=interval),
                interval_before=timedelta(milliseconds=previous_interval),
                difficulty_after=a.difficulty_after or 0.0,
                stability_after=a.stability_after or 0.0,
            )
        )
        previous_interval = interval
    return tuple(records)


def card_schedules(store: Store, decks: list[Deck]) -> dict[str, CardSchedule]:
    """Every present card of ``decks``: its current schedule and all its live answers."""
    wanted = {card.key for deck in decks for card in deck.cards}
    answers = store.answers(wanted)
    schedules: dict[str, CardSchedule] = {}
    for deck in decks:
        for row in store.deck_cards(deck.id):
            if row.key not in wanted:
                continue
            memory = row.memory
            schedules[row.key] = CardSchedule(
                key=row.key,
                state=State(memory.state).label,
                due=from_ms(memory.due) if memory.due is not None else None,
                stability=memory.stability,
                difficulty=memory.difficulty,
                last_review=from_ms(memory.last_review) if memory.last_review else None,
                reps=memory.reps,
                lapses=memory.lapses,
                suspended=row.record.suspended,
                reviews=_reviews(answers.get(row.key, [])),
            )
    return schedules
