"""The ``table`` card type: cells of a comparison table (rows = aspects, columns = sides).

Each cell is a note with up to three cards: recall (aspect and side → the cell),
identify (the cell → which side and/or which aspect) and choice (the cell among
distractors from the same table: its own column's cells, or the other sides', as the
table's ``distractors`` says). Which templates a cell gets can differ by column and
by row, so a column whose recall would have two right answers can leave it out.
Tables have their own section in a deck
(``tables:``), so the loader asks this module to read one; the cards are generated
here, never written by hand.

The leadcards templates are the Anki templates' ``makes``: one list, so the loader's
template names and the Anki card ordinals cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from yaml.nodes import MappingNode, Node

from leadcards.deck.card_types.base import (
    ANSWER,
    AnkiField,
    CardType,
    Choices,
    Flag,
    Markdown,
    NoteType,
    Template,
    wrap,
)
from leadcards.deck.choices import choose_options
from leadcards.deck.model import (
    Card,
    Kind,
    Note,
    Origin,
    Row,
    Table,
    ascii_slug,
    card_key,
    slugify,
)
from leadcards.deck.reader import Reader, line_of
from leadcards.deck.text import unique

# --- the Anki note type -----------------------------------------------------------------

_ORIGIN = '<div class="lc-origin">{{Table}}</div>'
_CELL_QUESTION = "<strong>{{Row}}</strong> ({{RowLabel}}) — {{Column}}"


def _flagged(makes: str, name: str, front: str, back: str) -> Template:
    """A template whose card Anki makes only when the note's field ``name`` is set.

    A card whose front renders no field is never created, so a table that leaves a
    template out leaves its flag empty and gets no such card.
    """
    return Template(makes, name, f"{{{{#{name}}}}}{front}{{{{/{name}}}}}", back)


_CHOICE_SIDE = _ORIGIN + f"<div>{_CELL_QUESTION}: which one?</div>{{{{Options}}}}"
_TEMPLATES = (
    _flagged(
        "recall",
        "Recall",
        wrap("table", _ORIGIN + f"<div>{_CELL_QUESTION}?</div>"),
        ANSWER + wrap("table", "{{Cell}}"),
    ),
    # The table's title and the row name say which side or row a cell is from: an
    # identify card shows them only with its answer.
    _flagged(
        "identify",
        "Identify",
        wrap("table", '<div>{{Cell}}</div><div class="lc-prompt">{{IdentifyPrompt}}</div>'),
        ANSWER + wrap("table", "{{IdentifyAnswer}}" + _ORIGIN),
    ),
    _flagged(
        "choice",
        "Choice",
        wrap("table", _CHOICE_SIDE),
        wrap("table lc-revealed", _CHOICE_SIDE),
    ),
)
_FIELDS = ("Cell", "Table", "RowLabel", "Row", "Column", "IdentifyPrompt", "IdentifyAnswer")
NOTE_TYPE = NoteType(
    1_732_104_005,
    "leadcards Table cell",
    (*_FIELDS, "Options", *(t.name for t in _TEMPLATES)),
    _TEMPLATES,
)

# --- the YAML -----------------------------------------------------------------------------

TEMPLATES = tuple(t.makes for t in _TEMPLATES)
IDENTIFY_MODES = ("both", "column", "row")
# Where a choice card's distractors come from, first pool first (see ``_pools``).
DISTRACTOR_MODES = ("same-column", "other-columns", "mixed")
TABLE_FIELDS = (
    "id",
    "title",
    "row_label",
    "columns",
    "templates",
    "identify",
    "identify_prompt",
    "distractors",
    "tags",
    "rows",
)
TABLE_REQUIRED = ("id", "row_label", "columns", "rows")
ROW_FIELDS = ("label", "id", "cells", "tags", "templates")
ROW_REQUIRED = ("label", "cells")


def read_table(reader: Reader, node: Node) -> Table | None:
    """One entry of ``tables:``; None when anything in it is wrong (all of it reported)."""
    fields = reader.mapping(node, TABLE_FIELDS, TABLE_REQUIRED, "a table")
    if fields is None:
        return None
    before = len(reader.problems)
    table_id = reader.slug(fields.get("id"), "table id")
    title = reader.text(fields.get("title"), "table title", required=False) or ""
    row_label = reader.text(fields.get("row_label"), "row_label")
    columns = reader.texts(fields.get("columns"), "columns")
    if "columns" in fields and len(columns) < 2 and len(reader.problems) == before:
        reader.problem(fields["columns"], "a table needs at least 2 columns")
    templates = _read_templates(reader, fields.get("templates"), columns, TEMPLATES)
    identify = reader.text(fields.get("identify"), "identify") or "both"
    if identify not in IDENTIFY_MODES:
        reader.problem(
            fields.get("identify"),
            f"identify must be one of {', '.join(IDENTIFY_MODES)}, not '{identify}'",
        )
    identify_question = reader.text(fields.get("identify_prompt"), "identify_prompt") or ""
    distractors = reader.text(fields.get("distractors"), "distractors") or DISTRACTOR_MODES[0]
    if distractors not in DISTRACTOR_MODES:
        reader.problem(
            fields.get("distractors"),
            f"distractors must be one of {', '.join(DISTRACTOR_MODES)}, not '{distractors}'"
            f"{reader.suggest(distractors, DISTRACTOR_MODES)}",
        )
    tags = reader.texts(fields.get("tags"), "tags")
    rows = _read_rows(reader, fields.get("rows"), table_id, columns)
    if (
        any("choice" in t for row in rows for t in (row.templates or templates))
        and len({c for r in rows for c in r.cells}) < 2
    ):
        reader.problem(node, "choice cards need a table with at least 2 different cells")
    if len(reader.problems) > before or table_id is None or row_label is None:
        return None
    return Table(
        id=table_id,
        title=title,
        row_label=row_label,
        columns=columns,
        templates=templates,
        identify=identify,
        rows=tuple(rows),
        tags=tags,
        line=line_of(node),
        distractors=distractors,
        identify_prompt=identify_question,
    )


def _read_templates(
    reader: Reader, node: Node | None, columns: tuple[str, ...], default: tuple[str, ...]
) -> tuple[tuple[str, ...], ...]:
    """The templates of each column: one list for every column, or a mapping from
    column names to lists (a column left out of the mapping makes no cards)."""
    if node is None:
        return tuple(default for _ in columns)
    before = len(reader.problems)
    if isinstance(node, MappingNode):
        by_column = reader.mapping(node, columns, (), "templates (by column)")
        if by_column is None:
            return ()
        per_column = tuple(
            _template_list(reader, by_column[c]) if c in by_column else () for c in columns
        )
    else:
        per_column = (_template_list(reader, node),) * len(columns)
    if columns and not any(per_column) and len(reader.problems) == before:
        reader.problem(node, "templates must name at least one template")
    return per_column


def _template_list(reader: Reader, node: Node) -> tuple[str, ...]:
    templates = reader.texts(node, "templates")
    for name in templates:
        if name not in TEMPLATES:
            reader.problem(node, f"unknown template '{name}' (choose from {', '.join(TEMPLATES)})")
    return templates


def _read_rows(
    reader: Reader,
    node: Node | None,
    table_id: str | None,
    columns: tuple[str, ...],
) -> list[Row]:
    row_nodes = reader.sequence(node, "rows")
    if row_nodes == []:
        reader.problem(node, "a table needs at least one row")
    first_lines: dict[str, int] = {}
    rows = []
    for row_node in row_nodes or []:
        row = _read_row(reader, row_node, table_id, columns, first_lines)
        if row is not None:
            first_lines[row.id] = row.line
            rows.append(row)
    return rows


def _read_row(
    reader: Reader,
    node: Node,
    table_id: str | None,
    columns: tuple[str, ...],
    first_lines: dict[str, int],
) -> Row | None:
    """One row, or None (reported) when it is wrong or repeats an earlier row's id.
    A row may give its own ``templates``, in place of the table's."""
    fields = reader.mapping(node, ROW_FIELDS, ROW_REQUIRED, "a table row")
    if fields is None:
        return None
    label = reader.text(fields.get("label"), "row label")
    own: tuple[tuple[str, ...], ...] = ()
    if "templates" in fields:
        own = _read_templates(reader, fields["templates"], columns, TEMPLATES)
    row_id = reader.slug(fields["id"], "row id") if "id" in fields else slugify(label or "")
    cells_node = fields.get("cells")
    cells = reader.texts(cells_node, "cells")
    if cells_node is not None and columns and len(cells) != len(columns):
        reader.problem(
            cells_node,
            f"row '{label}' has {len(cells)} cells but the table has "
            f"{len(columns)} columns ({', '.join(columns)})",
        )
        return None
    if not label or not row_id:
        return None
    if row_id in first_lines:
        reader.problem(
            node,
            f"duplicate row id '{row_id}' in table '{table_id}' "
            f"(first at line {first_lines[row_id]})",
        )
        return None
    tags = reader.texts(fields.get("tags"), "tags")
    return Row(row_id, label, cells, tags, line_of(node), own)


