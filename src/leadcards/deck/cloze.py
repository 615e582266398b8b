"""Anki's cloze syntax: ``{{c1::answer}}`` and ``{{c1::answer::hint}}``."""

from __future__ import annotations

import re

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


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
