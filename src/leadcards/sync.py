"""Keeping the card cache in step with the deck files.

New cards appear as new; a card whose wording changed keeps its history (its key did
not change); a card gone from its deck is hidden, not deleted, and comes back with its
history if it returns. Files whose size and mtime, or failing that whose bytes, are
unchanged are not parsed again: that keeps every command's start-up cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leadcards.deck.model import Deck
from leadcards.store import Store


@dataclass
class SyncReport:
    parsed: list[Path] = field(default_factory=list)
    added: int = 0
    changed: int = 0
    removed: int = 0
    restored: int = 0


def sync_files(store: Store, files: list[Path], now_ms: int) -> SyncReport:
    """Bring the cache up to date with ``files``; unchanged files cost one stat each."""
    report = SyncReport()
    stale, touch = _changed_files(store, files)
    if touch:
        with store.write() as conn:
            conn.executemany("UPDATE deck_files SET size = ?, mtime_ns = ? WHERE path = ?", touch)
    if stale:
        from leadcards.deck.catalog import load_all

        decks = load_all([p for p, *_ in stale])
        for deck, seen in zip(decks, stale, strict=True):
            sync_deck(store, deck, now_ms, report)
            _remember_file(store, deck, seen, now_ms)
            report.parsed.append(seen[0])
    return report


def sync_loaded(store: Store, decks: list[Deck], now_ms: int) -> SyncReport:
    """Like ``sync_files`` for decks the caller has already parsed: none is parsed again."""
    report = SyncReport()
    by_path = {str(deck.path.resolve()): deck for deck in decks}
    stale, touch = _changed_files(store, [deck.path for deck in decks])
    if touch:
        with store.write() as conn:
            conn.executemany("UPDATE deck_files SET size = ?, mtime_ns = ? WHERE path = ?", touch)
    for seen in stale:
        deck = by_path[str(seen[0].resolve())]
        sync_deck(store, deck, now_ms, report)
        _remember_file(store, deck, seen, now_ms)
    return report


_Seen = tuple[Path, int, int, str]  # path, size, mtime_ns, sha256


def _changed_files(
    store: Store, files: list[Path]
) -> tuple[list[_Seen], list[tuple[int, int, str]]]:
    """Files whose content changed since the last sync, and those only touched."""
    known = {row["path"]: row for row in store.conn.execute("SELECT * FROM deck_files")}
    stale: list[_Seen] = []
    touch: list[tuple[int, int, str]] = []
    for path in files:
        resolved = str(path.resolve())
        stat = path.stat()
        row = known.get(resolved)
        if row and row["size"] == stat.st_size and row["mtime_ns"] == stat.st_mtime_ns:
            continue
        import hashlib  # only for files whose size or mtime changed

        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if row and row["sha256"] == digest:
            touch.append((stat.st_size, stat.st_mtime_ns, resolved))
            continue
        stale.append((path, stat.st_size, stat.st_mtime_ns, digest))
    return stale, touch


def _remember_file(store: Store, deck: Deck, seen: _Seen, now_ms: int) -> None:
    path, size, mtime_ns, digest = seen
    with store.write() as conn:
        conn.execute(
            "INSERT INTO deck_files (path, deck_id, name, size, mtime_ns, sha256, "
            "synced_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
            "deck_id = excluded.deck_id, name = excluded.name, size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, "
            "synced_at = excluded.synced_at",
            (str(path.resolve()), deck.id, deck.name, size, mtime_ns, digest, now_ms),
        )


def sync_deck(store: Store, deck: Deck, now_ms: int, report: SyncReport | None = None) -> None:
    """Make the cache hold exactly this deck's cards, keeping every card's history."""
    report = report if report is not None else SyncReport()
    with store.write() as conn:
        existing = {
            key: (content_hash, removed)
            for key, content_hash, removed in conn.execute(
                "SELECT key, content_hash, removed FROM cards WHERE deck_id = ?", (deck.id,)
            )
        }
        position = conn.execute("SELECT coalesce(max(position), 0) FROM cards").fetchone()[0]
        inserts = []
        updates = []
        present = set()
        for card in deck.cards:
            present.add(card.key)
            content_hash = card.content_hash
            old = existing.get(card.key)
            if old is None:
                position += 1
                inserts.append(
                    (card.key, deck.id, card.note_id, card.template, content_hash, position, now_ms)
                )
            elif old != (content_hash, 0):
                updates.append((content_hash, card.key))
                if old[1]:
                    report.restored += 1
                else:
                    report.changed += 1
        gone = [
            (key,) for key, (_, removed) in existing.items() if key not in present and not removed
        ]
        conn.executemany(
            "INSERT INTO cards (key, deck_id, note_id, template, content_hash, position, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            inserts,
        )
        conn.executemany("UPDATE cards SET content_hash = ?, removed = 0 WHERE key = ?", updates)
        conn.executemany("UPDATE cards SET removed = 1 WHERE key = ?", gone)
    report.added += len(inserts)
    report.removed += len(gone)


def forget_missing_files(store: Store, now_ms: int) -> int:
    """Hide the cards of deck files that no longer exist; their history stays."""
    rows = store.conn.execute("SELECT path, deck_id FROM deck_files").fetchall()
    missing = [(row["path"], row["deck_id"]) for row in rows if not Path(row["path"]).exists()]
    if not missing:
        return 0
    with store.write() as conn:
        for path, deck_id in missing:
            conn.execute("UPDATE cards SET removed = 1 WHERE deck_id = ?", (deck_id,))
            conn.execute("DELETE FROM deck_files WHERE path = ?", (path,))
    return len(missing)
