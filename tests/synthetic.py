"""A simulated learner whose memory follows known FSRS parameters, studying through
leadcards' own store: each day it answers the cards leadcards shows it, and whether it
recalls one is drawn from its own forgetting curve, not from leadcards' defaults."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from leadcards.store import Store

from .conftest import DAY, HOUR

# FSRS's defaults, and a learner who forgets far faster than they assume: tiny initial
# stabilities, slow growth after a recall and a steeper curve.
DEFAULTS = (
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
)  # fmt: skip
FORGETFUL = (0.05, 0.2, 0.6, 2.0, *DEFAULTS[4:8], 1.0, *DEFAULTS[9:20], 0.3)
NAMES = ("again", "hard", "good", "easy")


def recall(days: int, stability: float, decay: float) -> float:
    factor = 0.9 ** (-1 / decay) - 1
    return float((1 + factor * days / stability) ** -decay)


def study(
    store: Store,
    keys: Sequence[str],
    start_ms: int,
    days: int,
    *,
    truth: Sequence[float] = FORGETFUL,
    new_per_day: int = 10,
    seed: int = 1,
) -> int:
    """``days`` days of study from ``start_ms``: ``new_per_day`` new cards a day, and
    every card leadcards has due by the end of the day. The answers, one per card and
    day, at most: how many."""
    from fsrs_rs_python import FSRS

    rng = random.Random(seed)
    model = FSRS(list(truth))
    memory: dict[str, Any] = {}
    last: dict[str, int] = {}
    waiting = list(keys)
    answers = 0
    for day in range(days):
        at = start_ms + day * DAY + 9 * HOUR
        due = [k for k in memory if (store.card(k).memory.due or 0) < at + 12 * HOUR]
        fresh, waiting = waiting[:new_per_day], waiting[new_per_day:]
        for i, key in enumerate(due + fresh):
            state = memory.get(key)
            elapsed = day - last[key] if key in last else 0
            if state is None:
                rating = rng.choices((1, 2, 3, 4), (0.2, 0.1, 0.6, 0.1))[0]
            elif rng.random() < recall(elapsed, state.stability, truth[20]):
                rating = 3 if rng.random() < 0.85 else rng.choice((2, 4))
            else:
                rating = 1
            after = getattr(model.next_states(state, 0.9, elapsed), NAMES[rating - 1])
            memory[key], last[key] = after.memory, day
            store.answer(key, rating, 8000 + rng.randrange(8000), at + i * 20_000)
            answers += 1
    return answers
