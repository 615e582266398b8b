"""``decks``, ``check``, ``show``: what decks there are and whether they load."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leadcards import paths
from leadcards.cli import completers
from leadcards.cli.application import app
from leadcards.cli.support import (
    HomeOption,
    JsonOption,
    console,
    echo,
    err,
    handles_errors,
    print_json,
    warn_broken,
)


@app.command()
@handles_errors
def decks(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """List the known decks: built-in ones and those in the data folder's decks/."""
    from leadcards.deck import catalog

    files = catalog.deck_files(paths.home(home))
    loaded, broken = catalog.load_each([f.path for f in files])
    warn_broken(broken)
    builtin = {f.path for f in files if f.builtin}
    if as_json:
        print_json(
            [
                {
                    "id": d.id,
                    "name": d.name,
                    "cards": len(d.cards),
                    "path": str(d.path),
                    "builtin": d.path in builtin,
                }
                for d in loaded
            ]
        )
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Decks")
    table.add_column("id", no_wrap=True)
    table.add_column("name", no_wrap=True)
    table.add_column("cards", justify="right")
    table.add_column("source file", overflow="fold")
    for deck in loaded:
        where = "built-in" if deck.path in builtin else str(deck.path)
        table.add_row(Text(deck.id), Text(deck.name), str(len(deck.cards)), Text(where))
    console().print(table)


@app.command()
@handles_errors
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Deck files to check (default: every known deck).", show_default=False),
    ] = None,
    home: HomeOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat content warnings as errors (exit 1).")
    ] = False,
) -> None:
    """Validate deck files and print every problem as path:line:column: message; also
    warn about cards that give their answer away or ask alike and answer differently."""
    from leadcards.deck import catalog
    from leadcards.deck.lint import lint
    from leadcards.errors import DeckError
    from leadcards.export.apkg import export_problems

    targets = list(files or []) or [f.path for f in catalog.deck_files(paths.home(home))]
    decks = catalog.load_all(targets)
    # What loads but Anki would not take as it is: an export would refuse it.
    problems = export_problems(decks)
    if problems:
        raise DeckError(problems)
    found = {deck.path: lint(deck) for deck in decks}
    if strict and any(found.values()):
        raise DeckError([w for warnings in found.values() for w in warnings])
    for deck in decks:
        for warning in found[deck.path]:
            err(str(warning))
        count = len(found[deck.path])
        noted = f" ({count} warning{'s' if count != 1 else ''})" if count else ""
        echo(
            f"{deck.path}: ok — deck '{deck.id}', {len(deck.notes)} notes, "
            f"{len(deck.cards)} cards{noted}"
        )


@app.command()
@handles_errors
def show(
    deck: Annotated[
        str,
        typer.Argument(
            help="A deck id or the path to a deck file.", autocompletion=completers.deck_ids
        ),
    ],
    home: HomeOption = None,
) -> None:
    """Study view of a deck: each table in full, then the other cards."""
    from leadcards.deck import catalog
    from leadcards.ui.render import deck_view

    broken: list[catalog.Broken] = []
    (found,) = catalog.resolve([deck], paths.home(home), broken)
    warn_broken(broken)
    console().print(deck_view(found))
