"""``merge``: bring in another device's answers, and lose none of either's."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leadcards.cli.application import app
from leadcards.cli.support import HomeOption, echo, handles_errors, open_workspace
from leadcards.errors import UsageError


@app.command()
@handles_errors
def merge(
    other: Annotated[
        Path, typer.Argument(help="Another leadcards database (a copy from another device).")
    ],
    home: HomeOption = None,
) -> None:
    """Take every event another database has and this one lacks, and replay: answers,
    undos, suspensions, buries and settings from both, in time order. Merging in either
    direction, or twice, gives the same cards; the other file is only read."""
    from leadcards.store.backup import take_backup, vet_backup

    if not other.is_file():
        raise UsageError(f"{other} is not a file")
    vet_backup(other)  # refused before anything is written here
    with open_workspace(home) as ws:
        if other.resolve() == ws.store.path.resolve():
            raise UsageError(f"{other} is this data folder's own database")
        kept = take_backup(ws.store.path, ws.now_ms, keep=other)
        report = ws.store.merge_from(other)
    if not report.events:
        echo(f"Nothing to merge: this database already has every event of {other}.")
    else:
        echo(
            f"Merged {report.events} event{'s' if report.events != 1 else ''} from {other}; "
            f"{report.cards} card{'s' if report.cards != 1 else ''} rescheduled from the log."
        )
    if report.unknown:
        echo(
            f"{report.unknown} card{'s are' if report.unknown != 1 else ' is'} of decks not "
            "synced here: hidden, with their history, until those decks are added."
        )
    echo(f"Backup taken first: {kept}")
