"""`optimize` and `simulate`: FSRS fitted to a learner who forgets faster than FSRS's
defaults assume, the guardrails on tiny logs, parameters the scheduler accepts, and
simulated figures that repeat for a seed."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.optimizer import Item, clamp, evaluate, histories, training_items
from leadcards.settings import PARAMETER_BOUNDS, parse_value
from leadcards.stats.study_days import calendar
from leadcards.store import open_store

from .conftest import AT, DAY, HOUR, basic_deck, key
from .synthetic import DEFAULTS, FORGETFUL, study

runner = CliRunner()
CARDS = 60
DAYS = 60


def invoke(*args: str, code: int = 0, columns: int = 80) -> Any:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def make_home(home: Path, cards: int, days: int, seed: int = 1) -> int:
    """A data folder whose ``mini`` deck a forgetful learner studied for ``days`` days
    up to yesterday; no learning steps, so each day's answer is one review."""
    decks = home / "decks"
    decks.mkdir(parents=True)
    (decks / "mini.yaml").write_text(basic_deck(cards))
    invoke("status", "--home", str(home))
    start = AT - days * DAY - 9 * HOUR
    with open_store(home) as store:
        store.set_setting("learning_steps", [], at_ms=start - HOUR)
        store.set_setting("relearning_steps", [], at_ms=start - HOUR)
        return study(store, [key(i) for i in range(cards)], start, days, seed=seed)


@pytest.fixture(scope="module")
def learned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One learner's log, shared: copied into each test's data folder."""
    home = tmp_path_factory.mktemp("learned") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEADCARDS_HOME", str(home))
        patch.setenv("LEADCARDS_NOW", "2026-03-02T09:00:00+00:00")
        patch.setenv("TZ", "UTC")
        make_home(home, CARDS, DAYS)
    return home


@pytest.fixture
def home(isolated_home: Path) -> Path:
    """A learner's log of one's own, for a test that changes it."""
    make_home(isolated_home, CARDS, DAYS)
    return isolated_home


def items_of(home: Path) -> list[Item]:
    """The training items of the ``mini`` deck's log in ``home``."""
    with open_store(home) as store:
        days = calendar(AT, "04:00", store.logged_span(), back=0, ahead=0)
        rows = store.study_history(["mini"], days.spans(), days.starts[-1])
        return training_items(histories(rows)).items


def optimize_json(*args: str) -> dict[str, Any]:
    return json.loads(invoke("optimize", "mini", "--json", *args).stdout)


def read(learned: Path, *args: str, columns: int = 80) -> str:
    """A command on the shared log, which it must not change."""
    return str(invoke(*args, "--home", str(learned), columns=columns).stdout)


# the training items ---------------------------------------------------------------


def test_items_are_built_as_the_fsrs_tools_build_them() -> None:
    # one card: met on day 0 (Again, then Good the same day), Good on day 2 and day 7
    training = training_items([[(0, 1), (0, 3), (2, 3), (7, 3)], [(5, 3)]])
    assert training.items == [
        ((1, 0), (3, 0), (3, 2)),
        ((1, 0), (3, 0), (3, 2), (3, 5)),
    ]
    assert (training.reviews, training.cards) == (4, 1)


def test_items_are_ordered_by_the_day_of_their_last_answer() -> None:
    training = training_items([[(3, 3), (9, 3)], [(0, 3), (4, 1)]])
    assert training.items == [((3, 0), (1, 4)), ((3, 0), (3, 6))]


def test_forgets_start_a_card_again_and_practice_is_not_in_the_log_rows(
    isolated_home: Path,
) -> None:
    make_home(isolated_home, 4, 3)
    rows = [
        ("a", False, 0, 3, 0, 0),
        ("a", False, 3, 3, 0, 2),
        ("a", True, 4, 0, 0, 0),
        ("a", False, 5, 4, 0, 0),
        ("b", False, 1, 9, 0, 0),  # no rating leadcards writes: skipped
    ]
    assert histories(rows) == [[(5, 4)]]
    with open_store(isolated_home) as store:
        store.answer(key(0), 1, 5000, AT, practice=True)
        store.forget(key(1), AT)
        days = calendar(AT, "04:00", store.logged_span(), back=0, ahead=0)
        mine = [r for r in store.study_history(["mini"], days.spans(), days.starts[-1])]
    practice = [r for r in mine if r[0] == key(0) and r[2] == days.today]
    assert practice == []
    assert [r for r in mine if r[0] == key(1)][-1][:2] == (key(1), True)


# the fit ---------------------------------------------------------------------------


