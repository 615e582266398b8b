"""What an export with history needs from the review log, independent of the database.

``leadcards.schedules`` builds these from the log; exporters only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One answer, as Anki's revlog wants it."""

    id: str  # leadcards review id (globally unique)
    reviewed_at: datetime  # aware UTC
    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    duration_ms: int
    state_before: str  # new | learning | review | relearning
    interval_after: timedelta  # due after this answer minus reviewed_at
    interval_before: timedelta  # the previous interval (zero for a new card)
    difficulty_after: float  # FSRS difficulty 1..10 after the answer
    stability_after: float  # FSRS stability in days after the answer


@dataclass(frozen=True, slots=True)
class CardSchedule:
    """A card's current schedule and its full review history."""

    key: str
    state: str  # new | learning | review | relearning
    due: datetime | None  # aware UTC; None for a new card
    stability: float | None
    difficulty: float | None
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool
    reviews: tuple[ReviewRecord, ...] = field(default_factory=tuple)
