"""Opening the SQLite file safely, and saying in one sentence what is wrong with it.

A file we did not create is never written to; a newer schema is refused; a damaged,
read-only, full or busy file becomes a ``StoreError``. Programming errors (wrong SQL,
a broken constraint) are not the file's fault and stay exceptions.

SQLite notices a damaged page only when it reads it, and a command reads few pages: a
file damaged where today's work does not look would still be written to. So a file
that changed since leadcards last saw it (a sync tool, a copy, a disk error, a hand
edit) gets ``PRAGMA quick_check`` before use; its size and time after each clean use
are kept in ``leadcards.db-checked`` beside it, so the check runs only after such a
change, never on every command.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import TypeGuard

from leadcards.errors import StoreError

APPLICATION_ID = 0x4C434453  # "LCDS": marks a file as a leadcards database
SCHEMA_VERSION = 6  # store/migrations.py has a step for each version before this one
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000

# Errors about the file (damaged, read-only, full, locked) rather than our SQL.
# IntegrityError and ProgrammingError subclass DatabaseError, so they are let through first.
CODE_ERRORS = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)
FILE_ERRORS = (sqlite3.OperationalError, sqlite3.DatabaseError)


def is_file_error(exc: BaseException) -> TypeGuard[sqlite3.Error]:
    """Damaged, read-only, full or busy: the file's fault, to be said in one sentence."""
    return isinstance(exc, FILE_ERRORS) and not isinstance(exc, CODE_ERRORS)


def explain(path: Path, exc: sqlite3.Error) -> StoreError:
    message = str(exc)
    if "readonly" in message or "read-only" in message:
        return StoreError(
            f"cannot write to {path}: it or its folder is read-only "
            "(choose a writable folder with --home or LEADCARDS_HOME)"
        )
    if "unable to open" in message:
        return StoreError(
            f"cannot open {path}: the folder is not writable or does not exist "
            "(choose another with --home or LEADCARDS_HOME)"
        )
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return StoreError(
            f"{path} is damaged ({message}); it was left as it is — "
            "restore a backup or move it aside to start afresh"
        )
    if "locked" in message or "busy" in message:
        return StoreError(f"{path} is busy in another leadcards process; try again")
    return StoreError(f"database error in {path}: {message}")


def checked_path(path: Path) -> Path:
    return path.with_name(path.name + "-checked")


def fingerprint(path: Path) -> str:
    """The database and its write-ahead log as the file system sees them."""
    parts = []
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            stat = part.stat()
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return " ".join(parts)


def remember_clean(path: Path) -> None:
    """Note the file as sound as it is now; without a writable folder, check each time."""
    target = checked_path(path)
    temp = target.with_name(target.name + ".tmp")
    try:
        temp.write_text(fingerprint(path))
        temp.replace(target)
    except OSError:
        pass


def verify(conn: sqlite3.Connection, path: Path, seen: str) -> None:
    """Refuse a file with a damaged page, checking only when it changed since last seen.
    ``seen`` is its fingerprint from before it was opened: opening starts a log file."""
    try:
        if checked_path(path).read_text() == seen:
            return
    except OSError:
        pass
    found = [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)")]
    if found != ["ok"]:
        first = " ".join(found[0].replace("***", " ").split())  # SQLite's spans lines
        raise StoreError(
            f"{path} is damaged ({first}); it was left as it is — "
            "`leadcards doctor` says more; restore a backup or move it aside to start afresh"
        )
    remember_clean(path)


def connect(path: Path, *, check: bool = True) -> sqlite3.Connection:
    """An open connection to a vetted file, migrated to ``SCHEMA_VERSION``; ``check``
    refuses a damaged one (doctor opens it without, to say what is wrong)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the data folder {path.parent}: {exc.strerror} "
            "(choose a writable folder with --home or LEADCARDS_HOME)"
        ) from None
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        require_sqlite_header(path)
        if not os.access(path.parent, os.W_OK | os.X_OK):
            # SQLite needs the folder for its log files, and would still write through
            # ones a crash left there: refuse alike whether or not they exist.
            raise explain(path, sqlite3.OperationalError("unable to open database file"))
    seen = fingerprint(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise explain(path, exc) from None
    conn.row_factory = sqlite3.Row
    try:
        version = _check(conn, path, existed)
        if version < SCHEMA_VERSION:
            # imported only here: an up-to-date file (every day but one) never needs it
            from leadcards.store.migrations import migrate

            if existed and version > 0:
                _backup_before_migration(path)
            migrate(conn, version)
        if check:
            verify(conn, path, seen)
    except BaseException as exc:
        conn.close()
        if is_file_error(exc):
            raise explain(path, exc) from None
        raise
    return conn


def _backup_before_migration(path: Path) -> None:
    """A copy of the file as the older release left it, before any step changes it."""
    from leadcards.clock import now, to_ms
    from leadcards.store.backup import take_backup

    take_backup(path, to_ms(now()))


UNTOUCHED = "; it was left untouched — move it aside or use --home"


def require_sqlite_header(path: Path, *, advice: str = UNTOUCHED) -> None:
    """Refuse, in one line ending in ``advice``, a file that is not an SQLite database."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from None
    if header != SQLITE_MAGIC:
        raise StoreError(f"{path} is not a leadcards database (not an SQLite file){advice}")


def _check(conn: sqlite3.Connection, path: Path, existed: bool) -> int:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if existed and app_id != APPLICATION_ID:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables or version:
            raise StoreError(
                f"{path} is an SQLite database but not a leadcards one; "
                "it was left untouched — move it aside or use --home"
            )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer leadcards (schema {version}; this version "
            f"knows up to {SCHEMA_VERSION}); upgrade leadcards to use it"
        )
    _use_wal(conn)
    # FULL: each answer's commit reaches the disk before the next card shows, so a power
    # cut loses nothing acknowledged either, as in Anki (which syncs once per answer too).
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return version


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. Switching a new file needs it alone for a moment, and SQLite does not
    wait for that (no busy handler): a second process opening the file at that instant
    made it fail at once with "database is locked". Retry within the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(0.002)
