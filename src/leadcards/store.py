"""The SQLite file: the review log (the truth), the card cache, settings, synced decks.

Each write is one ``BEGIN IMMEDIATE`` transaction, so an answer is either wholly
stored (log row and card state) or not at all, and two terminals on one file wait
for each other instead of failing. Anything wrong with the file becomes a
``StoreError`` with one sentence; a file we did not create is never written to.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from leadcards.errors import StoreError
from leadcards.ids import ulid
from leadcards.scheduling import MEMORY_FIELDS, Memory, Scheduler
from leadcards.settings import DEFAULTS, Settings, from_stored

SCHEMA_VERSION = 1
APPLICATION_ID = 0x4C434453  # "LCDS": marks a file as a leadcards database
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000

MEMORY_COLUMNS = MEMORY_FIELDS
FLAG_COLUMNS = ("suspended", "leech", "buried_until")
STATE_COLUMNS = MEMORY_COLUMNS + FLAG_COLUMNS


@dataclass(frozen=True, slots=True)
class CardState:
    """A card's cached row: its schedule plus the learner's flags."""

    key: str
    deck_id: str
    note_id: str
    template: str
    memory: Memory
    suspended: bool
    leech: bool
    buried_until: int | None
    removed: bool

    def flags(self) -> dict[str, Any]:
        return {
            "suspended": int(self.suspended),
            "leech": int(self.leech),
            "buried_until": self.buried_until,
        }


@dataclass(frozen=True, slots=True)
class AnswerResult:
    key: str
    rating: int
    before: Memory
    after: Memory
    became_leech: bool


@dataclass(frozen=True, slots=True)
class UndoResult:
    key: str
    kind: str
    rating: int


def memory_of(row: sqlite3.Row | dict[str, Any]) -> Memory:
    return Memory(**{c: row[c] for c in MEMORY_COLUMNS})


def _state(row: sqlite3.Row) -> CardState:
    return CardState(
        key=row["key"],
        deck_id=row["deck_id"],
        note_id=row["note_id"],
        template=row["template"],
        memory=memory_of(row),
        suspended=bool(row["suspended"]),
        leech=bool(row["leech"]),
        buried_until=row["buried_until"],
        removed=bool(row["removed"]),
    )


def _explain(path: Path, exc: sqlite3.Error) -> StoreError:
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


# Errors about the file itself (damaged, read-only, full, locked) rather than our SQL:
# those raised by any statement, not only at open, become one sentence.
_FILE_ERRORS = (sqlite3.OperationalError, sqlite3.DatabaseError)
_CODE_ERRORS = (sqlite3.IntegrityError, sqlite3.ProgrammingError)


class _Cursor(sqlite3.Cursor):
    """A cursor whose file errors, even while fetching rows, are ``StoreError``s."""

    def _fail(self, exc: sqlite3.Error) -> StoreError:
        return _explain(self.connection.path, exc)  # type: ignore[attr-defined]

    def execute(self, *args: Any) -> _Cursor:
        try:
            return super().execute(*args)
        except _CODE_ERRORS:
            raise
        except _FILE_ERRORS as exc:
            raise self._fail(exc) from None

    def executemany(self, *args: Any) -> _Cursor:
        try:
            return super().executemany(*args)
        except _CODE_ERRORS:
            raise
        except _FILE_ERRORS as exc:
            raise self._fail(exc) from None

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except _CODE_ERRORS:
            raise
        except _FILE_ERRORS as exc:
            raise self._fail(exc) from None

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except _CODE_ERRORS:
            raise
        except _FILE_ERRORS as exc:
            raise self._fail(exc) from None

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except _CODE_ERRORS:
            raise
        except _FILE_ERRORS as exc:
            raise self._fail(exc) from None


class _Connection(sqlite3.Connection):
    """The store's connection: every statement runs on a translating ``_Cursor``."""

    path: Path

    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)

    def execute(self, *args: Any) -> Any:
        return self.cursor().execute(*args)

    def executemany(self, *args: Any) -> Any:
        return self.cursor().executemany(*args)


