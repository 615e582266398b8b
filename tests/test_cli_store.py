"""The store's commands through the real typer app: status (table and --json), cards and
its filters, suspend / unsuspend / forget, doctor and doctor --rebuild."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.clock import from_ms, to_ms
from leadcards.scheduling import Scheduler, format_interval
from leadcards.settings import DEFAULTS
from leadcards.store import open_store

from .conftest import AT, DAY, HOUR, MINUTE, db_rows

runner = CliRunner()

FOCUS = "lvm:comparison:focus:leadership:recall"
COUNT_KEYS = ["total", "new", "learning", "due", "suspended", "leeches", "reviewed_today"]
LVM_NAME = "CPHQ::Leadership vs Management"
NO_CARD = "error: no card with key '{}' (see `leadcards cards` for keys)\n"


def invoke(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def status_json() -> dict[str, Any]:
    return json.loads(invoke("status", "--json").stdout)


def cards_json(*args: str) -> list[dict[str, Any]]:
    return json.loads(invoke("cards", *args, "--json").stdout)


def lvm_keys(home: Path) -> list[str]:
    with open_store(home) as store:
        return [r[0] for r in db_rows(store, "SELECT key FROM cards ORDER BY position")]


def answer(home: Path, key: str, rating: int, at: int = AT) -> None:
    with open_store(home) as store:
        store.answer(key, rating, 2000, at)


def test_status_json_shape_on_a_fresh_home() -> None:
    payload = status_json()
    assert payload == {
        "decks": [
            {
                "id": "lvm",
                "name": LVM_NAME,
                "total": 153,
                "new": 20,
                "learning": 0,
                "due": 0,
                "suspended": 0,
                "leeches": 0,
                "reviewed_today": 0,
            }
        ],
        "total": {
            "total": 153,
            "new": 20,
            "learning": 0,
            "due": 0,
            "suspended": 0,
            "leeches": 0,
            "reviewed_today": 0,
        },
        "next_due": "2026-03-02T09:00:00+00:00",
        "exams": [],
    }
    assert list(payload) == ["decks", "total", "next_due", "exams"]
    assert list(payload["decks"][0]) == ["id", "name", *COUNT_KEYS]
    assert list(payload["total"]) == COUNT_KEYS


def test_status_after_answers(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    status_json()
    keys = lvm_keys(isolated_home)
    answer(isolated_home, keys[0], 1)  # learning, due in 1 minute
    answer(isolated_home, keys[3], 3)  # learning, due in 10 minutes
    answer(isolated_home, keys[6], 4, AT - 10 * DAY)  # review, overdue
    answer(isolated_home, keys[9], 4)  # review in about 8 days
    invoke("suspend", keys[12])
    deck = status_json()["decks"][0]
    assert {k: deck[k] for k in COUNT_KEYS} == {
        "total": 153,
        "new": 17,  # 20 a day, three introduced today
        "learning": 2,
        "due": 1,
        "suspended": 1,
        "leeches": 0,
        "reviewed_today": 3,
    }
    # learning cards due within the learn-ahead window count as due now
    invoke("config", "new_per_day", "3")
    payload = status_json()
    assert (payload["total"]["new"], payload["total"]["learning"]) == (0, 2)
    assert payload["next_due"] == "2026-03-02T09:00:00+00:00"
    assert "Next card: now" in invoke("status").stdout
    # once everything is answered, next_due is when a session would show a card again:
    # the start of the study day (04:00 here) on which the earliest review falls due,
    # since a review counts as due all that day
    for key in (keys[0], keys[3], keys[6]):
        answer(isolated_home, key, 4, AT + MINUTE)
    payload = status_json()
    assert {k: payload["total"][k] for k in ("new", "learning", "due")} == {
        "new": 0, "learning": 0, "due": 0
    }  # fmt: skip
    with open_store(isolated_home) as store:
        (first,) = db_rows(store, "SELECT min(due) FROM cards WHERE state > 0 AND suspended = 0")[0]
    assert first > AT + DAY
    day = from_ms(first).replace(hour=4, minute=0, second=0, microsecond=0)
    assert day < from_ms(first)
    assert payload["next_due"] == day.isoformat() == "2026-03-03T04:00:00+00:00"
    table = invoke("status").stdout
    assert f"Next card: in {format_interval(to_ms(day) - AT)} (2026-03-03 04:00)" in table
    # and when that moment comes, it is "now"
    monkeypatch.setenv("LEADCARDS_NOW", day.isoformat())
    assert status_json()["total"]["due"] == 1
    assert "Next card: now" in invoke("status").stdout


def test_status_sums_decks(isolated_home: Path) -> None:
    user = isolated_home / "decks"
    user.mkdir(parents=True)
    (user / "mine.yaml").write_text(
        "id: mine\nname: Mine\ncards:\n  - {id: a, front: q1, back: a1}\n"
        "  - {id: b, front: q2, back: a2}\n"
    )
    payload = status_json()
    assert [(d["id"], d["name"], d["total"], d["new"]) for d in payload["decks"]] == [
        ("lvm", LVM_NAME, 153, 20),
        ("mine", "Mine", 2, 2),
    ]
    assert payload["total"]["total"] == 155 and payload["total"]["new"] == 22
    table = invoke("status").stdout
    assert "all decks" in table


def test_status_with_nothing_scheduled(isolated_home: Path) -> None:
    status_json()
    invoke("config", "new_per_day", "0")
    payload = status_json()
    assert payload["next_due"] is None
    assert "Next card: nothing scheduled" in invoke("status").stdout


def test_cards_filters(isolated_home: Path) -> None:
    status_json()
    keys = lvm_keys(isolated_home)
    with open_store(isolated_home) as store:
        store.set_setting("leech_threshold", 1, at_ms=0)
        store.answer(keys[0], 4, 0, AT - 20 * DAY)  # due
        store.answer(keys[1], 4, 0, AT)  # not due
        store.answer(keys[2], 4, 0, AT - 30 * DAY)
        store.answer(keys[2], 1, 0, AT - 20 * DAY)  # leech, suspended, relearning
        store.bury(keys[3], AT + DAY, AT)
    everything = cards_json()
    assert len(everything) == 153 and [r["key"] for r in everything] == keys
    first = everything[0]
    assert list(first) == [
        "key", "deck", "question", "answer", "state", "due", "last_review", "stability",
        "difficulty", "retrievability", "reps", "lapses", "flags", "tags", "table",
    ]  # fmt: skip
    assert first == first | {
        "key": "lvm:comparison:focus:management:recall",
        "deck": "lvm",
        "question": "Focus (Aspect) — Management?",
        "answer": "Systems, tasks, and performance",
        "state": "review",
        "reps": 1,
        "last_review": "2026-02-10T09:00:00+00:00",  # ISO-8601 UTC, as status --json
        "table": "comparison",
    }
    assert first["retrievability"] < 0.9 and first["due"] < "2026-03-02T09:00:00+00:00"
    assert first["due"].endswith("+00:00") and "comparison::focus" in first["tags"]
    assert [r["key"] for r in cards_json("--due")] == [keys[0]]
    new = cards_json("--new")
    assert len(new) == 150 and keys[0] not in {r["key"] for r in new}
    assert all(r["state"] == "new" and r["due"] is None for r in new)
    assert [(r["key"], r["flags"]) for r in cards_json("--suspended")] == [
        (keys[2], ["suspended", "leech"])
    ]
    assert [r["key"] for r in cards_json("--leeches")] == [keys[2]]
    assert [r["key"] for r in cards_json("--learning")] == [keys[2]]
    assert [r["key"] for r in cards_json("--buried")] == [keys[3]]
    assert [r["flags"] for r in cards_json("--search", keys[3])] == [["buried"]]
    # case-insensitive, over question, answer and extra (the table row's name in three)
    assert [r["key"] for r in cards_json("lvm", "--search", "RISK ATTITUDE")] == [
        "lvm:comparison:risk-attitude:management:recall",
        "lvm:comparison:risk-attitude:management:identify",
        "lvm:comparison:risk-attitude:leadership:recall",
        "lvm:comparison:risk-attitude:leadership:identify",
        "lvm:comparison:risk-attitude:leadership:choice",
        "lvm:managers-and-risk:front",
        "lvm:leaders-and-risk:choice",
        "lvm:scenario-risk:choice",
    ]
    assert cards_json("--search", "no such words anywhere") == []
    assert cards_json("--new", "--leeches") == []
    wide = runner.invoke(app, ["cards", "--leeches"], env={"COLUMNS": "200"})
    assert wide.exit_code == 0
    assert wide.stdout.startswith("1 card\n") and "suspended leech" in wide.stdout


def test_cards_unknown_deck() -> None:
    result = invoke("cards", "nope", code=2)
    assert result.stderr == "error: no deck with id 'nope' (known decks: lvm)\n"


def test_suspend_unsuspend_forget(isolated_home: Path) -> None:
    status_json()
    assert invoke("suspend", FOCUS).stdout == (
        f"Suspended {FOCUS} (`leadcards unsuspend {FOCUS}` brings it back)\n"
    )
    assert status_json()["total"]["suspended"] == 1
    assert cards_json("--suspended")[0]["key"] == FOCUS
    assert invoke("unsuspend", FOCUS).stdout == f"Unsuspended {FOCUS}\n"
    assert status_json()["total"]["suspended"] == 0
    answer(isolated_home, FOCUS, 4)
    (row,) = cards_json("--search", FOCUS)
    assert (row["state"], row["reps"]) == ("review", 1)
    assert invoke("forget", FOCUS).stdout == f"Reset {FOCUS} to new (its history is kept)\n"
    (row,) = cards_json("--search", FOCUS)
    assert (row["state"], row["reps"], row["due"]) == ("new", 0, None)
    with open_store(isolated_home) as store:
        kinds = [e.kind.value for e in store.card_events(FOCUS)]
    assert kinds == ["suspend", "unsuspend", "answer", "forget"]
    assert invoke("doctor").stdout.endswith("replay: 153 cards match their 4 log events\n")


@pytest.mark.parametrize("command", ["suspend", "unsuspend", "forget"])
def test_unknown_key(isolated_home: Path, command: str) -> None:
    status_json()
    before = (isolated_home / "leadcards.db").read_bytes()
    result = invoke(command, "lvm:no-such-note:front", code=2)
    assert result.stderr == NO_CARD.format("lvm:no-such-note:front")
    assert result.stdout == ""
    with open_store(isolated_home) as store:
        assert db_rows(store, "SELECT count(*) FROM live_events")[0][0] == 0
        assert db_rows(store, "SELECT sum(suspended) FROM cards")[0][0] == 0
    assert len(before) > 0


def test_doctor_finds_and_rebuilds_a_tampered_cache(isolated_home: Path) -> None:
    status_json()
    keys = lvm_keys(isolated_home)
    for i, key in enumerate(keys[:10]):
        answer(isolated_home, key, 1 + i % 4, AT - DAY + i * MINUTE)
    clean = invoke("doctor")
    assert (
        clean.stdout
        == "integrity: ok\ndecks: every card has its row (1 deck)\nreplay: 153 cards match their 10 log events\n"
    )
    db = isolated_home / "leadcards.db"
    conn = sqlite3.connect(db)
    good = conn.execute("SELECT * FROM cards WHERE key = ?", (keys[4],)).fetchone()
    conn.execute("UPDATE cards SET stability = stability + 1 WHERE key = ?", (keys[4],))
    conn.commit()
    conn.close()
    result = invoke("doctor", code=1)
    assert result.stdout == (
        "integrity: ok\n"
        "decks: every card has its row (1 deck)\n"
        f"replay: 1 of 153 cards differ from their log ({keys[4]}); "
        "`leadcards doctor --rebuild` rewrites them from the log\n"
    )
    rebuilt = invoke("doctor", "--rebuild")
    kept = isolated_home / "backups" / "leadcards-2026-03-02-09.00.00.db"
    assert rebuilt.stdout == (
        "integrity: ok\n"
        "decks: every card has its row (1 deck)\n"
        "replay: rebuilt 1 of 153 cards from 10 log events\n"
        f"backup: the file as it was is kept in {kept}\n"
    )
    tampered = sqlite3.connect(kept)  # as it was: the tampered row, which --rebuild mended
    assert tampered.execute("SELECT * FROM cards WHERE key = ?", (keys[4],)).fetchone() != good
    tampered.close()
    assert invoke("doctor").stdout == clean.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT * FROM cards WHERE key = ?", (keys[4],)).fetchone() == good
    conn.close()


def test_doctor_names_five_and_counts_the_rest(isolated_home: Path) -> None:
    status_json()
    keys = lvm_keys(isolated_home)
    for key in keys[:7]:
        answer(isolated_home, key, 3)
    conn = sqlite3.connect(isolated_home / "leadcards.db")
    conn.execute("UPDATE cards SET due = due + 1 WHERE reps > 0")
    conn.commit()
    conn.close()
    result = invoke("doctor", code=1)
    shown = ", ".join(keys[:5])
    assert f"replay: 7 of 153 cards differ from their log ({shown} and 2 more); " in result.stdout


def test_doctor_reports_log_rows_without_a_card(isolated_home: Path) -> None:
    status_json()
    answer(isolated_home, FOCUS, 3)
    conn = sqlite3.connect(isolated_home / "leadcards.db")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO events (id, card_key, kind, rating, at, duration_ms, "
        "state_before, state_after) VALUES ('X', 'gone:card:front', 'answer', 3, ?, 0, 0, 1)",
        (AT,),
    )
    conn.commit()
    conn.close()
    result = invoke("doctor", code=1)
    assert result.stdout.splitlines()[0] == "integrity: 1 log rows name no card"


def test_a_settings_change_applies_from_then_on(isolated_home: Path) -> None:
    """Settings are events: answers given before a change replay under the old settings,
    so neither doctor nor a rebuild reschedules the past; later answers use the new ones."""
    status_json()
    keys = lvm_keys(isolated_home)
    for key in keys[:3]:
        answer(isolated_home, key, 4, AT - 5 * DAY)
    with open_store(isolated_home) as store:
        before = {key: store.card(key).memory for key in keys[:3]}
    invoke("config", "desired_retention", "0.8")
    assert invoke("doctor").stdout.endswith("replay: 153 cards match their 4 log events\n")
    invoke("doctor", "--rebuild")
    with open_store(isolated_home) as store:
        assert {key: store.card(key).memory for key in keys[:3]} == before
        assert [e.kind.value for e in store.events()][-1] == "setting"
    answer(isolated_home, keys[0], 3, AT)
    answer(isolated_home, keys[1], 3, AT)
    with open_store(isolated_home) as store:
        lower = store.card(keys[0]).memory.due - AT
        assert Scheduler(DEFAULTS).answer(keys[0], before[keys[0]], 3, AT).due - AT < lower
    assert invoke("doctor").stdout.endswith("replay: 153 cards match their 6 log events\n")


def test_status_rolls_over_at_four_local(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        monkeypatch.setenv("LEADCARDS_NOW", "2026-03-03T03:59:00-05:00")
        invoke("config", "new_per_day", "2")
        status_json()
        keys = lvm_keys(isolated_home)
        late = to_ms(datetime.fromisoformat("2026-03-03T03:59:00-05:00"))
        answer(isolated_home, keys[0], 4, late)
        answer(isolated_home, keys[3], 4, late + 1000)
        deck = status_json()["decks"][0]
        assert (deck["new"], deck["reviewed_today"]) == (0, 2)
        assert "Next card: in " in invoke("status").stdout
        monkeypatch.setenv("LEADCARDS_NOW", "2026-03-03T04:00:00-05:00")
        deck = status_json()["decks"][0]
        assert (deck["new"], deck["reviewed_today"]) == (2, 0)
        assert status_json()["next_due"] == "2026-03-03T09:00:00+00:00"
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_suspend_works_on_a_fresh_home_before_any_other_command() -> None:
    result = CliRunner().invoke(app, ["suspend", "lvm:comparison:focus:leadership:recall"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Suspended lvm:comparison:focus:leadership:recall ")
    counts = json.loads(CliRunner().invoke(app, ["status", "--json"]).stdout)
    assert counts["total"]["suspended"] == 1


def test_config_for_an_unknown_deck_is_refused() -> None:
    result = CliRunner().invoke(app, ["config", "new_per_day", "5", "--deck", "nope"])
    assert result.exit_code == 2
    assert result.stderr == "error: no deck with id 'nope' (known decks: lvm)\n"


def test_next_due_is_the_learning_card_time_when_only_learning_waits() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["config", "new_per_day", "1"]).exit_code == 0
    answered = runner.invoke(app, ["review"], input="\n3\nq\n")
    assert answered.exit_code == 0, answered.output
    status = json.loads(runner.invoke(app, ["status", "--json"]).stdout)
    assert status["total"]["learning"] == 1 and status["total"]["new"] == 0
    assert status["next_due"] == "2026-03-02T09:10:00+00:00"


def test_doctor_reports_a_damaged_index_and_exits_1(isolated_home: Path) -> None:
    """A damaged page that opening the file does not touch is found by the integrity
    check: doctor lists it, says what to do, exits 1, and leaves the file as it is."""
    status_json()
    for i, key in enumerate(lvm_keys(isolated_home)[:40]):
        answer(isolated_home, key, 3, AT + i)
    db = isolated_home / "leadcards.db"
    with sqlite3.connect(db) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'events_card'"
        ).fetchone()
    with db.open("r+b") as handle:
        handle.seek((root - 1) * page_size + 8)
        handle.write(b"\xff" * 64)
    damaged = db.read_bytes()
    for args in (["doctor"], ["doctor", "--rebuild"]):
        result = invoke(*args, code=1)
        lines = result.stdout.splitlines()
        assert lines[0].startswith("integrity: ")
        assert lines[-1] == "integrity: the file is damaged; restore a backup"
        assert db.read_bytes() == damaged


def test_doctor_rebuild_still_exits_1_for_log_rows_without_a_card(isolated_home: Path) -> None:
    status_json()
    answer(isolated_home, FOCUS, 3)
    with sqlite3.connect(isolated_home / "leadcards.db") as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(
            "INSERT INTO events (id, card_key, kind, rating, at, duration_ms, state_before) "
            "VALUES ('X', 'gone:card:front', 'answer', 3, ?, 0, 0)",
            (AT,),
        )
    result = invoke("doctor", "--rebuild", code=1)
    kept = isolated_home / "backups" / "leadcards-2026-03-02-09.00.00.db"
    assert result.stdout == (
        "integrity: 1 log rows name no card\n"
        "decks: every card has its row (1 deck)\n"
        "replay: 153 cards match their 2 log events\n"
        f"backup: the file as it was is kept in {kept}\n"
    )


def test_a_programming_error_is_a_traceback_not_a_damaged_file(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error in our own SQL is a bug: it must not be reported as damage to the file."""
    from leadcards.store import Store

    status_json()

    def broken(self: Store, key: str, at_ms: int) -> str:
        raise sqlite3.ProgrammingError("Incorrect number of bindings supplied")

    monkeypatch.setattr(Store, "suspend", broken)
    result = runner.invoke(app, ["suspend", FOCUS])
    assert isinstance(result.exception, sqlite3.ProgrammingError)
    assert "cannot be read" not in result.stderr and "doctor" not in result.stderr


