"""The one connection, private to the store, and the few ways SQL is run on it.

Every statement goes through these helpers, so a file-level failure met at any point
(a damaged page deep in the file, a full disk at commit) becomes one ``StoreError``
sentence, while mistakes in our own SQL stay exceptions with a traceback.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from leadcards.errors import StoreError
from leadcards.store.connection import FILE_ERRORS, explain, is_file_error

Params = Sequence[Any] | dict[str, Any]


class StoreBase:
    path: Path
    _conn: sqlite3.Connection

    def _fail(self, exc: sqlite3.Error) -> NoReturn:
        if not is_file_error(exc):
            raise exc
        raise explain(self.path, exc) from None

    def _rows(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except FILE_ERRORS as exc:
            self._fail(exc)

    def _one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        try:
            row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
        except FILE_ERRORS as exc:
            self._fail(exc)
        return row

    def _value(self, sql: str, params: Params = ()) -> Any:
        row = self._one(sql, params)
        return None if row is None else row[0]

    def _stream(self, sql: str, params: Params = ()) -> Iterator[sqlite3.Row]:
        """Rows one at a time, for results too large to hold (a whole log)."""
        try:
            yield from self._conn.execute(sql, params)
        except FILE_ERRORS as exc:
            self._fail(exc)

    def _run(self, sql: str, params: Params = ()) -> int:
        """One write statement inside ``_transaction`` (or to this connection's own
        temporary tables); the number of rows it changed."""
        try:
            return self._conn.execute(sql, params).rowcount
        except FILE_ERRORS as exc:
            self._fail(exc)

    def _run_many(self, sql: str, rows: Iterable[Params]) -> None:
        try:
            self._conn.executemany(sql, rows)
        except FILE_ERRORS as exc:
            self._fail(exc)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One atomic write: BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except FILE_ERRORS as exc:
            self._fail(exc)
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        try:
            self._conn.execute("COMMIT")
        except FILE_ERRORS as exc:
            self._rollback()
            self._fail(exc)

    def _rollback(self) -> None:
        """Roll back if SQLite has not already done so (it does after some I/O errors)."""
        try:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: could not roll back ({exc})") from None
