"""The loader under random damage: whatever the bytes, a deck loads or every problem is
one line ``path:line:column: message`` pointing inside the file; nothing else escapes.

Mutations of a valid deck (bytes flipped, control characters and odd line ends put
in, invalid UTF-8, cuts, lines repeated or dropped) and random YAML documents.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadcards.deck.load import load_deck
from leadcards.errors import DeckError
from leadcards.export.apkg import export_problems

VALID = """\
id: fuzz
name: "Fuzz::Deck"
description: A deck to damage
tags: [fuzz]
tables:
  - id: cmp
    title: Side by side
    row_label: Aspect
    columns: [Management, Лидерство]
    rows:
      - label: Focus
        cells: ["Systems", "People"]
      - label: "✓"
        cells: [Present, Future]
cards:
  - id: plain
    front: Who does **things right**?
    back: Managers
    extra: "Drucker"
  - type: reversed
    front: Vision
    back: A shared picture
  - type: cloze
    text: "Plan, {{c1::do}}, {{c2::study::verb}}, act"
  - type: choice
    question: "Which one?"
    answer: Heart
    distractors: [Brain, Hands]
""".encode()

# Characters YAML refuses or reads as line ends, and bytes that are not UTF-8.
ODD = [
    *(bytes([b]) for b in [*range(0, 9), 11, 12, 13, *range(14, 32), 127]),
    *(ch.encode() for ch in "\x85\x9b\u2028\u2029\ufeff\ufffe\uffff"),
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\r\n",
    b"\t",
    b'"',
    b"'",
    b":",
    b"- ",
    b"[",
    b"{",
    b"&a ",
    b"*a",
    b"!!python/object ",
    b"{{c1::",
]


@st.composite
def damaged(draw: Any) -> bytes:
    """The valid deck after one to four random mutations."""
    data = VALID
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "cut", "delete", "repeat line"]))
        if kind == "flip" and at < len(data):
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        elif kind == "insert":
            data = data[:at] + draw(st.sampled_from(ODD)) + data[at:]
        elif kind == "cut":
            data = data[:at]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 20)) :]
        else:
            lines = data.split(b"\n")
            index = at % len(lines)
            lines.insert(index, lines[index])
            data = b"\n".join(lines)
    return data


_SCALARS = st.one_of(
    st.text(max_size=12), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)
)
_FIELDS = st.sampled_from(
    [
        "id",
        "name",
        "cards",
        "tables",
        "front",
        "back",
        "type",
        "text",
        "rows",
        "columns",
        "label",
        "cells",
        "row_label",
        "tags",
        "extra",
        "question",
        "answer",
        "distractors",
    ]
)
_YAML_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_FIELDS, inner, max_size=5),
    max_leaves=25,
)


@st.composite
def random_yaml(draw: Any) -> bytes:
    """A random YAML document, often shaped like a deck."""
    document = draw(st.dictionaries(_FIELDS, _YAML_VALUES, max_size=6))
    if draw(st.booleans()):
        document = {"id": "r", "name": "R", **document}
    return yaml.safe_dump(document, allow_unicode=draw(st.booleans())).encode()


def assert_loads_or_reports_in_one_line(data: bytes, path: Path) -> None:
    path.write_bytes(data)
    lines = data.split(b"\n")
    try:
        deck = load_deck(path)
    except DeckError as error:
        problems = error.problems
        assert problems, "a DeckError names at least one problem"
    else:
        problems = export_problems([deck])  # what `check` adds: it must not fail either
    pattern = re.compile(rf"{re.escape(str(path))}:(\d+):(\d+): (\S[^\n\r]*)")
    for problem in problems:
        text = str(problem)
        match = pattern.fullmatch(text)
        assert match, text
        assert len(text.splitlines()) == 1, text
        line, column = int(match.group(1)), int(match.group(2))
        assert 1 <= line <= len(lines), text
        # Columns count characters, which are never more than the line's bytes.
        assert 1 <= column <= len(lines[line - 1]) + 1, text


FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_the_valid_deck_loads(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_bytes(VALID)
    assert len(load_deck(path).cards) == 2 * 2 * 3 + 1 + 2 + 2 + 1


@FUZZ
@given(data=damaged())
def test_a_damaged_deck_loads_or_reports_one_line_per_problem(tmp_path: Path, data: bytes) -> None:
    assert_loads_or_reports_in_one_line(data, tmp_path / "deck.yaml")


@FUZZ
@given(data=random_yaml())
def test_random_yaml_loads_or_reports_one_line_per_problem(tmp_path: Path, data: bytes) -> None:
    assert_loads_or_reports_in_one_line(data, tmp_path / "deck.yaml")