def test_settings_changes_are_events_and_rebuild_the_settings_table(isolated_home: Path) -> None:
    status_json()
    invoke("config", "new_per_day", "5")
    invoke("config", "learning_steps", "2m 20m", "--deck", "lvm")
    invoke("config", "new_per_day", "--reset")
    logged = db_rows(
        isolated_home / "leadcards.db", "SELECT kind, card_key, data FROM events ORDER BY at, id"
    )
    assert [tuple(r) for r in logged] == [
        ("setting", None, '{"scope":"","key":"new_per_day","value":5}'),
        ("setting", None, '{"scope":"lvm","key":"learning_steps","value":[120,1200]}'),
        ("setting", None, '{"scope":"","key":"new_per_day","value":null}'),
    ]
    with sqlite3.connect(isolated_home / "leadcards.db") as conn:
        conn.execute("DELETE FROM settings")
        conn.execute("INSERT INTO settings VALUES ('', 'fuzz', 'false')")
    result = invoke("doctor", code=1)
    assert "settings: differ from the log; `leadcards doctor --rebuild` rewrites them" in (
        result.stdout
    )
    assert "settings: rebuilt from the log" in invoke("doctor", "--rebuild").stdout
    assert invoke("config", "learning_steps", "--deck", "lvm").stdout == (
        "learning_steps = 2m 20m  (set for lvm)\n"
    )
    assert invoke("config", "fuzz").stdout == "fuzz = on\n"
    assert invoke("doctor").stdout.startswith(
        "integrity: ok\ndecks: every card has its row (1 deck)\nreplay: "
    )


