"""Numbered migrations, each opened from a file the previous release wrote.

``fixtures/v1/leadcards.db`` was written by the schema-1 release (``fixtures/v1/deck.yaml``
synced, 60 days of answers with fuzz drawn, a forget, a suspension and its reversal, a
leech, a bury, settings overrides, and two answers of one card in one millisecond with
an undo between them). Migrating it must keep every card exactly as it was — due dates
to the millisecond, floats to the bit — and the log alone must give them back.

``fixtures/v3/leadcards.db`` was written by the schema-3 release (``fixtures/v3/deck.yaml``
and the built-in deck, 9 answers over two days, a deck setting, a suspension; deck file
paths replaced as in v2). Version 4 adds the `practice` event kind and an index.

``fixtures/v4/leadcards.db`` was written by the schema-4 release (``fixtures/v4/deck.yaml``
and the built-in deck, 13 answers over two days, a practice answer, a pick, an undo, a
deck setting, a suspension; deck file paths replaced as in v2). Version 5 adds the
tallies ``stats`` keeps, empty until the first ``stats``.

``fixtures/v2/leadcards.db`` was written by the schema-2 release (``fixtures/v2/deck.yaml``
and the built-in deck synced from the data folder, 13 answers over two days, a deck
setting, a suspension); its deck files' paths were then replaced by placeholders, which
each test points at its own copies. Version 3 keeps the decks' text, which a migration
cannot parse: the next sync must read every file again, unchanged or not.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from leadcards import doctor, paths
from leadcards.deck.load import load_deck
from leadcards.events import EventKind
from leadcards.store import SCHEMA_VERSION, open_store
from leadcards.sync import sync_files
from leadcards.texts import stored_card, stored_deck
from leadcards.workspace import Workspace

from .conftest import AT, FIXTURES, db_execute, db_rows

V1 = FIXTURES / "v1" / "leadcards.db"
V2 = FIXTURES / "v2" / "leadcards.db"
V3 = FIXTURES / "v3" / "leadcards.db"
V4 = FIXTURES / "v4" / "leadcards.db"
V5 = FIXTURES / "v5" / "leadcards.db"
BUILTIN = "leadership-vs-management.yaml"
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
        assert db_rows(store, "PRAGMA user_version")[0][0] == SCHEMA_VERSION == 6
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


# version 2 → 3: the decks' text ---------------------------------------------------------


@pytest.fixture
def v2_home(tmp_path: Path) -> Path:
    """The v2 file in a data folder holding its deck, both files as they were when it
    was written: unchanged since their last sync, by size and time."""
    home = tmp_path / "home"
    (home / "decks").mkdir(parents=True)
    deck = home / "decks" / "deck.yaml"
    shutil.copy(FIXTURES / "v2" / "deck.yaml", deck)
    shutil.copy(V2, home / "leadcards.db")
    for deck_id, path in (("mig2", deck), ("lvm", paths.builtin_decks_dir() / BUILTIN)):
        stat = path.stat()
        db_execute(
            home / "leadcards.db",
            "UPDATE deck_files SET path = ?, size = ?, mtime_ns = ? WHERE deck_id = ?",
            (str(path.resolve()), stat.st_size, stat.st_mtime_ns, deck_id),
        )
    return home


def test_the_fixture_is_a_schema_2_file() -> None:
    with sqlite3.connect(V2) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 15
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "notes" not in tables
        assert [r[0] for r in conn.execute("SELECT deck_id FROM deck_files ORDER BY 1")] == [
            "lvm",
            "mig2",
        ]


def test_a_v2_file_migrates_and_the_next_sync_stores_every_cards_text(v2_home: Path) -> None:
    db = v2_home / "leadcards.db"
    before = cards(db)
    with open_store(v2_home) as store:
        assert db_rows(store, "PRAGMA user_version")[0][0] == SCHEMA_VERSION == 6
        assert cards(db) == before
        assert db_rows(store, "SELECT count(*) FROM notes")[0][0] == 0
        # both files are unchanged, yet the next sync reads them: it has no text of them
        report = sync_files(store, [Path(f) for f in store.deck_files()], AT)
        assert sorted(p.name for p in report.parsed) == ["deck.yaml", BUILTIN]
        assert (report.added, report.changed, report.removed) == (0, 0, 0)
    mine = load_deck(v2_home / "decks" / "deck.yaml")
    with Workspace.open(v2_home) as ws:  # as any command: nothing left to read
        store = ws.store
        assert sync_files(store, [Path(f) for f in store.deck_files()], AT).parsed == []
        for deck in (mine, load_deck(paths.builtin_decks_dir() / BUILTIN)):
            assert all(stored_card(store, card.key) == card for card in deck.cards)
        stored = stored_deck(store, "mig2", mine.path)
        assert stored is not None and stored.notes == mine.notes
        assert (stored.name, stored.description) == ("Migration deck 2", mine.description)
        assert doctor.check(store).lines[-1] == "replay: 171 cards match their 15 log events"
    assert [r for r in cards(db) if r[1] == "mig2"] == [r for r in before if r[1] == "mig2"]


def test_a_migrated_v2_file_shows_its_cards_text(v2_home: Path, monkeypatch) -> None:
    """The first command after the upgrade reads the decks; the next ones show their
    cards without parsing."""
    import json

    from typer.testing import CliRunner

    from leadcards.cli import app

    monkeypatch.setenv("LEADCARDS_HOME", str(v2_home))
    runner = CliRunner()
    assert runner.invoke(app, ["status"]).exit_code == 0
    monkeypatch.setattr("leadcards.deck.load.parse_deck", _no_parse)
    shown = runner.invoke(app, ["cards", "mig2:planning:front", "--json"])
    assert shown.exit_code == 0, shown.stderr
    detail = json.loads(shown.stdout)
    assert (detail["question"], detail["answer"], detail["extra"]) == (
        "Setting policies and procedures",
        "Planning",
        "A management function.",
    )
    assert [h["rating"] for h in detail["history"]] == [2, 3, 1]  # its answers, kept


def _no_parse(*args: object) -> None:
    raise AssertionError("an unchanged deck was parsed")


# version 3 → 4: practice events, and an index to count a deck's cards ----------------


def placed_home(tmp_path: Path, version: int) -> Path:
    """A data folder holding ``fixtures/vN``'s file, its deck file ``deck.yaml`` (deck
    ``migN``) and the built-in deck where its placeholder paths say."""
    home = tmp_path / "home"
    (home / "decks").mkdir(parents=True)
    deck = home / "decks" / "deck.yaml"
    shutil.copy(FIXTURES / f"v{version}" / "deck.yaml", deck)
    shutil.copy(FIXTURES / f"v{version}" / "leadcards.db", home / "leadcards.db")
    for deck_id, path in (
        (f"mig{version}", deck),
        ("lvm", paths.builtin_decks_dir() / BUILTIN),
    ):
        stat = path.stat()
        db_execute(
            home / "leadcards.db",
            "UPDATE deck_files SET path = ?, size = ?, mtime_ns = ? WHERE deck_id = ?",
            (str(path.resolve()), stat.st_size, stat.st_mtime_ns, deck_id),
        )
    return home


@pytest.fixture
def v3_home(tmp_path: Path) -> Path:
    return placed_home(tmp_path, 3)


def test_the_fixture_is_a_schema_3_file() -> None:
    with sqlite3.connect(V3) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 11
        assert conn.execute("SELECT count(*) FROM notes WHERE deck_id = 'mig3'").fetchone()[0]
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "cards_suspended" not in indexes


def test_a_v3_file_migrates_with_its_cards_and_counts_them_by_index(
    v3_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from leadcards.cli import app

    db = v3_home / "leadcards.db"
    before = cards(db)
    with open_store(v3_home) as store:
        assert db_rows(store, "PRAGMA user_version")[0][0] == SCHEMA_VERSION == 6
        assert cards(db) == before
        indexes = {
            r[0] for r in db_rows(store, "SELECT name FROM sqlite_master WHERE type='index'")
        }
        assert {"cards_removed", "cards_suspended", "cards_leech"} <= indexes
        assert store.deck_totals("mig3") == (18, 1, 0)
        assert doctor.check(store).lines[-1] == "replay: 171 cards match their 11 log events"
    monkeypatch.setenv("LEADCARDS_HOME", str(v3_home))
    monkeypatch.setenv("LEADCARDS_NOW", "2026-03-02T09:00:00+00:00")
    shown = CliRunner().invoke(app, ["status", "--json"])
    assert shown.exit_code == 0, shown.stderr
    mine = next(d for d in json.loads(shown.stdout)["decks"] if d["id"] == "mig3")
    assert (mine["total"], mine["suspended"], mine["leeches"]) == (18, 1, 0)


# version 4 → 5: the tallies `stats` keeps ---------------------------------------------


@pytest.fixture
def v4_home(tmp_path: Path) -> Path:
    return placed_home(tmp_path, 4)


def test_the_fixture_is_a_schema_4_file() -> None:
    with sqlite3.connect(V4) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
        kinds = dict(conn.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
        assert kinds == {"answer": 13, "practice": 1, "setting": 1, "suspend": 1, "undo": 1}
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "stats_cover" not in tables


def test_a_v4_file_migrates_and_stats_keeps_its_past_days(
    v4_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from leadcards.cli import app

    db = v4_home / "leadcards.db"
    before = cards(db)
    with open_store(v4_home) as store:
        assert db_rows(store, "PRAGMA user_version")[0][0] == SCHEMA_VERSION == 6
        assert cards(db) == before
        assert db_rows(store, "SELECT count(*) FROM stats_cover") == [(0,)]
        assert doctor.check(store).lines[-1] == "replay: 171 cards match their 17 log events"
    monkeypatch.setenv("LEADCARDS_HOME", str(v4_home))
    monkeypatch.setenv("LEADCARDS_NOW", "2026-03-02T09:00:00+00:00")
    monkeypatch.setenv("TZ", "UTC")
    shown = CliRunner().invoke(app, ["stats", "mig4", "--json"])
    assert shown.exit_code == 0, shown.stderr
    figures = json.loads(shown.stdout)
    # 28 Feb: 5 answers and one Again; 1 Mar: 5 answers, one undone, a practice, a pick
    assert [(d["date"], d["answers"], d["practice"]) for d in figures["days"]] == [
        ("2026-02-28", 6, 0),
        ("2026-03-01", 7, 1),
    ]
    assert db_rows(db, "SELECT deck_id, day, answers FROM stats_days ORDER BY day") == [
        ("mig4", 739675, 6),
        ("mig4", 739676, 7),
    ]
    again = CliRunner().invoke(app, ["stats", "mig4", "--json"])
    assert json.loads(again.stdout) == figures


# version 5 → 6: notes' tags as rows, first reviews kept per note ------------------------


@pytest.fixture
def v5_home(tmp_path: Path) -> Path:
    return placed_home(tmp_path, 5)


def test_the_fixture_is_a_schema_5_file() -> None:
    with sqlite3.connect(V5) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
        assert conn.execute("SELECT count(*) FROM stats_cards").fetchone()[0] == 7
        assert conn.execute("SELECT count(*) FROM events WHERE kind = 'answer'").fetchone() == (38,)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "note_tags" not in tables


def tags_of(db: Path, note: str) -> list[tuple[str, int]]:
    return [
        (r[0], r[1])
        for r in db_rows(
            db,
            "SELECT tag, from_table FROM note_tags WHERE deck_id = 'mig5' AND note_id = ? "
            "ORDER BY tag",
            (note,),
        )
    ]


def test_a_v5_file_migrates_its_tags_and_stats_tallies_them_per_note(
    v5_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from leadcards.cli import app

    db = v5_home / "leadcards.db"
    before = cards(db)
    with open_store(v5_home) as store:
        assert db_rows(store, "PRAGMA user_version")[0][0] == SCHEMA_VERSION == 6
        assert cards(db) == before
        tables = {r[0] for r in db_rows(store, "SELECT name FROM sqlite_master WHERE type='table'")}
        assert "stats_cards" not in tables
        assert db_rows(store, "SELECT count(*) FROM stats_cover") == [(0,)]
        assert doctor.check(store).lines[-1] == "replay: 171 cards match their 38 log events"
    # the tags the notes already held: a table cell's own three are marked
    assert tags_of(db, "styles:focus:management") == [
        ("quality", 0),
        ("styles::focus", 1),
        ("styles::management", 1),
        ("table::styles", 1),
    ]
    assert tags_of(db, "vision") == [("leadership", 0), ("quality", 0)]
    assert db_rows(
        db, "SELECT from_table, count(*) FROM note_tags WHERE deck_id = 'lvm' GROUP BY 1"
    ) == [(0, 322), (1, 96)]

    monkeypatch.setenv("LEADCARDS_HOME", str(v5_home))
    monkeypatch.setenv("LEADCARDS_NOW", "2026-03-02T09:00:00+00:00")
    monkeypatch.setenv("TZ", "UTC")
    shown = CliRunner().invoke(app, ["stats", "mig5", "--json"])
    assert shown.exit_code == 0, shown.stderr
    weak = json.loads(shown.stdout)["weak_spots"]
    # the same figures the schema-5 release showed from its per-card tallies
    assert [(g["id"], g["first_reviews"], g["retention"]) for g in weak["table"]] == [
        ("mig5:styles", 8, 0.75)
    ]
    assert [(g["id"], g["cards"], g["first_reviews"], g["retention"]) for g in weak["tag"]] == [
        ("quality", 18, 8, 0.75),
        ("leadership", 2, 0, None),
    ]
    assert weak["cell"][0]["id"] == "mig5:styles:focus:management"
    assert (weak["cell"][0]["first_reviews"], weak["cell"][0]["retention"]) == (2, 0.5)
    assert db_rows(db, "SELECT count(*), sum(passed), sum(failed) FROM stats_notes") == [(4, 6, 2)]

    # later writes of a note keep its tags: an edit, and a note taken out of the deck
    deck = v5_home / "decks" / "deck.yaml"
    text = deck.read_text().replace("tags: [leadership]", "tags: [leadership, vision]")
    deck.write_text(text.replace("  - id: planning\n", "  - id: planned\n"))
    assert CliRunner().invoke(app, ["status"]).exit_code == 0
    assert tags_of(db, "vision") == [("leadership", 0), ("quality", 0), ("vision", 0)]
    assert tags_of(db, "planning") == []
    assert tags_of(db, "planned") == [("quality", 0)]
