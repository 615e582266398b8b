"""The ``leadcards`` command: parse arguments, call the core, render, pick the exit code.

Nothing here knows SQL or YAML. Every ``LeadcardsError`` becomes its message on stderr
and a non-zero exit; heavy modules are imported inside the commands that need them,
because start-up time is paid every day.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from leadcards import __version__
from leadcards.cli_support import HomeOption, JsonOption, err, handles_errors
from leadcards.errors import UsageError

app = typer.Typer(
    help="Spaced-repetition flashcards in the terminal: leadership vs management "
    "in healthcare quality (CPHQ), or any deck you write in YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _console() -> Any:
    from rich.console import Console

    return Console()


def _home(option: Path | None) -> Path:
    from leadcards import paths

    return paths.home(option)


def _version(value: bool) -> None:
    if value:
        print(f"leadcards {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """leadcards: spaced repetition for the terminal."""


@app.command()
@handles_errors
def decks(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """List the known decks: built-in ones and those in the data folder's decks/."""
    from leadcards.deck import catalog

    home_dir = _home(home)
    files = catalog.deck_files(home_dir)
    loaded = catalog.load_all([f.path for f in files])
    builtin = {f.path for f in files if f.builtin}
    if as_json:
        import json

        print(
            json.dumps(
                [
                    {
                        "id": d.id,
                        "name": d.name,
                        "cards": len(d.cards),
                        "path": str(d.path),
                        "builtin": d.path in builtin,
                    }
                    for d in loaded
                ],
                indent=2,
            )
        )
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Decks")
    table.add_column("id", no_wrap=True)
    table.add_column("name", no_wrap=True)
    table.add_column("cards", justify="right")
    table.add_column("source file", overflow="fold")
    for deck in loaded:
        where = "built-in" if deck.path in builtin else str(deck.path)
        table.add_row(Text(deck.id), Text(deck.name), str(len(deck.cards)), Text(where))
    _console().print(table)


@app.command()
@handles_errors
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Deck files to check (default: every known deck).", show_default=False),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Validate deck files and print every problem as path:line:column: message."""
    from leadcards.deck import catalog

    targets = list(files or []) or [f.path for f in catalog.deck_files(_home(home))]
    loaded = catalog.load_all(targets)
    for deck in loaded:
        print(
            f"{deck.path}: ok — deck '{deck.id}', {len(deck.notes)} notes, {len(deck.cards)} cards"
        )


@app.command()
@handles_errors
def show(
    deck: Annotated[str, typer.Argument(help="A deck id or the path to a deck file.")],
    home: HomeOption = None,
) -> None:
    """Study view of a deck: each table in full, then the other cards."""
    from leadcards.deck import catalog
    from leadcards.ui.render import deck_view

    (found,) = catalog.resolve([deck], _home(home))
    _console().print(deck_view(found))


