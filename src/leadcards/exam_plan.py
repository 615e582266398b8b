"""What `leadcards plan` shows, gathered from a workspace: every card's memory and
areas (table, aspect, tags, read from the decks' stored text) and the learner's answer
times, handed to ``readiness`` for the arithmetic."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from leadcards.exam import ExamDay, days_between, study_date
from leadcards.forgetting import curve
from leadcards.readiness import CardFacts, Effort, Fit, Prediction, effort, fit, predict

if TYPE_CHECKING:
    from leadcards.deck.model import Card
    from leadcards.workspace import Workspace


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
        settings = ws.store.settings(info.id)
        retention, shape = settings.desired_retention, curve(settings.fsrs_parameters)
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
                    shape,
                )
            )
    return facts


def make_plan(ws: Workspace, exam: ExamDay, minutes: float | None = None) -> Plan:
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
