"""Loading a deck file: YAML in, an immutable ``Deck`` out, or every problem at once.

This module knows the shape of a deck (its own fields, ``tables:`` and ``cards:``)
and what all cards share (id, type, tags, extra). What each kind of card needs and
makes is asked of the card-type registry (``deck.card_types``); reading and checking the
YAML nodes is ``deck.reader``'s job.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from yaml.nodes import Node

from leadcards import collector
from leadcards.deck.card_types import ENTRY_TYPES
from leadcards.deck.card_types.base import Entry, EntryType
from leadcards.deck.card_types.table import read_table, table_notes
from leadcards.deck.guid import guid_problem, note_guid
from leadcards.deck.model import Card, Deck, Kind, Note, Table, slugify
from leadcards.deck.order import ordered
from leadcards.deck.reader import Reader, compose, line_of, read_deck_text
from leadcards.deck.text import unique
from leadcards.errors import DeckError, Problem

DECK_FIELDS = ("id", "name", "description", "source", "tags", "order", "tables", "cards")
CARD_COMMON = ("id", "type", "tags", "extra", "guid")
# Every field some card may have, so a misspelt one gets a "did you mean".
ALL_CARD_FIELDS = unique(CARD_COMMON, *(t.allowed for t in ENTRY_TYPES.values()))


def load_deck(path: Path | str) -> Deck:
    """Load and validate one deck file; every problem in it is raised together."""
    path = Path(path)
    text = read_deck_text(path)
    return parse_deck(text, path)


def parse_deck(text: str, path: Path) -> Deck:
    """The deck in ``text`` (read from ``path``), or a DeckError with all its problems."""
    shown = str(path)
    reader = Reader(shown)
    with collector.paused():
        root = compose(text, shown)
        deck = _build_deck(reader, root, path)
    if reader.problems or deck is None:
        raise DeckError(reader.problems or [Problem(shown, 1, 1, "not a deck")])
    return deck


def _build_deck(reader: Reader, root: Node, path: Path) -> Deck | None:
    fields = reader.mapping(root, DECK_FIELDS, ("id", "name"), "the deck")
    if fields is None:
        return None
    deck_id = reader.slug(fields.get("id"), "deck id")
    name = reader.text(fields.get("name"), "deck name")
    description = reader.text(fields.get("description"), "description", required=False) or ""
    source = reader.text(fields.get("source"), "source", required=False) or ""
    deck_tags = reader.texts(fields.get("tags"), "tags")
    did = deck_id or "deck"  # keys for the checks below, even when the id is wrong

    tables = _read_tables(reader, fields.get("tables"))
    notes: list[Note] = []
    for table in tables:
        notes.extend(table_notes(did, table, deck_tags))
    for node in reader.sequence(fields.get("cards"), "cards") or []:
        note = read_card(reader, node, did, deck_tags)
        if note is not None:
            notes.append(note)

    _check_unique_keys(reader, notes)
    _check_unique_guids(reader, did, notes)
    notes = ordered(reader, fields.get("order"), notes)
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


def _read_tables(reader: Reader, node: Node | None) -> list[Table]:
    tables: list[Table] = []
    first_lines: dict[str, int] = {}
    for table_node in reader.sequence(node, "tables") or []:
        table = read_table(reader, table_node)
        if table is None:
            continue
        if table.id in first_lines:
            reader.problem(
                table_node,
                f"duplicate table id '{table.id}' (first at line {first_lines[table.id]})",
            )
            continue
        first_lines[table.id] = line_of(table_node)
        tables.append(table)
    return tables


def _check_unique_keys(reader: Reader, notes: list[Note]) -> None:
    """Two cards with one key would share a schedule: report the second."""
    seen: dict[str, Card] = {}
    for note in notes:
        for card in note.cards:
            if card.key in seen:
                reader.problem_at(
                    max(card.line, 1),
                    1,
                    f"duplicate card key '{card.key}' (also at line {seen[card.key].line}); "
                    "give one of them a different 'id'",
                )
            else:
                seen[card.key] = card


def _check_unique_guids(reader: Reader, deck_id: str, notes: list[Note]) -> None:
    """Two notes with one Anki GUID would be one note in Anki: report the second, and
    a GUID given that is the one another note of the deck gets from its key."""
    given = [note for note in notes if note.guid]
    if not given:
        return
    seen: dict[str, Note] = {}
    for note in given:
        if note.guid in seen:
            reader.problem_at(
                max(note.line, 1),
                1,
                f"duplicate guid '{note.guid}' (also at line {seen[note.guid].line}); "
                "two notes with one guid would be one note in Anki",
            )
        else:
            seen[note.guid] = note
    # leadcards' own GUIDs start with "lc": only then is there one to compare with.
    if any(guid.startswith("lc") for guid in seen):
        for note in notes:
            if not note.guid and (clash := seen.get(note_guid(deck_id, note.id))) is not None:
                reader.problem_at(
                    max(clash.line, 1),
                    1,
                    f"guid '{clash.guid}' is the one the note '{note.id}' (line {note.line}) "
                    "gets from its id; give it another",
                )


# --- one entry of ``cards:`` ---------------------------------------------------------------


def read_card(reader: Reader, node: Node, deck_id: str, deck_tags: tuple[str, ...]) -> Note | None:
    """One entry of ``cards:`` as a note, built by its type; None when it is wrong."""
    fields = reader.mapping(node, ALL_CARD_FIELDS, (), "a card")
    if fields is None:
        return None
    card_type = _entry_type(reader, fields)
    if card_type is None:
        return None
    _check_fields(reader, node, fields, card_type)
    before = len(reader.problems)
    extra = reader.text(fields.get("extra"), "extra", required=False) or ""
    guid = _guid(reader, fields.get("guid"))
    tags = unique(deck_tags, reader.texts(fields.get("tags"), "tags"))
    values = {name: reader.text(fields.get(name), name) for name in card_type.texts}
    note_id = _note_id(reader, fields, values.get(card_type.id_from) or "")
    read = {name: value for name, value in values.items() if value is not None}
    if len(reader.problems) > before or note_id is None or len(read) < len(values):
        return None
    entry = Entry(
        kind=card_type.kind,
        deck_id=deck_id,
        note_id=note_id,
        values=read,
        extra=extra,
        tags=tags,
        line=line_of(node),
        node=node,
        nodes=fields,
        reader=reader,
    )
    note = card_type.build(entry)
    return note if note is None or not guid else replace(note, guid=guid)


def _entry_type(reader: Reader, fields: dict[str, Node]) -> EntryType | None:
    """The card's type (``basic`` when it names none), or None, reported."""
    if "type" not in fields:
        return ENTRY_TYPES[Kind.BASIC]
    name = reader.text(fields["type"], "card type")
    if name is None:
        return None
    if name not in ENTRY_TYPES:
        choices = list(ENTRY_TYPES)
        reader.problem(
            fields["type"],
            f"unknown card type '{name}'{reader.suggest(name, choices)} "
            f"(choose from {', '.join(choices)})",
        )
        return None
    return ENTRY_TYPES[name]


