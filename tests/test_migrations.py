"""Numbered migrations, each opened from a file the previous release wrote.

``fixtures/v1/leadcards.db`` was written by the schema-1 release (``fixtures/v1/deck.yaml``
synced, 60 days of answers with fuzz drawn, a forget, a suspension and its reversal, a
leech, a bury, settings overrides, and two answers of one card in one millisecond with
an undo between them). Migrating it must keep every card exactly as it was — due dates
to the millisecond, floats to the bit — and the log alone must give them back.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from leadcards import doctor
from leadcards.events import EventKind
from leadcards.store import SCHEMA_VERSION, open_store

from .conftest import FIXTURES, db_rows

V1 = FIXTURES / "v1" / "leadcards.db"
CARD_COLUMNS = (
    "key, deck_id, note_id, template, content_hash, position, state, step, stability, "
    "difficulty, due, last_review, reps, lapses, suspended, leech, buried_until, removed, "
    "added_at"
)


@pytest.fixture
def v1_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(V1, home / "leadcards.db")
    return home


def cards(db: Path) -> list[tuple[object, ...]]:
    return [tuple(r) for r in db_rows(db, f"SELECT {CARD_COLUMNS} FROM cards ORDER BY key")]


def test_the_fixture_is_a_schema_1_file() -> None:
    with sqlite3.connect(V1) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 56


def test_a_v1_file_migrates_with_every_card_unchanged(v1_home: Path) -> None:
    db = v1_home / "leadcards.db"
    before = cards(db)
    with open_store(v1_home) as store:
        assert db_rows(store, "PRAGMA user_version")[0][0] == SCHEMA_VERSION == 2
        assert cards(db) == before
        report = doctor.check(store)
    assert report.ok, report.lines
    assert report.lines == ["integrity: ok", "replay: 6 cards match their 62 log events"]


def test_migrated_events_hold_the_flags_and_settings(v1_home: Path) -> None:
    with open_store(v1_home) as store:
        kinds = [e.kind for e in store.events()]
        assert {k: kinds.count(k) for k in set(kinds)} == {
            EventKind.SETTING: 3,
            EventKind.ANSWER: 55,
            EventKind.FORGET: 1,
            EventKind.LEECH: 2,
            EventKind.BURY: 1,
        }
        flags = [
            (e.kind.value, e.card_key) for e in store.events() if e.kind is not EventKind.ANSWER
        ]
    assert flags[:3] == [("setting", None)] * 3  # in force from the start, as v1 replayed
    assert sorted(flags[3:]) == [
        ("bury", "mig:vision:reverse"),
        ("forget", "mig:planning:front"),
        ("leech", "mig:planning:front"),
        ("leech", "mig:risk:c2"),
    ]


def test_the_log_alone_rebuilds_the_migrated_cards(v1_home: Path) -> None:
    """Wipe every cached record; a rebuild from the migrated log restores each exactly."""
    db = v1_home / "leadcards.db"
    before = cards(db)
    open_store(v1_home).close()
    with sqlite3.connect(db) as raw:
        raw.execute(
            "UPDATE cards SET state = 0, step = NULL, stability = NULL, difficulty = NULL, "
            "due = NULL, last_review = NULL, reps = 0, lapses = 0, suspended = 0, leech = 0, "
            "buried_until = NULL"
        )
    with open_store(v1_home) as store:
        assert not doctor.check(store).ok
        assert doctor.check(store, rebuild=True).ok
    assert cards(db) == before


def test_pinned_due_dates_survive_the_migration(v1_home: Path) -> None:
    """Literal due dates and flags the v1 release gave these cards: a change here would
    reschedule every existing learner."""
    with open_store(v1_home) as store:
        got = {
            key: (store.card(key).memory.due, store.card(key).memory.reps, store.card(key).leech)
            for key in ("mig:vision:forward", "mig:risk:c1", "mig:risk:c2", "mig:focus:choice")
        }
    assert got == {
        "mig:vision:forward": (1782032400000, 2, False),
        "mig:risk:c1": (1794301200000, 7, False),
        "mig:risk:c2": (1773220200000, 17, True),
        "mig:focus:choice": (1781427600000, 2, False),
    }


def test_opening_a_migrated_file_again_changes_nothing(v1_home: Path) -> None:
    db = v1_home / "leadcards.db"
    open_store(v1_home).close()
    first = db.read_bytes()
    open_store(v1_home).close()
    assert db.read_bytes() == first


def test_rows_of_one_millisecond_keep_their_v1_order(tmp_path: Path) -> None:
    """Version 1 replayed by ``seq``; where one card's rows share a millisecond and their
    random ids sort the other way, the migration reorders the ids to keep that order."""
    from leadcards.store.migrations import migrate

    db = tmp_path / "home" / "leadcards.db"
    db.parent.mkdir()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.row_factory = sqlite3.Row
    migrate(conn, 0, target=1)
    conn.execute(
        "INSERT INTO cards (key, deck_id, note_id, template, content_hash, position, added_at) "
        "VALUES ('d:n:front', 'd', 'n', 'front', 'h', 1, 0)"
    )
    at = 1_772_442_000_000
    for seq, (event_id, kind, rating) in enumerate(
        [("01KZZZZZZZZZZZZZZZZZZZZZZZ", "answer", 3), ("01KAAAAAAAAAAAAAAAAAAAAAAA", "forget", 0)]
    ):
        conn.execute(
            "INSERT INTO reviews (seq, id, card_key, kind, rating, reviewed_at, duration_ms, "
            "state_before, state_after, before) VALUES (?, ?, 'd:n:front', ?, ?, ?, 0, 0, 0, '{}')",
            (seq + 1, event_id, kind, rating, at),
        )
    conn.close()
    with open_store(db.parent) as store:
        events = [(e.kind.value, e.at) for e in store.events()]
        assert events == [("answer", at), ("forget", at)]
        ids = [e.id for e in store.events()]
        assert ids[0] == "01KZZZZZZZZZZZZZZZZZZZZZZZ" and ids[1] > ids[0]


def test_every_v1_row_is_copied_with_its_facts(v1_home: Path) -> None:
    columns = "id, card_key, kind, rating, duration_ms, state_before, state_after, due_after, "
    columns += "stability_after, difficulty_after"
    old = [tuple(r) for r in db_rows(V1, f"SELECT {columns} FROM reviews ORDER BY seq")]
    with open_store(v1_home) as store:
        new = db_rows(store, f"SELECT {columns} FROM events WHERE kind IN ('answer', 'forget')")
    by_id = {r[0]: tuple(r) for r in new}
    for row in old:
        if row[2] == "forget":  # a forget keeps no answer columns
            row = (*row[:3], *(None,) * 7)
        copied = by_id.get(row[0]) or next(r for r in new if r[1:] == row[1:])
        assert tuple(copied)[1:] == row[1:]
    assert len(new) == len(old) == 56
