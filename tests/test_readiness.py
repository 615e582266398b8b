"""readiness.py: the exam-day figures on small hand-made states whose answers are known
by hand (the forgetting curve R(t) = (1 + F·t/S)^D with D = -0.1542 and
F = 0.9^(1/D) - 1 = 0.98035; so R = 0.9 exactly when t = S)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadcards.exam import days_between
from leadcards.forgetting import DECAY, interval_days, recall_at
from leadcards.readiness import (
    CardFacts,
    answer_seconds,
    effort,
    fit,
    predict,
    review_load,
    settle_days,
)
from leadcards.scheduling import Memory, Scheduler, State
from leadcards.settings import DEFAULTS

from .conftest import AT, DAY, HOUR

E = AT + 30 * DAY  # an exam instant


def test_the_curve_is_fsrs_default_one() -> None:
    import fsrs.scheduler

    assert DECAY == -fsrs.scheduler.DEFAULT_PARAMETERS[20] == -0.1542


@pytest.mark.parametrize(
    ("stability", "elapsed", "recall"),
    [
        (10.0, 10 * DAY, 0.9),  # t = S
        (10.0, 10 * DAY + 23 * HOUR, 0.9),  # whole days only, as py-fsrs counts them
        (10.0, 0, 1.0),
        (10.0, -3 * DAY, 1.0),  # reviewed after the instant asked: nothing forgotten
        (5.0, 20 * DAY, 0.7821),  # t = 4S: (1 + 4F)^D
        (5.0, 10 * DAY, 0.8459),  # t = 2S
    ],
)
def test_recall_at(stability: float, elapsed: int, recall: float) -> None:
    assert recall_at(stability, E - elapsed, E) == pytest.approx(recall, abs=1e-4)


@given(
    st.floats(0.01, 36500.0),
    st.integers(0, 400 * DAY),
)
def test_recall_at_is_what_the_scheduler_says(stability: float, elapsed: int) -> None:
    """The same curve as py-fsrs's (which the scheduler and ``cards`` use)."""
    memory = Memory(State.REVIEW, None, stability, 5.0, E, E - elapsed, 3, 0)
    from leadcards.clock import from_ms

    assert recall_at(stability, E - elapsed, E) == pytest.approx(
        Scheduler(DEFAULTS).retrievability(memory, from_ms(E)), rel=1e-12
    )


def test_interval_days() -> None:
    assert interval_days(10.0, 0.9) == pytest.approx(10.0)
    assert interval_days(10.0, 0.8) == pytest.approx(33.16, abs=0.01)


def facts(stability: float | None, days_before: int, *areas: tuple[str, str]) -> CardFacts:
    return CardFacts(stability, None if stability is None else E - days_before * DAY, 0.9, areas)


T, TX, TY = ("table", "T"), ("aspect", "T · x"), ("aspect", "T · y")
A, B = ("tag", "a"), ("tag", "b")
CARDS = [
    facts(10.0, 10, T, TX, A),  # 0.9
    facts(10.0, 0, T, TY),  # 1.0
    facts(None, 0, A),  # new: 0
    facts(5.0, 20, B),  # 0.7821
]


def test_predict_whole_and_per_area() -> None:
    p = predict(CARDS, E)
    assert (p.cards, p.unseen) == (4, 1)
    assert p.recall == pytest.approx((0.9 + 1 + 0 + 0.7821) / 4, abs=1e-4)
    assert p.recall == pytest.approx(0.6705, abs=1e-4)
    got = {(a.kind, a.name): (a.cards, a.unseen, round(a.recall, 4)) for a in p.areas}
    assert got == {
        T: (2, 0, 0.95),
        TX: (1, 0, 0.9),
        TY: (1, 0, 1.0),
        A: (2, 1, 0.45),
        B: (1, 0, 0.7821),
    }
    assert [(a.kind, a.name) for a in p.weakest] == [A, B, TX, T, TY]
    assert [(a.kind, a.name) for a in predict(CARDS, E, weakest=2).weakest] == [A, B]


