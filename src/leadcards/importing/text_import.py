"""A text file of notes (Anki's text format, or a plain two-column CSV) as a deck to write.

Anki's format starts with header lines (``#separator:tab``, ``#html:true``, ``#notetype
column:1``, ``#deck column:2``, ``#guid column:3``, ``#tags column:4``...), as
leadcards' own ``export csv`` writes it; the columns they do not claim are the note's
fields, in its note type's order. A file without them is read as rows of front and
back, separated by the tab, semicolon or comma that splits its lines most evenly, a
first row naming the columns (``front,back``) left out.

Each row becomes a basic, reversed or cloze note, or is skipped with a reason (one
column, an empty side, cloze text leadcards reads otherwise than Anki, a note type
with no such kind); every reason is counted, so the summary hides nothing. A row's
GUID is kept (``guid:``), so exporting the deck updates the same Anki notes.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from leadcards.deck.guid import guid_problem
from leadcards.errors import LeadcardsError
from leadcards.importing.deck_writer import (
    BasicNote,
    ClozeNote,
    NewDeck,
    NewNote,
    ReversedNote,
    deck_id_for,
    note_id_for,
    note_problem,
)
from leadcards.importing.html_text import html_to_markdown, plain_to_markdown

MAX_BYTES = 256 * 1024 * 1024
_SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_SNIFFED = ("\t", ";", ",")  # preferred in this order when two split a file as well
_HEADER = re.compile(r"#([A-Za-z ]+):(.*)")
_CLOZE = re.compile(r"\{\{c\d+::")
# Words a first row uses to name its columns: such a row is no note.
_COLUMN_NAMES = frozenset(
    {"front", "back", "question", "answer", "term", "definition", "text", "extra", "tags"}
    | {"word", "meaning", "prompt", "response", "notes"}
)
_REVERSED_TYPES = frozenset({"basic (and reversed card)", "leadcards reversed"})
_NOT_IMPORTED = frozenset({"leadcards choice", "leadcards table cell"})


class TextImportError(LeadcardsError):
    """The file cannot be read as notes; the message is one line."""


@dataclass
class TextImport:
    """What a file held: the deck to write, and every row that did not become a note."""

    deck: NewDeck
    kinds: Counter[str] = field(default_factory=Counter)  # notes by kind
    skipped: dict[str, list[int]] = field(default_factory=dict)  # reason → line numbers
    header_row: list[str] | None = None  # a first row naming columns, left out
    decks_named: list[str] = field(default_factory=list)  # the deck column's names
    media: list[str] = field(default_factory=list)  # files the fields name (not copied)


@dataclass
class _Layout:
    """How the file's columns are read (Anki's headers, or defaults)."""

    separator: str | None = None
    html: bool = False
    notetype: str = ""
    deck: str = ""
    tags: tuple[str, ...] = ()
    columns: dict[str, int] = field(default_factory=dict)  # notetype, deck, guid, tags → index
    headers: int = 0  # header lines before the rows


def read_text_import(path: Path, deck_name: str | None = None) -> TextImport:
    """The notes of the file at ``path``; TextImportError when it cannot be read as any."""
    text = _read(path)
    layout = _layout(text)
    body = text.split("\n", layout.headers)[-1] if layout.headers else text
    separator = layout.separator or _sniff(body)
    rows = _rows(body, separator, path)
    if not rows:
        raise TextImportError(f"{path} has no rows to import")
    result = TextImport(NewDeck("import", "import", []))
    if not layout.headers and _names_columns(rows[0][1]):
        result.header_row = rows[0][1]
        rows = rows[1:]
    deck_column = layout.columns.get("deck")
    named = [
        row[deck_column] for _, row in rows if deck_column is not None and deck_column < len(row)
    ]
    result.decks_named = list(dict.fromkeys(name.strip() for name in named if name.strip()))
    name = (
        (deck_name or "").strip() or layout.deck or next(iter(result.decks_named), "") or path.stem
    )
    notes = _notes(rows, layout, result, offset=layout.headers)
    result.deck = NewDeck(deck_id_for(name), name, notes, source=f"Imported from {path.name}")
    return result


# --- the file -------------------------------------------------------------------------------


def _read(path: Path) -> str:
    """The file as text, or one line saying why it is not a text file to import."""
    try:
        found = path.stat()
    except FileNotFoundError:
        raise TextImportError(f"cannot read {path}: no such file") from None
    except OSError as exc:
        raise TextImportError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(found.st_mode):
        raise TextImportError(f"cannot read {path}: it is not a regular file")
    if found.st_size > MAX_BYTES:
        raise TextImportError(f"{path} is {found.st_size:,} bytes; the limit is {MAX_BYTES:,}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise TextImportError(f"cannot read {path}: {exc.strerror or exc}") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        raise TextImportError(f"{path} is not a text file (it holds NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TextImportError(
            f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})"
        ) from None
    if not text.strip():
        raise TextImportError(f"{path} is empty: there are no notes to import")
    return text.replace("\r\n", "\n")


def _layout(text: str) -> _Layout:
    """Anki's header lines at the top of the file, as a layout."""
    layout = _Layout()
    for line in text.split("\n"):
        match = _HEADER.fullmatch(line.rstrip("\r"))
        if match is None:
            break
        layout.headers += 1
        key, value = match.group(1).strip().lower(), match.group(2).strip()
        if key == "separator":
            layout.separator = _SEPARATORS.get(value.lower(), value[:1] or None)
        elif key == "html":
            layout.html = value.lower() == "true"
        elif key == "notetype":
            layout.notetype = value
        elif key == "deck":
            layout.deck = value
        elif key == "tags":
            layout.tags = tuple(value.split())
        elif key.endswith(" column") and value.isdigit() and int(value) > 0:
            layout.columns[key.removesuffix(" column")] = int(value) - 1
    return layout


