"""One read of the store run on a second connection, in a thread, beside the caller's.

SQLite lets go of Python's lock while it steps through a query, so two aggregates over
a hundred thousand cards, each on its own connection, run on two cores at once:
``stats`` reads the memory figures this way while it reads the log and the weak spots,
and answers in about the time of the slower half rather than of both. A file in WAL
mode gives each reader a consistent snapshot; the two may differ by an answer another
terminal committed in between, as two commands run one after the other would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar, cast

from leadcards.store import Store

T = TypeVar("T")


class Beside(Generic[T]):
    """``read(store)`` on its own connection to ``path``, started at once, then ``then()``
    (work the caller will need next, such as loading modules); ``result`` waits for
    both and raises what either raised."""

    def __init__(
        self, path: Path, read: Callable[[Store], T], then: Callable[[], object] | None = None
    ) -> None:
        self._read = read
        self._then = then
        self._path = path
        self._value: T | None = None
        self._error: BaseException | None = None
        # A daemon: a command ended early (Ctrl-C, an error) does not wait for it.
        self._thread = threading.Thread(target=self._run, name="leadcards-read", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            # Not checked again: the caller's connection opened and vetted the file.
            with Store(self._path, check=False) as store:
                self._value = self._read(store)
            if self._then is not None:
                self._then()
        except BaseException as exc:  # handed to the caller's thread by result()
            self._error = exc

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return cast(T, self._value)
