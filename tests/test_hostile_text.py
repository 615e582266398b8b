"""Deck text is text: control characters never reach the terminal, and tag-like text
shows as written.

A deck can hold escape sequences in any quoted field ("\\e]0;title\\a" sets the window
title, "\\e]52;c;…\\a" writes the clipboard, "\\x9b" is a one-character CSI). The loader
makes them visible, so no command prints them; the terminal layers make visible what
bypasses the loader (file paths, a name a database kept from an older version). The
Anki side is in test_export_anki.py, the real terminal in test_review_terminal.py.
"""

from __future__ import annotations

import dataclasses
import io
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck.load import load_deck
from leadcards.printable import printable
from leadcards.session import Session
from leadcards.store import open_store
from leadcards.sync import sync_deck
from leadcards.ui import lines
from leadcards.ui.controller import Controller
from leadcards.ui.safe_console import SafeConsole
from leadcards.ui.screen import review_screen

from .conftest import AT

runner = CliRunner()

# Every kind of field a deck has, each carrying a sequence a terminal would obey. The
# "pwned-…" words tell which field reached the output.
HOSTILE_DECK = r"""
id: evil
name: "Evil \e]0;pwned-name\a deck \x9b31m"
description: "About \e]52;c;SGVsbG8=\a it"
source: "Source \e[2J\r\0\b end"
tags: ["deck\e]0;pwned-tag\a"]
tables:
  - id: t
    title: "Title \e]0;pwned-title\a"
    row_label: "Aspect \e[31m\x7f"
    columns: ["Left \e]0;pwned-col\a", "Right \x9b2J"]
    tags: ["table\e]0;x\a"]
    rows:
      - label: "Row \e]0;pwned-row\a"
        cells: ["Cell \e]52;c;SGVsbG8=\a one", "Cell \x85\x9b1m two"]
        tags: ["row\e]0;x\a"]
      - label: Second
        cells: [Plain left, Plain right]
cards:
  - id: basic
    front: "Front \e]0;pwned-front\a?"
    back: "Back \e]52;c;SGVsbG8=\a"
    extra: "Extra \x7f\e[2J"
    tags: ["card\e]0;x\a"]
  - type: reversed
    id: rev
    front: "Rev \e]0;pwned-rev\a"
    back: "Erse \x9b31m"
  - type: cloze
    id: gap
    text: "Gap \e]0;pwned-cloze\a {{c1::hidden \x9b0m}}"
  - type: choice
    id: pick
    question: "Pick \e]0;pwned-q\a"
    answer: "Right \e]0;pwned-opt\a"
    distractors: ["Wrong \x9b1m", "Other \e[5m"]
"""
# A file name can hold them too.
HOSTILE_FILE = "evil\x1b]0;pwned-path\x07.yaml"
# Any C0 or C1 control but newline and tab, and DEL.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What Rich itself writes in a colour terminal: styles (SGR) only.
RICH_STYLE = re.compile(r"\x1b\[[0-9;]*m")


def assert_printable(output: str) -> None:
    found = CONTROL.search(output)
    assert found is None, repr(output[max(found.start() - 40, 0) : found.end() + 40])


