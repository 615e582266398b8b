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
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards import doctor
from leadcards.cli import app
from leadcards.deck.load import load_deck
from leadcards.errors import CardNotFound, UsageError
from leadcards.events import EventKind
from leadcards.scheduling import NEW_MEMORY, Memory, Scheduler
from leadcards.store import APPLICATION_ID, SCHEMA_VERSION, Store, is_leech_lapse, open_store
from leadcards.sync import sync_deck

from .conftest import AT, BUILTIN_DECK, DAY, MINUTE, basic_deck, db_rows

runner = CliRunner()

DAMAGED = (
    "is damaged (database disk image is malformed); it was left as it is — "
    "restore a backup or move it aside to start afresh"
)


@pytest.fixture
def store(tmp_path: Path, isolated_home: Path) -> Iterator[Store]:
    deck_file = tmp_path / "mini.yaml"
    deck_file.write_text(basic_deck(4))
    with open_store(isolated_home) as opened:
        sync_deck(opened, load_deck(deck_file), AT)
        yield opened


def row(store: Store, key: str) -> dict[str, Any]:
    found = db_rows(store, "SELECT * FROM cards WHERE key = ?", (key,))[0]
    return dict(found)


def all_rows(store: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in db_rows(store, "SELECT * FROM cards ORDER BY key")]


def log_count(store: Store) -> int:
    return db_rows(store, "SELECT count(*) FROM live_events")[0][0]


# a fresh file ---------------------------------------------------------------------


def test_new_database_is_marked_and_in_wal_mode(isolated_home: Path) -> None:
    with open_store(isolated_home) as store:
        conn = store._conn  # the store's own connection: its busy timeout is what counts
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {"settings", "deck_files", "cards", "events", "notes", "decks"} | {
            "stats_cover",
            "stats_days",
            "stats_retention",
            "stats_notes",
            "stats_picks",
            "note_tags",
        }
    # reopening an up-to-date file changes nothing
    db = isolated_home / "leadcards.db"
    before = db.read_bytes()
    open_store(isolated_home).close()
    assert db.read_bytes() == before


def test_an_empty_file_is_initialised(isolated_home: Path) -> None:
    isolated_home.mkdir()
    (isolated_home / "leadcards.db").touch()
    with open_store(isolated_home) as store:
        assert db_rows(store, "PRAGMA user_version")[0][0] == SCHEMA_VERSION


# answers ------------------------------------------------------------------------------


def test_answer_writes_log_row_and_state_in_one_transaction(store: Store) -> None:
    result = store.answer("mini:c00:front", 3, 4200, AT)
    assert result.before == NEW_MEMORY and result.after.reps == 1 and not result.became_leech
    # another connection sees the committed answer: log row and card state together
    other = sqlite3.connect(store.path)
    log = other.execute(
        "SELECT card_key, kind, rating, at, duration_ms, state_before, state_after, "
        "due_after, data, id FROM live_events"
    ).fetchall()
    assert log == [
        (
            "mini:c00:front",
            "answer",
            3,
            AT,
            4200,
            0,
            1,
            AT + 10 * MINUTE,
            '{"ordered":1}',  # given under the Hard < Good < Easy rule
            log[0][9],
        )
    ]
    assert len(log[0][9]) == 26  # a ULID
    state = other.execute("SELECT state, due, reps FROM cards WHERE key = 'mini:c00:front'")
    assert state.fetchone() == (1, AT + 10 * MINUTE, 1)
    other.close()
    assert store.card("mini:c00:front").memory == result.after


def test_failed_answer_leaves_nothing(store: Store) -> None:
    class Exploding(Scheduler):
        def answer(
            self, key: str, memory: Memory, rating: int, at_ms: int, *, ordered: bool = True
        ) -> Memory:
            raise RuntimeError("boom")

    before = all_rows(store)
    store._schedulers[store.settings("mini")] = Exploding(store.settings("mini"))
    with pytest.raises(RuntimeError):
        store.answer("mini:c00:front", 3, 0, AT)
    store._schedulers.clear()
    with pytest.raises(ValueError, match="rating must be 1-4, not 5"):
        store.answer("mini:c00:front", 5, 0, AT)
    with pytest.raises(CardNotFound, match="no card with key 'mini:nope:front'"):
        store.answer("mini:nope:front", 3, 0, AT)
    assert all_rows(store) == before and log_count(store) == 0
    assert not store._conn.in_transaction
    store.answer("mini:c00:front", 3, 0, AT)  # the store is still usable
    assert log_count(store) == 1


def test_negative_duration_is_stored_as_zero(store: Store) -> None:
    store.answer("mini:c00:front", 3, -50, AT)
    assert db_rows(store, "SELECT duration_ms FROM live_events")[0][0] == 0


