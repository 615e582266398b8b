"""A deck brought in from another tool, written as a deck file leadcards loads as it is.

An importer fills plain dataclasses (a deck and its basic, reversed and cloze notes);
``deck_text`` writes them in the documented deck format, and ``write_deck`` puts that
in a file, refusing to replace one without ``force``, atomically, and only once the
text has loaded back. Every text is written so the loader reads it back exactly as
``deck.scalars.as_loaded`` of it: stripped, control characters made visible.

A note the format cannot hold (an empty side, cloze text leadcards reads otherwise
than Anki, a wrong guid) is the importer's to skip, with ``note_problem`` saying why;
given to the writer anyway, it is refused, never written into a deck that fails to load.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from leadcards.deck.card_types.cloze import ClozeError, Deletion, parse_cloze
from leadcards.deck.guid import guid_problem
from leadcards.deck.model import SLUG_RE, Deck, ascii_slug
from leadcards.deck.scalars import as_loaded, block, flow_list, identifier, scalar

ID_WORDS = 6  # words of the text an id keeps; the hash after them tells ids apart
ID_LENGTH = 40  # characters of those words at most


@dataclass(frozen=True, slots=True)
class BasicNote:
    """One card: front → back."""

    id: str
    front: str
    back: str
    extra: str = ""
    tags: tuple[str, ...] = ()
    guid: str = ""  # the note's GUID in Anki, kept so an export updates that note


@dataclass(frozen=True, slots=True)
class ReversedNote:
    """Two cards: front → back and back → front (the deck's ``type: reversed``)."""

    id: str
    front: str
    back: str
    extra: str = ""
    tags: tuple[str, ...] = ()
    guid: str = ""


@dataclass(frozen=True, slots=True)
class ClozeNote:
    """One card per deletion number of ``text`` (``{{c1::answer}}``, ``{{c1::answer::hint}}``)."""

    id: str
    text: str
    extra: str = ""
    tags: tuple[str, ...] = ()
    guid: str = ""


NewNote: TypeAlias = BasicNote | ReversedNote | ClozeNote


@dataclass(frozen=True, slots=True)
class NewDeck:
    """A deck to write: its id (a slug: see ``deck_id_for``), name (``A::B`` nests), notes."""

    id: str
    name: str
    notes: Sequence[NewNote]
    description: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()


# --- ids --------------------------------------------------------------------------------


def note_id_for(text: str, taken: set[str]) -> str:
    """A valid note id made from any text, not in ``taken``, and added to it.

    The first words of the text (its ASCII letters and digits; ``note`` when it has none)
    and a short hash of the whole text: the same text gives the same id in every
    import, so a card's key, and its history, survive importing a file again. Text
    met twice gets ``-2``, ``-3``... after the hash.
    """
    words = _words(text, ID_WORDS) or "note"
    candidate = base = f"{words}-{_short_hash(text)}"
    number = 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate


def deck_id_for(name: str) -> str:
    """A valid deck id from a deck name: its words (``CPHQ::Leadership`` is
    ``cphq-leadership``), or ``deck-`` and a short hash for a name without ASCII ones."""
    words = _words(name, 8)
    if words:
        return words
    return (
        "deck-" + hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=3).hexdigest()
    )


def _short_hash(text: str) -> str:
    """Six hex digits that tell two texts apart (any text: a lone surrogate too)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=3).hexdigest()


def _words(text: str, count: int) -> str:
    """The first ``count`` ASCII words of ``text``, accents dropped (``été`` is ``ete``)."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return ascii_slug(bare, count)[:ID_LENGTH].rstrip("-")


# --- checks -----------------------------------------------------------------------------


def note_problem(note: NewNote) -> str | None:
    """Why the deck format cannot hold ``note`` as it is, in a few words; None if it can.

    What the loader would refuse in the note itself: an empty side, cloze text without
    a deletion or read otherwise by Anki, a guid that is no GUID, an invalid id.
    """
    if not SLUG_RE.match(note.id):
        return f"the id {note.id!r} is not lowercase letters, digits, '-' or '_'"
    if note.guid and (problem := guid_problem(as_loaded(note.guid))) is not None:
        return problem
    if isinstance(note, ClozeNote):
        text = as_loaded(note.text)
        if not text:
            return "empty text"
        try:
            pieces = parse_cloze(text)
        except ClozeError as exc:
            return str(exc)
        if not any(isinstance(piece, Deletion) for piece in pieces):
            return "cloze text has no deletion"
        return None
    if not as_loaded(note.front):
        return "empty front"
    if not as_loaded(note.back):
        return "empty back"
    return None


