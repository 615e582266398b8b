"""Project exceptions.

Every failure a user can cause is one of these, so the CLI can print a sentence and
exit non-zero instead of showing a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C, as shells report a SIGINT death (128 + 2)."""


class LeadcardsError(Exception):
    """A user-facing failure: its message is printed as is, on one line."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One located problem in a deck file."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class DeckError(LeadcardsError):
    """One or more problems in deck files; all are reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))


class StoreError(LeadcardsError):
    """The database cannot be opened or used as asked."""


class UsageError(LeadcardsError):
    """A command was given something it cannot work with (unknown deck, bad value)."""

    exit_code = 2
