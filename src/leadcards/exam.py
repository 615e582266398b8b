"""The exam a learner studies for: its day (given, or the decks' ``exam_date``), the
days left, and the readiness figures ``plan`` and ``status`` show, gathered from a
workspace. The arithmetic is ``readiness``'s; this module only fetches its inputs.

``status`` calls ``status_exams`` on every start: one settings read per deck (cached)
and, with a date set, one aggregate query; the deck texts are read by ``plan`` alone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from leadcards.clock import day_begins, from_ms, parse_date, study_day_start, to_ms
from leadcards.errors import UsageError
from leadcards.readiness import (
    CardFacts,
    Effort,
    Fit,
    Prediction,
    days_between,
    effort,
    fit,
    predict,
)
from leadcards.settings import exam_ms

if TYPE_CHECKING:
    from leadcards.deck.model import Card
    from leadcards.store import Store
    from leadcards.workspace import DeckInfo, Workspace


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
    by_date: dict[str, list[str]] = {}
    for info in infos:
        value = store.settings(info.id).exam_date
        if value is not None:
            by_date.setdefault(value, []).append(info.id)
    if not by_date:
        return []
    today = study_date(store, now_ms)
    found = []
    for value, deck_ids in by_date.items():
        exam = stored_day(value)
        cards, total = store.recall_sum(deck_ids, exam.start_ms)
        recall = total / cards if cards else 0.0
        found.append(StatusExam(exam.day, days_between(today, exam.day), cards, recall, deck_ids))
    return sorted(found, key=lambda e: e.day)


# plan --------------------------------------------------------------------------------


class Plan(NamedTuple):
    """What `leadcards plan` shows."""

    exam: date
    days_left: int
    prediction: Prediction
    effort: Effort | None  # None on the exam day or after it
    budget: Fit | None  # with --minutes, while there are days left
    new_limit: int  # the decks' new_per_day, summed

    def to_json(self) -> dict[str, Any]:
        p, e, b = self.prediction, self.effort, self.budget
        return {
            "exam": self.exam.isoformat(),
            "days_left": self.days_left,
            "cards": p.cards,
            "unseen": p.unseen,
            "predicted_recall": round(p.recall, 4),
            "weakest": [a.to_json() for a in p.weakest],
            "areas": [a.to_json() for a in p.areas],
            "plan": None
            if e is None
            else {
                "new_per_day": e.new_per_day,
                "new_per_day_limit": self.new_limit,
                "learn_days": e.learn_days,
                "settle_days": e.settle_days,
                "reviews_per_day": round(e.reviews_per_day, 1),
                "answers_per_day": round(e.answers_per_day, 1),
                "seconds_per_answer": round(e.seconds_per_answer, 1),
                "timed_answers": e.timed_answers,
                "measured": e.measured,
                "minutes_per_day": round(e.minutes_per_day, 1),
            },
            "budget": None
            if b is None
            else {
                "minutes": b.minutes,
                "fits": b.fits,
                "new_per_day": b.new_per_day,
                "met": b.met,
            },
        }


def areas_of(card: Card | None, deck: str | None) -> tuple[tuple[str, str], ...]:
    """The areas a card counts in: its deck (when several), table, aspect, tags."""
    found = [("deck", deck)] if deck is not None else []
    if card is not None:
        origin = card.origin
        if origin is not None:
            found.append(("table", origin.table_title or origin.table_id))
            found.append(("aspect", f"{origin.table_title or origin.table_id} · {origin.row}"))
        found += [("tag", tag) for tag in card.tags]
    return tuple(found)


def card_facts(ws: Workspace) -> list[CardFacts]:
    """Every card an exam may ask in the workspace's decks (suspended ones set aside)."""
    from leadcards.texts import stored_cards

    several = len(ws.infos) > 1
    facts = []
    for info in ws.infos:
        retention = ws.store.settings(info.id).desired_retention
        texts = stored_cards(ws.store, info.id)
        for row in ws.store.deck_cards(info.id):
            if row.suspended:
                continue
            memory = row.memory
            seen = memory.state != 0 and memory.stability is not None
            facts.append(
                CardFacts(
                    memory.stability if seen else None,
                    memory.last_review if seen else None,
                    retention,
                    areas_of(texts.get(row.key), info.name if several else None),
                )
            )
    return facts


def plan(ws: Workspace, exam: ExamDay, minutes: float | None = None) -> Plan:
    facts = card_facts(ws)
    prediction = predict(facts, exam.start_ms)
    days_left = days_between(study_date(ws.store, ws.now_ms), exam.day)
    work = budget = None
    if days_left > 0:
        timed, median_ms = ws.store.answer_time(ws.deck_ids)
        work = effort(facts, prediction.unseen, days_left, timed, median_ms)
        if minutes is not None:
            budget = fit(work, prediction.unseen, minutes)
    limit = sum(ws.store.settings(info.id).new_per_day for info in ws.infos)
    return Plan(exam.day, days_left, prediction, work, budget, limit)
