"""Ids made from text: every row, column and prompt has one, in any script, and an id
that ever made a card key makes it again (the key holds the card's history)."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck.load import load_deck
from leadcards.deck.model import slugify

UNICODE_DECK = """\
id: uni
name: Unicode
tables:
  - id: roles
    row_label: Aspect
    columns: [Руководство, Лидерство]
    rows:
      - label: Планирование
        cells: [Бюджеты, Видение]
      - label: 计划
        cells: [预算, 愿景]
      - label: "✓"
        cells: [Done, Open]
      - label: "?!"
        cells: [Asks, Answers]
      - label: "✗"
        cells: [Stops, Starts]
cards:
  - front: Какой стиль лучше?
    back: Оба
"""

# Literal: these keys are identities from the first release that loads such decks.
UNICODE_NOTES = [
    "roles:планирование:руководство",
    "roles:планирование:лидерство",
    "roles:计划:руководство",
    "roles:计划:лидерство",
    "roles:44b06c76:руководство",
    "roles:44b06c76:лидерство",
    "roles:e02caaa5:руководство",
    "roles:e02caaa5:лидерство",
    "roles:9bb10710:руководство",
    "roles:9bb10710:лидерство",
    "какой-стиль-лучше",
]


def test_rows_and_columns_in_any_script_get_distinct_keys(write_deck: Any) -> None:
    # Rows whose label had no ASCII letter were dropped without a word, and two such
    # columns collided as a "duplicate card key".
    deck = load_deck(write_deck(UNICODE_DECK))
    assert [note.id for note in deck.notes] == UNICODE_NOTES
    assert len(deck.cards) == 10 * 3 + 1
    assert len({card.key for card in deck.cards}) == len(deck.cards)


def test_a_unicode_key_works_on_the_command_line(isolated_home: Path) -> None:
    (isolated_home / "decks").mkdir(parents=True)
    (isolated_home / "decks" / "uni.yaml").write_text(UNICODE_DECK, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["status"]).exit_code == 0
    key = "uni:roles:планирование:лидерство:recall"
    shown = runner.invoke(app, ["cards", key])
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.splitlines()[0] == key
    # Typed decomposed (й as и + breve, as some terminals hand it over), it is the same key.
    key = "uni:какой-стиль-лучше:front"
    typed = unicodedata.normalize("NFD", key)
    assert typed != key
    suspended = runner.invoke(app, ["suspend", typed])
    assert suspended.exit_code == 0, suspended.stderr
    assert suspended.stdout == f"Suspended {key} (`leadcards unsuspend {key}` brings it back)\n"
    assert runner.invoke(app, ["cards", typed]).stdout.splitlines()[0] == key


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # ASCII letters or digits: the slug it always had, made of those alone.
        ("Risk Attitude", "risk-attitude"),
        ("Qualité 2", "qualit-2"),
        ("İstanbul", "i-stanbul"),
        ("one two three four five six seven eight nine", "one-two-three-four-five-six-seven-eight"),
        # None: letters and digits of any script, lowercased and NFKC-normalised.
        ("Планирование", "планирование"),
        ("计划 2024年", "2024"),
        ("计划", "计划"),
        ("ＦＵＬＬ Ⅻ", "full-xii"),
        ("हिन्दी भाषा", "हिन्दी-भाषा"),
        # Not a letter or digit at all: a hash of the text (a variation selector alone
        # is no word).
        ("✓", "44b06c76"),
        ("✓\ufe0f", "2767032d"),
        ("?!", "e02caaa5"),
        ("  ", ""),
    ],
)
def test_slug_literals(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_a_lone_non_ascii_column_keeps_the_key_it_always_had(write_deck: Any) -> None:
    # Such a column was called "column"; tables with one loaded, so keys hold history.
    deck = load_deck(
        write_deck(
            "id: old\nname: Old\ntables:\n  - id: t\n    row_label: Aspect\n"
            "    columns: [Management, Лидерство]\n    rows:\n"
            "      - {label: Focus, cells: [Tasks, People]}\n"
        )
    )
    assert [note.id for note in deck.notes] == ["t:focus:management", "t:focus:column"]
