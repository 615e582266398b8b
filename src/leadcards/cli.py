"""The ``leadcards`` command: parse arguments, call the core, render, pick the exit code.

Nothing here knows SQL or YAML. Every ``LeadcardsError`` becomes its message on stderr
and a non-zero exit; heavy modules are imported inside the commands that need them,
because start-up time is paid every day.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from leadcards import __version__
from leadcards.errors import DeckError, LeadcardsError

app = typer.Typer(
    help="Spaced-repetition flashcards in the terminal: leadership vs management "
    "in healthcare quality (CPHQ), or any deck you write in YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Data folder (default: $LEADCARDS_HOME, else the platform's user data folder).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def handles_errors(func: F) -> F:
    """Turn project errors into one line each on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DeckError as exc:
            _err(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except LeadcardsError as exc:
            _err(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _console() -> Any:
    from rich.console import Console

    return Console()


def _home(option: Path | None) -> Path:
    from leadcards import paths

    return paths.home(option)


def _version(value: bool) -> None:
    if value:
        print(f"leadcards {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """leadcards: spaced repetition for the terminal."""


@app.command()
@handles_errors
def decks(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """List the known decks: built-in ones and those in the data folder's decks/."""
    from leadcards.deck import catalog

    home_dir = _home(home)
    files = catalog.deck_files(home_dir)
    loaded = catalog.load_all([f.path for f in files])
    builtin = {f.path for f in files if f.builtin}
    if as_json:
        import json

        print(
            json.dumps(
                [
                    {
                        "id": d.id,
                        "name": d.name,
                        "cards": len(d.cards),
                        "path": str(d.path),
                        "builtin": d.path in builtin,
                    }
                    for d in loaded
                ],
                indent=2,
            )
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
    _console().print(table)


@app.command()
@handles_errors
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Deck files to check (default: every known deck).", show_default=False),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Validate deck files and print every problem as path:line:column: message."""
    from leadcards.deck import catalog

    targets = list(files or []) or [f.path for f in catalog.deck_files(_home(home))]
    loaded = catalog.load_all(targets)
    for deck in loaded:
        print(
            f"{deck.path}: ok — deck '{deck.id}', {len(deck.notes)} notes, {len(deck.cards)} cards"
        )


@app.command()
@handles_errors
def show(
    deck: Annotated[str, typer.Argument(help="A deck id or the path to a deck file.")],
    home: HomeOption = None,
) -> None:
    """Study view of a deck: each table in full, then the other cards."""
    from leadcards.deck import catalog
    from leadcards.ui.render import deck_view

    (found,) = catalog.resolve([deck], _home(home))
    _console().print(deck_view(found))


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
