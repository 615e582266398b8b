"""Decks in Anki's text import format: one note per line, tab separated.

(The ``export csv`` command writes it; the module is not called ``csv`` so that it
neither shadows nor is confused with the standard ``csv`` it uses.)

The header lines tell Anki which columns hold the note type, deck, GUID and tags, so
one file can carry every note type; the remaining columns are the fields in the note
type's order. GUIDs are the same as in the .apkg, so importing the file creates the
same notes and importing it again updates them. Anki needs the leadcards note types
to exist already (an .apkg export brings them). The note type comes first on every
line because Anki reads a line starting with '#' as a comment, and no note type
name does.
"""

from __future__ import annotations

import csv
from pathlib import Path

from leadcards.deck.card_types import card_type
from leadcards.deck.model import Deck
from leadcards.export import apkg
from leadcards.export.output import atomic_output, check_output

HEADER = (
    "#separator:tab",
    "#html:true",
    "#notetype column:1",
    "#deck column:2",
    "#guid column:3",
    "#tags column:4",
)


def rows(decks: list[Deck], progress: apkg.Progress | None = None) -> list[list[str]]:
    """One row per note: note type, deck, GUID, tags, then the fields."""
    out = []
    for deck, note, anki_note in apkg.faithful_notes(decks):
        out.append(
            [
                card_type(note.kind).note_type.name,
                apkg.anki_deck_name(deck.name),
                apkg.anki_guid(deck.id, note),
                " ".join(apkg.anki_tags(note.tags)),
                *anki_note.fields,
            ]
        )
        if progress:
            progress(len(note.cards))
    return out


def write_csv(
    decks: list[Deck],
    path: Path,
    *,
    force: bool = False,
    progress: apkg.Progress | None = None,
) -> apkg.ExportSummary:
    """Write the text file atomically; a real CSV writer quotes what needs quoting."""
    check_output(path, force=force)
    table = rows(decks, progress)
    with atomic_output(path) as temp, temp.open("w", encoding="utf-8", newline="") as out:
        out.write("\n".join(HEADER) + "\n")
        writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerows(table)
    return apkg.summarize(decks, path)
