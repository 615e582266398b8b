"""The review screen as Rich renderables, drawn from a ``Controller``.

Deck text goes through ``markdown()``/``Text``, never through Rich markup, so a card
containing ``[red]`` shows those characters.
"""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from leadcards.scheduling import RATINGS
from leadcards.session import Summary
from leadcards.ui.controller import OPTION_LETTERS, Controller, help_lines, side_keys
from leadcards.ui.render import inline, markdown, origin_title

RATING_STYLES = {1: "bold red", 2: "bold yellow", 3: "bold green", 4: "bold blue"}


def header(controller: Controller, counts: tuple[int, int, int]) -> RenderableType:
    new, learning, due = counts
    card = controller.card
    name = controller.deck_names.get(card.deck_id, card.deck_id) if card else ""
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    if controller.session.practising:  # said first, so no width hides it
        title = Text("Cram", style="bold magenta")
        title.append(f" · {name}", style="bold")
        grid.add_row(title, Text(f" {sum(counts)} to practise · no schedule changes"))
        return grid
    tally = Text.assemble(
        (str(new), "blue"),
        " new · ",
        (str(learning), "red"),
        " learning · ",
        (str(due), "green"),
        " due",
    )
    if len(controller.session.decks) > 1:  # the counts are every deck's, the name one's
        tally.append(f" · {len(controller.session.decks)} decks")
    grid.add_row(Text(name, style="bold"), tally)
    return grid


def card_panel(controller: Controller) -> RenderableType:
    card = controller.card
    assert card is not None
    parts: list[RenderableType] = [markdown(card.front)]
    if card.options:
        parts.append(Text(""))
        for letter, option in zip(OPTION_LETTERS, card.options, strict=False):
            line = Text(f"{letter}) ", style="bold")
            line.append_text(inline(option))
            if controller.revealed and option == card.options[card.answer_index]:
                line.stylize("green")
                line.append("  ✓", style="green")
            elif controller.choice and controller.choice.label == option:
                line.stylize("red")
                line.append("  ✗", style="red")
            parts.append(line)
    sides = side_keys(card)
    if sides and not controller.revealed:
        parts.append(Text(""))
        for key, index in sides.items():
            line = Text(f"{key}) ", style="bold")
            line.append_text(inline(card.sides[index]))
            parts.append(line)
    if controller.revealed:
        parts.append(Rule(style="dim"))
        if not card.options:
            parts.append(markdown(card.back))
        if card.extra:
            parts.append(markdown(card.extra))
    origin = origin_title(card, controller.revealed)
    title = Text(origin, style="dim") if origin else None
    return Panel(Group(*parts), title=title, title_align="left", padding=(1, 2))


def feedback(controller: Controller) -> RenderableType | None:
    choice = controller.choice
    if choice is None:
        return None
    if choice.correct:
        return Text(
            f"✓ {choice.label} is right. Enter accepts Good; 1–4 to rate otherwise.", style="green"
        )
    return Text.assemble(
        ("✗ ", "red"),
        (choice.label, "red"),
        (" is not it. Enter accepts Again; 1–4 to rate otherwise.", "red"),
    )


def ratings(controller: Controller) -> RenderableType:
    line = Text()
    for index, (rating, name, interval) in enumerate(controller.ratings_line()):
        if index:
            line.append(" · ", style="dim")
        style = RATING_STYLES[rating]
        if controller.suggestion == rating:
            style += " reverse"
        line.append(f"{rating} {name}", style=style)
        if interval:
            line.append(f" {interval}")
    if controller.session.practising:
        line.append(" · practice only", style="dim")
    return line


def hint_line(controller: Controller) -> Text:
    card = controller.card
    if controller.revealed:
        keys = "enter accept · 1–4 rate"
    elif card is not None and card.options:
        keys = "a–d choose · space show"
    elif card is not None and side_keys(card):
        letters = "/".join(side_keys(card))
        keys = f"{letters} answer · space show"
    else:
        keys = "space show answer"
    bury = "- bury" if card is not None and card.options and not controller.revealed else "b bury"
    hide = "" if controller.session.practising else f" · {bury} · s suspend"
    return Text(
        f"{keys} · u undo{hide} · e edit · ? help · q quit",
        style="dim",
        no_wrap=True,
        overflow="ellipsis",
    )


