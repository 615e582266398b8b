"""Which deck files were synced, which cards the decks hold, and their text.

Card rows are never deleted: a card gone from its deck is marked removed and comes back
with its history if it returns. Which cards exist is the decks' business; what happened
to them is the log's. A deck's text (each note as ``deck.packed`` writes it, and what
the deck says of itself) is a copy of its file as last synced, so commands that show
cards need not parse an unchanged deck; unlike a card row, it goes when its note does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from leadcards.scheduling import State
from leadcards.store.sql import StoreBase


class DeckFile(NamedTuple):
    """A deck file as last synced: its fingerprint and the deck it held."""

    path: str
    deck_id: str
    name: str
    size: int
    mtime_ns: int
    sha256: str


# What sync needs of a deck's card: (key, note_id, template, content_hash). A plain
# tuple: a first sync makes one per card of a deck that may hold 100,000.
CardText = tuple[str, str, str, str]
# A note's text as the store keeps it: (note_id, packed), in the deck's learning order.
NoteText = tuple[str, str]


class DeckText(NamedTuple):
    """What a deck says of itself, as its file last said it."""

    id: str
    name: str
    description: str
    source: str


@dataclass
class CardChanges:
    added: int = 0
    changed: int = 0
    removed: int = 0
    restored: int = 0


class DeckQueries(StoreBase):
    def deck_files(self) -> dict[str, DeckFile]:
        """Synced files by absolute path."""
        return {
            row["path"]: DeckFile(
                row["path"],
                row["deck_id"],
                row["name"],
                row["size"],
                row["mtime_ns"],
                row["sha256"],
            )
            for row in self._rows("SELECT * FROM deck_files ORDER BY path")
        }

    def touch_files(self, fingerprints: list[tuple[str, int, int]]) -> None:
        """Record new (path, size, mtime_ns) of files whose bytes did not change."""
        if fingerprints:
            with self._transaction():
                self._run_many(
                    "UPDATE deck_files SET size = ?, mtime_ns = ? WHERE path = ?",
                    [(size, mtime, path) for path, size, mtime in fingerprints],
                )

    def sync_deck(
        self,
        deck: DeckText,
        cards: list[CardText],
        notes: list[NoteText],
        at_ms: int,
        file: DeckFile | None = None,
    ) -> CardChanges:
        """Make the deck's rows exactly ``cards`` and its text exactly ``notes`` (and
        remember the file), in one transaction: a file is never remembered without its
        text.

        ``cards`` come in deck order, and so are the positions of its cards not yet
        introduced (new ones, and those still new): a deck that changes its order
        changes it for what a learner has not seen yet, and never touches a key, a
        history or the place of a card already studied. Those cards swap the
        positions they hold, so a deck whose order did not change writes none.
        """
        changes = CardChanges()
        deck_id = deck.id
        with self._transaction():
            existing = {
                row[0]: (row[1], bool(row[2]), row[3], row[4] == State.NEW)
                for row in self._rows(
                    "SELECT key, content_hash, removed, position, state FROM cards "
                    "WHERE deck_id = ?",
                    (deck_id,),
                )
            }
            position = int(self._value("SELECT coalesce(max(position), 0) FROM cards"))
            inserts, updates = [], []
            waiting: list[str] = []  # keys not yet introduced, in deck order
            places: list[int] = []  # the positions they hold or will hold
            for card in cards:  # one pass: a first sync meets every card of a large deck
                key, _, _, content_hash = card
                old = existing.get(key)
                if old is None:
                    position += 1
                    inserts.append([*card, deck_id, position, at_ms])
                    waiting.append(key)
                    places.append(position)
                    continue
                if old[3]:
                    waiting.append(key)
                    places.append(old[2])
                if old[:2] != (content_hash, False):
                    updates.append((content_hash, key))
                    if old[1]:
                        changes.restored += 1
                    else:
                        changes.changed += 1
            moves = self._reorder(waiting, places, existing, inserts)
            self._run_many(
                "INSERT INTO cards (key, note_id, template, content_hash, deck_id, position, "
                "added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                inserts,
            )
            self._run_many("UPDATE cards SET content_hash = ?, removed = 0 WHERE key = ?", updates)
            self._run_many("UPDATE cards SET position = ? WHERE key = ?", moves)
            present = {card[0] for card in cards}
            gone = [k for k, old in existing.items() if k not in present and not old[1]]
            self._run_many("UPDATE cards SET removed = 1 WHERE key = ?", [(k,) for k in gone])
            self._write_text(deck, notes)
            if file is not None:
                self._remember(file, deck_id, at_ms)
        changes.added = len(inserts)
        changes.removed = len(gone)
        return changes

    @staticmethod
    def _reorder(
        waiting: list[str],
        places: list[int],
        existing: dict[str, tuple[str, bool, int, bool]],
        inserts: list[list[object]],
    ) -> list[tuple[int, str]]:
        """Give the waiting cards, in deck order, the positions they hold, in increasing
        order: the inserts' rows get theirs in place, and the existing cards that must
        move are returned as ``(position, key)``."""
        if places == sorted(places):
            return []
        inserted = {row[0]: row for row in inserts}
        moves = []
        for key, place in zip(waiting, sorted(places), strict=True):
            row = inserted.get(key)
            if row is not None:
                row[5] = place
            elif existing[key][2] != place:
                moves.append((place, key))
        return moves

    def _write_text(self, deck: DeckText, notes: list[NoteText]) -> None:
        """Write the notes that differ from what is stored: an edit to one card of a large
        deck rewrites one row (a note moved in the order rewrites its place)."""
        self._run(
            "INSERT INTO decks (id, name, description, source) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
            "description = excluded.description, source = excluded.source",
            deck,
        )
        stored = self.placed_notes(deck.id)
        inserts, updates = [], []
        for seq, (note_id, body) in enumerate(notes):
            old = stored.pop(note_id, None)
            if old is None:
                inserts.append((deck.id, note_id, seq, body))
            elif old != (seq, body):
                updates.append((seq, body, deck.id, note_id))
        self._run_many(
            "INSERT INTO notes (deck_id, note_id, seq, body) VALUES (?, ?, ?, ?)", inserts
        )
        self._run_many(
            "UPDATE notes SET seq = ?, body = ? WHERE deck_id = ? AND note_id = ?", updates
        )
        self._run_many(
            "DELETE FROM notes WHERE deck_id = ? AND note_id = ?",
            [(deck.id, note_id) for note_id in stored],
        )

    def placed_notes(self, deck_id: str) -> dict[str, tuple[int, str]]:
        """The deck's notes: note_id → (its place in the order, packed)."""
        return {
            row[0]: (row[1], row[2])
            for row in self._rows(
                "SELECT note_id, seq, body FROM notes WHERE deck_id = ?", (deck_id,)
            )
        }

    def deck_text(self, deck_id: str) -> DeckText | None:
        row = self._one("SELECT id, name, description, source FROM decks WHERE id = ?", (deck_id,))
        return None if row is None else DeckText(*row)

    def note_texts(self, deck_id: str) -> list[NoteText]:
        """The deck's notes in its learning order."""
        return [
            (row[0], row[1])
            for row in self._rows(
                "SELECT note_id, body FROM notes WHERE deck_id = ? ORDER BY seq", (deck_id,)
            )
        ]

    def card_text(self, key: str) -> tuple[str, str, str, str] | None:
        """(deck_id, note_id, packed note, template) of the card; None when the card or
        its note's text is not stored."""
        row = self._one(
            "SELECT n.deck_id, n.note_id, n.body, c.template FROM cards c JOIN notes n "
            "ON n.deck_id = c.deck_id AND n.note_id = c.note_id WHERE c.key = ?",
            (key,),
        )
        return None if row is None else (row[0], row[1], row[2], row[3])

    def _remember(self, file: DeckFile, deck_id: str, at_ms: int) -> None:
        self._run(
            "INSERT INTO deck_files (path, deck_id, name, size, mtime_ns, sha256, synced_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
            "deck_id = excluded.deck_id, name = excluded.name, size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, "
            "synced_at = excluded.synced_at",
            (file.path, deck_id, file.name, file.size, file.mtime_ns, file.sha256, at_ms),
        )

    def drop_deck_files(self, files: list[DeckFile]) -> None:
        """Forget files that no longer exist; their decks' cards are marked removed —
        unless another file still holds the deck (left by an older version that let two
        files share an id): that one is then read afresh at the next sync."""
        if files:
            with self._transaction():
                for file in files:
                    self._run("DELETE FROM deck_files WHERE path = ?", (file.path,))
                    if self._value(
                        "SELECT count(*) FROM deck_files WHERE deck_id = ?", (file.deck_id,)
                    ):
                        self._run(
                            "UPDATE deck_files SET sha256 = '', size = -1 WHERE deck_id = ?",
                            (file.deck_id,),
                        )
                    else:
                        self._run("UPDATE cards SET removed = 1 WHERE deck_id = ?", (file.deck_id,))
                        self._run("DELETE FROM notes WHERE deck_id = ?", (file.deck_id,))
                        self._run("DELETE FROM decks WHERE id = ?", (file.deck_id,))
