"""The card cache: one row per card key, its replayed record, and the queries that
gather a study day from it.

"Active" — shown in reviews now — is written once here: not removed from its deck, not
suspended, not buried past ``now``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import NamedTuple

from leadcards.errors import CardNotFound
from leadcards.events import CardRecord
from leadcards.forgetting import DAY_MS, DEFAULT, Curve, recall_at
from leadcards.scheduling import MEMORY_FIELDS, Memory, State
from leadcards.store.sql import StoreBase

# A card an exam may ask: present, and not set aside by the learner (a buried one counts).
STUDIED = "removed = 0 AND suspended = 0"
ACTIVE = "removed = 0 AND suspended = 0 AND (buried_until IS NULL OR buried_until <= :now)"
RECORD_COLUMNS = (*MEMORY_FIELDS, "suspended", "leech", "buried_until")
LEARNING_STATES = f"state IN ({State.LEARNING.value}, {State.RELEARNING.value})"
_STATES = tuple(State)  # by number, as stored


class CardRow(NamedTuple):
    """A card's cached row: which card it is, and what its log makes of it."""

    key: str
    deck_id: str
    note_id: str
    template: str
    record: CardRecord
    removed: bool

    @property
    def memory(self) -> Memory:
        return self.record.memory

    @property
    def suspended(self) -> bool:
        return self.record.suspended

    @property
    def leech(self) -> bool:
        return self.record.leech

    @property
    def buried_until(self) -> int | None:
        return self.record.buried_until


def record_of(row: sqlite3.Row) -> CardRecord:
    memory = Memory(
        _STATES[row["state"]],
        row["step"],
        row["stability"],
        row["difficulty"],
        row["due"],
        row["last_review"],
        row["reps"],
        row["lapses"],
    )
    return CardRecord(memory, bool(row["suspended"]), bool(row["leech"]), row["buried_until"])


def record_values(record: CardRecord) -> tuple[object, ...]:
    """The record in ``RECORD_COLUMNS`` order, as the database stores it."""
    m = record.memory
    return (
        int(m.state),
        m.step,
        m.stability,
        m.difficulty,
        m.due,
        m.last_review,
        m.reps,
        m.lapses,
        int(record.suspended),
        int(record.leech),
        record.buried_until,
    )


def _card(row: sqlite3.Row) -> CardRow:
    return CardRow(
        key=row["key"],
        deck_id=row["deck_id"],
        note_id=row["note_id"],
        template=row["template"],
        record=record_of(row),
        removed=bool(row["removed"]),
    )


def _deck_list(deck_ids: list[str], **values: int) -> tuple[str, dict[str, object]]:
    """``:d0,:d1,…`` for an ``IN (…)`` and the named parameters that go with it."""
    names = [f"d{i}" for i in range(len(deck_ids))]
    params: dict[str, object] = dict(zip(names, deck_ids, strict=True))
    params.update(values)
    return ",".join(f":{n}" for n in names), params


