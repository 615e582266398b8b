"""`leadcards optimize` and `leadcards simulate` drawn with Rich: the optimizer's two
evaluations side by side and its verdict; the simulator's figures per desired retention
with a bar of minutes a day, and the retention that fits the learner's time."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from leadcards.optimizer import Evaluation, Outcome, Verdict
from leadcards.settings import PARAMETER_BOUNDS
from leadcards.simulation import Outlook, SimulationResult

BAR_MIN = 8  # narrower than this, the chart is left out
BAR_MAX = 30
TABLE_WIDTH = 49  # the simulation table's columns and their gaps, without the bar


def _table() -> Table:
    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)


def _row(name: str, evaluation: Evaluation | None) -> tuple[str, str, str]:
    if evaluation is None:
        return name, "–", "–"
    return name, f"{evaluation.log_loss:.4f}", f"{evaluation.rmse_bins * 100:.2f}%"


def optimize_view(outcome: Outcome, deck: str | None, applied: bool, asked: bool) -> Group:
    where = f" for deck {deck}" if deck else ""
    current = "FSRS's defaults" if outcome.current_is_default else "your current parameters"
    lines: list[RenderableType] = []
    answers = f"{outcome.reviews} reviews of {outcome.cards} cards"
    if outcome.verdict is Verdict.TOO_LITTLE:
        if outcome.items == 0:
            lines.append(Text("No card has answers a day or more apart yet: nothing to fit."))
        else:
            lines.append(
                Text(f"Too few answers to fit FSRS: {answers} (a few hundred reviews are needed).")
            )
        lines.append(Text(f"{current[0].upper()}{current[1:]} stay{where}; optimize again later."))
        return Group(*lines)
    lines.append(
        Text(
            f"FSRS fitted to {answers}{where}: {outcome.changed} of "
            f"{len(PARAMETER_BOUNDS)} parameters moved from the defaults."
        )
    )
    table = _table()
    table.add_column("parameters")
    table.add_column("log loss", justify="right")
    table.add_column("RMSE (bins)", justify="right")
    name = "current (defaults)" if outcome.current_is_default else "current"
    table.add_row(*_row(name, outcome.before))
    table.add_row(*_row("fitted", outcome.after))
    lines.append(table)
    lines.append(Text("Lower is better: both measure how well each set predicts your answers."))
    if outcome.verdict is Verdict.KEPT and outcome.fitted == outcome.current:
        lines.append(Text(f"The fit gives {current} again: they stay."))
    elif outcome.verdict is Verdict.KEPT:
        nothing = " Nothing was applied." if asked else ""
        lines.append(Text(f"The fitted parameters predict no better: {current} stay.{nothing}"))
    elif applied:
        lines.append(
            Text(
                f"Applied{where}: the fitted parameters schedule every answer from now on "
                "(`leadcards config fsrs_parameters` shows them; `--reset` goes back)."
            )
        )
    else:
        command = f"leadcards optimize {deck} --apply" if deck else "leadcards optimize --apply"
        lines.append(
            Text(f"The fitted parameters predict your answers better: `{command}` uses them.")
        )
    shown = ", ".join(f"{v:g}" for v in outcome.fitted)
    lines.append(Text(f"fitted: {shown}", style="dim"))
    return Group(*lines)


def _bar(outlook: Outlook, top: float, width: int) -> Text:
    filled = round(outlook.minutes_per_day / top * width) if top > 0 else 0
    return Text("█" * filled, style="cyan") + Text("·" * (width - filled), style="dim")


def simulate_view(result: SimulationResult, width: int) -> Group:
    limits = result.limits
    whose = "your fitted" if result.fitted else "FSRS's default"
    times = (
        f"your answer times ({result.learner.timed} timed)"
        if result.learner.measured
        else "typical answer times"
    )
    lines: list[RenderableType] = [
        Text(
            f"{result.days} days of {limits.cards} cards, up to {limits.new_per_day} new and "
            f"{limits.reviews_per_day} reviews a day, with {whose} parameters and {times}:"
        )
    ]
    table = _table()
    table.add_column("retention", justify="right")
    table.add_column("reviews/day", justify="right")
    table.add_column("min/day", justify="right")
    table.add_column("remembered", justify="right")
    bar = min(BAR_MAX, width - TABLE_WIDTH)
    if bar >= BAR_MIN:
        table.add_column("", no_wrap=True)
    top = max((o.minutes_per_day for o in result.outlooks), default=0.0)
    for outlook in result.outlooks:
        current = abs(outlook.retention - result.desired_retention) < 1e-9
        chosen = result.fits is not None and outlook.retention == result.fits.retention
        style = "bold" if current else "green" if chosen else ""
        cells: list[RenderableType] = [
            Text(f"{outlook.retention:.2f}{' ◀' if current else '  '}", style=style),
            f"{outlook.reviews_per_day:.0f}",
            f"{outlook.minutes_per_day:.1f}",
            f"{outlook.remembered:.0f}",
        ]
        if bar >= BAR_MIN:
            cells.append(_bar(outlook, top, bar))
        table.add_row(*cells)
    lines.append(table)
    lines.append(
        Text(
            f"◀ your desired retention ({result.desired_retention:g}); "
            "`leadcards config desired_retention R` changes it.",
            style="dim",
        )
    )
    lines.append(_fit_line(result))
    return Group(*lines)


def _fit_line(result: SimulationResult) -> Text:
    if result.minutes is None:
        return Text("Give --minutes M to see which retention fits the time you have.")
    source = " (your last 30 days)" if result.measured_minutes else ""
    amount = f"{result.minutes:.1f}".removesuffix(".0") if result.minutes >= 0.1 else "under 0.1"
    time = f"at {amount} minutes a day{source}"
    when = (
        f"Before the exam on {result.exam.isoformat()} ({result.days_left} days), "
        if result.until_exam and result.exam is not None
        else f"Over {result.days} days, "
    )
    fits = result.fits
    if fits is None:
        least = min(result.outlooks, key=lambda o: o.minutes_per_day)
        return Text(
            f"{when}{time}, no retention shown fits: {least.retention:.2f} takes "
            f"{least.minutes_per_day:.1f} minutes a day.",
            style="yellow",
        )
    return Text(
        f"{when}{time}, desired retention {fits.retention:.2f} fits: "
        f"{fits.minutes_per_day:.1f} minutes a day, {fits.remembered:.0f} cards remembered.",
        style="green",
    )
