"""The review controller and screen without a terminal: keys → actions, and what is drawn."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from leadcards.deck.load import load_deck
from leadcards.session import Session
from leadcards.store import open_store
from leadcards.sync import sync_deck
from leadcards.ui.controller import Controller, side_keys
from leadcards.ui.keys import decode_keys
from leadcards.ui.lines import plain
from leadcards.ui.screen import review_screen

from .conftest import AT, db_rows

DECK = """\
id: ui
name: "UI::Deck"
tables:
  - id: cmp
    title: Side by side
    row_label: Aspect
    columns: [Management, Leadership]
    templates: [identify]
    rows:
      - {label: Focus, cells: ["[red]Systems[/red]", "People"]}
cards:
  - id: heart
    type: choice
    question: "Leadership is the... [bold]?"
    answer: Heart
    distractors: [Brain, Hands, Skeleton]
"""


@pytest.fixture
def controller(isolated_home: Path, write_deck) -> Controller:
    deck = load_deck(write_deck(DECK))
    store = open_store(isolated_home)
    store.set_setting("fuzz", False, at_ms=0)
    sync_deck(store, deck, AT)
    session = Session(store, [deck], clock=lambda: AT)
    made = Controller(session, {deck.id: deck.name})
    made.start()
    return made


def _screen(controller: Controller, width: int = 80) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(review_screen(controller))
    return out.getvalue()


def _show(controller: Controller, key: str) -> None:
    session = controller.session
    controller.card = session.current = session.card(key)
    session.revealed = False
    controller.choice = None
    controller.intervals = session.preview()


def test_screen_keeps_markup_literal_and_shows_ratings_after_reveal(controller: Controller) -> None:
    _show(controller, "ui:cmp:focus:management:identify")
    before = _screen(controller)
    assert "[red]Systems[/red]" in before
    assert "Side by side · Focus" not in before  # the row is half an identify answer
    assert "3 new · 0 learning · 0 due" in before
    assert "m/l answer" in before
    assert "1 Again" not in before
    controller.handle("enter")
    after = _screen(controller)
    assert "1 Again 1m · 2 Hard 6m · 3 Good 10m · 4 Easy 8d" in after
    assert "Management — Focus" in after
    assert "Side by side · Focus" in after
    assert all(len(line) <= 80 for line in after.splitlines())
    assert len(after.splitlines()) <= 24


def test_b_picks_option_b_on_a_choice_card_and_dash_buries(controller: Controller) -> None:
    _show(controller, "ui:heart:choice")
    card = controller.card
    assert card is not None
    assert "[bold]?" in _screen(controller)
    controller.handle("b")
    assert controller.choice is not None and controller.choice.label == card.options[1]
    assert controller.suggestion == (3 if card.answer_index == 1 else 1)
    assert controller.session.store.card(card.key).buried_until is None
    controller.handle("u")  # nothing answered yet
    assert controller.message == "Nothing to undo in this session."
    controller.handle("-")
    assert controller.session.store.card(card.key).buried_until is not None


def test_enter_accepts_the_suggestion(controller: Controller) -> None:
    _show(controller, "ui:heart:choice")
    card = controller.card
    assert card is not None
    wrong = "abcd"[(card.answer_index + 1) % len(card.options)]
    controller.handle(wrong)
    assert "is not it" in _screen(controller)
    controller.handle("enter")
    assert controller.session.history[-1].rating == 1
    assert controller.message.startswith("Again: next in 1m")


def test_unknown_keys_do_nothing_harmful(controller: Controller) -> None:
    shown = controller.card
    for key in ("z", "9", "!", "enterprise", "x"):
        controller.handle(key)
    assert controller.card is shown and not controller.revealed
    assert controller.session.summary.answered == 0
    assert "does nothing here" in controller.message


def _sides(write_deck, columns: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    deck = load_deck(
        write_deck(
            "id: s\nname: S\ntables:\n  - id: t\n    row_label: A\n"
            f"    columns: [{columns}]\n    templates: [identify]\n"
            f"    rows:\n      - {{label: X, cells: [{', '.join('c' * (i + 1) for i in range(columns.count(',') + 1))}]}}\n"
        )
    )
    card = deck.cards[0]
    return {key: card.sides[index] for key, index in side_keys(card).items()}


def test_every_side_gets_a_key_that_is_not_a_command(write_deck) -> None:  # type: ignore[no-untyped-def]
    assert _sides(write_deck, "PDSA, Lean, Six Sigma") == {
        "p": "PDSA",
        "l": "Lean",
        "i": "Six Sigma",
    }
    assert _sides(write_deck, "Quality, Undo, Budget, Evidence, Safety") == {
        "a": "Quality",
        "n": "Undo",
        "d": "Budget",
        "v": "Evidence",
        "f": "Safety",
    }
    assert _sides(write_deck, "Structure, Leadership, Lean") == {
        "t": "Structure",
        "l": "Leadership",
        "a": "Lean",
    }


def test_side_keys_are_shown_and_answer_on_screen(controller: Controller) -> None:
    _show(controller, "ui:cmp:focus:management:identify")
    screen = _screen(controller)
    assert "m) Management" in screen and "l) Leadership" in screen
    controller.handle("l")  # the wrong side
    assert controller.choice is not None and controller.choice.label == "Leadership"
    assert not controller.choice.correct and controller.revealed


def test_decode_keys() -> None:
    assert decode_keys(b" \r3x\x1b[A\x1bOP4") == ["enter", "enter", "3", "x", "4"]
    assert decode_keys(b"\x04") == ["q"]
    with pytest.raises(KeyboardInterrupt):
        decode_keys(b"\x03")


def test_plain_drops_emphasis_for_screen_readers() -> None:
    assert plain("**Focus** (Aspect) — *Leadership*?") == "Focus (Aspect) — Leadership?"
    assert plain("2 * 3 = 6") == "2 * 3 = 6"


def test_undo_counts_the_card_on_screen_once(controller: Controller) -> None:
    """After undo the card is back on screen: the counts and progress are what they were
    before it was answered, not one more."""
    before = (controller.counts(), controller.progress())
    assert before == ((3, 0, 0), (0, 3))
    controller.handle("enter")
    controller.handle("1")  # Again: the card moves to learning
    assert controller.counts() == (2, 1, 0)
    controller.handle("u")
    assert (controller.counts(), controller.progress()) == before


def test_the_option_or_side_picked_is_logged_with_the_answer(controller: Controller) -> None:
    session = controller.session
    _show(controller, "ui:heart:choice")
    wrong = next(o for o in session.current.options if o != "Heart")
    controller.handle("abcd"[session.current.options.index(wrong)])
    controller.handle("enter")  # accepts the suggested Again
    _show(controller, "ui:cmp:focus:management:identify")
    controller.handle(next(k for k, i in side_keys(session.current).items() if i == 1))
    controller.handle("3")
    logged = db_rows(
        session.store,
        "SELECT card_key, rating, picked FROM events WHERE kind = 'answer' ORDER BY at, id",
    )
    assert [tuple(r) for r in logged] == [
        ("ui:heart:choice", 1, wrong),
        ("ui:cmp:focus:management:identify", 3, "Leadership"),
    ]


def test_the_header_and_summary_say_which_decks_they_cover(isolated_home: Path, write_deck) -> None:  # type: ignore[no-untyped-def]
    from leadcards.ui.screen import summary_view

    one = load_deck(write_deck("id: one\nname: One\ncards:\n  - {id: a, front: q, back: a}\n"))
    two = load_deck(
        write_deck("id: two\nname: Two\ncards:\n  - {id: b, front: q, back: a}\n", "two.yaml")
    )
    store = open_store(isolated_home)
    for deck in (one, two):
        sync_deck(store, deck, AT)
    both = Controller(Session(store, [one, two], clock=lambda: AT), {"one": "One", "two": "Two"})
    both.start()
    assert "2 new · 0 learning · 0 due · 2 decks" in _screen(both)
    out = io.StringIO()
    summary = both.session.finish()
    Console(file=out, width=80, color_system=None).print(
        summary_view(summary, "now", ["One", "Two"])
    )
    assert "Session over: 2 decks" in out.getvalue()
    alone = Controller(Session(store, [one], clock=lambda: AT), {"one": "One"})
    alone.start()
    assert "1 new · 0 learning · 0 due\n" in _screen(alone)


def _fitted(controller: Controller, width: int, height: int) -> list[str]:
    from leadcards.ui.screen import fitted_screen

    out = io.StringIO()
    console = Console(file=out, width=width, height=height, color_system=None)
    console.print(fitted_screen(controller, console), end="")
    return out.getvalue().splitlines()


@pytest.mark.parametrize(("width", "height"), [(80, 24), (60, 20)])
def test_header_card_and_keys_fit_the_terminal(
    controller: Controller, width: int, height: int
) -> None:
    """Whatever is on screen — help, a revealed choice card with its verdict — the
    header is the first line and the key hint the last, within the terminal's size."""
    states = []
    for key in ("ui:heart:choice", "ui:cmp:focus:management:identify"):
        _show(controller, key)
        states.append(_fitted(controller, width, height))
        controller.handle("a" if key.endswith("choice") else "m")  # pick: reveal + verdict
        states.append(_fitted(controller, width, height))
        controller.handle("?")
        states.append(_fitted(controller, width, height))
        controller.handle("?")
    for lines in states:
        assert len(lines) == height
        assert lines[0].startswith("UI::Deck") and "new · " in lines[0]
        assert " undo · " in lines[-1] and lines[-1].endswith(("quit", "…"))
        assert all(len(line) <= width for line in lines)


def test_a_terminal_too_small_says_so(controller: Controller) -> None:
    assert " ".join(line.strip() for line in _fitted(controller, 30, 10)) == (
        "Make the terminal at least 40×12 to review (it is 30×10); q quits."
    )
    assert _fitted(controller, 79, 11) == [
        "Make the terminal at least 40×12 to review (it is 79×11); q quits."
    ]
