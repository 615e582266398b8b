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


def _change(key: str, home: HomeOption, action: str) -> None:
    """Log one change to a card; the workspace syncs first, so a card never reviewed
    yet still has a row."""

    with open_workspace(home) as ws:
        change = {
            "suspend": ws.store.suspend,
            "unsuspend": ws.store.unsuspend,
            "forget": ws.store.forget,
        }[action]
        change(key, ws.now_ms)


@app.command()
@handles_errors
def suspend(key: KeyArgument, home: HomeOption = None) -> None:
    """Keep a card out of reviews until it is unsuspended."""
    _change(key, home, "suspend")
    print(f"Suspended {key}")


@app.command()
@handles_errors
def unsuspend(key: KeyArgument, home: HomeOption = None) -> None:
    """Let a suspended card (a leech, say) come back into reviews."""
    _change(key, home, "unsuspend")
    print(f"Unsuspended {key}")


@app.command()
@handles_errors
def forget(key: KeyArgument, home: HomeOption = None) -> None:
    """Reset a card to new; its review history is kept."""
    _change(key, home, "forget")
    print(f"Reset {key} to new (its history is kept)")