def help_panel(practice: bool = False) -> RenderableType:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for keys, meaning in help_lines(practice):
        table.add_row(keys, meaning)
    return Panel(table, title="Keys", title_align="left")


MIN_WIDTH, MIN_HEIGHT = 40, 12
"""Below this a card and its keys cannot both be shown: the screen says so instead."""


def _sections(
    controller: Controller,
) -> tuple[list[RenderableType], list[RenderableType], list[RenderableType]]:
    """(top, body, bottom): what stays at the top, what may be cut, what stays at the
    bottom. Help replaces the card in the body while it is open."""
    counts = controller.counts()  # one query a frame, shared by header and progress
    top: list[RenderableType] = [header(controller, counts), Rule(style="dim")]
    body: list[RenderableType] = []
    bottom: list[RenderableType] = []
    if controller.show_help:
        body.append(help_panel(controller.session.practising))
    elif controller.card is not None:
        body.append(card_panel(controller))
    if controller.card is not None and not controller.show_help:
        extra = feedback(controller)
        if extra is not None:
            bottom.append(extra)
        if controller.revealed:
            bottom.append(ratings(controller))
    if controller.message:
        bottom.append(Text(controller.message, style="italic"))
    done, total = controller.progress(counts)
    bar = Table.grid(expand=True)
    bar.add_column(ratio=1)
    bar.add_column(justify="right", no_wrap=True)
    bar.add_row(ProgressBar(total=max(total, 1), completed=done), Text(f" {done}/{total}"))
    bottom += [bar, hint_line(controller)]
    return top, body, bottom


def review_screen(controller: Controller) -> RenderableType:
    """Everything on screen for the current state, top to bottom, at any height."""
    top, body, bottom = _sections(controller)
    return Group(*top, *body, *bottom)


def fitted_screen(controller: Controller, console: Console) -> RenderableType:
    """The screen cut to the terminal: header and keys always show; a card too long
    for the rest loses its end, never the header or the key hint."""
    width, height = console.size
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return Text(
            f"Make the terminal at least {MIN_WIDTH}×{MIN_HEIGHT} to review "
            f"(it is {width}×{height}); q quits.",
            overflow="fold",
        )
    top, body, bottom = _sections(controller)
    options = console.options.update_width(width)
    bottom_lines = sum(len(console.render_lines(part, options, pad=False)) for part in bottom)
    from rich.layout import Layout  # the full screen only: line mode never draws one

    layout = Layout()
    layout.split_column(
        Layout(Group(*top), size=2),
        Layout(Group(*body)),
        Layout(Group(*bottom), size=bottom_lines),
    )
    return layout


def summary_view(
    summary: Summary, next_due: str, decks: list[str], *, boxed: bool = True
) -> RenderableType:
    """The end-of-session report; in a box on the screen, plain lines for line mode
    (screen readers would read box drawing out)."""
    covering = decks[0] if len(decks) == 1 else f"{len(decks)} decks"
    over = "Cram session over" if summary.practice else "Session over"
    lines = [Text(f"{over}: {covering}", style="bold")]
    minutes, seconds = divmod(int(summary.seconds), 60)
    answered = "Practice answers" if summary.practice else "Cards answered"
    lines.append(Text(f"{answered}: {summary.answered} in {minutes}m {seconds:02d}s"))
    if summary.answered:
        correct = summary.correct / summary.answered
        per = " · ".join(f"{RATINGS[r]} {summary.ratings.get(r, 0)}" for r in RATINGS)
        lines.append(Text(f"Recalled: {correct:.0%} ({per})"))
    if summary.practice:
        if summary.still_due:
            lines.append(Text(f"Left to practise: {summary.still_due}"))
        lines.append(Text("No schedule changed: practice answers are logged apart."))
        lines.append(Text(f"Next review: {next_due}"))
    else:
        waiting = f" · {summary.still_new} new cards waiting" if summary.still_new else ""
        lines.append(Text(f"Still due today: {summary.still_due}{waiting}"))
        lines.append(Text(f"Next card: {next_due}"))
    if summary.new_leeches:
        lines.append(
            Text("New leeches (suspended): " + ", ".join(summary.new_leeches), style="red")
        )
    return Panel(Group(*lines), expand=False) if boxed else Group(*lines)
