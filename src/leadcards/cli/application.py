"""The typer application every command module registers on."""

from __future__ import annotations

from typing import Annotated

import typer

from leadcards import __version__

app = typer.Typer(
    help="Spaced-repetition flashcards in the terminal: leadership vs management "
    "in healthcare quality (CPHQ), or any deck you write in YAML.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"leadcards {__version__}")
        raise typer.Exit()


MAIN_COMMANDS = (
    "leadcards review     study what is due (space shows, 1-4 rate, ? help)\n"
    "leadcards cards      browse cards; status, decks, show, config, export, doctor: see --help"
)


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """leadcards: spaced repetition for the terminal. Alone, it shows today's overview."""
    if ctx.invoked_subcommand is None:
        from leadcards.cli.study_commands import status

        status(home=None, as_json=False)
        print(MAIN_COMMANDS)