class Store:
    """One open leadcards database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = _connect(path)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _explain(self.path, exc) from None
        try:
            yield self.conn
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except (sqlite3.Error, StoreError) as exc:
            self._rollback()
            if isinstance(exc, StoreError):
                raise
            raise _explain(self.path, exc) from None

    def _rollback(self) -> None:
        """Roll back if SQLite has not already done so (it does after some I/O errors)."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # settings ---------------------------------------------------------------

    def stored_settings(self, scope: str = "") -> dict[str, Any]:
        rows = self.conn.execute("SELECT key, value FROM settings WHERE scope = ?", (scope,))
        return {key: json.loads(value) for key, value in rows}

    def settings(self, deck_id: str | None = None) -> Settings:
        """Global settings, with the deck's overrides on top when a deck is named."""
        merged = from_stored(self.stored_settings(), DEFAULTS)
        if deck_id:
            merged = from_stored(self.stored_settings(deck_id), merged)
        return merged

    def set_setting(self, key: str, value: Any, scope: str = "") -> None:
        with self.write() as conn:
            if value is None:
                conn.execute("DELETE FROM settings WHERE scope = ? AND key = ?", (scope, key))
            else:
                conn.execute(
                    "INSERT INTO settings (scope, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value",
                    (scope, key, json.dumps(value)),
                )

    # cards ------------------------------------------------------------------

    def card(self, key: str) -> CardState:
        row = self.conn.execute("SELECT * FROM cards WHERE key = ?", (key,)).fetchone()
        if row is None:
            from leadcards.errors import UsageError

            raise UsageError(f"no card with key '{key}' (see `leadcards cards` for keys)")
        return _state(row)

    def answer(
        self, key: str, rating: int, duration_ms: int, at_ms: int, scheduler: Scheduler
    ) -> AnswerResult:
        """Store one answer: the log row and the new card state, in one transaction."""
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1-4, not {rating}")
        with self.write() as conn:
            row = conn.execute("SELECT * FROM cards WHERE key = ?", (key,)).fetchone()
            if row is None:
                raise StoreError(f"card '{key}' is not in the database")
            before = memory_of(row)
            after = scheduler.answer(key, before, rating, at_ms)
            threshold = scheduler.settings.leech_threshold
            became_leech = after.lapses > before.lapses and is_leech_lapse(after.lapses, threshold)
            self._log(conn, row, "answer", rating, at_ms, duration_ms, after)
            suspended = 1 if became_leech else row["suspended"]
            leech = 1 if became_leech else row["leech"]
            self._set_state(conn, key, after, suspended=suspended, leech=leech)
        return AnswerResult(key, rating, before, after, became_leech)

    def forget(self, key: str, at_ms: int) -> None:
        """Reset a card to new; its history stays in the log (and a 'forget' row says so)."""
        with self.write() as conn:
            row = conn.execute("SELECT * FROM cards WHERE key = ?", (key,)).fetchone()
            if row is None:
                raise StoreError(f"card '{key}' is not in the database")
            new = Memory()
            self._log(conn, row, "forget", 0, at_ms, 0, new)
            self._set_state(conn, key, new, suspended=row["suspended"], leech=row["leech"])

    def undo(self, expect_key: str | None = None) -> UndoResult | None:
        """Take back the newest log row and restore the card exactly as it was before it.

        With ``expect_key``, nothing happens unless that row is for this card: a session
        must not take back another terminal's answer.
        """
        with self.write() as conn:
            last = conn.execute(
                "SELECT seq, card_key, kind, rating, before FROM reviews ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            if last is None or (expect_key is not None and last["card_key"] != expect_key):
                return None
            before = json.loads(last["before"])
            assignments = ", ".join(f"{c} = ?" for c in STATE_COLUMNS)
            conn.execute(
                f"UPDATE cards SET {assignments} WHERE key = ?",
                (*(before[c] for c in STATE_COLUMNS), last["card_key"]),
            )
            conn.execute("DELETE FROM reviews WHERE seq = ?", (last["seq"],))
        return UndoResult(last["card_key"], last["kind"], last["rating"])

    def set_flag(self, key: str, column: str, value: int | None) -> None:
        """Suspend, unsuspend, bury: learner's flags, not part of the schedule."""
        if column not in FLAG_COLUMNS:
            raise ValueError(column)
        with self.write() as conn:
            changed = conn.execute(
                f"UPDATE cards SET {column} = ? WHERE key = ?", (value, key)
            ).rowcount
        if not changed:
            self.card(key)  # raises the user-facing "no card" error

    @staticmethod
    def _log(
        conn: sqlite3.Connection,
        row: sqlite3.Row,
        kind: str,
        rating: int,
        at_ms: int,
        duration_ms: int,
        after: Memory,
    ) -> None:
        before = {c: row[c] for c in STATE_COLUMNS}
        conn.execute(
            "INSERT INTO reviews (id, card_key, kind, rating, reviewed_at, duration_ms, "
            "state_before, state_after, due_after, stability_after, difficulty_after, before) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ulid(at_ms),
                row["key"],
                kind,
                rating,
                at_ms,
                max(0, int(duration_ms)),
                row["state"],
                after.state,
                after.due,
                after.stability,
                after.difficulty,
                json.dumps(before, separators=(",", ":")),
            ),
        )

    @staticmethod
    def _set_state(
        conn: sqlite3.Connection, key: str, memory: Memory, *, suspended: int, leech: int
    ) -> None:
        values = asdict(memory)
        conn.execute(
            "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
            "last_review = ?, reps = ?, lapses = ?, suspended = ?, leech = ? WHERE key = ?",
            (*(values[c] for c in MEMORY_COLUMNS), suspended, leech, key),
        )

    def log_events(self, key: str | None = None) -> dict[str, list[tuple[str, int, int]]]:
        """Every card's log as (kind, rating, at_ms), oldest first: input for a replay."""
        sql = "SELECT card_key, kind, rating, reviewed_at FROM reviews"
        params: tuple[Any, ...] = ()
        if key is not None:
            sql += " WHERE card_key = ?"
            params = (key,)
        events: dict[str, list[tuple[str, int, int]]] = {}
        for card_key, kind, rating, at in self.conn.execute(sql + " ORDER BY seq", params):
            events.setdefault(card_key, []).append((kind, rating, at))
        return events


