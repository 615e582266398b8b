"""``leadcards export anki|csv``: choose decks, write, print one summary line.

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

from leadcards.cli import completers
from leadcards.cli.application import app
from leadcards.cli.support import HomeOption, echo, handles_errors, open_workspace

if TYPE_CHECKING:
    from leadcards.deck.model import Deck
    from leadcards.export.records import CardSchedule
    from leadcards.workspace import Workspace

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


@contextlib.contextmanager
def _decks(names: list[str] | None, home: Path | None) -> Iterator[tuple[Workspace, list[Deck]]]:
    """The decks named (every known one by default; one named twice, once: its GUIDs
    would clash), synced, and read back as their files last said: an unchanged deck is
    not parsed. The workspace stays open for the schedules of ``--with-history``."""
    from leadcards.texts import stored_deck

    with open_workspace(home, decks=list(names or [])) as ws:
        found = []
        for info in ws.infos:
            deck = stored_deck(ws.store, info.id, Path(info.path))
            if deck is None:  # no text stored (a hand edit): the file says it all the same
                from leadcards.deck.load import load_deck

                deck = load_deck(info.path)
            found.append(deck)
        yield ws, found


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

    with _decks(decks, home) as (ws, found):
        total = apkg.count(found)[1]
        if with_history:
            from leadcards.export.apkg_history import write_apkg_with_history

            def read_schedules() -> dict[str, CardSchedule]:
                from leadcards.schedules import card_schedules

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

    with _decks(decks, home) as (_, found), _progress(apkg.count(found)[1]) as advance:
        summary = write_csv(found, output, force=force, progress=advance)
    echo(summary.line())


app.add_typer(export_app, name="export")
