"""Cloze fields as HTML for Anki: exactly the deletions leadcards read, and no others.

Anki finds deletions in a field's HTML, that is after the Markdown is rendered, and
Markdown moves braces about: escapes and entities become braces (``{\\{c2::x}}``,
``&#123;``), a link's address or a link definition swallows its text, an escaped colon
becomes a hint's ``::``. So the deletions leadcards read are swapped for private-use
characters (which Markdown treats like letters), the text is rendered, every other
brace is written as an entity (which Anki shows but never reads as a deletion), and the
deletions are put back. A deletion the Markdown swallowed is refused: the note would
lose a card in Anki.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

from leadcards.deck.card_types.base import ClozeField
from leadcards.deck.card_types.cloze import Deletion, parse_cloze

_TAG = re.compile(r"<[^>]*>")  # rendered Markdown escapes '<' and '>' everywhere but in tags
_PRIVATE_USE = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE))


class UnfaithfulField(ValueError):
    """A field Anki would read otherwise than leadcards; the message is one line."""


def cloze_html(field: ClozeField, render: Callable[[str], str]) -> str:
    """The field as HTML (``render`` turns Markdown into safe HTML) with inert braces,
    and, for a note's text, its deletions as ``{{cN::answer::hint}}``."""
    if not field.deletions:
        return _inert(render(field.text))
    pieces = parse_cloze(field.text)
    opening, hint, closing = _free_marks(field.text)
    source: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            source.append(piece)
        else:
            source += [opening, piece.answer]
            if piece.hint is not None:
                source += [hint, piece.hint]
            source.append(closing)
    marks = f"[{opening}{hint}{closing}]"
    expected = "".join(re.findall(marks, "".join(source)))
    html = _inert(render("".join(source)))
    if "".join(re.findall(marks, html)) != expected or (
        "".join(re.findall(marks, _TAG.sub("", html))) != expected
    ):
        raise UnfaithfulField(
            "a cloze deletion does not survive the Markdown around it "
            "(is it in a link's address or a link definition?)"
        )
    deletions = (p for p in pieces if isinstance(p, Deletion))
    return "".join(_restored(re.split(f"({marks})", html), deletions, opening, hint))


def _restored(
    parts: list[str], deletions: Iterator[Deletion], opening: str, hint: str
) -> Iterator[str]:
    """The HTML with the marks turned back into Anki's syntax.

    Inside an answer, a ``::`` the Markdown made (``\\:\\:``), or a colon just before the
    hint's, would start a hint in Anki; ``image-occlusion:`` at its start would make
    Anki draw a shape. Those colons are written as entities.
    """
    in_answer = False
    for index, part in enumerate(parts):
        if index % 2 == 0:
            if in_answer:
                part = part.replace("::", ":&#58;")
                if part.endswith(":"):
                    part = part[:-1] + "&#58;"
                if part.startswith("image-occlusion:"):
                    part = "image-occlusion&#58;" + part[len("image-occlusion:") :]
            yield part
        elif part == opening:
            in_answer = True
            yield f"{{{{c{next(deletions).number}::"
        else:
            in_answer = False
            yield "::" if part == hint else "}}"


def _inert(html: str) -> str:
    """HTML whose braces Anki shows but cannot read as a deletion."""
    return html.replace("{", "&#123;").replace("}", "&#125;")


def _free_marks(text: str) -> tuple[str, str, str]:
    """Three private-use characters the text does not contain."""
    used = set(text)
    codes = itertools.chain.from_iterable(_PRIVATE_USE)
    free = (chr(code) for code in codes if chr(code) not in used)
    marks = tuple(itertools.islice(free, 3))
    if len(marks) < 3:
        raise UnfaithfulField("the cloze text uses every private-use character")
    return marks[0], marks[1], marks[2]
