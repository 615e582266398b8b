"""The ``cloze`` card type, in Anki's syntax: ``{{c1::answer}}`` and ``{{c1::answer::hint}}``.

One card per deletion number; the Anki note carries the text as written, and Anki
makes the same cards from it.
"""

from __future__ import annotations

import re

from leadcards.deck.card_types.base import (
    EXTRA,
    AnkiField,
    Entry,
    EntryType,
    Markdown,
    NoteType,
    Template,
    wrap,
)
from leadcards.deck.model import Kind, Note

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)

NOTE_TYPE = NoteType(
    1_732_104_003,
    "leadcards Cloze",
    ("Text", "Extra"),
    (
        Template(
            "c<n>",
            "Cloze",
            wrap("cloze", "{{cloze:Text}}"),
            wrap("cloze", "{{cloze:Text}}" + EXTRA),
        ),
    ),
    cloze=True,
)


def cloze_numbers(text: str) -> list[int]:
    """The distinct deletion numbers in ``text``, ascending: one card each."""
    return sorted({int(m.group(1)) for m in CLOZE_RE.finditer(text)})


def render_cloze(text: str, number: int, *, reveal: bool) -> str:
    """Markdown for cloze card ``number``: its deletions hidden, or shown in bold.

    Other deletions always show their answer, as Anki does.
    """

    def replace(match: re.Match[str]) -> str:
        answer, hint = match.group(2), match.group(3)
        if int(match.group(1)) != number:
            return answer
        if reveal:
            return f"**{answer}**"
        return f"[{hint}]" if hint else "[...]"

    return CLOZE_RE.sub(replace, text)


def cloze_answers(text: str, number: int) -> list[str]:
    return [m.group(2) for m in CLOZE_RE.finditer(text) if int(m.group(1)) == number]


def build(entry: Entry) -> Note | None:
    text = entry.values["text"]
    numbers = cloze_numbers(text)
    if not numbers:
        entry.problem("text", "cloze text has no deletion: mark one like {{c1::answer}}")
        return None
    if numbers[0] < 1:
        entry.problem("text", "cloze numbers start at 1: Anki ignores {{c0::...}}")
        return None
    cards = []
    for number in numbers:
        if any(not answer.strip() for answer in cloze_answers(text, number)):
            entry.problem("text", f"cloze deletion c{number} is empty")
            return None
        hidden = render_cloze(text, number, reveal=False)
        cards.append(entry.card(f"c{number}", hidden, render_cloze(text, number, reveal=True)))
    return entry.note(cards)


def anki_fields(note: Note) -> tuple[AnkiField, ...]:
    return Markdown(note.fields["text"]), Markdown(note.cards[0].extra)


TYPE = EntryType(
    kind=Kind.CLOZE,
    fields=("text",),
    id_from="text",
    build=build,
    note_type=NOTE_TYPE,
    anki_fields=anki_fields,
)
