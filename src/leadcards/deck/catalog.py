"""Finding decks: the built-in ones, the user's, or a path given on the command line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leadcards import paths
from leadcards.errors import DataFolderError, DeckError, Problem, UsageError

if TYPE_CHECKING:  # at run time only commands that parse decks load the model
    from leadcards.deck.model import Deck


@dataclass(frozen=True)
class DeckFile:
    path: Path
    builtin: bool


def deck_files(home_dir: Path) -> list[DeckFile]:
    """Every known deck file: built-in first, then ``$LEADCARDS_HOME/decks/*.yaml``."""
    found = [DeckFile(p, True) for p in sorted(paths.builtin_decks_dir().glob("*.yaml"))]
    user_dir = paths.user_decks_dir(home_dir)
    if user_dir.is_dir():
        if not os.access(user_dir, os.R_OK | os.X_OK):  # glob would find nothing, silently
            raise DataFolderError(
                f"cannot read the decks folder {user_dir}: permission denied "
                "(let this user read it, or move it aside)"
            )
        found += [
            DeckFile(p, False) for p in sorted([*user_dir.glob("*.yaml"), *user_dir.glob("*.yml")])
        ]
    return found


@dataclass(frozen=True)
class Broken:
    """A deck file that does not load. Commands other than ``check`` skip it with a
    warning, so one typo in one deck does not stop the learner's review of the others."""

    path: Path
    problems: list[Problem]
    clashes: bool = False  # loads, but another file already has its deck id

    def warning(self) -> str:
        first = self.problems[0]
        if self.clashes:
            return f"warning: {first}; this file is skipped — give one of the two another id"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return (
            f"warning: {first}{more}; this deck is skipped — "
            f"`leadcards check {self.path}` lists every problem"
        )


def load_each(files: list[Path]) -> tuple[list[Deck], list[Broken]]:
    """The files that load, and those that do not. Of two files claiming one deck id the
    first (built-in before the user's, then by name) is the deck; the other is skipped
    like a broken file, with a line saying which files clash."""
    loaded, broken = _load(files)
    decks: list[Deck] = []
    seen: dict[str, Deck] = {}
    for deck in loaded:
        first = seen.setdefault(deck.id, deck)
        if first is deck:
            decks.append(deck)
        else:
            broken.append(Broken(deck.path, [clash(deck.path, deck.id, first.path)], True))
    return decks, broken


def clash(path: Path | str, deck_id: str, owner: Path | str) -> Problem:
    """The problem of a second file claiming a deck id: cards belong to one file only."""
    return Problem(str(path), 1, 1, f"deck id '{deck_id}' is already used by {owner}")


def load_all(files: list[Path]) -> list[Deck]:
    """Load every file, gathering all problems of all files into one DeckError."""
    decks, broken = _load(files)
    _refuse_shared_ids(decks, [p for b in broken for p in b.problems])
    return decks


def _load(files: list[Path]) -> tuple[list[Deck], list[Broken]]:
    from leadcards.deck.load import load_deck  # yaml is imported only when a deck is parsed

    decks: list[Deck] = []
    broken: list[Broken] = []
    for path in files:
        try:
            decks.append(load_deck(path))
        except DeckError as exc:
            broken.append(Broken(path, exc.problems))
    return decks, broken


def _refuse_shared_ids(decks: list[Deck], problems: list[Problem]) -> None:
    """Raise every problem at once, adding one for each deck id claimed twice."""
    seen: dict[str, Deck] = {}
    for deck in decks:
        first = seen.setdefault(deck.id, deck)
        if first is not deck:
            problems.append(clash(deck.path, deck.id, first.path))
    if problems:
        raise DeckError(problems)


def looks_like_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name


def resolve(names: list[str], home_dir: Path, broken: list[Broken] | None = None) -> list[Deck]:
    """Decks named by id or path; all known decks when ``names`` is empty.

    Known files that do not load are skipped and added to ``broken`` for a warning; a
    file named by path must load, and an id no loading file has fails with the broken
    files' problems (the deck may be among them).
    """
    skipped = broken if broken is not None else []
    if not names:
        decks, bad = load_each([f.path for f in deck_files(home_dir)])
        skipped.extend(bad)
        return decks
    by_path = [Path(n) for n in names if looks_like_path(n)]
    ids = [n for n in names if not looks_like_path(n)]
    decks = load_all(by_path)
    if ids:
        every, bad = load_each([f.path for f in deck_files(home_dir)])
        known = {d.id: d for d in every}
        for deck_id in ids:
            if deck_id in known:
                decks.append(known[deck_id])
            elif bad:
                raise DeckError([p for b in bad for p in b.problems])
            else:
                choices = ", ".join(sorted(known)) or "none"
                raise UsageError(f"no deck with id '{deck_id}' (known decks: {choices})")
        skipped.extend(bad)
    return decks
