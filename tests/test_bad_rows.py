"""Rows leadcards never writes — a rating of 9, a setting that is not JSON or out of its
range, an answer stamped in year 3000 — as a hand edit, a damaged disk or an older
version leave them. Every command that reads one stops with one line naming it and
exit 1; ``doctor`` names them all, exits 1, and changes nothing.

The rows are written through a connection of our own (``db_execute``), past every
check the store makes.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.clock import to_ms
from leadcards.ids import ulid
from leadcards.store import open_store

from .conftest import AT, MINUTE, db_execute, db_rows

runner = CliRunner()

FOCUS = "lvm:comparison:focus:leadership:recall"
KEPT = "(1970-01-01 to 2200-01-01 UTC)"
SEE_DOCTOR = "; `leadcards doctor` lists every such row"
DOCTOR_END = (
    "rows: leadcards never writes these, so it compared and rebuilt nothing; they were "
    "left as they are — restore a backup, or mend them by hand\n"
)
YEAR_3000 = to_ms(datetime(3000, 1, 1, tzinfo=timezone.utc))
YEAR_10000 = to_ms(datetime(9999, 12, 31, tzinfo=timezone.utc)) + 86_400_000


def invoke(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args), input="")
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


@pytest.fixture
def db(isolated_home: Path) -> Path:
    """A data folder with one settings change and one answer, as leadcards writes them."""
    invoke("status")  # syncs the deck: its cards have rows
    invoke("config", "reviews_per_day", "150")
    with open_store(isolated_home) as store:
        store.answer(FOCUS, 3, 2000, AT + MINUTE)
    return isolated_home / "leadcards.db"


def event_id(db: Path, kind: str) -> str:
    ((found,),) = db_rows(db, "SELECT id FROM events WHERE kind = ?", (kind,))
    return str(found)


def snapshot(db: Path) -> tuple[list[Any], ...]:
    return tuple(
        db_rows(db, f"SELECT * FROM {table} ORDER BY 1, 2")
        for table in ("events", "cards", "settings")
    )


def assert_doctor_names(db: Path, *named: str) -> None:
    """doctor and doctor --rebuild: each bad row on a line, exit 1, nothing written."""
    before = snapshot(db)
    for args in (["doctor"], ["doctor", "--rebuild"]):
        result = invoke(*args, code=1)
        assert result.stdout == "".join(f"rows: {line}\n" for line in named) + DOCTOR_END
        assert result.stderr == ""
    assert snapshot(db) == before


# the log ------------------------------------------------------------------------------


def test_an_answer_rated_9(db: Path, tmp_path: Path) -> None:
    answer = event_id(db, "answer")
    db_execute(db, "UPDATE events SET rating = 9 WHERE id = ?", (answer,))
    named = f"log event {answer} has rating 9; answers are rated 1 to 4"
    assert_doctor_names(db, named)
    before = snapshot(db)
    assert invoke("cards", FOCUS, code=1).stderr == f"error: {named}{SEE_DOCTOR}\n"
    pytest.importorskip("anki")
    out = tmp_path / "history.apkg"
    export = invoke("export", "anki", "lvm", "-o", str(out), "--with-history", code=1)
    assert export.stderr == f"error: {named}{SEE_DOCTOR}\n"
    assert not out.exists()
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("kind", "zap", "is of a kind leadcards does not know ('zap')"),
        ("data", "{oops", "has data that is not a JSON object ('{oops')"),
        ("state_before", 7, "has state_before 7; a card's state is 0 to 3"),
        ("state_before", None, "has state_before None; a card's state is 0 to 3"),
        ("rating", None, "has rating None; answers are rated 1 to 4"),
        ("rating", 2.5, "has rating 2.5; answers are rated 1 to 4"),
        ("at", "soon", "has a time that is not a whole number ('soon')"),
    ],
)
def test_an_answer_row_leadcards_never_writes(
    db: Path, column: str, value: object, problem: str
) -> None:
    answer = event_id(db, "answer")
    db_execute(db, f"UPDATE events SET {column} = ? WHERE id = ?", (value, answer))
    assert_doctor_names(db, f"log event {answer} {problem}")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("not json", "has data that is not a JSON object ('not json')"),
        (
            '{"scope": "", "key": "new_per_day", "value": -5}',
            "(a change of new_per_day) holds -5: new_per_day must be between 0 and 9999, not -5",
        ),
        (
            '{"scope": "", "key": "learning_steps", "value": [8640000000000]}',
            "(a change of learning_steps) holds [8640000000000]: each step must be more "
            "than 0 and at most 36500d",
        ),
        ('{"scope": 3, "value": 1}', "is a settings change naming no setting"),
    ],
)
def test_a_settings_change_in_the_log_leadcards_never_writes(
    db: Path, data: str, problem: str
) -> None:
    """--rebuild used to copy such a value into the settings table."""
    change = event_id(db, "setting")
    db_execute(db, "UPDATE events SET data = ? WHERE id = ?", (data, change))
    assert_doctor_names(db, f"log event {change} {problem}")


@pytest.mark.parametrize(
    ("at", "shown"),
    [(YEAR_3000, "3000-01-01 00:00 UTC"), (YEAR_10000, f"{YEAR_10000} ms from 1970-01-01 UTC")],
)
def test_an_answer_stamped_past_the_kept_times(
    db: Path, tmp_path: Path, at: int, shown: str
) -> None:
    """As an older version logged it under LEADCARDS_NOW=3000-…: a new event of the card,
    or any settings change, would have to be stamped after it, so none is written."""
    late = ulid(at)
    db_execute(
        db,
        "INSERT INTO events (id, at, kind, card_key, rating, duration_ms, data, state_before, "
        "state_after, due_after, stability_after, difficulty_after) "
        "VALUES (?, ?, 'answer', ?, 3, 1000, '{\"ordered\":1}', 1, 2, ?, 3.0, 5.0)",
        (late, at, FOCUS, at + 3 * 86_400_000),
    )
    stamped = f"log event {late} is stamped {shown}, outside the times leadcards keeps {KEPT}"
    assert_doctor_names(db, stamped)
    before = snapshot(db)
    pushed = f"error: {stamped}, and a new event cannot go before it{SEE_DOCTOR}\n"
    assert invoke("suspend", FOCUS, code=1).stderr == pushed
    assert invoke("config", "new_per_day", "5", code=1).stderr == pushed
    assert invoke("cards", FOCUS, code=1).stderr == f"error: {stamped}{SEE_DOCTOR}\n"
    assert snapshot(db) == before
    pytest.importorskip("anki")
    out = tmp_path / "history.apkg"
    export = invoke("export", "anki", "lvm", "-o", str(out), "--with-history", code=1)
    assert export.stderr == f"error: {stamped}{SEE_DOCTOR}\n"
    assert not out.exists()


# the settings table ---------------------------------------------------------------------

REBUILD = "; `leadcards doctor --rebuild` rewrites the settings table from the log"


@pytest.mark.parametrize(
    ("scope", "key", "text", "problem"),
    [
        ("", "new_per_day", "{bad", "is not valid JSON ('{bad')"),
        ("", "new_per_day", "-5", "holds -5: new_per_day must be between 0 and 9999, not -5"),
        ("", "new_per_day", '"20"', 'holds "20", not the kind of value new_per_day takes'),
        ("", "fuzz", "1", "holds 1, not the kind of value fuzz takes"),
        (
            "lvm",
            "desired_retention",
            "NaN",
            "holds NaN: desired_retention must be between 0.70 and 0.99, not nan",
        ),
        (
            "lvm",
            "learning_steps",
            "[8640000000000]",
            "holds [8640000000000]: each step must be more than 0 and at most 36500d",
        ),
        (
            "",
            "day_start",
            '"25:00"',
            "holds \"25:00\": day start '25:00' must be HH:MM, e.g. 04:00",
        ),
    ],
)
@pytest.mark.parametrize("command", [["status"], ["review"], ["cards"], ["config"]])
def test_a_setting_leadcards_never_stores(
    db: Path, command: list[str], scope: str, key: str, text: str, problem: str
) -> None:
    db_execute(db, "INSERT OR REPLACE INTO settings VALUES (?, ?, ?)", (scope, key, text))
    where = f" for deck {scope}" if scope else ""
    named = f"setting {key}{where} in the settings table {problem}"
    before = snapshot(db)
    result = invoke(*command, code=1)
    assert result.stderr == f"error: {named}{REBUILD}\n"
    assert snapshot(db) == before


def test_doctor_names_a_bad_setting_and_rebuild_rewrites_the_table_from_the_log(db: Path) -> None:
    """The settings table is a cache of the log: nothing is lost by rewriting it."""
    db_execute(db, "UPDATE settings SET value = '1e999'")
    db_execute(db, "INSERT INTO settings VALUES ('lvm', 'fuzz', 'maybe')")
    before = snapshot(db)
    result = invoke("doctor", code=1)
    assert (
        "settings: setting reviews_per_day in the settings table holds Infinity, not the "
        "kind of value reviews_per_day takes; `leadcards doctor --rebuild` rewrites them\n"
    ) in result.stdout
    assert snapshot(db) == before
    assert "settings: rebuilt from the log\n" in invoke("doctor", "--rebuild").stdout
    assert db_rows(db, "SELECT * FROM settings") == [("", "reviews_per_day", "150")]
    assert invoke("doctor").stdout.endswith("replay: 153 cards match their 2 log events\n")
    assert invoke("status").stderr == ""


def test_doctor_names_every_bad_log_row(db: Path) -> None:
    answer, change = event_id(db, "answer"), event_id(db, "setting")
    db_execute(db, "UPDATE events SET rating = 0 WHERE id = ?", (answer,))
    db_execute(db, "UPDATE events SET data = '[]' WHERE id = ?", (change,))
    assert_doctor_names(
        db,
        f"log event {change} has data that is not a JSON object ('[]')",
        f"log event {answer} has rating 0; answers are rated 1 to 4",
    )


def test_a_long_step_an_older_version_let_through_still_replays(db: Path) -> None:
    """config now stops steps at 365 days; a log from a version that took 400 days is
    read as it was written, since the date arithmetic holds it."""
    four_hundred_days = 400 * 86_400
    data = f'{{"scope": "", "key": "relearning_steps", "value": [{four_hundred_days}]}}'
    db_execute(
        db,
        "INSERT INTO events (id, at, kind, data) VALUES (?, ?, 'setting', ?)",
        (ulid(AT + 2 * MINUTE), AT + 2 * MINUTE, data),
    )
    db_execute(
        db,
        "INSERT OR REPLACE INTO settings VALUES ('', 'relearning_steps', ?)",
        (f"[{four_hundred_days}]",),
    )
    assert "relearning_steps" in invoke("config").stdout
    doctor = invoke("doctor")
    assert doctor.stdout.startswith("integrity: ok\n")
