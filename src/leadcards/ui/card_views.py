"""`leadcards cards` as Rich renderables: the list, fitted to the terminal's width, and
one card in full with its history.

The list keeps what a learner scans for (state, due date, the question and its answer,
the key to act on) and lets the other columns go, least useful first, when the
terminal is narrow: no column is squeezed until its header or a key is unreadable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from leadcards.clock import LOCAL_FORMAT
from leadcards.scheduling import format_interval
from leadcards.ui.render import inline, markdown

TEXT_MIN = 50  # the question and answer never get less room than this for a column
ANSWER_SHARE = 0.4  # of the text's room, at most, when both do not fit


class _Column(NamedTuple):
    header: str
    width: int
    field: str  # the row field it shows


# Before the text, always: state and due date. Then these, while the text keeps its room.
_STATE, _DUE = _Column("state", 10, "state"), _Column("due", 11, "due")
_OPTIONAL = (
    _Column("R", 4, "retrievability"),
    _Column("lapses", 6, "lapses"),
    _Column("stability", 9, "stability"),
    _Column("difficulty", 10, "difficulty"),
    _Column("reps", 4, "reps"),
)


def fitted_columns(width: int) -> list[_Column]:
    """The columns before the card text at ``width``: state and due, then as many of
    the others as leave the text its room."""
    columns = [_STATE, _DUE]
    used = sum(c.width + 1 for c in columns)
    for column in _OPTIONAL:
        if width - (used + column.width + 1) < TEXT_MIN:
            break
        columns.append(column)
        used += column.width + 1
    return columns


def _local(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone()


def _when(iso: str | None, now: datetime) -> Text:
    """A due date as the list shows it: the time if today, else the date; past is red."""
    if iso is None:
        return Text("—", style="dim")
    due = _local(iso)
    today = due.date() == now.date()
    text = due.strftime("today %H:%M") if today else due.strftime("%Y-%m-%d")
    return Text(text, style="red" if due < now and not today else "")


def _value(row: dict[str, Any], field: str) -> Text:
    value = row[field]
    if value is None:
        return Text("—", style="dim")
    if field == "retrievability":
        return Text(f"{value:.0%}")
    if field == "stability":
        return Text(f"{value:.1f}d")
    if field == "difficulty":
        return Text(f"{value:.1f}")
    return Text(str(value))


def _cell(text: Text, column: _Column) -> Text:
    """``text`` padded or cut to the column, left-aligned for words, right for numbers."""
    text.truncate(column.width, overflow="ellipsis")
    pad = " " * (column.width - text.cell_len)
    return text + Text(pad) if column in (_STATE, _DUE) else Text(pad) + text


def _card_text(question: str, answer: str, room: int) -> Text:
    """Question → answer in ``room`` cells; the answer gives way first, down to a share."""
    arrow = " → "
    if cell_len(question) + len(arrow) + cell_len(answer) <= room:
        return Text(question) + Text(arrow, style="dim") + Text(answer, style="green")
    answer_room = min(cell_len(answer), int(room * ANSWER_SHARE))
    question_room = room - len(arrow) - answer_room
    if cell_len(question) < question_room:  # a short question leaves the answer more
        question_room = cell_len(question)
        answer_room = room - len(arrow) - question_room
    q, a = Text(question), Text(answer, style="green")
    q.truncate(question_room, overflow="ellipsis")
    a.truncate(answer_room, overflow="ellipsis")
    return q + Text(arrow, style="dim") + a


def card_list(rows: list[dict[str, Any]], width: int, now: datetime) -> RenderableType:
    """The card list at ``width`` cells: per card, one line of schedule and text, and
    under it the key to act on (`cards KEY`, `suspend KEY`), whole: it wraps only if
    it is wider than the terminal itself."""
    columns = fitted_columns(width)
    before = sum(c.width + 1 for c in columns)
    room = max(width - before, 10)
    count = f"{len(rows)} card{'s' if len(rows) != 1 else ''}"
    lines: list[RenderableType] = [Text(count, style="bold")]
    if rows:
        header = Text(style="bold")
        for column in columns:
            header += _cell(Text(column.header), column) + Text(" ")
        lines.append(header + Text("question → answer"))
    for row in rows:
        line = Text()
        for column in columns:
            if column is _STATE:
                value = Text(row["state"])
            elif column is _DUE:
                value = _when(row["due"], now)
            else:
                value = _value(row, column.field)
            line += _cell(value, column) + Text(" ")
        line += _card_text(row["question"], row["answer"], room)
        lines.append(line)
        indent = "  " if cell_len(row["key"]) + 2 <= width else ""
        key = Text(indent + row["key"], style="dim", overflow="fold")
        if row["flags"]:
            key.append("  " + " ".join(row["flags"]), style="yellow")
        lines.append(key)
    if rows:
        lines.append(
            Text("`leadcards cards KEY`: one card in full, with its history.", style="dim")
        )
    return Group(*lines)


def _stamp(iso: str | None) -> str:
    return _local(iso).strftime(LOCAL_FORMAT) if iso else "—"


def card_view(detail: dict[str, Any]) -> RenderableType:
    """One card: where it comes from, its text, its schedule, then every logged event."""
    parts: list[RenderableType] = [Text(detail["key"], style="bold")]
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    deck = detail["deck"]
    if detail["deck_name"]:
        deck = f"{detail['deck_name']} ({deck})"
    facts.add_row("deck", Text(deck))
    origin = detail["origin"]
    if origin:
        facts.add_row(
            "from",
            Text(f"{origin['title'] or origin['table']} · {origin['row']} · {origin['column']}"),
        )
    if detail["tags"]:
        facts.add_row("tags", Text(" ".join(detail["tags"])))
    if detail["deck_name"] is None:
        facts.add_row("", Text("its deck did not load: its text is not shown", style="yellow"))
    elif not detail["in_deck"]:
        facts.add_row("", Text("no longer in its deck file: only its history is kept"))
    if detail["question"] is not None:
        facts.add_row("question", markdown(detail["question"]))
        if detail["options"]:
            options = Text()
            for letter, option in zip("abcd", detail["options"], strict=False):
                mark = "✔" if option == detail["answer"] else " "
                options.append(f"{mark} {letter}) ")
                options.append(inline(option))
                options.append("\n")
            options.rstrip()
            facts.add_row("options", options)
        facts.add_row("answer", markdown(detail["answer"]))
    if detail["extra"]:
        facts.add_row("extra", markdown(detail["extra"]))
    facts.add_row("state", Text(_schedule(detail)))
    if detail["flags"]:
        flags = " ".join(detail["flags"])
        if detail["buried_until"]:
            flags += f" (until {_stamp(detail['buried_until'])})"
        facts.add_row("flags", Text(flags, style="yellow"))
    parts.append(facts)
    parts.append(_history(detail["history"]))
    return Group(*parts)


def _schedule(detail: dict[str, Any]) -> str:
    bits = [detail["state"]]
    if detail["due"]:
        bits.append(f"due {_stamp(detail['due'])}")
    if detail["stability"] is not None:
        bits.append(f"stability {detail['stability']:.1f}d")
    if detail["difficulty"] is not None:
        bits.append(f"difficulty {detail['difficulty']:.1f}")
    if detail["retrievability"] is not None:
        bits.append(f"recall now {detail['retrievability']:.0%}")
    bits.append(f"{detail['reps']} reps, {detail['lapses']} lapses")
    return " · ".join(bits)


def _history(history: list[dict[str, Any]]) -> RenderableType:
    if not history:
        return Text("\nNo reviews yet.", style="dim")
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        title=f"History ({len(history)})",
        title_justify="left",
        title_style="bold",
    )
    table.add_column("when", no_wrap=True)
    table.add_column("event", no_wrap=True)
    table.add_column("interval", justify="right", no_wrap=True)
    table.add_column("stability", justify="right", no_wrap=True)
    table.add_column("picked", overflow="fold")
    for entry in history:
        if entry["kind"] == "answer":
            interval = entry["interval_ms"]
            stability = entry["stability_after"]
            table.add_row(
                _stamp(entry["at"]),
                entry["rating_label"],
                format_interval(interval) if interval is not None else "—",
                f"{stability:.1f}d" if stability is not None else "—",
                inline(entry["picked"]) if entry["picked"] else "",
            )
        else:
            if entry["kind"] == "practice":
                table.add_row(
                    _stamp(entry["at"]),
                    Text(f"{entry['rating_label']} (practice)", style="magenta"),
                    "—",
                    "—",
                    inline(entry["picked"]) if entry["picked"] else "",
                )
                continue
            what = entry["kind"]
            if entry.get("until"):
                what += f" until {_stamp(entry['until'])}"
            table.add_row(_stamp(entry["at"]), Text(what, style="yellow"), "", "", "")
    return table
