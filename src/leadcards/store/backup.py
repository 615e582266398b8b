"""Whole-file copies of a database, both ways, through SQLite's online backup.

SQLite copies the pages itself under a read transaction, so a copy is consistent even
while a review writes to the file, and restoring writes into the live file through
SQLite too: its log files stay consistent with what it holds, which replacing the file
on disk would not guarantee.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from leadcards.errors import StoreError
from leadcards.file_replace import replace_file
from leadcards.store.connection import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    explain,
    is_file_error,
    require_sqlite_header,
)


def copy_database(source: Path, target: Path) -> None:
    """Write a copy of ``source`` to ``target``, whole or not at all (a half-written
    copy is never left under the name)."""
    partial = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")  # one file, nothing beside it
            finally:
                dst.close()
        finally:
            src.close()
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        replace_file(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"cannot write the backup {target}: {exc.strerror}") from None
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        if is_file_error(exc):
            raise explain(source, exc) from None
        raise
    except BaseException:  # Ctrl-C, termination: no half copy left behind
        partial.unlink(missing_ok=True)
        raise


def vet_backup(path: Path) -> int:
    """The schema version of a file that may be restored; one line of why not, else."""
    require_sqlite_header(path, advice="")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            sound = [row[0] for row in conn.execute("PRAGMA quick_check(1)")] == ["ok"]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{path} cannot be read as a database ({exc})") from None
    if app_id != APPLICATION_ID:
        raise StoreError(f"{path} is an SQLite database but not a leadcards one")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer leadcards (schema {version}; this version "
            f"knows up to {SCHEMA_VERSION})"
        )
    if not sound:
        raise StoreError(f"{path} is damaged; choose another backup")
    return version


def restore_database(backup: Path, live: Path) -> None:
    """Make ``live`` hold what ``backup`` holds, in one transaction of SQLite's."""
    vet_backup(backup)
    try:
        src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(live, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        if is_file_error(exc):
            raise explain(live, exc) from None
        raise


def take_backup(database: Path, now_ms: int, *, keep: Path | None = None) -> Path:
    """A backup of ``database`` now, in the backups folder beside it; then old ones are
    thinned (``backups.obsolete``), all but ``keep``: the file a restore or a merge is
    about to read, which the learner chose from the list and which must be there."""
    from leadcards import backups
    from leadcards.paths import sweep_stale

    home = database.parent
    sweep_stale("*.part", backups.folder(home))  # what a killed backup left
    target = backups.new_path(home, now_ms)
    copy_database(database, target)
    spared = keep.resolve() if keep is not None else None
    for old in backups.obsolete(backups.listing(home), now_ms):
        if old.path.resolve() != spared:
            old.path.unlink(missing_ok=True)
    return target


def automatic_backup(database: Path, now_ms: int) -> Path | None:
    """``take_backup`` if none was taken in the last 30 minutes, else None."""
    from leadcards import backups

    if not database.exists() or not backups.due(backups.listing(database.parent), now_ms):
        return None
    return take_backup(database, now_ms)
