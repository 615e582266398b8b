"""`leadcards plan` and the exam line of `status`, on a hand-made state.

The deck: a table of two rows (Focus, Risk) × two sides (Management, Leadership), one
recall card a cell, and a plain card tagged ``extra``. Memories are written by hand,
each last reviewed on 2026-03-01 00:00 UTC; the exam, 2026-04-01, begins 31 days later.
Recall on exam day, R = (1 + 0.98035·31/S)^-0.1542:

    focus:management  S = 31     0.9       (t = S)
    focus:leadership  S = 15.5   0.8459    (t = 2S)
    risk:management   S = 7.75   0.7821    (t = 4S)
    risk:leadership   new        0
    solo (extra)      S = 31     0.9

Whole deck (3.4280 / 5) 0.6856. Table (4 cards) 0.6320; Focus 0.8729; Risk 0.3911;
the Management side (tag cmp::management) 0.8411, the Leadership side 0.4229.
Today (2026-03-02) to the exam: 30 days; a week kept free of new cards, so the one
unseen card is met in the next 23 days: 1 a day. Reviews: 1/31 + 1/15.5 + 1/7.75 + 1/31
= 0.258 a day; answers 0.258 + 4 = 4.258; no timed answers, so 10 s each: 0.71 min.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.clock import to_ms
from leadcards.events import CardRecord
from leadcards.scheduling import Memory, State
from leadcards.store import open_store

from .conftest import DAY, TABLE_DECK

runner = CliRunner()
LAST = to_ms(__import__("datetime").datetime.fromisoformat("2026-03-01T00:00:00+00:00"))
DECK = TABLE_DECK.replace("    rows:", "    templates: [recall]\n    rows:").replace(
    "    back: A plain answer\n", "    back: A plain answer\n    tags: [extra]\n"
)
STABILITY = {
    "tbl:cmp:focus:management:recall": 31.0,
    "tbl:cmp:focus:leadership:recall": 15.5,
    "tbl:cmp:risk:management:recall": 7.75,
    "tbl:solo:front": 31.0,
}


def invoke(*args: str, code: int = 0, columns: int = 80) -> Any:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


@pytest.fixture
def home(isolated_home: Path) -> Path:
    decks = isolated_home / "decks"
    decks.mkdir(parents=True)
    (decks / "tbl.yaml").write_text(DECK)
    invoke("status")  # syncs the deck
    with open_store(isolated_home) as store:
        store.write_records(
            {
                key: CardRecord(Memory(State.REVIEW, None, s, 5.0, LAST + 40 * DAY, LAST, 3, 0))
                for key, s in STABILITY.items()
            }
        )
    return isolated_home


def plan_json(*args: str) -> dict[str, Any]:
    return json.loads(invoke("plan", "tbl", "--json", *args).stdout)


def test_plan_json_hand_computed(home: Path) -> None:
    payload = plan_json("--exam", "2026-04-01")
    assert list(payload) == [
        "exam",
        "days_left",
        "cards",
        "unseen",
        "predicted_recall",
        "weakest",
        "areas",
        "plan",
        "budget",
    ]
    assert payload["exam"] == "2026-04-01"
    assert (payload["days_left"], payload["cards"], payload["unseen"]) == (30, 5, 1)
    assert payload["predicted_recall"] == 0.6856
    assert payload["weakest"] == [
        {
            "kind": "aspect",
            "name": "Management vs leadership · Risk",
            "cards": 2,
            "unseen": 1,
            "recall": 0.3911,
        },
        {"kind": "tag", "name": "cmp::leadership", "cards": 2, "unseen": 1, "recall": 0.4229},
        {
            "kind": "table",
            "name": "Management vs leadership",
            "cards": 4,
            "unseen": 1,
            "recall": 0.632,
        },
        {"kind": "tag", "name": "cmp::management", "cards": 2, "unseen": 0, "recall": 0.8411},
        {
            "kind": "aspect",
            "name": "Management vs leadership · Focus",
            "cards": 2,
            "unseen": 0,
            "recall": 0.8729,
        },
    ]
    areas = {(a["kind"], a["name"]): a["recall"] for a in payload["areas"]}
    assert areas[("tag", "extra")] == 0.9
    assert areas[("tag", "cmp::risk")] == 0.3911  # the generated tag: named once above
    assert payload["plan"] == {
        "new_per_day": 1,
        "new_per_day_limit": 20,
        "learn_days": 23,
        "settle_days": 7,
        "reviews_per_day": 0.3,
        "answers_per_day": 4.3,
        "seconds_per_answer": 10.0,
        "timed_answers": 0,
        "measured": False,
        "minutes_per_day": 0.7,
    }
    assert payload["budget"] is None


def test_plan_with_minutes(home: Path) -> None:
    assert plan_json("--exam", "2026-04-01", "--minutes", "1")["budget"] == {
        "minutes": 1.0,
        "fits": True,
        "new_per_day": 1,
        "met": 1,
    }
    # half a minute: 3 answers of 10 s, 0.26 of them reviews: no room for a new card
    assert plan_json("--exam", "2026-04-01", "--minutes", "0.5")["budget"] == {
        "minutes": 0.5,
        "fits": False,
        "new_per_day": 0,
        "met": 0,
    }


def test_plan_takes_the_exam_date_setting(home: Path) -> None:
    assert invoke("plan", "tbl", code=2).stderr == (
        "error: no exam date: give --exam DATE, or set one with `leadcards config exam_date DATE`\n"
    )
    invoke("config", "exam_date", "2026-04-01")
    assert plan_json()["predicted_recall"] == 0.6856
    assert plan_json("--exam", "2026-03-05")["exam"] == "2026-03-05"  # --exam wins


def test_plan_refuses_differing_exam_dates(home: Path) -> None:
    invoke("config", "exam_date", "2026-04-01")
    invoke("config", "--deck", "tbl", "exam_date", "2026-05-01")
    result = invoke("plan", code=2)
    assert result.stderr == (
        "error: the decks have different exam dates (lvm 2026-04-01, tbl 2026-05-01): "
        "give --exam DATE\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--exam", "1/4/2026"],
            "error: --exam must be a date as YYYY-MM-DD (e.g. 2027-03-15), not '1/4/2026'\n",
        ),
        (["--exam", "2026-04-31"], "error: --exam 2026-04-31 is not a day of the calendar\n"),
        (
            ["--exam", "2026-04-01", "--minutes", "0"],
            "error: --minutes must be more than 0 and at most 1440, not 0\n",
        ),
        (
            ["--exam", "2026-04-01", "--minutes", "-5"],
            "error: --minutes must be more than 0 and at most 1440, not -5\n",
        ),
    ],
)
def test_plan_bad_input_is_one_line(home: Path, args: list[str], message: str) -> None:
    result = invoke("plan", "tbl", *args, code=2)
    assert result.stderr == message


def test_plan_on_and_after_the_exam_day(home: Path) -> None:
    today = plan_json("--exam", "2026-03-02")
    assert (today["days_left"], today["plan"]) == (0, None)
    assert "The exam is today" in invoke("plan", "tbl", "--exam", "2026-03-02").stdout
    passed = plan_json("--exam", "2026-03-01", "--minutes", "5")
    assert (passed["days_left"], passed["plan"], passed["budget"]) == (-1, None, None)
    assert invoke("plan", "tbl", "--exam", "2026-03-01").stdout == (
        "Exam on 2026-03-01 · passed\nThe exam was on 2026-03-01: nothing is planned after it.\n"
    )


def test_plan_drawn_at_80_columns(home: Path) -> None:
    text = invoke("plan", "tbl", "--exam", "2026-04-01", "--minutes", "0.5").stdout
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0] == "Exam on 2026-04-01 · 30 days left"
    assert lines[1] == (
        "Predicted on 2026-04-01: 69% of 5 cards (1 not seen yet count as not known)"
    )
    assert "Weakest areas" in text
    table = [line.rstrip() for line in lines if line.startswith(("aspect", "tag", "table"))]
    assert table == [
        "aspect Management vs leadership · Risk        2     1      39%",
        "tag cmp::leadership                           2     1      42%",
        "table Management vs leadership                4     1      63%",
        "tag cmp::management                           2     0      84%",
        "aspect Management vs leadership · Focus       2     0      87%",
    ]
    assert "█" not in text
    joined = " ".join(text.split())
    assert (
        "New cards: 1 not seen yet → 1 a day for the next 23 days, none in the last 7 days "
        "(kept for reviewing them)." in joined
    )
    assert (
        "Time: about 1 min a day (4 answers × 10.0 s, assumed until 50 answers are timed; "
        "0 so far)." in joined
    )
    assert (
        "With 0.5 min a day: the plan does not fit; 0 new cards a day fit beside the "
        "reviews, meeting 0 of the 1 unseen cards before the exam." in joined
    )


def test_plan_drawn_at_120_columns_has_bars(home: Path) -> None:
    text = invoke("plan", "tbl", "--exam", "2026-04-01", columns=120).stdout
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 120
    risk = next(line for line in lines if line.startswith("aspect Management vs leadership · Risk"))
    assert risk.rstrip().endswith("39%   " + "█" * 8 + "░" * 12)


def test_status_shows_days_left_and_the_prediction(home: Path) -> None:
    invoke("suspend", "tbl:solo:front")  # a suspended card is not counted
    invoke("config", "--deck", "tbl", "exam_date", "2026-04-01")
    payload = json.loads(invoke("status", "--json").stdout)
    # (0.9 + 0.8459 + 0.7821 + 0) / 4
    assert payload["exams"] == [
        {
            "date": "2026-04-01",
            "days_left": 30,
            "cards": 4,
            "predicted_recall": 0.632,
            "decks": ["tbl"],
        }
    ]
    text = invoke("status").stdout
    assert text.splitlines()[-1] == (
        "Exam 2026-04-01: 30 days left · predicted recall 63% of 4 cards"
    )


def test_status_without_an_exam_has_no_exam_line(home: Path) -> None:
    assert json.loads(invoke("status", "--json").stdout)["exams"] == []
    assert "Exam" not in invoke("status").stdout


def test_status_with_two_exam_dates_names_the_decks(home: Path) -> None:
    invoke("config", "exam_date", "2026-03-02")
    invoke("config", "--deck", "tbl", "exam_date", "2026-04-01")
    lines = invoke("status").stdout.splitlines()
    assert lines[-2:] == [
        "Exam 2026-03-02: today (lvm) · predicted recall 0% of 153 cards",
        "Exam 2026-04-01: 30 days left (tbl) · predicted recall 69% of 5 cards",
    ]


def test_the_sql_and_the_python_recall_agree(home: Path) -> None:
    """Where SQLite lacks math functions the store computes the same sum itself."""
    exam = to_ms(__import__("datetime").datetime.fromisoformat("2026-04-01T00:00:00+00:00"))
    with open_store(home) as store:
        in_sql = store.recall_sum(["tbl"], exam)
        here = store._recall_sum_here(
            "deck_id IN (:d0) AND removed = 0 AND suspended = 0", {"d0": "tbl"}, exam
        )
    assert in_sql[0] == here[0] == 5
    assert in_sql[1] == pytest.approx(here[1], rel=1e-12)
    assert in_sql[1] == pytest.approx(3.4280, abs=1e-4)


@pytest.mark.parametrize("command", ["plan", "simulate"])
def test_minutes_beyond_a_day_are_refused(home: Path, command: str) -> None:
    for value in ("inf", "1e300", "nan"):
        result = invoke(command, "--exam", "2026-04-01", "--minutes", value, code=2)
        assert result.stderr.startswith("error: --minutes must be more than 0 and at most 1440")