def _sniff(body: str) -> str:
    """The separator that splits the first lines into two or more fields most often
    and most evenly (tab, then semicolon, then comma on a tie)."""
    sample = [line for line in body.split("\n")[:50] if line.strip()]

    def score(separator: str) -> tuple[int, int]:
        counts = [len(row) for row in csv.reader(sample, delimiter=separator)]
        split = [count for count in counts if count >= 2]
        return len(split), Counter(split).most_common(1)[0][1] if split else 0

    return max(_SNIFFED, key=lambda separator: score(separator))


def _rows(body: str, separator: str, path: Path) -> list[tuple[int, list[str]]]:
    """(line number in the body, fields) of each row that is not blank or a comment."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator, strict=False)
    rows = []
    read = 0  # lines read so far: a row starts on the next one
    try:
        for fields in reader:
            start, read = read + 1, reader.line_num
            if not fields or not any(f.strip() for f in fields):
                continue
            rows.append((start, fields))
    except csv.Error as exc:
        raise TextImportError(f"{path}: line {reader.line_num}: {exc}") from None
    return rows


def _names_columns(row: list[str]) -> bool:
    named = [field.strip().lower() for field in row if field.strip()]
    return len(named) >= 2 and all(name in _COLUMN_NAMES for name in named)


# --- rows → notes -----------------------------------------------------------------------------


def _notes(
    rows: list[tuple[int, list[str]]], layout: _Layout, result: TextImport, offset: int
) -> list[NewNote]:
    taken: set[str] = set()
    guids: set[str] = set()
    notes: list[NewNote] = []
    special = set(layout.columns.values())

    def skip(reason: str, line: int) -> None:
        result.skipped.setdefault(reason, []).append(line + offset)

    for line, row in rows:

        def column(name: str, row: list[str] = row) -> str:
            index = layout.columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        values = [value for index, value in enumerate(row) if index not in special]
        notetype = (column("notetype") or layout.notetype).strip()
        if notetype.lower() in _NOT_IMPORTED:
            skip(f"note type '{notetype}' (not basic, reversed or cloze)", line)
            continue
        if len(values) < 2 and not (values and _CLOZE.search(values[0])):
            skip("only one column", line)
            continue
        texts = [_markdown(value, layout.html, result) for value in values]
        tags = (*layout.tags, *column("tags").split())
        guid = column("guid")
        if guid and guid_problem(guid) is not None:
            skip("a guid that is no GUID (whitespace or control characters)", line)
            continue
        if guid and guid in guids:
            skip("a guid an earlier row has", line)
            continue
        note = _note(notetype, texts, tags, guid, taken)
        problem = note_problem(note)
        if problem is not None:
            taken.discard(note.id)
            skip(_reason(problem), line)
            continue
        guids.add(guid)
        notes.append(note)
        result.kinds[_kind(note)] += 1
    return notes


def _note(
    notetype: str, texts: list[str], tags: tuple[str, ...], guid: str, taken: set[str]
) -> NewNote:
    first = texts[0]
    extra = "\n\n".join(text for text in texts[2:] if text) if len(texts) > 2 else ""
    if "cloze" in notetype.lower() or (not notetype and _CLOZE.search(first)):
        cloze_extra = "\n\n".join(text for text in texts[1:] if text)
        return ClozeNote(note_id_for(first, taken), first, cloze_extra, tags, guid)
    kind = ReversedNote if notetype.lower() in _REVERSED_TYPES else BasicNote
    return kind(note_id_for(first, taken), first, texts[1], extra, tags, guid)


def _kind(note: NewNote) -> str:
    if isinstance(note, ClozeNote):
        return "cloze"
    return "reversed" if isinstance(note, ReversedNote) else "basic"


def _reason(problem: str) -> str:
    """A note's problem as a reason to count rows by (cloze messages name their text)."""
    if problem.startswith(("empty", "cloze text has no")):
        return problem.replace("empty", "an empty", 1)
    return "cloze text leadcards reads otherwise than Anki"


def _markdown(value: str, html: bool, result: TextImport) -> str:
    if not html:
        return plain_to_markdown(value)
    converted = html_to_markdown(value)
    result.media.extend(name for name in converted.media if name not in result.media)
    return converted.text
