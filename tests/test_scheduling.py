"""scheduling.py and settings.py: exact FSRS intervals, deterministic fuzz, aware UTC
datetimes, and setting validation (through `leadcards config` as a user meets it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.clock import from_ms, now
from leadcards.events import ORDERED, CardRecord, Event, EventKind, apply
from leadcards.scheduling import (
    NEW_MEMORY,
    Memory,
    Rating,
    Scheduler,
    State,
    format_interval,
)
from leadcards.settings import DEFAULTS, Settings, parse_steps
from leadcards.store import open_store

from .conftest import AT, DAY, MINUTE

runner = CliRunner()

KEY = "lvm:comparison:focus:leadership:recall"


def no_fuzz(**changes: object) -> Scheduler:
    return Scheduler(replace(DEFAULTS, fuzz=False, **changes))


# exact intervals with fuzz off ------------------------------------------------


def test_new_card_previews_1m_6m_10m_8d() -> None:
    preview = no_fuzz().preview(KEY, NEW_MEMORY, AT)
    assert preview == {1: MINUTE, 2: 6 * MINUTE - 30_000, 3: 10 * MINUTE, 4: 8 * DAY}
    assert [format_interval(preview[r]) for r in (1, 2, 3, 4)] == ["1m", "6m", "10m", "8d"]


def test_learning_steps_then_review_exact() -> None:
    s = no_fuzz()
    first = s.answer(KEY, NEW_MEMORY, 3, AT)  # Good: second learning step
    assert (first.state, first.step, first.reps, first.lapses) == (State.LEARNING, 1, 1, 0)
    assert first.due == AT + 10 * MINUTE and first.last_review == AT
    at2 = AT + 10 * MINUTE
    assert s.preview(KEY, first, at2) == {1: MINUTE, 2: 10 * MINUTE, 3: 2 * DAY, 4: 4 * DAY}
    graduated = s.answer(KEY, first, 3, at2)
    assert (graduated.state, graduated.step, graduated.reps) == (State.REVIEW, None, 2)
    assert graduated.due == at2 + 2 * DAY


def test_easy_then_review_intervals_and_lapse() -> None:
    s = no_fuzz()
    easy = s.answer(KEY, NEW_MEMORY, 4, AT)
    assert (easy.state, easy.due) == (State.REVIEW, AT + 8 * DAY)
    assert s.preview(KEY, easy, easy.due) == {1: 10 * MINUTE, 2: 27 * DAY, 3: 39 * DAY, 4: 66 * DAY}
    lapse = s.answer(KEY, easy, 1, easy.due)
    assert (lapse.state, lapse.step, lapse.lapses, lapse.reps) == (State.RELEARNING, 0, 1, 2)
    assert lapse.due == easy.due + 10 * MINUTE
    # Again on a learning card is not a lapse
    learning = s.answer(KEY, NEW_MEMORY, 1, AT)
    assert s.answer(KEY, learning, 1, AT + MINUTE).lapses == 0


def test_custom_steps_and_maximum_interval() -> None:
    s = no_fuzz(learning_steps=(30, 3600, 86400), relearning_steps=(300,), maximum_interval=5)
    preview = s.preview(KEY, NEW_MEMORY, AT)
    assert preview[1] == 30_000 and preview[3] == 3_600_000
    easy = s.answer(KEY, NEW_MEMORY, 4, AT)
    assert easy.due - AT == 5 * DAY  # capped by maximum_interval
    assert s.answer(KEY, easy, 1, easy.due).due - easy.due == 300_000


def test_fuzz_same_key_and_time_gives_same_due() -> None:
    a, b = Scheduler(DEFAULTS), Scheduler(DEFAULTS)
    easy = a.answer(KEY, NEW_MEMORY, 4, AT)
    assert b.answer(KEY, NEW_MEMORY, 4, AT) == easy
    later = easy.due + 3 * DAY
    dues = {a.answer(KEY, easy, 3, later).due for _ in range(5)}
    dues.add(b.answer(KEY, easy, 3, later).due)
    assert len(dues) == 1


def test_fuzz_different_keys_spread_due_dates() -> None:
    s, plain = Scheduler(DEFAULTS), no_fuzz()
    exact = plain.answer(KEY, NEW_MEMORY, 4, AT).due
    dues = [s.answer(f"deck:note-{i}:front", NEW_MEMORY, 4, AT).due for i in range(20)]
    assert len(set(dues)) >= 3
    assert any(d != exact for d in dues)
    # fuzz stays near the exact interval (8 days here) and lands on whole days
    assert all(5 * DAY <= d - AT <= 11 * DAY and (d - AT) % DAY == 0 for d in dues)


def test_fuzz_does_not_leak_into_global_random_state() -> None:
    import random

    import fsrs.scheduler

    before = fsrs.scheduler.random
    random.seed(1)
    expected = random.random()
    random.seed(1)
    Scheduler(DEFAULTS).answer(KEY, NEW_MEMORY, 4, AT)
    assert random.random() == expected
    assert fsrs.scheduler.random is before


def test_preview_equals_answer_for_every_rating() -> None:
    s = Scheduler(DEFAULTS)
    memory = s.answer(KEY, NEW_MEMORY, 4, AT)
    at = memory.due + 2 * DAY
    preview = s.preview(KEY, memory, at)
    for rating in (1, 2, 3, 4):
        assert s.answer(KEY, memory, rating, at).due - at == preview[rating]


# Hard < Good < Easy on review cards ---------------------------------------------

# A review card FSRS would send back in one day whatever the button: low stability,
# reviewed half a day ago.
SHAKY = Memory(
    state=State.REVIEW, stability=0.1, difficulty=5.0, due=AT, last_review=AT - DAY // 2, reps=3
)


def test_review_buttons_are_a_day_apart_where_fsrs_rounds_them_together() -> None:
    s = Scheduler(DEFAULTS)
    unordered = {r: s.answer(KEY, SHAKY, r, AT, ordered=False).due - AT for r in (2, 3, 4)}
    assert unordered == {2: DAY, 3: DAY, 4: DAY}  # what FSRS alone gives
    assert s.preview(KEY, SHAKY, AT) == {1: 10 * MINUTE, 2: DAY, 3: 2 * DAY, 4: 3 * DAY}
    assert {r: s.answer(KEY, SHAKY, r, AT).due - AT for r in (2, 3, 4)} == {
        2: DAY,
        3: 2 * DAY,
        4: 3 * DAY,
    }
    # only the due date moves: the memory FSRS computed for the rating stays
    good = s.answer(KEY, SHAKY, 3, AT)
    assert replace(good, due=AT + DAY) == s.answer(KEY, SHAKY, 3, AT, ordered=False)


def test_review_buttons_strictly_increase_and_preview_is_what_answer_gives() -> None:
    s = Scheduler(DEFAULTS)  # fuzz on: it can reorder buttons too
    checked = 0
    for stability in (0.05, 0.2, 0.6, 1.5, 3.0, 8.0, 30.0, 200.0):
        for difficulty in (1.0, 4.0, 7.0, 10.0):
            for waited in (0.3, 1.0, 2.5, 9.0, 40.0):
                memory = Memory(
                    state=State.REVIEW,
                    stability=stability,
                    difficulty=difficulty,
                    due=AT,
                    last_review=AT - int(waited * DAY),
                    reps=4,
                )
                key = f"deck:note-{checked}:front"
                preview = s.preview(key, memory, AT)
                days = [preview[r] / DAY for r in (2, 3, 4)]
                assert all(d == int(d) for d in days), days
                assert days[0] < days[1] < days[2], (stability, difficulty, waited, days)
                for rating in (1, 2, 3, 4):
                    assert s.answer(key, memory, rating, AT).due - AT == preview[rating]
                checked += 1
    assert checked == 160


def test_review_buttons_meet_only_at_the_maximum_interval() -> None:
    s = no_fuzz(maximum_interval=30)
    settled = replace(SHAKY, stability=400.0, last_review=AT - 60 * DAY)
    preview = s.preview(KEY, settled, AT)
    assert [preview[r] for r in (2, 3, 4)] == [30 * DAY, 30 * DAY, 30 * DAY]
    # learning cards keep FSRS's own steps: the rule is for cards in review
    assert no_fuzz().preview(KEY, NEW_MEMORY, AT)[2] == 6 * MINUTE - 30_000


def test_answers_logged_before_the_rule_replay_as_they_were() -> None:
    """An answer event without the ``ordered`` mark (every answer of older releases)
    replays to the due date it was logged with; a marked one gets the spread."""
    s = Scheduler(DEFAULTS)
    old = Event("01", AT, EventKind.ANSWER, KEY, rating=4)
    new = old._replace(data=ORDERED)
    assert apply(CardRecord(memory=SHAKY), old, s).memory.due == AT + DAY
    assert apply(CardRecord(memory=SHAKY), new, s).memory.due == AT + 3 * DAY


# datetimes ------------------------------------------------------------------


def test_fsrs_sees_only_aware_utc_datetimes() -> None:
    s = Scheduler(DEFAULTS)
    seen: list[datetime] = []
    original = s._fsrs.review_card

    def spy(card, rating, review_datetime=None, review_duration=None):
        seen.append(review_datetime)
        for value in (card.due, card.last_review):
            if value is not None:
                seen.append(value)
        return original(card, rating, review_datetime, review_duration)

    s._fsrs.review_card = spy  # type: ignore[method-assign]
    m = s.answer(KEY, NEW_MEMORY, 3, AT)
    s.answer(KEY, m, 3, AT + 10 * MINUTE)
    assert len(seen) >= 4
    assert all(d.tzinfo is not None and d.utcoffset() == timedelta(0) for d in seen)
    assert from_ms(AT).tzinfo is timezone.utc


def test_retrievability_uses_aware_time() -> None:
    s = no_fuzz()
    assert s.retrievability(NEW_MEMORY, from_ms(AT)) is None
    easy = s.answer(KEY, NEW_MEMORY, 4, AT)
    at_due = s.retrievability(easy, from_ms(easy.due))
    later = s.retrievability(easy, from_ms(easy.due + 30 * DAY))
    assert at_due is not None and later is not None
    assert at_due == pytest.approx(0.9, abs=0.01)  # due when R reaches desired retention
    assert later < at_due


def test_clock_honours_leadcards_now_and_is_aware_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    assert now() == datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    assert now().tzinfo is timezone.utc
    monkeypatch.setenv("LEADCARDS_NOW", "2026-03-02T09:00:00Z")
    assert now() == datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        monkeypatch.setenv("LEADCARDS_NOW", "2026-03-02T09:00:00")  # naive = local time
        assert now() == datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_format_interval() -> None:
    assert [
        format_interval(ms)
        for ms in (0, 45_000, 60_000, 330_000, 3 * 3_600_000, 8 * DAY, 39 * DAY, 400 * DAY)
    ] == ["0s", "45s", "1m", "6m", "3h", "8d", "1.3mo", "1.1y"]


# settings ---------------------------------------------------------------------


def test_parse_steps() -> None:
    assert parse_steps("1m 10m") == (60, 600)
    assert parse_steps("30s,1h, 1d") == (30, 3600, 86400)
    assert parse_steps("1.5m") == (90,)
    assert parse_steps("") == ()
    assert parse_steps("365d") == (31_536_000,)  # the longest step


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("desired_retention", "0.5", "desired_retention must be between 0.70 and 0.99, not 0.5"),
        (
            "desired_retention",
            "0.995",
            "desired_retention must be between 0.70 and 0.99, not 0.995",
        ),
        ("desired_retention", "1", "desired_retention must be between 0.70 and 0.99, not 1.0"),
        ("desired_retention", "high", "desired_retention must be a number, not 'high'"),
        (
            "learning_steps",
            "1m 10x",
            "step '10x' must be a number and a unit: s, m, h or d (e.g. 10m)",
        ),
        (
            "learning_steps",
            "ten",
            "step 'ten' must be a number and a unit: s, m, h or d (e.g. 10m)",
        ),
        ("relearning_steps", "0m", "step '0m' must be longer than zero"),
        ("learning_steps", "1m 3000000d", "step '3000000d' is too long: a step is at most 365d"),
        (
            "learning_steps",
            "99999999999d",
            "step '99999999999d' is too long: a step is at most 365d",
        ),
        ("relearning_steps", "366d", "step '366d' is too long: a step is at most 365d"),
        (
            "learning_steps",
            "9" * 400 + "s",
            f"step '{'9' * 400}s' is too long: a step is at most 365d",
        ),
        ("learning_steps", "²m", "step '²m' must be a number and a unit: s, m, h or d (e.g. 10m)"),
        ("day_start", "25:00", "day start '25:00' must be HH:MM, e.g. 04:00"),
        ("day_start", "4am", "day start '4am' must be HH:MM, e.g. 04:00"),
        ("new_per_day", "10000", "new_per_day must be between 0 and 9999, not 10000"),
        ("reviews_per_day", "lots", "reviews_per_day must be a whole number, not 'lots'"),
        ("leech_threshold", "0", "leech_threshold must be between 1 and 99, not 0"),
        ("maximum_interval", "40000", "maximum_interval must be between 1 and 36500, not 40000"),
        ("fuzz", "maybe", "fuzz must be on or off, not 'maybe'"),
    ],
)
def test_config_rejects_bad_values(isolated_home: Path, key: str, value: str, message: str) -> None:
    result = runner.invoke(app, ["config", key, value])
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert result.stdout == ""
    with open_store(isolated_home) as store:
        assert store.cached_settings() == {}  # nothing was written


def test_config_unknown_setting_suggests(isolated_home: Path) -> None:
    result = runner.invoke(app, ["config", "desired_retentoin", "0.9"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: unknown setting 'desired_retentoin'; did you mean 'desired_retention'? (settings: "
    )
    assert result.stderr.count("\n") == 1


def test_config_sets_shows_and_resets(isolated_home: Path) -> None:
    assert runner.invoke(app, ["config", "desired_retention", "0.85"]).stdout == (
        "desired_retention = 0.85  (set)\n"
    )
    assert runner.invoke(app, ["config", "learning_steps", "30s 5m 1h"]).stdout == (
        "learning_steps = 30s 5m 1h  (set)\n"
    )
    assert runner.invoke(app, ["config", "--deck", "lvm", "new_per_day", "5"]).stdout == (
        "new_per_day = 5  (set for lvm)\n"
    )
    with open_store(isolated_home) as store:
        assert store.settings() == replace(
            DEFAULTS, desired_retention=0.85, learning_steps=(30, 300, 3600)
        )
        assert store.settings("lvm").new_per_day == 5
        assert store.settings("other").new_per_day == 20
    listing = runner.invoke(app, ["config"]).stdout.splitlines()
    assert listing[0] == (
        "desired_retention = 0.85  (set)    # chance of recalling a card when it is due, "
        "0.70–0.99; default 0.9"
    )
    # every logged setting, then this device's own shared folder
    assert len(listing) == len(Settings.__dataclass_fields__) + 1
    assert listing[-1].startswith("sync_dir = none    # this device's shared folder")
    reset = runner.invoke(app, ["config", "desired_retention", "--reset"])
    assert reset.exit_code == 0 and reset.stdout == "desired_retention = 0.9\n"
    both = runner.invoke(app, ["config", "fuzz", "off", "--reset"])
    assert both.exit_code == 2 and both.stderr == "error: give a VALUE or --reset, not both\n"


def test_settings_reach_the_scheduler(isolated_home: Path) -> None:
    runner.invoke(app, ["config", "fuzz", "off"])
    runner.invoke(app, ["config", "learning_steps", "2m 20m"])
    with open_store(isolated_home) as store:
        preview = Scheduler(store.settings()).preview(KEY, NEW_MEMORY, AT)
    assert preview[1] == 2 * MINUTE and preview[3] == 20 * MINUTE
    assert preview[4] == 8 * DAY


def test_states_are_fsrs_values() -> None:
    import fsrs

    assert (
        (
            int(fsrs.State.Learning),
            int(fsrs.State.Review),
            int(fsrs.State.Relearning),
        )
        == (State.LEARNING, State.REVIEW, State.RELEARNING)
        == (1, 2, 3)
    )
    assert State.NEW == 0
    assert [int(r) for r in Rating] == [int(r) for r in fsrs.Rating] == [1, 2, 3, 4]
