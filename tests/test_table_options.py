"""Table options: where choice distractors come from, templates by column and by row,
and the identify question."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from leadcards.deck.card_types import table as table_type
from leadcards.deck.card_types.base import Flag, Markdown
from leadcards.deck.load import load_deck
from leadcards.deck.model import Card
from leadcards.errors import DeckError

WriteDeck = Callable[..., Path]

SIDES = ["Systems", "Structured", "Quality", "Present", "Risk-averse"]
OTHER = ["People", "Visionary", "Change", "Future", "Experimentation"]


def comparison(distractors: str | None) -> str:
    option = f"    distractors: {distractors}\n" if distractors else ""
    rows = "".join(
        f"      - {{label: Row {i}, id: r{i}, cells: [{m}, {lead}]}}\n"
        for i, (m, lead) in enumerate(zip(SIDES, OTHER, strict=True))
    )
    return (
        "id: d\nname: D\ntables:\n  - id: cmp\n    row_label: Aspect\n"
        "    columns: [Management, Leadership]\n    templates: [choice]\n"
        f"{option}    rows:\n{rows}"
    )


def choices(write_deck: WriteDeck, distractors: str | None) -> dict[str, Card]:
    deck = load_deck(write_deck(comparison(distractors)))
    return {c.key: c for c in deck.cards}


def test_same_column_is_the_default_and_draws_from_the_own_column(write_deck: WriteDeck) -> None:
    default = choices(write_deck, None)
    named = choices(write_deck, "same-column")
    assert {k: c.options for k, c in default.items()} == {k: c.options for k, c in named.items()}
    card = default["d:cmp:r0:management:choice"]
    # Seeded by the key: these options, in this order, for good.
    assert card.options == ("Present", "Systems", "Structured", "Quality")
    assert card.answer_index == 1
    for card in default.values():
        own = SIDES if card.back in SIDES else OTHER
        assert set(card.options) <= set(own)


def test_other_columns_makes_the_answer_the_only_option_from_its_side(
    write_deck: WriteDeck,
) -> None:
    cards = choices(write_deck, "other-columns")
    card = cards["d:cmp:r0:management:choice"]
    assert card.options == ("Change", "People", "Systems", "Visionary")
    assert card.answer_index == 2
    for i, (management, leadership) in enumerate(zip(SIDES, OTHER, strict=True)):
        for answer, same_row, own, other in (
            (management, leadership, SIDES, OTHER),
            (leadership, management, OTHER, SIDES),
        ):
            column = "management" if own is SIDES else "leadership"
            card = cards[f"d:cmp:r{i}:{column}:choice"]
            assert len(card.options) == 4 and card.options[card.answer_index] == answer
            # the other side of the same row is always among them, the rest from that side
            assert same_row in card.options
            assert [o for o in card.options if o in own] == [answer]
            assert set(card.options) - {answer} <= set(other)


def test_mixed_takes_the_same_row_then_the_own_column(write_deck: WriteDeck) -> None:
    cards = choices(write_deck, "mixed")
    card = cards["d:cmp:r3:leadership:choice"]
    assert card.options == ("Present", "Future", "Change", "Experimentation")
    assert card.answer_index == 1
    for i, leadership in enumerate(OTHER):
        card = cards[f"d:cmp:r{i}:management:choice"]
        assert leadership in card.options
        assert len([o for o in card.options if o in SIDES]) == 3


def test_the_same_deck_draws_the_same_options_every_time(write_deck: WriteDeck) -> None:
    first = choices(write_deck, "other-columns")
    again = choices(write_deck, "other-columns")
    assert [(c.options, c.answer_index) for c in first.values()] == [
        (c.options, c.answer_index) for c in again.values()
    ]


def test_a_narrow_table_fills_other_columns_from_the_whole_table(write_deck: WriteDeck) -> None:
    deck = load_deck(
        write_deck(
            "id: d\nname: D\ntables:\n  - id: t\n    row_label: R\n    columns: [A, B]\n"
            "    templates: [choice]\n    distractors: other-columns\n    rows:\n"
            "      - {label: One, cells: [a1, b1]}\n      - {label: Two, cells: [a2, b2]}\n"
        )
    )
    card = {c.key: c for c in deck.cards}["d:t:one:a:choice"]
    # b1 (same row), b2 (other column), then a2 (the rest of the table)
    assert sorted(card.options) == ["a1", "a2", "b1", "b2"]


TWO_COLUMNS = """\
id: d
name: D
tables:
  - id: fn
    row_label: Function
    columns: [What it means, Example]
    identify: row
    identify_prompt: Management function or leadership trait, and which one?
    templates:
      What it means: [recall, identify]
      Example: [identify]
    rows:
      - label: Planning
        cells: [Setting policies, Discharge checklists]
      - label: Monitoring
        cells: [Tracking metrics, Real-time dashboards]
        templates: {What it means: [recall]}
"""


def test_templates_by_column_and_by_row(write_deck: WriteDeck) -> None:
    deck = load_deck(write_deck(TWO_COLUMNS))
    assert [c.key for c in deck.cards] == [
        "d:fn:planning:what-it-means:recall",
        "d:fn:planning:what-it-means:identify",
        "d:fn:planning:example:identify",
        "d:fn:monitoring:what-it-means:recall",
    ]
    # a cell that makes no card makes no note either (Anki has no note without a card)
    assert [n.id for n in deck.notes] == [
        "fn:planning:what-it-means",
        "fn:planning:example",
        "fn:monitoring:what-it-means",
    ]
    example = deck.notes[1]
    fields = dict(zip(table_type.NOTE_TYPE.fields, table_type.anki_fields(example), strict=True))
    assert [fields["Recall"], fields["Identify"], fields["Choice"]] == [
        Flag(False),
        Flag(True),
        Flag(False),
    ]
    assert fields["IdentifyPrompt"] == Markdown(
        "*Management function or leadership trait, and which one?*"
    )


def test_identify_prompt_replaces_the_built_question(write_deck: WriteDeck) -> None:
    cards = {c.key: c for c in load_deck(write_deck(TWO_COLUMNS)).cards}
    identify = cards["d:fn:planning:example:identify"]
    assert identify.front == (
        "Discharge checklists\n\n*Management function or leadership trait, and which one?*"
    )
    assert identify.back == "**Planning** (Example)"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("    identify: row\n", "    identify: row\n    distractors: same-row\n"),
            "8:18: distractors must be one of same-column, other-columns, mixed, "
            "not 'same-row'; did you mean 'same-column'?",
        ),
        (
            ("      Example: [identify]\n", "      Exmaple: [identify]\n"),
            "11:7: unknown field 'Exmaple' in templates (by column); did you mean 'Example'? "
            "(allowed: What it means, Example)",
        ),
        (
            ("{What it means: [recall]}", "{What it means: [recal]}"),
            "17:36: unknown template 'recal' (choose from recall, identify, choice)",
        ),
        (
            ("{What it means: [recall]}", "{What it means: []}"),
            "17:20: templates must name at least one template",
        ),
    ],
)
def test_bad_table_options_are_located(
    write_deck: WriteDeck, change: tuple[str, str], expected: str
) -> None:
    path = write_deck(TWO_COLUMNS.replace(*change))
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert [str(p) for p in info.value.problems] == [f"{path}:{expected}"]
