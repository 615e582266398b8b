"""What `leadcards stats` reads: the log and the card cache summed up in SQL.

A log may hold a million answers, so each query here groups them by study day or by
card inside SQLite and hands back small tallies, never one object per event. Study days
come in as ``(start_ms, first_day, regular)`` runs (``stats.study_days.Span``), which a
CASE turns into day numbers without a join.

Every log query counts live events only (no undone answer, see ``LIVE``). Answers of
kind ``practice`` (cramming, which changes no schedule) count as activity and picks,
never in retention.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from leadcards.scheduling import DAY_MS, State
from leadcards.store.cards import _deck_list
from leadcards.store.log import LIVE
from leadcards.store.sql import StoreBase

if TYPE_CHECKING:
    from leadcards.store.stats_rows import CardNow, FirstReviews

DaySpans = Sequence[tuple[int, int, bool]]
ANSWERED = "e.kind IN ('answer', 'practice')"
MATURE_DAYS = 21  # as Anki: a card whose interval before the answer was this long or longer


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

    def activity_by_day(
        self, deck_ids: Sequence[str], spans: DaySpans, end_ms: int
    ) -> list[tuple[int, int, int, int]]:
        """(day, answers, practice answers among them, ms spent) for each study day with any."""
        keys, params = _keys_of(deck_ids)
        day, day_params = _day_of(spans, end_ms, "e.at")
        return [
            (r[0], r[1], r[2], r[3])
            for r in self._rows(
                f"SELECT {day} AS day, count(*), sum(e.kind = 'practice'), "
                f"coalesce(sum(e.duration_ms), 0) FROM events e WHERE {ANSWERED} AND {keys} "
                f"AND {LIVE} GROUP BY day HAVING day IS NOT NULL ORDER BY day",
                {**params, **day_params},
            )
        ]

    def first_reviews(
        self, deck_ids: Sequence[str], spans: DaySpans, end_ms: int, today: int
    ) -> list[FirstReviews]:
        """True retention's answers, per card: the first answer of each study day on a
        card in review (Again fails, any other rating passes), split by whether the
        interval it was given before (its previous answer's due date less that answer's
        time) was at least ``MATURE_DAYS``, and by how recent the day is."""
        from leadcards.store.stats_rows import FirstReviews

        keys, params = _keys_of(deck_ids)
        day, day_params = _day_of(spans, end_ms, "e.at")
        return [
            FirstReviews(r[0], r[1], bool(r[2]), r[3], r[4])
            for r in self._rows(
                "WITH a AS (SELECT e.card_key, e.rating, e.state_before, "
                f"{day} AS day, lag({day}) OVER w AS previous_day, "
                "lag(e.due_after - e.at) OVER w AS interval_before "
                f"FROM events e WHERE e.kind = 'answer' AND {keys} AND {LIVE} "
                "WINDOW w AS (PARTITION BY e.card_key ORDER BY e.at, e.id)) "
                "SELECT card_key, (day > :today - 7) + (day > :today - 30) AS period, "
                "coalesce(interval_before >= :mature, 0) AS mature, "
                "sum(rating > 1), sum(rating = 1) FROM a "
                f"WHERE state_before = {State.REVIEW.value} AND day IS NOT NULL "
                "AND (previous_day IS NULL OR previous_day != day) "
                "GROUP BY card_key, period, mature",
                {**params, **day_params, "today": today, "mature": MATURE_DAYS * DAY_MS},
            )
        ]

    def picks(self, deck_ids: Sequence[str]) -> list[tuple[str, str, int]]:
        """(card, what was picked, how often) over live answers and practice."""
        keys, params = _keys_of(deck_ids)
        return [
            (r[0], r[1], r[2])
            for r in self._rows(
                f"SELECT e.card_key, e.picked, count(*) FROM events e WHERE {ANSWERED} "
                f"AND e.picked IS NOT NULL AND {keys} AND {LIVE} GROUP BY e.card_key, e.picked",
                params,
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
        """(deck, note, tag) for each tag of each stored note (``deck.packed`` keeps a
        note's tags third)."""
        decks, params = _deck_list(deck_ids)
        return [
            (r[0], r[1], r[2])
            for r in self._rows(
                "SELECT n.deck_id, n.note_id, t.value FROM notes n, json_each(n.body, '$[2]') t "
                f"WHERE n.deck_id IN ({decks})",
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
