"""Deck content as Rich renderables.

Deck text is the author's Markdown and never Rich markup: it goes through
``Markdown`` or ``Text``, so a literal ``[red]`` in a card stays literal. Nor is it
HTML: ``<ER>`` in a card is four characters to show, as it is in Anki.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from leadcards.deck.model import Card, Deck, Table
from leadcards.deck.text import EMPHASIS

if TYPE_CHECKING:
    from rich.markdown import Markdown

# A backslash too: an escape (``\*``) or a hard line break must not show as typed.
_MARKDOWN_HINT = re.compile(r"[*_`#>\[\]\\]|^\s*(?:[-+] |\d+\. )", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _markdown_class() -> type[Markdown]:
    """Rich's ``Markdown`` reading tag-like text as text, built on first use.

    Rich parses with raw HTML on and then draws no HTML token, so ``What does <ER>
    stand for?`` would show as "What does  stand for?" and a line of ``<b>`` would
    vanish. Parsed here with HTML off (CommonMark, strikethrough, tables, as Rich's own
    parser), they are text like any other. markdown-it and ``rich.markdown`` cost about
    20 ms to import, which a session whose cards are plain text never pays.
    """
    from markdown_it import MarkdownIt
    from rich.markdown import Markdown

    parser = MarkdownIt("commonmark", {"html": False}).enable("strikethrough").enable("table")

    class TextMarkdown(Markdown):
        def __init__(self, text: str) -> None:
            super().__init__("")
            self.markup = text
            self.parsed = parser.parse(text)

    return TextMarkdown


def markdown(text: str) -> RenderableType:
    """Markdown when the text uses it, else plain ``Text`` (cheaper, keeps wrapping)."""
    if _MARKDOWN_HINT.search(text):
        return _markdown_class()(text)
    return Text(text)


_STYLES = {"**": "bold", "__": "bold", "*": "italic", "_": "italic", "`": "bold cyan"}


def inline(text: str) -> Text:
    """One line of Markdown (an option, a side) as styled text: emphasis shown as such,
    never as asterisks, and nothing read as Rich markup."""
    out = Text()
    end = 0
    for match in EMPHASIS.finditer(text):
        out.append(text[end : match.start()])
        out.append(match.group(2), style=_STYLES[match.group(1)])
        end = match.end()
    out.append(text[end:])
    return out


def origin_title(card: Card, revealed: bool) -> str | None:
    """Where a table card comes from (table · row), for above the card. An identify card
    asks for the side or the row, and the table's title and row name give them away,
    so it is shown only with the answer."""
    if card.origin is None or (card.template == "identify" and not revealed):
        return None
    return f"{card.origin.table_title or card.origin.table_id} · {card.origin.row}"


def table_view(table: Table) -> RichTable:
    view = RichTable(
        title=Text(table.title or table.id, style="bold"),
        show_lines=True,
        expand=True,
    )
    view.add_column(Text(table.row_label), style="bold cyan", no_wrap=False)
    for column in table.columns:
        view.add_column(Text(column))
    for row in table.rows:
        view.add_row(Text(row.label), *(markdown(cell) for cell in row.cells))
    return view


def card_summary(card: Card) -> RenderableType:
    """Question and answer of a plain card, for the study view."""
    parts: list[RenderableType] = [markdown(card.front)]
    if card.options:
        for letter, option in zip("abcd", card.options, strict=False):
            mark = "✔" if option == card.back else " "
            parts.append(Text(f" {mark} {letter}) ") + inline(option))
    else:
        parts.append(Text("→ ", style="green") + Text(""))
        parts.append(markdown(card.back))
    if card.extra:
        parts.append(markdown(card.extra))
    return Panel(Group(*parts), title=Text(card.key, style="dim"), title_align="left")


def deck_view(deck: Deck) -> RenderableType:
    """Every table as a table, then the other cards (one per note, reversed shown once)."""
    header = Text(deck.name, style="bold")
    if deck.description:
        header.append("\n" + deck.description, style="italic")
    parts: list[RenderableType] = [header]
    parts.extend(table_view(t) for t in deck.tables)
    plain = [n for n in deck.notes if n.kind != "table"]
    if plain:
        parts.append(Text(f"\nCards ({len(plain)} notes)", style="bold"))
        for note in plain:
            parts.append(card_summary(note.cards[0]))
    return Group(*parts)
