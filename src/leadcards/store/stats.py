"""What `leadcards stats` reads: the log and the card cache summed up in SQL.

A log may hold a million answers, so each query here groups them by study day or by
card inside SQLite and hands back small tallies, never one object per event. Study days
come in as ``(start_ms, first_day, regular)`` runs (``stats.study_days.Span``), which a
CASE turns into day numbers without a join.

Every log query counts live events only (no undone answer, see ``LIVE``). Answers of
kind ``practice`` (cramming, which changes no schedule) count as activity and picks,
never in retention. The log queries take a span of time, read off the time index:
``StatsCache`` keeps the tallies of study days that are over (``stats/log_tallies.py``
decides when they hold), so a day's ``stats`` reads only today's answers afresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from leadcards.deck.model import split_card_key
from leadcards.scheduling import DAY_MS, State
from leadcards.store.cards import _deck_list
from leadcards.store.log import LIVE
from leadcards.store.sql import StoreBase

if TYPE_CHECKING:
    from leadcards.store.stats_rows import CardNow, Cover, Tallies

DaySpans = Sequence[tuple[int, int, bool]]
ANSWERED = "e.kind IN ('answer', 'practice')"
DECK_OF = "substr(e.card_key, 1, instr(e.card_key, ':') - 1)"  # keys are deck:note:template
MATURE_DAYS = 21  # as Anki: a card whose interval before the answer was this long or longer


def by_note(cards: Iterable[tuple[str, int, int]]) -> dict[tuple[str, str], tuple[int, int]]:
    """(card, passed, failed) rows summed per (deck, note): a weak spot is made of whole
    notes (a table cell, a tag), so its first reviews are kept and read per note."""
    notes: dict[tuple[str, str], tuple[int, int]] = {}
    for key, passed, failed in cards:
        deck, note, _ = split_card_key(key)
        before = notes.get((deck, note), (0, 0))
        notes[(deck, note)] = (before[0] + passed, before[1] + failed)
    return notes


def _keys_of(deck_ids: Sequence[str], column: str = "e.card_key") -> tuple[str, dict[str, Any]]:
    """Events of the decks' cards, by key range (keys are ``deck:note:template`` and deck
    ids are slugs, so ``deck;`` is the first text after every key of the deck)."""
    if not deck_ids:
        return "0", {}
    parts, params = [], {}
    for i, deck_id in enumerate(deck_ids):
        parts.append(f"({column} >= :k{i} AND {column} < :l{i})")
        params[f"k{i}"], params[f"l{i}"] = f"{deck_id}:", f"{deck_id};"
    return "(" + " OR ".join(parts) + ")", params


def _between(lo: int | None, hi: int | None) -> tuple[str, dict[str, Any]]:
    """Events given in [``lo``, ``hi``), read off the time index; None is no bound."""
    found, params = ["1"], {}
    if lo is not None:
        found.append("e.at >= :lo")
        params["lo"] = lo
    if hi is not None:
        found.append("e.at < :hi")
        params["hi"] = hi
    return " AND ".join(found), params


def _events(lo: int | None) -> str:
    """The log, read off the time index when only events since ``lo`` count (today's):
    grouping by card would otherwise walk the card index over the whole log."""
    return "events e" if lo is None else "events e INDEXED BY events_time"


def _day_of(spans: DaySpans, end_ms: int, column: str) -> tuple[str, dict[str, Any]]:
    """A CASE numbering the study day of ``column`` (NULL outside the days), newest
    span first: most rows are recent."""
    cases = [f"WHEN {column} >= :day_end THEN NULL"]
    params: dict[str, Any] = {"day_end": end_ms}
    for i, (start, first, regular) in enumerate(reversed(spans)):
        params[f"s{i}"], params[f"f{i}"] = start, first
        number = f":f{i} + ({column} - :s{i}) / {DAY_MS}" if regular else f":f{i}"
        cases.append(f"WHEN {column} >= :s{i} THEN {number}")
    return f"CASE {' '.join(cases)} END", params


class StatsQueries(StoreBase):
    def logged_span(self) -> tuple[int, int] | None:
        """(first, last) instant in the log, of any event: how far the calendar must
        reach. Read off the time index, without looking at a single row."""
        row = self._one("SELECT (SELECT min(at) FROM events), (SELECT max(at) FROM events)")
        return None if row is None or row[0] is None else (int(row[0]), int(row[1]))

    def activity_between(
        self, spans: DaySpans, end_ms: int, lo: int | None, hi: int | None
    ) -> list[tuple[str, int, int, int, int]]:
        """(deck, day, answers, practice answers among them, ms spent) of every deck and
        study day with any, over the answers given in [``lo``, ``hi``) (None: no bound)."""
        day, params = _day_of(spans, end_ms, "e.at")
        between, bounds = _between(lo, hi)
        return [
            (r[0], r[1], r[2], r[3], r[4])
            for r in self._rows(
                f"SELECT {DECK_OF} AS deck, {day} AS day, count(*), sum(e.kind = 'practice'), "
                f"coalesce(sum(e.duration_ms), 0) FROM {_events(lo)} WHERE {between} "
                f"AND {ANSWERED} AND {LIVE} GROUP BY deck, day HAVING day IS NOT NULL",
                {**params, **bounds},
            )
        ]

    def first_reviews_between(
        self, spans: DaySpans, end_ms: int, lo: int | None, hi: int | None
    ) -> list[tuple[str, int, bool, int, int]]:
        """True retention's answers given in [``lo``, ``hi``): (card, day, mature, passed,
        failed) for the first answer of each study day on a card in review (Again fails,
        any other rating passes), mature when the interval it was given before (its
        previous answer's due date less that answer's time) was at least ``MATURE_DAYS``.

        ``lo`` is the start of a study day: the previous answer of a card's first answer
        in the range is then on an earlier day, and its interval is looked up by key."""
        day, params = _day_of(spans, end_ms, "e.at")
        between, bounds = _between(lo, hi)
        before = (
            "(SELECT p.due_after - p.at FROM events p WHERE p.card_key = a.card_key "
            "AND p.at < :lo AND p.kind = 'answer' AND "
            f"{LIVE.replace('e.id', 'p.id')} ORDER BY p.at DESC, p.id DESC LIMIT 1)"
            if lo is not None
            else "NULL"
        )
        return [
            (r[0], r[1], bool(r[2]), r[3], r[4])
            for r in self._rows(
                "WITH a AS (SELECT e.card_key, e.rating, e.state_before, "
                f"{day} AS day, lag({day}) OVER w AS previous_day, "
                "lag(e.due_after - e.at) OVER w AS interval_before, row_number() OVER w AS n "
                f"FROM {_events(lo)} WHERE {between} AND e.kind = 'answer' AND {LIVE} "
                "WINDOW w AS (PARTITION BY e.card_key ORDER BY e.at, e.id)) "
                "SELECT card_key, day, "
                f"coalesce(CASE WHEN n = 1 THEN {before} ELSE interval_before END >= :mature, 0) "
                "AS mature, sum(rating > 1), sum(rating = 1) FROM a "
                f"WHERE state_before = {State.REVIEW.value} AND day IS NOT NULL "
                "AND (previous_day IS NULL OR previous_day != day) "
                "GROUP BY card_key, day, mature",
                {**params, **bounds, "mature": MATURE_DAYS * DAY_MS},
            )
        ]

    def picks_between(self, lo: int | None, hi: int | None) -> list[tuple[str, str, int]]:
        """(card, what was picked, how often) over live answers and practice given in
        [``lo``, ``hi``)."""
        between, bounds = _between(lo, hi)
        return [
            (r[0], r[1], r[2])
            for r in self._rows(
                f"SELECT e.card_key, e.picked, count(*) FROM {_events(lo)} WHERE {between} "
                f"AND {ANSWERED} AND e.picked IS NOT NULL AND {LIVE} "
                "GROUP BY e.card_key, e.picked",
                bounds,
            )
        ]

    def cards_now(self, deck_ids: list[str]) -> list[CardNow]:
        """Every present card of the decks, with its cached record."""
        from leadcards.store.stats_rows import CardNow

        decks, params = _deck_list(deck_ids)
        return [
            CardNow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]), bool(r[9]), r[10])
            for r in self._rows(
                "SELECT key, note_id, state, stability, difficulty, due, last_review, lapses, "
                "suspended, leech, buried_until FROM cards "
                f"WHERE deck_id IN ({decks}) AND removed = 0",
                params,
            )
        ]

    def note_tags(self, deck_ids: list[str]) -> list[tuple[str, str, str]]:
        """(deck, note, tag) for each tag of each stored note (kept from the notes' text
        by triggers, schema version 6)."""
        decks, params = _deck_list(deck_ids)
        return [
            (r[0], r[1], r[2])
            for r in self._rows(
                f"SELECT deck_id, note_id, tag FROM note_tags WHERE deck_id IN ({decks})",
                params,
            )
        ]

    def study_history(
        self, deck_ids: Sequence[str], spans: DaySpans, end_ms: int
    ) -> Iterator[tuple[str, bool, int, int, int, int]]:
        """(card, is a forget, study day, rating, ms taken, state before) of each live
        answer and forget of the decks' cards, per card in log order: what FSRS is fitted
        to and the simulator's answer times are taken from. Practice answers (cramming)
        are left out: they changed no schedule, so they say nothing of the intervals."""
        keys, params = _keys_of(deck_ids)
        day, day_params = _day_of(spans, end_ms, "e.at")
        return (
            (r[0], r[1] == "forget", r[2], r[3] or 0, r[4] or 0, r[5] or 0)
            for r in self._stream(
                f"SELECT e.card_key, e.kind, {day} AS day, e.rating, e.duration_ms, "
                "e.state_before FROM events e WHERE e.kind IN ('answer', 'forget') "
                f"AND {keys} AND {LIVE} ORDER BY e.card_key, e.at, e.id",
                {**params, **day_params},
            )
        )


TABLES = ("stats_days", "stats_retention", "stats_notes", "stats_picks", "stats_cover")


class StatsCache(StoreBase):
    def log_seq(self) -> int:
        """The last row of the log (0 when empty), off the rowid."""
        return int(self._value("SELECT coalesce(max(seq), 0) FROM events"))

    def stats_cover(self, day_start: str) -> Cover | None:
        row = self._one(
            "SELECT first_day, until_day, until_ms, days, seq FROM stats_cover WHERE day_start = ?",
            (day_start,),
        )
        from leadcards.store.stats_rows import Cover

        return None if row is None else Cover(row[0], row[1], row[2], row[3], row[4])

    def log_changed_before(self, seq: int, until_ms: int) -> bool:
        """Whether a row logged after ``seq`` is dated before ``until_ms``, or undoes an
        event that is: the only ways a tallied day's figures can change. Reads only the
        rows logged since (by rowid)."""
        return bool(
            self._value(
                "SELECT EXISTS (SELECT 1 FROM events e WHERE e.seq > :seq AND (e.at < :until "
                "OR (e.kind = 'undo' AND (SELECT t.at FROM events t WHERE t.id = e.target) "
                "< :until)))",
                {"seq": seq, "until": until_ms},
            )
        )

    def write_stats_tallies(
        self, day_start: str, old: Cover | None, new: Cover, tallies: Tallies, *, add: bool
    ) -> bool:
        """Add ``tallies`` to the kept ones (``add``: they tally the span from ``old``'s
        end) or replace them, and cover ``new``, in one transaction; False, writing
        nothing, when the cover is no longer ``old`` (another process wrote)."""
        with self._transaction():
            if self.stats_cover(day_start) != old:
                return False
            if not add:
                for table in TABLES:
                    self._run(f"DELETE FROM {table} WHERE day_start = ?", (day_start,))
            self._run_many(
                "INSERT INTO stats_days VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                "answers = answers + excluded.answers, practice = practice + excluded.practice, "
                "duration_ms = duration_ms + excluded.duration_ms",
                ((day_start, *row) for row in tallies.activity),
            )
            self._run_many(
                "INSERT INTO stats_retention VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE "
                "SET passed = passed + excluded.passed, failed = failed + excluded.failed",
                ((day_start, *row) for row in tallies.retention),
            )
            self._run_many(
                "INSERT INTO stats_notes VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE "
                "SET passed = passed + excluded.passed, failed = failed + excluded.failed",
                (
                    (day_start, deck, note, passed, failed)
                    for (deck, note), (passed, failed) in by_note(tallies.cards).items()
                ),
            )
            self._run_many(
                "INSERT INTO stats_picks VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE "
                "SET times = times + excluded.times",
                ((day_start, *row) for row in tallies.picks),
            )
            self._run(
                "INSERT OR REPLACE INTO stats_cover VALUES (?, ?, ?, ?, ?, ?)",
                (day_start, *new),
            )
        return True

    def cached_tallies(self, day_start: str, deck_ids: Sequence[str]) -> Tallies:
        """The kept tallies of the decks ``deck_ids``, but for the per-note rows: tens of
        thousands of them are summed where they are read (``weakest_groups``)."""
        from leadcards.store.stats_rows import Tallies

        rule = {"rule": day_start}
        decks = ", ".join(f":d{i}" for i in range(len(deck_ids))) or "NULL"
        in_decks = {f"d{i}": deck for i, deck in enumerate(deck_ids)}
        keys, key_params = _keys_of(deck_ids, "card_key")
        return Tallies(
            [
                (r[0], r[1], r[2], r[3], r[4])
                for r in self._rows(
                    "SELECT deck_id, day, answers, practice, duration_ms FROM stats_days "
                    f"WHERE day_start = :rule AND deck_id IN ({decks})",
                    {**rule, **in_decks},
                )
            ],
            [
                (r[0], r[1], bool(r[2]), r[3], r[4])
                for r in self._rows(
                    "SELECT deck_id, day, mature, passed, failed FROM stats_retention "
                    f"WHERE day_start = :rule AND deck_id IN ({decks})",
                    {**rule, **in_decks},
                )
            ],
            [],
            [
                (r[0], r[1], r[2])
                for r in self._rows(
                    "SELECT card_key, picked, times FROM stats_picks "
                    f"WHERE day_start = :rule AND {keys}",
                    {**rule, **key_params},
                )
            ],
        )

    def clear_stats_tallies(self) -> None:
        """Forget every kept tally: the next ``stats`` makes them again from the log."""
        with self._transaction():
            for table in TABLES:
                self._run(f"DELETE FROM {table}")

    def stats_tally_rows(self) -> int:
        return sum(int(self._value(f"SELECT count(*) FROM {table}")) for table in TABLES)
