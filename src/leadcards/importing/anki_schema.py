"""Reading an Anki collection file (SQLite) of either schema a package can carry.

Schema 11 (collection.anki2 and .anki21) keeps note types and decks as JSON in the one
row of `col`; schema 18 (collection.anki21b) has tables for them, with protobuf blobs
for what varies by kind. Notes, cards and the review log are the same tables in both.
The file is Anki's, not leadcards' database, so it is opened read-only and immutable
here rather than through ``store/``.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

from leadcards.errors import PackageError
from leadcards.importing import protobuf_wire as wire
from leadcards.importing.anki_records import (
    AnkiCard,
    AnkiCollection,
    AnkiDeck,
    AnkiMediaFile,
    AnkiNote,
    AnkiNoteType,
    AnkiReview,
    AnkiTemplate,
    PackageFormat,
)

# Anki's newest schema; packages of Anki 2.1.50 and later carry it.
NEWEST_SCHEMA = 18
# Note types and decks moved from JSON in `col` to tables of their own at schema 15.
_TABLES_SCHEMA = 15

# Integer columns are cast in SQL: old Anki versions left floats in some of them.
_NOTES = "SELECT id, guid, CAST(mid AS INTEGER), flds, tags, CAST(mod AS INTEGER) FROM notes"
_CARDS = (
    "SELECT id, CAST(nid AS INTEGER), CAST(did AS INTEGER), CAST(odid AS INTEGER),"
    " CAST(ord AS INTEGER), CAST(type AS INTEGER), CAST(queue AS INTEGER),"
    " CAST(due AS INTEGER), CAST(ivl AS INTEGER), CAST(factor AS INTEGER),"
    " CAST(reps AS INTEGER), CAST(lapses AS INTEGER) FROM cards ORDER BY id"
)
_REVLOG = (
    "SELECT id, CAST(cid AS INTEGER), CAST(ease AS INTEGER), CAST(ivl AS INTEGER),"
    " CAST(lastIvl AS INTEGER), CAST(factor AS INTEGER), CAST(time AS INTEGER),"
    " CAST(type AS INTEGER) FROM revlog ORDER BY id"
)


def _unicase(left: str, right: str) -> int:
    """Anki's `unicase` collation (its names compare without case); SQLite needs it to
    scan the tables whose keys use it."""
    a, b = left.casefold(), right.casefold()
    return (a > b) - (a < b)


def read_collection(
    db: Path,
    what: str,
    package: str,
    package_format: PackageFormat,
    media: tuple[AnkiMediaFile, ...],
) -> AnkiCollection:
    """Read the collection file ``db`` (a temporary copy) of a package whose format and
    media list are known. ``what`` names it in errors ("the collection in 'x.apkg'"),
    ``package`` is the file the user gave."""
    uri = f"file:{quote(db.as_posix())}?mode=ro&immutable=1"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as con:
            con.create_collation("unicase", _unicase)
            return _read(con, package, package_format, media)
    except sqlite3.DatabaseError as error:
        raise PackageError(f"{what} is damaged: {error}") from None
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise PackageError(f"{what} is damaged: {_describe(error)}") from None


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"no {error} in a note type or deck"
    return str(error)


def _read(
    con: sqlite3.Connection,
    package: str,
    package_format: PackageFormat,
    media: tuple[AnkiMediaFile, ...],
) -> AnkiCollection:
    row = con.execute("SELECT ver, crt FROM col").fetchone()
    if row is None:
        raise ValueError("its `col` table is empty")
    schema, created = int(row[0]), int(row[1])
    if schema > NEWEST_SCHEMA:
        raise PackageError(
            f"'{package}' was made by a newer Anki (collection schema {schema}; leadcards "
            f"reads up to {NEWEST_SCHEMA}): export it again with 'Support older Anki "
            "versions' ticked"
        )
    if schema < 11:
        raise ValueError(f"collection schema {schema} is older than any Anki 2 wrote")
    if schema >= _TABLES_SCHEMA:
        notetypes, decks = _notetypes_from_tables(con), _decks_from_table(con)
    else:
        models, deck_json = con.execute("SELECT models, decks FROM col").fetchone()
        notetypes, decks = _notetypes_from_json(models), _decks_from_json(deck_json)
    return AnkiCollection(
        format=package_format,
        schema=schema,
        created=created,
        notetypes=notetypes,
        decks=decks,
        notes=_notes(con),
        cards=tuple(AnkiCard(*row) for row in con.execute(_CARDS)),
        revlog=tuple(AnkiReview(*row) for row in con.execute(_REVLOG)),
        media=media,
    )


def _notes(con: sqlite3.Connection) -> tuple[AnkiNote, ...]:
    return tuple(
        AnkiNote(nid, guid, mid, tuple(flds.split("\x1f")), tuple(tags.split()), mod)
        for nid, guid, mid, flds, tags, mod in con.execute(_NOTES + " ORDER BY id")
    )


def _notetypes_from_json(text: str) -> dict[int, AnkiNoteType]:
    models: dict[str, Any] = json.loads(text)
    notetypes = {}
    for key, model in models.items():
        fields = sorted(model["flds"], key=lambda f: int(f["ord"]))
        templates = sorted(model["tmpls"], key=lambda t: int(t["ord"]))
        notetypes[int(key)] = AnkiNoteType(
            id=int(key),
            name=str(model["name"]),
            cloze=int(model.get("type", 0)) == 1,
            fields=tuple(str(f["name"]) for f in fields),
            templates=tuple(
                AnkiTemplate(str(t["name"]), int(t["ord"]), str(t["qfmt"]), str(t["afmt"]))
                for t in templates
            ),
        )
    return notetypes


def _decks_from_json(text: str) -> dict[int, AnkiDeck]:
    decks: dict[str, Any] = json.loads(text)
    return {
        int(key): AnkiDeck(int(key), str(deck["name"]), bool(deck.get("dyn", 0)))
        for key, deck in decks.items()
    }


def _notetypes_from_tables(con: sqlite3.Connection) -> dict[int, AnkiNoteType]:
    # Notetype.Config: field 1 is the kind (0 normal, 1 cloze).
    kinds = {
        ntid: (name, wire.last_int(config, 1) == 1)
        for ntid, name, config in con.execute("SELECT id, name, config FROM notetypes")
    }
    fields: dict[int, list[str]] = {ntid: [] for ntid in kinds}
    for ntid, name in con.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        if ntid in fields:  # an export may leave rows of note types it dropped
            fields[ntid].append(name)
    templates: dict[int, list[AnkiTemplate]] = {ntid: [] for ntid in kinds}
    for ntid, ordinal, name, config in con.execute(
        "SELECT ntid, ord, name, config FROM templates ORDER BY ntid, ord"
    ):
        if ntid in templates:
            # Template.Config: field 1 the question's format, field 2 the answer's.
            question = (wire.last_bytes(config, 1) or b"").decode()
            answer = (wire.last_bytes(config, 2) or b"").decode()
            templates[ntid].append(AnkiTemplate(name, ordinal, question, answer))
    return {
        ntid: AnkiNoteType(ntid, name, cloze, tuple(fields[ntid]), tuple(templates[ntid]))
        for ntid, (name, cloze) in kinds.items()
    }


def _decks_from_table(con: sqlite3.Connection) -> dict[int, AnkiDeck]:
    # Levels are joined by \x1f in the table; the kind blob is a oneof whose field 2
    # is a filtered deck's settings (field 1 a normal deck's).
    return {
        did: AnkiDeck(did, name.replace("\x1f", "::"), wire.has_field(kind, 2))
        for did, name, kind in con.execute("SELECT id, name, kind FROM decks")
    }