def is_leech_lapse(lapses: int, threshold: int) -> bool:
    """As Anki: a leech at the threshold, then again every half threshold."""
    if lapses < threshold:
        return False
    return (lapses - threshold) % max(threshold // 2, 1) == 0


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the data folder {path.parent}: {exc.strerror} "
            "(choose a writable folder with --home or LEADCARDS_HOME)"
        ) from None
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror}") from None
        if header != SQLITE_MAGIC:
            raise StoreError(
                f"{path} is not a leadcards database (not an SQLite file); "
                "it was left untouched — move it aside or use --home"
            )
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, factory=_Connection
        )
    except sqlite3.Error as exc:
        raise _explain(path, exc) from None
    conn.path = path
    conn.row_factory = sqlite3.Row
    try:
        _check_and_migrate(conn, path, existed)
    except StoreError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise _explain(path, exc) from None
    return conn


def _check_and_migrate(conn: sqlite3.Connection, path: Path, existed: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
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
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    if version < SCHEMA_VERSION:
        _migrate(conn, version)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. Switching a new file needs it alone for a moment, and SQLite does not
    wait for that (no busy handler): a second process opening the file at that instant
    made it fail at once with "database is locked". Retry within the busy timeout."""
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            sqlite3.Connection.execute(conn, "PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(0.002)


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring an older schema up to date, one version per step, each in a transaction."""
    from importlib import resources

    steps = {0: resources.files("leadcards").joinpath("schema.sql").read_text()}
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current == version:  # another process may have migrated meanwhile
                for statement in steps[version].split(";\n"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version = conn.execute("PRAGMA user_version").fetchone()[0]


def open_store(home_dir: Path) -> Store:
    from leadcards.paths import database_path

    return Store(database_path(home_dir))
