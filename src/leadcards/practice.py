"""Cramming: which cards a practice session shows, in what order, and the queue it draws
them from.

A cram session is Anki's filtered deck without rescheduling: any card that is not
suspended or buried may come, new or seen, and no answer changes a schedule. So the
cards are chosen once, at the start, from the cache as it is; nothing the session logs
can move them.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from leadcards.clock import from_ms
from leadcards.scheduling import State
from leadcards.store import Store

if TYPE_CHECKING:  # random is imported by cram alone: review's start-up stays as it was
    import random

AGAIN_GAP = 3
"""A card rated Again comes back after this many other cards (sooner if fewer are left),
as Anki's preview brings an Again card back a minute later."""


def practice_keys(
    store: Store,
    deck_ids: list[str],
    now_ms: int,
    *,
    only: set[str] | None = None,
    weakest: int | None = None,
) -> list[str]:
    """The keys a cram session shows, in order.

    ``weakest``: the N seen cards least likely to be recalled now, lowest retrievability
    first (new cards have no memory to be weak in; ties go in deck order). Otherwise
    every card, shuffled (see ``spread``) with the session's start as the seed: a given
    ``LEADCARDS_NOW`` gives a given order.
    """
    at = from_ms(now_ms)
    chosen: list[tuple[float, int, str]] = []
    notes: dict[str, list[str]] = {}
    for deck_id in deck_ids:
        scheduler = store.scheduler(deck_id)
        for row in store.deck_cards(deck_id):
            record = row.record
            if record.suspended or (record.buried_until or 0) > now_ms:
                continue
            if only is not None and row.key not in only:
                continue
            if weakest is None:
                notes.setdefault(f"{deck_id}:{row.note_id}", []).append(row.key)
            elif row.memory.state != State.NEW:
                recall = scheduler.retrievability(row.memory, at)
                chosen.append((recall if recall is not None else 0.0, len(chosen), row.key))
    if weakest is None:
        import random

        return spread(list(notes.values()), random.Random(now_ms))
    return [key for _, _, key in sorted(chosen)[:weakest]]


def spread(notes: list[list[str]], shuffler: random.Random) -> list[str]:
    """The cards of ``notes`` (each a note's cards) in a shuffled order that keeps
    siblings apart: a choice card straight after the recall card of the same cell would
    give its answer away. The notes are shuffled, each note's cards too, then dealt in
    rounds: every note's first card, then every second card, and so on."""
    shuffler.shuffle(notes)
    for cards in notes:
        shuffler.shuffle(cards)
    rounds = max((len(cards) for cards in notes), default=0)
    return [cards[i] for i in range(rounds) for cards in notes if i < len(cards)]


class PracticeQueue:
    """The cards of a cram session, drawn one at a time; the same calls as a review's
    ``Queue`` where a session makes them, so ``Session`` drives either."""

    def __init__(self, keys: list[str]) -> None:
        self.pending: deque[str] = deque(keys)

    def next(self, now_ms: int) -> str | None:
        return self.pending.popleft() if self.pending else None

    def practised(self, key: str, rating: int) -> None:
        """Again brings the card back a few cards later; any other rating is done with it."""
        if rating == 1:
            self.pending.insert(min(AGAIN_GAP, len(self.pending)), key)

    def skip(self, key: str) -> None:
        self._drop(key)

    def answered(self, key: str, note: tuple[str, str]) -> None:
        """Reviews only: a practice answer never buries a sibling."""

    def set_aside(self, key: str, state: int, now_ms: int) -> None:
        self._drop(key)

    def unskip(self, key: str, note: tuple[str, str]) -> None:
        """The card is on screen again; nothing was held for it."""

    def put_back(
        self, key: str, note: tuple[str, str], state: int, *, showing: bool = False
    ) -> None:
        """Undo: the card is shown again (``showing``), so a return an Again planned
        is taken back; a card drawn but not answered goes first again."""
        self._drop(key)
        if not showing:
            self.pending.appendleft(key)

    def remaining(self, now_ms: int) -> tuple[int, int, int]:
        """(0, 0, cards still to come), in the shape a review's counts take."""
        return 0, 0, len(self.pending)

    def _drop(self, key: str) -> None:
        while key in self.pending:
            self.pending.remove(key)
