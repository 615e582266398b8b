"""Keeping the card cache, and the decks' text, in step with the deck files.

New cards appear as new; a card whose wording changed keeps its history (its key did
not change); a card gone from its deck is hidden, not deleted, and comes back with its
history if it returns. A deck id belongs to one file: a second file claiming it (a
copy) is refused, since syncing it would hide every card the copy lacks. Files whose
size and mtime, or failing that whose bytes, are unchanged are not parsed again: that
keeps every command's start-up cheap, and what a command shows of them comes from the
text stored at their last sync.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from leadcards.deck.files import deck_stat, present, read_deck_bytes
from leadcards.errors import DeckError
from leadcards.store import CardChanges, CardText, DeckFile, DeckText, NoteText, Store

if TYPE_CHECKING:  # at run time only commands that parse decks load these
    from leadcards.deck.catalog import Broken
    from leadcards.deck.model import Deck


@dataclass
class SyncReport(CardChanges):
    """Card changes over all files synced, and which files had to be parsed."""

    parsed: list[Path] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)  # skipped: their cards stay as they are

    def add(self, more: CardChanges) -> None:
        self.added += more.added
        self.changed += more.changed
        self.removed += more.removed
        self.restored += more.restored


def sync_files(
    store: Store,
    files: list[Path],
    now_ms: int,
    parsed: dict[str, Deck] | None = None,
) -> SyncReport:
    """Bring the cache up to date with ``files``; unchanged files cost one stat each.

    Decks the caller already parsed (by resolved path, in ``parsed``) are not parsed again.
    """
    report = SyncReport()
    stale = changed_files(store, files, broken=report.broken)
    if not stale:
        return report
    parsed = parsed or {}
    given: dict[str, Path] = {}  # the files as named, which problems name them by
    for path in files:
        with contextlib.suppress(OSError, RuntimeError):  # a loop is never stale
            given.setdefault(str(path.resolve()), path)
    missing = [given[seen.path] for seen in stale if seen.path not in parsed]
    if missing:
        from leadcards.deck.catalog import load_each

        decks, broken = load_each(missing)
        report.broken += broken
        for loaded in decks:
            parsed[str(loaded.path.resolve())] = loaded
    owners = {f.deck_id: f.path for f in store.deck_files().values() if present(Path(f.path))}
    for seen in stale:
        deck = parsed.get(seen.path)
        if deck is None:  # broken: not remembered, so it is read again next time
            continue
        owner = owners.setdefault(deck.id, seen.path)
        if owner != seen.path:  # a copy of another file's deck: it must not touch its cards
            from leadcards.deck.catalog import Broken, clash

            problem = clash(seen.path, deck.id, owner)
            report.broken.append(Broken(given[seen.path], [problem], clashes=True))
            continue
        file = DeckFile(seen.path, deck.id, deck.name, seen.size, seen.mtime_ns, seen.sha256)
        report.add(sync_deck(store, deck, now_ms, file))
        report.parsed.append(Path(seen.path))
    return report


def changed_files(
    store: Store, files: list[Path], *, touch: bool = True, broken: list[Broken] | None = None
) -> list[DeckFile]:
    """Files whose content changed since the last sync; files only touched are re-stamped
    (unless ``touch`` is off: doctor only looks). Files that cannot be read (a pipe, a
    folder, a link to nothing) are left out, and added to ``broken`` when it is given."""
    known = store.deck_files()
    stale: list[DeckFile] = []
    touched: list[tuple[str, int, int]] = []
    seen: set[str] = set()  # a file named twice (by id and by path) is one file
    for path in files:
        try:
            stat = deck_stat(path)  # never opens what is not a regular file
            resolved = str(path.resolve())
            if resolved in seen:
                continue
            seen.add(resolved)
            row = known.get(resolved)
            if row and row.size == stat.st_size and row.mtime_ns == stat.st_mtime_ns:
                continue
            import hashlib  # only for files whose size or mtime changed

            digest = hashlib.sha256(read_deck_bytes(path)).hexdigest()
        except DeckError as exc:
            if broken is not None:
                from leadcards.deck.catalog import Broken

                broken.append(Broken(path, exc.problems))
            continue
        if row and row.sha256 == digest:
            touched.append((resolved, stat.st_size, stat.st_mtime_ns))
            continue
        stale.append(DeckFile(resolved, "", "", stat.st_size, stat.st_mtime_ns, digest))
    if touch:
        store.touch_files(touched)
    return stale


def sync_deck(store: Store, deck: Deck, now_ms: int, file: DeckFile | None = None) -> CardChanges:
    """Make the cache hold exactly this deck's cards and text, keeping every card's history."""
    from leadcards.deck.packed import pack_note

    cards: list[CardText] = [(c.key, c.note_id, c.template, c.content_hash) for c in deck.cards]
    notes: list[NoteText] = [(note.id, pack_note(note)) for note in deck.notes]
    about = DeckText(deck.id, deck.name, deck.description, deck.source)
    return store.sync_deck(about, cards, notes, now_ms, file)


def forget_missing_files(store: Store, exists: Callable[[Path], bool] = present) -> int:
    """Hide the cards of deck files that no longer exist; their history stays."""
    missing = [f for f in store.deck_files().values() if not exists(Path(f.path))]
    store.drop_deck_files(missing)
    return len(missing)