# --- the cards ----------------------------------------------------------------------------


def table_notes(deck_id: str, table: Table, deck_tags: tuple[str, ...]) -> list[Note]:
    """One note per cell that makes a card, carrying the templates asked for it."""
    column_ids = slug_columns(table.columns)
    pools = _Pools(table)
    prompt = identify_prompt(table)
    notes: list[Note] = []
    for row in table.rows:
        for index, (column, column_id) in enumerate(zip(table.columns, column_ids, strict=True)):
            templates = cell_templates(table, row, index)
            if not templates:
                continue
            own_tags = (
                f"table::{table.id}",
                f"{table.id}::{row.id}",
                f"{table.id}::{column_id}",
            )
            cell = _Cell(
                deck_id=deck_id,
                note_id=f"{table.id}:{row.id}:{column_id}",
                table=table,
                row=row,
                index=index,
                tags=unique(deck_tags, table.tags, row.tags, own_tags),
                origin=Origin(table.id, table.title, table.row_label, row.label, column),
                prompt=prompt,
                templates=templates,
                pools=pools.for_cell(row, index) if "choice" in templates else (),
            )
            notes.append(cell.note())
    return notes


def slug_columns(columns: tuple[str, ...]) -> list[str]:
    """Each column's part of its cells' keys: its name as a slug.

    A column whose name has no ASCII letter or digit was once called ``column``; a table
    with one such column (and no other called so) loaded, and its cards' keys hold
    their history, so that column keeps the name. With two or more, the table could not
    load (their keys collided): each now has its own slug.
    """
    legacy = [name for name in columns if not ascii_slug(name)]
    keep = len(legacy) == 1 and "column" not in {ascii_slug(name) for name in columns}
    return ["column" if keep and name in legacy else slugify(name) for name in columns]


