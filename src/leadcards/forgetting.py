"""FSRS's forgetting curve, without importing fsrs: ``status`` predicts exam-day recall
in one SQL aggregate from these constants, and ``plan`` in Python from the same ones.

leadcards schedules with py-fsrs's default parameters, whose last one is the decay;
``tests/test_readiness.py`` checks both against py-fsrs itself.
"""

from __future__ import annotations

DAY_MS = 86_400_000
# R(t) = (1 + FACTOR · t / S) ** DECAY, t in whole days since the last review.
DECAY = -0.1542  # -parameters[20], fsrs.scheduler.FSRS_DEFAULT_DECAY
FACTOR = 0.9 ** (1 / DECAY) - 1


def recall_at(stability: float, last_review_ms: int, at_ms: int) -> float:
    """FSRS retrievability at ``at_ms``, exactly as py-fsrs computes it: whole days
    elapsed (floored, never below 0), then the power forgetting curve."""
    days = max(0, (at_ms - last_review_ms) // DAY_MS)
    return float((1 + FACTOR * days / stability) ** DECAY)


def interval_days(stability: float, retention: float) -> float:
    """Days until recall falls to ``retention``: FSRS's interval before rounding."""
    return stability / FACTOR * (retention ** (1 / DECAY) - 1)
