"""Pieces every command module shares: common options, the console, and turning errors
into one line and an exit code.

Everything a command prints goes through ``console()``, ``echo`` or ``err``, which make
control characters visible (``leadcards.printable``): a deck's text is clean once
loaded, but a file path or a name kept by an older version may not be.
"""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from leadcards.cli import completers
from leadcards.errors import DeckError, ExitStatus, LeadcardsError
from leadcards.printable import printable

if TYPE_CHECKING:
    from rich.console import Console

    from leadcards.deck.catalog import Broken
    from leadcards.workspace import Workspace

P = ParamSpec("P")
R = TypeVar("R")

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Data folder (default: $LEADCARDS_HOME, else the platform's user data folder).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
DecksArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="Deck ids or files (default: every known deck).",
        show_default=False,
        autocompletion=completers.deck_ids,
    ),
]
KeyArgument = Annotated[
    str,
    typer.Argument(
        help="The card's key (see `leadcards cards`).", autocompletion=completers.card_keys
    ),
]


def console() -> Console:
    from leadcards.ui.safe_console import SafeConsole

    return SafeConsole()


def echo(line: str) -> None:
    """One line on stdout."""
    sys.stdout.write(printable(line) + "\n")


def err(message: str) -> None:
    """One line (or a few, for a deck's problems) on stderr."""
    sys.stderr.write(printable(message.rstrip("\n")) + "\n")
    sys.stderr.flush()


def warn_broken(broken: Iterable[Broken]) -> None:
    """One line on stderr for each deck file skipped because it does not load."""
    seen: set[Path] = set()
    for item in broken:
        if item.path not in seen:
            seen.add(item.path)
            err(item.warning())


def open_workspace(
    home: Path | None, *, sync: bool = True, decks: list[str] | None = None, check: bool = True
) -> Workspace:
    """``Workspace.open`` for a command: deck files skipped on the way are reported."""
    from leadcards.workspace import Workspace

    ws = Workspace.open(home, sync=sync, decks=decks, check=check)
    warn_broken(ws.broken)
    return ws


def print_json(payload: object) -> None:
    import json

    print(json.dumps(payload, indent=2))


def handles_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn project errors into one line each on stderr and their exit code.

    A file-level SQLite error that escaped the store (it translates those it meets) is
    reported as damage; an error in our own SQL (IntegrityError, ProgrammingError) is a
    bug and keeps its traceback.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DeckError as exc:
            err(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except LeadcardsError as exc:
            err(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise
        except sqlite3.DatabaseError as exc:
            err(f"error: the database cannot be read ({exc}); run `leadcards doctor`")
            raise typer.Exit(ExitStatus.ERROR) from None

    return wrapper
