"""``config``: show or change scheduling settings, globally or for one deck."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leadcards.cli import completers
from leadcards.cli.application import app
from leadcards.cli.support import HomeOption, echo, handles_errors, open_workspace
from leadcards.errors import UsageError


# A value may be negative ("-5"): let it reach our own check, not typer's option parser.
@app.command(context_settings={"ignore_unknown_options": True})
@handles_errors
def config(
    key: Annotated[
        str | None,
        typer.Argument(help="A setting name.", autocompletion=completers.setting_names),
    ] = None,
    value: Annotated[str | None, typer.Argument(help="Its new value.")] = None,
    deck: Annotated[
        str | None,
        typer.Option(
            "--deck", help="Change or show one deck's override.", autocompletion=completers.deck_ids
        ),
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Remove the setting (back to the default).")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Show or change scheduling settings (all of them with no KEY)."""
    from leadcards.settings import (
        DEFAULTS,
        HELP,
        NAMES,
        format_value,
        parse_value,
        to_stored,
        unknown_setting,
    )

    if key == SYNC_DIR_KEY:
        _sync_dir(home, value, reset=reset, deck=deck)
        return
    if key is not None and key not in NAMES:
        raise unknown_setting(key)
    if value is not None and reset:
        raise UsageError("give a VALUE or --reset, not both")
    if reset and key is None:
        raise UsageError("--reset needs the name of a setting")
    # A deck override needs to know which decks exist: only then sync the deck files.
    with open_workspace(home, sync=deck is not None) as ws:
        if deck is not None and deck not in ws.deck_ids:
            known = ", ".join(sorted(ws.deck_ids)) or "none"
            raise UsageError(f"no deck with id '{deck}' (known decks: {known})")
        scope = deck or ""
        if key is not None and value is not None:
            ws.store.set_setting(key, to_stored(parse_value(key, value)), scope, at_ms=ws.now_ms)
        elif key is not None and reset:
            ws.store.set_setting(key, None, scope, at_ms=ws.now_ms)
        current = ws.store.settings(deck)
        overridden = ws.store.cached_settings().get(scope, {})
    for name in [key] if key else NAMES:
        shown = format_value(name, getattr(current, name))
        mark = "" if name not in overridden else f"  (set{' for ' + deck if deck else ''})"
        default = format_value(name, getattr(DEFAULTS, name))
        if key:
            echo(f"{name} = {shown}{mark}")
        else:
            echo(f"{name} = {shown}{mark}    # {HELP[name]}; default {default}")
    if key is None and deck is None:
        _sync_dir(home, None, reset=False, deck=None, described=True)


SYNC_DIR_KEY = "sync_dir"
SYNC_DIR_HELP = (
    "this device's shared folder: `review` syncs through it at its start and end "
    "(kept on this device only, not in the shared log); default none"
)


def _sync_dir(
    home: Path | None, value: str | None, *, reset: bool, deck: str | None, described: bool = False
) -> None:
    """``sync_dir`` is this device's, so it lives beside the database, not in the log."""
    from leadcards import journal, paths

    if deck is not None:
        raise UsageError("sync_dir belongs to this device, not to a deck: give no --deck")
    if value is not None and reset:
        raise UsageError("give a VALUE or --reset, not both")
    folder = paths.home(home)
    if reset or (value is not None and value.lower() == "none"):
        journal.set_sync_dir(folder, None)
    elif value is not None:
        journal.set_sync_dir(folder, Path(value).expanduser())
    current = journal.sync_dir(folder)
    shown = str(current) if current is not None else "none"
    echo(f"{SYNC_DIR_KEY} = {shown}" + (f"    # {SYNC_DIR_HELP}" if described else ""))
