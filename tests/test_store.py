"""store.py against a real SQLite file: answers, undo, forget, flags, leeches, refusals of
files it must not touch (each one line, non-zero exit, file byte-for-byte unchanged),
and two processes answering at once."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.clock import to_ms
from leadcards.deck.load import load_deck
from leadcards.errors import StoreError, UsageError
from leadcards.scheduling import NEW_MEMORY, Memory, Scheduler
from leadcards.store import APPLICATION_ID, SCHEMA_VERSION, Store, is_leech_lapse, open_store
from leadcards.sync import sync_deck

from .conftest import BUILTIN_DECK

runner = CliRunner()

AT = to_ms(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
MINUTE = 60_000
DAY = 86_400_000
DAMAGED = (
    "is damaged (database disk image is malformed); it was left as it is — "
    "restore a backup or move it aside to start afresh"
)


def basic_deck(n: int, deck_id: str = "mini") -> str:
    lines = [f"id: {deck_id}", f"name: {deck_id.title()} deck", "cards:"]
    for i in range(n):
        lines += [f"  - id: c{i:02d}", f"    front: Question {i}", f"    back: Answer {i}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def store(tmp_path: Path, isolated_home: Path) -> Iterator[Store]:
    deck_file = tmp_path / "mini.yaml"
    deck_file.write_text(basic_deck(4))
    with open_store(isolated_home) as opened:
        sync_deck(opened, load_deck(deck_file), AT)
        yield opened


def row(store: Store, key: str) -> dict[str, Any]:
    found = store.conn.execute("SELECT * FROM cards WHERE key = ?", (key,)).fetchone()
    return dict(found)


def all_rows(store: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in store.conn.execute("SELECT * FROM cards ORDER BY key")]


def log_count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]


def scheduler(store: Store) -> Scheduler:
    return Scheduler(store.settings())


# a fresh file ---------------------------------------------------------------------


def test_new_database_is_marked_and_in_wal_mode(isolated_home: Path) -> None:
    with open_store(isolated_home) as store:
        conn = store.conn
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {"settings", "deck_files", "cards", "reviews"}
    # reopening an up-to-date file changes nothing
    db = isolated_home / "leadcards.db"
    before = db.read_bytes()
    open_store(isolated_home).close()
    assert db.read_bytes() == before


def test_an_empty_file_is_initialised(isolated_home: Path) -> None:
    isolated_home.mkdir()
    (isolated_home / "leadcards.db").touch()
    with open_store(isolated_home) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


# answers ------------------------------------------------------------------------------


def test_answer_writes_log_row_and_state_in_one_transaction(store: Store) -> None:
    result = store.answer("mini:c00:front", 3, 4200, AT, scheduler(store))
    assert result.before == NEW_MEMORY and result.after.reps == 1 and not result.became_leech
    # another connection sees the committed answer: log row and card state together
    other = sqlite3.connect(store.path)
    log = other.execute(
        "SELECT card_key, kind, rating, reviewed_at, duration_ms, state_before, state_after, "
        "due_after, id FROM reviews"
    ).fetchall()
    assert log == [("mini:c00:front", "answer", 3, AT, 4200, 0, 1, AT + 10 * MINUTE, log[0][8])]
    assert len(log[0][8]) == 26  # a ULID
    state = other.execute("SELECT state, due, reps FROM cards WHERE key = 'mini:c00:front'")
    assert state.fetchone() == (1, AT + 10 * MINUTE, 1)
    other.close()
    assert store.card("mini:c00:front").memory == result.after


def test_failed_answer_leaves_nothing(store: Store) -> None:
    class Exploding(Scheduler):
        def answer(self, key: str, memory: Memory, rating: int, at_ms: int) -> Memory:
            raise RuntimeError("boom")

    before = all_rows(store)
    with pytest.raises(RuntimeError):
        store.answer("mini:c00:front", 3, 0, AT, Exploding(store.settings()))
    with pytest.raises(ValueError, match="rating must be 1-4, not 5"):
        store.answer("mini:c00:front", 5, 0, AT, scheduler(store))
    with pytest.raises(StoreError, match="card 'mini:nope:front' is not in the database"):
        store.answer("mini:nope:front", 3, 0, AT, scheduler(store))
    assert all_rows(store) == before and log_count(store) == 0
    assert not store.conn.in_transaction
    store.answer("mini:c00:front", 3, 0, AT, scheduler(store))  # the store is still usable
    assert log_count(store) == 1


def test_negative_duration_is_stored_as_zero(store: Store) -> None:
    store.answer("mini:c00:front", 3, -50, AT, scheduler(store))
    assert store.conn.execute("SELECT duration_ms FROM reviews").fetchone()[0] == 0


def test_log_before_column_holds_the_whole_row(store: Store) -> None:
    store.set_flag("mini:c01:front", "buried_until", AT + DAY)
    before = row(store, "mini:c01:front")
    store.answer("mini:c01:front", 4, 0, AT, scheduler(store))
    logged = json.loads(store.conn.execute("SELECT before FROM reviews").fetchone()[0])
    assert logged == {k: before[k] for k in logged}
    assert set(logged) == {
        "state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses",
        "suspended", "leech", "buried_until",
    }  # fmt: skip


# undo ----------------------------------------------------------------------------


def test_undo_restores_every_column(store: Store) -> None:
    s = scheduler(store)
    key = "mini:c00:front"
    store.answer(key, 4, 0, AT, s)
    store.set_flag(key, "buried_until", AT + DAY)
    before = row(store, key)
    others = [r for r in all_rows(store) if r["key"] != key]
    store.answer(key, 3, 0, AT + 9 * DAY, s)
    assert row(store, key) != before
    undone = store.undo()
    assert (undone.key, undone.kind, undone.rating) == (key, "answer", 3)
    assert row(store, key) == before
    assert [r for r in all_rows(store) if r["key"] != key] == others
    assert log_count(store) == 1


def test_undo_takes_back_newest_first_across_cards(store: Store) -> None:
    s = scheduler(store)
    start = all_rows(store)
    store.answer("mini:c00:front", 3, 0, AT, s)
    middle = all_rows(store)
    store.answer("mini:c01:front", 1, 0, AT + MINUTE, s)
    assert store.undo().key == "mini:c01:front"
    assert all_rows(store) == middle
    assert store.undo().key == "mini:c00:front"
    assert all_rows(store) == start
    assert store.undo() is None and log_count(store) == 0


def test_undo_with_expected_key_refuses_another_cards_answer(store: Store) -> None:
    s = scheduler(store)
    store.answer("mini:c00:front", 3, 0, AT, s)
    store.answer("mini:c01:front", 3, 0, AT + 1, s)
    snapshot = all_rows(store)
    assert store.undo(expect_key="mini:c00:front") is None
    assert all_rows(store) == snapshot and log_count(store) == 2
    assert store.undo(expect_key="mini:c01:front") is not None


def test_forget_resets_to_new_and_keeps_history(store: Store) -> None:
    s = scheduler(store)
    key = "mini:c02:front"
    store.answer(key, 4, 0, AT, s)
    store.answer(key, 1, 0, AT + 8 * DAY, s)
    store.set_flag(key, "suspended", 1)
    before = row(store, key)
    store.forget(key, AT + 9 * DAY)
    card = store.card(key)
    assert card.memory == NEW_MEMORY and card.suspended  # flags are the learner's, kept
    assert [e[0] for e in store.log_events(key)[key]] == ["answer", "answer", "forget"]
    assert s.replay(key, store.log_events(key)[key]) == NEW_MEMORY
    undone = store.undo()
    assert (undone.kind, undone.rating) == ("forget", 0)
    assert row(store, key) == before
    with pytest.raises(StoreError, match="card 'x' is not in the database"):
        store.forget("x", AT)


# flags and leeches ---------------------------------------------------------------


def test_set_flag(store: Store) -> None:
    key = "mini:c03:front"
    store.set_flag(key, "suspended", 1)
    assert store.card(key).suspended
    store.set_flag(key, "suspended", 0)
    store.set_flag(key, "buried_until", AT + DAY)
    assert store.card(key).buried_until == AT + DAY and not store.card(key).suspended
    with pytest.raises(ValueError):
        store.set_flag(key, "stability", 1)
    with pytest.raises(UsageError) as exc:
        store.set_flag("mini:none:front", "suspended", 1)
    assert str(exc.value) == "no card with key 'mini:none:front' (see `leadcards cards` for keys)"


@pytest.mark.parametrize(
    ("threshold", "leech_at"),
    [(8, [8, 12, 16, 20]), (2, [2, 3, 4, 5]), (1, [1, 2, 3]), (5, [5, 7, 9])],
)
def test_leech_lapses_as_anki(threshold: int, leech_at: list[int]) -> None:
    marked = [n for n in range(1, leech_at[-1] + 1) if is_leech_lapse(n, threshold)]
    assert marked == leech_at


def lapse_until_leech(store: Store, key: str, s: Scheduler) -> tuple[int, dict[str, Any]]:
    """Easy, then (Again, Good) pairs: returns the time and row before the leech answer."""
    at = AT
    memory = store.answer(key, 4, 0, at, s).after
    while True:
        at = memory.due
        if memory.lapses + 1 >= s.settings.leech_threshold:
            return at, row(store, key)
        store.answer(key, 1, 0, at, s)
        memory = store.answer(key, 3, 0, at + 10 * MINUTE, s).after


def test_leech_at_threshold_suspends_and_undo_restores(store: Store) -> None:
    store.set_setting("leech_threshold", 3)
    s = scheduler(store)
    key = "mini:c00:front"
    at, before = lapse_until_leech(store, key, s)
    assert before["lapses"] == 2 and not before["suspended"] and not before["leech"]
    result = store.answer(key, 1, 0, at, s)
    assert result.became_leech and result.after.lapses == 3
    card = store.card(key)
    assert card.suspended and card.leech
    store.undo()
    assert row(store, key) == before  # suspended and leech cleared again


def test_unsuspended_leech_stays_tagged_and_is_marked_again(store: Store) -> None:
    store.set_setting("leech_threshold", 4)  # leech marks at lapses 4, 6, 8, ...
    s = scheduler(store)
    key = "mini:c01:front"
    at, _ = lapse_until_leech(store, key, s)
    assert store.answer(key, 1, 0, at, s).became_leech
    store.set_flag(key, "suspended", 0)
    lapses = []
    for _ in range(2):
        memory = store.answer(key, 3, 0, at + 10 * MINUTE, s).after
        at = memory.due
        result = store.answer(key, 1, 0, at, s)
        card = store.card(key)
        lapses.append((result.after.lapses, result.became_leech, card.suspended, card.leech))
    # the fifth lapse is no mark: the card stays unsuspended but keeps its leech tag
    assert lapses == [(5, False, False, True), (6, True, True, True)]


# refusals -------------------------------------------------------------------------


def fingerprint(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime_ns, stat.st_size


def make_real_database(home: Path) -> Path:
    """A leadcards file with the built-in deck synced and some answers."""
    assert runner.invoke(app, ["status"]).exit_code == 0
    with open_store(home) as store:
        s = scheduler(store)
        keys = [r[0] for r in store.conn.execute("SELECT key FROM cards ORDER BY position")]
        for i, key in enumerate(keys):
            store.answer(key, 1 + i % 4, 1000, AT + i * 1000, s)
    db = home / "leadcards.db"
    assert not (home / "leadcards.db-wal").exists()
    return db


def refused(db: Path, message: str, command: tuple[str, ...] = ("status",)) -> None:
    before = fingerprint(db)
    listing = sorted(p.name for p in db.parent.iterdir())
    result = runner.invoke(app, list(command))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert result.stderr == f"error: {message}\n"
    assert result.stdout == ""
    assert fingerprint(db) == before
    # the kept exception holds the last statement, so SQLite closes the file only now
    del result
    gc.collect()
    assert fingerprint(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == listing


def test_refuses_a_newer_schema(isolated_home: Path) -> None:
    db = make_real_database(isolated_home)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    message = (
        f"{db} was written by a newer leadcards (schema 99; this version knows up to "
        f"{SCHEMA_VERSION}); upgrade leadcards to use it"
    )
    refused(db, message)
    refused(db, message, ("doctor",))
    refused(db, message, ("config", "fuzz", "off"))


def test_refuses_a_text_file(isolated_home: Path) -> None:
    isolated_home.mkdir()
    db = isolated_home / "leadcards.db"
    db.write_text("my shopping list\neggs\n")
    message = (
        f"{db} is not a leadcards database (not an SQLite file); it was left untouched — "
        "move it aside or use --home"
    )
    refused(db, message)
    refused(db, message, ("suspend", "lvm:comparison:focus:leadership:recall"))


def test_refuses_another_programs_sqlite_database(isolated_home: Path) -> None:
    isolated_home.mkdir()
    db = isolated_home / "leadcards.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('keep me')")
    conn.commit()
    conn.close()
    message = (
        f"{db} is an SQLite database but not a leadcards one; it was left untouched — "
        "move it aside or use --home"
    )
    refused(db, message)
    refused(db, message, ("doctor",))


def test_refuses_a_damaged_page(isolated_home: Path) -> None:
    db = make_real_database(isolated_home)
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    roots = dict(conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'"))
    conn.close()
    assert roots["cards"] > 1  # a page in the middle of the file, not the header page
    with db.open("r+b") as handle:
        handle.seek((roots["cards"] - 1) * page_size)
        handle.write(b"\xa5" * page_size)
    refused(db, f"{db} {DAMAGED}")
    refused(db, f"{db} {DAMAGED}", ("doctor",))


def test_refuses_a_truncated_file(isolated_home: Path) -> None:
    db = make_real_database(isolated_home)
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.truncate(size // 2)
    refused(db, f"{db} {DAMAGED}")


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` unwritable even for root: chattr +i, else chmod when not root."""
    reason = "chattr is not installed"
    if shutil.which("chattr"):
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode == 0:
            try:
                yield
            finally:
                subprocess.run(["chattr", "-i", str(path)], check=True)
            return
        reason = f"chattr +i failed: {done.stderr.strip()}"
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    pytest.skip(
        f"cannot make {path} read-only: running as root, so chmod has no effect, and {reason}"
    )