@app.command()
@handles_errors
def review(
    decks: Annotated[
        list[str] | None,
        typer.Argument(help="Deck ids or files (default: every known deck).", show_default=False),
    ] = None,
    new: Annotated[
        int | None,
        typer.Option(
            "--new", min=0, help="New cards for this session (overrides the daily limit)."
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Stop after this many answers.")
    ] = None,
    minutes: Annotated[
        float | None,
        typer.Option("--time", min=0.1, help="Stop drawing cards after this many minutes."),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Today's review: single keys in a terminal, one command per line otherwise."""
    from leadcards.session import Session
    from leadcards.ui.review import run_lines, run_terminal
    from leadcards.workspace import open_with_decks

    store, loaded = open_with_decks(_home(home), list(decks or []))
    with store:
        session = Session(store, loaded, new_limit=new, card_limit=limit, minutes=minutes)
        names = {d.id: d.name for d in loaded}
        if sys.stdin.isatty() and sys.stdout.isatty():
            code = run_terminal(session, names, _console())
        else:
            code = run_lines(session, names, sys.stdin, sys.stdout)
    if code:
        raise typer.Exit(code)


def _local(ms: int | None) -> str:
    if ms is None:
        return "—"
    from leadcards.clock import from_ms

    return from_ms(ms).astimezone().strftime("%Y-%m-%d %H:%M")


def _when(ms: int | None, now_ms: int) -> str:
    """'now', or 'in 3h (2026-03-02 12:00)'."""
    from leadcards.scheduling import format_interval

    if ms is None:
        return "nothing scheduled"
    if ms <= now_ms:
        return "now"
    return f"in {format_interval(ms - now_ms)} ({_local(ms)})"


@app.command()
@handles_errors
def status(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """What is due today, per deck and in total, and when the next card is due."""
    from leadcards.clock import now, to_ms
    from leadcards.queue import deck_counts, next_due_ms
    from leadcards.workspace import open_synced

    store, infos = open_synced(_home(home))
    with store:
        at = to_ms(now())
        counts = [deck_counts(store, info.id, info.name, at) for info in infos]
        next_ms = next_due_ms(store, [i.id for i in infos], at) if infos else None
    keys = ("total", "new", "learning", "due", "suspended", "leeches", "reviewed_today")
    total = {k: sum(getattr(c, k) for c in counts) for k in keys}
    if any(c.new or c.due for c in counts):
        next_ms = min(next_ms or at, at)
    if as_json:
        import json

        from leadcards.clock import from_ms

        payload = {
            "decks": [c.to_json() for c in counts],
            "total": total,
            "next_due": from_ms(next_ms).isoformat() if next_ms is not None else None,
        }
        print(json.dumps(payload, indent=2))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Today", title_justify="left")
    table.add_column("deck", overflow="fold")
    for name, style in (("new", "blue"), ("learning", "red"), ("due", "green")):
        table.add_column(name, justify="right", style=style, no_wrap=True)
    for name in ("reviewed", "suspended", "leeches", "total"):
        table.add_column(name, justify="right", no_wrap=True)
    for c in counts:
        table.add_row(
            Text(c.name),
            *map(str, (c.new, c.learning, c.due, c.reviewed_today, c.suspended, c.leeches)),
            str(c.total),
        )
    if len(counts) > 1:
        table.add_row(
            Text("all decks", style="bold"),
            *(str(total[k]) for k in ("new", "learning", "due", "reviewed_today")),
            *(str(total[k]) for k in ("suspended", "leeches", "total")),
        )
    console = _console()
    console.print(table)
    console.print(Text(f"Next card: {_when(next_ms, at)}"))


CardFilter = Annotated[bool, typer.Option(show_default=False)]


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
    from leadcards.browse import card_rows

    home_dir = _home(home)
    rows = card_rows(
        home_dir,
        [deck] if deck else [],
        due=due,
        new=new,
        suspended=suspended,
        leeches=leeches,
        search=search,
    )
    if as_json:
        import json

        print(json.dumps(rows, indent=2))
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
    _console().print(table)


@app.command()
@handles_errors
def config(
    key: Annotated[str | None, typer.Argument(help="A setting name.")] = None,
    value: Annotated[str | None, typer.Argument(help="Its new value.")] = None,
    deck: Annotated[
        str | None, typer.Option("--deck", help="Change or show one deck's override.")
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Remove the setting (back to the default).")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Show or change scheduling settings (all of them with no KEY)."""
    from dataclasses import fields

    from leadcards.settings import (
        DEFAULTS,
        HELP,
        Settings,
        format_value,
        parse_value,
        to_stored,
        unknown_setting,
    )
    from leadcards.store import open_store

    names = [f.name for f in fields(Settings)]
    if key is not None and key not in names:
        raise unknown_setting(key)
    if value is not None and reset:
        raise UsageError("give a VALUE or --reset, not both")
    if deck is not None:
        from leadcards.workspace import open_synced

        synced, infos = open_synced(_home(home))
        synced.close()
        known = sorted(info.id for info in infos)
        if deck not in known:
            raise UsageError(
                f"no deck with id '{deck}' (known decks: {', '.join(known) or 'none'})"
            )
    with open_store(_home(home)) as store:
        scope = deck or ""
        if value is not None:
            assert key is not None
            store.set_setting(key, to_stored(parse_value(key, value)), scope)
        elif reset:
            if key is None:
                raise UsageError("--reset needs the name of a setting")
            store.set_setting(key, None, scope)
        current = store.settings(deck)
        overridden = store.stored_settings(scope)
    for name in [key] if key else names:
        shown = format_value(name, getattr(current, name))
        mark = "" if name not in overridden else f"  (set{' for ' + deck if deck else ''})"
        default = format_value(name, getattr(DEFAULTS, name))
        if key:
            print(f"{name} = {shown}{mark}")
        else:
            print(f"{name} = {shown}{mark}    # {HELP[name]}; default {default}")


KeyArgument = Annotated[str, typer.Argument(help="The card's key (see `leadcards cards`).")]


def _flag(key: str, home: Path | None, column: str, value: int | None, done: str) -> None:
    from leadcards.workspace import open_synced

    store, _ = open_synced(_home(home))  # a card never reviewed yet still has a row
    with store:
        store.set_flag(key, column, value)
    print(f"{done} {key}")


@app.command()
@handles_errors
def suspend(key: KeyArgument, home: HomeOption = None) -> None:
    """Keep a card out of reviews until it is unsuspended."""
    _flag(key, home, "suspended", 1, "Suspended")


@app.command()
@handles_errors
def unsuspend(key: KeyArgument, home: HomeOption = None) -> None:
    """Let a suspended card (a leech, say) come back into reviews."""
    _flag(key, home, "suspended", 0, "Unsuspended")


@app.command()
@handles_errors
def forget(key: KeyArgument, home: HomeOption = None) -> None:
    """Reset a card to new; its review history is kept."""
    from leadcards.clock import now, to_ms
    from leadcards.workspace import open_synced

    store, _ = open_synced(_home(home))
    with store:
        store.card(key)
        store.forget(key, to_ms(now()))
    print(f"Reset {key} to new (its history is kept)")


@app.command()
@handles_errors
def doctor(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Rewrite every card's cached state from its log.")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Check the database, and compare each card's cached state with a replay of its log."""
    from leadcards.doctor import check

    report = check(_home(home), rebuild=rebuild)
    for line in report.lines:
        print(line)
    if not report.ok and not rebuild:
        raise typer.Exit(1)


def _mount_export() -> None:
    from leadcards.export.command import export_app

    app.add_typer(export_app, name="export")


_mount_export()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err("interrupted")
        sys.exit(130)
