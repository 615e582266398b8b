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
from collections.abc import Mapping, Sequence

from leadcards.forgetting import Curve
from leadcards.scheduling import DAY_MS, State
from leadcards.store.cards import CardQueries, _deck_list
from leadcards.store.stats import DaySpans, _day_of

PRESENT = "c.removed = 0"
# A CTE that several groupings read (the cells, the sides) is made once and kept, not
# computed again for each reader; the hint exists from SQLite 3.35 on.
ONCE = "MATERIALIZED" if sqlite3.sqlite_version_info >= (3, 35, 0) else ""
SEEN = f"c.state != {State.NEW.value} AND c.stability IS NOT NULL AND c.last_review IS NOT NULL"
CURVE = f"pow(1 + :factor * max(0, (:now - c.last_review) / {DAY_MS}) / c.stability, :decay)"
RECALL = f"CASE WHEN {SEEN} THEN {CURVE} END"


WEAKEST_FIRST = (
    "passed + failed < :enough, "
    "CASE WHEN passed + failed >= :enough THEN CAST(passed AS REAL) / (passed + failed) "
    "ELSE 1.0 END, CASE WHEN seen > 0 THEN recall / seen ELSE 1.0 END, id"
)
"""``stats.weak.Group.rank`` as an ORDER BY: groups with enough first reviews by their
retention, then by mean retrievability, then by id."""


def _weakest(groups: Sequence[str], limit: int) -> str:
    """The weakest ``limit`` rows of each of the ``groups`` queries, one after the other,
    each with its sample note's first card. Each keeps only its ``limit`` best while it
    reads (ORDER BY with LIMIT), rather than sorting and numbering every cell."""
    first_card = (
        "(SELECT min(c.key) FROM cards c WHERE c.deck_id = substr(w.sample, 1, "
        "instr(w.sample, ':') - 1) AND c.note_id = substr(w.sample, instr(w.sample, ':') + 1) "
        f"AND {PRESENT})"
    )
    return " UNION ALL ".join(
        f"SELECT w.kind, w.id, {first_card}, w.cards, w.seen, w.recall, w.passed, w.failed "
        f"FROM (SELECT * FROM ({group}) ORDER BY {WEAKEST_FIRST} LIMIT {int(limit)}) w"
        for group in groups
    )


SUMS = (
    "min(sample) AS sample, sum(cards) AS cards, sum(seen) AS seen, total(recall) AS recall, "
    "sum(passed) AS passed, sum(failed) AS failed"
)
"""A group's figures from its notes' rows. ``sample`` is a note, ``deck:note``: the card
that names the group is looked up for the few groups shown, not kept for every note."""
GROUPS = (
    f"SELECT 'table' AS kind, deck || ':' || tbl AS id, {SUMS} FROM sides GROUP BY deck, tbl",
    f"SELECT 'aspect' AS kind, deck || ':' || tbl || ':' || aspect AS id, {SUMS} "
    "FROM cells GROUP BY deck, tbl, aspect",
    "SELECT 'side' AS kind, deck || ':' || tbl || ':' || side AS id, sample, cards, seen, "
    "recall, passed, failed FROM sides",
    "SELECT 'cell' AS kind, deck || ':' || note AS id, sample, cards, seen, recall, passed, "
    "failed FROM cells",
    f"SELECT 'tag' AS kind, tag AS id, {SUMS} FROM tagged GROUP BY tag",
)
"""The groups of each kind (``stats.weak.GROUP_KINDS``), from the cells' and the tagged
notes' rows; a table sums its sides (a few rows), not its cells again."""


