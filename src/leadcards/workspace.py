"""A command's context: the data folder, its open store synced with the decks, and one
``now`` for the whole command.

Every command starts by building one of these, so opening and syncing is written once
and every part of a command agrees on the time. Commands that only count cards
(``status``) never parse an unchanged deck; commands that show card text (``review``)
parse the decks they need, and sync reuses what they parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from leadcards import paths
from leadcards.clock import now, to_ms
from leadcards.deck import catalog
from leadcards.errors import DeckError
from leadcards.store import Store, open_store
from leadcards.sync import forget_missing_files, sync_files

if TYPE_CHECKING:  # at run time only commands that parse decks load the model
    from leadcards.deck.catalog import Broken
    from leadcards.deck.model import Deck


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
    infos: list[DeckInfo] = field(default_factory=list)
    decks: list[Deck] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)  # deck files skipped, for a warning

    @classmethod
    def open(
        cls,
        home: Path | str | None = None,
        *,
        sync: bool = True,
        parse: list[str] | None = None,
        loaded: list[Deck] | None = None,
        now_ms: int | None = None,
        check: bool = True,
    ) -> Workspace:
        """Open the data folder.

        ``sync``: bring the cache up to date with every known deck file (unchanged files
        cost a stat). ``parse``: also load these decks (ids or paths; all known decks when
        the list is empty) and sync exactly them; ``loaded``: the same for decks the caller
        has parsed already. Neither: just the store (doctor, config). ``check``: refuse a
        file with a damaged page (off only for doctor, whose job is to say what is wrong).
        """
        home_dir = paths.home(home)
        at = now_ms if now_ms is not None else to_ms(now())
        broken: list[Broken] = []
        decks = catalog.resolve(parse, home_dir, broken) if parse is not None else loaded or []
        store = open_store(home_dir, check=check)
        workspace = cls(home_dir, store, at, decks=decks, broken=broken)
        try:
            if parse is not None or loaded is not None:
                forget_missing_files(store)
                parsed = {str(d.path.resolve()): d for d in decks}
                refused = sync_files(store, [d.path for d in decks], at, parsed).broken
                if refused and parse:  # a deck named on the command line: say why not
                    raise DeckError([p for b in refused for p in b.problems])
                skipped = {b.path.resolve() for b in refused}
                workspace.decks = [d for d in decks if d.path.resolve() not in skipped]
                broken.extend(refused)
                workspace.infos = [DeckInfo(d.id, d.name, str(d.path)) for d in workspace.decks]
            elif sync:
                workspace.infos = workspace._sync_known()
        except BaseException:
            store.close()
            raise
        return workspace

    def _sync_known(self) -> list[DeckInfo]:
        files = [f.path for f in catalog.deck_files(self.home)]  # first: it vets decks/
        forget_missing_files(self.store)
        self.broken = sync_files(self.store, files, self.now_ms).broken
        skipped = {b.path for b in self.broken}
        synced = self.store.deck_files()
        infos = []
        for path in files:
            if path in skipped:  # status must not count cards a review cannot show
                continue
            row = synced.get(str(path.resolve()))
            if row is not None:
                infos.append(DeckInfo(row.deck_id, row.name, row.path))
        return infos

    @property
    def deck_ids(self) -> list[str]:
        return [info.id for info in self.infos]

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
