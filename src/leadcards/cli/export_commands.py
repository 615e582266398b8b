"""``leadcards export anki|csv``: resolve decks, write, print one summary line.

The commands only wire things together; the writers live in ``leadcards.export``
(``apkg``, ``anki_text``, ``apkg_history``), and each checks the output path (and the
anki package) itself, before any slow work. Heavy modules (genanki, the anki package,
the store) are imported inside the commands.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from leadcards import paths
from leadcards.cli import completers
from leadcards.cli.app import app
from leadcards.cli.support import HomeOption, echo, handles_errors, warn_broken

if TYPE_CHECKING:
    from leadcards.deck.catalog import Broken
    from leadcards.deck.model import Deck
    from leadcards.export.records import CardSchedule

LARGE_EXPORT = 2_000  # cards; smaller exports finish before a bar is worth drawing

export_app = typer.Typer(
    help="Export decks to Anki: a package (.apkg) or Anki's text import format.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DecksArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="Deck ids or deck files (default: every known deck).",
        metavar="[DECK]...",
        show_default=False,
        autocompletion=completers.deck_ids,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite the output file if it already exists.")
]


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A bar on stderr for large exports in a terminal; nothing otherwise."""
    if total <= LARGE_EXPORT or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    from leadcards.ui.safe_console import SafeConsole

    with Progress(console=SafeConsole(stderr=True), transient=True) as bar:
        task = bar.add_task("Exporting", total=total)
        yield lambda done: bar.advance(task, done)


def _resolve(decks: list[str] | None, home: Path | None) -> list[Deck]:
    from leadcards.deck import catalog

    broken: list[Broken] = []
    found = catalog.resolve(list(decks or []), paths.home(home), broken)
    warn_broken(broken)
    return found


def _unique(found: list[Deck]) -> list[Deck]:
    """A deck named twice (by id and by path) is exported once: its GUIDs would clash."""
    unique = {deck.id: deck for deck in reversed(found)}
    return [deck for deck in found if unique[deck.id] is deck]


@export_app.command("anki")
@handles_errors
def anki_command(
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="The .apkg file to write.", show_default=False),
    ],
    decks: DecksArgument = None,
    with_history: Annotated[
        bool,
        typer.Option(
            "--with-history",
            help="Include each card's schedule and review history (needs leadcards[anki]). "
            "Anki applies it only to cards it does not already have.",
        ),
    ] = False,
    force: ForceOption = False,
    home: HomeOption = None,
) -> None:
    """Write an Anki package; importing it again updates the notes instead of duplicating."""
    from leadcards.export import apkg

    found = _unique(_resolve(decks, home))
    total = apkg.count(found)[1]
    if with_history:
        from leadcards.export.apkg_history import write_apkg_with_history

        def read_schedules() -> dict[str, CardSchedule]:
            from leadcards.schedules import card_schedules
            from leadcards.workspace import Workspace

            with Workspace.open(home, loaded=found) as ws:
                return card_schedules(ws.store, found)

        with _progress(total * 2) as advance:
            summary = write_apkg_with_history(
                found,
                read_schedules,
                output,
                force=force,
                progress=advance,
            )
    else:
        with _progress(total) as advance:
            summary = apkg.write_apkg(found, output, force=force, progress=advance)
    echo(summary.line())


@export_app.command("csv")
@handles_errors
def csv_command(
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="The text file to write.", show_default=False),
    ],
    decks: DecksArgument = None,
    force: ForceOption = False,
    home: HomeOption = None,
) -> None:
    """Write Anki's text import format (tab separated, HTML fields, GUID column).

    Anki needs the leadcards note types before it can import this file: import an
    .apkg export once first.
    """
    from leadcards.export import apkg
    from leadcards.export.anki_text import write_csv

    found = _unique(_resolve(decks, home))
    with _progress(apkg.count(found)[1]) as advance:
        summary = write_csv(found, output, force=force, progress=advance)
    echo(summary.line())


app.add_typer(export_app, name="export")
