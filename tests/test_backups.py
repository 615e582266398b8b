"""Backups: thinned as Anki thins its own, taken after a sitting at most every 30
minutes and before a rebuild, a migration or a restore; `backup` and `restore`."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from leadcards import backups
from leadcards.cli import app
from leadcards.store import open_store
from leadcards.store.backup import take_backup

from .conftest import FIXTURES, db_execute, db_rows

runner = CliRunner()


def invoke(*args: str, code: int = 0, env: dict[str, str] | None = None) -> Any:
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def local_ms(when: datetime) -> int:
    return int(when.astimezone().timestamp() * 1000)


def fake(day: date, hour: int = 12) -> backups.Backup:
    taken = datetime(day.year, day.month, day.day, hour)
    return backups.Backup(Path(taken.strftime(backups.PATTERN) + ".db"), taken, 1)


def test_a_year_of_daily_backups_is_thinned_to_33() -> None:
    """A backup every day for a year before Friday 2026-03-20: today's and yesterday's
    stay, then 12 days, then the newest of 10 weeks (their Sundays), then of 9 months
    (their last days)."""
    today = date(2026, 3, 20)
    every = [fake(today - timedelta(days=n)) for n in range(366)]
    gone = {b.taken.date() for b in backups.obsolete(every, local_ms(datetime(2026, 3, 20, 18)))}
    kept = sorted({b.taken.date() for b in every} - gone, reverse=True)
    days = [date(2026, 3, d) for d in range(20, 6, -1)]  # grace, then 12 days
    sundays = [date(2026, 3, 1)] + [date(2026, 3, 1) - timedelta(weeks=w) for w in range(1, 10)]
    month_ends = [
        date(2025, 11, 30),
        date(2025, 10, 31),
        date(2025, 9, 30),
        date(2025, 8, 31),
        date(2025, 7, 31),
        date(2025, 6, 30),
        date(2025, 5, 31),
        date(2025, 4, 30),
        date(2025, 3, 31),
    ]
    assert sundays[-1] == date(2025, 12, 28)
    assert kept == days + sundays + month_ends
    assert len(kept) == 33


def test_of_one_day_the_newest_stays_and_today_keeps_all() -> None:
    now = local_ms(datetime(2026, 3, 20, 18))
    today = [fake(date(2026, 3, 20), h) for h in (9, 10, 17)]
    older = [fake(date(2026, 3, 10), h) for h in (8, 20)]
    gone = backups.obsolete(today + older, now)
    assert [b.taken for b in gone] == [datetime(2026, 3, 10, 8)]


def test_an_automatic_backup_is_due_every_30_minutes() -> None:
    newest = [fake(date(2026, 3, 20), 12)]
    noon = local_ms(datetime(2026, 3, 20, 12))
    assert backups.due([], noon)
    assert not backups.due(newest, noon + 29 * 60_000)
    assert backups.due(newest, noon + 30 * 60_000)
    assert backups.due(newest, noon - 60_000)  # the clock was set back


def test_names_never_overwrite_and_other_files_are_left_alone(isolated_home: Path) -> None:
    invoke("status")
    database = isolated_home / "leadcards.db"
    at = local_ms(datetime(2026, 3, 2, 9))
    first, second = take_backup(database, at), take_backup(database, at)
    assert (first.name, second.name) == (
        "leadcards-2026-03-02-09.00.00.db",
        "leadcards-2026-03-02-09.00.00-2.db",
    )
    (backups.folder(isolated_home) / "notes.txt").write_text("mine")
    assert [b.path for b in backups.listing(isolated_home)] == [second, first]
    assert (backups.folder(isolated_home) / "notes.txt").read_text() == "mine"


def test_a_sitting_with_answers_backs_up_at_most_every_30_minutes(isolated_home: Path) -> None:
    answer_two = "\n3\n\n3\nq\n"
    invoke("review", "--limit", "2", env={"LEADCARDS_NOW": "2026-03-02T09:00:00+00:00"})
    assert backups.listing(isolated_home) == []  # no input, so no answer: no backup
    result = runner.invoke(app, ["review", "--limit", "2"], input=answer_two)
    assert result.exit_code == 0, result.stderr
    assert len(backups.listing(isolated_home)) == 1
    later = {"LEADCARDS_NOW": "2026-03-02T09:20:00+00:00"}
    assert (
        runner.invoke(app, ["review", "--limit", "1"], input="\n3\nq\n", env=later).exit_code == 0
    )
    assert len(backups.listing(isolated_home)) == 1
    latest = {"LEADCARDS_NOW": "2026-03-02T09:31:00+00:00"}
    assert (
        runner.invoke(app, ["review", "--limit", "1"], input="\n3\nq\n", env=latest).exit_code == 0
    )
    kept = backups.listing(isolated_home)
    assert len(kept) == 2
    assert db_rows(kept[0].path, "SELECT count(*) FROM live_events WHERE kind = 'answer'") == [(4,)]


def test_backup_to_a_path_and_list(isolated_home: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["review", "--limit", "1"], input="\n3\nq\n")
    copy = tmp_path / "copy.db"
    assert "Backed up to" in invoke("backup", str(copy)).stdout
    assert db_rows(copy, "SELECT count(*) FROM events") == [(1,)]
    refused = invoke("backup", str(copy), code=2)
    assert refused.stderr == f"error: {copy} already exists; use --force to overwrite it\n"
    invoke("backup", str(copy), "--force")
    listed = invoke("backup", "--list").stdout.splitlines()
    assert listed[0] == f"In {isolated_home / 'backups'}, newest first:"
    assert len(listed) == 2 and listed[1].startswith("  2026-03-02 ")
    assert listed[1].endswith("leadcards-2026-03-02-" + listed[1][13:21].replace(":", ".") + ".db")
    assert len(listed[1]) <= 70  # fits 80 columns with a "-2" suffix to spare


def test_restore_goes_back_and_keeps_the_file_as_it_was(
    isolated_home: Path, tmp_path: Path
) -> None:
    runner.invoke(app, ["review", "--limit", "1"], input="\n3\nq\n")
    copy = tmp_path / "one-answer.db"
    invoke("backup", str(copy))
    later = {"LEADCARDS_NOW": "2026-03-02T10:00:00+00:00"}
    runner.invoke(app, ["review", "--limit", "2"], input="\n3\n\n3\nq\n", env=later)
    database = isolated_home / "leadcards.db"
    assert db_rows(database, "SELECT count(*) FROM events") == [(3,)]
    before = len(backups.listing(isolated_home))
    out = invoke("restore", str(copy), env=later).stdout
    assert out.startswith(f"Restored {copy} (1 log events).\n")
    assert db_rows(database, "SELECT count(*) FROM events") == [(1,)]
    kept = backups.listing(isolated_home)
    assert len(kept) == before + 1
    assert db_rows(kept[0].path, "SELECT count(*) FROM events") == [(3,)]
    assert invoke("doctor").stdout.rstrip().endswith("cards match their 1 log events")


def test_restore_refuses_what_is_no_leadcards_database(isolated_home: Path, tmp_path: Path) -> None:
    invoke("status")
    database = isolated_home / "leadcards.db"
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    foreign = tmp_path / "other.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    newer = tmp_path / "newer.db"
    shutil.copy(database, newer)
    db_execute(newer, "PRAGMA user_version = 99")
    expected = {
        text: f"error: {text} is not a leadcards database (not an SQLite file)\n",
        foreign: f"error: {foreign} is an SQLite database but not a leadcards one\n",
        newer: f"error: {newer} was written by a newer leadcards (schema 99; this version "
        "knows up to 6)\n",
        tmp_path / "missing.db": f"error: {tmp_path / 'missing.db'} is not a file\n",
    }
    for path, line in expected.items():
        result = invoke("restore", str(path), code=1 if path.exists() else 2)
        assert result.stderr == line
    cut = tmp_path / "cut.db"  # a copy a sync tool had not finished
    whole = database.read_bytes()
    cut.write_bytes(whole[: len(whole) // 2])
    damaged = invoke("restore", str(cut), code=1).stderr
    assert damaged.startswith(f"error: {cut} ") and damaged.count("\n") == 1
    assert backups.listing(isolated_home) == []  # nothing was backed up, nothing replaced
    assert db_rows(database, "PRAGMA user_version") == [(6,)]


def test_a_rebuild_and_a_migration_back_up_first(isolated_home: Path, tmp_path: Path) -> None:
    invoke("status")
    assert "backup: the file as it was is kept in " in invoke("doctor", "--rebuild").stdout
    assert len(backups.listing(isolated_home)) == 1
    home = tmp_path / "old"
    home.mkdir()
    shutil.copy(FIXTURES / "v3" / "leadcards.db", home / "leadcards.db")
    with open_store(home):
        pass
    kept = backups.listing(home)
    assert len(kept) == 1
    assert db_rows(kept[0].path, "PRAGMA user_version") == [(3,)]


def test_a_killed_backups_leftover_is_swept_after_an_hour(isolated_home: Path) -> None:
    import os
    import time

    invoke("status")
    where = backups.folder(isolated_home)
    where.mkdir()
    old, fresh = where / "leadcards-2026-03-01-08.00.00.db.part", where / "x.db.part"
    old.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    invoke("backup")
    assert not old.exists()
    assert fresh.exists()  # perhaps another terminal's backup, still running
    assert len(backups.listing(isolated_home)) == 1


def test_restore_of_a_backup_thinning_would_drop(isolated_home: Path) -> None:
    """Two backups of one day, days ago: thinning keeps only the newer, but the learner
    chose the older from the list; taking the safety copy must not delete it."""
    runner.invoke(app, ["review", "--limit", "1"], input="\n3\nq\n")
    database = isolated_home / "leadcards.db"
    where = backups.folder(isolated_home)
    older, newer = (
        where / "leadcards-2026-02-25-10.00.00.db",
        where / "leadcards-2026-02-25-12.00.00.db",
    )
    take = take_backup(database, local_ms(datetime(2026, 2, 25, 9)))
    take.rename(older)
    shutil.copy(older, newer)
    out = invoke("restore", str(older)).stdout
    assert out.startswith(f"Restored {older} (1 log events).")
    assert older.exists()


def test_restore_into_a_new_data_folder(tmp_path: Path, isolated_home: Path) -> None:
    runner.invoke(app, ["review", "--limit", "1"], input="\n3\nq\n")
    copy = tmp_path / "carried.db"
    invoke("backup", str(copy))
    fresh = tmp_path / "new-machine"
    out = invoke("restore", str(copy), "--home", str(fresh)).stdout
    assert out == f"Restored {copy} (1 log events).\n"
    assert db_rows(fresh / "leadcards.db", "SELECT count(*) FROM events") == [(1,)]


def test_a_refused_merge_takes_no_backup(isolated_home: Path, tmp_path: Path) -> None:
    invoke("status")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert invoke("merge", str(text), code=1).stderr.startswith("error: ")
    assert backups.listing(isolated_home) == []
