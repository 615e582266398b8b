"""The rows `Store`'s statistics queries return: named tuples, defined apart so that
commands which never ask for statistics (`status`, `review`) do not pay for making them.
"""

from __future__ import annotations

from typing import NamedTuple


class CardNow(NamedTuple):
    """A present card's cached record, as the card-based figures need it."""

    key: str
    note_id: str
    state: int
    stability: float | None
    difficulty: float | None
    due: int | None
    last_review: int | None
    lapses: int
    suspended: bool
    leech: bool
    buried_until: int | None


class Cover(NamedTuple):
    """What one day rule's tallies cover: study days ``first_day`` up to (not including)
    ``until_day`` (date ordinals), every event before ``until_ms``, ``days`` the
    fingerprint of those days' starts, ``seq`` the log's last row when made."""

    first_day: int
    until_day: int
    until_ms: int
    days: str
    seq: int


class Tallies(NamedTuple):
    """Tallies of some span of the log, every deck, days as date ordinals."""

    activity: list[tuple[str, int, int, int, int]]  # deck, day, answers, practice, ms
    retention: list[tuple[str, int, bool, int, int]]  # deck, day, mature, passed, failed
    cards: list[tuple[str, int, int]]  # card, passed, failed
    picks: list[tuple[str, str, int]]  # card, picked, times
