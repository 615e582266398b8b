"""session.py: the UI-free review session: order, answers committed at once, undo across
cards and after a leech, bury and suspend, learning cards coming back, session limits."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from leadcards.clock import to_ms
from leadcards.deck.load import load_deck
from leadcards.deck.model import Deck
from leadcards.scheduling import NEW_MEMORY, Memory, Scheduler, State
from leadcards.session import Session
from leadcards.store import Store, open_store
from leadcards.sync import sync_deck
from leadcards.workspace import Workspace

from .conftest import AT, DAY, MINUTE, TABLE_DECK, Clock, basic_deck, db_execute, db_rows, key


def row(store: Store, card_key: str) -> dict[str, Any]:
    return dict(db_rows(store, "SELECT * FROM cards WHERE key = ?", (card_key,))[0])


def log_count(store: Store) -> int:
    return db_rows(store, "SELECT count(*) FROM live_events WHERE kind = 'answer'")[0][0]


def test_builtin_deck_session_answers_are_committed_at_once(isolated_home: Path) -> None:
    ws = Workspace.open(isolated_home, decks=["lvm"])
    store = ws.store
    with store:
        clock = Clock()
        session = Session(store, ws.infos, clock=clock)
        assert session.remaining() == (20, 0, 0)
        seen_notes = set()
        for n in range(20):
            card = session.next_card()
            assert card is not None and card.deck_id == "lvm"
            assert (card.deck_id, card.note_id) not in seen_notes  # siblings are buried
            seen_notes.add((card.deck_id, card.note_id))
            session.reveal()
            assert session.revealed
            preview = session.preview()
            result = session.answer(4)
            assert result.after.due - clock.at == preview[4]
            assert log_count(store) == n + 1  # committed before the next card is drawn
            clock.at += 10_000
        assert session.next_card() is None
        summary = session.finish()
        assert (summary.answered, summary.correct, summary.still_due) == (20, 20, 0)
        assert summary.ratings[4] == 20
        assert summary.next_due_ms is not None and summary.next_due_ms > clock.at


def test_order_in_a_session(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    store.set_setting("fuzz", False, at_ms=0)
    store.answer(key(5), 4, 0, AT - 9 * DAY)  # review, due a day ago
    store.answer(key(6), 4, 0, AT - 20 * DAY)  # review, more overdue
    store.answer(key(7), 1, 0, AT - 5 * MINUTE)  # learning, due now; introduced today
    store.set_setting("new_per_day", 3, at_ms=0)
    session = Session(store, [deck], clock=Clock())
    shown = []
    while (card := session.next_card()) is not None:
        shown.append(card.key)
        session.answer(4)
    assert shown == [key(7), key(6), key(5), key(0), key(1)]
    assert session.summary.answered == 5


def test_learning_card_comes_back_within_the_session(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    clock = Clock()
    session = Session(store, [deck], new_limit=1, clock=clock)
    card = session.next_card()
    assert card is not None and card.key == key(0)
    session.answer(1)  # Again: due in a minute; nothing else left, so shown again now
    assert store.card(key(0)).memory.state == State.LEARNING
    again = session.next_card()
    assert again is not None and again.key == key(0)
    session.answer(3)  # Good: due in 10 minutes, still within learn-ahead
    clock.at += 5 * MINUTE
    assert session.next_card().key == key(0)
    session.answer(3)  # graduates: due in days
    assert store.card(key(0)).memory.state == State.REVIEW
    assert session.next_card() is None
    summary = session.finish()
    assert (summary.answered, summary.correct, summary.still_due) == (3, 2, 0)
    assert dict(summary.ratings) == {1: 1, 3: 2}


def test_undo_across_cards_restores_both_and_shows_the_first_again(
    mini: tuple[Store, Deck],
) -> None:
    store, deck = mini
    session = Session(store, [deck], clock=Clock())
    a = session.next_card()
    before_a = row(store, a.key)
    session.answer(3)
    b = session.next_card()
    before_b = row(store, b.key)
    session.answer(1)
    c = session.next_card()  # on screen when the learner presses undo
    assert (a.key, b.key, c.key) == (key(0), key(1), key(2))
    assert session.undo().key == b.key
    assert row(store, b.key) == before_b and session.current.key == b.key
    assert session.undo().key == a.key
    assert row(store, a.key) == before_a and session.current.key == a.key
    assert log_count(store) == 0
    assert session.summary.answered == 0 and sum(session.summary.ratings.values()) == 0
    assert session.undo() is None  # nothing left to take back
    # answering again continues in order: A (on screen), then B, then C
    session.answer(4)
    assert session.next_card().key == b.key
    session.answer(4)
    assert session.next_card().key == c.key


def test_undo_after_a_leech_suspension(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    store.set_setting("leech_threshold", 1, "mini", at_ms=0)
    store.answer(key(3), 4, 0, AT - 20 * DAY)
    before = row(store, key(3))
    session = Session(store, [deck], clock=Clock())
    card = session.next_card()
    assert card.key == key(3)  # the due review comes before new cards
    result = session.answer(1)
    assert result.became_leech
    assert session.summary.new_leeches == [key(3)]
    state = store.card(key(3))
    assert state.suspended and state.leech and state.memory.lapses == 1
    assert session.next_card().key == key(0)  # the suspended leech is not shown again
    session.undo()
    assert session.current.key == key(3)
    assert row(store, key(3)) == before
    assert session.summary.new_leeches == []
    session.answer(3)  # this time remembered: no leech
    assert not store.card(key(3)).suspended and session.summary.new_leeches == []
    assert session.finish().new_leeches == []


def test_leech_is_reported_in_the_summary(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    store.set_setting("leech_threshold", 2, at_ms=0)
    memory = store.answer(key(2), 4, 0, AT - 40 * DAY).after
    store.answer(key(2), 1, 0, memory.due)
    store.answer(key(2), 3, 0, memory.due + 10 * MINUTE)  # one lapse so far
    session = Session(store, [deck], new_limit=0, clock=Clock())
    assert session.next_card().key == key(2)
    session.answer(1)
    summary = session.finish()
    assert summary.new_leeches == [key(2)]
    assert store.card(key(2)).leech and store.card(key(2)).suspended


def test_undo_takes_back_this_sessions_answer_not_another_terminals(
    mini: tuple[Store, Deck],
) -> None:
    store, deck = mini
    session = Session(store, [deck], clock=Clock())
    card = session.next_card()
    session.answer(3)
    # another terminal answers the same card, and another one, meanwhile
    store.answer(card.key, 4, 0, AT + 1)
    store.answer(key(5), 3, 0, AT + 2)
    assert session.undo() == card
    assert db_rows(store, "SELECT card_key, rating FROM live_events ORDER BY at, id") == [
        (card.key, 4),
        (key(5), 3),
    ]
    assert store.card(card.key).memory == theirs_alone(store, card.key, AT + 1)
    assert session.summary.answered == 0 and session.history == []
    assert session.undo() is None  # nothing of this session's is left to undo


def theirs_alone(store: Store, card_key: str, at: int) -> Memory:
    return Scheduler(store.settings("mini")).answer(card_key, NEW_MEMORY, 4, at)


def test_bury_and_suspend(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    clock = Clock()
    session = Session(store, [deck], clock=clock)
    assert session.next_card().key == key(0)
    session.bury()
    assert store.card(key(0)).buried_until == to_ms(datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc))
    assert session.current is None
    assert session.next_card().key == key(1)
    session.suspend()
    assert store.card(key(1)).suspended
    assert session.next_card().key == key(2)
    assert log_count(store) == 0 and session.summary.answered == 0
    with pytest.raises(RuntimeError):
        Session(store, [deck], clock=clock).answer(3)  # no card drawn yet
    # the next study day the buried card is back; the suspended one is not
    tomorrow = Session(store, [deck], clock=Clock(AT + DAY))
    assert tomorrow.next_card().key == key(0)
    tomorrow.answer(3)
    assert tomorrow.next_card().key == key(2)


def test_session_limits(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    assert Session(store, [deck], new_limit=3, clock=Clock()).remaining() == (3, 0, 0)
    limited = Session(store, [deck], card_limit=2, clock=Clock())
    for _ in range(2):
        limited.next_card()
        limited.answer(4)
    assert limited.next_card() is None
    assert limited.finish().answered == 2
    clock = Clock()
    timed = Session(store, [deck], minutes=5, clock=clock)
    assert timed.next_card() is not None
    timed.answer(4)
    clock.at += 5 * MINUTE - 1
    assert timed.next_card() is not None
    timed.answer(4)
    clock.at += 1
    assert timed.next_card() is None  # time is up, though cards remain
    assert timed.remaining()[0] > 0
    # new_limit overrides the daily quota, for this session only
    store.set_setting("new_per_day", 1, at_ms=0)
    more = Session(store, [deck], new_limit=2, clock=Clock())
    assert more.remaining() == (2, 0, 0)
    assert Session(store, [deck], clock=Clock()).remaining() == (0, 0, 0)


def test_siblings_are_buried_after_an_answer(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "tbl.yaml"
    path.write_text(TABLE_DECK)
    deck = load_deck(path)
    with open_store(isolated_home) as store:
        sync_deck(store, deck, AT)
        session = Session(store, [deck], clock=Clock())
        shown = []
        while (card := session.next_card()) is not None:
            shown.append(card)
            session.answer(4)
        # four cells and the plain card: one card of each note
        assert [c.template for c in shown] == ["recall"] * 4 + ["front"]
        assert len({c.note_id for c in shown}) == 5
        untouched = [c.key for c in deck.cards if c.template not in ("recall", "front")]
        assert all(store.card(k).memory.state == State.NEW for k in untouched)
        # the next study day, the siblings (identify, choice) come up
        next_day = Session(store, [deck], clock=Clock(AT + DAY))
        card = next_day.next_card()
        assert card is not None and card.template == "identify"


def test_cards_with_no_stored_text_are_passed_over(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(basic_deck(3))
    with open_store(isolated_home) as store:
        deck = load_deck(path)
        sync_deck(store, deck, AT)
        db_execute(store, "DELETE FROM notes WHERE note_id = 'c00'")  # as a hand edit would
        session = Session(store, [deck], clock=Clock())
        card = session.next_card()
        assert card is not None and card.key == key(1)


def test_a_buried_learning_card_is_not_still_to_come(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    session = Session(store, [deck], new_limit=1, clock=Clock())
    session.next_card()
    session.answer(1)  # learning, due in a minute
    assert session.remaining() == (0, 1, 0)
    assert session.next_card().key == key(0)
    session.bury()
    assert session.next_card() is None
    assert session.remaining() == (0, 0, 0)
    summary = session.finish()
    assert summary.still_due == 0
    # this session took one new card; today's limit lets 7 more through right away
    assert (summary.still_new, summary.next_due_ms) == (7, AT)


def test_undo_takes_back_bury_and_suspend_in_order(mini: tuple[Store, Deck]) -> None:
    """u after b or s brings that card back; the answer before stays until undone too."""
    store, deck = mini
    session = Session(store, [deck], clock=Clock())
    assert session.next_card().key == key(0)
    session.answer(3)
    assert session.next_card().key == key(1)
    session.bury()
    assert session.next_card().key == key(2)
    session.suspend()
    assert session.next_card().key == key(3)
    assert session.undo().key == key(2)  # the suspension, not the answer
    assert not store.card(key(2)).suspended and session.current.key == key(2)
    assert session.undo().key == key(1)  # then the bury
    assert store.card(key(1)).buried_until is None
    assert log_count(store) == 1 and session.summary.answered == 1
    assert session.undo().key == key(0)  # then the answer
    assert log_count(store) == 0 and store.card(key(0)).memory.state == State.NEW
    assert session.undo() is None
    # nothing is lost from the queue: key(0) is on screen, the rest follow in deck order
    shown = [session.current.key]
    session.answer(3)
    while (card := session.next_card()) is not None:
        shown.append(card.key)
        session.answer(3)
    assert shown[:8] == [key(i) for i in range(8)]


def test_a_bury_never_lists_a_due_review_twice(mini: tuple[Store, Deck]) -> None:
    """Burying a card takes the next due card in its place. Reviews due before today are
    listed whatever their siblings did, and the stand-in search used to take one of them
    again although it was listed already: after its answer it came back a second time."""
    store, deck = mini
    store.set_setting("new_per_day", 0, at_ms=0)
    for i in range(4):  # Easy goes straight to review; all four due days before AT
        store.answer(key(i), 4, 0, AT - 25 * DAY)
    session = Session(store, [deck], clock=Clock())
    assert session.remaining() == (0, 0, 4)
    first = session.next_card()
    assert first is not None
    session.bury()
    assert session.remaining() == (0, 0, 3)
    shown = []
    while (card := session.next_card()) is not None:
        shown.append(card.key)
        session.reveal()
        session.answer(3)
    assert sorted(shown) == sorted({key(i) for i in range(4)} - {first.key})