def _check_fields(
    reader: Reader, node: Node, fields: dict[str, Node], card_type: EntryType
) -> None:
    """Report fields of other kinds, and this kind's required fields that are missing."""
    kind, allowed = card_type.kind.value, card_type.allowed
    for name, value in fields.items():
        if name not in CARD_COMMON and name not in allowed:
            reader.problem(
                value,
                f"field '{name}' does not belong to a {kind} card "
                f"(a {kind} card has: {', '.join(allowed)})",
            )
    for name in card_type.fields:
        if name not in fields and name not in reader.suggested:
            reader.problem(node, f"a {kind} card is missing the required field '{name}'")


def _guid(reader: Reader, node: Node | None) -> str:
    """The card's ``guid``, or "" when it has none or (reported) a wrong one."""
    guid = reader.text(node, "guid")
    if guid is None:
        return ""
    problem = guid_problem(guid)
    if problem is not None:
        reader.problem(node, problem)
        return ""
    return guid


def _note_id(reader: Reader, fields: dict[str, Node], prompt: str) -> str | None:
    """The card's ``id``, or one derived from its prompt (any text has one: see
    ``slugify``); None when the id is wrong or the prompt missing, both reported."""
    if "id" in fields:
        return reader.slug(fields["id"], "card id")
    return slugify(prompt) or None  # empty only when the prompt is missing (reported)