def strings(value: Any) -> list[str]:
    """Every string inside a loaded deck's dataclasses, tuples and dicts."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in strings(getattr(value, f.name))]
    if isinstance(value, dict):
        return [s for item in value.items() for s in strings(item)]
    if isinstance(value, (tuple, list)):
        return [s for item in value for s in strings(item)]
    return []


@pytest.fixture
def hostile(isolated_home: Path) -> Path:
    folder = isolated_home / "decks"
    folder.mkdir(parents=True)
    path = folder / HOSTILE_FILE
    path.write_text(HOSTILE_DECK)
    return path


# --- the rule -------------------------------------------------------------------------------


def test_the_rule_pins_its_stand_ins() -> None:
    assert printable("a\x1b]0;t\x07b") == "a␛]0;t␇b"
    assert printable("\x00\x08\x0b\x0c\r\x1f") == "␀␈␋␌␍␟"
    assert printable("\x7f\x80\x85\x9b\x9f") == "␡\ufffd\ufffd\ufffd\ufffd"
    assert printable("tab\tand\nnewline stay; é ✓ ␛ and \xa0 are text") == (
        "tab\tand\nnewline stay; é ✓ ␛ and \xa0 are text"
    )
    clean = "most text has none"
    assert printable(clean) is clean


def test_the_loader_makes_every_field_printable(hostile: Path) -> None:
    deck = load_deck(hostile)
    texts = strings(deck)
    assert len(texts) > 50
    for text in texts:
        assert_printable(text)
    assert deck.name == "Evil ␛]0;pwned-name␇ deck \ufffd31m"
    assert deck.source == "Source ␛[2J␍␀␈ end"
    card = next(c for c in deck.cards if c.key == "evil:basic:front")
    assert (card.front, card.back, card.extra) == (
        "Front ␛]0;pwned-front␇?",
        "Back ␛]52;c;SGVsbG8=␇",
        "Extra ␡␛[2J",
    )
    # Keys come from slugs and words, so they are what they were before the rule.
    assert "evil:t:row-0-pwned-row:left-0-pwned-col:recall" in {c.key for c in deck.cards}


# --- every command --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["decks"],
        ["check"],
        ["show", "evil"],
        ["status"],
        ["cards"],
        ["cards", "evil"],
        ["cards", "evil:basic:front"],
        ["cards", "evil:pick:choice"],
        ["cards", "evil:t:row-0-pwned-row:left-0-pwned-col:identify"],
    ],
)
def test_no_command_prints_a_control_character_from_a_deck(hostile: Path, args: list[str]) -> None:
    assert runner.invoke(app, ["status"]).exit_code == 0  # synced: `cards KEY` knows the keys
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "pwned" in result.output  # the deck's text (or its file's name) was shown
    assert_printable(result.output)


def test_show_displays_the_sequences_as_symbols(hostile: Path) -> None:
    result = runner.invoke(app, ["show", "evil"])
    assert "Evil ␛]0;pwned-name␇ deck \ufffd31m" in result.output
    assert "Front ␛]0;pwned-front␇?" in result.output


def test_a_line_mode_review_prints_no_control_character(hostile: Path) -> None:
    # Every card of the deck: reveal, rate Good; then the summary.
    result = runner.invoke(app, ["review", "evil", "--limit", "9"], input="\n3\n" * 9)
    assert result.exit_code == 0, result.output
    for word in ("pwned-front", "pwned-q", "pwned-opt", "pwned-cloze", "pwned-row", "pwned-col"):
        assert word in result.output
    assert "Evil ␛]0;pwned-name␇ deck" in result.output  # in each card's header line
    assert_printable(result.output)


def test_warnings_and_errors_print_no_control_character(isolated_home: Path) -> None:
    folder = isolated_home / "decks"
    folder.mkdir(parents=True)
    bad = folder / "bad\x1b]0;pwned-file\x07.yaml"
    bad.write_text('id: bad\nname: Bad\n"\\e]0;pwned-key\\a": 1\ncards: [{front: q, back: a}]\n')
    skipped = runner.invoke(app, ["status"])  # one warning line, then the others' status
    assert skipped.exit_code == 0
    checked = runner.invoke(app, ["check", str(bad)])
    assert checked.exit_code == 1
    for result in (skipped, checked):
        assert "pwned-file" in result.output and "pwned-key" in result.output
        assert_printable(result.output)
    assert "unknown field '␛]0;pwned-key␇'" in checked.output


# --- the review screen ----------------------------------------------------------------------


def _controller(path: Path, home: Path, names: dict[str, str] | None = None) -> Controller:
    deck = load_deck(path)
    store = open_store(home)
    sync_deck(store, deck, AT)
    session = Session(store, [deck], clock=lambda: AT)
    made = Controller(session, names if names is not None else {deck.id: deck.name})
    made.start()
    return made


def test_the_review_screen_draws_no_control_character_from_a_deck(
    hostile: Path, isolated_home: Path
) -> None:
    """Every card, before and after the reveal, drawn by a plain Rich console in colour:
    Rich's own styles are there, nothing the deck wrote is."""
    controller = _controller(hostile, isolated_home)
    frames = []
    while not controller.finished:
        for command in ("enter", "3"):
            out = io.StringIO()
            console = Console(file=out, width=80, force_terminal=True, color_system="truecolor")
            console.print(review_screen(controller))
            frames.append(out.getvalue())
            controller.handle(command)
    screen = "".join(frames)
    assert len(frames) >= 18 and RICH_STYLE.search(screen)
    for word in ("pwned-name", "pwned-front", "pwned-opt", "pwned-cloze", "pwned-title"):
        assert word in screen
    for sequence in ("\x1b]", "\x1b[2J", "\x1b[5m", "\x9b", "\x07", "\x7f"):
        assert sequence not in screen
    assert_printable(RICH_STYLE.sub("", screen))