def test_read_only_home_with_a_database(isolated_home: Path) -> None:
    db = make_real_database(isolated_home)
    message = (
        f"cannot open {db}: the folder is not writable or does not exist "
        "(choose another with --home or LEADCARDS_HOME)"
    )
    with read_only(isolated_home):
        refused(db, message)
        refused(db, message, ("suspend", "lvm:comparison:focus:leadership:recall"))


def test_read_only_empty_home(isolated_home: Path) -> None:
    isolated_home.mkdir()
    with read_only(isolated_home):
        result = runner.invoke(app, ["status"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot open {isolated_home / 'leadcards.db'}: the folder is not writable or "
        "does not exist (choose another with --home or LEADCARDS_HOME)\n"
    )
    assert list(isolated_home.iterdir()) == []


def test_read_only_database_file_can_be_read_not_written(isolated_home: Path) -> None:
    db = make_real_database(isolated_home)
    key = "lvm:comparison:focus:leadership:recall"
    with read_only(db):
        before = fingerprint(db)
        shown = runner.invoke(app, ["status", "--json"])
        assert shown.exit_code == 0, shown.stderr
        assert json.loads(shown.stdout)["total"]["reviewed_today"] == 142
        result = runner.invoke(app, ["suspend", key])
        assert result.exit_code == 1
        assert result.stderr == (
            f"error: cannot write to {db}: it or its folder is read-only "
            "(choose a writable folder with --home or LEADCARDS_HOME)\n"
        )
        assert fingerprint(db) == before


def test_home_inside_a_regular_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder\n")
    before = fingerprint(blocker)
    home = blocker / "leadcards"
    monkeypatch.setenv("LEADCARDS_HOME", str(home))
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot create the data folder {home}: Not a directory "
        "(choose a writable folder with --home or LEADCARDS_HOME)\n"
    )
    assert fingerprint(blocker) == before
    # --home says the same
    other = runner.invoke(app, ["status", "--home", str(home)])
    assert other.exit_code == 1 and other.stderr == result.stderr


