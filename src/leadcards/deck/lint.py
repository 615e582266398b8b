"""Content warnings: cards that load fine but teach badly.

A deck can be valid and still ask a question whose prompt holds its answer, two
questions that look alike and want different answers, a cloze whose visible half
gives the deleted half away, or a choice whose right option is the only one echoing
the question. These are what a reviewer finds by hand, card by card; ``leadcards
check`` reports them as warnings (``--strict``: as errors). They are heuristics over
words, so each message says what it saw, for the author to judge.

A word is compared folded (case, Markdown emphasis and a plural ``s`` ignored), and
only content words count: "the", "which", "or" and the like never make a match. An
answer offered as one of the prompt's alternatives ("management or leadership?") is
not given away by being named there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from leadcards.deck.card_types.cloze import cloze_answers
from leadcards.deck.model import Card, Deck, Kind, Note, Table
from leadcards.deck.text import fold, plain
from leadcards.errors import Problem

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    _WORD.findall(
        """
    a about all also an and any are as at be been both but by can could did do does
    each every for from had has have he her here his how i if in into is it its me
    more most my no not of on one ones or our per rather she should so some such than
    that the their them then there these they this those to us was we were what when
    where whether which while who whom why will with would you your
    """
    )
)


def lint(deck: Deck) -> list[Problem]:
    """Every warning about the deck, located at its card's line, one line each."""
    path = str(deck.path)
    return [
        Problem(path, max(card.line, 1), 1, f"warning: {card.key}: {message}")
        for card, message in warnings(deck)
    ]


def words(text: str) -> set[str]:
    """The content words of deck text, folded: what two texts can be said to share."""
    return {_stem(w) for w in _WORD.findall(plain(text).casefold()) if w not in _STOPWORDS}


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def gives_away(prompt: str, answer: str) -> bool:
    """Whether every content word of ``answer`` is in ``prompt``, unless the prompt
    offers the answer as an alternative ("X or Y")."""
    wanted = words(answer)
    if not wanted or not wanted <= words(prompt):
        return False
    said = " ".join(_WORD.findall(plain(prompt).casefold()))
    phrase = " ".join(_WORD.findall(plain(answer).casefold()))
    offered = rf"(?:\b{re.escape(phrase)} or\b|\bor {re.escape(phrase)}\b)"
    return re.search(offered, said) is None


def warnings(deck: Deck) -> Iterator[tuple[Card, str]]:
    """Each card a warning is about (the later of two alike), with what is wrong."""
    tables = {table.id: table for table in deck.tables}
    asked: dict[str, Card] = {}
    for note in deck.notes:
        for card in note.cards:
            for message in _card_warnings(note, card, tables):
                yield card, message
            prompt = _prompt(card)
            first = asked.setdefault(prompt, card)
            if first is not card and fold(plain(first.back)) != fold(plain(card.back)):
                yield (
                    card,
                    f"asks the same as '{first.key}' (line {first.line}) "
                    "but wants a different answer",
                )


def _prompt(card: Card) -> str:
    """What the learner sees before answering, folded: the question and its options."""
    return "\x00".join(fold(plain(text)) for text in (card.front, *sorted(card.options)))


def _card_warnings(note: Note, card: Card, tables: dict[str, Table]) -> Iterator[str]:
    if card.kind == Kind.CLOZE:
        number = int(card.template[1:])
        for answer in cloze_answers(note.fields["text"], number):
            if gives_away(card.front, answer):
                yield f"cloze {card.template} shows its answer '{plain(answer)}' in its text"
        return
    if card.kind == Kind.TABLE and card.template == "identify":
        yield from _identify_warnings(note, card, tables)
    elif gives_away(card.front, card.back):
        yield f"the prompt contains its own answer '{plain(card.back)}'"
    if card.options:
        yield from _choice_warnings(card)


def _identify_warnings(note: Note, card: Card, tables: dict[str, Table]) -> Iterator[str]:
    """An identify card shows a cell and asks its side or row: the cell must not say it."""
    origin = card.origin
    if origin is None:
        return
    cell = note.fields["Cell"]
    asked = []
    if card.sides:
        asked.append(origin.column)
    table = tables.get(origin.table_id)
    if table is not None and table.identify != "column":
        asked.append(origin.row)
    for answer in asked:
        if gives_away(cell, answer):
            yield f"the cell shows its own answer '{answer}'"


def _choice_warnings(card: Card) -> Iterator[str]:
    folded = [fold(plain(option)) for option in card.options]
    repeated = sorted({o for o in folded if folded.count(o) > 1})
    if repeated:
        yield f"an option appears twice: '{repeated[0]}'"
    question = words(card.front)
    shared = [question & words(option) for option in card.options]
    echoed = shared[card.answer_index]
    others = [s for i, s in enumerate(shared) if i != card.answer_index]
    if echoed and not any(others):
        listed = ", ".join(sorted(echoed))
        yield f"the answer is the only option that shares a word with the question ({listed})"
