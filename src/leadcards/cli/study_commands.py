"""``review``, ``cram`` and ``status``: today's study."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from leadcards.cli.application import app
from leadcards.cli.support import (
    DecksArgument,
    HomeOption,
    JsonOption,
    console,
    echo,
    err,
    handles_errors,
    open_workspace,
    print_json,
)
from leadcards.errors import UsageError

if TYPE_CHECKING:
    from leadcards.session import Session
    from leadcards.workspace import Workspace

REVIEW_KEYS = """Keys: space shows the answer; 1 2 3 4 rate it Again, Hard, Good, Easy (each
shows its next interval); enter accepts the suggested rating; a-d pick an option of a
choice card; the letters shown name a side of an identify card; u undoes the last
action; b (or -) buries the card until tomorrow; s suspends it; e edits its deck file;
? shows help; q quits. Every answer is saved the moment it is given."""

CRAM_KEYS = """Keys as in review, without bury and suspend: a cram session changes no card.
Again brings a card back a few cards later; every answer is logged as practice the
moment it is given, and u takes it back."""

TagOption = Annotated[
    str | None,
    typer.Option("--tag", metavar="TAG", help="Only cards with this tag (or one below it)."),
]
TableOption = Annotated[
    str | None,
    typer.Option("--table", metavar="TABLE", help="Only cards of this table (id or title)."),
]
AspectOption = Annotated[
    str | None,
    typer.Option(
        "--aspect", metavar="ASPECT", help="Only cards of this aspect (a table's row: id or label)."
    ),
]


def _sit(session: Session, names: dict[str, str]) -> None:
    """Run the session on the terminal's keys, or one command per line without one."""
    from leadcards.ui.review import run_lines, run_terminal

    if sys.stdin.isatty() and sys.stdout.isatty():
        code = run_terminal(session, names, console())
    else:
        code = run_lines(session, names, sys.stdin, sys.stdout)
    if session.summary.answered:
        _back_up(session)
    if code:
        raise typer.Exit(code)


def _share(ws: Workspace) -> None:
    """With a ``sync_dir`` set, one sync through it; a folder that is missing or a
    journal that is refused is a warning, never a reason not to review."""
    from leadcards import journal
    from leadcards.clock import now, to_ms
    from leadcards.errors import LeadcardsError

    folder = journal.sync_dir(ws.home)
    if folder is None:
        return
    try:
        done = journal.exchange(ws.store, ws.home, folder, to_ms(now()))
    except LeadcardsError as exc:
        err(f"warning: not synced through {folder}: {exc}")
        return
    if done.sent or done.taken:
        err(f"synced through {folder}: sent {done.sent}, took {done.taken} events")


def _back_up(session: Session) -> None:
    """After a sitting with answers, a backup unless one was taken in the last 30
    minutes. Every answer is already in the file: a backup that fails is a warning."""
    from leadcards.errors import StoreError
    from leadcards.store.backup import automatic_backup

    try:
        automatic_backup(session.store.path, session.clock())
    except StoreError as exc:
        err(f"warning: no backup taken: {exc}")


@app.command(epilog=REVIEW_KEYS)
@handles_errors
def review(
    decks: DecksArgument = None,
    new: Annotated[
        int | None,
        typer.Option(
            "--new",
            metavar="N",
            help="New cards for this session, 0 or more (overrides the daily limit).",
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", metavar="N", help="Stop after this many answers."),
    ] = None,
    minutes: Annotated[
        float | None,
        typer.Option("--time", metavar="MINUTES", help="Stop drawing cards after this long."),
    ] = None,
    tag: TagOption = None,
    table_id: TableOption = None,
    aspect: AspectOption = None,
    home: HomeOption = None,
) -> None:
    """Today's review: single keys in a terminal, one command per line otherwise.
    With --tag, --table or --aspect, only that topic's due and new cards."""
    from leadcards.session import Session
    from leadcards.topics import Topic, topic_keys

    # Checked here rather than by typer, whose messages speak its own jargon.
    if new is not None and new < 0:
        raise UsageError(f"--new must be 0 or more, not {new}")
    if limit is not None and limit < 1:
        raise UsageError(f"--limit must be 1 or more, not {limit}")
    if minutes is not None and minutes <= 0:
        raise UsageError(f"--time must be more than 0 minutes, not {minutes:g}")

    with open_workspace(home, decks=list(decks or [])) as ws:
        _share(ws)  # the other devices' answers first
        only = topic_keys(ws.store, ws.deck_ids, Topic(tag, table_id, aspect))
        session = Session(
            ws.store, ws.infos, new_limit=new, card_limit=limit, minutes=minutes, only=only
        )
        try:
            _sit(session, {info.id: info.name for info in ws.infos})
        finally:
            _share(ws)  # this sitting's answers out


@app.command(epilog=CRAM_KEYS)
@handles_errors
def cram(
    decks: DecksArgument = None,
    tag: TagOption = None,
    table_id: TableOption = None,
    aspect: AspectOption = None,
    weakest: Annotated[
        int | None,
        typer.Option(
            "--weakest",
            metavar="N",
            help="Only the N seen cards you are least likely to recall now, weakest first.",
        ),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Practise cards without changing any schedule, as Anki's filtered decks without
    rescheduling: every card that is not suspended or buried, shuffled."""
    from leadcards.practice import practice_keys
    from leadcards.session import Session
    from leadcards.topics import Topic, topic_keys

    if weakest is not None and weakest < 1:
        raise UsageError(f"--weakest must be 1 or more, not {weakest}")
    with open_workspace(home, decks=list(decks or [])) as ws:
        only = topic_keys(ws.store, ws.deck_ids, Topic(tag, table_id, aspect))
        keys = practice_keys(ws.store, ws.deck_ids, ws.now_ms, only=only, weakest=weakest)
        if not keys:
            seen = " or not seen yet (--weakest picks seen cards)" if weakest else ""
            echo(f"Nothing to practise: every card chosen is suspended or buried{seen}.")
            return
        session = Session(ws.store, ws.infos, practice=keys)
        _sit(session, {info.id: info.name for info in ws.infos})


@app.command()
@handles_errors
def status(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """What is due today, per deck and in total, and when the next card is due."""
    from leadcards.clock import due_text
    from leadcards.exam import status_exams
    from leadcards.review_queue import deck_counts, next_card_ms

    with open_workspace(home) as ws:
        at = ws.now_ms
        counts = [deck_counts(ws.store, info.id, info.name, at) for info in ws.infos]
        next_ms = next_card_ms(ws.store, counts, at)
        exams = status_exams(ws.store, ws.infos, at)
    keys = ("total", "new", "learning", "due", "suspended", "leeches", "reviewed_today")
    total = {k: sum(getattr(c, k) for c in counts) for k in keys}
    if as_json:
        from leadcards.clock import iso_utc

        print_json(
            {
                "decks": [c.to_json() for c in counts],
                "total": total,
                "next_due": iso_utc(next_ms),
                "exams": [e.to_json() for e in exams],
            }
        )
        return
    from rich.text import Text

    from leadcards.ui.status_view import exam_line, status_table

    rows = [(c.name, c.to_json()) for c in counts]
    if len(counts) > 1:
        rows.append(("all decks", total))
    out = console()
    table = status_table(rows, out.width)
    out.print(table)
    out.print(Text(f"Next card: {due_text(next_ms, at)}"))
    for exam in exams:
        out.print(exam_line(exam, len(exams) > 1))
