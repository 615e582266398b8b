"""Small text rules that more than one part of the deck loader must apply the same way."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Sequence

# Markdown emphasis in deck text: **bold**, __bold__, *italic*, _italic_, `code`.
EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


# A backslash escape (``\\*`` shows an asterisk) and a hard line break (a backslash
# ending a line), as CommonMark reads them: imported text uses both. While emphasis is
# dropped, an escaped character waits in the private use plane, out of its way.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~\n])")
_SHELTER = 0xF0000
_SHELTERED = re.compile("[\U000f0000-\U000f007f]")


def plain(text: str) -> str:
    """Deck text with its Markdown emphasis and backslash escapes dropped, for places
    that cannot style it (line mode, which screen readers read aloud, and lists)."""
    if "\\" not in text:
        return EMPHASIS.sub(r"\2", text)
    sheltered = _ESCAPED.sub(lambda m: chr(_SHELTER + ord(m.group(1))), text)
    shown = EMPHASIS.sub(r"\2", sheltered)
    return _SHELTERED.sub(lambda m: chr(ord(m.group()) - _SHELTER), shown)


def fold(text: str) -> str:
    """Text as a learner would compare it: case and runs of whitespace ignored.

    Two options that fold alike would look like the same answer twice, so choice
    cards use this to refuse or skip them.
    """
    return " ".join(text.split()).casefold()


def closest(word: str, choices: Sequence[str]) -> str | None:
    """The choice a typo most likely meant, or None when nothing is close.

    The one "did you mean" rule of the deck loader, for field names and card types.
    """
    matches = difflib.get_close_matches(word, choices, n=1)
    return matches[0] if matches else None


def unique(*groups: Iterable[str]) -> tuple[str, ...]:
    """Every item of every group once, in first-seen order (tags from deck, table, row...)."""
    return tuple(dict.fromkeys(itertools.chain(*groups)))
