"""``cards``, ``suspend``, ``unsuspend``, ``forget``: looking at cards and changing one."""

from __future__ import annotations

from typing import Annotated

import typer

from leadcards.cli import completers
from leadcards.cli.application import app
from leadcards.cli.support import (
    HomeOption,
    JsonOption,
    KeyArgument,
    console,
    echo,
    err,
    handles_errors,
    open_workspace,
    print_json,
)
from leadcards.errors import UsageError

CARDS_EPILOG = (
    "Examples: `leadcards cards lvm --due`; `leadcards cards --table comparison --tag "
    "leadership`; `leadcards cards lvm:comparison:focus:leadership:recall` shows that card "
    "with every answer it had."
)


def _is_key(target: str) -> bool:
    """A card key has colons (deck:note:template); a deck id never does. A file that
    exists wins, so a path with a colon in it still names a deck."""
    from pathlib import Path

    if ":" not in target:
        return False
    try:
        return not Path(target).expanduser().exists()
    except (OSError, RuntimeError):  # '~nosuchuser:…', or a folder it may not search
        return True


@app.command(epilog=CARDS_EPILOG)
@handles_errors
def cards(
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="[DECK|KEY]",
            help="A deck id or file to list (default: every known deck), or one card's key "
            "to show it in full with its history.",
            show_default=False,
            autocompletion=completers.decks_or_keys,
        ),
    ] = None,
    due: Annotated[bool, typer.Option("--due", help="Only cards due today.")] = False,
    new: Annotated[bool, typer.Option("--new", help="Only new cards.")] = False,
    learning: Annotated[
        bool, typer.Option("--learning", help="Only cards in (re)learning steps.")
    ] = False,
    suspended: Annotated[bool, typer.Option("--suspended", help="Only suspended cards.")] = False,
    leeches: Annotated[bool, typer.Option("--leeches", help="Only leeches.")] = False,
    buried: Annotated[bool, typer.Option("--buried", help="Only cards buried now.")] = False,
    tag: Annotated[
        str | None,
        typer.Option("--tag", metavar="TAG", help="Only cards with this tag (or one below it)."),
    ] = None,
    table_id: Annotated[
        str | None,
        typer.Option("--table", metavar="TABLE", help="Only cards of this table (id or title)."),
    ] = None,
    aspect: Annotated[
        str | None,
        typer.Option(
            "--aspect",
            metavar="ASPECT",
            help="Only cards of this aspect (a table's row: id or label).",
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", metavar="TEXT", help="Only cards whose key or text has TEXT."),
    ] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Browse cards: question, answer, state, due date and memory; or one card in full."""
    from leadcards.card_list import CardFilter, card_rows

    if target is not None and _is_key(target):
        _show_card(_typed_key(target), home, as_json)
        return
    if due and new:
        raise UsageError("--due and --new exclude each other (a new card is never due): give one")
    only = CardFilter(
        due=due,
        new=new,
        learning=learning,
        suspended=suspended,
        leeches=leeches,
        buried=buried,
        tag=tag,
        table=table_id,
        aspect=aspect,
        search=search,
    )
    with open_workspace(home, decks=[target] if target else []) as ws:
        rows = card_rows(ws, only)
        now_ms = ws.now_ms
    if as_json:
        print_json(rows)
        return
    from leadcards.clock import from_ms
    from leadcards.ui.card_views import card_list

    out = console()
    out.print(card_list(rows, out.width, from_ms(now_ms).astimezone()))


def _typed_key(key: str) -> str:
    """A key as typed, in the form keys are made in: a key with letters beyond ASCII
    (``слоги:...``) is NFC, and a terminal may hand over the same letters decomposed."""
    import unicodedata

    return unicodedata.normalize("NFC", key)


def _show_card(key: str, home: HomeOption, as_json: bool) -> None:
    from leadcards.card_list import card_detail
    from leadcards.errors import LeadcardsError
    from leadcards.texts import stored_card

    with open_workspace(home, sync=False) as ws:
        deck_id = ws.store.card(key).deck_id  # an unknown key stops here, with a hint
    try:  # its deck is synced, so its text is as the file says now
        ws = open_workspace(home, decks=[deck_id])
    except LeadcardsError as error:  # its file is gone or broken: the history remains
        err(f"warning: {error}")
        ws = open_workspace(home, sync=False)
    with ws:
        deck = next((info for info in ws.infos if info.id == deck_id), None)
        card = stored_card(ws.store, key) if deck is not None else None
        detail = card_detail(ws.store, key, ws.now_ms, deck.name if deck else None, card)
    if as_json:
        print_json(detail)
        return
    from leadcards.ui.card_views import card_view

    console().print(card_view(detail))


def _change(key: str, home: HomeOption, action: str) -> str:
    """Log one change to a card and say what it did; the workspace syncs first, so a
    card never reviewed yet still has a row. A change that would change nothing is
    said so and not logged."""
    key = _typed_key(key)
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
    echo(_change(key, home, "suspend"))


@app.command()
@handles_errors
def unsuspend(key: KeyArgument, home: HomeOption = None) -> None:
    """Let a suspended card (a leech, say) come back into reviews."""
    echo(_change(key, home, "unsuspend"))


@app.command()
@handles_errors
def forget(key: KeyArgument, home: HomeOption = None) -> None:
    """Reset a card to new; its review history is kept."""
    echo(_change(key, home, "forget"))
