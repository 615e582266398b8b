"""topics.py and `review --tag/--table/--aspect`: one topic's due and new cards, under
the daily limits every review spends; a name no card has is one line naming those
there are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck.load import load_deck
from leadcards.deck.model import Deck
from leadcards.errors import UsageError
from leadcards.scheduling import State
from leadcards.session import Session
from leadcards.store import Store, open_store
from leadcards.sync import sync_deck
from leadcards.topics import Topic, topic_keys

from .conftest import AT, DAY, HOUR, TABLE_DECK, Clock, answer_all, db_rows

runner = CliRunner()

RISK = ["tbl:cmp:risk:management:recall", "tbl:cmp:risk:leadership:recall"]
FOCUS_M = "tbl:cmp:focus:management:recall"


@pytest.fixture
def tbl(tmp_path: Path, isolated_home: Path) -> Iterator[tuple[Store, Deck]]:
    path = tmp_path / "tbl.yaml"
    path.write_text(TABLE_DECK)
    deck = load_deck(path)
    with open_store(isolated_home) as store:
        sync_deck(store, deck, AT - 30 * DAY)
        yield store, deck


def test_a_topic_is_a_tag_with_its_children_a_table_and_an_aspect(
    tbl: tuple[Store, Deck],
) -> None:
    _, deck = tbl
    by_key = {card.key: card for card in deck.cards}

    def keys(topic: Topic) -> list[str]:
        return [card.key for card in deck.cards if topic.has(card)]

    assert len(keys(Topic(tag="cmp"))) == 12  # cmp::focus, cmp::risk… are below cmp
    assert keys(Topic(tag="CMP::Risk")) == keys(Topic(aspect="risk"))
    assert len(keys(Topic(table="Management vs leadership"))) == 12  # by title
    assert keys(Topic(aspect="Risk")) == [
        "tbl:cmp:risk:management:recall",
        "tbl:cmp:risk:management:identify",
        "tbl:cmp:risk:management:choice",
        "tbl:cmp:risk:leadership:recall",
        "tbl:cmp:risk:leadership:identify",
        "tbl:cmp:risk:leadership:choice",
    ]
    # every part must hold
    assert keys(Topic(tag="cmp::management", aspect="focus")) == [
        "tbl:cmp:focus:management:recall",
        "tbl:cmp:focus:management:identify",
        "tbl:cmp:focus:management:choice",
    ]
    assert not Topic() and Topic(aspect="x")
    assert not Topic(aspect="focus").has(by_key["tbl:solo:front"])  # not a table card


@pytest.mark.parametrize(
    ("topic", "message"),
    [
        (
            Topic(tag="cmp::nope"),
            "no card has the tag 'cmp::nope' (tags: cmp::focus, cmp::leadership, "
            "cmp::management, cmp::risk, table::cmp)",
        ),
        (Topic(table="nope"), "no table 'nope' (tables: cmp)"),
        (Topic(aspect="nope"), "no aspect 'nope' (aspects: focus, risk)"),
        (
            Topic(table="cmp", aspect="nope"),
            "no aspect 'nope' in table 'cmp' (aspects: focus, risk)",
        ),
    ],
)
def test_a_name_no_card_has_is_refused_with_the_known_ones(
    tbl: tuple[Store, Deck], topic: Topic, message: str
) -> None:
    store, _ = tbl
    with pytest.raises(UsageError) as raised:
        topic_keys(store, ["tbl"], topic)
    assert str(raised.value) == message


def test_no_topic_means_every_card(tbl: tuple[Store, Deck]) -> None:
    store, _ = tbl
    assert topic_keys(store, ["tbl"], Topic()) is None


def test_a_topic_review_shows_only_its_cards_and_spends_the_usual_limits(
    tbl: tuple[Store, Deck],
) -> None:
    store, deck = tbl
    store.set_setting("new_per_day", 3, at_ms=0)
    store.answer("tbl:solo:front", 4, 0, AT - HOUR)  # one new card already introduced today
    only = topic_keys(store, ["tbl"], Topic(aspect="risk"))
    session = Session(store, [deck], clock=Clock(), only=only)
    # two notes in the row, one card each (siblings wait): the limit leaves room for 2
    assert session.remaining() == (2, 0, 0)
    assert answer_all(session, 4) == RISK
    summary = session.finish()
    assert (summary.answered, summary.still_due, summary.still_new) == (2, 0, 0)
    # those two count: a plain review now has no new card left today
    assert Session(store, [deck], clock=Clock()).remaining() == (0, 0, 0)


def test_the_limit_cuts_a_topic_as_it_cuts_a_deck(tbl: tuple[Store, Deck]) -> None:
    store, deck = tbl
    store.set_setting("new_per_day", 2, at_ms=0)
    store.answer(FOCUS_M, 4, 0, AT - HOUR)
    only = topic_keys(store, ["tbl"], Topic(aspect="risk"))
    session = Session(store, [deck], clock=Clock(), only=only)
    assert answer_all(session, 4) == RISK[:1]


def test_learning_and_due_cards_of_other_topics_wait(tbl: tuple[Store, Deck]) -> None:
    store, deck = tbl
    store.set_setting("fuzz", False, at_ms=0)
    store.answer(FOCUS_M, 1, 0, AT - HOUR)  # learning, due now
    store.answer("tbl:solo:front", 4, 0, AT - 20 * DAY)  # a review, due
    store.answer(RISK[1], 4, 0, AT - 20 * DAY)  # a review, due, in the topic
    plain = Session(store, [deck], clock=Clock())
    assert plain.remaining() == (2, 1, 2)  # new: focus·leadership, risk·management
    only = topic_keys(store, ["tbl"], Topic(tag="cmp::risk"))
    session = Session(store, [deck], clock=Clock(), only=only)
    assert session.remaining() == (1, 0, 1)
    assert answer_all(session, 4) == [RISK[1], RISK[0]]
    assert store.card(FOCUS_M).memory.state == State.LEARNING  # untouched


def invoke(*args: str, code: int = 0, stdin: str = "") -> Any:
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--table", "nope"], "no table 'nope' (tables: comparison, leadership-traits, "
         "management-functions)"),
        (["--table", "comparison", "--aspect", "nope"], "no aspect 'nope' in table "
         "'comparison' (aspects: approach, focus, primary-goal, risk-attitude, "
         "style-of-influence, time-orientation)"),
        (["--tag", "comparison::nope"], "no card has the tag 'comparison::nope' (tags: "
         "classify, comparison, comparison::approach, comparison::focus, "
         "comparison::leadership, comparison::management, comparison::primary-goal, "
         "comparison::risk-attitude, comparison::style-of-influence, "
         "comparison::time-orientation, cphq, development and 27 more)"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", ["review", "cram"])
def test_unknown_topics_are_one_line_errors(command: str, args: list[str], message: str) -> None:
    result = invoke(command, *args, code=2)
    assert result.stderr == f"error: {message}\n"
    assert result.stdout == ""


def test_review_of_an_aspect_in_line_mode_with_a_deck_named(isolated_home: Path) -> None:
    result = invoke("review", "lvm", "--aspect", "Risk Attitude", stdin="\n4\n\n4\n")
    out = result.stdout
    # one card per note: the management and the leadership cell of the row
    assert "--- card 1 of 2 · CPHQ::Leadership vs Management · 2 new, 0 learning, 0 due" in out
    assert "Q: Risk Attitude (Aspect) — Management?" in out
    assert "Q: Risk Attitude (Aspect) — Leadership?" in out
    assert "Cards answered: 2" in out and "Still due today: 0\n" in out
    answered = db_rows(isolated_home / "leadcards.db", "SELECT card_key FROM events ORDER BY id")
    assert [r[0] for r in answered] == [
        "lvm:comparison:risk-attitude:management:recall",
        "lvm:comparison:risk-attitude:leadership:recall",
    ]
    status = invoke("status", "--json").stdout
    assert '"new": 18' in status  # the topic's two new cards came out of today's 20
