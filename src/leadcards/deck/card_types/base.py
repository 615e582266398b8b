"""What a card type declares, as data: its YAML fields, its builder, its Anki note type.

Each kind is one module in this package exporting ``TYPE``; the loader and the
exporters look kinds up in the registry (``leadcards.deck.card_types``) instead of
branching on names, so a kind cannot be known to one of them and missing in another.

The Anki side is plain data too. A note type's fields are given as values to render
(``Markdown``, ``ClozeField``, ``Choices``, ``Flag``): the exporter turns them into safe
HTML, so this package never imports the HTML renderer, and no deck text reaches Anki
unescaped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from leadcards.deck.model import Card, Kind, Note, card_key

if TYPE_CHECKING:
    from yaml.nodes import Node

    from leadcards.deck.reader import Reader

# --- the Anki side ---------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """One Anki card template, and the leadcards template whose cards it makes."""

    makes: str  # the leadcards template ("front", "recall"…); "c<n>" for a cloze
    name: str
    qfmt: str
    afmt: str


_CLOZE_TEMPLATE = re.compile(r"c([1-9][0-9]*)")


@dataclass(frozen=True)
class NoteType:
    """One Anki note type. Its id is fixed forever: Anki knows a note type by its id,
    and a new id would make a second copy on every import.
    """

    model_id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    cloze: bool = False

    def ordinal(self, template: str) -> int:
        """The Anki card ordinal of a leadcards template: how a card's history finds its card.

        Raises ValueError for a template this note type does not make: guessing an
        ordinal would give one card another card's reviews.
        """
        if self.cloze:
            match = _CLOZE_TEMPLATE.fullmatch(template)
            if match:
                return int(match.group(1)) - 1
        else:
            for index, anki_template in enumerate(self.templates):
                if anki_template.makes == template:
                    return index
        raise ValueError(f"the Anki note type '{self.name}' makes no '{template}' card")


@dataclass(frozen=True, slots=True)
class Markdown:
    """Deck text for an Anki field; the exporter renders it as safe HTML."""

    text: str


@dataclass(frozen=True, slots=True)
class Choices:
    """Multiple-choice options for an Anki field, the right one marked for the back side."""

    options: tuple[str, ...]
    answer_index: int


@dataclass(frozen=True, slots=True)
class Flag:
    """A field that is "1" or empty: Anki makes a template's card only when it is set."""

    on: bool


@dataclass(frozen=True, slots=True)
class ClozeField:
    """Deck text for a field of a cloze note, where Anki reads ``{{c1::...}}`` as a deletion.

    The exporter carries over exactly the deletions leadcards read (``deletions``, the
    note's text) or none at all (its other fields), whatever the Markdown around them
    would otherwise make of braces.
    """

    text: str
    deletions: bool = True


AnkiField: TypeAlias = Markdown | Choices | Flag | ClozeField


def wrap(css: str, body: str) -> str:
    """A template body inside the block the shared stylesheet styles."""
    return f'<div class="lc lc-{css}">{body}</div>'


EXTRA = '{{#Extra}}<div class="lc-extra">{{Extra}}</div>{{/Extra}}'
ANSWER = '{{FrontSide}}<hr id="answer">'


# --- the type ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CardType:
    """What every kind declares: how its notes become Anki notes."""

    kind: Kind
    note_type: NoteType
    # The note's values in the order of ``note_type.fields``.
    anki_fields: Callable[[Note], tuple[AnkiField, ...]]


@dataclass(frozen=True, kw_only=True)
class EntryType(CardType):
    """A kind written one entry at a time in a deck's ``cards:`` list.

    ``fields`` are required, ``optional`` may be left out (besides the fields every
    card may have: id, type, tags, extra). The text fields are read and checked for
    the builder, which reads any list fields itself; ``id_from`` is the field a note
    id is derived from when the card has no ``id``.
    """

    fields: tuple[str, ...]
    optional: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    id_from: str
    build: Callable[[Entry], Note | None]

    # Cached: the loader asks for these for every card it reads.
    @functools.cached_property
    def allowed(self) -> tuple[str, ...]:
        """Every field of this kind, required first."""
        return self.fields + self.optional

    @functools.cached_property
    def texts(self) -> tuple[str, ...]:
        """The fields read as text for the builder (all but the lists)."""
        return tuple(name for name in self.allowed if name not in self.lists)


@dataclass(slots=True, kw_only=True)
class Entry:
    """One entry of ``cards:`` with the fields every kind shares already read.

    The builder turns it into a note; it reports its own problems through ``problem``
    (located at a field) and reads list fields through ``reader``. Not frozen: one
    is made per card on every load, and a frozen dataclass pays for each field set.
    """

    kind: Kind
    deck_id: str
    note_id: str
    values: dict[str, str]  # the kind's text fields, present and non-empty
    extra: str
    tags: tuple[str, ...]
    line: int
    node: Node
    nodes: dict[str, Node]
    reader: Reader

    def card(
        self,
        template: str,
        front: str,
        back: str,
        *,
        options: tuple[str, ...] = (),
        answer_index: int = -1,
    ) -> Card:
        """A card of this note; its key comes from the deck, the note id and ``template``."""
        return Card(
            key=card_key(self.deck_id, self.note_id, template),
            deck_id=self.deck_id,
            note_id=self.note_id,
            kind=self.kind,
            template=template,
            front=front,
            back=back,
            extra=self.extra,
            tags=self.tags,
            options=options,
            answer_index=answer_index,
            line=self.line,
        )

    def note(self, cards: list[Card], **more: str) -> Note:
        """The note: its text fields, then ``more``, then extra when there is one."""
        fields = {**self.values, **more}
        if self.extra:
            fields["extra"] = self.extra
        return Note(self.note_id, self.kind, fields, self.tags, tuple(cards), self.line)

    def problem(self, name: str, message: str) -> None:
        """Report a problem at field ``name``, or at the card when it has no such field."""
        self.reader.problem(self.nodes.get(name, self.node), message)
