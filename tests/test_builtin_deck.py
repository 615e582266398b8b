"""The built-in deck: what it asks (scenarios, the side of every example, comparison
choices that ask the side), the order a new learner meets it in, and the card keys
that must survive every edit so learners keep their history."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck.load import load_deck
from leadcards.deck.model import Card, Deck

from .conftest import BUILTIN_DECK, db_rows

runner = CliRunner()

# The keys the deck had before it was rewritten for the exam (142 cards) whose fact
# did not change: every learner's history on them must stay theirs. A card may change
# its wording; it may not silently lose its key. Dropping one is a deliberate edit here.
KEPT_KEYS = [
    "lvm:management-functions:planning:what-it-means:recall",
    "lvm:management-functions:planning:what-it-means:identify",
    "lvm:management-functions:planning:healthcare-example:identify",
    "lvm:management-functions:organizing:what-it-means:recall",
    "lvm:management-functions:organizing:what-it-means:identify",
    "lvm:management-functions:organizing:healthcare-example:identify",
    "lvm:management-functions:monitoring:what-it-means:recall",
    "lvm:management-functions:monitoring:what-it-means:identify",
    "lvm:management-functions:monitoring:healthcare-example:identify",
    "lvm:management-functions:problem-solving:what-it-means:recall",
    "lvm:management-functions:problem-solving:what-it-means:identify",
    "lvm:management-functions:problem-solving:healthcare-example:identify",
    "lvm:management-functions:compliance:what-it-means:recall",
    "lvm:management-functions:compliance:what-it-means:identify",
    "lvm:management-functions:compliance:healthcare-example:identify",
    "lvm:leadership-traits:vision-setting:what-it-means:recall",
    "lvm:leadership-traits:vision-setting:what-it-means:identify",
    "lvm:leadership-traits:vision-setting:healthcare-example:identify",
    "lvm:leadership-traits:inspiration:what-it-means:recall",
    "lvm:leadership-traits:inspiration:what-it-means:identify",
    "lvm:leadership-traits:inspiration:healthcare-example:identify",
    "lvm:leadership-traits:empowerment:what-it-means:recall",
    "lvm:leadership-traits:empowerment:what-it-means:identify",
    "lvm:leadership-traits:empowerment:healthcare-example:identify",
    "lvm:leadership-traits:innovation:what-it-means:recall",
    "lvm:leadership-traits:innovation:what-it-means:identify",
    "lvm:leadership-traits:innovation:healthcare-example:identify",
    "lvm:leadership-traits:cultural-leadership:what-it-means:recall",
    "lvm:leadership-traits:cultural-leadership:what-it-means:identify",
    "lvm:leadership-traits:cultural-leadership:healthcare-example:identify",
    "lvm:comparison:focus:management:recall",
    "lvm:comparison:focus:management:identify",
    "lvm:comparison:focus:management:choice",
    "lvm:comparison:focus:leadership:recall",
    "lvm:comparison:focus:leadership:identify",
    "lvm:comparison:focus:leadership:choice",
    "lvm:comparison:approach:management:recall",
    "lvm:comparison:approach:management:identify",
    "lvm:comparison:approach:management:choice",
    "lvm:comparison:approach:leadership:recall",
    "lvm:comparison:approach:leadership:identify",
    "lvm:comparison:approach:leadership:choice",
    "lvm:comparison:primary-goal:management:recall",
    "lvm:comparison:primary-goal:management:identify",
    "lvm:comparison:primary-goal:management:choice",
    "lvm:comparison:primary-goal:leadership:recall",
    "lvm:comparison:primary-goal:leadership:identify",
    "lvm:comparison:primary-goal:leadership:choice",
    "lvm:comparison:time-orientation:management:recall",
    "lvm:comparison:time-orientation:management:identify",
    "lvm:comparison:time-orientation:management:choice",
    "lvm:comparison:time-orientation:leadership:recall",
    "lvm:comparison:time-orientation:leadership:identify",
    "lvm:comparison:time-orientation:leadership:choice",
    "lvm:comparison:risk-attitude:management:recall",
    "lvm:comparison:risk-attitude:management:identify",
    "lvm:comparison:risk-attitude:leadership:recall",
    "lvm:comparison:risk-attitude:leadership:identify",
    "lvm:comparison:risk-attitude:leadership:choice",
    "lvm:comparison:style-of-influence:management:recall",
    "lvm:comparison:style-of-influence:management:identify",
    "lvm:comparison:style-of-influence:management:choice",
    "lvm:comparison:style-of-influence:leadership:recall",
    "lvm:comparison:style-of-influence:leadership:identify",
    "lvm:comparison:style-of-influence:leadership:choice",
    "lvm:doing-things-right:c1",
    "lvm:transactional-vs-transformational:c1",
    "lvm:leadership-approach-choice:choice",
    "lvm:goal-of-a-manager:front",
    "lvm:goal-of-a-leader:front",
    "lvm:people-empower-vs-coordinate:c1",
    "lvm:people-empower-vs-coordinate:c2",
    "lvm:leaders-and-risk:choice",
    "lvm:managers-and-risk:front",
    "lvm:influence-vs-direct:c1",
    "lvm:road-and-direction:c1",
    "lvm:road-and-direction:c2",
    "lvm:train-metaphor:c1",
    "lvm:train-metaphor:c2",
    "lvm:backbone-metaphor:front",
    "lvm:heart-metaphor:choice",
    "lvm:manager-priorities:front",
    "lvm:compliance-function-example:choice",
    "lvm:monitoring-indicators:c1",
    "lvm:problem-solving-methods:front",
    "lvm:innovation-example:choice",
    "lvm:inspiration-means:front",
    "lvm:cultural-leadership-priorities:front",
    "lvm:leadership-development-choice:choice",
    "lvm:emotional-intelligence:c1",
    "lvm:emotional-intelligence:c2",
    "lvm:manage-today-lead-tomorrow:front",
]


# What each scenario draws on: its answer and each distractor are taught by these
# notes (a card id, or a table row: all of its notes), which must come first.
SCENARIO_FACTS = {
    "scenario-style-of-influence": [
        "comparison:style-of-influence",
        "influence-vs-direct",
        "architects-of-the-process",
        "people-empower-vs-coordinate",
    ],
    "scenario-risk": [
        "comparison:risk-attitude",
        "managers-and-risk",
        "leaders-and-risk",
        "influence-vs-direct",
        "status-quo",
    ],
    "scenario-people": [
        "people-empower-vs-coordinate",
        "leaders-and-people",
        "people-not-just-performance",
        "part-of-the-team",
    ],
    "scenario-icu-ratios": [
        "management-functions:organizing",
        "management-functions:planning",
        "management-functions:monitoring",
        "management-functions:compliance",
    ],
    "scenario-fmea": [
        "management-functions:problem-solving",
        "fmea",
        "management-functions:monitoring",
        "management-functions:planning",
        "management-functions:compliance",
    ],
    "scenario-joint-commission": [
        "management-functions:compliance",
        "management-functions:planning",
        "management-functions:monitoring",
        "management-functions:organizing",
    ],
    "scenario-hand-hygiene": [
        "leadership-traits:inspiration",
        "leadership-traits:vision-setting",
        "leadership-traits:empowerment",
        "leadership-traits:cultural-leadership",
    ],
    "scenario-safety-huddles": [
        "leadership-traits:empowerment",
        "leadership-traits:inspiration",
        "leadership-traits:cultural-leadership",
        "leadership-traits:innovation",
    ],
    "scenario-falls-vision": [
        "classify-falls-vision",
        "monitoring-indicators",
        "classify-sops",
        "by-the-book",
        "classify-staffing",
    ],
    "scenario-sepsis-goal": [
        "leadership-traits:vision-setting",
        "management-functions:planning",
        "management-functions:monitoring",
        "leadership-traits:inspiration",
    ],
    "scenario-predictive-analytics": [
        "leadership-traits:innovation",
        "management-functions:problem-solving",
        "management-functions:planning",
        "leadership-traits:vision-setting",
    ],
    "scenario-just-culture": [
        "leadership-traits:cultural-leadership",
        "just-culture-shift",
        "problem-solving-methods",
        "monitoring-indicators",
        "by-the-book",
    ],
    "scenario-readmissions": [
        "management-functions:planning",
        "classify-storytelling",
        "classify-tools-and-voice",
        "classify-lean-six-sigma",
    ],
    "scenario-complaints": [
        "classify-complaints",
        "status-quo",
        "classify-lean-six-sigma",
        "leadership-traits:inspiration",
    ],
    "scenario-lean-six-sigma": [
        "classify-lean-six-sigma",
        "develop-certification",
        "management-functions:planning",
        "management-functions:problem-solving",
        "leadership-traits:empowerment",
    ],
}

# Every concrete example of the article, asked as "management function or leadership
# trait, and which one?": the tables' ten (identify cards) and the bullets' ten.
EXAMPLE_CARDS = {
    "lvm:management-functions:planning:healthcare-example:identify": "planning",
    "lvm:management-functions:organizing:healthcare-example:identify": "organizing",
    "lvm:management-functions:monitoring:healthcare-example:identify": "monitoring",
    "lvm:management-functions:problem-solving:healthcare-example:identify": "problem-solving",
    "lvm:management-functions:compliance:healthcare-example:identify": "compliance",
    "lvm:leadership-traits:vision-setting:healthcare-example:identify": "vision-setting",
    "lvm:leadership-traits:inspiration:healthcare-example:identify": "inspiration",
    "lvm:leadership-traits:empowerment:healthcare-example:identify": "empowerment",
    "lvm:leadership-traits:innovation:healthcare-example:identify": "innovation",
    "lvm:leadership-traits:cultural-leadership:healthcare-example:identify": "cultural leadership",
    "lvm:classify-sops:front": "planning",
    "lvm:classify-staffing:front": "organizing",
    "lvm:monitoring-indicators:c1": "monitoring",
    "lvm:classify-complaints:front": "problem-solving",
    "lvm:compliance-bodies:c3": "compliance",
    "lvm:classify-falls-vision:front": "vision-setting",
    "lvm:classify-storytelling:front": "inspiration",
    "lvm:classify-tools-and-voice:front": "empowerment",
    "lvm:classify-lean-six-sigma:front": "innovation",
    "lvm:classify-psychological-safety:front": "cultural leadership",
}


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck(BUILTIN_DECK)


def cards_of(deck: Deck) -> dict[str, Card]:
    return {card.key: card for card in deck.cards}


def test_the_deck_keeps_the_keys_of_unchanged_facts(deck: Deck) -> None:
    keys = {card.key for card in deck.cards}
    assert len(KEPT_KEYS) == len(set(KEPT_KEYS)) == 92
    assert [key for key in KEPT_KEYS if key not in keys] == []


def test_the_deck_passes_check_strict() -> None:
    result = runner.invoke(app, ["check", "--strict", str(BUILTIN_DECK)])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"{BUILTIN_DECK}: ok — deck 'lvm', 101 notes, 153 cards\n"


def test_scenarios_are_four_option_choices_that_explain_themselves(deck: Deck) -> None:
    scenarios = [card for card in deck.cards if "scenario" in card.tags]
    assert sorted(card.note_id for card in scenarios) == sorted(SCENARIO_FACTS)
    for card in scenarios:
        assert card.kind == "choice" and len(card.options) == 4, card.key
        # the extra says why the answer is right and the others wrong: it names them
        assert len(card.extra) > 150, card.key


def test_every_example_asks_the_side_and_which_one(deck: Deck) -> None:
    cards = cards_of(deck)
    functions = {"planning", "organizing", "monitoring", "problem-solving", "compliance"}
    for key, answer in EXAMPLE_CARDS.items():
        card = cards[key]
        question = "management function or leadership trait, and which one?"
        assert question in card.front.lower(), key
        assert answer in card.back.lower(), key
        # the side is in the answer: the table's title, shown with it, or the words
        side = "management function" if answer in functions else "leadership trait"
        if card.origin is not None:
            assert card.origin.table_title == (
                "Key functions of managers"
                if answer in functions
                else "Key traits of effective leaders"
            )
        else:
            assert side in card.back.lower(), key
    assert len(EXAMPLE_CARDS) == 20


def test_comparison_choices_ask_the_side(deck: Deck) -> None:
    (table,) = [t for t in deck.tables if t.id == "comparison"]
    column_of = {cell: i for row in table.rows for i, cell in enumerate(row.cells)}
    choices = [c for c in deck.cards if c.note_id.startswith("comparison:") and c.options]
    assert len(choices) == 11
    for card in choices:
        answer = card.options[card.answer_index]
        same_side = [o for o in card.options if column_of[o] == column_of[answer]]
        assert same_side == [answer], card.key
        row = next(r for r in table.rows if answer in r.cells)
        assert set(row.cells) <= set(card.options), card.key  # the same aspect's other side


def first_answers(home: Path) -> list[str]:
    """Card keys in the order they were first answered (introduced)."""
    rows = db_rows(
        home / "leadcards.db",
        "SELECT card_key FROM events WHERE kind = 'answer' AND state_before = 0 ORDER BY seq",
    )
    return [row[0] for row in rows]


def review_day(day: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LEADCARDS_NOW", f"2026-03-{2 + day:02d}T09:00:00+00:00")
    # line mode (stdin is not a terminal): reveal, then Easy, for every card shown
    result = runner.invoke(app, ["review"], input="\n4\n" * 80)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_new_learners_first_day_mixes_kinds_and_starts_with_the_big_picture(
    deck: Deck, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = review_day(0, monkeypatch)
    assert out.startswith(
        "--- card 1 of 20 · CPHQ::Leadership vs Management · 20 new, 0 learning, 0 due\n"
    )
    assert "Cards answered: 20 in" in out
    cards = cards_of(deck)
    day_one = first_answers(isolated_home)
    assert len(day_one) == 20
    # four kinds of card on the first day, not twenty look-alike table cards
    kinds = Counter(str(cards[key].kind) for key in day_one)
    assert kinds == {"table": 8, "cloze": 7, "basic": 3, "choice": 2}
    assert day_one[:4] == [
        "lvm:comparison:focus:management:recall",
        "lvm:comparison:focus:leadership:recall",
        "lvm:doing-things-right:c1",
        "lvm:doing-the-right-things:c1",
    ]
    assert all(
        key.startswith("lvm:comparison:")
        or "key-statements" in cards[key].tags
        or "metaphors" in cards[key].tags
        for key in day_one
    )
    assert not [key for key in day_one if "scenario" in cards[key].tags]


def test_a_scenario_comes_only_after_the_facts_it_draws_on(
    deck: Deck, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day in range(14):
        review_day(day, monkeypatch)
    introduced = first_answers(isolated_home)
    assert sorted(introduced) == sorted(card.key for card in deck.cards)  # all of it
    cards = cards_of(deck)
    when: dict[str, int] = {}  # note → when its first card was introduced
    for index, key in enumerate(introduced):
        when.setdefault(cards[key].note_id, index)
    for scenario, facts in SCENARIO_FACTS.items():
        for fact in facts:
            notes = [n for n in when if n == fact or n.startswith(fact + ":")]
            assert notes, fact
            assert all(when[n] < when[scenario] for n in notes), (scenario, fact)
