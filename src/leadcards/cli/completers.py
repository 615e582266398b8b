"""The completers the commands hand typer: each imports ``cli/completion.py``, which
reads the database, only when a shell asks for candidates.

No ``from __future__ import annotations`` here: typer reads every completer's signature
at every start-up, and annotations kept as strings would be compiled and evaluated
each time.
"""

import typer


def deck_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    from leadcards.cli import completion

    return completion.deck_ids(ctx, incomplete)


def card_keys(ctx: typer.Context, incomplete: str) -> list[str]:
    from leadcards.cli import completion

    return completion.card_keys(ctx, incomplete)


def decks_or_keys(ctx: typer.Context, incomplete: str) -> list[str]:
    from leadcards.cli import completion

    return completion.decks_or_keys(ctx, incomplete)


def setting_names(incomplete: str) -> list[str]:
    from leadcards.cli import completion

    return completion.setting_names(incomplete)
