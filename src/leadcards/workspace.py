"""A command's context: the data folder, its open store synced with the decks, and one
``now`` for the whole command.

Every command starts by building one of these, so opening and syncing is written once
and every part of a command agrees on the time. Sync parses only the deck files that
changed since it last read them, and keeps their text in the store: commands that
count cards (``status``) or show them (``review``, ``cards``) never parse an unchanged
deck.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from leadcards import paths
from leadcards.clock import now, to_ms
from leadcards.deck import catalog
from leadcards.errors import DeckError, UsageError
from leadcards.store import Store, open_store
from leadcards.sync import forget_missing_files, sync_files

if TYPE_CHECKING:
    from leadcards.deck.catalog import Broken


class DeckInfo(NamedTuple):
    id: str
    name: str
    path: str


@dataclass
class Workspace:
    """One command's data folder, open store, decks and time; close it when done."""

    home: Path
    store: Store
    now_ms: int
    infos: list[DeckInfo] = field(default_factory=list)  # the decks the command is about
    broken: list[Broken] = field(default_factory=list)  # deck files skipped, for a warning

    @classmethod
    def open(
        cls,
        home: Path | str | None = None,
        *,
        sync: bool = True,
        decks: list[str] | None = None,
        now_ms: int | None = None,
        check: bool = True,
    ) -> Workspace:
        """Open the data folder.

        ``sync``: bring the cache up to date with every known deck file (unchanged files
        cost a stat); ``infos`` are then every known deck that loads. ``decks``: instead,
        the decks named (ids or files; every known deck when the list is empty), synced,
        so their text is in the store; a file named that does not load is an error.
        Neither: just the store (doctor, config). ``check``: refuse a file with a damaged
        page (off only for doctor, whose job is to say what is wrong).
        """
        home_dir = paths.home(home)
        at = now_ms if now_ms is not None else to_ms(now())
        store = open_store(home_dir, check=check)
        workspace = cls(home_dir, store, at)
        try:
            if decks is not None:
                workspace.infos = workspace._choose(decks)
            elif sync:
                workspace.infos = workspace._sync_known()
        except BaseException:
            store.close()
            raise
        return workspace

    def _sync_known(self) -> list[DeckInfo]:
        files = [f.path for f in catalog.deck_files(self.home)]  # first: it vets decks/
        return list(self._sync(files).values())

    def _sync(self, files: list[Path]) -> dict[Path, DeckInfo]:
        """Sync ``files``: the decks of those that load, by file as given, in order."""
        forget_missing_files(self.store)
        refused = sync_files(self.store, files, self.now_ms).broken
        self.broken.extend(refused)
        skipped = {b.path for b in refused}
        synced = self.store.deck_files()
        infos = {}
        for path in files:
            if path in skipped:  # status must not count cards a review cannot show
                continue
            row = synced.get(str(path.resolve()))
            if row is not None:
                infos[path] = DeckInfo(row.deck_id, row.name, row.path)
        return infos

    def _choose(self, names: list[str]) -> list[DeckInfo]:
        """The decks ``names`` name (every known one when it is empty), synced.

        A file named by path must load; an id no loading file has fails with the broken
        files' problems (the deck may be among them), else with the known ids.
        """
        if not names:
            return self._sync_known()
        by_path = [Path(n) for n in names if catalog.looks_like_path(n)]
        ids = [n for n in names if not catalog.looks_like_path(n)]
        known = [f.path for f in catalog.deck_files(self.home)] if ids else []
        found = self._sync([*known, *by_path])
        refused = [b for b in self.broken if b.path in by_path]
        if refused:  # a deck named on the command line: say why not
            raise DeckError([p for b in refused for p in b.problems])
        chosen = [found[path] for path in by_path]
        by_id = {found[path].id: found[path] for path in known if path in found}
        for deck_id in ids:
            if deck_id in by_id:
                chosen.append(by_id[deck_id])
            elif self.broken:
                raise DeckError([p for b in self.broken for p in b.problems])
            else:
                choices = ", ".join(sorted(by_id)) or "none"
                raise UsageError(f"no deck with id '{deck_id}' (known decks: {choices})")
        unique = {info.id: info for info in chosen}  # a deck named twice: once, first
        return list(unique.values())

    @property
    def deck_ids(self) -> list[str]:
        return [info.id for info in self.infos]

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