def test_choice_and_identify_answers_record_what_was_picked(store: Store) -> None:
    store.answer("mini:c00:front", 1, 0, AT, picked="Risk-averse; seeks control")
    store.answer("mini:c01:front", 3, 0, AT)
    assert db_rows(store, "SELECT card_key, picked FROM events ORDER BY at, id") == [
        ("mini:c00:front", "Risk-averse; seeks control"),
        ("mini:c01:front", None),
    ]


def test_undo_restores_every_column_with_a_tombstone(store: Store) -> None:
    key = "mini:c00:front"
    store.answer(key, 4, 0, AT)
    store.bury(key, AT + DAY, AT)
    before = row(store, key)
    others = [r for r in all_rows(store) if r["key"] != key]
    answered = store.answer(key, 3, 0, AT + 9 * DAY)
    assert row(store, key) != before
    undone = store.undo(answered.event_id, AT + 9 * DAY)
    assert (undone.key, undone.kind, undone.rating) == (key, EventKind.ANSWER, 3)
    assert row(store, key) == before
    assert [r for r in all_rows(store) if r["key"] != key] == others
    # the answer stays in the log, named by a tombstone, so a merge cannot revive it
    assert db_rows(store, "SELECT kind, target FROM events ORDER BY at, id") == [
        ("answer", None),
        ("bury", None),
        ("answer", None),
        ("undo", answered.event_id),
    ]
    assert log_count(store) == 2
    assert store.undo(answered.event_id, AT + 9 * DAY) is None  # already undone


def test_undo_takes_back_exactly_the_named_event(store: Store) -> None:
    """Undo names an event: another session's later answer, even of the same card, stays."""
    key = "mini:c00:front"
    start = all_rows(store)
    mine = store.answer(key, 3, 0, AT)
    theirs = store.answer(key, 3, 0, AT + MINUTE)
    store.answer("mini:c01:front", 1, 0, AT + 2 * MINUTE)
    store.undo(mine.event_id, AT + 3 * MINUTE)
    assert [r[0] for r in db_rows(store, "SELECT id FROM live_events ORDER BY at, id")][:1] == [
        theirs.event_id
    ]
    # the card is what their answer alone makes of a new card
    assert store.card(key).memory == Scheduler(store.settings()).answer(
        key, NEW_MEMORY, 3, AT + MINUTE
    )
    store.undo(theirs.event_id, AT + 3 * MINUTE)
    assert row(store, key) == next(r for r in start if r["key"] == key)


def test_forget_resets_to_new_and_keeps_history(store: Store) -> None:
    key = "mini:c02:front"
    store.answer(key, 4, 0, AT)
    store.answer(key, 1, 0, AT + 8 * DAY)
    store.suspend(key, AT)
    before = row(store, key)
    forgotten = store.forget(key, AT + 9 * DAY)
    card = store.card(key)
    assert card.memory == NEW_MEMORY and card.suspended  # flags are the learner's, kept
    assert [e.kind.value for e in store.card_events(key)] == [
        "answer", "answer", "suspend", "forget"
    ]  # fmt: skip
    undone = store.undo(forgotten, AT + 9 * DAY)
    assert (undone.kind, undone.rating) == (EventKind.FORGET, None)
    assert row(store, key) == before
    with pytest.raises(CardNotFound, match="no card with key 'x'"):
        store.forget("x", AT)


def test_events_never_go_back_in_time_on_one_device(store: Store) -> None:
    """A clock set back stamps the event at the card's newest time, after it in id order,
    so replay meets the events in the order they were written."""
    key = "mini:c00:front"
    first = store.answer(key, 3, 0, AT + DAY)
    second = store.answer(key, 3, 0, AT)  # the clock went back a day
    third = store.suspend(key, AT + DAY)  # same instant as the first
    logged = db_rows(store, "SELECT id, at FROM events ORDER BY at, id")
    assert [r[0] for r in logged] == [first.event_id, second.event_id, third]
    assert [r[1] for r in logged] == [AT + DAY] * 3
    assert doctor.check(store).ok


# flags and leeches ---------------------------------------------------------------


def test_set_flag(store: Store) -> None:
    key = "mini:c03:front"
    store.suspend(key, AT)
    assert store.card(key).suspended
    store.unsuspend(key, AT)
    store.bury(key, AT + DAY, AT)
    assert store.card(key).buried_until == AT + DAY and not store.card(key).suspended
    with pytest.raises(UsageError) as exc:
        store.suspend("mini:none:front", AT)
    assert str(exc.value) == "no card with key 'mini:none:front' (see `leadcards cards` for keys)"


@pytest.mark.parametrize(
    ("threshold", "leech_at"),
    [(8, [8, 12, 16, 20]), (2, [2, 3, 4, 5]), (1, [1, 2, 3]), (5, [5, 7, 9])],
)
def test_leech_lapses_as_anki(threshold: int, leech_at: list[int]) -> None:
    marked = [n for n in range(1, leech_at[-1] + 1) if is_leech_lapse(n, threshold)]
    assert marked == leech_at


