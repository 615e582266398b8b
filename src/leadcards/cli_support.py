"""Pieces every command module shares: common options and turning errors into exits.

Kept apart from ``cli`` so that sub-apps (``export``) can use them without importing
the main app, which mounts them.
"""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from leadcards.errors import DeckError, LeadcardsError

F = TypeVar("F", bound=Callable[..., Any])

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Data folder (default: $LEADCARDS_HOME, else the platform's user data folder).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def handles_errors(func: F) -> F:
    """Turn project errors into one line each on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DeckError as exc:
            err(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except LeadcardsError as exc:
            err(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except sqlite3.DatabaseError as exc:
            # Damage that only shows part-way through a command (a bad page deep in
            # the file): nothing was committed by the failing statement.
            err(f"error: the database cannot be read ({exc}); run `leadcards doctor`")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
