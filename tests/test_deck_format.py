"""The deck format: every card type and table template, keys, and choice options."""

from __future__ import annotations

from collections import Counter

from leadcards.deck.card_types.cloze import render_cloze
from leadcards.deck.choices import choose_options
from leadcards.deck.load import load_deck

from .conftest import BUILTIN_DECK

DECK = """\
id: demo
name: "Parent::Demo"
description: A demo deck
source: The article
tags: [demo]
tables:
  - id: cmp
    title: Side by side
    row_label: Aspect
    columns: [Management, Leadership]
    tags: [comparison]
    rows:
      - label: Focus
        cells: ["Systems, tasks", "People, purpose"]
      - label: Time Orientation
        id: time
        cells: ["Present", "Future"]
        tags: [time]
      - label: Risk
        cells: ["Risk-averse", "Embraces change"]
  - id: fn
    row_label: Function
    columns: [What it means, Example]
    templates: [recall, identify]
    identify: row
    rows:
      - label: Planning
        cells: [Setting policies, Discharge checklists]
cards:
  - id: right
    front: Who does **things right**?
    back: Managers
    extra: Drucker's line
    tags: [key]
  - type: reversed
    front: Transformational
    back: Leadership style
  - type: cloze
    id: train
    text: "Management keeps the {{c1::train on track}}; leadership picks the {{c2::destination::where}}."
  - type: choice
    id: heart
    question: Leadership is the organisation's...
    answer: Heart
    distractors: [Backbone, Brain]
"""


def test_every_card_type_and_template(write_deck) -> None:
    deck = load_deck(write_deck(DECK))
    assert deck.id == "demo" and deck.name == "Parent::Demo" and deck.source == "The article"
    templates = Counter((c.kind, c.template) for c in deck.cards)
    assert templates == {
        ("table", "recall"): 8,
        ("table", "identify"): 8,
        ("table", "choice"): 6,
        ("basic", "front"): 1,
        ("reversed", "forward"): 1,
        ("reversed", "reverse"): 1,
        ("cloze", "c1"): 1,
        ("cloze", "c2"): 1,
        ("choice", "choice"): 1,
    }
    keys = {c.key for c in deck.cards}
    assert "demo:cmp:focus:leadership:recall" in keys
    assert "demo:cmp:time:management:choice" in keys
    assert "demo:fn:planning:what-it-means:identify" in keys
    assert "demo:right:front" in keys
    assert "demo:transformational:reverse" in keys  # derived from the front text
    assert {"demo:train:c1", "demo:train:c2", "demo:heart:choice"} <= keys


def test_table_cards_carry_origin_tags_and_prompts(write_deck) -> None:
    deck = load_deck(write_deck(DECK))
    cards = {c.key: c for c in deck.cards}
    recall = cards["demo:cmp:time:leadership:recall"]
    assert recall.back == "Future"
    assert recall.origin is not None and recall.origin.row == "Time Orientation"
    assert recall.origin.column == "Leadership"
    assert recall.tags == (
        "demo",
        "comparison",
        "time",
        "table::cmp",
        "cmp::time",
        "cmp::leadership",
    )
    identify = cards["demo:cmp:focus:management:identify"]
    assert identify.front.startswith("Systems, tasks")
    assert "Management or Leadership" in identify.front
    assert identify.sides == ("Management", "Leadership") and identify.answer_side == 0
    row_identify = cards["demo:fn:planning:example:identify"]
    assert row_identify.sides == ()
    assert row_identify.back == "**Planning** (Example)"


