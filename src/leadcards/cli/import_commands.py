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
    from leadcards.importing.anki_import import ImportReport
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
    if target.resolve().parent == decks.resolve():
        lines.append(f"It is in the decks folder: leadcards review {found.deck.id}")
    else:
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


@import_app.command("anki")
@handles_errors
def import_anki(
    package: Annotated[
        Path,
        typer.Argument(
            help="An Anki package: .apkg or .colpkg, of any Anki version.", show_default=False
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="A folder for the deck files, or a .yaml file when one deck is written "
            "(default: the data folder's decks, where review finds them).",
            show_default=False,
        ),
    ] = None,
    deck: Annotated[
        str | None,
        typer.Option(
            "--deck", help="Import only this Anki deck and its subdecks.", show_default=False
        ),
    ] = None,
    with_history: Annotated[
        bool,
        typer.Option(
            "--with-history",
            help="Bring Anki's reviews into the log too, so FSRS goes on where Anki left off.",
        ),
    ] = False,
    as_basic: Annotated[
        bool,
        typer.Option(
            "--as-basic",
            help="Import notes of other note types from their first two fields.",
        ),
    ] = False,
    force: ForceOption = False,
    home: HomeOption = None,
) -> None:
    """Write an Anki package's decks as deck files (media copied), with its reviews."""
    from leadcards import paths
    from leadcards.importing.anki_import import import_anki as run

    report = run(
        package,
        home=paths.home(home),
        output=output,
        deck=deck,
        as_basic=as_basic,
        with_history=with_history,
        force=force,
    )
    for line in anki_summary(report):
        echo(line)


def anki_summary(report: ImportReport) -> list[str]:
    """Every count, zeros too: notes, cards, decks, media, reviews, and what was left."""
    decks = len(report.decks_written) + len(report.decks_unchanged)
    lines = [
        f"Read {report.package} (Anki {report.format} package)",
        f"Wrote {_plural(len(report.decks_written), 'deck')} "
        f"({len(report.decks_unchanged)} unchanged) with {_plural(report.notes, 'note')} and "
        f"{_plural(report.cards, 'card')}; {_plural(report.known_notes, 'note')} "
        "already known here (by GUID), mapped to their cards",
    ]
    for path in [*report.decks_written, *report.decks_unchanged]:
        lines.append(f"  {path}")
    if report.as_basic:
        lines.append(f"{_plural(report.as_basic, 'note')} of other note types taken as basic")
    other = sum(report.other_types.values())
    types = ", ".join(f"{name} ({n})" for name, n in report.other_types.most_common())
    lines.append(
        f"Not imported: {_plural(other, 'note')} of other note types"
        + (f": {types} (--as-basic takes their first two fields)" if other else "")
    )
    skipped = sum(report.skipped.values())
    reasons = "; ".join(f"{n} {why}" for why, n in report.skipped.most_common())
    lines.append(f"Skipped {_plural(skipped, 'note')}" + (f": {reasons}" if skipped else ""))
    media = f"Media: {_plural(report.media_copied, 'file')} copied"
    if report.media_skipped:
        listed = "; ".join(f"{name} ({why})" for name, why in report.media_skipped[:5])
        more = ", ..." if len(report.media_skipped) > 5 else ""
        media += f", {len(report.media_skipped)} skipped: {listed}{more}"
    else:
        media += ", 0 skipped"
    lines.append(media)
    if report.history:
        left = sum(report.reviews_skipped.values())
        why = "; ".join(f"{n} {r}" for r, n in report.reviews_skipped.most_common())
        lines.append(
            f"History: {_plural(report.reviews, 'review')} and {_plural(report.resets, 'reset')}"
            f" added to the log, {left} left out" + (f" ({why})" if left else "")
        )
    else:
        lines.append("History: not imported (--with-history brings Anki's reviews)")
    lines.append(f"Suspensions and buries carried over: {report.flags}")
    if not decks and not report.known_notes:
        lines.append("Nothing was imported.")
    return lines


app.add_typer(import_app, name="import")
