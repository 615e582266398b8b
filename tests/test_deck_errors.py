"""Every bad deck gets located, exact messages, all at once, and never a traceback."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck import files, reader
from leadcards.deck.load import load_deck
from leadcards.errors import DeckError

from .conftest import BUILTIN_DECK, FIXTURES

BAD = FIXTURES / "bad"

EXPECTED = {
    "syntax.yaml": [
        "6:1: YAML syntax error: found unexpected end of stream "
        "(while scanning a quoted scalar at line 4, column 12)"
    ],
    "unknown-field.yaml": [
        "5:5: unknown field 'bak' in a card; did you mean 'back'? (allowed: id, type, tags, "
        "extra, guid, front, back, text, question, answer, distractors)"
    ],
    "missing-field.yaml": ["1:1: the deck is missing the required field 'id'"],
    "wrong-type.yaml": [
        "3:7: tags must be a list, got text",
        "5:12: front must be text, got a list",
        "6:11: back must be text, got true/false (put it in quotes)",
    ],
    "empty-deck.yaml": ["1:1: the deck has no cards: add 'tables' or 'cards'"],
    "duplicate-key.yaml": ["6:5: duplicate field 'front' in a card (first at line 4)"],
    "duplicate-card.yaml": [
        "7:1: duplicate card key 'dupcard:same:front' (also at line 4); "
        "give one of them a different 'id'"
    ],
    "cloze-none.yaml": ["5:11: cloze text has no deletion: mark one like {{c1::answer}}"],
    "cloze-zero.yaml": ["5:11: cloze numbers start at 1: Anki ignores {{c0::...}}"],
    "choice-answer-in-distractors.yaml": ["7:18: the answer is also listed among the distractors"],
    "choice-too-few.yaml": ["7:18: a choice card needs at least 2 options: add distractors"],
    "row-cells.yaml": [
        "9:16: row 'Focus' has 3 cells but the table has 2 columns (Management, Leadership)"
    ],
    "alias-bomb.yaml": [
        "4:14: description must be text, got a list",
        "5:9: source must be text, got a list",
        "5:9: each item of tags must be text, got a list",
    ],
    "python-tag.yaml": [
        "4:12: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "is not allowed in a deck"
    ],
    "not-utf8.yaml": ["4:15: not UTF-8 text (byte 0xe9)"],
    "bad-type.yaml": [
        "4:11: unknown card type 'clozed'; did you mean 'cloze'? "
        "(choose from basic, reversed, cloze, choice)"
    ],
    "several.yaml": [
        "1:5: deck id 'Several Problems' must be lowercase letters, digits, '-' or '_' "
        "(it is part of every card's key)",
        "4:5: a basic card is missing the required field 'back'",
        "9:5: unknown field 'colour' in a card (allowed: id, type, tags, extra, guid, front, back, "
        "text, question, answer, distractors)",
    ],
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_deck_reports_exact_locations(name: str) -> None:
    path = BAD / name
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert [str(p) for p in info.value.problems] == [f"{path}:{e}" for e in EXPECTED[name]]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_command_prints_problems_and_exits_1(name: str) -> None:
    path = BAD / name
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"{path}:{e}" for e in EXPECTED[name]]
    assert "Traceback" not in result.output


def test_problems_of_several_files_are_reported_together() -> None:
    files = [BAD / "syntax.yaml", BAD / "empty-deck.yaml"]
    result = CliRunner().invoke(app, ["check", *map(str, files)])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 2


def test_node_bound_stops_expansion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_NODES", 50)
    with pytest.raises(DeckError) as info:
        load_deck(BUILTIN_DECK)
    assert str(info.value) == (
        f"{BUILTIN_DECK}:1:1: deck expands to more than 50 YAML nodes "
        "(are anchors and aliases nested too deep?)"
    )


def test_oversized_file_is_refused_before_reading(
    monkeypatch: pytest.MonkeyPatch, write_deck
) -> None:
    monkeypatch.setattr(files, "MAX_DECK_BYTES", 100)
    path = write_deck("id: big\nname: Big\n" + "# padding\n" * 20)
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert str(info.value) == f"{path}:1:1: deck file is 218 bytes; the limit is 100"


def test_the_bytes_read_are_capped_whatever_size_the_file_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file in /proc says it is empty and is not: the cap holds on what is read."""
    status = Path("/proc/self/status")
    if not status.is_file():
        pytest.skip("no /proc here")
    monkeypatch.setattr(files, "MAX_DECK_BYTES", 100)
    assert status.stat().st_size == 0
    with pytest.raises(DeckError) as info:
        load_deck(status)
    assert str(info.value) == f"{status}:1:1: deck file is over the limit of 100 bytes"


