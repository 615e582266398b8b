"""Anki's review log as leadcards events, so FSRS goes on where Anki left off.

Each revlog row is an answer given at its id (milliseconds), with the button pressed,
whether Anki logged it as learning, review, relearning or in a filtered deck. Anki's
FSRS reads manual entries the same way this does: a reset ("Forget", logged with no
ease factor) starts the card again as new, so it becomes a ``forget``; a due date set
by hand or a reschedule changes no memory, so it is left out (and counted).

An event's id is a ULID made from the revlog row alone (its time, and a hash of the
card and row ids for the rest), so importing the same package twice gives the same ids
and the log takes each once. An answer leadcards exported into that package comes back
with it (``export anki --with-history`` gives each answer a revlog id of its own time,
moved on a millisecond or two when two collide): such a row is recognised by its card,
time and rating and left out.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from leadcards.events import (
    NEW_RECORD,
    ORDERED_JSON,
    CardRecord,
    Event,
    EventKind,
    apply,
    is_ordered,
)
from leadcards.ids import _encode
from leadcards.importing.anki_records import AnkiCard, AnkiReview
from leadcards.scheduling import Scheduler

ANSWER_KINDS = frozenset({0, 1, 2, 3})  # learning, review, relearning, filtered
MANUAL = 4
NUDGE_MS = 20  # how far an exported answer's revlog id may sit after its time


def event_id(review: AnkiReview) -> str:
    """A ULID of the review's millisecond and 80 bits that follow from it alone."""
    digest = hashlib.sha256(f"anki-revlog\x00{review.card_id}\x00{review.id}".encode()).digest()
    rest = int.from_bytes(digest[:10], "big")
    return _encode((review.id & ((1 << 48) - 1)) << 80 | rest)


def history_events(
    revlog: Iterable[AnkiReview],
    keys: Mapping[int, str],
    existing: Mapping[str, list[Event]],
) -> tuple[list[Event], Counter[str]]:
    """Events for the rows of cards in ``keys`` (Anki card id → card key), less those
    the log already has (``existing``: each card's events now)."""
    skipped: Counter[str] = Counter()
    answered = {
        key: {(e.at, e.rating) for e in events if e.kind is EventKind.ANSWER}
        for key, events in existing.items()
    }
    found = []
    for review in revlog:
        key = keys.get(review.card_id)
        if key is None:
            skipped["of cards not imported"] += 1
            continue
        if review.kind in ANSWER_KINDS and 1 <= review.ease <= 4:
            mine = answered.get(key, set())
            if any((review.id - nudge, review.ease) in mine for nudge in range(NUDGE_MS)):
                skipped["already in the log"] += 1
                continue
            found.append(
                Event(
                    event_id(review),
                    review.id,
                    EventKind.ANSWER,
                    key,
                    review.ease,
                    max(0, review.time_ms),
                    data={"ordered": 1},
                )
            )
        elif review.kind == MANUAL and review.ease == 0 and review.ease_factor == 0:
            found.append(Event(event_id(review), review.id, EventKind.FORGET, key))
        elif review.kind in (MANUAL, 5):
            skipped["entered by hand (a due date set, a reschedule: no memory change)"] += 1
        else:
            skipped["of an unknown kind"] += 1
    return found, skipped


def flag_events(
    cards: Iterable[AnkiCard],
    keys: Mapping[int, str],
    records: Mapping[str, CardRecord],
    now_ms: int,
    bury_until: int,
) -> list[Event]:
    """Suspensions and buries the cards have in Anki and not here yet, as of now."""
    found = []
    for card in cards:
        key = keys.get(card.id)
        if key is None:
            continue
        record = records.get(key, NEW_RECORD)
        seed = f"{card.id}:{card.queue}:{now_ms}"
        if card.queue == -1 and not record.suspended:
            found.append(Event(_flag_id(now_ms, seed), now_ms, EventKind.SUSPEND, key))
        elif card.queue in (-2, -3) and not (record.buried_until or 0) > now_ms:
            found.append(
                Event(
                    _flag_id(now_ms, seed), now_ms, EventKind.BURY, key, data={"until": bury_until}
                )
            )
    return found


def _flag_id(now_ms: int, seed: str) -> str:
    rest = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:10], "big")
    return _encode((now_ms & ((1 << 48) - 1)) << 80 | rest)


def event_rows(
    new: list[Event], existing: Mapping[str, list[Event]], scheduler_of: Any, undone: set[str]
) -> list[tuple[Any, ...]]:
    """The new events as log rows, each answer with the states it moved its card
    between (what true retention and ``optimize`` read), found by folding every card's
    events, old and new, in the log's order."""
    by_card: dict[str, list[Event]] = {}
    for event in new:
        if event.card_key is not None:
            by_card.setdefault(event.card_key, []).append(event)
    rows = []
    for key, events in by_card.items():
        fresh = {e.id for e in events}
        record = NEW_RECORD
        scheduler: Scheduler = scheduler_of(key)
        for event in sorted([*existing.get(key, []), *events], key=lambda e: e.order):
            if event.id in undone or event.kind is EventKind.PRACTICE:
                continue
            before = record
            record = apply(record, event, scheduler if event.kind is EventKind.ANSWER else None)
            if event.id not in fresh:
                continue
            data = (
                ORDERED_JSON
                if is_ordered(event)
                else (None if event.data is None else _json(event.data))
            )
            answer = event.kind is EventKind.ANSWER
            memory = record.memory
            rows.append(
                (
                    event.id,
                    event.at,
                    event.kind.value,
                    key,
                    event.rating,
                    event.duration_ms,
                    None,
                    None,
                    data,
                    int(before.memory.state) if answer else None,
                    int(memory.state) if answer else None,
                    memory.due if answer else None,
                    memory.stability if answer else None,
                    memory.difficulty if answer else None,
                )
            )
    return rows


def _json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, separators=(",", ":"))
