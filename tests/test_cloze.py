"""Cloze text: read once, the way Anki reads it; what Anki would read otherwise is refused.

The export side (that a deck `check` accepts arrives in Anki with exactly its cards) is
tested against a real Anki collection in test_export_anki.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck.load import load_deck, parse_deck
from leadcards.errors import DeckError


def cloze_deck(*texts: str) -> str:
    """A deck of cloze notes n0, n1, … with these texts (JSON strings are YAML strings)."""
    lines = ["id: cz", "name: Cloze", "cards:"]
    for index, text in enumerate(texts):
        lines += [f"  - id: n{index}", "    type: cloze", f"    text: {json.dumps(text)}"]
    return "\n".join(lines) + "\n"


def sides(text: str) -> list[tuple[str, str, str]]:
    """(template, front, back) of each card of one cloze note."""
    deck = parse_deck(cloze_deck(text), Path("cz.yaml"))
    return [(c.template, c.front, c.back) for c in deck.cards]


def test_cards_show_their_own_deletions_hidden_and_the_others_answered() -> None:
    # The same sides as before the text was read once (content hashes stay put).
    assert sides("{{c1::Plan}}, {{c2::do::verb}}, {{c1::check}}::act}}") == [
        ("c1", "[...], do, [...]::act}}", "**Plan**, do, **check**::act}}"),
        ("c2", "Plan, [verb], check::act}}", "Plan, **do**, check::act}}"),
    ]
    # A hint may hold '::'; an empty hint shows the ellipsis; c01 is c1, as in Anki.
    assert sides("{{c01::a::b::c}} {{c2::x::}}") == [
        ("c1", "[b::c] x", "**a** x"),
        ("c2", "a [...]", "a **x**"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no deletion here", "cloze text has no deletion: mark one like {{c1::answer}}"),
        ("{{c0::x}} {{c1::y}}", "cloze numbers start at 1: Anki ignores {{c0::...}}"),
        ("{{c1:: }}", "cloze deletion c1 is empty"),
        ("{{c1::::hint}}", "cloze deletion c1 is empty"),
        (
            "{{c501::x}}",
            "cloze number c501 is too large: Anki makes at most 500 cards from one note "
            "(c1 to c500)",
        ),
        (
            "{{c99999999999999999999999::x}}",
            "cloze number c999999999999... is too large: Anki makes at most 500 cards "
            "from one note (c1 to c500)",
        ),
        (
            "{{c1::a {{c2::b}} c}}",
            "cloze deletions cannot be nested: {{c2:: is inside {{c1::, "
            "which Anki and leadcards read differently",
        ),
        (
            "{{c1::a::{{c2::hint}}}}",
            "cloze deletions cannot be nested: {{c2:: is inside {{c1::, "
            "which Anki and leadcards read differently",
        ),
        (
            "{{c1,2::x}}",
            "{{c1,2::...}} puts one deletion on several cards, which leadcards does not "
            "support: give each deletion one number",
        ),
        ("{{c\u0661::x}}", "cloze number '\u0661' must be written with the digits 0-9"),
        ("{{c1::x}} and {{c2::y", "the cloze deletion {{c2:: is never closed with }}"),
    ],
)
def test_cloze_text_anki_reads_otherwise_is_refused(
    write_deck: Any, text: str, message: str
) -> None:
    path = write_deck(cloze_deck(text))
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert [str(p) for p in info.value.problems] == [f"{path}:6:11: {message}"]


def test_an_absurd_cloze_number_fails_check_in_one_line(write_deck: Any) -> None:
    # It used to pass `check` and crash `export anki` with an OverflowError.
    path = write_deck(cloze_deck("{{c99999999999999999999999::x}}"))
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and "too large" in result.stderr


def test_a_thousand_digit_cloze_number_is_refused_not_converted(write_deck: Any) -> None:
    # int() refuses strings of more than 4,300 digits: the length decides first.
    path = write_deck(cloze_deck("{{c" + "0" * 5000 + "7::x}} {{c" + "9" * 5000 + "::y}}"))
    with pytest.raises(DeckError, match=r"cloze number c999999999999\.\.\. is too large"):
        load_deck(path)


def _calls(text: str) -> int:
    """Python and builtin function calls made while loading one cloze note."""
    calls = 0

    def count(frame: Any, event: str, arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        parse_deck(cloze_deck(text), Path("cz.yaml"))
    finally:
        sys.setprofile(None)
    return calls


def test_loading_a_cloze_note_is_linear_in_its_deletions() -> None:
    # Counted calls, not time: reading the text once per deletion number made a note
    # with n numbers cost n² (3,000 deletions took over 20 seconds to check). Twice the
    # deletions must cost about twice the calls, never four times.
    def text(n: int) -> str:
        return " ".join(f"word {{{{c{i}::answer {i}}}}}" for i in range(1, n + 1))

    _calls(text(10))  # warm caches (regex compilation and the like)
    small, large = _calls(text(200)), _calls(text(400))
    assert large < 2.2 * small, (small, large)
