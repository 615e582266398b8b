"""What `leadcards stats` reads from the card cache, summed up in SQL.

A hundred thousand cards must not become a hundred thousand Python objects for one
dashboard, so states, the FSRS distributions, the forecast, the cards that lapsed most
and the weak spots are each one aggregate here. Their meaning is written once, as plain
functions over card records, in ``stats/memory.py`` and ``stats/weak.py``;
``tests/test_memory_stats.py`` holds these queries equal to those functions on random
collections.

Retrievability is FSRS's curve as ``forgetting.recall_at`` computes it: whole days since
the last review (integer division, never below 0), then ``pow``. SQLite builds without
the math functions get Python's ``math.pow`` under that name.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Sequence

from leadcards.forgetting import Curve
from leadcards.scheduling import DAY_MS, State
from leadcards.store.cards import _deck_list
from leadcards.store.sql import StoreBase
from leadcards.store.stats import DaySpans, _day_of

PRESENT = "c.removed = 0"
# Each card's retrievability is computed once, not once per CASE that buckets it (SQLite
# would otherwise copy the expression into each); the hint exists from SQLite 3.35 on.
ONCE = "MATERIALIZED" if sqlite3.sqlite_version_info >= (3, 35, 0) else ""
# A stored note is ``["kind",line,[tags],…]`` (``deck/packed.py``, compact JSON): its first
# ``,[`` opens the tags, so untagged notes are passed over without parsing their JSON.
HAS_TAGS = "substr(n.body, instr(n.body, ',['), 4) != ',[],'"
SEEN = f"c.state != {State.NEW.value} AND c.stability IS NOT NULL AND c.last_review IS NOT NULL"
RECALL = (
    f"CASE WHEN {SEEN} THEN pow(1 + :factor * max(0, (:now - c.last_review) / {DAY_MS}) "
    "/ c.stability, :decay) END"
)


def _bucket(column: str, lows: Sequence[float]) -> str:
    """The index of the last bucket whose low ``column`` reaches (0 below the first), as
    ``stats.memory.distribution`` counts."""
    cases = [f"WHEN {column} >= {float(low)!r} THEN {i}" for i, low in enumerate(lows) if i]
    return f"CASE {' '.join(reversed(cases))} ELSE 0 END" if cases else "0"


def _weakest_first(limit: int) -> str:
    """``stats.weak.Group.rank`` as an ORDER BY: groups with enough first reviews by
    their retention, then by mean retrievability, then by id; at most ``limit`` a kind."""
    return (
        "SELECT kind, id, sample, cards, seen, recall, passed, failed FROM ("
        "SELECT *, row_number() OVER (PARTITION BY kind ORDER BY "
        "passed + failed < :enough, "
        "CASE WHEN passed + failed >= :enough THEN CAST(passed AS REAL) / (passed + failed) "
        "ELSE 1.0 END, "
        "CASE WHEN seen > 0 THEN recall / seen ELSE 1.0 END, id) AS place FROM groups) "
        f"WHERE place <= {int(limit)} ORDER BY kind, place"
    )


class MemoryStats(StoreBase):
    def _with_math(self) -> None:
        """``pow`` in SQL, from SQLite or else from Python."""
        try:
            self._conn.execute("SELECT pow(2, 2)")
        except sqlite3.OperationalError:
            self._conn.create_function("pow", 2, math.pow, deterministic=True)

    def memory_counts(
        self,
        deck_ids: list[str],
        now_ms: int,
        shape: Curve,
        stability: Sequence[float],
        difficulty: Sequence[float],
        recall: Sequence[float],
    ) -> list[tuple[int, int | None, int | None, int | None, int, int, int, int, float]]:
        """The decks' present cards in one pass, grouped by (state, recall bucket,
        stability bucket, difficulty bucket): each group's cards, how many of them are
        suspended, leeches and buried now, and their summed retrievability. The buckets
        are indexes into the lows; a card without a memory, or without that value, has
        NULL there."""
        self._with_math()
        decks, params = _deck_list(deck_ids, now=now_ms)
        params.update(factor=shape.factor, decay=shape.decay)
        return [
            (r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], float(r[8]))
            for r in self._rows(
                f"WITH per_card AS {ONCE} ("
                f"SELECT c.state, {RECALL} AS r, c.stability AS s, c.difficulty AS d, "
                "c.suspended != 0 AS suspended, c.leech != 0 AS leech, "
                "c.buried_until IS NOT NULL AND c.buried_until > :now AS buried "
                f"FROM cards c WHERE c.deck_id IN ({decks}) AND {PRESENT}) "
                "SELECT state, "
                f"CASE WHEN r IS NOT NULL THEN {_bucket('r', recall)} END, "
                f"CASE WHEN r IS NOT NULL AND s IS NOT NULL THEN {_bucket('s', stability)} END, "
                f"CASE WHEN r IS NOT NULL AND d IS NOT NULL THEN {_bucket('d', difficulty)} END, "
                "count(*), sum(suspended), sum(leech), sum(buried), total(r) FROM per_card "
                "GROUP BY 1, 2, 3, 4",
                params,
            )
        ]

    def due_by_day(
        self, deck_ids: list[str], spans: DaySpans, today: int, end_ms: int
    ) -> list[tuple[int, int]]:
        """(day, cards) due on each study day from ``today`` until ``end_ms``, day
        numbers as ``spans`` give them (``stats.study_days.Span``); ``today`` holds every
        card due before it too. Learning, relearning and review cards that are not
        suspended; a buried one from the day its bury ends; later ones are not counted."""
        decks, params = _deck_list(deck_ids)
        day, day_params = _day_of(spans, end_ms, "due")
        params.update(day_params, today=today)
        return [
            (r[0], r[1])
            for r in self._rows(
                f"SELECT max(:today, coalesce({day}, :today)) AS day, count(*) FROM ("
                "SELECT max(c.due, coalesce(c.buried_until, 0)) AS due FROM cards c "
                f"WHERE c.deck_id IN ({decks}) AND {PRESENT} AND c.state != {State.NEW.value} "
                "AND c.suspended = 0 AND c.due IS NOT NULL AND due < :day_end) "
                "GROUP BY 1",
                params,
            )
        ]

    def most_lapsed(self, deck_ids: list[str], limit: int) -> list[tuple[str, int]]:
        """(key, lapses) of the present cards that lapsed most, most first, then by key."""
        decks, params = _deck_list(deck_ids, limit=limit)
        return [
            (r[0], r[1])
            for r in self._rows(
                f"SELECT c.key, c.lapses FROM cards c WHERE c.deck_id IN ({decks}) "
                f"AND {PRESENT} AND c.lapses > 0 ORDER BY c.lapses DESC, c.key LIMIT :limit",
                params,
            )
        ]

    def weakest_groups(
        self,
        deck_ids: list[str],
        now_ms: int,
        shape: Curve,
        *,
        kept: str | None,
        extra: Iterable[tuple[str, int, int]],
        enough: int,
        limit: int,
    ) -> list[tuple[str, str, str, int, int, float, int, int]]:
        """(kind, id, sample card, cards, cards seen, their summed retrievability, first
        reviews passed, failed) of the weakest ``limit`` groups of each kind: tables,
        aspects, sides and cells (from table cells' note ids, ids carrying the deck) and
        tags (less the three a table gives each cell). First reviews per card are the
        rows kept for the day rule ``kept`` (None: none) plus ``extra`` (card, passed,
        failed), today's. ``enough``: first reviews from which a group's retention ranks it.
        """
        self._with_math()
        decks, params = _deck_list(deck_ids, now=now_ms)
        params.update(
            factor=shape.factor,
            decay=shape.decay,
            rule=kept,
            extra=json.dumps([list(row) for row in extra]),
            enough=enough,
        )
        kept_join = (
            "LEFT JOIN stats_cards k ON k.day_start = :rule AND k.card_key = c.key"
            if kept is not None
            else "LEFT JOIN (SELECT NULL AS passed, NULL AS failed) k ON 0"
        )
        # Only table cells and tagged notes form groups: the other cards are never read.
        figures = f"""{RECALL} AS r,
                       coalesce(k.passed, 0) + coalesce(x.passed, 0) AS passed,
                       coalesce(k.failed, 0) + coalesce(x.failed, 0) AS failed"""
        tallies = f"{kept_join} LEFT JOIN extra x ON x.key = c.key"
        sql = f"""
            WITH extra(key, passed, failed) AS (
                SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                       json_extract(value, '$[2]') FROM json_each(:extra)),
            cell_cards AS {ONCE} (
                SELECT c.key, c.deck_id AS deck, c.note_id AS note,
                       substr(c.note_id, instr(c.note_id, ':') + 1) AS rest, {figures}
                FROM cards c {tallies}
                WHERE c.deck_id IN ({decks}) AND {PRESENT}
                  AND c.note_id GLOB '*:*:*' AND NOT c.note_id GLOB '*:*:*:*'),
            cells AS {ONCE} (
                SELECT deck, note, min(key) AS sample, count(*) AS cards, count(r) AS seen,
                       total(r) AS recall, sum(passed) AS passed, sum(failed) AS failed,
                       substr(note, 1, instr(note, ':') - 1) AS tbl,
                       substr(rest, 1, instr(rest, ':') - 1) AS aspect,
                       substr(rest, instr(rest, ':') + 1) AS side
                FROM cell_cards GROUP BY deck, note),
            tagged AS {ONCE} (
                SELECT deck, note, tag FROM (
                    SELECT n.deck_id AS deck, n.note_id AS note, t.value AS tag,
                           substr(n.note_id, 1, instr(n.note_id, ':') - 1) AS tbl,
                           substr(n.note_id, instr(n.note_id, ':') + 1) AS rest,
                           n.note_id GLOB '*:*:*' AND NOT n.note_id GLOB '*:*:*:*' AS cell
                    FROM notes n, json_each(n.body, '$[2]') t WHERE n.deck_id IN ({decks})
                    AND {HAS_TAGS})
                WHERE NOT (cell AND tag IN ('table::' || tbl,
                    tbl || '::' || substr(rest, 1, instr(rest, ':') - 1),
                    tbl || '::' || substr(rest, instr(rest, ':') + 1)))),
            tag_cards AS {ONCE} (
                SELECT g.tag, c.key, {figures}
                FROM tagged g CROSS JOIN cards c ON c.deck_id = g.deck AND c.note_id = g.note
                {tallies} WHERE {PRESENT}),
            groups AS (
                SELECT 'table' AS kind, deck || ':' || tbl AS id, min(sample) AS sample,
                       sum(cards) AS cards, sum(seen) AS seen, total(recall) AS recall,
                       sum(passed) AS passed, sum(failed) AS failed
                FROM cells GROUP BY deck, tbl
                UNION ALL
                SELECT 'aspect', deck || ':' || tbl || ':' || aspect, min(sample), sum(cards),
                       sum(seen), total(recall), sum(passed), sum(failed)
                FROM cells GROUP BY deck, tbl, aspect
                UNION ALL
                SELECT 'side', deck || ':' || tbl || ':' || side, min(sample), sum(cards),
                       sum(seen), total(recall), sum(passed), sum(failed)
                FROM cells GROUP BY deck, tbl, side
                UNION ALL
                SELECT 'cell', deck || ':' || note, sample, cards, seen, recall, passed, failed
                FROM cells
                UNION ALL
                SELECT 'tag', tag, min(key), count(*), count(r), total(r), sum(passed),
                       sum(failed)
                FROM tag_cards GROUP BY tag)
            {_weakest_first(limit)}
        """
        return [
            (r[0], r[1], r[2], r[3], r[4], float(r[5]), r[6], r[7]) for r in self._rows(sql, params)
        ]
