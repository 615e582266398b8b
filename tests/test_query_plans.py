"""The review's queries stay index searches at any deck size. SQLite picks an index by the
schema and the query alone (leadcards keeps no ANALYZE statistics), so a new index can
draw a query away from the one it needs: an index on (deck_id, removed, suspended, ...)
once turned every learning-card query into a read of the whole deck. These plans pin it."""

from __future__ import annotations

from pathlib import Path

from leadcards.deck.load import load_deck
from leadcards.review_queue import Queue, deck_counts
from leadcards.store import open_store
from leadcards.sync import sync_deck

from .conftest import AT, DAY, basic_deck


def test_queue_and_counts_search_by_deck_state_and_due(tmp_path: Path, isolated_home: Path) -> None:
    (tmp_path / "mini.yaml").write_text(basic_deck(30))
    with open_store(isolated_home) as store:
        sync_deck(store, load_deck(tmp_path / "mini.yaml"), AT - DAY)
        store.answer("mini:c00:front", 3, 0, AT - DAY)
        statements: list[str] = []
        store._conn.set_trace_callback(statements.append)
        queue = Queue(store, ["mini"], AT)
        queue.next(AT)
        queue.remaining(AT)
        counts = deck_counts(store, "mini", "Mini", AT)
        store.upcoming("mini")
        store._conn.set_trace_callback(None)
        assert (counts.total, counts.new, counts.learning) == (30, 20, 1)
        plans = {}
        for sql in statements:
            if " FROM cards " in sql and sql.lstrip().startswith("SELECT"):
                rows = store._conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
                plans[sql] = " / ".join(str(row[-1]) for row in rows)
    by_state = [plan for sql, plan in plans.items() if "state" in sql.split("WHERE", 1)[-1]]
    assert len(by_state) >= 4  # learning now, learning today, due reviews, new cards
    for plan in by_state:
        assert "USING INDEX cards_deck_state_due (deck_id=? AND state=?" in plan, plan
    for sql, plan in plans.items():
        assert "SCAN cards" not in plan, (sql, plan)
    flags = ("removed = 1", "suspended = 1", "leech = 1")
    flagged = [plan for sql, plan in plans.items() if any(f in sql for f in flags)]
    assert sorted(p.split(" USING ")[1].split(" ")[1] for p in flagged) == [
        "cards_leech",
        "cards_removed",
        "cards_suspended",
    ]
