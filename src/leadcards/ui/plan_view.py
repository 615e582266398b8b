"""`leadcards plan` drawn with Rich: the headline, the weakest areas and the tables,
then what meeting every card before the exam takes a day. Readable at 80 columns; from
100 a bar beside each area's recall.

Area names come from the decks: they are shown as ``Text``, never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from leadcards.exam_plan import Plan
from leadcards.readiness import ANSWERS_PER_NEW, DEFAULT_SECONDS, ENOUGH_ANSWERS, Area

BAR_FROM = 100  # columns from which areas get a bar
BAR = 20


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _style(recall: float) -> str:
    return "green" if recall >= 0.85 else "yellow" if recall >= 0.6 else "red"


def _bar(recall: float) -> Text:
    filled = round(recall * BAR)
    return Text("█" * filled, style=_style(recall)) + Text("░" * (BAR - filled), style="dim")


def area_table(title: str, areas: Sequence[Area], width: int) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    table.add_column("area", overflow="fold", ratio=1)
    table.add_column("cards", justify="right", no_wrap=True)
    table.add_column("new", justify="right", no_wrap=True)
    table.add_column("recall", justify="right", no_wrap=True)
    wide = width >= BAR_FROM
    if wide:
        table.add_column("", no_wrap=True, width=BAR)
    for area in areas:
        name = Text(f"{area.kind} ", style="dim") + Text(area.name)
        cells: list[RenderableType] = [
            name,
            str(area.cards),
            str(area.unseen),
            Text(percent(area.recall), style=_style(area.recall)),
        ]
        if wide:
            cells.append(_bar(area.recall))
        table.add_row(*cells)
    return table


def _effort_lines(plan: Plan) -> list[Text]:
    work, budget = plan.effort, plan.budget
    exam = plan.exam.isoformat()
    if work is None:
        if plan.days_left == 0:
            return [Text("The exam is today: review what is due; no new cards now.")]
        return [Text(f"The exam was on {exam}: nothing is planned after it.")]
    unseen = plan.prediction.unseen
    lines = []
    if unseen:
        rest = (
            f", none in the last {work.settle_days} days (kept for reviewing them)"
            if work.settle_days
            else ""
        )
        lines.append(
            Text(
                f"New cards: {unseen} not seen yet → {work.new_per_day} a day "
                f"for the next {work.learn_days} days{rest}."
            )
        )
        if work.new_per_day > plan.new_limit:
            lines.append(
                Text(
                    f"  new_per_day lets {plan.new_limit} a day through: raise it to "
                    f"{work.new_per_day} (leadcards config new_per_day {work.new_per_day})."
                )
            )
    else:
        lines.append(Text("New cards: none left; every card has been seen."))
    per_new = f", and about {ANSWERS_PER_NEW} answers for each new card a day" if unseen else ""
    lines.append(
        Text(f"Reviews: about {round(work.reviews_per_day)} a day for the cards seen{per_new}.")
    )
    if work.measured:
        source = f"your median over {work.timed_answers:,} answers"
    else:
        source = (
            f"assumed until {ENOUGH_ANSWERS} answers are timed; {work.timed_answers} so far"
            if work.seconds_per_answer == DEFAULT_SECONDS
            else "assumed"
        )
    lines.append(
        Text(
            f"Time: about {round(work.minutes_per_day)} min a day "
            f"({round(work.answers_per_day)} answers × {work.seconds_per_answer:.1f} s, "
            f"{source})."
        )
    )
    if budget is not None:
        minutes = f"{budget.minutes:g} min a day"
        if budget.fits:
            lines.append(Text(f"With {minutes}: the plan fits.", style="green"))
        else:
            lines.append(
                Text(
                    f"With {minutes}: the plan does not fit; {budget.new_per_day} new cards "
                    f"a day fit beside the reviews, meeting {budget.met} of the {unseen} "
                    "unseen cards before the exam.",
                    style="yellow",
                )
            )
    return lines


def plan_view(plan: Plan, width: int) -> Group:
    p = plan.prediction
    exam = plan.exam.isoformat()
    if plan.days_left > 0:
        when = f"{plan.days_left} day{'s' if plan.days_left != 1 else ''} left"
    else:
        when = "today" if plan.days_left == 0 else "passed"
    parts: list[RenderableType] = [Text(f"Exam on {exam} · {when}", style="bold")]
    if plan.days_left < 0:  # recall on a day gone by would be a guess about the past
        return Group(*parts, *_effort_lines(plan))
    headline = Text(f"Predicted on {exam}: ") + Text(
        f"{percent(p.recall)} of {p.cards} cards", style=f"bold {_style(p.recall)}"
    )
    if p.unseen:
        headline += Text(f" ({p.unseen} not seen yet count as not known)")
    parts += [headline, Text("")]
    tables = [a for a in p.areas if a.kind == "table"]
    if p.weakest:
        parts += [area_table("Weakest areas", p.weakest, width), Text("")]
    if len(tables) > 1:
        parts += [area_table("By table", tables, width), Text("")]
    parts.append(Text("What it takes", style="bold"))
    parts += _effort_lines(plan)
    return Group(*parts)
