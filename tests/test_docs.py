"""The README stays true: every command documented, the example deck valid."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from leadcards.cli import app
from leadcards.deck.load import load_deck

from .conftest import REPO

README = (REPO / "README.md").read_text()


def _commands(typer_app: typer.Typer, prefix: str = "leadcards") -> list[tuple[str, str | None]]:
    found = []
    for info in typer_app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        doc = info.help or (info.callback.__doc__ if info.callback else None)
        found.append((f"{prefix} {name}", doc))
    for group in typer_app.registered_groups:
        found += _commands(group.typer_instance, f"{prefix} {group.name}")
    return found


def test_every_command_has_help_and_a_readme_entry() -> None:
    commands = _commands(app)
    assert len(commands) >= 13
    for name, doc in commands:
        assert doc and doc.strip(), f"{name} has no help text"
        assert f"`{name}" in README, f"{name} is not in the README's command table"


def test_readme_example_deck_is_valid(tmp_path: Path) -> None:
    example = re.search(r"A complete example:\n\n```yaml\n(.*?)```", README, re.DOTALL)
    assert example is not None
    path = tmp_path / "example.yaml"
    path.write_text(example.group(1))
    deck = load_deck(path)
    assert deck.id == "lvm-mini"
    assert {c.kind for c in deck.cards} == {"table", "basic", "reversed", "cloze", "choice"}


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text()
    assert "<!-- test-command -->" in ci
    command = README.split("<!-- test-command -->", 1)[1].split("```")[1].strip()
    assert command.endswith("python -m pytest")
    run = README.split("<!-- run-command -->", 1)[1].split("```")[1].strip()
    assert run.endswith("leadcards review")
