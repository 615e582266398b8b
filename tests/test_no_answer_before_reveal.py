"""Nothing shown before the reveal gives the answer away, for every card kind, on the
review screen, in line mode and in Anki (the learner's own recall is what is being
scheduled).

An answer part may appear before the reveal only as one of the choices offered (the
options of a choice card, the sides of an identify card), and no more often than the
other choices: nothing may single it out.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from leadcards.deck.card_types import card_type
from leadcards.deck.card_types.cloze import cloze_answers
from leadcards.deck.load import load_deck
from leadcards.deck.model import Card
from leadcards.export import apkg
from leadcards.session import Session
from leadcards.store import open_store
from leadcards.sync import sync_deck
from leadcards.ui.controller import Controller
from leadcards.ui.lines import card_lines, plain
from leadcards.ui.screen import review_screen

from .conftest import AT

DECK = """\
id: leak
name: Leak test
tables:
  - id: functions
    title: Key functions of managers
    row_label: Function
    columns: [Management, Leadership]
    identify: both
    rows:
      - {label: Planning, cells: [Setting policies and procedures, Setting a direction]}
      - {label: Staffing, cells: [Hiring and training, Developing people]}
  - id: sides
    title: Quality approaches
    row_label: Aspect
    columns: [PDSA, Lean, Six Sigma]
    identify: column
    templates: [identify]
    rows:
      - {label: Aim, cells: [Rapid small tests, Removing waste, Reducing variation]}
  - id: rows
    title: Risk attitudes
    row_label: Attitude
    columns: [Managers, Leaders]
    identify: row
    templates: [identify]
    rows:
      - {label: Uncertainty, cells: [Risk-averse, Risk-tolerant]}
      - {label: Control, cells: [Seeks control, Shares control]}
cards:
  - {id: basic, front: What does PDSA stand for?, back: "Plan, Do, Study, Act"}
  - {id: rev, type: reversed, front: Vision, back: A shared picture of the future}
  - id: cz
    type: cloze
    text: A {{c1::root cause analysis}} asks {{c2::why}} an event happened.
  - id: pick
    type: choice
    question: Which is a leadership trait?
    answer: "*Transformational*"
    distractors: [Transactional, Bureaucratic, Directive]
"""


def answer_parts(card: Card) -> list[str]:
    """What the learner is asked to produce, as it would be printed."""
    if card.template == "identify":
        parts = []
        if card.sides:
            parts.append(card.sides[card.answer_side])
        if card.origin is not None and "Which" in card.front:  # row or both: the row too
            parts.append(card.origin.row)
        return parts
    if card.kind == "cloze":
        number = int(card.template[1:])
        source = next(n for n in DECK.splitlines() if "{{c1::" in n)
        return cloze_answers(source, number)
    if card.options:
        return [plain(card.options[card.answer_index])]
    return [plain(card.back)]


def offered(card: Card) -> list[str]:
    return [plain(o) for o in (*card.options, *card.sides)]


@pytest.fixture
def controller(isolated_home: Path, tmp_path: Path) -> Controller:
    path = tmp_path / "leak.yaml"
    path.write_text(DECK)
    deck = load_deck(path)
    store = open_store(isolated_home)
    sync_deck(store, deck, AT)
    made = Controller(Session(store, [deck], clock=lambda: AT), {deck.id: deck.name})
    made.start()
    return made


def shown_before_reveal(controller: Controller, card: Card, width: int) -> list[str]:
    session = controller.session
    controller.card = session.current = card
    session.revealed = False
    controller.choice = None
    controller.intervals = session.preview()
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(review_screen(controller))
    flat = re.sub(r"[│╭╮╰╯─\s]+", " ", out.getvalue())  # panel borders and wrapping
    return [flat, " ".join(card_lines(controller))]


def test_no_card_shows_its_answer_before_the_reveal(controller: Controller) -> None:
    cards = [c for d in controller.session.decks.values() for c in d.cards]
    assert {c.template for c in cards} >= {"recall", "identify", "choice", "front", "c1"}
    for card in cards:
        for width in (80, 60):
            for text in shown_before_reveal(controller, card, width):
                choices = offered(card)
                for part in answer_parts(card):
                    allowed = min(text.count(c) for c in choices) if part in choices else 0
                    assert text.count(part) <= allowed, (card.key, width, part, text)


def test_the_identify_title_comes_with_the_answer(controller: Controller) -> None:
    """The row name and table title are shown once the answer is."""
    session = controller.session
    card = session.card("leak:functions:planning:management:identify")
    before = shown_before_reveal(controller, card, 80)
    assert all("Key functions of managers" not in text for text in before)
    controller.handle("enter")
    out = io.StringIO()
    Console(file=out, width=80, color_system=None).print(review_screen(controller))
    assert "Key functions of managers · Planning" in out.getvalue()


def test_choice_options_are_rendered_not_raw_markdown(controller: Controller) -> None:
    card = controller.session.card("leak:pick:choice")
    screen, lines = shown_before_reveal(controller, card, 80)
    assert "*Transformational*" not in screen and "Transformational" in screen
    assert "*Transformational*" not in lines


def test_no_anki_card_shows_its_answer_on_the_front(tmp_path: Path) -> None:
    """The same rule in Anki: each card of the deck exported, imported into a real
    collection, and its question rendered by Anki itself."""
    pytest.importorskip("anki")
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    path = tmp_path / "leak.yaml"
    path.write_text(DECK)
    deck = load_deck(path)
    package = tmp_path / "leak.apkg"
    apkg.write_apkg([deck], package)
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    options = ImportAnkiPackageOptions(with_scheduling=False)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))
    for card in deck.cards:
        note = col.db.scalar(
            "select id from notes where guid = ?", apkg.note_guid(deck.id, card.note_id)
        )
        ordinal = card_type(card.kind).note_type.ordinal(card.template)
        anki_card = col.get_card(
            col.db.scalar("select id from cards where nid = ? and ord = ?", note, ordinal)
        )
        question = html.unescape(
            re.sub(r"<[^>]+>", " ", anki_card.question().split("</style>")[-1])
        )
        question = " ".join(question.split())
        answer = html.unescape(re.sub(r"<[^>]+>", " ", anki_card.answer().split("</style>")[-1]))
        parts = answer_parts(card)
        if card.template == "identify" and card.origin is not None:
            parts.append(card.origin.table_title)  # the title tells one table's side from another's
        choices = offered(card)
        for part in parts:
            allowed = min(question.count(c) for c in choices) if part in choices else 0
            assert question.count(part) <= allowed, (card.key, part, question)
            assert part in " ".join(answer.split()), (card.key, part, answer)
    col.close()