class MemoryStats(CardQueries):
    def _with_math(self) -> None:
        """``pow`` in SQL, from SQLite or else from Python."""
        try:
            self._conn.execute("SELECT pow(2, 2)")
        except sqlite3.OperationalError:
            self._conn.create_function("pow", 2, math.pow, deterministic=True)

    def card_states(self, deck_ids: list[str], now_ms: int) -> tuple[list[int], int, int, int]:
        """(the decks' present cards by state, how many are suspended, leeches, buried
        now), counted off indexes: every card by (deck, state), less the few removed,
        flagged (``deck_totals``, as `status` counts them) and buried rows through their
        partial indexes; no card row is read."""
        decks, params = _deck_list(deck_ids, now=now_ms)
        by_state = [0, 0, 0, 0]
        for state, cards in self._rows(
            f"SELECT s.state, (SELECT count(*) FROM cards c WHERE c.deck_id IN ({decks}) "
            f"AND c.state = s.state) - (SELECT count(*) FROM cards c INDEXED BY cards_removed "
            f"WHERE c.deck_id IN ({decks}) AND c.removed = 1 AND c.state = s.state) FROM ("
            + " UNION ALL ".join(f"SELECT {state.value} AS state" for state in State)
            + ") s",
            params,
        ):
            by_state[state] = cards
        totals = [self.deck_totals(deck) for deck in deck_ids]
        buried = self._value(
            f"SELECT count(*) FROM cards c WHERE c.deck_id IN ({decks}) AND {PRESENT} "
            "AND c.buried_until IS NOT NULL AND c.buried_until > :now",
            params,
        )
        return by_state, sum(t[1] for t in totals), sum(t[2] for t in totals), int(buried)

    def memory_sums(
        self,
        deck_ids: list[str],
        now_ms: int,
        shape: Curve,
        stability: Sequence[float],
        difficulty: Sequence[float],
        recall: Sequence[float],
    ) -> tuple[int, float, list[int], list[int], list[int]]:
        """Of the decks' present cards that have a memory: how many, their summed
        retrievability, and for each of the recall, stability and difficulty lows after
        the first, how many reach it (cards without a difficulty are not counted there;
        the first difficulty count is of those with one).

        One pass with no grouping: SQLite groups by sorting, and sorting a hundred
        thousand rows cost a third of the whole; counts of values reaching each low give
        the buckets by difference."""
        self._with_math()
        decks, params = _deck_list(deck_ids, now=now_ms)
        params.update(factor=shape.factor, decay=shape.decay)

        def reached(column: str, lows: Sequence[float]) -> list[str]:
            if list(lows) != sorted(lows):
                raise ValueError(f"bucket lows must ascend: {lows}")
            return [f"sum({column} >= {float(low)!r})" for low in lows[1:]]

        sums = [
            *reached("r", recall),
            *reached("s", stability),
            "count(d)",
            *reached("d", difficulty),
        ]
        # LIMIT -1 keeps the inner query a co-routine: each card's R is computed once and
        # handed on, neither copied into every sum (as a flattened query would) nor
        # written to a temporary table first (as a materialized one): 77 → 63 ms.
        row = self._one(
            f"SELECT count(*), total(r), {', '.join(sums)} FROM (SELECT {CURVE} AS r, "
            f"c.stability AS s, c.difficulty AS d FROM cards c WHERE c.deck_id IN ({decks}) "
            f"AND {PRESENT} AND {SEEN} LIMIT -1)",
            params,
        )
        assert row is not None
        seen = int(row[0])
        counts = [int(n or 0) for n in row[2:]]
        r_end = len(recall) - 1
        s_end = r_end + len(stability) - 1
        return (
            seen,
            float(row[1]),
            [seen, *counts[:r_end]],
            [seen, *counts[r_end:s_end]],
            counts[s_end:],
        )

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

    def _today_tallies(self, notes: Mapping[tuple[str, str], tuple[int, int]]) -> None:
        """Today's first reviews per (deck, note) into a temporary table of this
        connection, keyed: each note of the weak spots looks its own up (joined to a
        list instead, 300 notes answered today made them 650 ms at 100,000 cards)."""
        self._run(
            "CREATE TEMP TABLE IF NOT EXISTS today_notes (deck TEXT NOT NULL, note TEXT NOT "
            "NULL, passed INTEGER NOT NULL, failed INTEGER NOT NULL, PRIMARY KEY (deck, note)) "
            "WITHOUT ROWID"
        )
        self._run("DELETE FROM temp.today_notes")
        self._run(
            "INSERT INTO temp.today_notes SELECT json_extract(value, '$[0]'), "
            "json_extract(value, '$[1]'), json_extract(value, '$[2]'), "
            "json_extract(value, '$[3]') FROM json_each(?)",
            (json.dumps([[*note, *tally] for note, tally in notes.items()]),),
        )

    def weakest_groups(
        self,
        deck_ids: list[str],
        now_ms: int,
        shape: Curve,
        *,
        kept: str | None,
        extra: Mapping[tuple[str, str], tuple[int, int]],
        enough: int,
        limit: int,
    ) -> list[tuple[str, str, str, int, int, float, int, int]]:
        """(kind, id, sample card, cards, cards seen, their summed retrievability, first
        reviews passed, failed) of the weakest ``limit`` groups of each kind: tables,
        aspects, sides and cells (from table cells' note ids, ids carrying the deck) and
        tags (less the three a table gives each cell). First reviews per note are the
        rows kept for the day rule ``kept`` (None: none) plus ``extra``, today's by (deck,
        note). ``enough``: first reviews from which a group's retention ranks it.

        Each note's cards are summed first, in the order of the cards' note index, then
        its tallies are added: tens of thousands of notes, not a hundred thousand cards.
        """
        self._with_math()
        decks, params = _deck_list(deck_ids, now=now_ms)
        params.update(
            factor=shape.factor,
            decay=shape.decay,
            rule=kept,
            enough=enough,
        )
        self._today_tallies(extra)
        per_card = f"count(*) AS cards, sum({SEEN}) AS seen, total({RECALL}) AS recall"
        tallies = """coalesce(k.passed, 0) + coalesce(x.passed, 0) AS passed,
                       coalesce(k.failed, 0) + coalesce(x.failed, 0) AS failed"""
        joined = """LEFT JOIN stats_notes k
                    ON k.day_start = :rule AND k.deck_id = g.deck AND k.note_id = g.note
                LEFT JOIN temp.today_notes x ON x.deck = g.deck AND x.note = g.note"""
        # Only table cells and tagged notes form groups: the other cards are never read.
        sql = f"""
            WITH cells AS {ONCE} (
                SELECT g.*, {tallies}, g.deck || ':' || g.note AS sample,
                       substr(g.note, 1, instr(g.note, ':') - 1) AS tbl,
                       substr(g.rest, 1, instr(g.rest, ':') - 1) AS aspect,
                       substr(g.rest, instr(g.rest, ':') + 1) AS side
                FROM (
                    SELECT c.deck_id AS deck, c.note_id AS note,
                           substr(c.note_id, instr(c.note_id, ':') + 1) AS rest, {per_card}
                    FROM cards c
                    WHERE c.deck_id IN ({decks}) AND {PRESENT}
                      AND c.note_id GLOB '*:*:*' AND NOT c.note_id GLOB '*:*:*:*'
                    GROUP BY c.deck_id, c.note_id) g
                {joined}),
            sides AS {ONCE} (SELECT deck, tbl, side, {SUMS} FROM cells GROUP BY deck, tbl, side),
            tagged AS (
                SELECT g.*, {tallies}, g.deck || ':' || g.note AS sample
                FROM (
                    SELECT t.tag, t.deck_id AS deck, t.note_id AS note, {per_card}
                    FROM note_tags t JOIN cards c
                         ON c.deck_id = t.deck_id AND c.note_id = t.note_id AND {PRESENT}
                    WHERE t.deck_id IN ({decks}) AND t.from_table = 0
                    GROUP BY t.tag, t.deck_id, t.note_id) g
                {joined})
            {_weakest(GROUPS, limit)}
        """
        return [
            (r[0], r[1], r[2], r[3], r[4], float(r[5]), r[6], r[7]) for r in self._rows(sql, params)
        ]
