"""Finding decks: the built-in ones, the user's, or a path given on the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leadcards import paths
from leadcards.errors import DeckError, Problem, UsageError

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
        found += [
            DeckFile(p, False) for p in sorted([*user_dir.glob("*.yaml"), *user_dir.glob("*.yml")])
        ]
    return found


def load_all(files: list[Path]) -> list[Deck]:
    """Load every file, gathering all problems of all files into one DeckError."""
    from leadcards.deck.load import load_deck  # yaml is imported only when a deck is parsed

    decks: list[Deck] = []
    problems: list[Problem] = []
    for path in files:
        try:
            decks.append(load_deck(path))
        except DeckError as exc:
            problems.extend(exc.problems)
    seen: dict[str, Deck] = {}
    for deck in decks:
        if deck.id in seen:
            problems.append(
                Problem(
                    str(deck.path),
                    1,
                    1,
                    f"deck id '{deck.id}' is already used by {seen[deck.id].path}",
                )
            )
        seen[deck.id] = deck
    if problems:
        raise DeckError(problems)
    return decks


def looks_like_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name


def resolve(names: list[str], home_dir: Path) -> list[Deck]:
    """Decks named by id or path; all known decks when ``names`` is empty."""
    if not names:
        return load_all([f.path for f in deck_files(home_dir)])
    by_path = [Path(n) for n in names if looks_like_path(n)]
    ids = [n for n in names if not looks_like_path(n)]
    decks = load_all(by_path)
    if ids:
        known = {d.id: d for d in load_all([f.path for f in deck_files(home_dir)])}
        for deck_id in ids:
            if deck_id not in known:
                choices = ", ".join(sorted(known)) or "none"
                raise UsageError(f"no deck with id '{deck_id}' (known decks: {choices})")
            decks.append(known[deck_id])
    return decks
