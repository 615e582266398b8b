"""The card side of `stats` in SQL against its meaning in Python.

``stats`` counts states, buckets, the forecast, the most lapsed cards and the weak spots
in SQLite (a hundred thousand cards must not become objects); ``stats/memory.py`` and
``stats/weak.py`` say what each figure is over plain records, with hand-made tests in
``test_stats.py``. Here random card caches and first-review tallies are written into a
real file, and both ways must agree.
"""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadcards.deck.model import split_card_key
from leadcards.errors import StoreError
from leadcards.forgetting import Curve
from leadcards.stats import memory, weak
from leadcards.stats.beside import Beside
from leadcards.stats.log_tallies import LogFigures
from leadcards.stats.retention import Tally
from leadcards.stats.study_days import calendar
from leadcards.store import Store
from leadcards.store.stats import by_note

from .conftest import AT, DAY, HOUR
from .test_stats import deck_store

DECK = """\
id: mem
name: Memory deck
tags: [all]
tables:
  - id: cmp
    title: Management vs leadership
    row_label: Aspect
    columns: [Management, Leadership, Both]
    rows:
      - {label: Focus, cells: [a, b, c]}
      - {label: Risk, cells: [d, e, f], tags: [risky]}
      - {label: Time, cells: [g, h, i]}
  - id: two
    row_label: Thing
    columns: [Left, Right]
    rows:
      - {label: Only, cells: [x, y]}
cards:
  - {id: p1, front: One?, back: one, tags: [plain, shared]}
  - {id: p2, front: Two?, back: two, tags: [shared]}
  - {id: p3, front: Three?, back: three}
"""
OTHER = """\
id: other
name: Other deck
cards:
  - {id: o1, front: Other?, back: other, tags: [shared]}
"""

CARD = st.tuples(
    st.integers(0, 3),  # state
    st.sampled_from([None, 0.4, 1.0, 3.5, 7.0, 21.0, 90.0, 400.0]),  # stability
    st.sampled_from([None, 1.0, 3.0, 5.5, 7.0, 9.5]),  # difficulty
    st.integers(-40 * 24, 40 * 24),  # due, hours from now (some on a day's start)
    st.integers(-2, 60 * 24),  # last review, hours before now (some on the hour)
    st.integers(0, 4),  # lapses
    st.booleans(),  # suspended
    st.booleans(),  # leech
    st.sampled_from([None, -1, 2]),  # buried until, days from now
    st.sampled_from([False, False, False, True]),  # removed
    st.tuples(st.integers(0, 4), st.integers(0, 4)),  # kept first reviews
    st.tuples(st.integers(0, 2), st.integers(0, 2)),  # today's
)


def write_cards(store: Store, records: list[tuple[Any, ...]], now: int) -> dict[str, Tally]:
    """Each card's cache row and kept tally, written as an outsider would; returns the
    extra (today's) tallies."""
    extra = {}
    with closing(sqlite3.connect(store.path)) as conn:
        keys = [k for (k,) in conn.execute("SELECT key FROM cards ORDER BY key")]
        for key, record in zip(keys, records, strict=False):
            state, s, d, due, last, lapses, susp, leech, bury, removed, kept, today = record
            seen = state != 0
            conn.execute(
                "UPDATE cards SET state = ?, stability = ?, difficulty = ?, due = ?, "
                "last_review = ?, lapses = ?, suspended = ?, leech = ?, buried_until = ?, "
                "removed = ? WHERE key = ?",
                (
                    state,
                    s if seen else None,
                    d if seen else None,
                    now + due * HOUR if seen else None,
                    now - last * HOUR if seen else None,
                    lapses,
                    susp,
                    leech,
                    None if bury is None else now + bury * DAY,
                    removed,
                    key,
                ),
            )
            if sum(kept):  # kept per note: this card's first reviews added to its note's
                deck, note, _ = split_card_key(key)
                conn.execute(
                    "INSERT INTO stats_notes VALUES ('04:00', ?, ?, ?, ?) ON CONFLICT DO UPDATE "
                    "SET passed = passed + excluded.passed, failed = failed + excluded.failed",
                    (deck, note, *kept),
                )
            if sum(today):
                extra[key] = Tally(*today)
        conn.commit()
    return extra


def reference(store: Store, deck_ids: list[str], extra: dict[str, Tally]) -> Any:
    """What the Python functions say of the same cards."""
    cards = store.cards_now(deck_ids)
    tags: dict[tuple[str, str], list[str]] = {}
    for deck, note, tag in store.note_tags(deck_ids):
        tags.setdefault((deck, note), []).append(tag)
    reviews = {
        note: Tally(*tally)
        for note, tally in by_note((k, t.passed, t.failed) for k, t in extra.items()).items()
    }
    with closing(sqlite3.connect(store.path)) as conn:
        for deck, note, passed, failed in conn.execute(
            "SELECT deck_id, note_id, passed, failed FROM stats_notes"
        ):
            reviews[(deck, note)] = reviews.get((deck, note), Tally()) + Tally(passed, failed)
    return cards, tags, reviews


