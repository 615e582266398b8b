"""What a desired retention costs: FSRS's simulator run for a range of retentions,
with the learner's parameters, cards, daily limits, ratings and answer times.

The simulator is ``fsrs-rs-python``'s (Anki's "Help me decide" runs the same one). It
starts the cards as new and introduces them at the daily new-card limit, so the figures
describe studying these cards under these limits from scratch: for a deck well under
way they overstate the first weeks' new-card work and understate nothing else. The
ratings' shares and the seconds each answer takes are the learner's when the log has
enough of them (``ENOUGH_ANSWERS``), else the simulator's own (Anki users' medians).
A run is deterministic for its seed.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple

RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.97)
"""The range Anki's chart spans, closer together where the cost climbs; the learner's
own desired retention is added when it is not among them."""
ENOUGH_ANSWERS = 50
"""Answers of one kind (first answers, reviews, a state's ratings) before the learner's
own shares and times replace the simulator's."""
DEFAULT_DAYS = 365
MINUTES_WINDOW = 30
"""Study days over which the learner's minutes a day are averaged."""


class Profile(NamedTuple):
    """How the learner answers, in the simulator's terms."""

    first_rating: tuple[float, ...] | None  # shares of Again..Easy on a new card
    review_rating: tuple[float, ...] | None  # shares of Hard, Good, Easy on a passed review
    costs: tuple[tuple[float, ...], ...] | None  # seconds: learning, review, relearning × rating
    timed: int  # answers with a time
    measured: bool  # costs are the learner's

    def to_json(self) -> dict[str, Any]:
        return {"timed_answers": self.timed, "measured_times": self.measured}


# the store's states before an answer → the simulator's rows of costs
_COST_ROW = {0: 0, 1: 0, 2: 1, 3: 2}


def _shares(counts: Sequence[int]) -> tuple[float, ...] | None:
    total = sum(counts)
    if total < ENOUGH_ANSWERS:
        return None
    return tuple(c / total for c in counts)


def profile(rows: Iterable[tuple[str, bool, int, int, int, int]]) -> Profile:
    """The learner's shares and times, from the store's ``study_history`` rows."""
    first = [0, 0, 0, 0]
    passed = [0, 0, 0]
    times: list[list[list[int]]] = [[[] for _ in range(4)] for _ in range(3)]
    for _key, is_forget, _day, rating, ms, state in rows:
        if is_forget or not 1 <= rating <= 4:
            continue
        if state == 0:
            first[rating - 1] += 1
        elif state == 2 and rating > 1:
            passed[rating - 2] += 1
        if ms > 0 and state in _COST_ROW:
            times[_COST_ROW[state]][rating - 1].append(ms)
    every = [ms for row in times for cell in row for ms in cell]
    costs = None
    if len(every) >= ENOUGH_ANSWERS:
        overall = statistics.median(every) / 1000
        costs = tuple(
            tuple(
                statistics.median(cell) / 1000 if len(cell) >= ENOUGH_ANSWERS else overall
                for cell in row
            )
            for row in times
        )
    return Profile(_shares(first), _shares(passed), costs, len(every), costs is not None)


class Limits(NamedTuple):
    """The part of the learner's settings the simulator takes."""

    cards: int
    new_per_day: int
    reviews_per_day: int
    maximum_interval: int
    learning_steps: int
    relearning_steps: int


class Outlook(NamedTuple):
    """One desired retention's simulated days, averaged."""

    retention: float
    reviews_per_day: float  # answers on cards already learned
    new_per_day: float
    minutes_per_day: float
    remembered: float  # cards recalled at the end (summed probability)

    def to_json(self) -> dict[str, float]:
        return {
            "retention": self.retention,
            "reviews_per_day": round(self.reviews_per_day, 1),
            "new_per_day": round(self.new_per_day, 1),
            "minutes_per_day": round(self.minutes_per_day, 1),
            "remembered": round(self.remembered, 1),
        }


def simulate(
    parameters: Sequence[float],
    retentions: Sequence[float],
    limits: Limits,
    learner: Profile,
    days: int,
    seed: int,
) -> list[Outlook]:
    """Each retention's outlook over ``days`` days of study."""
    import fsrs_rs_python

    config = fsrs_rs_python.default_simulator_config()
    config.deck_size = limits.cards
    config.learn_span = days
    config.max_cost_perday = float(24 * 3600)  # the limits bind, not a time budget
    config.max_ivl = float(limits.maximum_interval)
    config.learn_limit = limits.new_per_day
    config.review_limit = limits.reviews_per_day
    config.new_cards_ignore_review_limit = True  # leadcards counts the two apart
    config.learning_step_count = limits.learning_steps
    config.relearning_step_count = limits.relearning_steps
    if learner.first_rating is not None:
        config.first_rating_prob = list(learner.first_rating)
    if learner.review_rating is not None:
        config.review_rating_prob = list(learner.review_rating)
    if learner.costs is not None:
        config.state_rating_costs = [list(row) for row in learner.costs]
    found = []
    for retention in retentions:
        result = fsrs_rs_python.simulate(list(parameters), retention, config, seed)
        span = max(len(result.cost_per_day), 1)
        remembered = result.memorized_cnt_per_day
        found.append(
            Outlook(
                retention,
                sum(result.review_cnt_per_day) / span,
                sum(result.learn_cnt_per_day) / span,
                sum(result.cost_per_day) / span / 60,
                float(remembered[-1]) if remembered else 0.0,
            )
        )
    return found


class SimulationResult(NamedTuple):
    """What `leadcards simulate` shows."""

    deck: str | None
    days: int
    seed: int
    fitted: bool  # the parameters are the learner's own (`optimize --apply`)
    desired_retention: float  # the one in force
    limits: Limits
    learner: Profile
    outlooks: list[Outlook]
    exam: date | None
    days_left: int | None
    minutes: float | None  # the learner's time a day: given, or measured
    measured_minutes: bool
    fits: Outlook | None  # the highest retention within ``minutes``

    @property
    def until_exam(self) -> bool:
        """The simulated days are exactly those before the exam."""
        return self.days_left is not None and self.days == self.days_left

    def to_json(self) -> dict[str, Any]:
        return {
            "deck": self.deck,
            "days": self.days,
            "seed": self.seed,
            "parameters": "fitted" if self.fitted else "default",
            "desired_retention": self.desired_retention,
            "cards": self.limits.cards,
            "new_per_day": self.limits.new_per_day,
            "reviews_per_day": self.limits.reviews_per_day,
            **self.learner.to_json(),
            "outlooks": [o.to_json() for o in self.outlooks],
            "exam": None if self.exam is None else self.exam.isoformat(),
            "days_left": self.days_left,
            "minutes": None if self.minutes is None else round(self.minutes, 1),
            "measured_minutes": self.measured_minutes,
            "fits": None if self.fits is None else self.fits.retention,
        }


def fitting(outlooks: Sequence[Outlook], minutes: float) -> Outlook | None:
    """The highest retention whose minutes a day stay within ``minutes``."""
    within = [o for o in outlooks if o.minutes_per_day <= minutes]
    return max(within, key=lambda o: o.retention) if within else None


def recent_minutes(rows: Iterable[tuple[int, int]], today: int) -> float | None:
    """Minutes a day the learner spent answering over the last ``MINUTES_WINDOW`` study
    days, from (study day, ms) of each answer; None when none fell in them."""
    spent = [ms for day, ms in rows if today - MINUTES_WINDOW < day <= today]
    if not spent:
        return None
    return sum(spent) / MINUTES_WINDOW / 60_000


def parse_retentions(text: str) -> tuple[float, ...]:
    """``0.8,0.9`` → (0.8, 0.9), each a fraction FSRS schedules for (0.70–0.99)."""
    from leadcards.errors import UsageError

    found = []
    for part in text.replace(",", " ").split():
        try:
            value = float(part)
        except ValueError:
            raise UsageError(f"--retention takes numbers like 0.85, not {part!r}") from None
        if not 0.70 <= value <= 0.99:
            raise UsageError(f"--retention {part} must be between 0.70 and 0.99")
        found.append(round(value, 4))
    if not found:
        raise UsageError("--retention needs at least one number, e.g. 0.85,0.9")
    return tuple(sorted(set(found)))