def test_plain_cards(write_deck) -> None:
    deck = load_deck(write_deck(DECK))
    cards = {c.key: c for c in deck.cards}
    basic = cards["demo:right:front"]
    assert (basic.front, basic.back, basic.extra) == (
        "Who does **things right**?",
        "Managers",
        "Drucker's line",
    )
    assert basic.tags == ("demo", "key")
    reverse = cards["demo:transformational:reverse"]
    assert (reverse.front, reverse.back) == ("Leadership style", "Transformational")
    c1, c2 = cards["demo:train:c1"], cards["demo:train:c2"]
    assert c1.front == "Management keeps the [...]; leadership picks the destination."
    assert c1.back == "Management keeps the **train on track**; leadership picks the destination."
    assert c2.front == "Management keeps the train on track; leadership picks the [where]."
    choice = cards["demo:heart:choice"]
    assert sorted(choice.options) == ["Backbone", "Brain", "Heart"]
    assert choice.options[choice.answer_index] == "Heart"


def test_editing_wording_keeps_keys(write_deck) -> None:
    before = load_deck(write_deck(DECK, "a.yaml"))
    edited = (
        DECK.replace("Systems, tasks", "Systems, tasks and performance")
        .replace("Who does **things right**?", "Who does things *right*?")
        .replace("keeps the {{c1::train on track}}", "keeps {{c1::the train on its track}}")
        .replace("answer: Heart", "answer: The heart")
    )
    after = load_deck(write_deck(edited, "b.yaml"))
    assert [c.key for c in before.cards] == [c.key for c in after.cards]
    changed = {
        b.key
        for b, a in zip(before.cards, after.cards, strict=False)
        if b.content_hash != a.content_hash
    }
    assert "demo:right:front" in changed and "demo:train:c1" in changed
    assert "demo:cmp:focus:management:recall" in changed
    assert "demo:cmp:risk:leadership:recall" not in changed


def test_choice_options_never_repeat_the_answer() -> None:
    # The exact options and their order are pinned in test_pinned.py.
    choices = [c for c in load_deck(BUILTIN_DECK).cards if c.options]
    assert len(choices) >= 16
    for card in choices:
        assert card.options[card.answer_index] == card.back
        folded = [" ".join(o.split()).casefold() for o in card.options]
        assert len(set(folded)) == len(folded)
        if card.kind == "table":
            assert len(card.options) == 4
    orders = {c.answer_index for c in choices}
    assert len(orders) > 1, "the answer must not always sit in the same place"


def test_choose_options_prefers_the_first_group_and_skips_equal_text() -> None:
    options, index = choose_options("k", "Answer", [["answer ", "A1", "A2", "A3"], ["B1", "B2"]])
    assert options[index] == "Answer"
    assert sorted(o for o in options if o != "Answer") == ["A1", "A2", "A3"]
    # Seeded by the key alone: this order must never change.
    assert choose_options("k", "Answer", [["A1", "A2", "A3"]]) == (("A1", "Answer", "A3", "A2"), 1)


def test_cloze_hint_and_other_deletions() -> None:
    text = "{{c1::Plan}}, {{c2::do::verb}}, {{c1::check}}"
    assert render_cloze(text, 1, reveal=False) == "[...], do, [...]"
    assert render_cloze(text, 2, reveal=False) == "Plan, [verb], check"
    assert render_cloze(text, 2, reveal=True) == "Plan, **do**, check"


def test_builtin_deck_covers_the_article() -> None:
    deck = load_deck(BUILTIN_DECK)
    tables = {t.id: t for t in deck.tables}
    assert set(tables) == {"management-functions", "leadership-traits", "comparison"}
    assert [r.label for r in tables["comparison"].rows] == [
        "Focus",
        "Approach",
        "Primary Goal",
        "Time Orientation",
        "Risk Attitude",
        "Style of Influence",
    ]
    assert tables["comparison"].columns == ("Management", "Leadership")
    assert [r.label for r in tables["management-functions"].rows] == [
        "Planning",
        "Organizing",
        "Monitoring",
        "Problem-Solving",
        "Compliance",
    ]
    assert [r.label for r in tables["leadership-traits"].rows] == [
        "Vision-Setting",
        "Inspiration",
        "Empowerment",
        "Innovation",
        "Cultural Leadership",
    ]
    kinds = Counter(n.kind for n in deck.notes)
    assert kinds == {"table": 32, "basic": 26, "cloze": 22, "choice": 21}
    assert len(deck.cards) == 153
