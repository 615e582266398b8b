"""Vetting what is read back from the file before anything relies on it.

The file can hold what leadcards never writes: a hand edit, a damaged disk, a bug of an
older version (a rating of 9, a setting that is not JSON, an answer stamped in year
3000). Left alone, such a row stops FSRS, a date conversion or an export far from its
cause, with a traceback. Every reading of the log and the settings passes here, and a
bad row becomes one ``BadRow`` naming it; ``doctor`` lists them all.
"""

from __future__ import annotations

import json
from typing import Any

from leadcards.clock import EARLIEST_MS, KEPT, LATEST_MS, in_range, utc_text
from leadcards.errors import BadRow
from leadcards.events import ORDERED, ORDERED_JSON, Event, EventKind
from leadcards.scheduling import RATINGS, State
from leadcards.settings import stored_problem

KINDS = {kind.value: kind for kind in EventKind}  # a dict lookup: EventKind() is slow
_ANSWER, _BURY, _PRACTICE = EventKind.ANSWER, EventKind.BURY, EventKind.PRACTICE
RATED = frozenset({_ANSWER, _PRACTICE})  # events that carry a rating
_STATES = frozenset(State)
# The settings table is a cache of the log's settings events: a bad row there is mended.
REBUILD_SETTINGS = "`leadcards doctor --rebuild` rewrites the settings table from the log"


# Answers exactly as leadcards writes them, which ``event_of`` and ``check_answer`` pass
# without a doubt: most of a log. ``doctor`` looks at the other rows one by one, so its
# check costs one scan in SQLite rather than a Python call per row. (Written beside the
# checks it mirrors; coalesce, since a NULL would make the condition NULL, not false.)
WRITTEN_AS_USUAL = (
    f"coalesce(kind IN ('answer', 'practice') AND typeof(at) = 'integer' AND at >= {EARLIEST_MS} "
    f"AND at < {LATEST_MS} AND rating IN (1, 2, 3, 4) AND state_before IN (0, 1, 2, 3) "
    f"AND (data IS NULL OR data = '{ORDERED_JSON}'), 0)"
)


def event_of(row: Any) -> Event:
    """An event from a row of ``EVENT_COLUMNS``, in that order. A replay reads every
    row through here: the common case costs a lookup and three comparisons."""
    event_id, at, kind, card_key, rating, duration_ms, picked, target, data = row
    found = KINDS.get(kind)
    if (
        found is None
        or type(at) is not int
        or not EARLIEST_MS <= at < LATEST_MS
        or (found in RATED and rating not in RATINGS)
    ):
        raise _bad_event(event_id, kind, at, rating)
    parsed = (ORDERED if data == ORDERED_JSON else _data(event_id, data)) if data else None
    if found is _BURY:
        until = (parsed or {}).get("until")
        if until is not None and (type(until) is not int or not in_range(until)):
            raise BadRow(f"log event {event_id}", f"buries its card until {until!r}, not a time")
    return Event(event_id, at, found, card_key, rating, duration_ms, picked, target, parsed)


def check_answer(
    event_id: str, at: Any, rating: Any, state_before: Any, kind: EventKind = _ANSWER
) -> None:
    """What export and doctor rely on in an answer (or practice) row beyond ``event_of``."""
    if (
        rating not in RATINGS
        or type(at) is not int
        or not in_range(at)
        or state_before not in _STATES
    ):
        raise _bad_event(event_id, kind.value, at, rating, state_before)


def setting_value(scope: str, key: str, text: Any) -> Any:
    """A value of the settings table, as JSON gives it back."""
    row = f"setting {key}{f' for deck {scope}' if scope else ''} in the settings table"
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        raise BadRow(row, f"is not valid JSON ({text!r})", REBUILD_SETTINGS) from None
    problem = stored_problem(key, value)
    if problem:
        raise BadRow(row, problem, REBUILD_SETTINGS)
    return value


def check_stamp(at: int, last_id: str | None) -> None:
    """A new event goes no earlier than the newest it follows: one stamped outside the
    kept times would push the new one out too, so it is named instead."""
    if not in_range(at):
        raise BadRow(
            f"log event {last_id}",
            f"is stamped {utc_text(at)}, outside the times leadcards keeps ({KEPT}), "
            "and a new event cannot go before it",
        )


def _data(event_id: str, text: Any) -> dict[str, Any]:
    try:
        parsed = json.loads(text)
    except (TypeError, ValueError):
        parsed = None
    if not isinstance(parsed, dict):
        raise BadRow(f"log event {event_id}", f"has data that is not a JSON object ({text!r})")
    return parsed


def _bad_event(event_id: str, kind: Any, at: Any, rating: Any, state_before: Any = 0) -> BadRow:
    """Which of the things every reading of a log row relies on this row lacks."""
    row = f"log event {event_id}"
    if kind not in KINDS:
        return BadRow(row, f"is of a kind leadcards does not know ({kind!r})")
    if type(at) is not int:
        return BadRow(row, f"has a time that is not a whole number ({at!r})")
    if not in_range(at):
        return BadRow(row, f"is stamped {utc_text(at)}, outside the times leadcards keeps ({KEPT})")
    if kind in (_ANSWER.value, _PRACTICE.value) and rating not in RATINGS:
        return BadRow(row, f"has rating {rating!r}; answers are rated 1 to 4")
    return BadRow(row, f"has state_before {state_before!r}; a card's state is 0 to 3")
