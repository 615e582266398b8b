"""`leadcards status` as a Rich table that stays readable from 60 columns up.

The deck name keeps its room and the counts a learner acts on (new, learning, due)
always show; the others give way when the width runs short, least used first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from leadcards.exam import StatusExam

NAME_MIN = 16
GAP = 3  # between two columns: padding on both sides and the rule between

# (header, field, style) in the order shown; _GIVE_WAY lists which go first when narrow.
_COLUMNS = (
    ("new", "new", "blue"),
    ("learning", "learning", "red"),
    ("due", "due", "green"),
    ("reviewed", "reviewed_today", ""),
    ("suspended", "suspended", ""),
    ("leeches", "leeches", ""),
    ("total", "total", ""),
)
_GIVE_WAY = ("leeches", "suspended", "total", "reviewed")  # new, learning, due never


def status_table(rows: Sequence[tuple[str, dict[str, Any]]], width: int) -> Table:
    """One row per (name, counts), the last one the total when there are several."""

    def wide(header: str, field: str) -> int:
        return max(len(header), *(len(str(counts[field])) for _, counts in rows)) + GAP

    shown = list(_COLUMNS)
    for header in _GIVE_WAY:
        if NAME_MIN + sum(wide(h, f) for h, f, _ in shown) <= width:
            break
        shown = [c for c in shown if c[0] != header]
    # Read in the order of a study day, whatever gave way.
    table = Table(
        title="Today",
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    # The names get what the counts leave, up to the longest: no padding on wide screens.
    room = width - sum(wide(h, f) for h, f, _ in shown)
    longest = max(len("deck"), *(len(name) for name, _ in rows))
    table.add_column("deck", width=max(NAME_MIN, min(longest, room)), overflow="fold")
    for header, _, style in shown:
        table.add_column(header, justify="right", style=style or None, no_wrap=True)
    for name, counts in rows:
        bold = name == "all decks"
        table.add_row(
            Text(name, style="bold" if bold else ""), *(str(counts[f]) for _, f, _ in shown)
        )
    return table


def exam_line(exam: StatusExam, name_decks: bool) -> Text:
    """``Exam 2027-03-15: 42 days left · predicted recall 81% of 142 cards``."""
    day = exam.day.isoformat()
    if exam.days_left < 0:
        when = f"Exam {day}: passed"
    elif exam.days_left == 0:
        when = f"Exam {day}: today"
    else:
        when = f"Exam {day}: {exam.days_left} day{'s' if exam.days_left != 1 else ''} left"
    decks = f" ({', '.join(exam.decks)})" if name_decks else ""
    return Text(
        f"{when}{decks} · predicted recall {round(exam.recall * 100)}% of {exam.cards} cards"
    )
