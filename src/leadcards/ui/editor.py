"""The `e` key: open the card's deck file in the learner's editor, then reload that deck.

Cards keep their keys across an edit, so fixing a typo mid-review keeps the card's
history. A deck the edit broke is not loaded: the old cards stay until it is fixed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

from leadcards import paths
from leadcards.deck.model import Card
from leadcards.errors import DeckError
from leadcards.session import Session


def make_editor(
    session: Session, before: Callable[[], None], after: Callable[[], None]
) -> Callable[[Card], str]:
    """An edit hook for the controller; it returns the message line to show.

    ``before`` and ``after`` hand the terminal to the editor and take it back.
    """

    def edit(card: Card) -> str:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            return "Set $EDITOR (or $VISUAL) to edit cards from the review."
        path = Path(session.decks[card.deck_id].path)
        builtin_dir = paths.builtin_decks_dir().resolve()
        if path.resolve().parent == builtin_dir:
            return (
                "The built-in deck is part of leadcards; copy it into your data folder's "
                "decks/ (with a new id) to make your own."
            )
        before()
        try:
            # The exit status is not checked: whatever the file now says is the deck.
            subprocess.call([*shlex.split(editor), f"+{card.line}", str(path)])
        except OSError as exc:
            return f"Could not start the editor {editor!r}: {exc.strerror}"
        finally:
            after()
        try:
            changed = session.reload_deck(path)
        except DeckError as exc:
            first = exc.problems[0]
            return f"The deck now has problems, kept the old cards: {first}"
        return f"Reloaded {path.name}: {changed} cards."

    return edit
