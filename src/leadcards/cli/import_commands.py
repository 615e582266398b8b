"""``leadcards import csv``: notes from another tool written as a deck file.

The reading lives in ``leadcards.importing`` (one module per format, each returning a
deck to write and what it skipped); the writing in ``importing.deck_writer``. A
command here reads, writes, and prints a summary that names every count, zeros too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from leadcards.cli.application import app
from leadcards.cli.support import HomeOption, echo, handles_errors

if TYPE_CHECKING:
    from leadcards.importing.text_import import TextImport

import_app = typer.Typer(
    help="Bring notes in from other tools as a deck file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help="The deck file to write (default: the deck's id and .yaml, in this folder).",
        show_default=False,
    ),
]
DeckNameOption = Annotated[
    str | None,
    typer.Option(
        "--deck",
        help="The deck's name (default: the file's deck column, else its name).",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the output file if it already exists.")
]


@import_app.command("csv")
@handles_errors
def import_csv(
    file: Annotated[
        Path,
        typer.Argument(
            help="Anki's text format (as `export csv` writes it) or a CSV of front and back.",
            show_default=False,
        ),
    ],
    output: OutputOption = None,
    deck: DeckNameOption = None,
    force: ForceOption = False,
    home: HomeOption = None,
) -> None:
    """Write the notes of a text file as a deck: one note a row, its GUID kept."""
    from leadcards.importing.deck_writer import write_deck
    from leadcards.importing.text_import import TextImportError, read_text_import

    found = read_text_import(file, deck)
    if not found.deck.notes:
        raise TextImportError(f"no row of {file} makes a note: {_skipped(found)}")
    target = output if output is not None else Path(f"{found.deck.id}.yaml")
    loaded = write_deck(found.deck, target, force=force)
    for line in _summary(found, file, target, loaded.name, home):
        echo(line)


def _summary(
    found: TextImport, file: Path, target: Path, name: str, home: Path | None
) -> list[str]:
    from leadcards import paths

    kinds = ", ".join(f"{found.kinds[kind]} {kind}" for kind in ("basic", "reversed", "cloze"))
    total = len(found.deck.notes)
    lines = [
        f"Imported {_plural(total, 'note')} ({kinds}) from {file} → {target} "
        f"(deck '{found.deck.id}', {name})",
        f"Skipped {_skipped(found)}",
    ]
    if found.header_row is not None:
        lines.append(
            f"Left out the first row, which names the columns: {', '.join(found.header_row)}"
        )
    if len(found.decks_named) > 1:
        listed = ", ".join(found.decks_named[:5]) + (", ..." if len(found.decks_named) > 5 else "")
        lines.append(
            f"The file names {len(found.decks_named)} decks ({listed}); all its notes are in {name}"
        )
    if found.media:
        listed = ", ".join(found.media[:5]) + (", ..." if len(found.media) > 5 else "")
        lines.append(f"Fields name {_plural(len(found.media), 'media file')}, not copied: {listed}")
    decks = paths.user_decks_dir(paths.home(home))
    lines.append(f"To study it, move it into {decks}, or name it: leadcards review {target}")
    return lines


def _skipped(found: TextImport) -> str:
    """``0 rows`` or ``3 rows: 2 with an empty back (lines 7, 9), 1 with ...``."""
    count = sum(len(lines) for lines in found.skipped.values())
    if not count:
        return "0 rows"
    parts = []
    for reason, lines in sorted(found.skipped.items(), key=lambda item: -len(item[1])):
        where = ", ".join(map(str, lines[:5])) + (", ..." if len(lines) > 5 else "")
        parts.append(
            f"{len(lines)} with {reason} ({'line' if len(lines) == 1 else 'lines'} {where})"
        )
    return f"{_plural(count, 'row')}: " + "; ".join(parts)


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


app.add_typer(import_app, name="import")