def test_text_that_bypasses_the_loader_is_made_visible_by_the_console() -> None:
    """A name from a database written before the rule, or a file path: the console
    leadcards prints through makes it visible and keeps its own styling."""
    out = io.StringIO()
    console = SafeConsole(file=out, width=80, force_terminal=True, color_system="standard")
    console.print(Text("Old \x1b]0;pwned\x07 name \x9b2J", style="bold"))
    shown = out.getvalue()
    assert "\x1b[1m" in shown  # Rich's bold
    assert "Old ␛]0;pwned name \ufffd2J" in RICH_STYLE.sub("", shown)  # Rich drops BEL itself
    assert "\x1b]" not in shown and "\x9b" not in shown


def test_a_deck_name_kept_by_an_older_version_is_made_visible(
    hostile: Path, isolated_home: Path
) -> None:
    assert runner.invoke(app, ["status"]).exit_code == 0  # the deck's row exists
    with sqlite3.connect(isolated_home / "leadcards.db") as conn:  # as an older version kept it
        conn.execute(
            "UPDATE deck_files SET name = ? WHERE deck_id = 'evil'", ("Old \x1b]0;pwned-db\x07",)
        )
    conn.close()
    result = runner.invoke(app, ["status"])
    assert "Old ␛]0;pwned-db" in result.output
    assert_printable(result.output)


def test_line_mode_makes_visible_what_bypasses_the_loader(
    hostile: Path, isolated_home: Path
) -> None:
    controller = _controller(hostile, isolated_home, {"evil": "Named \x1b]0;pwned-name\x07"})
    out = io.StringIO()
    lines.run(controller, io.StringIO("\n3\nq\n"), out)
    assert "Named ␛]0;pwned-name␇" in out.getvalue()
    assert_printable(out.getvalue())


# --- tag-like text --------------------------------------------------------------------------

TAG_DECK = """\
id: tags
name: Tag-like text
cards:
  - id: er
    front: What does <ER> stand for?
    back: "<b>Emergency</b> room; a < b > c"
    extra: |
      <div>
      a block of <i>tags</i>
      </div>
  - id: pick
    type: choice
    question: Which is <b>bold</b>?
    answer: "<ER>"
    distractors: ["<OR>"]
"""
SHOWN = ("What does <ER> stand for?", "<b>Emergency</b> room; a < b > c", "<div>", "</div>")


def test_tag_like_text_shows_as_written_on_the_review_screen(
    tmp_path: Path, isolated_home: Path
) -> None:
    path = tmp_path / "tags.yaml"
    path.write_text(TAG_DECK)
    controller = _controller(path, isolated_home)
    screens, said = [], []
    while not controller.finished:
        said += lines.card_lines(controller)
        for command in ("enter", "3"):
            out = io.StringIO()
            Console(file=out, width=100, color_system=None).print(review_screen(controller))
            screens.append(out.getvalue())
            if command == "3":
                said += lines.answer_lines(controller)
            controller.handle(command)
    screen = re.sub(r"[│╭╮╰╯─\s]+", " ", "".join(screens))
    for text in (*SHOWN, "a block of <i>tags</i>", "Which is <b>bold</b>?", "<ER>", "<OR>"):
        assert text in screen, text
    assert "Q: What does <ER> stand for?" in said and "A: <b>Emergency</b> room; a < b > c" in said


@pytest.mark.parametrize("args", [["show", "tags"], ["cards", "tags:er:front"], ["cards", "tags"]])
def test_tag_like_text_shows_as_written_in_commands(isolated_home: Path, args: list[str]) -> None:
    folder = isolated_home / "decks"
    folder.mkdir(parents=True)
    (folder / "tags.yaml").write_text(TAG_DECK)
    assert runner.invoke(app, ["status"]).exit_code == 0
    result = runner.invoke(app, args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    flat = re.sub(r"[│╭╮╰╯─\s]+", " ", result.output)
    assert "What does <ER> stand for?" in flat
    assert "<b>Emergency</b> room; a < b > c" in flat
