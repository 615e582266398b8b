"""The tallies `stats` keeps of past study days (schema 5's ``stats_*`` tables).

Kept tallies must give exactly what reading the whole log gives: on random logs over
several days, with answers and practice, picks, undos written days later (of events
already tallied), events written late with past times, and the day start changed in
between; and across a change of time zone. Hand-made cases pin when the tallies are made
again, and that a read-only file still answers."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadcards import doctor
from leadcards.deck.model import split_card_key
from leadcards.errors import StoreError
from leadcards.stats import gather, to_json
from leadcards.stats.log_tallies import log_figures
from leadcards.stats.retention import Tally
from leadcards.stats.study_days import calendar
from leadcards.store import Store, open_store
from leadcards.store.stats import by_note

from .conftest import AT, DAY, HOUR, TABLE_DECK, db_rows
from .test_stats import Log, deck_store
from .test_stats import table as table  # the fixture: TABLE_DECK with tags

CARDS = [
    "tbl:cmp:focus:management:choice",
    "tbl:cmp:focus:leadership:identify",
    "tbl:cmp:risk:leadership:recall",
    "tbl:solo:front",
]
PICKS = [None, "Management", "Leadership", "Risk-averse"]


def fresh_and_kept(store: Store, now: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dashboard read off the whole log, then through the kept tallies (twice: the
    second reads them as the first left them)."""
    fresh = to_json(gather(store, ["tbl"], now, keep=False))
    kept = to_json(gather(store, ["tbl"], now))
    assert to_json(gather(store, ["tbl"], now)) == kept
    return fresh, kept


def raw_figures(store: Store, now: int, keep: bool) -> tuple[Any, ...]:
    settings_now = store.settings("tbl")
    logged = store.logged_span()
    days = calendar(now, settings_now.day_start, logged)
    found = log_figures(store, ["tbl"], days, settings_now.day_start, logged, keep=keep)
    notes = {
        note: Tally(*tally)
        for note, tally in by_note((k, t.passed, t.failed) for k, t in found.cards.items()).items()
    }
    if found.kept_cards is not None:  # past days' first reviews per note stay in the file
        assert keep
        for deck, note, passed, failed in db_rows(
            store,
            "SELECT deck_id, note_id, passed, failed FROM stats_notes WHERE day_start = ?",
            (found.kept_cards,),
        ):
            notes[(deck, note)] = notes.get((deck, note), Tally()) + Tally(passed, failed)
    return (
        found.activity,
        sorted(found.retention),
        {note: tally for note, tally in notes.items() if tally.total},
        sorted(found.picks),
    )


EVENT = st.tuples(
    st.integers(0, 3),  # card
    st.integers(-6 * 24, 2 * 24),  # hours from the checkpoint it is written at
    st.integers(1, 4),  # rating
    st.integers(0, 3),  # state before
    st.sampled_from([0, 1, 25, 40]),  # days until due after
    st.sampled_from(["answer", "answer", "answer", "practice"]),
    st.integers(0, 3),  # picked
    st.sampled_from([None, None, None, 0, 1]),  # undone: at once, or at the next checkpoint
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(EVENT, max_size=8), min_size=1, max_size=5),
    st.lists(st.sampled_from([None, None, "00:00", "04:00", "23:30"]), min_size=5, max_size=5),
)
def test_kept_tallies_equal_the_whole_log(
    batches: list[list[tuple[Any, ...]]], day_starts: list[str | None]
) -> None:
    """Checkpoints a day apart; at each, a batch of events (some dated days back, some
    undoing events of the batch before) is written, then stats is asked."""
    with tempfile.TemporaryDirectory() as tmp:
        store = deck_store(Path(tmp), Path(tmp), TABLE_DECK)
        try:
            log = Log(store)
            pending_undo: list[tuple[str, str]] = []
            for n, batch in enumerate(batches):
                now = AT + n * DAY
                for made, card in pending_undo:
                    log.undo(made, card, now - HOUR)
                pending_undo = []
                if day_starts[n] is not None:
                    store.set_setting("day_start", day_starts[n], at_ms=now - HOUR)
                for card, hours, rating, before, due, kind, picked, undone in batch:
                    at = now + hours * HOUR
                    made = log.answer(
                        CARDS[card], at, rating, before, due * DAY, kind, PICKS[picked]
                    )
                    if undone == 0:
                        log.undo(made, CARDS[card], at)
                    elif undone == 1:
                        pending_undo.append((made, CARDS[card]))
                assert raw_figures(store, now, True) == raw_figures(store, now, False)
                fresh, kept = fresh_and_kept(store, now)
                assert kept == fresh
        finally:
            store.close()


def cover(store: Store) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in db_rows(store, "SELECT day_start, until_ms, seq FROM stats_cover")]