def test_exit_codes_are_pinned() -> None:
    """Scripts branch on these: success, an error, a usage error, Ctrl-C."""
    from leadcards.errors import CardNotFound, ExitStatus, StoreError

    assert [int(s) for s in ExitStatus] == [0, 1, 2, 130]
    assert (StoreError("x").exit_code, CardNotFound("k").exit_code) == (1, 2)


def test_card_changes_say_what_they_did_and_log_only_real_changes(isolated_home: Path) -> None:
    status_json()
    invoke("suspend", FOCUS)
    assert invoke("suspend", FOCUS).stdout == f"{FOCUS} is already suspended\n"
    invoke("unsuspend", FOCUS)
    assert invoke("unsuspend", FOCUS).stdout == f"{FOCUS} is not suspended: nothing to do\n"
    with open_store(isolated_home) as store:
        assert [e.kind.value for e in store.card_events(FOCUS)] == ["suspend", "unsuspend"]
        store.set_setting("leech_threshold", 1, at_ms=AT - 40 * DAY)
        store.answer(FOCUS, 4, 0, AT - 30 * DAY)
        assert store.answer(FOCUS, 1, 0, AT - 20 * DAY).became_leech
    assert invoke("forget", FOCUS).stdout == (
        f"Reset {FOCUS} to new (its history is kept); it is still a leech — "
        f"`leadcards unsuspend {FOCUS}` brings it back\n"
    )


