"""`leadcards stats` drawn with Rich: readable at 80 columns, more of it when wider.

The heatmap shows as many weeks as fit (about 8 months at 80 columns, a year from 110);
the distributions sit side by side as far as the width allows; the weak spots list
more of each kind on a wide screen. Every text from a deck goes in as ``Text``, never
as markup. Levels are drawn with distinct characters, so the charts read without
colour too.
"""

from __future__ import annotations

from datetime import timedelta

from rich import box
from rich.console import Group as Stack
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from leadcards.stats import Dashboard
from leadcards.stats.memory import Bucket
from leadcards.stats.retention import PERIODS, Tally
from leadcards.stats.study_days import Activity

WIDE = 110
HEAT_LEVELS = ("·", "░", "▒", "▓", "█")
HEAT_STYLES = ("bright_black", "green4", "green3", "green1", "bold bright_green")
BLOCKS = " ▁▂▃▄▅▆▇█"
PERIOD_NAMES = {
    "last_7_days": "last 7 days",
    "last_30_days": "last 30 days",
    "all_days": "all days",
}
KIND_NAMES = {"table": "table", "aspect": "aspect", "side": "side", "cell": "cell", "tag": "tag"}


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def duration(ms: int) -> str:
    minutes = round(ms / 60_000)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _title(text: str) -> Text:
    return Text(text, style="bold")


def activity(board: Dashboard) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    table.title = "Activity"
    table.title_style = "bold"
    table.add_column("")
    table.add_column("answers", justify="right")
    table.add_column("time", justify="right")
    rows: list[tuple[str, Activity]] = [
        ("today", board.window(1)),
        ("last 7 days", board.window(7)),
        ("last 30 days", board.window(30)),
    ]
    for name, tally in rows:
        answers = str(tally.answers)
        if tally.practice:
            answers += f" ({tally.practice} practice)"
        table.add_row(name, answers, duration(tally.duration_ms))
    streak = board.streaks
    days = "day" if streak.current == 1 else "days"
    line = Text(f"Streak: {streak.current} {days} now, longest {streak.longest}", overflow="fold")
    return Stack(table, line)


def _tally(tally: Tally) -> str:
    return f"{percent(tally.rate)} of {tally.total}" if tally.total else "–"


def retention(board: Dashboard) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    table.title = f"True retention (desired {percent(board.desired_retention)})"
    table.title_style = "bold"
    table.add_column("")
    for name in ("young", "mature", "all"):
        table.add_column(name, justify="right")
    for period in PERIODS:
        r = board.retention[period]
        table.add_row(PERIOD_NAMES[period], _tally(r.young), _tally(r.mature), _tally(r.all))
    note = Text(
        "First answer of a day on a card in review; Again fails; mature: interval ≥ 21 d.",
        style="dim",
        overflow="fold",
    )
    return Stack(table, note)


