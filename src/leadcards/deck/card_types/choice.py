"""The ``choice`` card type: a question, its answer and 1 to 3 distractors shown with it.

The options' order is drawn once from the card key (``deck.choices``), so it is the
same everywhere; the Anki note carries the options in that order.
"""

from __future__ import annotations

from leadcards.deck.card_types.base import (
    EXTRA,
    AnkiField,
    Choices,
    Entry,
    EntryType,
    Markdown,
    NoteType,
    Template,
    wrap,
)
from leadcards.deck.choices import choose_options
from leadcards.deck.model import Kind, Note, card_key
from leadcards.deck.text import fold

_QUESTION = '<div class="lc-q">{{Question}}</div>{{Options}}'
NOTE_TYPE = NoteType(
    1_732_104_004,
    "leadcards Choice",
    ("Question", "Options", "Extra"),
    (
        Template(
            "choice",
            "Choice",
            wrap("choice", _QUESTION),
            wrap("choice lc-revealed", _QUESTION + EXTRA),
        ),
    ),
)


def build(entry: Entry) -> Note | None:
    answer = entry.values["answer"]
    distractors = entry.reader.texts(entry.nodes.get("distractors"), "distractors")
    folded = {fold(d) for d in distractors}
    if fold(answer) in folded:
        entry.problem("distractors", "the answer is also listed among the distractors")
        return None
    if not folded:
        entry.problem("distractors", "a choice card needs at least 2 options: add distractors")
        return None
    if len(folded) != len(distractors):
        entry.problem("distractors", "the same distractor is listed twice")
        return None
    key = card_key(entry.deck_id, entry.note_id, "choice")
    options, answer_index = choose_options(key, answer, [list(distractors)])
    card = entry.card(
        "choice", entry.values["question"], answer, options=options, answer_index=answer_index
    )
    return entry.note([card], distractors="\n".join(distractors))


def anki_fields(note: Note) -> tuple[AnkiField, ...]:
    card = note.cards[0]
    return Markdown(card.front), Choices(card.options, card.answer_index), Markdown(card.extra)


TYPE = EntryType(
    kind=Kind.CHOICE,
    fields=("question", "answer", "distractors"),
    lists=("distractors",),
    id_from="question",
    build=build,
    note_type=NOTE_TYPE,
    anki_fields=anki_fields,
)