def test_bad_numbers_and_clashing_filters_are_one_line_errors() -> None:
    result = invoke("config", "new_per_day", "-5", code=2)
    assert result.stderr == "error: new_per_day must be between 0 and 9999, not -5\n"
    result = invoke("review", "--new", "-1", code=2)
    assert result.stderr == "error: --new must be 0 or more, not -1\n"
    result = invoke("cards", "--due", "--new", code=2)
    assert result.stderr == (
        "error: --due and --new exclude each other (a new card is never due): give one\n"
    )


def test_review_help_lists_the_keys_without_framework_jargon() -> None:
    text = " ".join(invoke("review", "--help").stdout.split())
    assert "Keys: space shows the answer; 1 2 3 4 rate it Again, Hard, Good, Easy" in text
    assert "x>=" not in text and "RANGE" not in text


def test_leadcards_alone_shows_today_and_the_main_commands() -> None:
    result = invoke()
    assert result.stdout.startswith("Today")
    assert "Next card: now" in result.stdout
    assert "leadcards review     study what is due" in result.stdout


@pytest.mark.parametrize(
    ("columns", "headers"),
    [
        (60, ["deck", "new", "learning", "due", "reviewed", "total"]),
        (80, ["deck", "new", "learning", "due", "reviewed", "suspended", "leeches", "total"]),
    ],
)
def test_status_is_readable_at_60_and_80_columns(
    isolated_home: Path, columns: int, headers: list[str]
) -> None:
    """Headers whole (the columns that do not fit give way), names never squeezed out."""
    decks = isolated_home / "decks"
    decks.mkdir(parents=True)
    (decks / "mini.yaml").write_text("id: mini\nname: QI tools\ncards:\n  - {front: q, back: a}\n")
    result = runner.invoke(app, ["status"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= columns for line in lines) and "…" not in result.stdout
    assert lines[1].split() == headers
    assert lines[3].split()[:3] == ["CPHQ::Leadership", "20", "0"]
    assert lines[4].strip() == "vs Management"
    assert lines[5].split()[:3] == ["QI", "tools", "1"]
    assert lines[6].split()[:2] == ["all", "decks"] and lines[6].split()[-1] == "154"


def test_answers_stamped_later_do_not_count_for_an_earlier_day(isolated_home: Path) -> None:
    """A clock set back: answers logged two days ahead belong to that day, not to today."""
    status_json()
    keys = lvm_keys(isolated_home)
    with open_store(isolated_home) as store:
        for i, card in enumerate(keys[:60:3]):  # 20 new cards, one per note
            store.answer(card, 4, 1000, AT + 2 * DAY + i * MINUTE)
    today = status_json()["total"]
    assert (today["reviewed_today"], today["new"]) == (0, 20)
    ahead = from_ms(AT + 2 * DAY + HOUR).isoformat()  # on their own day they do count
    result = runner.invoke(app, ["status", "--json"], env={"LEADCARDS_NOW": ahead})
    later = json.loads(result.stdout)["total"]
    assert (later["reviewed_today"], later["new"]) == (20, 0)
