"""``doctor``: is the file sound, and does the cache match the log?"""

from __future__ import annotations

from typing import Annotated

import typer

from leadcards.cli.app import app
from leadcards.cli.support import HomeOption, handles_errors
from leadcards.errors import ExitStatus


@app.command()
@handles_errors
def doctor(
    rebuild: Annotated[
        bool,
        typer.Option("--rebuild", help="Rewrite every card's cached state from the log alone."),
    ] = False,
    home: HomeOption = None,
) -> None:
    """Check the database, and compare each card's cached state with a replay of its log."""
    from leadcards.doctor import check
    from leadcards.workspace import Workspace

    with Workspace.open(home, sync=False) as ws:
        report = check(ws.store, rebuild=rebuild)
    for line in report.lines:
        print(line)
    if not report.ok:
        raise typer.Exit(ExitStatus.ERROR)
