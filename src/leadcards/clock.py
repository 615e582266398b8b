"""The one clock and the study day.

Tests and simulations set ``LEADCARDS_NOW`` so every part of the program agrees on
what time it is; FSRS needs aware UTC datetimes, so everything here returns those.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone

from leadcards.errors import UsageError

DEFAULT_DAY_START = "04:00"
LOCAL_FORMAT = "%Y-%m-%d %H:%M"
"""How an instant is shown to the learner: local time, to the minute."""


def now() -> datetime:
    """Current time as aware UTC, honouring ``LEADCARDS_NOW``."""
    fixed = os.environ.get("LEADCARDS_NOW")
    if not fixed:
        return datetime.now(timezone.utc)
    try:
        parsed = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"LEADCARDS_NOW={fixed!r} is not an ISO-8601 timestamp "
            "(example: 2026-01-31T09:30:00+00:00)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()  # naive means local time, as a user would mean it
    return parsed.astimezone(timezone.utc)


def parse_day_start(value: str) -> time:
    """Parse ``HH:MM``; the study day rolls over at this local time."""
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise UsageError(f"day start {value!r} must be HH:MM, e.g. 04:00") from None


def _rollover(day: date, at: time) -> datetime:
    """The first instant at which the local clock reads ``day`` ``at`` or later (UTC).

    Where daylight saving skips that time (midnight in Santiago, Havana, Beirut or São
    Paulo on the night clocks go forward), the day begins at the jump itself; converting
    the missing time directly lands an hour early, before the previous day has ended.
    """
    wall = datetime.combine(day, at)
    guess = wall.astimezone()
    if guess.astimezone().replace(tzinfo=None) == wall:  # it exists (if twice, the first)
        return guess.astimezone(timezone.utc)

    def reached(seconds: int) -> bool:
        return datetime.fromtimestamp(seconds).replace(tzinfo=None) >= wall

    low = int(guess.timestamp()) - 6 * 3600  # the clock shows less than ``wall`` here
    high = int(guess.timestamp()) + 6 * 3600  # and more here: a gap is never 6 h wide
    while high - low > 1:
        middle = (low + high) // 2
        if reached(middle):
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, timezone.utc)


def _study_date(moment: datetime, rollover: time) -> date:
    """The local date whose rollover began the study day containing ``moment``."""
    day = moment.astimezone().date()
    return day if moment >= _rollover(day, rollover) else day - timedelta(days=1)


def study_day_start(moment: datetime, day_start: str = DEFAULT_DAY_START) -> datetime:
    """UTC start of the study day containing ``moment``.

    A study day runs from ``day_start`` local time to the same time next day, so a
    late-night session still counts towards the evening's day, as in Anki.
    """
    rollover = parse_day_start(day_start)
    return _rollover(_study_date(moment, rollover), rollover)


def next_study_day_start(moment: datetime, day_start: str = DEFAULT_DAY_START) -> datetime:
    """UTC start of the study day after the one containing ``moment``: always later."""
    rollover = parse_day_start(day_start)
    return _rollover(_study_date(moment, rollover) + timedelta(days=1), rollover)


def to_ms(moment: datetime) -> int:
    """Milliseconds since the epoch: how instants are stored."""
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, timezone.utc)


def local_text(ms: int) -> str:
    """A stored instant as the learner reads it: ``2026-03-02 12:00`` in local time."""
    return from_ms(ms).astimezone().strftime(LOCAL_FORMAT)


def due_text(ms: int | None, now_ms: int) -> str:
    """When a card is due, as a sentence ends: ``now``, ``in 3h (2026-03-02 12:00)``."""
    if ms is None:
        return "nothing scheduled"
    if ms <= now_ms:
        return "now"
    # Imported here: scheduling imports settings, which imports this module.
    from leadcards.scheduling import format_interval

    return f"in {format_interval(ms - now_ms)} ({local_text(ms)})"
