"""Cards from comparison tables.

Each cell is a note with up to three cards: recall (aspect and side → the cell),
identify (the cell → which side and/or which aspect) and choice (the cell among
distractors from the same table). Options are drawn with a generator seeded by the
card key, so a card shows the same options in the same order on every machine.
"""

from __future__ import annotations

import hashlib
import random

from leadcards.deck.model import Card, Note, Origin, Table, card_key, slugify

TABLE_TEMPLATES = ("recall", "identify", "choice")
IDENTIFY_MODES = ("both", "column", "row")
CHOICE_OPTIONS = 4


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def seeded_random(key: str) -> random.Random:
    """A generator that depends only on ``key``: same card, same options, anywhere."""
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def choose_options(key: str, answer: str, groups: list[list[str]]) -> tuple[tuple[str, ...], int]:
    """Up to three distractors plus the answer, in a shuffled but fixed order.

    ``groups`` are ordered by preference (same column first) and shuffled within
    themselves; candidates equal to the answer, or to each other, after folding case
    and spaces, are skipped.
    """
    rng = seeded_random(key)
    seen = {_normal(answer)}
    distractors: list[str] = []
    for group in groups:
        for text in _draw(rng, group, CHOICE_OPTIONS - 1 - len(distractors)):
            if len(distractors) < CHOICE_OPTIONS - 1 and _normal(text) not in seen:
                seen.add(_normal(text))
                distractors.append(text)
    options = [answer, *distractors]
    rng.shuffle(options)
    return tuple(options), options.index(answer)


def _draw(rng: random.Random, group: list[str], wanted: int) -> list[str]:
    """Candidates from ``group`` in a seeded order, without shuffling a large group whole.

    A few more than wanted are drawn, since some may equal the answer or each other;
    only when those are not enough is the whole group shuffled.
    """
    if wanted <= 0 or not group:
        return []
    sample = rng.sample(group, min(len(group), wanted + 4))
    if len(sample) == len(group) or len({_normal(t) for t in sample}) > wanted:
        return sample
    rest = list(group)
    rng.shuffle(rest)
    return sample + rest


def identify_prompt(table: Table) -> str:
    sides = " or ".join(table.columns)
    if table.identify == "column":
        return f"{sides}?"
    if table.identify == "row":
        return f"Which {table.row_label.lower()}?"
    return f"{sides} — and which {table.row_label.lower()}?"


def identify_answer(table: Table, row_label: str, column: str) -> str:
    if table.identify == "column":
        return f"**{column}** ({row_label})"
    if table.identify == "row":
        return f"**{row_label}** ({column})"
    return f"**{column}** — {row_label}"


def table_notes(deck_id: str, table: Table, deck_tags: tuple[str, ...]) -> list[Note]:
    """One note per cell, carrying the templates the table asks for."""
    notes: list[Note] = []
    column_ids = [slug_column(c) for c in table.columns]
    # Distractor pools, built once: the cell's own column first (parallel wording),
    # then the whole table. The answer itself is skipped when options are drawn.
    by_column = [[row.cells[i] for row in table.rows] for i in range(len(table.columns))]
    every_cell = [cell for row in table.rows for cell in row.cells]
    for row in table.rows:
        for col_index, column in enumerate(table.columns):
            cell = row.cells[col_index]
            note_id = f"{table.id}:{row.id}:{column_ids[col_index]}"
            tags = _merge_tags(
                deck_tags,
                table.tags,
                row.tags,
                (
                    f"table::{table.id}",
                    f"{table.id}::{row.id}",
                    f"{table.id}::{column_ids[col_index]}",
                ),
            )
            origin = Origin(table.id, table.title, table.row_label, row.label, column)
            cards = []
            for template in table.templates:
                key = card_key(deck_id, note_id, template)
                common = dict(
                    key=key,
                    deck_id=deck_id,
                    note_id=note_id,
                    kind="table",
                    template=template,
                    tags=tags,
                    origin=origin,
                    line=row.line,
                )
                if template == "recall":
                    front = f"**{row.label}** ({table.row_label}) — {column}?"
                    cards.append(Card(front=front, back=cell, **common))
                elif template == "identify":
                    sides = table.columns if table.identify != "row" else ()
                    cards.append(
                        Card(
                            front=f"{cell}\n\n*{identify_prompt(table)}*",
                            back=identify_answer(table, row.label, column),
                            sides=sides,
                            answer_side=col_index if sides else -1,
                            **common,
                        )
                    )
                else:
                    options, answer_index = choose_options(
                        key, cell, [by_column[col_index], every_cell]
                    )
                    front = f"**{row.label}** ({table.row_label}) — {column}: which one?"
                    cards.append(
                        Card(
                            front=front,
                            back=cell,
                            options=options,
                            answer_index=answer_index,
                            **common,
                        )
                    )
            fields = {
                "Table": table.title or table.id,
                "RowLabel": table.row_label,
                "Row": row.label,
                "Column": column,
                "Cell": cell,
            }
            notes.append(Note(note_id, "table", fields, tags, tuple(cards), row.line))
    return notes


def slug_column(name: str) -> str:
    return slugify(name) or "column"


def _merge_tags(*groups: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for tag in group:
            seen.setdefault(tag, None)
    return tuple(seen)
