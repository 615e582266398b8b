"""The loaded deck: plain immutable objects, independent of YAML.

A card's ``key`` is its identity for scheduling and export. It is built from the deck
id, the note id and the template, never from the wording, so fixing a typo keeps the
card's history; ``content_hash`` is what tells that the wording changed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def slugify(text: str, max_words: int = 8) -> str:
    """A key-safe id from free text: lowercase words joined by '-'; empty only for blank text.

    Keys made from slugs hold learners' histories, so a slug never changes: text with
    ASCII letters or digits keeps the slug it always had, made of those alone
    (``Qualité 2`` is ``qualit-2``). Text without any (``Планирование``, ``计划``) once
    had no slug, and its row was dropped; it now has its own lowercased Unicode letters
    and digits, and text with none at all (``✓``, ``?!``) a short hash of itself.
    """
    words = ascii_slug(text, max_words)
    if words or not text.strip():
        return words
    words = "-".join(_unicode_words(text)[:max_words])
    if words:
        return words
    canonical = unicodedata.normalize("NFC", text.strip())
    return hashlib.blake2b(canonical.encode(), digest_size=4).hexdigest()


def ascii_slug(text: str, max_words: int = 8) -> str:
    """The ASCII letters and digits of ``text``, lowercased, as words joined by '-'."""
    return "-".join(_ASCII_WORD.findall(text.lower())[:max_words])


def _unicode_words(text: str) -> list[str]:
    """Runs of letters and digits in any script (with the marks that follow them),
    lowercased and NFKC-normalised, so a key reads the same however it was typed.

    Only letters, digits and their marks: no punctuation, space, symbol or invisible
    format character (a variation selector alone is no word), so keys stay one token
    on a command line and never contain the ':' that separates their parts.
    """
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).lower())
    words: list[str] = []
    word: list[str] = []
    for char in folded:
        kind = unicodedata.category(char)[0]
        if kind in "LN" or (kind == "M" and word):
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return words


def card_key(deck_id: str, note_id: str, template: str) -> str:
    return f"{deck_id}:{note_id}:{template}"


def split_card_key(key: str) -> tuple[str, str, str]:
    """(deck, note, template) of a card key: deck ids and templates hold no colon, a
    note id may (a table cell's is ``table:aspect:side``)."""
    deck, _, rest = key.partition(":")
    note, _, template = rest.rpartition(":")
    return deck, note, template


class Kind(str, Enum):
    """A card type: what the YAML ``type`` field names, or ``table`` for a table cell.

    What each kind means (fields, cards, Anki note type) lives in ``deck/card_types``; this
    is only the closed list of names, so code cannot branch on a kind that does not
    exist, and a deck naming one is refused when it is loaded. A ``str``, so a kind
    still equals (and hashes like) the name written in the deck.
    """

    BASIC = "basic"
    REVERSED = "reversed"
    CLOZE = "cloze"
    CHOICE = "choice"
    TABLE = "table"

    def __str__(self) -> str:
        # str() of a str-mixin enum is "Kind.BASIC" (and f-strings too since 3.11);
        # messages and exports want the name the deck uses.
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a table-generated card comes from, for display and tags."""

    table_id: str
    table_title: str
    row_label: str
    row: str
    column: str


@dataclass(frozen=True, slots=True)
class Card:
    """One reviewable card. Text fields are Markdown written by the deck's author."""

    key: str
    deck_id: str
    note_id: str
    kind: Kind
    template: str  # front | forward | reverse | c1… | choice | recall | identify
    front: str
    back: str
    extra: str = ""
    tags: tuple[str, ...] = ()
    options: tuple[str, ...] = ()  # multiple choice, in display order
    answer_index: int = -1  # index of the right option
    sides: tuple[str, ...] = ()  # identify cards: the sides the learner may name
    answer_side: int = -1  # index of the right side
    origin: Origin | None = None
    line: int = 0  # 1-based line of the note in its deck file

    @property
    def content_hash(self) -> str:
        """Changes whenever what the learner sees changes."""
        import hashlib

        digest = hashlib.blake2b(digest_size=12)
        for part in (self.front, self.back, self.extra, *self.options, *self.tags):
            digest.update(part.encode())
            digest.update(b"\x00")
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    label: str
    cells: tuple[str, ...]
    tags: tuple[str, ...] = ()
    line: int = 0
    templates: tuple[tuple[str, ...], ...] = ()  # per column; () = the table's templates


@dataclass(frozen=True, slots=True)
class Table:
    """A comparison table: rows are aspects, columns are the things compared."""

    id: str
    title: str
    row_label: str
    columns: tuple[str, ...]
    templates: tuple[tuple[str, ...], ...]  # per column, in column order
    identify: str  # column | row | both
    rows: tuple[Row, ...]
    tags: tuple[str, ...] = ()
    line: int = 0
    distractors: str = "same-column"  # same-column | other-columns | mixed
    identify_prompt: str = ""  # what identify cards ask; "" = built from columns or row label


@dataclass(frozen=True, slots=True)
class Note:
    """What Anki calls a note: one source of one or more sibling cards."""

    id: str
    kind: Kind
    fields: dict[str, str]  # the note's own text, by field name (what its type's Anki fields need)
    tags: tuple[str, ...]
    cards: tuple[Card, ...]
    line: int = 0
    guid: str = ""  # the Anki GUID the deck gives it (``guid:``); "" = one made from its key


@dataclass(frozen=True, slots=True)
class Deck:
    id: str
    name: str
    path: Path
    description: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    # in the order their new cards are introduced: the deck's ``order:``, then file order
    notes: tuple[Note, ...] = field(default_factory=tuple)

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(card for note in self.notes for card in note.cards)
