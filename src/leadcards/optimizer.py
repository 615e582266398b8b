"""FSRS fitted to the learner's own answers, with Anki's guardrails.

The fit is ``fsrs-rs-python``'s (a small compiled wheel: no torch). Its training data
is built as the FSRS tools build it: per card, the answers from its last reset
(``forget``) on, each with the whole study days since the answer before (0 for the
first, and for a second answer the same day); every answer given a day or more after
the previous one closes one item, whose earlier answers are the history it is predicted
from. Practice answers (``cram``) change no schedule and are left out by the store.

Fitted parameters replace the current ones only when they predict the same answers
better on both of FSRS's measures (log loss, and RMSE over bins, its calibration
error); with too little data the library returns its defaults unchanged, which is said
plainly. Parameters are rounded as Anki shows them and clamped into what py-fsrs's
scheduler accepts (``settings.PARAMETER_BOUNDS``), and evaluated as they will be used.

``fsrs_rs_python`` is imported inside the functions that need it: only ``optimize``
and ``simulate`` pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple

from leadcards.settings import PARAMETER_BOUNDS, PARAMETER_DECIMALS

if TYPE_CHECKING:
    import fsrs_rs_python

Review = tuple[int, int]
"""(rating, whole study days since the card's previous answer)."""
Item = tuple[Review, ...]
"""One training item: a card's answers up to one given a day or more after the last."""


def histories(rows: Iterable[tuple[str, bool, int, int, int, int]]) -> list[list[tuple[int, int]]]:
    """Each card's answers since its last reset, as (study day, rating), from the
    store's ``study_history`` rows (per card, in log order)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for key, is_forget, day, rating, _ms, _state in rows:
        if is_forget:
            found[key] = []
        elif 1 <= rating <= 4:
            found.setdefault(key, []).append((day, rating))
    return [h for h in found.values() if h]


class Training(NamedTuple):
    items: list[Item]  # in the order their last answers were given, as FSRS trains
    reviews: int  # the answers they draw on
    cards: int  # the cards they come from


def training_items(cards: Iterable[Sequence[tuple[int, int]]]) -> Training:
    """The items of every card's answers (study day, rating)."""
    dated: list[tuple[int, Item]] = []
    used = with_items = 0
    for history in cards:
        reviews: list[Review] = []
        previous = history[0][0]
        last_label = -1
        for i, (day, rating) in enumerate(history):
            gap = max(day - previous, 0)
            reviews.append((rating, gap))
            if gap > 0:
                dated.append((day, tuple(reviews)))
                last_label = i
            previous = day
        used += last_label + 1
        with_items += last_label >= 0
    dated.sort(key=lambda d: d[0])
    return Training([item for _, item in dated], used, with_items)


def clamp(parameters: Sequence[float]) -> tuple[float, ...]:
    """Rounded as Anki shows them, then into py-fsrs's bounds: the library works in
    float32, whose values can sit a hair past a bound, and rounding can step over one."""
    if len(parameters) != len(PARAMETER_BOUNDS):
        raise ValueError(f"FSRS-6 has {len(PARAMETER_BOUNDS)} parameters, not {len(parameters)}")
    return tuple(
        min(max(round(float(v), PARAMETER_DECIMALS), low), high)
        for v, (low, high) in zip(parameters, PARAMETER_BOUNDS, strict=True)
    )


def default_parameters() -> tuple[float, ...]:
    """FSRS-6's defaults, as the scheduler uses them when none are set."""
    import fsrs.scheduler

    return tuple(fsrs.scheduler.DEFAULT_PARAMETERS)


class Verdict(str, Enum):
    FITTED = "fitted"  # better on both measures: `--apply` stores them
    KEPT = "kept"  # not better: the current parameters stay
    TOO_LITTLE = "too_little"  # the library returned its defaults: too few answers


class Evaluation(NamedTuple):
    log_loss: float
    rmse_bins: float

    def to_json(self) -> dict[str, float]:
        return {"log_loss": round(self.log_loss, 4), "rmse_bins": round(self.rmse_bins, 4)}


class Outcome(NamedTuple):
    """What one run of the optimizer found."""

    reviews: int  # answers the items draw on
    cards: int  # cards with at least one item
    items: int
    current: tuple[float, ...]
    current_is_default: bool
    fitted: tuple[float, ...]  # clamped; the current ones when the library fell back
    changed: int  # parameters the fit moved from the library's defaults
    before: Evaluation | None  # None without items
    after: Evaluation | None
    verdict: Verdict

    @property
    def chosen(self) -> tuple[float, ...]:
        return self.fitted if self.verdict is Verdict.FITTED else self.current

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "reviews": self.reviews,
            "cards": self.cards,
            "items": self.items,
            "current": {
                "parameters": list(self.current),
                "default": self.current_is_default,
                "evaluation": None if self.before is None else self.before.to_json(),
            },
            "fitted": {
                "parameters": list(self.fitted),
                "changed": self.changed,
                "evaluation": None if self.after is None else self.after.to_json(),
            },
        }


def _library_items(items: Sequence[Item]) -> list[fsrs_rs_python.FSRSItem]:
    from fsrs_rs_python import FSRSItem, FSRSReview

    return [FSRSItem([FSRSReview(r, t) for r, t in item]) for item in items]


def evaluate(parameters: Sequence[float], items: Sequence[Item]) -> Evaluation | None:
    """How well ``parameters`` predict the items' last answers (None without items)."""
    if not items:
        return None
    from fsrs_rs_python import FSRS

    result = FSRS(list(parameters)).evaluate(_library_items(items))
    return Evaluation(float(result.log_loss), float(result.rmse_bins))


def optimize(
    cards: Sequence[Sequence[tuple[int, int]]], current: Sequence[float] | None
) -> Outcome:
    """Fit to ``cards`` (each card's (study day, rating) answers since its last reset)
    and judge the fit against ``current`` (None: FSRS's defaults) on the same items."""
    defaults = default_parameters()
    now = tuple(current) if current is not None else defaults
    items, used, with_items = training_items(cards)
    before = evaluate(now, items)
    is_default = current is None
    if not items:
        return Outcome(0, 0, 0, now, is_default, now, 0, None, None, Verdict.TOO_LITTLE)
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS

    raw = FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(_library_items(items))
    start = clamp(DEFAULT_PARAMETERS)
    fitted = clamp(raw)
    changed = sum(1 for a, b in zip(fitted, start, strict=True) if a != b)
    if changed == 0:
        return Outcome(
            used, with_items, len(items), now, is_default, now, 0, before, None, Verdict.TOO_LITTLE
        )
    after = evaluate(fitted, items)
    assert before is not None and after is not None
    better = after.log_loss < before.log_loss and after.rmse_bins <= before.rmse_bins
    verdict = Verdict.FITTED if better else Verdict.KEPT
    return Outcome(
        used, with_items, len(items), now, is_default, fitted, changed, before, after, verdict
    )