class _Pools:
    """Where a table's choice distractors come from, built once per table.

    ``same-column``: the cell's own column first (parallel wording: which row is it?),
    then the whole table. ``other-columns``: the other cells of the same row, then the
    other columns' cells: in a two-sided table the answer is the only option from its
    side, so the card asks the side. ``mixed``: the same row, then the own column. The
    answer itself is skipped when options are drawn; the draw is seeded by the card key.
    """

    def __init__(self, table: Table) -> None:
        self.mode = table.distractors
        width = len(table.columns)
        self.by_column = [[row.cells[i] for row in table.rows] for i in range(width)]
        self.every_cell = [cell for row in table.rows for cell in row.cells]
        self.other_columns: list[list[str]] = []
        if self.mode == "other-columns":
            self.other_columns = [
                [row.cells[i] for row in table.rows for i in range(width) if i != column]
                for column in range(width)
            ]

    def for_cell(self, row: Row, index: int) -> tuple[list[str], ...]:
        if self.mode == "same-column":
            return self.by_column[index], self.every_cell
        same_row = [cell for i, cell in enumerate(row.cells) if i != index]
        if self.mode == "other-columns":
            return same_row, self.other_columns[index], self.every_cell
        return same_row, self.by_column[index], self.every_cell


def cell_templates(table: Table, row: Row, index: int) -> tuple[str, ...]:
    """The cards a cell makes: its row's templates for its column, else the table's."""
    return (row.templates or table.templates)[index]


