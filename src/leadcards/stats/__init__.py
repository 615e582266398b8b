"""`leadcards stats`: where a learner stands, as plain values.

``gather`` asks the store for a few tallies (per study day, per card) and the modules
here turn them into figures: ``study_days`` (activity, streaks), ``retention`` (true
retention), ``memory`` (states, FSRS distributions, knowledge, forecast) and ``weak``
(weak spots, confusions). Nothing here draws; ``ui/stats_view.py`` does, and
``to_json`` is the shape ``--json`` prints (documented in the README).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from leadcards.card_list import one_line
from leadcards.forgetting import curve
from leadcards.stats import memory, retention, weak
from leadcards.stats.beside import Beside
from leadcards.stats.log_tallies import log_figures
from leadcards.stats.memory import Bucket, Knowledge, States
from leadcards.stats.retention import Retention, Tally
from leadcards.stats.study_days import (
    Activity,
    Calendar,
    Streaks,
    activity_since,
    calendar,
    streaks,
)
from leadcards.stats.weak import Confusion, Group
from leadcards.store import Store
from leadcards.texts import stored_card

SHOWN = 10  # weak spots of each kind, lapsing cards and confusions kept


@dataclass(frozen=True)
class Lapsed:
    key: str
    front: str  # one line, Markdown emphasis dropped
    lapses: int


@dataclass(frozen=True)
class Dashboard:
    deck_ids: list[str]
    day_start: str
    desired_retention: float
    days: Calendar
    activity: dict[int, Activity]  # study day → its answers
    streaks: Streaks
    retention: dict[str, Retention]  # by period (retention.PERIODS)
    forecast: list[int]  # due on each of the next 30 study days, today first
    states: States
    stability: list[Bucket]
    difficulty: list[Bucket]
    retrievability: list[Bucket]
    knowledge: Knowledge
    weak: dict[str, list[Group]]  # by kind, weakest first, at most SHOWN each
    titles: dict[tuple[str, str], str]  # (kind, id) → how the group is named
    lapsed: list[Lapsed]
    confusions: list[Confusion]

    def window(self, days: int) -> Activity:
        """The activity of the last ``days`` study days, today included."""
        return activity_since(self.activity, self.days.today - days + 1, self.days.today)


class _CardSide(NamedTuple):
    """What ``gather`` reads from the card cache beside the log (``beside``)."""

    memory: memory.MemoryNow
    forecast: list[int]
    lapsed: list[tuple[str, int]]


def gather(
    store: Store,
    deck_ids: list[str],
    now_ms: int,
    *,
    keep: bool = True,
    meanwhile: Callable[[], object] | None = None,
) -> Dashboard:
    """Every figure of the decks ``deck_ids`` at ``now_ms``; with ``keep`` the past days'
    tallies are kept in the store (and read from it), else read off the whole log.

    The card cache's figures are read on a second connection while this one reads the
    log and the weak spots: the two largest aggregates run at once. ``meanwhile`` runs
    on that second thread once its reads are done (the caller loading what it draws
    with): Python work there would otherwise hold up this thread between its queries."""
    settings = store.settings(deck_ids[0] if len(deck_ids) == 1 else None)
    shape = curve(settings.fsrs_parameters)
    logged = store.logged_span()
    days = calendar(now_ms, settings.day_start, logged)
    card_side = Beside(
        store.path,
        lambda other: _CardSide(
            memory.memory_now(other, deck_ids, now_ms, shape),
            memory.due_forecast(other, deck_ids, days),
            other.most_lapsed(deck_ids, SHOWN),
        ),
        then=meanwhile,
    )
    log = log_figures(store, deck_ids, days, settings.day_start, logged, keep=keep)
    activity = log.activity
    shown = weak.weakest(store, deck_ids, now_ms, shape, log, SHOWN)
    titles = {
        (g.kind, g.id): weak.group_title(g, stored_card(store, g.sample))
        for groups in shown.values()
        for g in groups
    }
    confusions = weak.confusions(log.picks, lambda key: stored_card(store, key), SHOWN)
    cards = card_side.result()
    lapsed = []
    for key, lapses in cards.lapsed:
        text = stored_card(store, key)
        lapsed.append(Lapsed(key, one_line(text.front) if text is not None else key, lapses))
    figures = cards.memory
    return Dashboard(
        deck_ids=deck_ids,
        day_start=settings.day_start,
        desired_retention=settings.desired_retention,
        days=days,
        activity=activity,
        streaks=streaks({d for d, a in activity.items() if a.answers}, days.today),
        retention=retention.by_period(log.retention, days.today),
        forecast=cards.forecast,
        states=figures.states,
        stability=figures.stability,
        difficulty=figures.difficulty,
        retrievability=figures.retrievability,
        knowledge=figures.knowledge,
        weak=shown,
        titles=titles,
        lapsed=lapsed,
        confusions=confusions,
    )


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _activity(tally: Activity) -> dict[str, Any]:
    return {
        "answers": tally.answers,
        "practice": tally.practice,
        "seconds": round(tally.duration_ms / 1000, 1),
    }


def _tally(tally: Tally) -> dict[str, Any]:
    return {"passed": tally.passed, "failed": tally.failed, "rate": _rate(tally.rate)}


def _buckets(buckets: list[Bucket]) -> list[dict[str, Any]]:
    return [{"label": b.label, "from": b.low, "cards": b.cards} for b in buckets]


def to_json(board: Dashboard) -> dict[str, Any]:
    """The dashboard as ``stats --json`` prints it (README, "stats --json")."""
    days = board.days
    return {
        "decks": board.deck_ids,
        "study_day": days.date_of(days.today).isoformat(),
        "day_start": board.day_start,
        "activity": {
            "today": _activity(board.window(1)),
            "last_7_days": _activity(board.window(7)),
            "last_30_days": _activity(board.window(30)),
        },
        "streak": {"current": board.streaks.current, "longest": board.streaks.longest},
        "retention": {
            "desired": board.desired_retention,
            **{
                period: {
                    "young": _tally(r.young),
                    "mature": _tally(r.mature),
                    "all": _tally(r.all),
                }
                for period, r in board.retention.items()
            },
        },
        "days": [
            {"date": days.date_of(day).isoformat(), **_activity(tally)}
            for day, tally in sorted(board.activity.items())
        ],
        "forecast": [
            {"date": days.date_of(days.today + i).isoformat(), "due": due}
            for i, due in enumerate(board.forecast)
        ],
        "cards": {**board.states._asdict(), "total": board.states.total},
        "stability_days": _buckets(board.stability),
        "difficulty": _buckets(board.difficulty),
        "retrievability": _buckets(board.retrievability),
        "knowledge": {
            "cards_seen": board.knowledge.seen,
            "mean_retrievability": _rate(board.knowledge.mean),
            "estimated_known": round(board.knowledge.known, 1),
        },
        "weak_spots": {
            kind: [
                {
                    "id": g.id,
                    "title": board.titles[(g.kind, g.id)],
                    "cards": g.cards,
                    "cards_seen": g.seen,
                    "first_reviews": g.reviews.total,
                    "retention": _rate(g.reviews.rate),
                    "retrievability": _rate(g.retrievability),
                }
                for g in groups
            ]
            for kind, groups in board.weak.items()
        },
        "most_lapses": [{"key": c.key, "front": c.front, "lapses": c.lapses} for c in board.lapsed],
        "confusions": [
            {"key": c.key, "asked": c.asked, "picked": c.picked, "right": c.right, "times": c.times}
            for c in board.confusions
        ],
    }
