"""True retention, as Anki defines it: of the first answers of a study day on cards in
review, the share not rated Again; young cards (interval before < 21 days) and mature
ones apart. The store picks those answers out (``Store.first_reviews``); this sums them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

PERIODS = ("last_7_days", "last_30_days", "all_days")


@dataclass(frozen=True)
class Tally:
    passed: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float | None:
        """The share passed; None with nothing to measure."""
        return self.passed / self.total if self.total else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.passed + other.passed, self.failed + other.failed)


class Retention(NamedTuple):
    young: Tally
    mature: Tally

    @property
    def all(self) -> Tally:
        return self.young + self.mature


def by_period(rows: Iterable[tuple[int, bool, int, int]], today: int) -> dict[str, Retention]:
    """Retention over the last 7, the last 30 and all study days, from (day, mature,
    passed, failed) rows."""
    young = [Tally(), Tally(), Tally()]  # by period: 0 older, 1 the 30 days, 2 the 7 days
    mature = [Tally(), Tally(), Tally()]
    for day, is_mature, passed, failed in rows:
        side = mature if is_mature else young
        period = (day > today - 7) + (day > today - 30)
        side[period] = side[period] + Tally(passed, failed)

    def since(tallies: list[Tally], period: int) -> Tally:
        total = Tally()
        for tally in tallies[period:]:
            total = total + tally
        return total

    return {
        name: Retention(since(young, period), since(mature, period))
        for name, period in zip(PERIODS, (2, 1, 0), strict=True)
    }