def lapse_until_leech(store: Store, key: str) -> tuple[int, dict[str, Any]]:
    """Easy, then (Again, Good) pairs: returns the time and row before the leech answer."""
    at = AT
    memory = store.answer(key, 4, 0, at).after
    while True:
        at = memory.due
        if memory.lapses + 1 >= store.settings().leech_threshold:
            return at, row(store, key)
        store.answer(key, 1, 0, at)
        memory = store.answer(key, 3, 0, at + 10 * MINUTE).after


def test_leech_at_threshold_suspends_and_undo_restores(store: Store) -> None:
    store.set_setting("leech_threshold", 3, at_ms=0)
    key = "mini:c00:front"
    at, before = lapse_until_leech(store, key)
    assert before["lapses"] == 2 and not before["suspended"] and not before["leech"]
    result = store.answer(key, 1, 0, at)
    assert result.became_leech and result.after.lapses == 3
    card = store.card(key)
    assert card.suspended and card.leech
    marks = db_rows(store, "SELECT target FROM events WHERE kind = 'leech'")
    assert marks == [(result.event_id,)]  # the mark names the answer that made it
    store.undo(result.event_id, at)
    assert row(store, key) == before  # suspended and leech cleared again
    assert db_rows(store, "SELECT count(*) FROM live_events WHERE kind = 'leech'")[0][0] == 0


def test_unsuspended_leech_stays_tagged_and_is_marked_again(store: Store) -> None:
    store.set_setting("leech_threshold", 4, at_ms=0)  # leech marks at lapses 4, 6, 8, ...
    key = "mini:c01:front"
    at, _ = lapse_until_leech(store, key)
    assert store.answer(key, 1, 0, at).became_leech
    store.unsuspend(key, AT)
    lapses = []
    for _ in range(2):
        memory = store.answer(key, 3, 0, at + 10 * MINUTE).after
        at = memory.due
        result = store.answer(key, 1, 0, at)
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
        keys = [r[0] for r in db_rows(store, "SELECT key FROM cards ORDER BY position")]
        for i, key in enumerate(keys):
            store.answer(key, 1 + i % 4, 1000, AT + i * 1000)
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
    # a page every command reads, in the middle of the file (not the header page); one
    # SQLite stops at as it checks the file, so the refusal is its own sentence
    assert roots["settings"] > 1
    with db.open("r+b") as handle:
        handle.seek((roots["settings"] - 1) * page_size)
        handle.write(b"\xa5" * page_size)
    refused(db, f"{db} {DAMAGED}")
    # doctor's job is to say what is wrong: its report, exit 1, the file untouched
    before = fingerprint(db)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert result.stdout == (
        "integrity: database disk image is malformed\n"
        "integrity: the file is damaged; restore a backup\n"
    )
    del result
    gc.collect()
    assert fingerprint(db) == before


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


def test_read_only_home_with_log_files_left_in_it(isolated_home: Path) -> None:
    """The write-ahead log and shared-memory files a crash (or another reader) left in a
    folder made read-only since: SQLite would write through them; leadcards refuses
    as it does without them."""
    db = make_real_database(isolated_home)
    holder = sqlite3.connect(db)
    holder.execute("SELECT count(*) FROM cards").fetchone()  # keeps -wal and -shm there
    try:
        assert (isolated_home / "leadcards.db-wal").exists()
        wal = fingerprint(isolated_home / "leadcards.db-wal")
        with read_only(isolated_home):
            refused(
                db,
                f"cannot open {db}: the folder is not writable or does not exist "
                "(choose another with --home or LEADCARDS_HOME)",
                ("suspend", "lvm:comparison:focus:leadership:recall"),
            )
        assert fingerprint(isolated_home / "leadcards.db-wal") == wal
    finally:
        holder.close()


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
        assert json.loads(shown.stdout)["total"]["reviewed_today"] == 153
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
    from leadcards.store import open_store
    from leadcards.workspace import Workspace

    home, deck, go, ready, part = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])
    ready.touch()
    deadline = time.monotonic() + 30
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("no go signal")
        time.sleep(0.001)
    ws = Workspace.open(home, decks=[deck])  # both create and sync the file at once
    store = ws.store
    keys = sorted(store.deck_keys(ws.deck_ids[0]))[part::2]
    at = 1772442000000 + part
    for round_ in range(3):
        for i, key in enumerate(keys):
            if i % 10 == 0:  # reopen now and then: opening contends too
                store.close()
                store = open_store(home)
            store.answer(key, 3, 100, at + round_ * 86_400_000 + i * 2)
            store.event_count()
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
    assert answered == 153 * 3
    with open_store(isolated_home) as store:
        assert log_count(store) == answered
        ids = [r[0] for r in db_rows(store, "SELECT id FROM live_events")]
        assert len(set(ids)) == answered
        per_card = db_rows(
            store,
            "SELECT min(n), max(n), count(*) FROM "
            "(SELECT count(*) AS n FROM live_events GROUP BY card_key)",
        )[0]
        assert tuple(per_card) == (3, 3, 153)
        assert db_rows(store, "SELECT count(*) FROM cards")[0][0] == 153
        assert db_rows(store, "PRAGMA integrity_check")[0][0] == "ok"
    doctor = runner.invoke(app, ["doctor"])
    assert doctor.exit_code == 0, doctor.stdout
    assert doctor.stdout == (
        "integrity: ok\n"
        "decks: every card has its row (1 deck)\n"
        "replay: 153 cards match their 459 log events\n"
    )