def ranked(groups: list[weak.Group]) -> list[tuple[Any, ...]]:
    return [
        (g.kind, g.id, g.cards, g.seen, round(g.recall, 9), g.reviews.passed, g.reviews.failed)
        for g in groups
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(CARD, min_size=25, max_size=25),
    st.sampled_from([Curve(), Curve(-0.5)]),
    st.sampled_from([["mem"], ["mem", "other"]]),
)
def test_sql_figures_equal_their_python_meaning(
    records: list[tuple[Any, ...]], shape: Curve, deck_ids: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        deck_store(folder, folder, OTHER, "other.yaml").close()
        store = deck_store(folder, folder, DECK)
        try:
            now = AT
            extra = write_cards(store, records, now)
            cards, tags, reviews = reference(store, deck_ids, extra)
            recall = {}
            for card in cards:
                r = memory.card_retrievability(card, now, shape)
                if r is not None:
                    recall[card.key] = r

            found = memory.memory_now(store, deck_ids, now, shape)
            assert found.states == memory.states(cards, now)
            seen = [c for c in cards if c.key in recall]
            assert found.stability == memory.distribution(
                (c.stability for c in seen if c.stability is not None), memory.STABILITY
            )
            assert found.difficulty == memory.distribution(
                (c.difficulty for c in seen if c.difficulty is not None), memory.DIFFICULTY
            )
            assert found.retrievability == memory.distribution(
                recall.values(), memory.RETRIEVABILITY
            )
            expected = memory.knowledge(recall.values())
            assert found.knowledge.seen == expected.seen
            assert abs(found.knowledge.known - expected.known) < 1e-9

            days = calendar(now, "04:00", (now - 100 * DAY, now))
            assert memory.due_forecast(store, deck_ids, days) == memory.forecast(cards, days)

            assert store.most_lapsed(deck_ids, 3) == memory.most_lapses(cards, 3)

            figures = LogFigures({}, [], extra, [], "04:00")
            got = weak.weakest(store, deck_ids, now, shape, figures, 10**6)
            want = weak.weak_spots((c.key for c in cards), tags, recall, reviews)
            for kind in weak.GROUP_KINDS:
                assert sorted(ranked(got[kind])) == sorted(ranked(want[kind]))
                # weakest first, as Group.rank orders (recall compared to 9 places)
                ranks = [
                    (n, rate, round(r, 9), i) for n, rate, r, i in map(weak.Group.rank, got[kind])
                ]
                assert ranks == sorted(ranks)
                for group in got[kind]:
                    deck, note, _ = split_card_key(group.sample)
                    assert (kind, group.id) in weak.groups_of(
                        group.sample, tags.get((deck, note), [])
                    )
        finally:
            store.close()


def test_todays_tallies_are_looked_up_by_note_not_scanned_for_each(tmp_path: Path) -> None:
    """With a list to scan, 300 notes answered today made the weak spots 650 ms at
    100,000 cards: each note must find its own tally through the key."""
    store = deck_store(tmp_path, tmp_path, DECK)
    plans: list[str] = []
    try:
        store._conn.set_trace_callback(plans.append)
        today = {("mem", "cmp:focus:management"): (1, 2), ("mem", "p1"): (0, 1)}
        found = store.weakest_groups(
            ["mem"], AT, Curve(), kept=None, extra=today, enough=1, limit=10
        )
        store._conn.set_trace_callback(None)
        query = next(sql for sql in plans if "today_notes x" in sql)
        plan = [str(row[3]) for row in store._conn.execute(f"EXPLAIN QUERY PLAN {query}")]
        assert any("SEARCH x USING PRIMARY KEY" in step for step in plan), plan
        cell = next(g for g in found if g[0] == "cell" and g[1] == "mem:cmp:focus:management")
        assert (cell[6], cell[7]) == (1, 2)
        plain = next(g for g in found if g[0] == "tag" and g[1] == "plain")
        assert (plain[6], plain[7]) == (0, 1)
    finally:
        store.close()


def test_a_read_beside_hands_back_its_result_or_its_error(tmp_path: Path) -> None:
    store = deck_store(tmp_path, tmp_path, DECK)
    store.close()
    order: list[str] = []

    def count(other: Store) -> Any:
        order.append("read")
        return other.card_states(["mem"], AT)

    counted = Beside(store.path, count, then=lambda: order.append("then"))
    assert counted.result() == ([36, 0, 0, 0], 0, 0, 0)  # 11 cells × 3 cards + 3 plain
    assert order == ["read", "then"]

    def broken(other: Store) -> None:
        other._rows("SELECT * FROM no_such_table")

    failing = Beside(store.path, broken)
    with pytest.raises(StoreError, match="no such table: no_such_table"):
        failing.result()  # the store's one-line error, raised in the caller's thread