def identify_prompt(table: Table) -> str:
    """What an identify card asks, after showing the cell: the table's own question, or
    one built from its columns or row label."""
    if table.identify_prompt:
        return table.identify_prompt
    sides = " or ".join(table.columns)
    if table.identify == "column":
        return f"{sides}?"
    if table.identify == "row":
        return f"Which {table.row_label.lower()}?"
    return f"{sides} — and which {table.row_label.lower()}?"


def identify_answer(table: Table, row_label: str, column: str) -> str:
    if table.identify == "column":
        return f"**{column}** ({row_label})"
    if table.identify == "row":
        return f"**{row_label}** ({column})"
    return f"**{column}** — {row_label}"


@dataclass(slots=True, kw_only=True)
class _Cell:
    """What the cards of one table cell share, on the way to becoming a note.

    Not frozen: one is made per cell of every table on every load, and a frozen
    dataclass pays for each field it sets.
    """

    deck_id: str
    note_id: str
    table: Table
    row: Row
    index: int  # the column
    tags: tuple[str, ...]
    origin: Origin
    prompt: str  # the table's identify prompt
    templates: tuple[str, ...]  # the cards this cell makes
    pools: tuple[list[str], ...]  # where choice distractors come from, preferred first

    def note(self) -> Note:
        table, row = self.table, self.row
        cards = tuple(self.card(template) for template in self.templates)
        fields = {
            "Table": table.title or table.id,
            "RowLabel": table.row_label,
            "Row": row.label,
            "Column": table.columns[self.index],
            "Cell": row.cells[self.index],
        }
        if "identify" in self.templates:
            # Carried on the note so the exporter need not go back to the table for it.
            fields["IdentifyPrompt"] = self.prompt
        return Note(self.note_id, Kind.TABLE, fields, self.tags, cards, row.line)

    def card(self, template: str) -> Card:
        table, row, index = self.table, self.row, self.index
        column, cell = table.columns[index], row.cells[index]
        key = card_key(self.deck_id, self.note_id, template)
        question = f"**{row.label}** ({table.row_label}) — {column}"
        sides: tuple[str, ...] = ()
        options: tuple[str, ...] = ()
        answer_index = -1
        if template == "recall":
            front, back = f"{question}?", cell
        elif template == "identify":
            front = f"{cell}\n\n*{self.prompt}*"
            back = identify_answer(table, row.label, column)
            sides = table.columns if table.identify != "row" else ()
        elif template == "choice":
            front, back = f"{question}: which one?", cell
            options, answer_index = choose_options(key, cell, list(self.pools))
        else:
            raise ValueError(f"a table has no template '{template}'")
        return Card(
            key=key,
            deck_id=self.deck_id,
            note_id=self.note_id,
            kind=Kind.TABLE,
            template=template,
            front=front,
            back=back,
            tags=self.tags,
            options=options,
            answer_index=answer_index,
            sides=sides,
            answer_side=index if sides else -1,
            origin=self.origin,
            line=row.line,
        )


# --- Anki fields --------------------------------------------------------------------------


def anki_fields(note: Note) -> tuple[AnkiField, ...]:
    by_template = {card.template: card for card in note.cards}
    identify, choice = by_template.get("identify"), by_template.get("choice")
    values = note.fields
    prompt = values.get("IdentifyPrompt")
    return (
        *(Markdown(values[name]) for name in ("Cell", "Table", "RowLabel", "Row", "Column")),
        Markdown(f"*{prompt}*" if identify and prompt else ""),
        Markdown(identify.back if identify else ""),
        Choices(choice.options, choice.answer_index) if choice else Markdown(""),
        *(Flag(template in by_template) for template in TEMPLATES),
    )


TYPE = CardType(kind=Kind.TABLE, note_type=NOTE_TYPE, anki_fields=anki_fields)
