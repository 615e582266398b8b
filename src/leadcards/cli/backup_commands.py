"""``backup`` and ``restore``: whole copies of the database, and going back to one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leadcards.cli.application import app
from leadcards.cli.support import HomeOption, echo, handles_errors
from leadcards.errors import UsageError


def _database(home: Path | None) -> Path:
    from leadcards import paths

    database = paths.database_path(paths.home(home))
    if not database.exists():
        raise UsageError(f"there is no database at {database} yet: nothing to back up")
    return database


def _size(path: Path) -> str:
    from leadcards.export.apkg import human_size

    return human_size(path.stat().st_size)


@app.command()
@handles_errors
def backup(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Write the copy here (default: the backups folder).", show_default=False
        ),
    ] = None,
    list_them: Annotated[
        bool, typer.Option("--list", help="List the backups kept, newest first.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite PATH if it exists.")] = False,
    home: HomeOption = None,
) -> None:
    """Copy the database now (safe while a review runs). Backups are also taken after a
    review at most every 30 minutes, and before a rebuild, a migration or a restore."""
    from leadcards import backups, paths
    from leadcards.clock import now, to_ms
    from leadcards.store.backup import copy_database, take_backup

    if list_them:
        if path is not None:
            raise UsageError("--list takes no PATH")
        folder = paths.home(home)
        kept = backups.listing(folder)
        if not kept:
            echo("No backups yet.")
            return
        echo(f"In {backups.folder(folder)}, newest first:")
        for found in kept:
            echo(f"  {found.taken:%Y-%m-%d %H:%M:%S}  {_size(found.path):>9}  {found.path.name}")
        return
    database = _database(home)
    if path is None:
        written = take_backup(database, to_ms(now()))
    else:
        from leadcards.export.output import check_output

        check_output(path, force=force)
        copy_database(database, path)
        written = path
    echo(f"Backed up to {written} ({_size(written)}).")


@app.command()
@handles_errors
def restore(
    file: Annotated[Path, typer.Argument(help="A backup, or any leadcards database.")],
    home: HomeOption = None,
) -> None:
    """Go back to a backup. The database as it is now is backed up first, so a restore
    can itself be undone."""
    from leadcards import paths
    from leadcards.clock import now, to_ms
    from leadcards.store import open_store
    from leadcards.store.backup import copy_database, restore_database, take_backup, vet_backup

    if not file.is_file():
        raise UsageError(f"{file} is not a file")
    vet_backup(file)
    database = paths.database_path(paths.home(home))
    kept = None
    if database.exists():
        kept = take_backup(database, to_ms(now()), keep=file)
        restore_database(file, database)
    else:  # a new machine: the backup becomes the database
        copy_database(file, database)
    with open_store(database.parent) as store:  # migrates an older one, checks it is sound
        answers = store.event_count()
    echo(f"Restored {file} ({answers} log events).")
    if kept is not None:
        echo(f"The database as it was is kept in {kept}; `leadcards restore` it to go back.")
