"""The one clock and the study day.

Tests and simulations set ``LEADCARDS_NOW`` so every part of the program agrees on
what time it is; FSRS needs aware UTC datetimes, so everything here returns those.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, timezone

from leadcards.errors import UsageError

DEFAULT_DAY_START = "04:00"
LOCAL_FORMAT = "%Y-%m-%d %H:%M"
"""How an instant is shown to the learner: local time, to the minute."""

# The times leadcards keeps, in ms UTC: from 1970 to 2200. An answer is due at most a
# hundred years (the longest interval) after it is given, and every date that makes
# stays one datetime, FSRS and Anki can hold; a clock outside is wrong, not the future.
EARLIEST_MS = 0  # 1970-01-01
LATEST_MS = 7_258_118_400_000  # 2200-01-01, the first instant no longer kept
KEPT = "1970-01-01 to 2200-01-01 UTC"


def now() -> datetime:
    """Current time as aware UTC, honouring ``LEADCARDS_NOW``; a time outside the years
    leadcards keeps is refused here, before anything is read or written."""
    fixed = os.environ.get("LEADCARDS_NOW")
    if not fixed:
        current = datetime.now(timezone.utc)
        if not in_range(to_ms(current)):
            raise UsageError(
                f"this computer's clock reads {utc_text(to_ms(current))}, outside the "
                f"times leadcards keeps ({KEPT}); set the clock right"
            )
        return current
    try:
        parsed = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"LEADCARDS_NOW={fixed!r} is not an ISO-8601 timestamp "
            "(example: 2026-01-31T09:30:00+00:00)"
        ) from None
    try:
        if parsed.tzinfo is None:
            parsed = parsed.astimezone()  # naive means local time, as a user would mean it
        moment: datetime | None = parsed.astimezone(timezone.utc)
    except (ValueError, OverflowError):  # in UTC, or locally, it is year 0 or 10000
        moment = None
    if moment is None or not in_range(to_ms(moment)):
        raise UsageError(f"LEADCARDS_NOW={fixed!r} is outside the times leadcards keeps ({KEPT})")
    return moment


def in_range(ms: int) -> bool:
    """Whether an instant lies in the times leadcards keeps (``KEPT``)."""
    return EARLIEST_MS <= ms < LATEST_MS


def check_time(ms: int) -> None:
    """Refuse to store an instant outside the times leadcards keeps: one stored there
    would stop every later replay, export or display that meets it."""
    if not in_range(ms):
        raise UsageError(
            f"the time {utc_text(ms)} is outside the times leadcards keeps ({KEPT}); "
            "nothing was stored"
        )


def utc_text(ms: int) -> str:
    """An instant for a message, in UTC; one no datetime can hold is shown as a number."""
    try:
        return from_ms(ms).strftime("%Y-%m-%d %H:%M UTC")
    except (ValueError, OverflowError, OSError):
        return f"{ms} ms from 1970-01-01 UTC"


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_date(name: str, value: str) -> date:
    """A calendar date written ``YYYY-MM-DD``, within the years leadcards keeps."""
    text = value.strip()
    if not _DATE.fullmatch(text):
        raise UsageError(f"{name} must be a date as YYYY-MM-DD (e.g. 2027-03-15), not {value!r}")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{name} {text} is not a day of the calendar") from None
    if not 1970 < day.year < 2200:
        raise UsageError(f"{name} {text} is outside the years leadcards keeps ({KEPT})")
    return day


def day_begins(day: date) -> datetime:
    """The first instant of ``day`` on the local clock (midnight, or where daylight saving
    skips it, the jump), as aware UTC."""
    return _rollover(day, time(0, 0))


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


def study_date(ms: int, day_start: str = DEFAULT_DAY_START) -> date:
    """The study day an instant belongs to, named by the local date it began on."""
    return _study_date(from_ms(ms), parse_day_start(day_start))


def study_day_starts(first: date, count: int, day_start: str = DEFAULT_DAY_START) -> list[int]:
    """The starts (ms UTC) of ``count`` study days from ``first`` on, and of the day
    after them: day ``i`` runs from the ``i``-th to the next."""
    rollover = parse_day_start(day_start)
    return [to_ms(_rollover(first + timedelta(days=i), rollover)) for i in range(count + 1)]


def to_ms(moment: datetime) -> int:
    """Milliseconds since the epoch: how instants are stored."""
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, timezone.utc)


def iso_utc(ms: int | None) -> str | None:
    """An instant as ``--json`` prints it: ISO-8601 UTC, or None for none."""
    return from_ms(ms).isoformat() if ms is not None else None


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
