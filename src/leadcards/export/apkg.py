"""Decks as an Anki package (.apkg), written with genanki.

Identity is what makes re-importing safe: note GUIDs come from the deck id and the
note id (never the text), model and deck ids are fixed, and notes carry the export
time as their modification time, because Anki only updates a note it already has when
the incoming one is newer. One leadcards card is exactly one Anki card; the writer
checks that instead of trusting it. A note that came from Anki keeps its own GUID
(the deck's ``guid:``), so it goes back to the same Anki note.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leadcards.deck.card_types import TYPES, card_type
from leadcards.deck.card_types.base import ClozeField, Markdown
from leadcards.deck.guid import note_guid
from leadcards.deck.model import Deck, Kind, Note
from leadcards.errors import Problem
from leadcards.export.anki_cloze import UnfaithfulField
from leadcards.export.anki_html import CSS, field_html, render
from leadcards.export.output import ExportError, atomic_output, check_output, work_folder

Progress = Callable[[int], None]
"""Called with the number of cards just handled, so a front end can draw a bar."""


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    notes: int
    cards: int
    decks: int
    size_bytes: int
    reviews: int | None = None  # revlog rows, when history was included

    def line(self) -> str:
        """``Exported 67 notes, 142 cards, 1 deck → out.apkg (45.2 KB)``."""
        counts = [_plural(self.notes, "note"), _plural(self.cards, "card")]
        counts.append(_plural(self.decks, "deck"))
        if self.reviews is not None:
            counts.append(_plural(self.reviews, "review"))
        return f"Exported {', '.join(counts)} → {self.path} ({human_size(self.size_bytes)})"


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    return f"{value:.1f} {unit}"


# --- identity -------------------------------------------------------------------


def anki_guid(deck_id: str, note: Note) -> str:
    """The note's GUID in Anki: the one its deck gives it (a note that came from Anki),
    else one made from its key (``note_guid``)."""
    return note.guid or note_guid(deck_id, note.id)


def anki_deck_name(name: str) -> str:
    """``Parent::Child`` with each level trimmed, as Anki itself would store it."""
    parts = [" ".join(part.split()) for part in name.split("::")]
    return "::".join(p for p in parts if p) or "leadcards"


def anki_deck_id(name: str) -> int:
    """Fixed per deck name, in the range Anki and genanki expect."""
    digest = hashlib.sha256(f"leadcards-deck\x00{name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


_TAG_SPACE = re.compile(r"\s+")


def anki_tags(tags: tuple[str, ...]) -> list[str]:
    """Anki splits tags on spaces, so spaces inside a tag become underscores."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = _TAG_SPACE.sub("_", tag.strip()).replace('"', "")
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


# --- fields ---------------------------------------------------------------------


def note_fields(note: Note) -> list[str]:
    """The note's Anki fields, in the order of its note type, as safe HTML."""
    return [field_html(value) for value in card_type(note.kind).anki_fields(note)]


# --- the package ----------------------------------------------------------------


def _genanki_models() -> dict[Kind, Any]:
    import genanki

    models = {}
    for kind in TYPES:
        note_type = card_type(kind).note_type
        models[kind] = genanki.Model(
            note_type.model_id,
            note_type.name,
            fields=[{"name": name} for name in note_type.fields],
            templates=[
                {"name": t.name, "qfmt": t.qfmt, "afmt": t.afmt} for t in note_type.templates
            ],
            css=CSS,
            model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        )
    return models


def build_package(decks: list[Deck], progress: Progress | None = None) -> Any:
    """A genanki Package with every note of every deck, checked card for card."""
    import genanki

    anki_decks: dict[str, Any] = {}
    for deck, note, anki_note in faithful_notes(decks):
        name = anki_deck_name(deck.name)
        anki_deck = anki_decks.get(name)
        if anki_deck is None:
            description = render(deck.description)
            if deck.source:
                description += f"<p><em>Source: {render(deck.source)}</em></p>"
            anki_deck = anki_decks[name] = genanki.Deck(anki_deck_id(name), name, description)
        anki_deck.add_note(anki_note)
        if progress:
            progress(len(note.cards))
    return genanki.Package(list(anki_decks.values()))


# --- what Anki will make of a note ------------------------------------------------

# A field Anki counts as empty (its ``field_is_empty``): whitespace and empty br/div tags.
_ANKI_EMPTY = re.compile(r"(?:[\t\n\v\f\r ]|</?(?:br|div) ?/?>)*", re.IGNORECASE)


class Unfaithful(Exception):
    """A note Anki would not take as leadcards has it; one line, not yet located."""


