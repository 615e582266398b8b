"""The SQLite file: the event log (the truth), the card cache, settings, synced decks.

This package is the only code that runs SQL; its connection is private and every query
is a named method. Each write is one ``BEGIN IMMEDIATE`` transaction, so an answer is
either wholly stored (event and card state) or not at all, and two terminals on one file
wait for each other instead of failing.
"""

from __future__ import annotations

from pathlib import Path

from leadcards.scheduling import Scheduler
from leadcards.settings import Settings
from leadcards.store.cards import CardRow
from leadcards.store.connection import (
    APPLICATION_ID,
    FILE_ERRORS,
    SCHEMA_VERSION,
    connect,
    is_file_error,
    remember_clean,
)
from leadcards.store.decks import (
    CardChanges,
    CardText,
    DeckFile,
    DeckQueries,
    DeckText,
    NoteText,
)
from leadcards.store.log import (
    Answered,
    AnswerResult,
    Logged,
    UndoResult,
    is_leech_lapse,
)
from leadcards.store.memory_stats import MemoryStats
from leadcards.store.merge import MergeQueries, MergeReport
from leadcards.store.stats import StatsCache, StatsQueries

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "AnswerResult",
    "Answered",
    "CardChanges",
    "CardRow",
    "CardText",
    "DeckFile",
    "DeckText",
    "Logged",
    "MergeReport",
    "NoteText",
    "Store",
    "UndoResult",
    "is_leech_lapse",
    "open_store",
]


class Store(MergeQueries, DeckQueries, StatsQueries, StatsCache, MemoryStats):
    """One open leadcards database."""

    def __init__(self, path: Path, *, check: bool = True) -> None:
        self.path = path
        self._schedulers: dict[Settings, Scheduler] = {}
        self._parsed_settings: dict[tuple[tuple[str, str, str], ...], Settings] = {}
        self._conn = connect(path, check=check)
        self._checked = check

    def integrity_problems(self) -> list[str]:
        """What ``PRAGMA integrity_check`` finds; empty when the file is sound. Damage bad
        enough to stop the check itself is reported as its one problem."""
        try:
            found = [str(row[0]) for row in self._conn.execute("PRAGMA integrity_check")]
        except FILE_ERRORS as exc:
            if not is_file_error(exc):
                raise
            return [str(exc)]
        return [] if found == ["ok"] else found

    def data_version(self) -> int:
        """Moves when another connection commits to the file, never for this one's own
        writes (SQLite's ``data_version``): how a session learns another terminal wrote."""
        return int(self._value("PRAGMA data_version"))

    def dangling_events(self) -> int:
        """Log rows whose card has no row (only a damaged or hand-edited file has them)."""
        return len(self._rows("PRAGMA foreign_key_check"))

    def close(self) -> None:
        """Close, and note the file as sound: it was at open, and our writes keep it so."""
        self._conn.close()
        if self._checked:
            remember_clean(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(home_dir: Path, *, check: bool = True) -> Store:
    from leadcards.paths import database_path

    return Store(database_path(home_dir), check=check)
