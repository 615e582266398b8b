"""The exam deadline: with ``exam_date`` set, a review that would cross the exam while
the card's recall on exam day is below the desired retention comes back on the last
whole day before it; replays apply it to exactly the answers given under the setting.

The card used: ``mini:c03:front`` answered Easy at AT (2026-03-02 09:00 UTC), due 8 days
later; answered there (2026-03-10 09:00), its buttons give Hard 31 d, Good 44 d (FSRS
39 d, fuzzed up), Easy 72 d, with stabilities 26.704, 38.905 and 65.624 days. An exam
on 2026-04-22 begins 42 d 15 h after that answer. Good's recall then, after 42 whole
days: (1 + 0.98035·42/38.905)^-0.1542 = 0.8947 < 0.9, so Good is capped to 42 d; Easy's
(1 + 0.98035·42/65.624)^-0.1542 = 0.9277 is not; Hard's 31 d ends before the exam.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadcards import doctor
from leadcards.cli import app
from leadcards.events import CardRecord, EventKind, replay
from leadcards.scheduling import NEW_MEMORY, Scheduler
from leadcards.settings import DEFAULTS, parse_value
from leadcards.store import Store, open_store
from leadcards.sync import sync_files

from .conftest import AT, DAY, HOUR, basic_deck, db_rows

runner = CliRunner()
KEY = "mini:c03:front"
REVIEW_AT = AT + 8 * DAY
EXAM = "2026-04-22T00:00:00+00:00"
UNCAPPED = {2: 31 * DAY, 3: 44 * DAY, 4: 72 * DAY}


def scheduler(exam: str | None) -> Scheduler:
    return Scheduler(replace(DEFAULTS, exam_date=exam))


def reviewed() -> object:
    first = scheduler(None).answer(KEY, NEW_MEMORY, 4, AT)
    assert first.due == REVIEW_AT
    return first


def test_without_an_exam_the_buttons_are_fsrs_own() -> None:
    preview = scheduler(None).preview(KEY, reviewed(), REVIEW_AT)  # type: ignore[arg-type]
    assert {r: preview[r] for r in (2, 3, 4)} == UNCAPPED


def test_a_review_crossing_the_exam_below_desired_retention_is_capped() -> None:
    s = scheduler(EXAM)
    memory = reviewed()
    preview = s.preview(KEY, memory, REVIEW_AT)  # type: ignore[arg-type]
    # Good capped to the last whole day before the exam; Easy's recall holds; Hard ends before
    assert {r: preview[r] for r in (2, 3, 4)} == {2: 31 * DAY, 3: 42 * DAY, 4: 72 * DAY}
    good = s.answer(KEY, memory, 3, REVIEW_AT)  # type: ignore[arg-type]
    assert good.due == REVIEW_AT + 42 * DAY  # 2026-04-21 09:00 UTC, the eve of the exam
    assert round(good.stability or 0, 3) == 38.905  # the memory itself is FSRS's
    assert s.answer(KEY, memory, 4, REVIEW_AT).due == REVIEW_AT + 72 * DAY  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "exam",
    [
        "2026-03-01T00:00:00+00:00",  # passed
        "2026-03-10T00:00:00+00:00",  # earlier that day
        "2026-03-11T00:00:00+00:00",  # 15 h away: no whole day fits before it
        "2026-06-01T00:00:00+00:00",  # beyond every interval
    ],
)
def test_no_cap_after_the_exam_or_within_its_last_day(exam: str) -> None:
    preview = scheduler(exam).preview(KEY, reviewed(), REVIEW_AT)  # type: ignore[arg-type]
    assert {r: preview[r] for r in (2, 3, 4)} == UNCAPPED


def test_the_exam_date_stores_the_local_start_of_the_day() -> None:
    assert parse_value("exam_date", "2026-04-22") == EXAM  # the tests run in UTC


# through the log ---------------------------------------------------------------


def make_store(home: Path) -> Store:
    deck = home / "mini.yaml"
    home.mkdir(parents=True, exist_ok=True)
    deck.write_text(basic_deck(4))
    store = open_store(home)
    sync_files(store, [deck], AT - DAY)
    return store


def answer_dues(store: Store) -> list[tuple[int, int]]:
    rows = db_rows(
        store,
        "SELECT at, due_after FROM events WHERE kind = 'answer' AND card_key = ? ORDER BY at",
        (KEY,),
    )
    return [(r[0], r[1]) for r in rows]


def replayed(store: Store, *, settings: bool = True) -> dict[str, CardRecord]:
    cards = {row.key: row.deck_id for row in store.all_cards()}
    events = [e for e in store.events() if settings or e.kind is not EventKind.SETTING]
    return replay(events, cards, store.undone())


def test_replay_applies_the_cap_to_the_answers_given_under_it(tmp_path: Path) -> None:
    with make_store(tmp_path / "home") as store:
        store.set_setting("exam_date", "2026-06-01T00:00:00+00:00", at_ms=AT - HOUR)
        store.answer(KEY, 4, 5000, AT)
        store.set_setting("exam_date", EXAM, at_ms=AT + DAY)  # changed mid-log
        memory = store.card(KEY).memory
        assert store.scheduler("mini").preview(KEY, memory, REVIEW_AT)[3] == 42 * DAY
        store.answer(KEY, 3, 5000, REVIEW_AT)
        assert store.card(KEY).memory.due == REVIEW_AT + 42 * DAY  # capped
        report = doctor.check(store)
        assert report.ok, report.lines
        assert replayed(store)[KEY] == store.card(KEY).record
        # the cap comes from the logged setting: without it, FSRS's own 44 days
        assert replayed(store, settings=False)[KEY].memory.due == REVIEW_AT + 44 * DAY

        store.set_setting("exam_date", None, at_ms=REVIEW_AT + DAY)  # reset
        store.answer(KEY, 3, 5000, REVIEW_AT + 42 * DAY)
        assert [(at - AT, due - at) for at, due in answer_dues(store)] == [
            (0, 8 * DAY),
            (8 * DAY, 42 * DAY),  # under the exam date then in force
            (50 * DAY, 154 * DAY),  # after the reset: FSRS's own
        ]
        report = doctor.check(store)
        assert report.ok, report.lines
        assert "replay: 4 cards match their 6 log events" in report.lines
        before = store.card(KEY).record
        assert doctor.check(store, rebuild=True).ok
        assert store.card(KEY).record == before == replayed(store)[KEY]


def test_an_answer_after_the_reset_is_not_capped(tmp_path: Path) -> None:
    with make_store(tmp_path / "home") as store:
        store.set_setting("exam_date", EXAM, at_ms=AT - HOUR)
        store.answer(KEY, 4, 5000, AT)
        store.set_setting("exam_date", None, at_ms=AT + HOUR)
        store.answer(KEY, 3, 5000, REVIEW_AT)
        assert answer_dues(store)[-1] == (REVIEW_AT, REVIEW_AT + 44 * DAY)


# config ------------------------------------------------------------------------------


def test_config_sets_shows_and_resets_the_exam_date(isolated_home: Path) -> None:
    set_it = runner.invoke(app, ["config", "exam_date", "2026-04-22"])
    assert (set_it.exit_code, set_it.stdout) == (0, "exam_date = 2026-04-22  (set)\n")
    assert runner.invoke(app, ["config", "exam_date"]).stdout == "exam_date = 2026-04-22  (set)\n"
    with open_store(isolated_home) as store:
        assert store.cached_settings() == {"": {"exam_date": EXAM}}
    listed = runner.invoke(app, ["config"]).stdout
    assert "exam_date = 2026-04-22  (set)    # the exam's date, YYYY-MM-DD, or none" in listed
    reset = runner.invoke(app, ["config", "exam_date", "--reset"])
    assert reset.stdout == "exam_date = none\n"
    runner.invoke(app, ["config", "exam_date", "2026-04-22"])
    assert runner.invoke(app, ["config", "exam_date", "none"]).stdout == "exam_date = none\n"
    with open_store(isolated_home) as store:
        assert store.cached_settings() == {}
        kinds = db_rows(store, "SELECT data FROM events WHERE kind = 'setting' ORDER BY at, id")
    assert [r[0] for r in kinds] == [
        f'{{"scope":"","key":"exam_date","value":"{EXAM}"}}',
        '{"scope":"","key":"exam_date","value":null}',
        f'{{"scope":"","key":"exam_date","value":"{EXAM}"}}',
        '{"scope":"","key":"exam_date","value":null}',
    ]


def test_config_exam_date_for_one_deck(isolated_home: Path) -> None:
    result = runner.invoke(app, ["config", "--deck", "lvm", "exam_date", "2026-05-01"])
    assert result.stdout == "exam_date = 2026-05-01  (set for lvm)\n"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "15/03/2027",
            "exam_date must be a date as YYYY-MM-DD (e.g. 2027-03-15), not '15/03/2027'",
        ),
        ("2027-3-15", "exam_date must be a date as YYYY-MM-DD (e.g. 2027-03-15), not '2027-3-15'"),
        ("2027-02-30", "exam_date 2027-02-30 is not a day of the calendar"),
        (
            "2200-01-01",
            "exam_date 2200-01-01 is outside the years leadcards keeps "
            "(1970-01-01 to 2200-01-01 UTC)",
        ),
    ],
)
def test_config_refuses_a_bad_date_in_one_line(
    isolated_home: Path, value: str, message: str
) -> None:
    result = runner.invoke(app, ["config", "exam_date", value])
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    with open_store(isolated_home) as store:
        assert store.cached_settings() == {}


def test_a_stored_exam_date_that_is_no_date_is_a_bad_row() -> None:
    from leadcards.settings import stored_problem

    assert stored_problem("exam_date", EXAM) is None
    assert stored_problem("exam_date", "none") == 'holds "none", not a value of exam_date'
    assert stored_problem("exam_date", "soon") == (
        "holds \"soon\": exam_date must be a date as YYYY-MM-DD (e.g. 2027-03-15), not 'soon'"
    )
    assert stored_problem("exam_date", 20270315) == (
        "holds 20270315, not the kind of value exam_date takes"
    )


def test_the_review_screen_shows_the_capped_interval(isolated_home: Path) -> None:
    with make_store(isolated_home) as store:
        store.set_setting("exam_date", EXAM, at_ms=AT - HOUR)
        store.answer(KEY, 4, 5000, AT)
    deck = isolated_home / "mini.yaml"
    result = runner.invoke(
        app,
        ["review", str(deck), "--limit", "1"],
        input="\n3\n",
        env={"LEADCARDS_NOW": "2026-03-10T09:00:00+00:00"},
    )
    assert result.exit_code == 0, result.stderr
    assert "1 Again 10m · 2 Hard 1.0mo · 3 Good 1.4mo · 4 Easy 2.4mo" in result.stdout
    with open_store(isolated_home) as store:
        assert store.card(KEY).memory.due == REVIEW_AT + 42 * DAY
