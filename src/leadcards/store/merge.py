"""Merging another device's log into this one: the union of two logs, replayed.

Every event has a global id and the replay order is (time, id), so two databases that
each hold some of a learner's answers become one by taking every event this file lacks
and replaying: whichever file merges into which, and however often, the log is the same
union and so are the cards. Undo is an event too (a tombstone naming what it takes back),
so an answer undone on one device stays undone. The other file is read from a copy taken
through SQLite, so a file in use or caught mid-sync by a sync tool is read as of one
moment, or refused; it is never written.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from leadcards.deck.model import split_card_key
from leadcards.store.connection import connect
from leadcards.store.log import LogQueries

EVENT_FIELDS = (
    "id, at, kind, card_key, rating, duration_ms, picked, target, data, state_before, "
    "state_after, due_after, stability_after, difficulty_after"
)
CARD_IDENTITY = "key, deck_id, note_id, template, content_hash, position, added_at"


class MergeReport(NamedTuple):
    events: int  # events taken from the other file
    cards: int  # cards whose schedule or flags changed
    unknown: int  # cards this file had no row for: kept hidden until their deck syncs


class MergeQueries(LogQueries):
    def merge_from(self, other: Path) -> MergeReport:
        """Take every event ``other`` has and this file lacks, and replay."""
        from leadcards.store.backup import copy_database, vet_backup

        vet_backup(other)
        with tempfile.TemporaryDirectory(prefix="leadcards-merge-") as work:
            snapshot = Path(work) / "other.db"
            copy_database(other, snapshot)
            connect(snapshot).close()  # brought up to this release's schema, and vetted
            self._run("ATTACH DATABASE ? AS other", (str(snapshot),))
            try:
                return self._merge_attached()
            finally:
                self._run("DETACH DATABASE other")

    def _merge_attached(self) -> MergeReport:
        with self._transaction():
            # A card answered there whose deck this file has not synced: its row comes
            # along, hidden (removed) until that deck is synced here, so its events keep
            # their card and nothing answered is lost.
            unknown = self._run(
                f"INSERT INTO cards ({CARD_IDENTITY}, removed) "
                f"SELECT {CARD_IDENTITY}, 1 FROM other.cards o "
                "WHERE o.key NOT IN (SELECT key FROM main.cards) "
                "AND o.key IN (SELECT card_key FROM other.events WHERE card_key IS NOT NULL)"
            )
            return self._take_from("other.events", unknown)

    def take_events(self, rows: list[tuple[Any, ...]]) -> MergeReport:
        """Take the events of ``rows`` (``EVENT_FIELDS`` in order, e.g. read from another
        device's journal) that this file lacks, and replay, in one transaction. A card
        this file has no row for gets a hidden one, as in a merge."""
        with self._transaction():
            self._run(f"CREATE TEMP TABLE incoming ({EVENT_FIELDS})")
            try:
                marks = ", ".join("?" * len(EVENT_FIELDS.split(", ")))
                self._run_many(f"INSERT INTO temp.incoming VALUES ({marks})", rows)
                missing = [
                    r[0]
                    for r in self._rows(
                        "SELECT DISTINCT card_key FROM temp.incoming WHERE card_key IS NOT NULL "
                        "AND card_key NOT IN (SELECT key FROM main.cards) "
                        "AND id NOT IN (SELECT id FROM main.events)"
                    )
                ]
                self._run_many(
                    f"INSERT INTO cards ({CARD_IDENTITY}, removed) VALUES (?, ?, ?, ?, '', 0, "
                    "(SELECT min(at) FROM temp.incoming WHERE card_key = ?), 1)",
                    [(*_identity(key), key) for key in missing],
                )
                return self._take_from("temp.incoming", len(missing))
            finally:
                self._run("DROP TABLE temp.incoming")

    def _take_from(self, source: str, unknown: int) -> MergeReport:
        """Inside a transaction: insert the events of ``source`` this file lacks, then
        replay the cards they name, or every card when a setting is among them (a
        setting changes how any later answer schedules). A few answers from another
        device replay a few cards, not a log of a million (14 s at 100,000 cards)."""
        new = f"FROM {source} o WHERE o.id NOT IN (SELECT id FROM main.events)"
        every_card = self._value(
            f"SELECT EXISTS (SELECT 1 {new} AND (o.kind = 'setting' OR o.card_key IS NULL))"
        )
        named = [r[0] for r in self._rows(f"SELECT DISTINCT o.card_key {new}")]
        taken = self._run(
            f"INSERT INTO events ({EVENT_FIELDS}) SELECT {EVENT_FIELDS} {new} ORDER BY o.at, o.id"
        )
        if not taken:
            return MergeReport(0, 0, unknown)
        changed, _ = self.stale_records(None if every_card else named)
        self._write_records(changed)
        self._replace_settings(self.logged_settings())
        return MergeReport(taken, len(changed), unknown)

    def event_rows(self, after: int = 0, through: int | None = None) -> list[tuple[Any, ...]]:
        """Every event logged after row ``after`` (and up to row ``through``) as
        ``EVENT_FIELDS``, in the order this file logged them."""
        return [
            tuple(r)
            for r in self._rows(
                f"SELECT {EVENT_FIELDS} FROM events WHERE seq > ? AND seq <= ? ORDER BY seq",
                (after, (1 << 63) - 1 if through is None else through),
            )
        ]

    def lacking_events(self, ids: list[str]) -> set[str]:
        """Those of ``ids`` this file's log does not hold."""
        return {
            r[0]
            for r in self._rows(
                "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM events)",
                (json.dumps(ids),),
            )
        }

    def last_event(self) -> tuple[int, str | None]:
        """(seq, id) of the row the log has reached; (0, None) while it is empty."""
        row = self._one("SELECT seq, id FROM events ORDER BY seq DESC LIMIT 1")
        return (0, None) if row is None else (int(row[0]), str(row[1]))

    def event_id_at(self, seq: int) -> str | None:
        """The id of the log's row ``seq`` (None for 0, or a row it does not have)."""
        value = self._value("SELECT id FROM events WHERE seq = ?", (seq,))
        return None if value is None else str(value)


def _identity(key: str) -> tuple[str, str, str, str]:
    """(key, deck, note, template) of a card key ``deck:note:template`` (a note id may
    hold colons; deck ids and templates do not)."""
    return (key, *split_card_key(key))