def damage_page_of(db: Path, name: str) -> None:
    """Overwrite the root page of table or index ``name`` with garbage."""
    with closing(sqlite3.connect(db)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,))
    with db.open("r+b") as handle:
        handle.seek((root[0] - 1) * page_size)
        handle.write(b"\xa5" * page_size)


def test_a_damaged_page_no_command_reads_is_still_refused(isolated_home: Path) -> None:
    """Damage where today's work does not look: SQLite alone would never notice, and
    answers were appended to the damaged file. Every command refuses it now, before any
    write; doctor still opens it to say what is wrong."""
    db = make_real_database(isolated_home)
    damage_page_of(db, "events_card")  # status never reads it
    tail = (
        "); it was left as it is — `leadcards doctor` says more; restore a backup or "
        "move it aside to start afresh\n"
    )
    for command in (("status",), ("cards",), ("review",), ("suspend", "lvm:x:y")):
        before = fingerprint(db)
        result = runner.invoke(app, list(command), input="\n3\nq\n")
        assert result.exit_code == 1, (command, result.stdout)
        assert result.stdout == ""
        assert result.stderr.startswith(f"error: {db} is damaged ("), result.stderr
        assert result.stderr.endswith(tail) and result.stderr.count("\n") == 1
        del result
        gc.collect()
        assert fingerprint(db) == before
    doctor = runner.invoke(app, ["doctor"])
    assert doctor.exit_code == 1
    assert doctor.stdout.splitlines()[-1] == "integrity: the file is damaged; restore a backup"


def test_the_check_runs_only_after_the_file_changed(isolated_home: Path) -> None:
    db = make_real_database(isolated_home)
    assert runner.invoke(app, ["status"]).exit_code == 0
    checked = isolated_home / "leadcards.db-checked"
    size, mtime = db.stat().st_size, db.stat().st_mtime_ns
    assert checked.read_text() == f"{size}:{mtime} -"  # no write-ahead log left open
    # Damage that keeps the size and time the file had when last seen clean is not
    # looked for: the check costs a read of the whole file, so it runs after changes.
    damage_page_of(db, "events_card")
    os.utime(db, ns=(mtime, mtime))
    unchanged = runner.invoke(app, ["status"])
    assert unchanged.exit_code == 0, unchanged.stderr
    db.touch()  # any change: a sync tool, a copy, a hand edit
    assert runner.invoke(app, ["status"]).exit_code == 1


# the times the store keeps -------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "shown"),
    [
        (-1, "1969-12-31 23:59 UTC"),
        (7_258_118_400_000, "2200-01-01 00:00 UTC"),
        (253_402_128_000_000, "9999-12-30 00:00 UTC"),
    ],
)
def test_no_time_outside_the_kept_ones_enters_the_log(
    isolated_home: Path, at: int, shown: str
) -> None:
    """The store's own guard, for every caller: such a time stops replay, export and
    display of everything logged after it."""
    with open_store(isolated_home) as store:
        deck = load_deck(BUILTIN_DECK)
        sync_deck(store, deck, AT)
        key = deck.cards[0].key
        store.suspend(key, AT)
        writes = {
            "answer": lambda: store.answer(key, 3, 1000, at),
            "suspend": lambda: store.suspend(key, at),
            "unsuspend": lambda: store.unsuspend(key, at),
            "forget": lambda: store.forget(key, at),
            "bury": lambda: store.bury(key, AT + DAY, at),
            "bury until": lambda: store.bury(key, at, AT),
            "setting": lambda: store.set_setting("new_per_day", 5, at_ms=at),
        }
        for name, write in writes.items():
            with pytest.raises(UsageError) as refused:
                write()
            assert str(refused.value) == (
                f"the time {shown} is outside the times leadcards keeps "
                "(1970-01-01 to 2200-01-01 UTC); nothing was stored"
            ), name
        assert db_rows(store, "SELECT kind FROM events") == [("suspend",)]
        assert store.card(key).suspended and store.cached_settings() == {}
