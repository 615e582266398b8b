"""Every recall figure uses the curve the deck schedules with. Fitted parameters
(`optimize --apply`) change the curve's shape, the last parameter: `stats`, `plan`,
`status` and `cards` must then agree with py-fsrs under those parameters, not under
the defaults."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import fsrs
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.forgetting import DEFAULT, Curve, curve, recall_at
from leadcards.store import open_store

from .conftest import AT, DAY

runner = CliRunner()
FITTED = (0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666)
FITTED += (0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658)
FITTED += (0.4,)  # a steeper curve than the default 0.1542
CARD = "lvm:comparison:focus:leadership:recall"


def test_the_curve_of_fitted_parameters_is_py_fsrs_own() -> None:
    assert curve(None) is DEFAULT
    assert curve(FITTED) == Curve(-0.4)
    when = datetime(2026, 3, 20, tzinfo=timezone.utc)
    for stability, last in ((3.0, AT), (12.5, AT - 5 * DAY), (40.0, AT - 60 * DAY)):
        card = fsrs.Card(
            card_id=1,
            state=fsrs.State.Review,
            stability=stability,
            difficulty=5.0,
            last_review=datetime.fromtimestamp(last / 1000, timezone.utc),
        )
        ours = recall_at(stability, last, int(when.timestamp() * 1000), curve(FITTED))
        theirs = fsrs.Scheduler(parameters=FITTED).get_card_retrievability(card, when)
        assert abs(ours - theirs) < 1e-12


def test_stats_plan_and_status_follow_applied_parameters(isolated_home: Path) -> None:
    assert runner.invoke(app, ["status"]).exit_code == 0
    with open_store(isolated_home) as store:
        store.answer(CARD, 3, 4000, AT - 40 * DAY)
        store.answer(CARD, 3, 4000, AT - 39 * DAY)
        store.set_setting("fsrs_parameters", list(FITTED), at_ms=AT - DAY)
        store.set_setting("exam_date", "2026-03-20T00:00:00+00:00", at_ms=AT - DAY)
    shown = json.loads(runner.invoke(app, ["cards", CARD, "--json"]).stdout)
    expected = shown["retrievability"]  # py-fsrs's, under the applied parameters
    with open_store(isolated_home) as store:
        card = store.card(CARD).memory
        assert card.stability is not None and card.last_review is not None
        default_r = recall_at(card.stability, card.last_review, AT)
    assert abs(expected - default_r) > 0.01  # the shapes differ enough to tell apart
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert abs(stats["knowledge"]["mean_retrievability"] - expected) < 1e-4  # JSON rounds
    exam_ms = int(datetime(2026, 3, 20, tzinfo=timezone.utc).timestamp() * 1000)
    on_exam = recall_at(card.stability, card.last_review, exam_ms, curve(FITTED))
    status = json.loads(runner.invoke(app, ["status", "--json"]).stdout)
    assert abs(status["exams"][0]["predicted_recall"] - on_exam / 153) < 1e-4
    plan = json.loads(runner.invoke(app, ["plan", "--json"]).stdout)
    assert abs(plan["predicted_recall"] - on_exam / 153) < 1e-4
    default_on_exam = recall_at(card.stability, card.last_review, exam_ms)
    assert abs(on_exam - default_on_exam) / 153 > 1e-4  # so the check above can tell