def heat_level(answers: int, top: int) -> int:
    """0 for no answers, else 1–4 by the share of the busiest day shown."""
    if answers <= 0 or top <= 0:
        return 0
    return min(4, 1 + (4 * answers - 1) // top)


def heatmap(board: Dashboard, width: int) -> RenderableType:
    """Answers per study day: a column per week (Monday on top), as many weeks as fit."""
    days = board.days
    weeks = max(4, min(53, (width - 4) // 2 if width >= WIDE else width - 5))
    cell = 2 if width >= WIDE else 1
    today = days.date_of(days.today)
    last_monday = days.today - today.weekday()
    first = last_monday - 7 * (weeks - 1)
    shown = [
        board.activity[d].answers if d in board.activity else 0
        for d in range(first, days.today + 1)
    ]
    top = max(shown, default=0)
    lines = []
    months = [" "] * (weeks * cell)
    for week in range(weeks):
        start = days.first_date + timedelta(days=first + 7 * week)
        if start.day <= 7:
            label = start.strftime("%b")
            at = week * cell
            if at + len(label) <= len(months) and all(c == " " for c in months[at : at + 4]):
                months[at : at + len(label)] = label
    lines.append(Text("    " + "".join(months).rstrip()))
    for weekday, name in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
        line = Text(f"{name:<4}")
        for week in range(weeks):
            day = first + 7 * week + weekday
            if day > days.today:
                break
            answers = board.activity[day].answers if day in board.activity else 0
            level = heat_level(answers, top)
            line.append(HEAT_LEVELS[level] + " " * (cell - 1), style=HEAT_STYLES[level])
        lines.append(line)
    months_shown = round(weeks * 7 / 30.4)
    key = Text(f"    busiest day {top}; ", style="dim")
    for level in range(5):
        key.append(HEAT_LEVELS[level], style=HEAT_STYLES[level])
    key.append(" none → most", style="dim")
    title = _title(f"Answers per day, last {months_shown} months")
    return Stack(title, *lines, key)


def bars(values: list[int], height: int, cell: int) -> list[Text]:
    """Vertical bars, one per value, ``height`` rows of eighth blocks."""
    top = max(values, default=0)
    rows = []
    for row in range(height, 0, -1):
        line = Text()
        for value in values:
            eighths = round(value * height * 8 / top) if top else 0
            fill = min(8, max(0, eighths - (row - 1) * 8))
            if value and row == 1 and fill == 0:
                fill = 1  # a day with any due card shows
            line.append(BLOCKS[fill] * cell, style="cyan")
        rows.append(line)
    return rows


def forecast(board: Dashboard, width: int) -> RenderableType:
    values = board.forecast
    cell = 2 if width >= 4 + 2 * len(values) + 2 else 1
    top = max(values, default=0)
    axis = len(str(top)) + 1
    chart = bars(values, 4, cell)
    lines = []
    for index, row in enumerate(chart):
        label = str(top) if index == 0 else ""
        lines.append(Text(f"{label:>{axis}} ") + row)
    span = len(values) * cell
    under = "today".ljust(span - 3) + "+29" if span >= 10 else ""
    lines.append(Text(" " * (axis + 1) + under, style="dim"))
    week = sum(values[:7])
    summary = Text(
        f"today {values[0] if values else 0} · next 7 days {week} · next 30 days {sum(values)}",
        overflow="fold",
    )
    return Stack(_title("Due in the next 30 days"), *lines, summary)


def cards(board: Dashboard) -> RenderableType:
    s = board.states
    cards = "card" if s.total == 1 else "cards"
    line = Text(
        f"{s.total} {cards}: {s.new} new · {s.learning} learning · {s.review} review · "
        f"{s.relearning} relearning\n{s.suspended} suspended · {s.leeches} leeches · "
        f"{s.buried} buried",
        overflow="fold",
    )
    k = board.knowledge
    known = Text(
        f"Estimated knowledge: {k.known:.0f} of the {k.seen} cards seen "
        f"(mean recall now {percent(k.mean)})"
        if k.seen
        else "Estimated knowledge: no card seen yet",
        overflow="fold",
    )
    return Stack(_title("Cards"), line, known)


def distribution(title: str, buckets: list[Bucket], bar_width: int) -> Table:
    table = Table(box=None, pad_edge=False, title=title, title_justify="left", show_header=False)
    table.title_style = "bold"
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    top = max((b.cards for b in buckets), default=0)
    for b in buckets:
        length = round(b.cards * bar_width / top) if top else 0
        table.add_row(b.label, str(b.cards), Text("█" * length, style="magenta"))
    return table


def distributions(board: Dashboard, width: int) -> RenderableType:
    charts = [
        ("Stability", board.stability),
        ("Difficulty", board.difficulty),
        ("Recall now", board.retrievability),
    ]
    each = 36 if width >= WIDE else 38
    per_row = max(1, min(3, width // each))
    bar = max(4, min(14, width // per_row - 26))
    grid = Table.grid(padding=(0, 3))
    for _ in range(per_row):
        grid.add_column()
    for start in range(0, len(charts), per_row):
        row = [distribution(t, b, bar) for t, b in charts[start : start + per_row]]
        grid.add_row(*row)
    return grid


def weak_spots(board: Dashboard, width: int) -> RenderableType:
    per_kind = 5 if width >= WIDE else 3
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    table.title = "Weak spots (lowest true retention first)"
    table.title_style = "bold"
    table.add_column("", no_wrap=True)
    table.add_column("where", overflow="ellipsis", no_wrap=True, ratio=1)
    table.add_column("retention", justify="right", no_wrap=True)
    table.add_column("recall now", justify="right", no_wrap=True)
    table.add_column("reviews", justify="right", no_wrap=True)
    table.expand = True
    any_row = False
    for kind, groups in board.weak.items():
        for index, group in enumerate(groups[:per_kind]):
            any_row = True
            table.add_row(
                kind if index == 0 else "",
                Text(board.titles[(group.kind, group.id)]),
                percent(group.reviews.rate),
                percent(group.retrievability),
                str(group.reviews.total),
            )
    if not any_row:
        return Stack(_title("Weak spots"), Text("None yet: no tables or tags answered."))
    return table


def lapses(board: Dashboard, width: int) -> RenderableType:
    if not board.lapsed:
        return Stack(_title("Most lapses"), Text("No card has lapsed."))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    table.title = "Most lapses"
    table.title_style = "bold"
    table.expand = True
    table.add_column("lapses", justify="right", no_wrap=True)
    table.add_column("card", overflow="ellipsis", no_wrap=True, ratio=1)
    for item in board.lapsed[: 10 if width >= WIDE else 5]:
        table.add_row(str(item.lapses), Text(item.front))
    return table


def confusions(board: Dashboard, width: int) -> RenderableType:
    title = "Confusions: wrong options and sides picked most"
    if not board.confusions:
        return Stack(_title(title), Text("No wrong pick yet."))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    table.title = title
    table.title_style = "bold"
    table.expand = True
    table.add_column("times", justify="right", no_wrap=True)
    table.add_column("you chose", overflow="ellipsis", no_wrap=True, ratio=3)
    table.add_column("for", overflow="ellipsis", no_wrap=True, ratio=4)
    table.add_column("right", overflow="ellipsis", no_wrap=True, ratio=3)
    for c in board.confusions[: 10 if width >= WIDE else 5]:
        table.add_row(str(c.times), Text(c.picked, style="italic"), Text(c.asked), Text(c.right))
    return table


def dashboard(board: Dashboard, names: list[str], width: int) -> list[RenderableType]:
    """Every section, in the order a learner asks: how much, how well, what next, where."""
    days = board.days
    head = Text(
        f"{', '.join(names)} · study day {days.date_of(days.today).isoformat()} "
        f"(starts {board.day_start})",
        style="bold",
        overflow="ellipsis",
        no_wrap=True,
    )
    top: RenderableType
    if width >= WIDE:
        grid = Table.grid(padding=(0, 4))
        grid.add_column()
        grid.add_column()
        grid.add_row(activity(board), retention(board))
        top = grid
    else:
        top = Stack(activity(board), Text(), retention(board))
    sections = [
        head,
        top,
        heatmap(board, width),
        forecast(board, width),
        cards(board),
        distributions(board, width),
        weak_spots(board, width),
        lapses(board, width),
        confusions(board, width),
    ]
    spaced: list[RenderableType] = []
    for section in sections:
        if spaced:
            spaced.append(Text())
        spaced.append(section)
    return spaced