def test_the_fit_predicts_the_learner_better_than_the_defaults(
    learned: Path, tmp_path: Path
) -> None:
    found = json.loads(read(learned, "optimize", "mini", "--json"))
    assert found["verdict"] == "fitted"
    assert found["applied"] is False
    assert found["reviews"] > 500 and found["cards"] == CARDS
    before, after = found["current"]["evaluation"], found["fitted"]["evaluation"]
    assert after["log_loss"] < before["log_loss"] and after["rmse_bins"] < before["rmse_bins"]
    fitted = found["fitted"]["parameters"]
    assert fitted[0] < DEFAULTS[0] and fitted[3] < DEFAULTS[3] / 4  # forgets faster
    # and on answers the fit never saw: a second learner with the same memory
    other = make_home(tmp_path / "other", CARDS, DAYS, seed=7)
    assert other > 300
    items = items_of(tmp_path / "other")
    unseen_default, unseen_fitted = evaluate(DEFAULTS, items), evaluate(fitted, items)
    truth = evaluate(FORGETFUL, items)
    assert unseen_default is not None and unseen_fitted is not None and truth is not None
    assert unseen_fitted.log_loss < unseen_default.log_loss - 0.01
    assert truth.log_loss < unseen_default.log_loss


def test_apply_stores_the_parameters_as_a_logged_setting_and_changes_intervals(
    home: Path,
) -> None:
    with open_store(home) as store:
        before = store.scheduler("mini").preview(key(0), store.card(key(0)).memory, AT)
    found = optimize_json("--apply")
    assert found["applied"] is True
    shown = invoke("config", "--deck", "mini", "fsrs_parameters").stdout
    assert shown.startswith("fsrs_parameters = " + f"{found['fitted']['parameters'][0]}, ")
    assert shown.endswith("(set for mini)\n")
    assert invoke("config", "fsrs_parameters").stdout == "fsrs_parameters = default\n"
    with open_store(home) as store:
        after = store.scheduler("mini").preview(key(0), store.card(key(0)).memory, AT)
        logged = [e for e in store.events() if e.kind.value == "setting"][-1]
    assert logged.data == {
        "scope": "mini",
        "key": "fsrs_parameters",
        "value": found["fitted"]["parameters"],
    }
    # a forgetful learner's Good comes back sooner under its own parameters
    assert after[3] < before[3]
    assert "replay: " in invoke("doctor").stdout
    # better than themselves they are not: a second run keeps them
    again = optimize_json("--apply")
    assert (again["verdict"], again["applied"]) == ("kept", False)
    assert again["current"]["parameters"] == found["fitted"]["parameters"]
    invoke("config", "--deck", "mini", "--reset", "fsrs_parameters")
    with open_store(home) as store:
        reset = store.scheduler("mini").preview(key(0), store.card(key(0)).memory, AT)
    assert reset == before


def test_the_screen_shows_both_evaluations_and_the_verdict(learned: Path) -> None:
    out = read(learned, "optimize", "mini")
    assert "FSRS fitted to " in out and " reviews of 60 cards for deck mini" in out
    assert "current (defaults)" in out and "fitted " in out and "log loss" in out
    assert "`leadcards optimize mini --apply` uses them." in " ".join(out.split())


def test_a_tiny_log_keeps_the_defaults_with_a_clear_message(isolated_home: Path) -> None:
    make_home(isolated_home, 8, 6)
    out = invoke("optimize")
    assert out.stdout.startswith("Too few answers to fit FSRS: ")
    assert "FSRS's defaults stay; optimize again later." in out.stdout
    found = json.loads(invoke("optimize", "--json", "--apply").stdout)
    assert (found["verdict"], found["applied"]) == ("too_little", False)
    assert found["fitted"]["parameters"] == list(DEFAULTS)
    assert invoke("config", "fsrs_parameters").stdout == "fsrs_parameters = default\n"


def test_no_answers_at_all_is_said_so(isolated_home: Path) -> None:
    (isolated_home / "decks").mkdir(parents=True)
    (isolated_home / "decks" / "mini.yaml").write_text(basic_deck(3))
    out = invoke("optimize").stdout
    assert out == (
        "No card has answers a day or more apart yet: nothing to fit.\n"
        "FSRS's defaults stay; optimize again later.\n"
    )


def test_an_unknown_deck_is_one_line_and_exit_2(isolated_home: Path) -> None:
    (isolated_home / "decks").mkdir(parents=True)
    (isolated_home / "decks" / "mini.yaml").write_text(basic_deck(3))
    result = invoke("optimize", "nope", code=2)
    assert result.stderr == "error: no deck with id 'nope' (known decks: lvm, mini)\n"


# parameters the scheduler takes -----------------------------------------------------


def test_the_bounds_are_py_fsrs_own() -> None:
    import fsrs.scheduler

    assert tuple(low for low, _ in PARAMETER_BOUNDS) == fsrs.scheduler.LOWER_BOUNDS_PARAMETERS
    assert tuple(high for _, high in PARAMETER_BOUNDS) == fsrs.scheduler.UPPER_BOUNDS_PARAMETERS


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, width=32), min_size=21, max_size=21))
def test_any_clamped_values_are_accepted_by_the_scheduler(values: list[float]) -> None:
    import fsrs

    clamped = clamp(values)
    fsrs.Scheduler(parameters=clamped)
    assert parse_value("fsrs_parameters", ", ".join(map(str, clamped))) == clamped


