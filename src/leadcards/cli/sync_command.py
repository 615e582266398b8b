"""``sync``: share the log through a folder a sync tool copies between devices."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from leadcards.cli.application import app
from leadcards.cli.support import HomeOption, echo, handles_errors, open_workspace

if TYPE_CHECKING:
    from leadcards.journal import Exchange


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
    from leadcards.journal import exchange

    with open_workspace(home) as ws:
        done = exchange(ws.store, ws.home, folder, ws.now_ms)
    for line in report_lines(done):
        echo(line)


def report_lines(done: Exchange) -> list[str]:
    """What moved, as `sync` prints it."""
    lines = [
        f"Sent {_count(done.sent, 'event')} to {done.journal}; took {_count(done.taken, 'event')}."
    ]
    if done.cards:
        lines.append(f"{_count(done.cards, 'card')} rescheduled from the log.")
    if done.partial:
        cut = ", ".join(done.partial)
        lines.append(f"Left for next time, still being copied: the last line of {cut}.")
    if done.unknown:
        lines.append(
            f"{_count(done.unknown, 'card')} of decks not synced here: hidden, with their "
            "history, until those decks are added."
        )
    if done.backup is not None:
        lines.append(f"Backup taken first: {done.backup}")
    return lines


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"
