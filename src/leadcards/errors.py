"""Project exceptions.

Every failure a user can cause is one of these, so the CLI can print a sentence and
exit non-zero instead of showing a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

# What str.splitlines breaks at: a message quoting deck text must not.
_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


class ExitStatus(IntEnum):
    """Every exit code leadcards uses, in one place."""

    OK = 0
    ERROR = 1  # a LeadcardsError: damaged file, broken deck, doctor found problems
    USAGE = 2  # a command given something it cannot work with
    INTERRUPTED = 130  # Ctrl-C, as shells report a SIGINT death (128 + 2)


class LeadcardsError(Exception):
    """A user-facing failure: its message is printed as is, on one line."""

    exit_code: int = ExitStatus.ERROR


@dataclass(frozen=True)
class Problem:
    """One located problem in a deck file."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        """``path:line:column: message`` on one line, even when the message quotes deck
        text (or the path has) a line break: it is shown escaped, as ``\\n``."""
        line = f"{self.path}:{self.line}:{self.column}: {self.message}"
        return _LINE_BREAK.sub(lambda m: repr(m.group())[1:-1], line)


class DeckError(LeadcardsError):
    """One or more problems in deck files; all are reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))


class StoreError(LeadcardsError):
    """The database cannot be opened or used as asked."""


class BadRow(StoreError):
    """A row of the file holds what leadcards never writes — a rating of 9, a setting
    that is not JSON, a time in year 3000 — from a hand edit, a damaged disk or an older
    version. Reading stops at it rather than guess, naming it and what to do."""

    def __init__(
        self, row: str, problem: str, hint: str = "`leadcards doctor` lists every such row"
    ) -> None:
        self.row = row  # which row: "log event <id>", "setting <key> in the settings table"
        self.problem = problem
        super().__init__(f"{row} {problem}; {hint}")


class DataFolderError(LeadcardsError):
    """The data folder or its ``decks/`` cannot be used: not a folder, or not readable."""


class PackageError(LeadcardsError):
    """A file given to import is not an Anki package leadcards can read: not a zip, no
    collection inside, damaged, or made by a newer Anki."""


class UsageError(LeadcardsError):
    """A command was given something it cannot work with (unknown deck, bad value)."""

    exit_code = ExitStatus.USAGE


class CardNotFound(UsageError):
    """A command named a card key the database does not have."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"no card with key '{key}' (see `leadcards cards` for keys)")