def test_past_days_are_tallied_once_and_today_read_afresh(table: Store) -> None:
    """Now is 2026-03-02 09:00 UTC; the day starts at 04:00, so today began at 04:00."""
    log = Log(table)
    card = CARDS[2]
    log.answer(card, AT - 2 * DAY, 3, before=0, due_in=DAY)  # 28 Feb, learning
    log.answer(card, AT - DAY, 3, before=2, due_in=30 * DAY)  # 1 Mar: young, passed
    log.answer(card, AT - HOUR, 1, before=2)  # today: interval before 30 days, mature, failed
    board = gather(table, ["tbl"], AT)
    today_start = AT - 5 * HOUR
    assert cover(table) == [("04:00", today_start, 3)]
    # the two past days are kept (ordinals of 28 Feb and 1 Mar 2026), today is not
    assert db_rows(table, "SELECT day, answers FROM stats_days ORDER BY day") == [
        (739675, 1),
        (739676, 1),
    ]
    assert db_rows(table, "SELECT day, mature, passed, failed FROM stats_retention") == [
        (739676, 0, 1, 0)
    ]
    deck, note, _ = split_card_key(card)
    assert db_rows(table, "SELECT deck_id, note_id, passed, failed FROM stats_notes") == [
        (deck, note, 1, 0)
    ]
    all_days = board.retention["all_days"]
    assert (all_days.young.passed, all_days.mature.failed) == (1, 1)
    # an answer today changes nothing kept; a day later, the new day is added
    log.answer(card, AT + HOUR, 3, before=1)
    gather(table, ["tbl"], AT)
    assert cover(table) == [("04:00", today_start, 3)]
    later = gather(table, ["tbl"], AT + DAY)
    assert cover(table) == [("04:00", today_start + DAY, 4)]
    assert db_rows(table, "SELECT day, answers FROM stats_days ORDER BY day")[-1] == (739677, 2)
    assert later.retention["all_days"].mature == all_days.mature


def test_an_undo_of_a_kept_day_makes_the_tallies_again(table: Store) -> None:
    log = Log(table)
    made = log.answer(CARDS[2], AT - DAY, 3, before=2)
    assert gather(table, ["tbl"], AT).window(7).answers == 1
    log.undo(made, CARDS[2], AT)  # dated today, undoing yesterday's answer
    assert gather(table, ["tbl"], AT).window(7).answers == 0
    assert db_rows(table, "SELECT count(*) FROM stats_days") == [(0,)]
    assert cover(table) == [("04:00", AT - 5 * HOUR, 2)]


def test_an_event_written_late_into_a_kept_day_makes_the_tallies_again(table: Store) -> None:
    log = Log(table)
    log.answer(CARDS[2], AT - DAY, 3, before=2)
    gather(table, ["tbl"], AT)
    log.answer(CARDS[1], AT - 2 * DAY, 3, before=2)  # another device's, merged in
    assert gather(table, ["tbl"], AT).window(7).answers == 2


def test_each_day_start_keeps_its_own_tallies(table: Store) -> None:
    log = Log(table)
    log.answer(CARDS[2], AT - DAY - 6 * HOUR, 3, before=2)  # 1 Mar 03:00: 28 Feb's day at 04:00
    assert gather(table, ["tbl"], AT).window(2).answers == 0
    assert gather(table, ["tbl"], AT).window(3).answers == 1
    table.set_setting("day_start", "00:00", at_ms=AT)
    assert gather(table, ["tbl"], AT).window(2).answers == 1  # 1 Mar: yesterday
    assert gather(table, ["tbl"], AT).window(1).answers == 0
    assert sorted(r[0] for r in cover(table)) == ["00:00", "04:00"]


def test_another_time_zone_makes_the_tallies_again(
    table: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer on 1 March at 08:00 UTC is 1 March's in UTC, but in New York it is
    03:00 EST, before the 04:00 rollover: 28 February's. Kept tallies cut in UTC must
    not be read there."""
    log = Log(table)
    log.answer(CARDS[2], AT - DAY - HOUR, 3, before=2)  # 1 Mar 08:00 UTC
    utc_board = gather(table, ["tbl"], AT)
    assert [utc_board.days.date_of(d).isoformat() for d in utc_board.activity] == ["2026-03-01"]
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        board = gather(table, ["tbl"], AT)
        assert [board.days.date_of(d).isoformat() for d in board.activity] == ["2026-02-28"]
        assert to_json(board) == to_json(gather(table, ["tbl"], AT, keep=False))
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_a_clock_set_back_makes_the_tallies_again(table: Store) -> None:
    log = Log(table)
    log.answer(CARDS[2], AT - DAY, 3, before=2)
    gather(table, ["tbl"], AT + 5 * DAY)
    board = gather(table, ["tbl"], AT)
    assert board.window(1).answers == 0 and board.window(2).answers == 1
    assert cover(table) == [("04:00", AT - 5 * HOUR, 1)]


def test_a_file_that_cannot_be_written_answers_without_keeping(
    table: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = Log(table)
    log.answer(CARDS[2], AT - 2 * DAY, 3, before=2)
    gather(table, ["tbl"], AT - DAY)  # kept: up to 1 March
    log.answer(CARDS[2], AT - DAY, 3, before=2)

    def refuse(*args: object, **named: object) -> bool:
        raise StoreError("cannot write")

    monkeypatch.setattr(table, "write_stats_tallies", refuse)
    board = gather(table, ["tbl"], AT)
    assert board.window(7).answers == 2
    assert to_json(board) == to_json(gather(table, ["tbl"], AT, keep=False))
    assert cover(table) == [("04:00", AT - DAY - 5 * HOUR, 1)]


def test_a_read_only_home_answers(table: Store, isolated_home: Path) -> None:
    log = Log(table)
    log.answer(CARDS[2], AT - DAY, 3, before=2)
    db = isolated_home / "leadcards.db"
    table.close()
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only files")
    os.chmod(db, 0o444)
    os.chmod(isolated_home, 0o555)
    try:
        with open_store(isolated_home) as store:
            assert gather(store, ["tbl"], AT).window(7).answers == 1
    finally:
        os.chmod(isolated_home, 0o755)
        os.chmod(db, 0o644)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM stats_cover").fetchone() == (0,)


def test_doctor_rebuild_forgets_the_kept_tallies(table: Store) -> None:
    log = Log(table)
    log.answer(CARDS[2], AT - DAY, 3, before=2)
    gather(table, ["tbl"], AT)
    assert cover(table)
    doctor.check(table, rebuild=True, now_ms=AT)
    assert cover(table) == []
    assert gather(table, ["tbl"], AT).window(7).answers == 1
