"""Study days as numbered days, and what a learner's activity over them adds up to.

The log keeps instants; statistics speak of study days (rolling over at the deck's
``day_start``, local time). A ``Calendar`` numbers the days from the first one shown or
logged, so the store can group a million answers by day in SQL (``Calendar.spans``)
and everything after works on small per-day tallies.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from leadcards.clock import study_date, study_day_starts
from leadcards.scheduling import DAY_MS

HISTORY_DAYS = 365  # the heatmap's reach back, at the widest
FORECAST_DAYS = 30


class Span(NamedTuple):
    """A run of study days from ``start_ms``, the first numbered ``first``: each exactly
    a day long when ``regular`` (so ``first + (t - start_ms) // DAY_MS`` numbers an
    instant), else one day alone (a day that daylight saving made 23 or 25 hours)."""

    start_ms: int
    first: int
    regular: bool


class Calendar(NamedTuple):
    """Study days ``first_date`` … numbered from 0; ``starts[i]`` begins day ``i`` and
    ``starts[-1]`` ends the last. ``today`` is the number of the day holding ``now``."""

    first_date: date
    starts: tuple[int, ...]
    today: int

    @property
    def days(self) -> int:
        return len(self.starts) - 1

    def date_of(self, day: int) -> date:
        return self.first_date + timedelta(days=day)

    def day_of(self, ms: int) -> int | None:
        """The number of the day holding ``ms``; None outside the calendar."""
        if not self.starts[0] <= ms < self.starts[-1]:
            return None
        return bisect_right(self.starts, ms) - 1

    def spans(self) -> list[Span]:
        """The calendar as few runs as daylight saving allows (one in UTC)."""
        found: list[Span] = []
        for day in range(self.days):
            regular = self.starts[day + 1] - self.starts[day] == DAY_MS
            last = found[-1] if found else None
            if regular and last is not None and last.regular:
                continue
            found.append(Span(self.starts[day], day, regular))
        return found


def calendar(
    now_ms: int,
    day_start: str,
    logged: tuple[int, int] | None = None,
    *,
    back: int = HISTORY_DAYS,
    ahead: int = FORECAST_DAYS,
) -> Calendar:
    """Days from ``back`` days before today (or the first logged instant, if earlier) to
    ``ahead`` days after it (or the last logged instant, if later: a clock set back)."""
    today = study_date(now_ms, day_start)
    first = today - timedelta(days=back)
    last = today + timedelta(days=ahead)
    if logged is not None:
        first = min(first, study_date(logged[0], day_start))
        last = max(last, study_date(logged[1], day_start))
    count = (last - first).days + 1
    return Calendar(first, tuple(study_day_starts(first, count, day_start)), (today - first).days)


@dataclass(frozen=True)
class Activity:
    """Answers (practice included) and the time spent on them, over some days."""

    answers: int = 0
    practice: int = 0
    duration_ms: int = 0

    def __add__(self, other: Activity) -> Activity:
        return Activity(
            self.answers + other.answers,
            self.practice + other.practice,
            self.duration_ms + other.duration_ms,
        )


def activity_since(days: Mapping[int, Activity], first: int, last: int) -> Activity:
    """The activity of days ``first`` … ``last`` (inclusive)."""
    total = Activity()
    for day, tally in days.items():
        if first <= day <= last:
            total = total + tally
    return total


class Streaks(NamedTuple):
    current: int
    longest: int


def streaks(studied: set[int], today: int) -> Streaks:
    """Runs of consecutive study days with an answer. The current run ends today, or
    yesterday while today has no answer yet: a day is not missed before it is over."""
    longest = run = 0
    previous: int | None = None
    for day in sorted(studied):
        run = run + 1 if previous is not None and day == previous + 1 else 1
        longest = max(longest, run)
        previous = day
    end = today if today in studied else today - 1
    current = 0
    while end - current in studied:
        current += 1
    return Streaks(current, longest)