def _check(*paths: Path) -> subprocess.CompletedProcess[str]:
    """``leadcards check`` in a child process: a regression that reads forever is killed
    by the timeout, and one that fills memory hits the child's limit, not the machine's."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "leadcards", "check", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_memory,
    )


def test_a_device_is_refused_by_name_without_reading_it() -> None:
    zero = Path("/dev/zero")
    if not zero.exists():
        pytest.skip("no /dev/zero here")
    done = _check(zero)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "/dev/zero:1:1: is a device, not a deck file\n"


def test_a_named_pipe_is_refused_by_name_without_opening_it(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    done = _check(pipe, BUILTIN_DECK)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"{pipe}:1:1: is a named pipe, not a deck file\n"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match=r"no such deck file"):
        load_deck(tmp_path / "nope.yaml")
    with pytest.raises(DeckError, match=r"is a folder, not a deck file"):
        load_deck(tmp_path)


def test_custom_tag_is_refused(write_deck) -> None:
    path = write_deck("id: t\nname: T\ncards:\n  - front: !secret x\n    back: y\n")
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert str(info.value) == f"{path}:4:12: the YAML tag '!secret' is not allowed in a deck"


def test_merge_keys_are_refused(write_deck) -> None:
    path = write_deck(
        "id: t\nname: T\ncards:\n  - &c {front: a, back: b}\n  - <<: *c\n    id: other\n"
    )
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert str(info.value).splitlines() == [
        f"{path}:5:5: merge keys (<<) are not supported in decks",
        f"{path}:5:5: a basic card is missing the required field 'front'",
        f"{path}:5:5: a basic card is missing the required field 'back'",
    ]


def test_empty_file(write_deck) -> None:
    path = write_deck("")
    with pytest.raises(DeckError, match=r":1:1: deck file is empty$"):
        load_deck(path)


def test_table_problems(write_deck) -> None:
    path = write_deck(
        """\
id: t
name: T
tables:
  - id: cmp
    row_label: Aspect
    columns: [Only]
    templates: [recall, quiz]
    identify: sideways
    rows:
      - label: Focus
        cells: [x]
      - label: Focus
        cells: [y]
"""
    )
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert [str(p).split(":", 1)[1] for p in info.value.problems] == [
        "6:14: a table needs at least 2 columns",
        "7:16: unknown template 'quiz' (choose from recall, identify, choice)",
        "8:15: identify must be one of both, column, row, not 'sideways'",
        "12:9: duplicate row id 'focus' in table 'cmp' (first at line 10)",
    ]


def test_duplicate_deck_ids_across_files(write_deck) -> None:
    a = write_deck("id: same\nname: A\ncards: [{front: q, back: a}]\n", "a.yaml")
    b = write_deck("id: same\nname: B\ncards: [{front: q, back: a}]\n", "b.yaml")
    result = CliRunner().invoke(app, ["check", str(a), str(b)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{b}:1:1: deck id 'same' is already used by {a}"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x01", "YAML error: the control character U+0001 is not allowed in a deck file"),
        (b"\x1b", "YAML error: the control character U+001B is not allowed in a deck file"),
        (b"\x7f", "YAML error: the control character U+007F is not allowed in a deck file"),
        (b"\x00", "YAML error: the control character U+0000 is not allowed in a deck file"),
        ("\x9b".encode(), "YAML error: the control character U+009B is not allowed in a deck file"),
        ("\ufffe".encode(), "YAML error: the character U+FFFE is not allowed in a deck file"),
        (b"\xff", "not UTF-8 text (byte 0xff)"),
        (b"\xed\xa0\x80", "not UTF-8 text (byte 0xed)"),
    ],
)
def test_a_bad_character_is_reported_where_it_is(write_deck, raw: bytes, message: str) -> None:
    # They were reported at 1:1, over two lines. Columns count characters: é and 😀
    # are one each, though two and four bytes.
    path = write_deck("")
    path.write_bytes(b"id: x\nname: X\ncards:\n  - front: \xc3\xa9\xf0\x9f\x98\x80" + raw + b"b\n")
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert [str(p) for p in info.value.problems] == [f"{path}:4:14: {message}"]


def test_a_byte_order_mark_does_not_shift_positions(write_deck) -> None:
    path = write_deck("")
    path.write_bytes(b"\xef\xbb\xbfid: x\xff\n")
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert str(info.value) == f"{path}:1:6: not UTF-8 text (byte 0xff)"  # not 0x3a


def test_line_ends_only_yaml_sees_do_not_shift_positions(write_deck) -> None:
    # YAML ends a line at U+2028 (and U+0085, U+2029, a lone CR); editors do not. A
    # problem after one was reported a line too far down, past the end of the file.
    path = write_deck('id: x\nname: "a\u2028b"\ncards:\n  - front: a\n    bak: c\n')
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert str(info.value).startswith(f"{path}:5:5: unknown field 'bak' in a card")


def test_a_syntax_error_names_the_line_end_only_yaml_sees(write_deck) -> None:
    path = write_deck("id: x\nname: X\ncards:\n  - front: a\x85b\n    back: c\n")
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert str(info.value) == (
        f"{path}:5:9: YAML syntax error: could not find expected ':' (while scanning a "
        "simple key at line 4, column 14); YAML ends a line at the U+0085 at line 4, column 13"
    )


def test_a_message_quoting_text_with_line_breaks_stays_one_line(write_deck) -> None:
    path = write_deck(
        'id: x\nname: X\ntables:\n  - id: t\n    row_label: R\n    columns: ["a\\nb", c]\n'
        "    rows:\n      - {label: L, cells: [only]}\n"
    )
    with pytest.raises(DeckError) as info:
        load_deck(path)
    assert str(info.value) == (
        f"{path}:8:27: row 'L' has 1 cells but the table has 2 columns (a\\nb, c)"
    )
