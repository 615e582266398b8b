"""FSRS's forgetting curve, without importing fsrs: ``status`` predicts exam-day recall
in one SQL aggregate from it, and ``plan``, ``stats`` and ``cram --weakest`` in Python.

The curve's shape is the last FSRS parameter, the decay: py-fsrs's default unless the
learner applied fitted parameters (``optimize --apply``), which change it, so every
figure of recall takes the ``Curve`` of the parameters the deck schedules with.
``tests/test_readiness.py`` checks it against py-fsrs itself.
"""

from __future__ import annotations

from typing import NamedTuple

DAY_MS = 86_400_000
DEFAULT_DECAY = -0.1542  # -parameters[20], fsrs.scheduler.FSRS_DEFAULT_DECAY


class Curve(NamedTuple):
    """R(t) = (1 + factor · t / S) ** decay, t in whole days since the last review; the
    factor makes R 90% when t equals the stability."""

    decay: float = DEFAULT_DECAY

    @property
    def factor(self) -> float:
        return float(0.9 ** (1 / self.decay) - 1)


DEFAULT = Curve()
DECAY = DEFAULT.decay
FACTOR = DEFAULT.factor


def curve(parameters: tuple[float, ...] | None) -> Curve:
    """The curve of a deck's ``fsrs_parameters`` setting (None: FSRS's defaults)."""
    return DEFAULT if parameters is None else Curve(-parameters[20])


def recall_at(stability: float, last_review_ms: int, at_ms: int, shape: Curve = DEFAULT) -> float:
    """FSRS retrievability at ``at_ms``, exactly as py-fsrs computes it: whole days
    elapsed (floored, never below 0), then the power forgetting curve."""
    days = max(0, (at_ms - last_review_ms) // DAY_MS)
    return recall_after(stability, days, shape)


def recall_after(stability: float, days: int, shape: Curve = DEFAULT) -> float:
    """Retrievability ``days`` whole days after the last review."""
    return float((1 + shape.factor * max(days, 0) / stability) ** shape.decay)


def interval_days(stability: float, retention: float, shape: Curve = DEFAULT) -> float:
    """Days until recall falls to ``retention``: FSRS's interval before rounding."""
    return stability / shape.factor * (retention ** (1 / shape.decay) - 1)
