"""``sync``: share the log through a folder a sync tool copies between devices."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leadcards.cli.application import app
from leadcards.cli.support import HomeOption, echo, handles_errors, open_workspace
from leadcards.errors import UsageError


@app.command()
@handles_errors
def sync(
    folder: Annotated[
        Path,
        typer.Argument(help="A folder shared by your devices (Syncthing, Dropbox, a USB stick)."),
    ],
    home: HomeOption = None,
) -> None:
    """Write this device's new events to its own journal in FOLDER, take every event
    the other devices' journals hold and this database lacks, and replay. No two
    devices write one file, so a sync tool never makes a conflicted copy."""
    from leadcards import journal
    from leadcards.store.backup import take_backup

    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    with open_workspace(home) as ws:
        device = journal.device_id(ws.home)
        found = journal.read(folder, device)
        local = ws.store.event_rows()
        held = {row[0] for row in local}
        fresh = [row for row in found.rows if row[0] not in held]
        report = kept = None
        if fresh:
            kept = take_backup(ws.store.path, ws.now_ms)
            report = ws.store.take_events(fresh)
        mine = [row for row in local if row[0] not in found.ids]  # in no journal yet
        if mine:
            journal.append(folder, device, mine)
    own = folder / f"{device}{journal.SUFFIX}"
    echo(f"Sent {_count(len(mine), 'event')} to {own}; took {_count(len(fresh), 'event')}.")
    if report is not None and report.cards:
        echo(f"{_count(report.cards, 'card')} rescheduled from the log.")
    if found.partial:
        echo(
            f"Left for next time, still being copied: the last line of {', '.join(found.partial)}."
        )
    if report is not None and report.unknown:
        echo(
            f"{_count(report.unknown, 'card')} of decks not synced here: hidden, with their "
            "history, until those decks are added."
        )
    if kept is not None:
        echo(f"Backup taken first: {kept}")


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"
