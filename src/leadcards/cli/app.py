"""The typer application every command module registers on."""

from __future__ import annotations

from typing import Annotated

import typer

from leadcards import __version__

app = typer.Typer(
    help="Spaced-repetition flashcards in the terminal: leadership vs management "
    "in healthcare quality (CPHQ), or any deck you write in YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


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
