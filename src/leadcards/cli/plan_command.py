"""``plan``: exam readiness, and what meeting every card before the exam takes."""

from __future__ import annotations

from typing import Annotated

import typer

from leadcards.cli.application import app
from leadcards.cli.support import (
    DecksArgument,
    HomeOption,
    JsonOption,
    console,
    handles_errors,
    open_workspace,
    print_json,
)
from leadcards.errors import UsageError


@app.command()
@handles_errors
def plan(
    decks: DecksArgument = None,
    exam: Annotated[
        str | None,
        typer.Option(
            "--exam",
            metavar="DATE",
            help="The exam's date, YYYY-MM-DD (default: the exam_date setting).",
        ),
    ] = None,
    minutes: Annotated[
        float | None,
        typer.Option("--minutes", metavar="M", help="Minutes a day you can study: does it fit?"),
    ] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Predicted recall on exam day, the weakest areas, and the daily work it takes."""
    from leadcards.exam import decks_day, given_day
    from leadcards.exam_plan import make_plan

    if minutes is not None and not 0 < minutes <= 1440:
        raise UsageError(f"--minutes must be more than 0 and at most 1440, not {minutes:g}")
    day = given_day(exam) if exam is not None else None
    with open_workspace(home, decks=list(decks or [])) as ws:
        if day is None:
            day = decks_day(ws.store, ws.infos)
        result = make_plan(ws, day, minutes)
    if as_json:
        print_json(result.to_json())
        return
    from leadcards.ui.plan_view import plan_view

    out = console()
    out.print(plan_view(result, out.width))
