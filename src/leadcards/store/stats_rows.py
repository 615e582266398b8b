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


class FirstReviews(NamedTuple):
    """First answers of a study day on cards in review, of one card in one period."""

    key: str
    period: int  # 2: the last 7 days, 1: the 23 days before, 0: earlier
    mature: bool
    passed: int
    failed: int
