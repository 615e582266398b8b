"""The exam a learner studies for: its day (given, or the decks' ``exam_date``), the
days left, and the line ``status`` ends with.

``status`` calls ``status_exams`` on every start: one settings read per deck (cached)
and, with a date set, one aggregate query over the decks' cards.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from leadcards.clock import day_begins, from_ms, parse_date, study_day_start, to_ms
from leadcards.errors import UsageError
from leadcards.forgetting import Curve, curve
from leadcards.settings import exam_ms

if TYPE_CHECKING:
    from leadcards.store import Store
    from leadcards.workspace import DeckInfo


def days_between(today: date, exam: date) -> int:
    """Study days from today until the exam day, today counted: 0 on the day itself."""
    return (exam - today).days


class ExamDay(NamedTuple):
    day: date
    start_ms: int  # the instant the exam day begins: recall is predicted for it


def given_day(text: str) -> ExamDay:
    """``--exam DATE``: the day begins at local midnight, as the setting's does."""
    day = parse_date("--exam", text)
    return ExamDay(day, to_ms(day_begins(day)))


def stored_day(value: str) -> ExamDay:
    """The ``exam_date`` setting: the date as it was given, the instant as stored."""
    start = exam_ms(value)
    assert start is not None
    return ExamDay(datetime.fromisoformat(value).date(), start)


def study_date(store: Store, now_ms: int) -> date:
    """Today's study day as a local date (before ``day_start`` it is still yesterday)."""
    start = study_day_start(from_ms(now_ms), store.settings().day_start)
    return start.astimezone().date()


def decks_day(store: Store, infos: list[DeckInfo]) -> ExamDay:
    """The exam date the decks' settings agree on; an error when none is set or they
    differ, naming what to do."""
    dates = {info.id: store.settings(info.id).exam_date for info in infos}
    found = set(dates.values())
    if found == {None} or not found:
        raise UsageError(
            "no exam date: give --exam DATE, or set one with `leadcards config exam_date DATE`"
        )
    if len(found) > 1:
        each = ", ".join(
            f"{deck} {stored_day(value).day if value else 'none'}" for deck, value in dates.items()
        )
        raise UsageError(f"the decks have different exam dates ({each}): give --exam DATE")
    value = found.pop()
    assert value is not None
    return stored_day(value)


# status ------------------------------------------------------------------------------


class StatusExam(NamedTuple):
    """One exam date of the decks, with the headline figure."""

    day: date
    days_left: int
    cards: int
    recall: float
    decks: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "days_left": self.days_left,
            "cards": self.cards,
            "predicted_recall": round(self.recall, 4),
            "decks": self.decks,
        }


def status_exams(store: Store, infos: list[DeckInfo], now_ms: int) -> list[StatusExam]:
    """Each exam date set for the decks, soonest first (decks usually share one)."""
    by_date: dict[str, dict[Curve, list[str]]] = {}  # decks by date, then by curve
    for info in infos:
        settings = store.settings(info.id)
        if settings.exam_date is not None:
            shapes = by_date.setdefault(settings.exam_date, {})
            shapes.setdefault(curve(settings.fsrs_parameters), []).append(info.id)
    if not by_date:
        return []
    today = study_date(store, now_ms)
    found = []
    for value, shapes in by_date.items():
        exam = stored_day(value)
        cards, total, deck_ids = 0, 0.0, list[str]()
        for shape, ids in shapes.items():
            counted, summed = store.recall_sum(ids, exam.start_ms, shape)
            cards, total, deck_ids = cards + counted, total + summed, deck_ids + ids
        recall = total / cards if cards else 0.0
        found.append(StatusExam(exam.day, days_between(today, exam.day), cards, recall, deck_ids))
    return sorted(found, key=lambda e: e.day)