# two processes -------------------------------------------------------------------

WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from leadcards.scheduling import Scheduler
    from leadcards.store import open_store
    from leadcards.workspace import open_with_decks

    home, deck, go, ready, part = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])
    ready.touch()
    deadline = time.monotonic() + 30
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("no go signal")
        time.sleep(0.001)
    store, decks = open_with_decks(home, [deck])  # both create and sync the file at once
    keys = [c.key for c in decks[0].cards][part::2]
    at = 1772442000000 + part
    for round_ in range(3):
        for i, key in enumerate(keys):
            if i % 10 == 0:  # reopen now and then: opening contends too
                store.close()
                store = open_store(home)
                scheduler = Scheduler(store.settings())
            store.answer(key, 3, 100, at + round_ * 86_400_000 + i * 2, scheduler)
            store.conn.execute("SELECT count(*) FROM reviews").fetchone()
    store.close()
    print(len(keys) * 3)
    """
)


def test_two_processes_answer_at_once(isolated_home: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    procs = []
    for part in (0, 1):
        ready = tmp_path / f"ready-{part}"
        procs.append(
            (
                ready,
                subprocess.Popen(
                    [sys.executable, "-c", WORKER, str(isolated_home), str(BUILTIN_DECK),
                     str(go), str(ready), str(part)],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while not all(ready.exists() for ready, _ in procs) and time.monotonic() < deadline:
        time.sleep(0.005)
    go.touch()
    answered = 0
    for _, proc in procs:
        out, err = proc.communicate(timeout=120)
        assert "locked" not in err and "busy" not in err, err
        assert proc.returncode == 0, err
        answered += int(out)
    assert answered == 142 * 3
    with open_store(isolated_home) as store:
        assert log_count(store) == answered
        ids = [r[0] for r in store.conn.execute("SELECT id FROM reviews")]
        assert len(set(ids)) == answered
        per_card = store.conn.execute(
            "SELECT min(n), max(n), count(*) FROM "
            "(SELECT count(*) AS n FROM reviews GROUP BY card_key)"
        ).fetchone()
        assert tuple(per_card) == (3, 3, 142)
        assert store.conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 142
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    doctor = runner.invoke(app, ["doctor"])
    assert doctor.exit_code == 0, doctor.stdout
    assert doctor.stdout == ("integrity: ok\nreplay: 142 cards match their 426 log rows\n")
