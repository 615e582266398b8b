"""Reading deck files: YAML in, an immutable ``Deck`` out, or every problem at once.

The YAML is composed into nodes (never constructed into Python objects), so no tag
can run code, duplicate keys are caught before PyYAML would silently keep the last,
and every problem can name its line and column.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from leadcards.deck.cloze import cloze_answers, cloze_numbers, render_cloze
from leadcards.deck.model import SLUG_RE, Card, Deck, Note, Row, Table, card_key, slugify
from leadcards.deck.tables import IDENTIFY_MODES, TABLE_TEMPLATES, choose_options, table_notes
from leadcards.errors import DeckError, Problem

MAX_DECK_BYTES = 32 * 1024 * 1024
# Aliases let a small file describe a huge tree; reading stops after this many nodes.
MAX_NODES = 2_000_000

# The base loader resolves no implicit tags: every plain scalar stays text, which is
# what a deck wants and saves much of the parse time. Booleans and nulls a user may
# have meant are recognised by hand in ``_Reader.text``.
_Loader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_PLAIN_BOOL = re.compile(
    r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"
)
_PLAIN_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")

TEXT_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}
CARD_TYPES = ("basic", "reversed", "cloze", "choice")
DECK_FIELDS = ("id", "name", "description", "source", "tags", "tables", "cards")
TABLE_FIELDS = (
    "id",
    "title",
    "row_label",
    "columns",
    "templates",
    "identify",
    "tags",
    "rows",
)
ROW_FIELDS = ("label", "id", "cells", "tags")
CARD_COMMON = ("id", "type", "tags", "extra")
CARD_FIELDS = {
    "basic": ("front", "back"),
    "reversed": ("front", "back"),
    "cloze": ("text",),
    "choice": ("question", "answer", "distractors"),
}
ALL_CARD_FIELDS = CARD_COMMON + tuple(
    dict.fromkeys(f for fields in CARD_FIELDS.values() for f in fields)
)


class _TooLarge(Exception):
    """Raised when alias expansion makes the tree larger than MAX_NODES."""


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    tag = node.tag.rsplit(":", 1)[-1]
    return {"null": "nothing", "bool": "true/false", "str": "text"}.get(tag, tag)


class _Reader:
    """Walks composed YAML nodes, collecting problems instead of stopping at the first."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.visits = 0
        # Field names offered as "did you mean": not also reported as missing.
        self.suggested: set[str] = set()

    def problem(self, node: Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        column = node.start_mark.column + 1 if node is not None else 1
        self.problems.append(Problem(self.path, line, column, message))

    def visit(self, node: Node) -> None:
        self.visits += 1
        if self.visits > MAX_NODES:
            raise _TooLarge
        if not node.tag.startswith("tag:yaml.org,2002:") or node.tag.startswith(
            "tag:yaml.org,2002:python"
        ):
            self.problem(node, f"the YAML tag {node.tag!r} is not allowed in a deck")
            raise _BadNode

    def _is(self, node: Node, kind: type[Node], wanted: str) -> bool:
        """Visit ``node`` and check its kind, reporting ``wanted`` when it is not."""
        try:
            self.visit(node)
        except _BadNode:
            return False
        if not isinstance(node, kind):
            self.problem(node, f"{wanted}, got {_kind(node)}")
            return False
        return True

    def mapping(
        self, node: Node, allowed: tuple[str, ...], required: tuple[str, ...], what: str
    ) -> dict[str, Node] | None:
        if not self._is(node, MappingNode, f"{what} must be a mapping of fields"):
            return None
        fields: dict[str, Node] = {}
        firsts: dict[str, Node] = {}
        suggested = self.suggested = set()
        for key_node, value_node in node.value:
            self.visits += 1
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, f"field names in {what} must be plain text")
                continue
            name = key_node.value
            if name in firsts:
                self.problem(
                    key_node,
                    f"duplicate field '{name}' in {what} "
                    f"(first at line {firsts[name].start_mark.line + 1})",
                )
                continue
            firsts[name] = key_node
            if name == "<<":
                self.problem(key_node, "merge keys (<<) are not supported in decks")
                continue
            if name not in allowed:
                hint = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
                suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
                suggested.update(hint)
                self.problem(
                    key_node,
                    f"unknown field '{name}' in {what}{suggestion} (allowed: {', '.join(allowed)})",
                )
                continue
            fields[name] = value_node
        for name in required:
            if name not in firsts and name not in suggested:
                self.problem(node, f"{what} is missing the required field '{name}'")
        return fields

    def text(self, node: Node | None, what: str, *, required: bool = True) -> str | None:
        if node is None:
            return None
        try:
            self.visit(node)
        except _BadNode:
            return None
        if isinstance(node, ScalarNode) and node.tag in TEXT_TAGS:
            if not node.style and _PLAIN_BOOL.match(node.value):
                self.problem(node, f"{what} must be text, got true/false (put it in quotes)")
                return None
            if not node.style and _PLAIN_NULL.match(node.value):
                if required:
                    self.problem(node, f"{what} must be text, got nothing")
                    return None
                return ""
            value = node.value.strip()
            if required and not value:
                self.problem(node, f"{what} must not be empty")
                return None
            return value
        hint = " (put it in quotes)" if isinstance(node, ScalarNode) else ""
        self.problem(node, f"{what} must be text, got {_kind(node)}{hint}")
        return None

    def sequence(self, node: Node | None, what: str) -> list[Node] | None:
        if node is None or not self._is(node, SequenceNode, f"{what} must be a list"):
            return None
        return list(node.value)

    def texts(self, node: Node | None, what: str) -> tuple[str, ...]:
        items = self.sequence(node, what)
        if items is None:
            return ()
        values: list[str] = []
        for item in items:
            value = self.text(item, f"each item of {what}")
            if value is None:
                break  # one report per list is enough
            values.append(value)
        return tuple(values)

    def slug(self, node: Node | None, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not SLUG_RE.match(value):
            self.problem(
                node,
                f"{what} {value!r} must be lowercase letters, digits, '-' or '_' "
                "(it is part of every card's key)",
            )
            return None
        return value


class _BadNode(Exception):
    """A node was already reported; skip it."""


def read_deck_text(path: Path) -> str:
    """The file's text, or a DeckError for a missing, huge or non-UTF-8 file."""
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_DECK_BYTES:
            raise DeckError(
                [
                    Problem(
                        shown,
                        1,
                        1,
                        f"deck file is {size:,} bytes; the limit is {MAX_DECK_BYTES:,}",
                    )
                ]
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise DeckError([Problem(shown, 1, 1, "no such deck file")]) from None
    except IsADirectoryError:
        raise DeckError([Problem(shown, 1, 1, "is a folder, not a deck file")]) from None
    except OSError as exc:
        raise DeckError([Problem(shown, 1, 1, f"cannot read: {exc.strerror}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise DeckError(
            [Problem(shown, line, column, f"not UTF-8 text (byte 0x{data[exc.start]:02x})")]
        ) from None


def load_deck(path: Path | str) -> Deck:
    """Load and validate one deck file; every problem in it is raised together."""
    path = Path(path)
    text = read_deck_text(path)
    return parse_deck(text, path)


def parse_deck(text: str, path: Path) -> Deck:
    shown = str(path)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = str(exc.problem or exc.context)
        if exc.context and exc.context_mark and exc.problem_mark:
            start = exc.context_mark
            message += f" ({exc.context} at line {start.line + 1}, column {start.column + 1})"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise DeckError([Problem(shown, line, column, f"YAML syntax error: {message}")]) from None
    except yaml.YAMLError as exc:
        raise DeckError([Problem(shown, 1, 1, f"YAML error: {exc}")]) from None
    if root is None:
        raise DeckError([Problem(shown, 1, 1, "deck file is empty")])
    reader = _Reader(shown)
    try:
        deck = _build_deck(reader, root, path)
    except _TooLarge:
        raise DeckError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    f"deck expands to more than {MAX_NODES:,} YAML nodes "
                    "(are anchors and aliases nested too deep?)",
                )
            ]
        ) from None
    if reader.problems or deck is None:
        raise DeckError(reader.problems or [Problem(shown, 1, 1, "not a deck")])
    return deck


def _build_deck(reader: _Reader, root: Node, path: Path) -> Deck | None:
    fields = reader.mapping(root, DECK_FIELDS, ("id", "name"), "the deck")
    if fields is None:
        return None
    deck_id = reader.slug(fields.get("id"), "deck id")
    name = reader.text(fields.get("name"), "deck name")
    description = reader.text(fields.get("description"), "description", required=False) or ""
    source = reader.text(fields.get("source"), "source", required=False) or ""
    deck_tags = reader.texts(fields.get("tags"), "tags")
    did = deck_id or "deck"

    tables: list[Table] = []
    table_ids: dict[str, Node] = {}
    for node in reader.sequence(fields.get("tables"), "tables") or []:
        table = _build_table(reader, node)
        if table is None:
            continue
        if table.id in table_ids:
            reader.problem(
                node,
                f"duplicate table id '{table.id}' "
                f"(first at line {table_ids[table.id].start_mark.line + 1})",
            )
            continue
        table_ids[table.id] = node
        tables.append(table)

    notes: list[Note] = []
    for table in tables:
        notes.extend(table_notes(did, table, deck_tags))
    for node in reader.sequence(fields.get("cards"), "cards") or []:
        note = _build_card(reader, node, did, deck_tags)
        if note is not None:
            notes.append(note)

    seen: dict[str, Card] = {}
    for note in notes:
        for card in note.cards:
            if card.key in seen:
                reader.problem(
                    _line_node(card.line),
                    f"duplicate card key '{card.key}' (also at line {seen[card.key].line}); "
                    "give one of them a different 'id'",
                )
            else:
                seen[card.key] = card
    if not notes and not reader.problems:
        reader.problem(root, "the deck has no cards: add 'tables' or 'cards'")
    if deck_id is None or name is None:
        return None
    return Deck(
        id=deck_id,
        name=name,
        path=path,
        description=description,
        source=source,
        tags=deck_tags,
        tables=tuple(tables),
        notes=tuple(notes),
    )


class _LineMark:
    def __init__(self, line: int) -> None:
        self.line = max(line - 1, 0)
        self.column = 0


class _LineNode:
    """Stands in for a node when only a line number is known."""

    def __init__(self, line: int) -> None:
        self.start_mark = _LineMark(line)


def _line_node(line: int) -> Any:
    return _LineNode(line)


def _build_table(reader: _Reader, node: Node) -> Table | None:
    fields = reader.mapping(node, TABLE_FIELDS, ("id", "row_label", "columns", "rows"), "a table")
    if fields is None:
        return None
    before = len(reader.problems)
    table_id = reader.slug(fields.get("id"), "table id")
    title = reader.text(fields.get("title"), "table title", required=False) or ""
    row_label = reader.text(fields.get("row_label"), "row_label")
    columns = reader.texts(fields.get("columns"), "columns")
    if "columns" in fields and len(columns) < 2 and len(reader.problems) == before:
        reader.problem(fields["columns"], "a table needs at least 2 columns")
    templates = TABLE_TEMPLATES
    if "templates" in fields:
        templates = reader.texts(fields["templates"], "templates")
        for name in templates:
            if name not in TABLE_TEMPLATES:
                reader.problem(
                    fields["templates"],
                    f"unknown template '{name}' (choose from {', '.join(TABLE_TEMPLATES)})",
                )
        if not templates:
            reader.problem(fields["templates"], "templates must name at least one template")
    identify = reader.text(fields.get("identify"), "identify") or "both"
    if identify not in IDENTIFY_MODES:
        reader.problem(
            fields.get("identify"),
            f"identify must be one of {', '.join(IDENTIFY_MODES)}, not '{identify}'",
        )
    tags = reader.texts(fields.get("tags"), "tags")
    rows: list[Row] = []
    row_ids: dict[str, int] = {}
    row_nodes = reader.sequence(fields.get("rows"), "rows")
    if row_nodes == []:
        reader.problem(fields["rows"], "a table needs at least one row")
    for row_node in row_nodes or []:
        row_fields = reader.mapping(row_node, ROW_FIELDS, ("label", "cells"), "a table row")
        if row_fields is None:
            continue
        label = reader.text(row_fields.get("label"), "row label")
        row_id = (
            reader.slug(row_fields["id"], "row id") if "id" in row_fields else slugify(label or "")
        )
        cells_node = row_fields.get("cells")
        cells = reader.texts(cells_node, "cells")
        line = row_node.start_mark.line + 1
        if cells_node is not None and columns and len(cells) != len(columns):
            reader.problem(
                cells_node,
                f"row '{label}' has {len(cells)} cells but the table has "
                f"{len(columns)} columns ({', '.join(columns)})",
            )
            continue
        if not label or not row_id:
            continue
        if row_id in row_ids:
            reader.problem(
                row_node,
                f"duplicate row id '{row_id}' in table '{table_id}' "
                f"(first at line {row_ids[row_id]})",
            )
            continue
        row_ids[row_id] = line
        row_tags = reader.texts(row_fields.get("tags"), "tags")
        rows.append(Row(row_id, label, cells, row_tags, line))
    if "choice" in templates and rows and len({c for r in rows for c in r.cells}) < 2:
        reader.problem(node, "choice cards need a table with at least 2 different cells")
    if len(reader.problems) > before or table_id is None or row_label is None:
        return None
    return Table(
        id=table_id,
        title=title,
        row_label=row_label,
        columns=columns,
        templates=tuple(templates),
        identify=identify,
        rows=tuple(rows),
        tags=tags,
        line=node.start_mark.line + 1,
    )


def _build_card(
    reader: _Reader, node: Node, deck_id: str, deck_tags: tuple[str, ...]
) -> Note | None:
    fields = reader.mapping(node, ALL_CARD_FIELDS, (), "a card")
    if fields is None:
        return None
    card_type = reader.text(fields.get("type"), "card type") if "type" in fields else "basic"
    if card_type not in CARD_TYPES:
        if card_type is not None:
            hint = difflib.get_close_matches(card_type, CARD_TYPES, n=1)
            reader.problem(
                fields["type"],
                f"unknown card type '{card_type}'"
                + (f"; did you mean '{hint[0]}'?" if hint else "")
                + f" (choose from {', '.join(CARD_TYPES)})",
            )
        return None
    wanted = CARD_FIELDS[card_type]
    for name, value in fields.items():
        if name not in CARD_COMMON and name not in wanted:
            reader.problem(
                value,
                f"field '{name}' does not belong to a {card_type} card "
                f"(a {card_type} card has: {', '.join(wanted)})",
            )
    for name in wanted:
        if name not in fields and name not in reader.suggested:
            reader.problem(node, f"a {card_type} card is missing the required field '{name}'")
    before = len(reader.problems)
    extra = reader.text(fields.get("extra"), "extra", required=False) or ""
    tags = tuple(dict.fromkeys(deck_tags + reader.texts(fields.get("tags"), "tags")))
    line = node.start_mark.line + 1
    values = {name: reader.text(fields.get(name), name) for name in wanted if name != "distractors"}
    prompt = values.get("front") or values.get("text") or values.get("question") or ""
    if "id" in fields:
        note_id = reader.slug(fields["id"], "card id")
    else:
        note_id = slugify(prompt) or None
        if note_id is None and prompt:
            reader.problem(node, "cannot derive an id from this card's text: give it an 'id'")
    if len(reader.problems) > before or note_id is None or None in values.values():
        return None

    def make(template: str, front: str, back: str, **more: Any) -> Card:
        return Card(
            key=card_key(deck_id, note_id, template),
            deck_id=deck_id,
            note_id=note_id,
            kind=card_type,
            template=template,
            front=front,
            back=back,
            extra=extra,
            tags=tags,
            line=line,
            **more,
        )

    note_fields: dict[str, str] = {k: v for k, v in values.items() if v is not None}
    if card_type == "basic":
        cards = [make("front", values["front"], values["back"])]
    elif card_type == "reversed":
        cards = [
            make("forward", values["front"], values["back"]),
            make("reverse", values["back"], values["front"]),
        ]
    elif card_type == "cloze":
        text = values["text"]
        numbers = cloze_numbers(text)
        if not numbers:
            reader.problem(
                fields["text"], "cloze text has no deletion: mark one like {{c1::answer}}"
            )
            return None
        if numbers[0] < 1:
            reader.problem(fields["text"], "cloze numbers start at 1: Anki ignores {{c0::...}}")
            return None
        cards = []
        for number in numbers:
            answers = cloze_answers(text, number)
            if any(not a.strip() for a in answers):
                reader.problem(fields["text"], f"cloze deletion c{number} is empty")
                return None
            cards.append(
                make(
                    f"c{number}",
                    render_cloze(text, number, reveal=False),
                    render_cloze(text, number, reveal=True),
                )
            )
    else:
        answer = values["answer"]
        distractors = reader.texts(fields.get("distractors"), "distractors")
        folded = {" ".join(d.split()).casefold() for d in distractors}
        if " ".join(answer.split()).casefold() in folded:
            reader.problem(fields["distractors"], "the answer is also listed among the distractors")
            return None
        if len(folded) < 1:
            reader.problem(
                fields.get("distractors", node),
                "a choice card needs at least 2 options: add distractors",
            )
            return None
        if len(folded) != len(distractors):
            reader.problem(fields["distractors"], "the same distractor is listed twice")
            return None
        key = card_key(deck_id, note_id, "choice")
        options, answer_index = choose_options(key, answer, [list(distractors)])
        note_fields["distractors"] = "\n".join(distractors)
        cards = [
            make("choice", values["question"], answer, options=options, answer_index=answer_index)
        ]
    if extra:
        note_fields["extra"] = extra
    return Note(note_id, card_type, note_fields, tags, tuple(cards), line)
