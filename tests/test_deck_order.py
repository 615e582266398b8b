"""A deck's ``order:``: which notes come first, and how a changed order reaches a
learner who already studied part of the deck (never by a changed key or history)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from leadcards.deck.load import load_deck
from leadcards.errors import DeckError
from leadcards.store import Store, open_store
from leadcards.sync import sync_deck

from .conftest import AT, MINUTE, db_rows

WriteDeck = Callable[..., Path]

DECK = """\
id: o
name: Ordered
{order}tables:
  - id: cmp
    row_label: Aspect
    columns: [Management, Leadership]
    templates: [recall]
    rows:
      - {{label: Focus, cells: [Systems, People]}}
      - {{label: Risk, cells: [Averse, Embraces]}}
cards:
  - {{id: one, front: Q1, back: A1}}
  - {{id: two, front: Q2, back: A2}}
  - {{id: three, front: Q3, back: A3}}
"""


def deck_text(*order: str) -> str:
    lines = "".join(f"  - {item}\n" for item in order)
    return DECK.format(order=f"order:\n{lines}" if order else "")


def note_ids(write_deck: WriteDeck, *order: str) -> list[str]:
    return [n.id for n in load_deck(write_deck(deck_text(*order))).notes]


def test_without_order_tables_come_first_then_cards_in_file_order(write_deck: WriteDeck) -> None:
    assert note_ids(write_deck) == [
        "cmp:focus:management",
        "cmp:focus:leadership",
        "cmp:risk:management",
        "cmp:risk:leadership",
        "one",
        "two",
        "three",
    ]


def test_order_names_cards_rows_cells_and_tables(write_deck: WriteDeck) -> None:
    assert note_ids(write_deck, "two", "cmp:risk", "one", "cmp:focus:leadership", "cmp") == [
        "two",
        "cmp:risk:management",
        "cmp:risk:leadership",
        "one",
        "cmp:focus:leadership",
        "cmp:focus:management",  # the rest of the table, where the table is named
        "three",  # named by no item: after the named ones, in file order
    ]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (("one", "twoo"), "5:5: order: 'twoo' names no table, row or card; did you mean 'two'?"),
        (("cmp", "cmp:focus"), "5:5: order: 'cmp:focus' is already placed by line 4"),
        (("one", "one"), "5:5: order: 'one' is already placed by line 4"),
    ],
)
def test_order_problems_are_located(
    write_deck: WriteDeck, order: tuple[str, ...], expected: str
) -> None:
    path = write_deck(deck_text(*order))
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert [str(p) for p in info.value.problems] == [f"{path}:{expected}"]


def new_in_order(store: Store) -> list[str]:
    return [key for key, _ in store.new_cards("o", AT, ordered=True)]


def rows(store: Store) -> dict[str, tuple[object, ...]]:
    return {
        r["key"]: tuple(r)
        for r in db_rows(store, "SELECT * FROM cards WHERE deck_id = 'o' ORDER BY key")
    }


def test_a_new_order_applies_to_what_the_learner_has_not_seen(
    write_deck: WriteDeck, isolated_home: Path
) -> None:
    with open_store(isolated_home) as store:
        sync_deck(store, load_deck(write_deck(deck_text())), AT)
        assert new_in_order(store) == [
            "o:cmp:focus:management:recall",
            "o:cmp:focus:leadership:recall",
            "o:cmp:risk:management:recall",
            "o:cmp:risk:leadership:recall",
            "o:one:front",
            "o:two:front",
            "o:three:front",
        ]
        store.answer("o:cmp:focus:management:recall", 3, 1000, AT)
        store.answer("o:one:front", 4, 1000, AT + MINUTE)
        studied = {
            k: v
            for k, v in rows(store).items()
            if k in {"o:cmp:focus:management:recall", "o:one:front"}
        }
        # the author puts the cards first and adds one, in the middle of the file
        text = deck_text("three", "two", "one").replace(
            "  - {id: two,", "  - {id: new, front: Q0, back: A0}\n  - {id: two,"
        )
        sync_deck(store, load_deck(write_deck(text)), AT + 2 * MINUTE)
        assert new_in_order(store) == [
            "o:three:front",
            "o:two:front",
            "o:cmp:focus:leadership:recall",
            "o:cmp:risk:management:recall",
            "o:cmp:risk:leadership:recall",
            "o:new:front",
        ]
        after = rows(store)
        # what was studied keeps its row whole: key, record, history's place
        assert {k: after[k] for k in studied} == studied
        assert len(after) == 8
        assert store.card("o:one:front").record.memory.reps == 1


def test_an_unchanged_order_moves_nothing(write_deck: WriteDeck, isolated_home: Path) -> None:
    path = write_deck(deck_text("two"))
    with open_store(isolated_home) as store:
        sync_deck(store, load_deck(path), AT)
        before = rows(store)
        # a card added at the end comes last; no other card moves
        path.write_text(deck_text("two") + "  - {id: four, front: Q4, back: A4}\n")
        sync_deck(store, load_deck(path), AT + MINUTE)
        after = rows(store)
        assert {k: after[k] for k in before} == before
        assert new_in_order(store)[-1] == "o:four:front"