def test_fits_of_random_learners_are_accepted_by_the_scheduler() -> None:
    import fsrs
    from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

    rng = random.Random(3)
    for _ in range(12):
        cards = []
        for _c in range(rng.randrange(20, 80)):
            day, history = 0, []
            for _r in range(rng.randrange(2, 9)):
                history.append((day, rng.choice((1, 2, 3, 3, 3, 4))))
                day += rng.choice((0, 1, 2, 5, 14, 40))
            cards.append(history)
        items = training_items(cards).items
        raw = FSRS(list(DEFAULTS)).compute_parameters(
            [FSRSItem([FSRSReview(r, t) for r, t in item]) for item in items]
        )
        fsrs.Scheduler(parameters=clamp(raw))


def test_a_bad_parameter_text_is_refused(isolated_home: Path) -> None:
    result = invoke("config", "fsrs_parameters", "1, 2, 3", code=2)
    assert result.stderr == "error: fsrs_parameters takes 21 numbers (FSRS-6), not 3\n"
    text = ", ".join(["200"] + [str(v) for v in DEFAULTS[1:]])
    result = invoke("config", "fsrs_parameters", text, code=2)
    assert result.stderr == (
        "error: fsrs_parameters: number 1 must be between 0.001 and 100.0, not 200\n"
    )


# the simulation --------------------------------------------------------------------


def simulate_json(learned: Path, *args: str) -> dict[str, Any]:
    return json.loads(read(learned, "simulate", "mini", "--json", *args))


def test_simulate_repeats_for_a_seed_and_costs_more_for_more_retention(learned: Path) -> None:
    first = simulate_json(learned, "--days", "120", "--seed", "5")
    assert first == simulate_json(learned, "--days", "120", "--seed", "5")
    assert first["outlooks"] != simulate_json(learned, "--days", "120", "--seed", "6")["outlooks"]
    retentions = [o["retention"] for o in first["outlooks"]]
    assert retentions == [0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.95, 0.97]
    minutes = [o["minutes_per_day"] for o in first["outlooks"]]
    assert minutes[-1] > 2 * minutes[0]
    with open_store(learned) as store:
        suspended = sum(row.suspended for row in store.deck_cards("mini"))  # leeches
    assert suspended > 0
    assert (first["days"], first["cards"], first["new_per_day"]) == (120, CARDS - suspended, 20)
    assert first["measured_times"] is True and first["parameters"] == "default"


def test_simulate_names_the_retention_that_fits_the_minutes(learned: Path) -> None:
    found = simulate_json(learned, "--retention", "0.8,0.9,0.97", "--minutes", "1000")
    assert [o["retention"] for o in found["outlooks"]] == [0.8, 0.9, 0.97]
    assert found["fits"] == 0.97
    tight = simulate_json(learned, "--retention", "0.8", "--minutes", "0.001")
    assert tight["fits"] is None
    out = read(learned, "simulate", "mini", "--retention", "0.8,0.9", "--minutes", "1000")
    assert "desired retention 0.90 fits" in " ".join(out.split())


def test_simulate_with_an_exam_runs_until_it(home: Path) -> None:
    invoke("config", "exam_date", "2026-04-01")
    found = json.loads(
        invoke("simulate", "mini", "--json", "--retention", "0.9", "--minutes", "60").stdout
    )
    assert (found["exam"], found["days_left"], found["days"]) == ("2026-04-01", 30, 30)
    out = invoke("simulate", "mini", "--retention", "0.9", "--minutes", "60").stdout
    assert "Before the exam on 2026-04-01 (30 days), at 60 minutes a day" in " ".join(out.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "0"], "--days must be between 1 and 3650, not 0"),
        (["--retention", "0.5"], "--retention 0.5 must be between 0.70 and 0.99"),
        (["--retention", "high"], "--retention takes numbers like 0.85, not 'high'"),
        (["--minutes", "0"], "--minutes must be more than 0 and at most 1440, not 0"),
    ],
)
def test_simulate_refuses_bad_options(isolated_home: Path, args: list[str], message: str) -> None:
    result = invoke("simulate", *args, code=2)
    assert result.stderr == f"error: {message}\n"


@pytest.mark.parametrize("columns", [60, 80])
def test_the_simulation_fits_narrow_terminals(learned: Path, columns: int) -> None:
    out = read(learned, "simulate", "mini", "--days", "30", columns=columns)
    assert max(len(line) for line in out.splitlines()) <= columns
    assert all(h in out for h in ("retention", "reviews/day", "min/day", "remembered"))
