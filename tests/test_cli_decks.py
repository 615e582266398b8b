"""`leadcards decks`, `check`, `show` and `--version` through the real typer app."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from leadcards import __version__
from leadcards.cli import app
from leadcards.deck.load import load_deck
from leadcards.ui.render import deck_view

from .conftest import BUILTIN_DECK

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"leadcards {__version__}\n"


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "leadcards", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip() == f"leadcards {__version__}"


def test_decks_lists_builtin_and_user_decks(isolated_home: Path) -> None:
    user = isolated_home / "decks"
    user.mkdir(parents=True)
    (user / "mine.yaml").write_text("id: mine\nname: My deck\ncards: [{front: q, back: a}]\n")
    result = runner.invoke(app, ["decks", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [(d["id"], d["cards"], d["builtin"]) for d in listed] == [
        ("lvm", 153, True),
        ("mine", 1, False),
    ]
    table = runner.invoke(app, ["decks"])
    assert "CPHQ::Leadership vs Management" in table.stdout and "built-in" in table.stdout


def test_check_defaults_to_every_known_deck() -> None:
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("ok — deck 'lvm', 101 notes, 153 cards")


def test_a_broken_user_deck_is_skipped_by_decks_with_one_warning(isolated_home: Path) -> None:
    user = isolated_home / "decks"
    user.mkdir(parents=True)
    bad = user / "bad.yaml"
    bad.write_text("id: bad\nname: Bad\ncards:\n  - front: q\n")
    result = runner.invoke(app, ["decks", "--json"])
    assert result.exit_code == 0
    assert [d["id"] for d in json.loads(result.stdout)] == ["lvm"]
    assert result.stderr == (
        f"warning: {bad}:4:5: a basic card is missing the required field 'back'; "
        f"this deck is skipped — `leadcards check {bad}` lists every problem\n"
    )
    checked = runner.invoke(app, ["check"])
    assert checked.exit_code == 1  # check still fails on it
    assert f"{bad}:4:5: a basic card is missing the required field 'back'" in checked.stderr


def test_show_by_id_and_by_path() -> None:
    by_id = runner.invoke(app, ["show", "lvm"], env={"COLUMNS": "100"})
    by_path = runner.invoke(app, ["show", str(BUILTIN_DECK)], env={"COLUMNS": "100"})
    assert by_id.exit_code == 0 and by_path.exit_code == 0
    assert by_id.stdout == by_path.stdout
    for text in ("Style of Influence", "Authority-based", "Vision-Setting", "Compliance"):
        assert text in by_id.stdout


def test_show_unknown_deck() -> None:
    result = runner.invoke(app, ["show", "nope"])
    assert result.exit_code == 2
    assert result.stderr == "error: no deck with id 'nope' (known decks: lvm)\n"


def test_show_renders_into_a_fixed_width_console(write_deck) -> None:
    deck = load_deck(
        write_deck(
            """\
id: render
name: Render
tables:
  - id: cmp
    title: Markup stays literal
    row_label: Aspect
    columns: [Management, Leadership]
    rows:
      - label: "[bold]Focus[/bold]"
        cells: ["[red]Systems[/red]", "People"]
cards:
  - front: "Who does [blink]things right[/blink]?"
    back: Managers
"""
        )
    )
    out = io.StringIO()
    Console(file=out, width=60, color_system=None).print(deck_view(deck))
    text = out.getvalue()
    assert "[bold]Focus[/bold]" in text
    assert "[red]Systems[/red]" in text
    assert "[blink]things right[/blink]" in text
    assert max(len(line) for line in text.splitlines()) <= 60
