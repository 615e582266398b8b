"""`leadcards cards` as a browser: card text beside the schedule, readable at 80 and 60
columns, filters by tag and table, and `cards KEY` with the card's whole history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.store import open_store

from .conftest import AT, DAY, MINUTE

runner = CliRunner()

DECK = """\
id: brw
name: Browser deck
tags: [cphq]
tables:
  - id: styles
    title: Styles of influence
    row_label: Aspect
    columns: [Management, Leadership]
    tags: [influence]
    rows:
      - label: Influence of the care team
        cells: ["Directs through policies, procedures and the chain of command", "Inspires"]
cards:
  - id: pdsa
    front: What does *PDSA* stand for?
    back: "**Plan, Do, Study, Act**"
    tags: [methods::pdsa]
  - id: pick
    type: choice
    question: Which is a leadership trait?
    answer: Vision
    distractors: [Control, Compliance, Budgeting]
"""
RECALL = "brw:styles:influence-of-the-care-team:management:recall"
PDSA = "brw:pdsa:front"


@pytest.fixture
def home(isolated_home: Path) -> Path:
    (isolated_home / "decks").mkdir(parents=True)
    (isolated_home / "decks" / "brw.yaml").write_text(DECK)
    return isolated_home


def invoke(*args: str, code: int = 0, columns: int = 80) -> Any:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def answer(home: Path, key: str, rating: int, at: int) -> str:
    with open_store(home) as store:
        return store.answer(key, rating, 3000, at).event_id


@pytest.mark.parametrize("columns", [80, 60])
def test_the_list_is_readable_at_80_and_60_columns(home: Path, columns: int) -> None:
    invoke("status")  # syncs the deck
    answer(home, PDSA, 3, AT - 10 * MINUTE)
    with open_store(home) as store:
        store.suspend(RECALL, AT)
    out = invoke("cards", "brw", columns=columns).stdout
    lines = out.splitlines()
    assert all(cell_len(line) <= columns for line in lines), out
    assert lines[0] == "8 cards"
    assert lines[1].split()[:2] == ["state", "due"] and lines[1].endswith("question → answer")
    # every key whole on a line of its own, under its card's line
    keys = [line.split()[0] for line in lines if line.startswith("  brw:")]
    assert keys == [
        f"brw:styles:influence-of-the-care-team:{side}:{template}"
        for side in ("management", "leadership")
        for template in ("recall", "identify", "choice")
    ] + [PDSA, "brw:pick:choice"]
    assert f"  {PDSA}" in lines
    pdsa = lines[lines.index(f"  {PDSA}") - 1]
    # text without Markdown asterisks, the answer after the arrow, the schedule before
    assert pdsa.startswith("learning   today 09:00")
    if columns == 80:
        assert pdsa.endswith("What does PDSA stand for? → Plan, Do, Study, Act")
    else:  # both give way, the answer no more than the question
        assert pdsa.endswith("What does PDSA stan… → Plan, Do, Stu…")
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  {RECALL}"))
    # the flags follow the key, on the next line if the terminal is too narrow
    assert " ".join(lines[at : at + 2]).split()[:2] == [RECALL, "suspended"]
    # a long question gives way with an ellipsis, the line still holds its answer
    recall = lines[at - 1]
    assert recall.startswith("new        —") and "…" in recall and " → " in recall


def test_wide_terminals_get_more_columns(home: Path) -> None:
    header = invoke("cards", columns=160).stdout.splitlines()[1].split()
    assert header[:7] == ["state", "due", "R", "lapses", "stability", "difficulty", "reps"]
    assert invoke("cards", columns=80).stdout.splitlines()[1].split()[:4] == [
        "state",
        "due",
        "R",
        "question",
    ]


def test_filters_by_tag_and_table(home: Path) -> None:
    def keys(*args: str) -> list[str]:
        return [r["key"] for r in json.loads(invoke("cards", *args, "--json").stdout)]

    assert keys("--tag", "methods::pdsa") == [PDSA]
    assert keys("--tag", "METHODS") == [PDSA]  # a parent tag, any case, as in Anki
    table_cards = [
        f"brw:styles:influence-of-the-care-team:{side}:{template}"
        for side in ("management", "leadership")
        for template in ("recall", "identify", "choice")
    ]
    assert keys("--tag", "influence") == table_cards
    assert keys("--table", "styles") == keys("--table", "Styles of influence")
    assert keys("--table", "styles", "--tag", "methods") == []
    assert len(keys("brw", "--tag", "cphq")) == 8
    typo = invoke("cards", "brw", "--tag", "method", code=2)
    assert typo.stderr == (
        "error: no card has the tag 'method' (tags: cphq, influence, methods::pdsa, "
        "styles::influence-of-the-care-team, styles::leadership, styles::management, "
        "table::styles)\n"
    )
    table = invoke("cards", "brw", "--table", "style", code=2)
    assert table.stderr == "error: no table 'style' (tables: styles)\n"


def test_one_card_in_full_with_its_history(home: Path) -> None:
    invoke("status")
    answer(home, PDSA, 3, AT)
    undone = answer(home, PDSA, 1, AT + 10 * MINUTE)
    with open_store(home) as store:
        store.undo(undone, AT + 11 * MINUTE)
    answer(home, PDSA, 3, AT + 12 * MINUTE)
    with open_store(home) as store:
        store.bury(PDSA, AT + DAY, AT + 13 * MINUTE)
    out = invoke("cards", PDSA).stdout
    lines = [line.rstrip() for line in out.splitlines()]
    assert lines[0] == PDSA
    assert "deck      Browser deck (brw)" in lines
    assert "tags      cphq methods::pdsa" in lines
    assert "question  What does PDSA stand for?" in lines
    assert "answer    Plan, Do, Study, Act" in lines
    assert any(line.startswith("state     review · due 2026-03-0") for line in lines)
    history = lines[lines.index("History (3)") :]
    # the undone Again is not history; the bury is, with its end
    assert [line.split()[2:4] for line in history[3:]] == [
        ["Good", "10m"],
        ["Good", "2d"],
        ["bury", "until"],
    ]
    detail = json.loads(invoke("cards", PDSA, "--json").stdout)
    assert [
        (h["at"], h["kind"], h.get("rating"), h.get("interval_ms")) for h in detail["history"]
    ] == [
        ("2026-03-02T09:00:00+00:00", "answer", 3, 10 * MINUTE),
        ("2026-03-02T09:12:00+00:00", "answer", 3, 2 * DAY),
        ("2026-03-02T09:13:00+00:00", "bury", None, None),
    ]
    assert detail["history"][2]["until"] == "2026-03-03T09:00:00+00:00"
    assert detail["due"] == "2026-03-04T09:12:00+00:00" and detail["flags"] == ["buried"]


def test_a_choice_card_shows_its_options_and_what_was_picked(home: Path) -> None:
    invoke("status")
    with open_store(home) as store:
        store.answer("brw:pick:choice", 1, 2000, AT, picked="Control")
    out = invoke("cards", "brw:pick:choice").stdout
    assert "✔ " in out and "Vision" in out and "Budgeting" in out
    history = out[out.index("History (1)") :]
    assert "Again" in history and "Control" in history
    (entry,) = json.loads(invoke("cards", "brw:pick:choice", "--json").stdout)["history"]
    assert (entry["rating_label"], entry["picked"]) == ("Again", "Control")


def test_a_card_whose_deck_no_longer_loads_keeps_its_history(home: Path) -> None:
    invoke("status")
    answer(home, PDSA, 3, AT)
    (home / "decks" / "brw.yaml").write_text("id: brw\ncards: [\n")
    result = runner.invoke(app, ["cards", PDSA])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("warning: ")
    assert "its deck did not load" in result.stdout and "Good" in result.stdout


def test_unknown_key(home: Path) -> None:
    result = invoke("cards", "brw:nope:front", code=2)
    assert result.stderr == (
        "error: no card with key 'brw:nope:front' (see `leadcards cards` for keys)\n"
    )