def test_an_area_of_every_card_and_decks_are_not_weak_spots() -> None:
    cards = [facts(10.0, 10, ("deck", "D"), ("tag", "all")), facts(None, 0, ("tag", "all"))]
    p = predict(cards, E)
    assert p.weakest == []
    assert p.recall == pytest.approx(0.45)


def test_predict_nothing() -> None:
    assert predict([], E)[:3] == (0, 0, 0.0)


@pytest.mark.parametrize(
    ("days_left", "settle"), [(0, 0), (1, 0), (2, 0), (3, 1), (9, 3), (21, 7), (30, 7), (365, 7)]
)
def test_settle_days(days_left: int, settle: int) -> None:
    assert settle_days(days_left) == settle


def test_review_load_is_a_share_of_a_day_per_seen_card() -> None:
    cards = [facts(10.0, 0), facts(5.0, 0), facts(0.5, 0), facts(None, 0)]
    assert review_load(cards) == pytest.approx(0.1 + 0.2 + 1.0)


def test_answer_seconds_default_until_enough_answers() -> None:
    assert answer_seconds(49, 6000.0) == (10.0, False)
    assert answer_seconds(50, 6000.0) == (6.0, True)
    assert answer_seconds(0, None) == (10.0, False)


def test_effort_hand_computed() -> None:
    seen = [facts(10.0, 0), facts(5.0, 0), facts(0.5, 0)]  # 1.3 reviews a day
    plan = effort(seen, 10, 30, 49, 6000.0)
    assert (plan.days_left, plan.settle_days, plan.learn_days, plan.new_per_day) == (30, 7, 23, 1)
    assert plan.reviews_per_day == pytest.approx(1.3)
    assert plan.answers_per_day == pytest.approx(5.3)  # 1.3 + 1 new × 4
    assert (plan.seconds_per_answer, plan.measured) == (10.0, False)
    assert plan.minutes_per_day == pytest.approx(0.8833, abs=1e-4)
    measured = effort(seen, 10, 30, 50, 6000.0)
    assert measured.minutes_per_day == pytest.approx(0.53)
    assert effort(seen, 10, 9, 0, None).new_per_day == 2  # 10 over 6 days
    assert effort(seen, 10, 1, 0, None).new_per_day == 10  # the eve: all at once
    assert effort(seen, 0, 30, 0, None).new_per_day == 0


def test_fit_says_what_a_budget_allows() -> None:
    seen = [facts(10.0, 0), facts(5.0, 0), facts(0.5, 0)]
    plan = effort(seen, 100, 30, 50, 6000.0)  # 5 new a day, 21.3 answers, 2.13 min
    assert plan.new_per_day == 5
    assert fit(plan, 100, 3.0)[:] == (3.0, True, 5, 100)
    # 1 min: 10 answers of 6 s; 1.3 are reviews, so 2 new cards a day (8 answers)
    assert fit(plan, 100, 1.0)[:] == (1.0, False, 2, 46)  # 2 a day over 23 days
    assert fit(plan, 100, 0.1)[:] == (0.1, False, 0, 0)


def test_days_between() -> None:
    assert days_between(date(2026, 3, 2), date(2026, 3, 20)) == 18
    assert days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert days_between(date(2026, 3, 2), date(2026, 3, 1)) == -1


def test_an_area_of_the_same_cards_as_another_is_named_once() -> None:
    cards = [
        facts(10.0, 10, T, TX, ("tag", "t::x")),  # the table's generated tag for row x
        facts(10.0, 0, T, TY, ("tag", "t::y")),
        facts(None, 0, A),
    ]
    weakest = [(a.kind, a.name) for a in predict(cards, E).weakest]
    assert weakest == [A, TX, T, TY]  # t::x and t::y are TX and TY again
