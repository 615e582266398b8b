"""``doctor``: is the file sound, and do the caches match the decks and the log?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leadcards.cli.application import app
from leadcards.cli.support import HomeOption, echo, handles_errors, open_workspace, warn_broken
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
    """Check the database; compare the card rows with the decks, and each card's cached
    state with a replay of its log."""
    from leadcards.deck import catalog
    from leadcards.deck.files import present
    from leadcards.doctor import check
    from leadcards.sync import changed_files

    # The files this database has synced are parsed, not synced again: doctor compares
    # the rows with them, and only --rebuild changes a row. A file changed since its last
    # sync is not compared: its rows are right until the next command syncs it.
    with open_workspace(home, sync=False, check=False) as ws:
        files = [Path(f.path) for f in ws.store.deck_files().values() if present(Path(f.path))]
        changed = {Path(f.path) for f in changed_files(ws.store, files, touch=False)}
        decks, broken = catalog.load_each(
            files if rebuild else [f for f in files if f not in changed]
        )
        warn_broken(broken)
        report = check(ws.store, rebuild=rebuild, decks=decks, now_ms=ws.now_ms)
    if changed and not rebuild:
        report.lines.insert(
            -1,
            f"decks: {len(changed)} file{'s' if len(changed) != 1 else ''} changed since last "
            "synced; the next command syncs them",
        )
    for line in report.lines:
        echo(line)
    if not report.ok:
        raise typer.Exit(ExitStatus.ERROR)