class UnwritableDeck(ValueError):
    """The deck given to the writer would not load: a bug of the importer that built it."""


def _check(deck: NewDeck) -> None:
    problems = []
    if not SLUG_RE.match(deck.id):
        problems.append(f"deck id {deck.id!r} is not lowercase letters, digits, '-' or '_'")
    if not as_loaded(deck.name):
        problems.append("the deck has no name")
    if not deck.notes:
        problems.append("the deck has no notes")
    seen: set[str] = set()
    guids: set[str] = set()
    for note in deck.notes:
        problem = note_problem(note)
        if problem is not None:
            problems.append(f"note {note.id!r}: {problem}")
        if note.id in seen:
            problems.append(f"note id {note.id!r} is used twice")
        seen.add(note.id)
        guid = as_loaded(note.guid)
        if guid and guid in guids:
            problems.append(f"note {note.id!r}: guid {guid!r} is used twice")
        guids.add(guid)
    if problems:
        raise UnwritableDeck("; ".join(problems[:3]) + (" ..." if len(problems) > 3 else ""))


# --- the text ---------------------------------------------------------------------------

_FIELD = "    "  # a card's fields, under its "  - "
_BLOCK = _FIELD + "  "  # the lines of a field's literal block


def deck_text(deck: NewDeck) -> str:
    """The deck file's text; UnwritableDeck when a note would not load (``note_problem``)."""
    _check(deck)
    lines = [f"id: {identifier(deck.id)}", f"name: {scalar(as_loaded(deck.name))}"]
    for name, value in (("description", deck.description), ("source", deck.source)):
        if as_loaded(value):
            lines.append(f"{name}: {block(as_loaded(value), '  ')}")
    tags = _tags(deck.tags)
    if tags:
        lines.append(f"tags: {flow_list(tags)}")
    lines.append("cards:")
    for note in deck.notes:
        lines.extend(_note_lines(note))
    return "\n".join(lines) + "\n"


def _note_lines(note: NewNote) -> list[str]:
    fields: list[tuple[str, str]] = []
    if isinstance(note, ReversedNote):
        fields.append(("type", "reversed"))
    elif isinstance(note, ClozeNote):
        fields.append(("type", "cloze"))
    fields.append(("id", identifier(note.id)))
    if note.guid:
        fields.append(("guid", scalar(as_loaded(note.guid))))
    if isinstance(note, ClozeNote):
        fields.append(("text", block(as_loaded(note.text), _BLOCK)))
    else:
        fields.append(("front", block(as_loaded(note.front), _BLOCK)))
        fields.append(("back", block(as_loaded(note.back), _BLOCK)))
    if as_loaded(note.extra):
        fields.append(("extra", block(as_loaded(note.extra), _BLOCK)))
    tags = _tags(note.tags)
    if tags:
        fields.append(("tags", flow_list(tags)))
    return [
        f"{'  - ' if index == 0 else _FIELD}{name}: {value}"
        for index, (name, value) in enumerate(fields)
    ]


def _tags(tags: tuple[str, ...]) -> list[str]:
    """The tags as the loader keeps them: each as loaded, empty ones left out, once."""
    return list(dict.fromkeys(tag for tag in map(as_loaded, tags) if tag))


# --- the file ---------------------------------------------------------------------------


def write_deck(deck: NewDeck, path: Path, *, force: bool = False) -> Deck:
    """Write the deck file and return the deck as leadcards loads it.

    Refused before any work when ``path`` exists (without ``force``) or cannot be
    written; the text is loaded back before the file is written, and the file appears
    complete or not at all (``export.output`` owns both rules).
    """
    from leadcards.deck.load import parse_deck
    from leadcards.export.output import atomic_output, check_output

    check_output(path, force=force)
    text = deck_text(deck)
    loaded = parse_deck(text, path)
    with atomic_output(path) as temp:
        temp.write_text(text, encoding="utf-8")
    return loaded
