"""``optimize`` and ``simulate``: FSRS fitted to the learner's answers, and what each
desired retention would cost them a day."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from leadcards.cli import completers
from leadcards.cli.application import app
from leadcards.cli.support import (
    HomeOption,
    JsonOption,
    console,
    handles_errors,
    open_workspace,
    print_json,
)
from leadcards.errors import UsageError

if TYPE_CHECKING:
    from rich.status import Status

DeckArgument = Annotated[
    str | None,
    typer.Argument(
        help="One deck id or file (default: every deck, under the global settings).",
        show_default=False,
        autocompletion=completers.deck_ids,
    ),
]


@contextmanager
def working(text: str) -> Iterator[Status]:
    """A spinner and a line on stderr while the log is read and the model fitted (drawn
    only on a terminal: a script reading stdout sees nothing of it)."""
    from leadcards.ui.safe_console import SafeConsole

    with SafeConsole(stderr=True).status(text) as status:
        yield status


@app.command()
@handles_errors
def optimize(
    deck: DeckArgument = None,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="Store the fitted parameters (for DECK, or globally) when they are better.",
        ),
    ] = False,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fit FSRS's parameters to your own answers; keep them only if they predict better."""
    from leadcards.learner import scope_of, study
    from leadcards.optimizer import Verdict, histories, optimize

    with open_workspace(home, decks=[deck] if deck else []) as ws:
        scope = scope_of(ws)
        with working("reading your answers…") as status:
            found = study(ws, scope)
            cards = histories(found.rows)
            status.update(f"fitting FSRS to {len(found.rows)} answers…")
            outcome = optimize(cards, scope.settings.fsrs_parameters)
        applied = apply and outcome.verdict is Verdict.FITTED
        if applied:
            ws.store.set_setting(
                "fsrs_parameters", list(outcome.fitted), scope.setting_scope, at_ms=ws.now_ms
            )
    if as_json:
        print_json({"deck": scope.deck, "applied": applied, **outcome.to_json()})
        return
    from leadcards.ui.fsrs_view import optimize_view

    out = console()
    out.print(optimize_view(outcome, scope.deck, applied, apply))


@app.command()
@handles_errors
def simulate(
    deck: DeckArgument = None,
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            metavar="N",
            help="Days to simulate (default: until the exam, if one is set, else 365).",
        ),
    ] = None,
    retention: Annotated[
        str | None,
        typer.Option(
            "--retention",
            metavar="R,...",
            help="Desired retentions to compare, as 0.8,0.9 (default: ten from 0.70 to 0.97).",
        ),
    ] = None,
    minutes: Annotated[
        float | None,
        typer.Option(
            "--minutes",
            metavar="M",
            help="Minutes a day you can study (default: your last 30 days' average).",
        ),
    ] = None,
    exam: Annotated[
        str | None,
        typer.Option(
            "--exam",
            metavar="DATE",
            help="The exam's date, YYYY-MM-DD (default: the exam_date setting, if any).",
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="The simulator's seed: the same seed, the same figures.")
    ] = 42,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reviews and minutes a day, and cards remembered, for each desired retention."""
    from leadcards.exam import days_between, decks_day, given_day, study_date
    from leadcards.learner import limits, scope_of, study
    from leadcards.optimizer import default_parameters
    from leadcards.simulation import (
        DEFAULT_DAYS,
        RETENTIONS,
        SimulationResult,
        fitting,
        parse_retentions,
        profile,
        recent_minutes,
        simulate,
    )

    if days is not None and not 1 <= days <= 3650:
        raise UsageError(f"--days must be between 1 and 3650, not {days}")
    if minutes is not None and not 0 < minutes <= 1440:
        raise UsageError(f"--minutes must be more than 0 and at most 1440, not {minutes:g}")
    if not 0 <= seed < 2**63:
        raise UsageError(f"--seed must be a whole number from 0, not {seed}")
    chosen = parse_retentions(retention) if retention is not None else None
    exam_day = given_day(exam) if exam is not None else None
    with open_workspace(home, decks=[deck] if deck else []) as ws:
        scope = scope_of(ws)
        own = scope.settings.desired_retention
        retentions = chosen or tuple(sorted({*RETENTIONS, own}))
        if exam_day is None and any(ws.store.settings(d).exam_date for d in ws.deck_ids):
            exam_day = decks_day(ws.store, ws.infos)
        days_left = None
        if exam_day is not None:
            days_left = days_between(study_date(ws.store, ws.now_ms), exam_day.day)
            if days_left <= 0:
                exam_day = days_left = None  # past: nothing to fit before it
        span = days if days is not None else days_left or DEFAULT_DAYS
        bounds = limits(ws, scope)
        if bounds.cards == 0:
            raise UsageError("no cards to simulate: the decks have none that are not suspended")
        with working("simulating…"):
            found = study(ws, scope)
            learner = profile(found.rows)
            budget = minutes
            measured_budget = False
            if budget is None:
                budget = recent_minutes(((r[2], r[4]) for r in found.rows if not r[1]), found.today)
                measured_budget = budget is not None
            parameters = scope.settings.fsrs_parameters or default_parameters()
            outlooks = simulate(parameters, retentions, bounds, learner, span, seed)
    fits = fitting(outlooks, budget) if budget is not None else None
    result = SimulationResult(
        deck=scope.deck,
        days=span,
        seed=seed,
        fitted=scope.settings.fsrs_parameters is not None,
        desired_retention=scope.settings.desired_retention,
        limits=bounds,
        learner=learner,
        outlooks=outlooks,
        exam=exam_day.day if exam_day is not None else None,
        days_left=days_left,
        minutes=budget,
        measured_minutes=measured_budget,
        fits=fits,
    )
    if as_json:
        print_json(result.to_json())
        return
    from leadcards.ui.fsrs_view import simulate_view

    out = console()
    out.print(simulate_view(result, out.width))
