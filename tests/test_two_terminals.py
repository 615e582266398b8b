"""Two review sessions on one data folder at once, as two terminals would run them:
each with its own connection to the same file. Neither may show a card the other has
already answered, the daily limits hold across both, and undo takes back only the
session's own action."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadcards.deck.load import load_deck
from leadcards.deck.model import Deck
from leadcards.events import EventKind
from leadcards.scheduling import State
from leadcards.session import Session
from leadcards.store import Store, open_store
from leadcards.sync import sync_deck

from .conftest import AT, DAY, MINUTE, Clock, basic_deck, db_rows, key


@pytest.fixture
def deck(tmp_path: Path, isolated_home: Path) -> Deck:
    path = tmp_path / "mini.yaml"
    path.write_text(basic_deck(8))
    loaded = load_deck(path)
    with open_store(isolated_home) as store:
        sync_deck(store, loaded, AT - 30 * DAY)
        store.set_setting("new_per_day", 5, at_ms=AT - 30 * DAY)
    return loaded


@pytest.fixture
def two(isolated_home: Path, deck: Deck) -> Iterator[tuple[Store, Store]]:
    with open_store(isolated_home) as a, open_store(isolated_home) as b:
        yield a, b


def answers(store: Store) -> list[tuple[str, str]]:
    """(card, event id) of each live answer, in log order."""
    return [
        (r[0], r[1])
        for r in db_rows(
            store, "SELECT card_key, id FROM live_events WHERE kind = 'answer' ORDER BY at, id"
        )
    ]


def test_a_card_answered_in_one_terminal_is_not_shown_in_the_other(
    two: tuple[Store, Store], deck: Deck
) -> None:
    a_store, b_store = two
    clock = Clock()
    a = Session(a_store, [deck], clock=clock)
    b = Session(b_store, [deck], clock=clock)  # both built their queues already
    shown_by_a = []
    for _ in range(3):
        card = a.next_card()
        assert card is not None
        shown_by_a.append(card.key)
        a.reveal()
        a.answer(3)
        clock.at += MINUTE
    card = b.next_card()
    assert card is not None and card.key == key(3)  # not key(0): A answered it
    assert [k for k, _ in answers(a_store)] == [key(0), key(1), key(2)]


def test_the_new_card_limit_holds_across_terminals(two: tuple[Store, Store], deck: Deck) -> None:
    a_store, b_store = two
    clock = Clock()
    a = Session(a_store, [deck], clock=clock)
    b = Session(b_store, [deck], clock=clock)
    shown = []
    for session in (a, b, a, b, a, b, a, b):  # interleaved, 5 new a day between them
        card = session.next_card()
        if card is None:
            continue
        shown.append(card.key)
        session.reveal()
        session.answer(4)  # Easy: straight to review, no learning steps to come back
        clock.at += MINUTE
    introduced = [k for k, _ in answers(a_store)]
    assert len(introduced) == 5 and len(set(introduced)) == 5
    assert a.next_card() is None and b.next_card() is None


def test_undo_takes_back_only_this_terminals_answer(two: tuple[Store, Store], deck: Deck) -> None:
    a_store, b_store = two
    clock = Clock()
    a = Session(a_store, [deck], clock=clock)
    b = Session(b_store, [deck], clock=clock)
    card_a, card_b = a.next_card(), b.next_card()
    assert card_a is not None and card_b is not None and card_a.key == card_b.key
    a.reveal()
    mine = a.answer(3).event_id
    clock.at += 1000
    b.reveal()
    theirs = b.answer(3).event_id
    clock.at += 1000
    assert a.undo() == card_a
    assert answers(a_store) == [(card_a.key, theirs)]  # B's answer stays, A's is gone
    undone = db_rows(a_store, "SELECT target FROM events WHERE kind = 'undo'")
    assert [r[0] for r in undone] == [mine]
    # the card is as B's one answer left it
    memory = a_store.card(card_a.key).memory
    assert (memory.state, memory.reps) == (State.LEARNING, 1)


def test_undo_after_a_forget_in_another_terminal_keeps_the_forget(
    two: tuple[Store, Store], deck: Deck
) -> None:
    a_store, b_store = two
    clock = Clock()
    a = Session(a_store, [deck], clock=clock)
    card = a.next_card()
    assert card is not None
    a.reveal()
    mine = a.answer(4).event_id
    clock.at += 1000
    forget = b_store.forget(card.key, clock.at)
    clock.at += 1000
    assert a.undo() == card
    live = db_rows(a_store, "SELECT id, kind FROM live_events ORDER BY at, id")
    kinds = [(r[0], r[1]) for r in live if r[1] != EventKind.SETTING.value]
    assert kinds == [(forget, "forget")]
    assert mine not in {r[0] for r in live}
    assert a_store.card(card.key).memory.state == State.NEW
