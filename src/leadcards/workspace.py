"""Opening the data folder for a command: the database, synced with the deck files.

Commands that only count cards (``status``) never parse an unchanged deck; commands
that show card text (``review``) load the decks they need.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leadcards import paths
from leadcards.clock import now, to_ms
from leadcards.deck import catalog
from leadcards.deck.model import Deck
from leadcards.store import Store, open_store
from leadcards.sync import forget_missing_files, sync_files, sync_loaded


@dataclass(frozen=True)
class DeckInfo:
    id: str
    name: str
    path: str


def open_synced(home_dir: Path) -> tuple[Store, list[DeckInfo]]:
    """The store with every known deck file synced, and those decks' ids and names."""
    store = open_store(home_dir)
    try:
        at = to_ms(now())
        forget_missing_files(store, at)
        files = [f.path for f in catalog.deck_files(home_dir)]
        sync_files(store, files, at)
        wanted = {str(p.resolve()) for p in files}
        infos = [
            DeckInfo(row["deck_id"], row["name"], row["path"])
            for row in store.conn.execute(
                "SELECT deck_id, name, path FROM deck_files ORDER BY path"
            )
            if row["path"] in wanted
        ]
    except BaseException:
        store.close()
        raise
    order = {str(p.resolve()): i for i, p in enumerate(files)}
    infos.sort(key=lambda info: order.get(info.path, len(order)))
    return store, infos


def open_with_decks(home_dir: Path, names: list[str]) -> tuple[Store, list[Deck]]:
    """The store synced with the named decks (all known ones when none are named)."""
    decks = catalog.resolve(names, home_dir)
    store = open_store(home_dir)
    try:
        at = to_ms(now())
        forget_missing_files(store, at)
        sync_loaded(store, decks, at)
    except BaseException:
        store.close()
        raise
    return store, decks


def data_home(option: Path | None) -> Path:
    return paths.home(option)
