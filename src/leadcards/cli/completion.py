"""Shell completion: deck ids, card keys and setting names, read from the user's data.

Imported only when a shell asks for candidates (by ``main`` and by the functions in
``completers``), so start-up never pays for it. It runs inside the user's shell at every
TAB, so it prints nothing but candidates: any failure (no database yet, a damaged or
locked file, an unreadable folder) offers nothing, and a data folder or database that
does not exist is never created.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

# typer's own bash protocol (the script `--install-completion` writes speaks it), and
# the registry it is looked up in: typer vendors click from 0.26 on.
from typer._click.shell_completion import CompletionItem, add_completion_class
from typer._completion_classes import BashComplete
from typer.main import get_command

from leadcards import paths

if TYPE_CHECKING:
    from leadcards.store import Store

# Card keys offered at most: a deck may hold 100,000, and a shell asks before listing
# more than 100. Typing more of the key narrows the list.
MAX_KEYS = 100


def complete(app: typer.Typer, complete_var: str) -> None:
    """Answer the shell's request in ``complete_var`` (typer's protocol) and exit."""
    command = get_command(app)
    add_completion_class(ColonAwareBash, "bash")  # after get_command registered typer's
    command.main(prog_name="leadcards", complete_var=complete_var)


def deck_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Ids of the decks the database knows: those any earlier command synced."""
    return _from_store(ctx, lambda store: _deck_ids(store, incomplete))


def card_keys(ctx: typer.Context, incomplete: str) -> list[str]:
    return _from_store(ctx, lambda store: _card_keys(store, incomplete))


def decks_or_keys(ctx: typer.Context, incomplete: str) -> list[str]:
    """Card keys once a colon is typed (a deck id never has one). Before that each deck
    id, and the id with a colon: the shell then stops after the id, where a space takes
    the deck and a colon goes on to its keys."""
    if ":" in incomplete:
        return card_keys(ctx, incomplete)
    return [each for deck in deck_ids(ctx, incomplete) for each in (deck, f"{deck}:")]


def setting_names(incomplete: str) -> list[str]:
    """Names alone: typer renders a help line through rich, which costs a heavy import
    at every TAB and wraps long lines into bogus candidates in fish."""
    from leadcards.settings import NAMES

    return [name for name in (*NAMES, "sync_dir") if name.startswith(incomplete)]


def _from_store(ctx: typer.Context, query: Callable[[Store], list[str]]) -> list[str]:
    """``query`` on the database of the ``--home`` already typed (else the default).
    Opening a missing file would create it, so a home without one offers nothing. The
    file is not checked for damage: that check guards writes, costs a scan of a changed
    file and notes its result beside it, and completion writes nothing (a damaged page
    it meets is one more failure)."""
    try:
        home = paths.home(ctx.params.get("home"))
        database = paths.database_path(home)
        if not database.is_file() or database.stat().st_size == 0:
            return []
        from leadcards.workspace import Workspace

        with Workspace.open(home, sync=False, check=False) as ws:
            return query(ws.store)
    except Exception:  # whatever it was, the shell's command line is no place to say so
        return []


def _deck_ids(store: Store, prefix: str) -> list[str]:
    return sorted({f.deck_id for f in store.deck_files().values() if f.deck_id.startswith(prefix)})


def _card_keys(store: Store, prefix: str) -> list[str]:
    """At most ``MAX_KEYS`` keys; when there are more, the last key is one of them. A
    shell types the longest start its candidates share, and the first and last keys in
    order share exactly what all of them share, so a cut list never makes it type more."""
    keys = store.card_keys(prefix, MAX_KEYS + 1)
    if len(keys) > MAX_KEYS:
        keys = keys[: MAX_KEYS - 1] + store.card_keys(prefix, 1, descending=True)
    return keys


class ColonAwareBash(BashComplete):
    """bash cuts words at colons (':' is in COMP_WORDBREAKS), so ``lvm:comparison:foc``
    arrives as ``lvm`` ``:`` ``comparison`` ``:`` ``foc``, and a candidate replaces only
    ``foc``. The pieces are glued back before click parses them, and each candidate goes
    back without the part before the word bash replaces (as bash-completion's
    ``__ltrim_colon_completions`` does)."""

    typed = 0  # characters of the glued word before the one bash replaces

    def get_completion_args(self) -> tuple[list[str], str]:
        args, incomplete = super().get_completion_args()
        if not incomplete:  # the cursor starts a new word
            return _glue_colons(args), incomplete
        *args, word = _glue_colons([*args, incomplete])
        # After a colon bash replaces nothing: its word is the colon itself.
        self.typed = len(word) - (0 if _colons(incomplete) else len(incomplete))
        return args, word

    def format_completion(self, item: CompletionItem) -> str:
        return super().format_completion(item)[self.typed :]


def _colons(word: str) -> bool:
    return bool(word) and not word.strip(":")


def _glue_colons(words: list[str]) -> list[str]:
    """``a`` ``:`` ``b`` → ``a:b``: each colon-only word joins its neighbours."""
    glued: list[str] = []
    previous = ""
    for word in words:
        if glued and (_colons(word) or _colons(previous)):
            glued[-1] += word
        else:
            glued.append(word)
        previous = word
    return glued