class CardQueries(StoreBase):
    def card(self, key: str) -> CardRow:
        row = self._one("SELECT * FROM cards WHERE key = ?", (key,))
        if row is None:
            raise CardNotFound(key)
        return _card(row)

    def deck_cards(self, deck_id: str) -> list[CardRow]:
        """The deck's present cards in the order new ones are introduced."""
        return [
            _card(row)
            for row in self._rows(
                "SELECT * FROM cards WHERE deck_id = ? AND removed = 0 ORDER BY position",
                (deck_id,),
            )
        ]

    def deck_keys(self, deck_id: str) -> dict[str, bool]:
        """Every card row of the deck, present or not: key → marked removed."""
        return {
            row[0]: bool(row[1])
            for row in self._rows("SELECT key, removed FROM cards WHERE deck_id = ?", (deck_id,))
        }

    def all_cards(self) -> Iterator[CardRow]:
        return (_card(row) for row in self._stream("SELECT * FROM cards"))

    def card_keys(self, prefix: str, limit: int, *, descending: bool = False) -> list[str]:
        """Keys of present cards that start with ``prefix``, in key order (or from the
        end), at most ``limit``: a range on the key's index, so a shell completing among
        100,000 keys reads only the rows it gets. Keys are slugs and colons, so each one
        with the prefix sorts below the prefix followed by the last code point."""
        return [
            row[0]
            for row in self._rows(
                "SELECT key FROM cards WHERE key >= ? AND key < ? AND removed = 0 "
                f"ORDER BY key {'DESC' if descending else 'ASC'} LIMIT ?",
                (prefix, prefix + "\U0010ffff", limit),
            )
        ]

    def write_records(self, records: dict[str, CardRecord]) -> None:
        """Replace cached records (after a replay) in one transaction."""
        with self._transaction():
            self._write_records(records)

    def _write_records(self, records: dict[str, CardRecord]) -> None:
        assignments = ", ".join(f"{c} = ?" for c in RECORD_COLUMNS)
        self._run_many(
            f"UPDATE cards SET {assignments} WHERE key = ?",
            ((*record_values(record), key) for key, record in records.items()),
        )

    def _write_record(self, key: str, record: CardRecord) -> None:
        assignments = ", ".join(f"{c} = ?" for c in RECORD_COLUMNS)
        self._run(f"UPDATE cards SET {assignments} WHERE key = ?", (*record_values(record), key))

    # a study day ----------------------------------------------------------

    def due_reviews(self, deck_id: str, now_ms: int, end_ms: int) -> Iterator[tuple[str, str, int]]:
        """(key, note, due) of review cards due before ``end_ms``, most overdue first: time
        since the last review over stability, i.e. lowest retrievability first."""
        return (
            (row[0], row[1], row[2])
            for row in self._stream(
                f"SELECT key, note_id, due FROM cards WHERE deck_id = :deck "
                f"AND state = {State.REVIEW.value} AND due < :end AND {ACTIVE} "
                "ORDER BY (:now - last_review) * 1.0 / stability DESC, due, position",
                {"deck": deck_id, "now": now_ms, "end": end_ms},
            )
        )

    def new_cards(self, deck_id: str, now_ms: int, *, ordered: bool) -> Iterator[tuple[str, str]]:
        """(key, note) of new cards; in deck order unless only counting."""
        return (
            (row[0], row[1])
            for row in self._stream(
                f"SELECT key, note_id FROM cards WHERE deck_id = :deck "
                f"AND state = {State.NEW.value} AND {ACTIVE}"
                + (" ORDER BY position" if ordered else ""),
                {"deck": deck_id, "now": now_ms},
            )
        )

    def still_waiting(self, key: str, now_ms: int, end_ms: int) -> bool:
        """Whether a card listed as new, or as a review due before ``end_ms``, still is:
        another terminal may have answered, buried or suspended it since. One read by key."""
        return (
            self._one(
                f"SELECT 1 FROM cards WHERE key = :key AND {ACTIVE} AND (state = "
                f"{State.NEW.value} OR (state = {State.REVIEW.value} AND due < :end))",
                {"key": key, "now": now_ms, "end": end_ms},
            )
            is not None
        )

    def learning_due(self, deck_ids: list[str], until_ms: int, now_ms: int) -> Iterator[str]:
        """Keys of learning and relearning cards due by ``until_ms``, soonest first."""
        decks, params = _deck_list(deck_ids, until=until_ms, now=now_ms)
        return (
            row[0]
            for row in self._stream(
                f"SELECT key FROM cards WHERE deck_id IN ({decks}) AND {LEARNING_STATES} "
                f"AND due <= :until AND {ACTIVE} ORDER BY due",
                params,
            )
        )

    def learning_count(self, deck_ids: list[str], end_ms: int, now_ms: int) -> int:
        """Learning and relearning cards due before ``end_ms`` (the end of the study day)."""
        decks, params = _deck_list(deck_ids, end=end_ms, now=now_ms)
        return int(
            self._value(
                f"SELECT count(*) FROM cards WHERE deck_id IN ({decks}) AND {LEARNING_STATES} "
                f"AND due < :end AND {ACTIVE}",
                params,
            )
        )

    def deck_totals(self, deck_id: str) -> tuple[int, int, int]:
        """(cards, suspended, leeches) among the deck's present cards."""
        # Every row of the deck is counted in the (deck_id, note_id) index alone; the
        # removed, suspended and leech rows through their partial indexes (a sum over the
        # rows read every card: 15 ms at 100k cards, against about 3 ms).
        deck = {"deck": deck_id}
        every = int(self._value("SELECT count(*) FROM cards WHERE deck_id = :deck", deck))
        removed = "FROM cards WHERE deck_id = :deck AND removed = 1"
        present = "FROM cards WHERE deck_id = :deck AND removed = 0"
        return (
            every - int(self._value(f"SELECT count(*) {removed}", deck)),
            int(self._value(f"SELECT count(*) {present} AND suspended = 1", deck)),
            int(self._value(f"SELECT count(*) {present} AND leech = 1", deck)),
        )

    def upcoming(self, deck_id: str) -> tuple[int | None, int | None, bool]:
        """(earliest learning card, earliest review card, any new card) of the deck's cards
        that are not suspended; a buried card counts from when its bury ends."""
        row = self._one(
            f"SELECT min(CASE WHEN {LEARNING_STATES} THEN max(due, coalesce(buried_until, 0)) "
            f"END), min(CASE WHEN state = {State.REVIEW.value} THEN max(due, "
            f"coalesce(buried_until, 0)) END), coalesce(max(state = {State.NEW.value}), 0) "
            "FROM cards WHERE deck_id = ? AND removed = 0 AND suspended = 0",
            (deck_id,),
        )
        assert row is not None
        return row[0], row[1], bool(row[2])

    # exam readiness -------------------------------------------------------------

    def recall_sum(
        self, deck_ids: list[str], at_ms: int, shape: Curve = DEFAULT
    ) -> tuple[int, float]:
        """(cards, their summed retrievability at ``at_ms``) over the decks' studied
        cards, new ones as 0: the mean is the predicted recall that ``status`` shows.
        One aggregate in SQLite, whose math functions most builds have; without them the
        same formula runs here over the seen cards."""
        decks, params = _deck_list(deck_ids, at=at_ms)
        where = f"deck_id IN ({decks}) AND {STUDIED}"
        try:
            row = self._one(
                "SELECT count(*), coalesce(sum(CASE WHEN state = 0 OR stability IS NULL "
                "OR last_review IS NULL THEN 0 ELSE pow(1 + :factor * "
                f"max(0, (:at - last_review) / {DAY_MS}) / stability, :decay) END), 0) "
                f"FROM cards WHERE {where}",
                {**params, "factor": shape.factor, "decay": shape.decay},
            )
        except sqlite3.OperationalError as exc:
            if "no such function" not in str(exc):
                raise
            return self._recall_sum_here(where, params, at_ms, shape)
        assert row is not None
        return int(row[0]), float(row[1])

    def _recall_sum_here(
        self, where: str, params: dict[str, object], at_ms: int, shape: Curve = DEFAULT
    ) -> tuple[int, float]:
        cards = int(self._value(f"SELECT count(*) FROM cards WHERE {where}", params))
        seen = self._rows(
            f"SELECT stability, last_review FROM cards WHERE {where} AND state != 0 "
            "AND stability IS NOT NULL AND last_review IS NOT NULL",
            params,
        )
        return cards, sum(recall_at(s, last, at_ms, shape) for s, last in seen)
