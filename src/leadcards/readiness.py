"""Exam readiness: how much of a deck the learner would recall on exam day, and what it
takes to meet every card before then.

The prediction is each card's FSRS retrievability at the start of the exam day under
the memory it has now — as if no more reviews came — with cards not yet seen counted
as not known. The plan is deliberately simple, so its figures can be explained in one
sentence each: new cards spread evenly over the days left, short of a few last days
kept for reviewing them; reviews as each seen card's share of a day at its present
interval; time from the learner's own median answer.

Everything here is plain arithmetic on plain values; the curve is ``forgetting``'s.
``status`` shows only the headline figure, from one query, and never imports this.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from leadcards.forgetting import DEFAULT, Curve, interval_days, recall_at

SETTLE_DAYS = 7
"""Days before the exam kept free of new cards, at most: a card met the day before is
barely learned, so the last new cards should still get a few reviews."""
ANSWERS_PER_NEW = 4
"""Answers a new card brings a day, about: two the day it is met (the learning steps),
and about two more from the first reviews of the cards met before it."""
DEFAULT_SECONDS = 10.0
"""Seconds per answer assumed until the log has ``ENOUGH_ANSWERS`` timed ones."""
ENOUGH_ANSWERS = 50
WEAKEST = 5
_KINDS = {"table": 0, "aspect": 1, "tag": 2}  # of equal areas, the first is named


class CardFacts(NamedTuple):
    """What the readiness of one card depends on, as plain values."""

    stability: float | None  # None while the card is new
    last_review: int | None  # ms UTC
    retention: float  # its deck's desired retention
    areas: tuple[tuple[str, str], ...]  # (kind, name): deck, table, aspect, tag
    shape: Curve = DEFAULT  # its deck's forgetting curve (fitted parameters change it)


class Area(NamedTuple):
    kind: str  # deck | table | aspect | tag
    name: str
    cards: int
    unseen: int
    recall: float  # mean predicted recall, new cards as 0

    def to_json(self) -> dict[str, object]:
        return {**self._asdict(), "recall": round(self.recall, 4)}


class Prediction(NamedTuple):
    cards: int
    unseen: int
    recall: float  # mean over every card, new ones as 0
    areas: list[Area]  # every area, in the order first met
    weakest: list[Area]  # the lowest tables, aspects and tags


def predict(cards: Sequence[CardFacts], exam_ms: int, weakest: int = WEAKEST) -> Prediction:
    """Predicted recall at ``exam_ms``, over all ``cards`` and per area."""
    sums: dict[tuple[str, str], list[float]] = {}  # area → [cards, unseen, recall sum]
    members: dict[tuple[str, str], list[int]] = {}
    total = 0.0
    unseen = 0
    for index, card in enumerate(cards):
        if card.stability is None or card.last_review is None:
            recall = 0.0
            unseen += 1
        else:
            recall = recall_at(card.stability, card.last_review, exam_ms, card.shape)
        total += recall
        for area in card.areas:
            tally = sums.setdefault(area, [0, 0, 0.0])
            tally[0] += 1
            tally[1] += card.stability is None
            tally[2] += recall
            members.setdefault(area, []).append(index)
    areas = [
        Area(kind, name, int(n), int(new), total_recall / n)
        for (kind, name), (n, new, total_recall) in sums.items()
    ]
    # An area of every card (a deck's own tag) tells nothing the headline does not, and
    # one of the same cards as another (a table's generated tags) is named once.
    ranked = sorted(
        (a for a in areas if a.kind != "deck" and a.cards < len(cards)),
        key=lambda a: (a.recall, _KINDS.get(a.kind, 9), a.name),
    )
    named: set[tuple[int, ...]] = set()
    weak: list[Area] = []
    for candidate in ranked:
        same = tuple(members[candidate.kind, candidate.name])
        if same not in named and len(weak) < weakest:
            named.add(same)
            weak.append(candidate)
    mean = total / len(cards) if cards else 0.0
    return Prediction(len(cards), unseen, mean, areas, weak)


class Effort(NamedTuple):
    """What meeting every card before the exam takes a day."""

    days_left: int  # study days before the exam day, today included
    settle_days: int  # the last of them, kept free of new cards
    new_per_day: int
    reviews_per_day: float  # for the cards already seen
    answers_per_day: float
    seconds_per_answer: float
    timed_answers: int
    measured: bool  # the learner's own time, else DEFAULT_SECONDS
    minutes_per_day: float

    @property
    def learn_days(self) -> int:
        return self.days_left - self.settle_days


def settle_days(days_left: int) -> int:
    """A week, or a third of the days left when fewer than three weeks remain."""
    return min(SETTLE_DAYS, max(days_left, 0) // 3)


def review_load(cards: Iterable[CardFacts]) -> float:
    """Reviews a day for the seen cards: each one 1/interval of a review a day."""
    return sum(
        1 / max(1.0, interval_days(c.stability, c.retention, c.shape))
        for c in cards
        if c.stability is not None
    )


def answer_seconds(timed: int, median_ms: float | None) -> tuple[float, bool]:
    """The learner's median seconds per answer once there are enough, else the default."""
    if timed >= ENOUGH_ANSWERS and median_ms is not None:
        return median_ms / 1000, True
    return DEFAULT_SECONDS, False


def effort(
    cards: Sequence[CardFacts],
    unseen: int,
    days_left: int,
    timed: int,
    median_ms: float | None,
) -> Effort:
    """The daily work that meets every unseen card before the last ``settle_days``.
    ``days_left`` must be 1 or more (the exam is not today or past)."""
    settle = settle_days(days_left)
    new_per_day = math.ceil(unseen / (days_left - settle)) if unseen else 0
    reviews = review_load(cards)
    answers = reviews + new_per_day * ANSWERS_PER_NEW
    seconds, measured = answer_seconds(timed, median_ms)
    return Effort(
        days_left,
        settle,
        new_per_day,
        reviews,
        answers,
        seconds,
        timed,
        measured,
        answers * seconds / 60,
    )


class Fit(NamedTuple):
    """What a daily time budget allows."""

    minutes: float
    fits: bool
    new_per_day: int  # new cards a day that fit beside the reviews
    met: int  # unseen cards met before the exam at that pace


def fit(plan: Effort, unseen: int, minutes: float) -> Fit:
    answers = minutes * 60 / plan.seconds_per_answer
    room = math.floor(max(0.0, answers - plan.reviews_per_day) / ANSWERS_PER_NEW)
    new_per_day = min(room, plan.new_per_day)
    return Fit(
        minutes,
        plan.minutes_per_day <= minutes,
        new_per_day,
        min(unseen, new_per_day * plan.learn_days),
    )