def faithful_notes(decks: list[Deck]) -> Iterator[tuple[Deck, Note, Any]]:
    """Each note with its genanki note, or ExportError at the first note Anki would not
    make exactly the cards of (``check`` reports them all, through ``export_problems``)."""
    models = _genanki_models()
    guids: dict[str, tuple[Deck, Note]] = {}
    for deck in decks:
        for note in deck.notes:
            try:
                _claim_guid(guids, deck, note)
                yield deck, note, _anki_note(models, deck, note)
            except Unfaithful as exc:
                raise ExportError(f"{deck.path}:{note.line}: {exc}") from None


def export_problems(decks: list[Deck]) -> list[Problem]:
    """Every note an export would refuse, located: a deck ``check`` passes exports."""
    models = _genanki_models()
    guids: dict[str, tuple[Deck, Note]] = {}
    problems = []
    for deck in decks:
        for note in deck.notes:
            try:
                _claim_guid(guids, deck, note)
                _anki_note(models, deck, note)
            except Unfaithful as exc:
                problems.append(Problem(str(deck.path), max(note.line, 1), 1, str(exc)))
    return problems


def _claim_guid(guids: dict[str, tuple[Deck, Note]], deck: Deck, note: Note) -> None:
    """Note ``note``'s GUID as taken; Unfaithful when another note has it already: a
    guid one deck gives can be another deck's (the loader refuses two in one deck)."""
    guid = anki_guid(deck.id, note)
    other_deck, other = guids.setdefault(guid, (deck, note))
    if other is not note:
        raise Unfaithful(
            f"note '{note.id}' has the guid '{guid}' of note '{other.id}' "
            f"({other_deck.path}:{other.line}); Anki would make them one note"
        )


def _anki_note(models: dict[Kind, Any], deck: Deck, note: Note) -> Any:
    """The genanki note of ``note``; Unfaithful when Anki would not make exactly its cards.

    Three checks, each a way the HTML can differ from the deck: a cloze deletion the
    Markdown swallowed, a field with text that renders as nothing in Anki's eyes (its
    card would be blank, or missing), and the cards genanki makes, counted.
    """
    import genanki

    try:
        fields = note_fields(note)
    except UnfaithfulField as exc:
        raise Unfaithful(f"note '{note.id}': {exc}") from None
    kind = card_type(note.kind)
    values = kind.anki_fields(note)
    for name, value, html in zip(kind.note_type.fields, values, fields, strict=True):
        if isinstance(value, Markdown | ClozeField) and value.text and _ANKI_EMPTY.fullmatch(html):
            raise Unfaithful(
                f"note '{note.id}': its Anki field {name} would be empty, "
                "since its Markdown renders as nothing (a link definition like '[a]: b'?)"
            )
    anki_note = genanki.Note(
        model=models[note.kind],
        fields=fields,
        tags=anki_tags(note.tags),
        guid=anki_guid(deck.id, note),
    )
    made = len(anki_note.cards)
    if made != len(note.cards):
        raise Unfaithful(
            f"note '{note.id}' would become {_plural(made, 'Anki card')} "
            f"instead of {len(note.cards)}"
        )
    return anki_note


def count(decks: list[Deck]) -> tuple[int, int]:
    """(notes, cards) over all decks."""
    return sum(len(d.notes) for d in decks), sum(len(d.cards) for d in decks)


def write_apkg(
    decks: list[Deck],
    path: Path,
    *,
    force: bool = False,
    mtime: float | None = None,
    progress: Progress | None = None,
) -> ExportSummary:
    """Write ``decks`` to ``path`` atomically.

    ``mtime`` is the notes' modification time; it defaults to the real time (not
    ``LEADCARDS_NOW``), because Anki compares it with the notes it already has.
    """
    check_output(path, force=force)
    package = build_package(decks, progress)
    with atomic_output(path) as temp:
        write_package(package, temp, mtime)
    return summarize(decks, path)


def write_package(package: Any, path: Path, mtime: float | None) -> None:
    """The package as Anki reads it: its collection, compressed, in a zip.

    genanki's own ``write_to_file`` leaves its temporary collection behind in the
    system's temporary folder on every call, and stores it uncompressed; this builds
    the same collection in a folder that is removed, then zips it.
    """
    import itertools
    import sqlite3
    import warnings
    import zipfile

    stamp = time.time() if mtime is None else mtime
    with work_folder() as work:
        db = work / "collection.anki2"
        conn = sqlite3.connect(db)
        try:
            with warnings.catch_warnings():
                # genanki warns about HTML tags it does not know; ours are all standard.
                warnings.simplefilter("ignore")
                package.write_to_db(conn.cursor(), stamp, itertools.count(int(stamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as out:
            out.write(db, "collection.anki2")
            out.writestr("media", "{}")


def summarize(decks: list[Deck], path: Path, reviews: int | None = None) -> ExportSummary:
    """The numbers for the summary line, taken from leadcards' side of the export."""
    notes, cards = count(decks)
    return ExportSummary(path, notes, cards, len(decks), path.stat().st_size, reviews)
