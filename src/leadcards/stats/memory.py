"""What the card cache says of memory now: states, FSRS distributions, the estimated
knowledge, and the due forecast.

Retrievability is FSRS's forgetting curve as py-fsrs computes it (``forgetting``: whole
days since the last review, the curve of the parameters in use), so counting 100,000
cards needs no FSRS object each. The functions over ``CardNow`` records say what each
figure is; ``stats`` takes the same figures from SQL aggregates (``memory_now``,
``due_forecast``), which the tests hold equal to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from leadcards.forgetting import DEFAULT, Curve, recall_after
from leadcards.scheduling import DAY_MS, State
from leadcards.stats.study_days import FORECAST_DAYS, Calendar
from leadcards.store import Store
from leadcards.store.stats_rows import CardNow


def retrievability(stability: float, elapsed_days: int, shape: Curve = DEFAULT) -> float:
    """The chance of recalling a card ``elapsed_days`` whole days after its last review."""
    return recall_after(stability, elapsed_days, shape)


def elapsed_days(last_review: int, now_ms: int) -> int:
    return max(0, (now_ms - last_review) // DAY_MS)


class Bucket(NamedTuple):
    label: str
    low: float  # the bucket holds values from low (included) to the next bucket's low
    cards: int = 0


STABILITY = (
    ("< 1 day", 0.0),
    ("1–7 days", 1.0),
    ("1–3 weeks", 7.0),
    ("3 weeks–3 months", 21.0),
    ("3–12 months", 90.0),
    ("≥ 1 year", 365.0),
)
DIFFICULTY = (("1–3", 0.0), ("3–5", 3.0), ("5–7", 5.0), ("7–9", 7.0), ("9–10", 9.0))
RETRIEVABILITY = (
    ("< 50%", 0.0),
    ("50–70%", 0.5),
    ("70–80%", 0.7),
    ("80–90%", 0.8),
    ("90–95%", 0.9),
    ("≥ 95%", 0.95),
)


def distribution(values: Iterable[float], bounds: Sequence[tuple[str, float]]) -> list[Bucket]:
    """How many values fall in each bucket (a value below the first low goes in the first)."""
    counts = [0] * len(bounds)
    lows = [low for _, low in bounds]
    for value in values:
        index = len(lows) - 1
        while index > 0 and value < lows[index]:
            index -= 1
        counts[index] += 1
    return [Bucket(label, low, n) for (label, low), n in zip(bounds, counts, strict=True)]


class States(NamedTuple):
    """Present cards by state (every card in one), and the flags beside."""

    new: int = 0
    learning: int = 0
    review: int = 0
    relearning: int = 0
    suspended: int = 0
    leeches: int = 0
    buried: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review + self.relearning


def states(cards: Iterable[CardNow], now_ms: int) -> States:
    by_state = [0, 0, 0, 0]
    suspended = leeches = buried = 0
    for card in cards:
        by_state[card.state] += 1
        suspended += card.suspended
        leeches += card.leech
        buried += card.buried_until is not None and card.buried_until > now_ms
    new, learning, review, relearning = by_state
    return States(new, learning, review, relearning, suspended, leeches, buried)


class Knowledge(NamedTuple):
    """FSRS's estimate of what is known now: the expected number of the cards seen that
    would be recalled, i.e. the sum of their retrievabilities."""

    seen: int
    known: float

    @property
    def mean(self) -> float | None:
        return self.known / self.seen if self.seen else None


def card_retrievability(card: CardNow, now_ms: int, shape: Curve = DEFAULT) -> float | None:
    """R now of a card that has a memory (None for a new one)."""
    if card.state == State.NEW or card.stability is None or card.last_review is None:
        return None
    return retrievability(card.stability, elapsed_days(card.last_review, now_ms), shape)


def knowledge(retrievabilities: Iterable[float]) -> Knowledge:
    seen = 0
    known = 0.0
    for r in retrievabilities:
        seen += 1
        known += r
    return Knowledge(seen, known)


def forecast(cards: Iterable[CardNow], days: Calendar, span: int = FORECAST_DAYS) -> list[int]:
    """Cards due on each of the next ``span`` study days, today first (with every card
    overdue): learning, relearning and review cards that are not suspended; a buried
    card counts from the day its bury ends."""
    counts = [0] * span
    end = days.today + span
    for card in cards:
        if card.state == State.NEW or card.suspended or card.due is None:
            continue
        due = max(card.due, card.buried_until or 0)
        day = days.day_of(due)
        if day is None:
            if due >= days.starts[-1]:
                continue
            day = days.today  # before the calendar: long overdue
        if day < end:
            counts[max(day, days.today) - days.today] += 1
    return counts


def most_lapses(cards: Iterable[CardNow], limit: int) -> list[tuple[str, int]]:
    """(key, lapses) of the cards that lapsed most, most first, then by key."""
    lapsed = [(card.key, card.lapses) for card in cards if card.lapses > 0]
    lapsed.sort(key=lambda item: (-item[1], item[0]))
    return lapsed[:limit]


class MemoryNow(NamedTuple):
    states: States
    stability: list[Bucket]
    difficulty: list[Bucket]
    retrievability: list[Bucket]
    knowledge: Knowledge


def _lows(bounds: Sequence[tuple[str, float]]) -> list[float]:
    return [low for _, low in bounds]


def _filled(bounds: Sequence[tuple[str, float]], counts: list[int]) -> list[Bucket]:
    return [Bucket(label, low, n) for (label, low), n in zip(bounds, counts, strict=True)]


def memory_now(store: Store, deck_ids: list[str], now_ms: int, shape: Curve) -> MemoryNow:
    """``states``, the distributions and the knowledge of the decks' cards: the states
    off the indexes, the rest from one pass over the cards seen."""
    by_state, suspended, leeches, buried = store.card_states(deck_ids, now_ms)
    seen, known, by_r, by_s, by_d = store.memory_sums(
        deck_ids, now_ms, shape, _lows(STABILITY), _lows(DIFFICULTY), _lows(RETRIEVABILITY)
    )
    new, learning, review, relearning = by_state
    return MemoryNow(
        States(new, learning, review, relearning, suspended, leeches, buried),
        _from_reached(STABILITY, by_s),
        _from_reached(DIFFICULTY, by_d),
        _from_reached(RETRIEVABILITY, by_r),
        Knowledge(seen, known),
    )


def _from_reached(bounds: Sequence[tuple[str, float]], reached: list[int]) -> list[Bucket]:
    """Buckets from how many values reach each low (the first: every value): each holds
    those that reach its low and not the next."""
    ends = [*reached[1:], 0]
    return _filled(bounds, [n - after for n, after in zip(reached, ends, strict=True)])


def due_forecast(
    store: Store, deck_ids: list[str], days: Calendar, span: int = FORECAST_DAYS
) -> list[int]:
    """``forecast`` of the decks' cards, counted in SQL."""
    counts = [0] * span
    end = days.starts[min(days.today + span, len(days.starts) - 1)]
    for day, cards in store.due_by_day(deck_ids, days.spans(), days.today, end):
        counts[day - days.today] += cards
    return counts
