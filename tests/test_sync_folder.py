"""`sync DIR`: each device writes only its own journal in a shared folder and reads the
others'; a line a sync tool has not finished copying waits for the next sync."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards import journal
from leadcards.cli import app
from leadcards.store import open_store

from .conftest import db_rows

runner = CliRunner()
STATE = "key, state, step, stability, difficulty, due, last_review, reps, lapses, suspended"


def at(home: Path, *args: str, now: str = "2026-03-02T09:00:00+00:00", inp: str = "") -> Any:
    result = runner.invoke(
        app, list(args), input=inp, env={"LEADCARDS_HOME": str(home), "LEADCARDS_NOW": now}
    )
    assert result.exit_code in (0, 1, 2), result.exception
    return result


def cards(home: Path) -> list[Any]:
    return db_rows(home / "leadcards.db", f"SELECT {STATE} FROM cards ORDER BY key")


def journal_of(home: Path, folder: Path) -> Path:
    return folder / f"{(home / 'device-id').read_text().strip()}.jsonl"


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path, Path]:
    a, b, folder = tmp_path / "a", tmp_path / "b", tmp_path / "shared"
    folder.mkdir()
    at(a, "review", "--limit", "2", inp="\n3\n\n1\nq\n")
    at(b, "review", "--limit", "2", inp="\n4\n\n3\nq\n", now="2026-03-02T08:00:00+00:00")
    return a, b, folder


def test_two_devices_through_one_folder_agree(two: tuple[Path, Path, Path]) -> None:
    a, b, folder = two
    first = at(a, "sync", str(folder)).stdout
    assert first.startswith(f"Sent 2 events to {journal_of(a, folder)}; took 0 events.\n")
    second = at(b, "sync", str(folder)).stdout
    assert second.startswith(f"Sent 2 events to {journal_of(b, folder)}; took 2 events.\n")
    assert at(a, "sync", str(folder)).stdout.startswith("Sent 0 events to")
    assert cards(a) == cards(b)
    again = at(b, "sync", str(folder)).stdout
    assert again.startswith(f"Sent 0 events to {journal_of(b, folder)}; took 0 events.\n")
    # each device wrote only its own journal: its own four-per-two answers, no echo
    for home in (a, b):
        lines = journal_of(home, folder).read_text().splitlines()
        logged = db_rows(home / "leadcards.db", "SELECT count(*) FROM events")[0][0]
        assert len(lines) == 2 and logged == 4
    assert at(a, "doctor").stdout.rstrip().endswith("cards match their 4 log events")


def test_a_line_still_being_copied_waits_for_the_next_sync(two: tuple[Path, Path, Path]) -> None:
    a, b, folder = two
    at(b, "sync", str(folder))
    whole = journal_of(b, folder).read_text()
    journal_of(b, folder).write_text(whole[: len(whole) - 20])  # the copy is under way
    out = at(a, "sync", str(folder)).stdout
    assert "; took 1 event.\n" in out
    assert f"still being copied: the last line of {journal_of(b, folder).name}.\n" in out
    journal_of(b, folder).write_text(whole)  # the sync tool finished
    assert "took 1 event." in at(a, "sync", str(folder)).stdout
    at(b, "sync", str(folder))
    assert cards(a) == cards(b)


def test_a_journal_cut_by_a_crash_here_is_mended_and_sent_again(
    two: tuple[Path, Path, Path],
) -> None:
    a, _, folder = two
    at(a, "sync", str(folder))
    own = journal_of(a, folder)
    text = own.read_text()
    own.write_text(text[: len(text) - 10])  # the process died mid-write
    at(a, "review", "--limit", "1", inp="\n3\nq\n", now="2026-03-02T11:00:00+00:00")
    assert at(a, "sync", str(folder)).stdout.startswith(f"Sent 2 events to {own}")
    lines = own.read_text().splitlines()
    assert len(lines) == 3 and own.read_text().endswith("\n")
    assert len({json.loads(line)["id"] for line in lines}) == 3


def test_bad_journals_are_refused_in_one_line(two: tuple[Path, Path, Path]) -> None:
    a, _, folder = two
    before = cards(a)
    (folder / "notes.txt").write_text("not a journal, left alone")
    (folder / "photos.jsonl").write_text("{}\n")  # not a device's name: left alone
    bad = folder / "0123456789ab.jsonl"
    good = json.loads(
        journal.line_of(
            (
                "01KJPWF1705MV6H57C1TT7PF3P",
                1772442000000,
                "answer",
                "lvm:x:front",
                3,
                1,
                None,
                None,
                None,
                0,
                1,
                1772442600000,
                2.3,
                5.0,
            )
        )
    )
    cases = {
        "oops\n": f"error: {bad}:1: not a leadcards journal line (not JSON)\n",
        '{"id": 1}\n': f"error: {bad}:1: not a leadcards journal line (its fields are not an event's)\n",
        json.dumps({**good, "id": "nope"})
        + "\n": f"error: {bad}:1: the event id 'nope' is not a leadcards id\n",
        json.dumps({**good, "rating": 9})
        + "\n": f"error: {bad}:1: has rating 9; answers are rated 1 to 4\n",
    }
    for text, line in cases.items():
        bad.write_text(text)
        result = at(a, "sync", str(folder))
        assert (result.exit_code, result.stderr) == (1, line)
        assert cards(a) == before
    bad.unlink()
    missing = at(a, "sync", str(folder / "nowhere"))
    assert (missing.exit_code, missing.stderr) == (
        2,
        f"error: {folder / 'nowhere'} is not a folder\n",
    )
    assert (folder / "notes.txt").read_text() == "not a journal, left alone"


def test_review_syncs_through_the_devices_folder_at_start_and_end(
    two: tuple[Path, Path, Path],
) -> None:
    a, b, folder = two
    assert at(a, "config", "sync_dir").stdout == "sync_dir = none\n"
    set_here = at(a, "config", "sync_dir", str(folder))
    assert set_here.stdout == f"sync_dir = {folder.resolve()}\n"
    assert (
        f"sync_dir = {folder.resolve()}    # this device's shared folder" in at(a, "config").stdout
    )
    assert (a / "sync-dir").exists()  # beside the database: never in the shared log
    at(b, "sync", str(folder))  # b's two answers wait in its journal
    later = "2026-03-02T12:00:00+00:00"
    result = at(a, "review", "--limit", "1", inp="\n3\nq\n", now=later)
    assert result.exit_code == 0
    # start: took b's 2, sent a's 2; end: sent the new answer
    assert result.stderr.splitlines() == [
        f"synced through {folder.resolve()}: sent 2, took 2 events",
        f"synced through {folder.resolve()}: sent 1, took 0 events",
    ]
    at(b, "sync", str(folder))
    assert cards(a) == cards(b)
    assert at(a, "config", "sync_dir", "--reset").stdout == "sync_dir = none\n"
    refused = at(a, "config", "sync_dir", str(folder / "nowhere"))
    assert (refused.exit_code, refused.stderr) == (
        2,
        f"error: {folder / 'nowhere'} is not a folder\n",
    )


def test_a_missing_shared_folder_never_stops_a_review(two: tuple[Path, Path, Path]) -> None:
    a, _, folder = two
    gone = folder / "usb-stick"
    gone.mkdir()
    at(a, "config", "sync_dir", str(gone))
    gone.rmdir()
    result = at(a, "review", "--limit", "1", inp="\n3\nq\n", now="2026-03-02T12:00:00+00:00")
    assert result.exit_code == 0
    assert result.stderr.startswith(f"warning: not synced through {gone.resolve()}: ")
    assert db_rows(a / "leadcards.db", "SELECT count(*) FROM events")[0][0] == 3


def test_a_sync_reads_on_from_where_the_last_one_stopped(two: tuple[Path, Path, Path]) -> None:
    """Journals only grow: a million lines were read whole at every review (9 s)."""
    a, b, folder = two
    at(a, "sync", str(folder))
    at(b, "sync", str(folder))
    state = json.loads((b / journal.STATE).read_text())
    assert state["folder"] == str(folder.resolve())
    assert state["journals"][journal_of(a, folder).name][0] == journal_of(a, folder).stat().st_size
    # a line of a's journal that b has read already is no longer looked at: spoiled
    # in place (same length), it goes unnoticed, while a new answer of a is taken
    text = journal_of(a, folder).read_text()
    first = json.loads(text.splitlines()[0])
    spoiled = text.replace(first["id"], "0" * 26, 1)
    journal_of(a, folder).write_text(spoiled)
    at(a, "review", "--limit", "1", inp="\n3\nq\n", now="2026-03-02T11:00:00+00:00")
    assert "Sent 1 event" in at(a, "sync", str(folder)).stdout
    assert "; took 1 event.\n" in at(b, "sync", str(folder)).stdout
    assert cards(a) == cards(b)


def test_a_database_restored_from_an_older_backup_reads_everything_again(
    two: tuple[Path, Path, Path],
) -> None:
    a, b, folder = two
    at(b, "sync", str(folder))
    taken = at(a, "sync", str(folder)).stdout
    assert "; took 2 events.\n" in taken
    backup = taken.split("Backup taken first: ")[1].strip()  # a's file before it took them
    assert at(a, "restore", backup).stdout.startswith(f"Restored {backup} (2 log events).\n")
    # the journals were read to their ends, but this log no longer has the row it had
    # reached then: b's events are taken again
    assert "; took 2 events.\n" in at(a, "sync", str(folder)).stdout
    at(b, "sync", str(folder))
    assert cards(a) == cards(b)


def test_a_bad_line_added_after_a_sync_is_named_by_its_line(
    two: tuple[Path, Path, Path],
) -> None:
    a, b, folder = two
    at(b, "sync", str(folder))
    at(a, "sync", str(folder))
    with journal_of(b, folder).open("a") as out:
        out.write("not json\n")
    refused = at(a, "sync", str(folder))
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"error: {journal_of(b, folder)}:3: not a leadcards journal line (not JSON)\n"
    )


def test_an_answer_logged_by_another_terminal_during_a_sync_goes_out_next_time(
    two: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log's last row is taken before its new rows are read: an answer another
    terminal logs in between lies beyond the mark kept, so the next sync sends it."""
    a, _, folder = two
    at(a, "sync", str(folder))
    store = open_store(a)
    try:
        card = db_rows(a / "leadcards.db", "SELECT key FROM cards WHERE state = 0 LIMIT 1")[0][0]
        reading = store.event_rows

        def meanwhile(after: int = 0, through: int | None = None) -> list[Any]:
            store.answer(card, 3, 2000, 1772442000000 + 3_600_000)  # the other terminal
            monkeypatch.setattr(store, "event_rows", reading)
            return reading(after, through)

        at(a, "review", "--limit", "1", inp="\n3\nq\n", now="2026-03-02T10:00:00+00:00")
        monkeypatch.setattr(store, "event_rows", meanwhile)
        first = journal.exchange(store, a, folder, 1772442000000 + 4_000_000)
        assert first.sent == 1  # the review's answer; the other one came after the mark
        assert journal.exchange(store, a, folder, 1772442000000 + 5_000_000).sent == 1
    finally:
        store.close()
    ids = [json.loads(line)["id"] for line in journal_of(a, folder).read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 4


def test_an_event_in_two_journals_is_taken_once(two: tuple[Path, Path, Path]) -> None:
    """A device that merged another's file sends those events again in its own journal:
    a third device meets them twice."""
    a, b, folder = two
    at(b, "sync", str(folder))
    copy = folder / "0123456789ab.jsonl"  # another device's journal holding the same lines
    copy.write_text(journal_of(b, folder).read_text())
    out = at(a, "sync", str(folder)).stdout
    assert "; took 2 events.\n" in out
    assert db_rows(a / "leadcards.db", "SELECT count(*) FROM events")[0][0] == 4


@pytest.mark.parametrize(
    "state",
    [
        "garbage{",
        '{"folder": 1}',
        '{"folder": "FOLDER", "seq": "x", "id": null, "journals": []}',
        '{"folder": "FOLDER", "seq": 2, "id": "nope", "journals": {"a.jsonl": [99, "h"]}}',
    ],
)
def test_a_spoiled_sync_state_costs_a_whole_read_and_nothing_else(
    two: tuple[Path, Path, Path], state: str
) -> None:
    a, b, folder = two
    at(b, "sync", str(folder))
    at(a, "sync", str(folder))
    (a / journal.STATE).write_text(state.replace("FOLDER", str(folder.resolve())))
    out = at(a, "sync", str(folder))
    assert out.exit_code == 0 and out.stdout.startswith("Sent 0 events to")
    assert "; took 0 events.\n" in out.stdout  # every event read again, none new
    assert json.loads((a / journal.STATE).read_text())["folder"] == str(folder.resolve())
    at(b, "sync", str(folder))
    assert cards(a) == cards(b)
