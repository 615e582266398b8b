"""``cards``, ``suspend``, ``unsuspend``, ``forget``: looking at cards and changing one."""

from __future__ import annotations

from typing import Annotated

import typer

from leadcards.cli.app import app
from leadcards.cli.support import (
    HomeOption,
    JsonOption,
    KeyArgument,
    console,
    handles_errors,
    open_workspace,
    print_json,
)
from leadcards.errors import UsageError


@app.command()
@handles_errors
def cards(
    deck: Annotated[
        str | None, typer.Argument(help="A deck id or path (default: every known deck).")
    ] = None,
    due: Annotated[bool, typer.Option("--due", help="Only cards due today.")] = False,
    new: Annotated[bool, typer.Option("--new", help="Only new cards.")] = False,
    suspended: Annotated[bool, typer.Option("--suspended", help="Only suspended cards.")] = False,
    leeches: Annotated[bool, typer.Option("--leeches", help="Only leeches.")] = False,
    search: Annotated[
        str | None, typer.Option("--search", help="Only cards whose key or text contains TEXT.")
    ] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Browse cards with their state, due date, stability, difficulty and retrievability."""
    from leadcards.card_list import CardFilter, card_rows

    if due and new:
        raise UsageError("--due and --new exclude each other (a new card is never due): give one")
    only = CardFilter(due=due, new=new, suspended=suspended, leeches=leeches, search=search)
    with open_workspace(home, parse=[deck] if deck else []) as ws:
        rows = card_rows(ws, only)
    if as_json:
        print_json(rows)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{len(rows)} cards", title_justify="left")
    table.add_column("key", overflow="fold", min_width=24)
    table.add_column("state", no_wrap=True)
    table.add_column("due", no_wrap=True)
    for name in ("stability", "difficulty", "R", "lapses"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("flags", overflow="fold")
    for row in rows:
        table.add_row(
            Text(row["key"]),
            row["state"],
            row["due"] or "—",
            "—" if row["stability"] is None else f"{row['stability']:.1f}d",
            "—" if row["difficulty"] is None else f"{row['difficulty']:.1f}",
            "—" if row["retrievability"] is None else f"{row['retrievability']:.0%}",
            str(row["lapses"]),
            " ".join(row["flags"]),
        )
    console().print(table)


def _change(key: str, home: HomeOption, action: str) -> str:
    """Log one change to a card and say what it did; the workspace syncs first, so a
    card never reviewed yet still has a row. A change that would change nothing is
    said so and not logged."""
    with open_workspace(home) as ws:
        store = ws.store
        before = store.card(key).record
        if action == "suspend":
            if before.suspended:
                return f"{key} is already suspended"
            store.suspend(key, ws.now_ms)
            return f"Suspended {key} (`leadcards unsuspend {key}` brings it back)"
        if action == "unsuspend":
            if not before.suspended:
                return f"{key} is not suspended: nothing to do"
            store.unsuspend(key, ws.now_ms)
            return f"Unsuspended {key}"
        store.forget(key, ws.now_ms)
        done = f"Reset {key} to new (its history is kept)"
        if before.suspended:
            why = "a leech" if before.leech else "suspended"
            done += f"; it is still {why} — `leadcards unsuspend {key}` brings it back"
        return done


@app.command()
@handles_errors
def suspend(key: KeyArgument, home: HomeOption = None) -> None:
    """Keep a card out of reviews until it is unsuspended."""
    print(_change(key, home, "suspend"))


@app.command()
@handles_errors
def unsuspend(key: KeyArgument, home: HomeOption = None) -> None:
    """Let a suspended card (a leech, say) come back into reviews."""
    print(_change(key, home, "unsuspend"))


@app.command()
@handles_errors
def forget(key: KeyArgument, home: HomeOption = None) -> None:
    """Reset a card to new; its review history is kept."""
    print(_change(key, home, "forget"))
