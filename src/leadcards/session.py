"""A review session with no terminal in it: show → reveal → rate → next, undo, bury, suspend.

Both front ends (single keys and line mode) drive this object; it talks to the store
and the queue and keeps the tally for the end-of-session summary. A card's text is read
from the store when the card is drawn, so starting a session over a large deck reads
only the cards it shows.

A practice session (``cram``) is the same sitting over a fixed list of cards: its
answers are logged as practice, which changes no schedule, and it neither buries nor
suspends (those would change what reviews show).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

from leadcards.clock import from_ms, next_study_day_start, now, to_ms
from leadcards.deck.model import Card
from leadcards.errors import DeckError, LeadcardsError
from leadcards.events import EventKind
from leadcards.practice import PracticeQueue
from leadcards.review_queue import Queue, deck_counts, next_card_ms
from leadcards.scheduling import Memory
from leadcards.store import AnswerResult, Store
from leadcards.texts import stored_card


class DeckRef(Protocol):
    """What a session needs of a deck: a synced deck's row or a parsed ``Deck`` alike."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def path(self) -> Path | str: ...  # the file the `e` key opens


class Action(NamedTuple):
    """One thing this session did that undo can take back, newest last."""

    event_id: str
    key: str
    kind: EventKind  # an answer, a practice answer, a bury or a suspension
    rating: int | None = None


@dataclass
class Summary:
    answered: int = 0
    ratings: Counter[int] = field(default_factory=Counter)
    seconds: float = 0.0
    still_due: int = 0
    still_new: int = 0  # new cards today's limits still let through, beyond this session
    next_due_ms: int | None = None
    new_leeches: list[str] = field(default_factory=list)
    practice: bool = False  # a cram session: ``still_due`` is the cards it did not reach

    @property
    def correct(self) -> int:
        return sum(n for rating, n in self.ratings.items() if rating > 1)


class Session:
    """One sitting. ``clock`` returns ms UTC; tests pass their own."""

    def __init__(
        self,
        store: Store,
        decks: Sequence[DeckRef],
        *,
        new_limit: int | None = None,
        card_limit: int | None = None,
        minutes: float | None = None,
        clock: Callable[[], int] | None = None,
        only: set[str] | None = None,
        practice: list[str] | None = None,
    ) -> None:
        """``only``: a topic's keys, the only cards a review shows (today's limits count
        as usual). ``practice``: cram these cards, in this order, instead of reviewing."""
        self.store = store
        self.decks: dict[str, DeckRef] = {d.id: d for d in decks}
        # cards drawn so far, by key: an undo shows its card again without a read, even
        # one an edit since took out of its deck
        self._cards: dict[str, Card] = {}
        self.clock = clock or (lambda: to_ms(now()))
        self.started_ms = self.clock()
        self.started_monotonic = time.monotonic()
        self.only = only
        self.queue: Queue | PracticeQueue
        if practice is None:
            self.queue = Queue(
                store, list(self.decks), self.started_ms, new_limit=new_limit, only=only
            )
        else:
            self.queue = PracticeQueue(practice)
        self.card_limit = card_limit
        self.deadline_ms = self.started_ms + int(minutes * 60_000) if minutes else None
        self.current: Card | None = None
        self.revealed = False
        self.picked: str | None = None
        self.shown_at = time.monotonic()
        self.history: list[Action] = []
        self.summary = Summary(practice=practice is not None)

    @property
    def practising(self) -> bool:
        """A cram session: answers change no schedule."""
        return isinstance(self.queue, PracticeQueue)

    # drawing ------------------------------------------------------------

    def next_card(self) -> Card | None:
        """Draw the next card; None when the session is over."""
        self.revealed = False
        self.picked = None
        self.current = None
        if self.card_limit is not None and self.summary.answered >= self.card_limit:
            return None
        at = self.clock()
        if self.deadline_ms is not None and at >= self.deadline_ms:
            return None
        while True:
            key = self.queue.next(at)
            if key is None:
                return None
            card = self.card(key)
            if card is not None:
                break
            self.queue.skip(key)  # in the database but with no text: its deck is not synced
        self.current = card
        self.shown_at = time.monotonic()
        return card

    def card(self, key: str) -> Card | None:
        """The card with this key as its deck last said it; None when it has no text."""
        card = self._cards.get(key)
        if card is None:
            card = stored_card(self.store, key)
            if card is not None:
                self._cards[key] = card
        return card

    def reveal(self, picked: str | None = None) -> None:
        """Show the answer; ``picked`` is the option or side the learner chose, if any."""
        self.revealed = True
        if picked is not None:
            self.picked = picked

    def _require_card(self) -> Card:
        if self.current is None:
            raise RuntimeError("no card is being shown")
        return self.current

    # answering ----------------------------------------------------------

    def memory(self) -> Memory:
        """The current card's schedule as stored now."""
        return self.store.card(self._require_card().key).memory

    def preview(self) -> dict[int, int]:
        """Milliseconds to the next review for each rating of the current card; none
        in practice, where no rating moves a review."""
        card = self._require_card()
        if self.practising:
            return {}
        scheduler = self.store.scheduler(card.deck_id)
        return scheduler.preview(card.key, self.memory(), self.clock())

    def answer(self, rating: int) -> AnswerResult:
        """Commit the answer before anything else happens, then tally it."""
        card = self._require_card()
        duration_ms = int((time.monotonic() - self.shown_at) * 1000)
        practice = isinstance(self.queue, PracticeQueue)
        result = self.store.answer(
            card.key, rating, duration_ms, self.clock(), picked=self.picked, practice=practice
        )
        if isinstance(self.queue, PracticeQueue):
            self.queue.practised(card.key, rating)
        else:
            self.queue.answered(card.key, (card.deck_id, card.note_id))
        kind = EventKind.PRACTICE if practice else EventKind.ANSWER
        self.history.append(Action(result.event_id, card.key, kind, rating))
        self.summary.answered += 1
        self.summary.ratings[rating] += 1
        if result.became_leech:
            self.summary.new_leeches.append(card.key)
        self.current = None
        return result

    def undo(self) -> Card | None:
        """Take back this session's last action — an answer, a bury or a suspension — and
        show that card again. Each undo goes one action further back, across cards."""
        if not self.history:
            return None
        last = self.history.pop()
        if self.store.undo(last.event_id, self.clock()) is None:
            raise LeadcardsError("cannot undo: that was already taken back")
        card = self.card(last.key)
        if card is None:  # only a card this session drew has an action to undo
            raise RuntimeError(f"no text for {last.key}")
        if self.current is not None and self.current.key != last.key:
            self.queue.put_back(
                self.current.key,
                (self.current.deck_id, self.current.note_id),
                self.store.card(self.current.key).memory.state,
            )
        note = (card.deck_id, card.note_id)
        if last.kind in (EventKind.ANSWER, EventKind.PRACTICE):
            self.summary.answered -= 1
            self.summary.ratings[last.rating or 0] -= 1
            if last.key in self.summary.new_leeches:
                self.summary.new_leeches.remove(last.key)
            state = self.store.card(last.key).memory.state
            self.queue.put_back(last.key, note, state, showing=True)
        else:
            self.queue.unskip(last.key, note)
        self.current = card
        self.revealed = False
        self.picked = None
        self.shown_at = time.monotonic()
        return card

    def _refuse_in_practice(self, what: str) -> None:
        if self.practising:
            raise LeadcardsError(f"a cram session changes no card: {what} it in a review")

    def bury(self) -> None:
        """Hide the current card until the next study day."""
        self._refuse_in_practice("bury")
        card = self._require_card()
        settings = self.store.settings(card.deck_id)
        at = self.clock()
        until = to_ms(next_study_day_start(from_ms(at), settings.day_start))
        state = self.store.card(card.key).memory.state
        event_id = self.store.bury(card.key, until, at)
        self.history.append(Action(event_id, card.key, EventKind.BURY))
        self.queue.set_aside(card.key, state, at)
        self.current = None

    def suspend(self) -> None:
        """Hide the current card until unsuspended."""
        self._refuse_in_practice("suspend")
        card = self._require_card()
        at = self.clock()
        state = self.store.card(card.key).memory.state
        event_id = self.store.suspend(card.key, at)
        self.history.append(Action(event_id, card.key, EventKind.SUSPEND))
        self.queue.set_aside(card.key, state, at)
        self.current = None

    def reload_deck(self, path: Path) -> int:
        """Re-read a deck after an edit; cards keep their keys, so their history stays.
        A deck that no longer loads raises DeckError, and the old text stays."""
        from leadcards.deck.load import load_deck
        from leadcards.sync import sync_files

        deck = load_deck(path)
        refused = sync_files(self.store, [path], self.clock(), {str(path.resolve()): deck}).broken
        if refused:  # its id is now another file's
            raise DeckError([problem for broken in refused for problem in broken.problems])
        self.decks[deck.id] = deck
        for key, card in list(self._cards.items()):
            if card.deck_id == deck.id:  # a card the edit took out stays, for undo
                self._cards[key] = stored_card(self.store, key) or card
        if self.current is not None:
            self.current = self.card(self.current.key) or self.current
        return len(deck.cards)

    # reporting ----------------------------------------------------------

    def remaining(self) -> tuple[int, int, int]:
        return self.queue.remaining(self.clock())

    def finish(self) -> Summary:
        self.summary.seconds = time.monotonic() - self.started_monotonic
        _new, learning, due = self.remaining()
        self.summary.still_due = learning + due
        if self.practising and self.current is not None:  # quit with it on screen
            self.summary.still_due += 1
        at = self.clock()
        counts = [deck_counts(self.store, deck, "", at, totals=False) for deck in self.decks]
        if self.only is not None:  # what is left of the topic; the next card of any
            topic = [
                deck_counts(self.store, deck, "", at, totals=False, only=self.only)
                for deck in self.decks
            ]
            self.summary.still_new = sum(c.new for c in topic)
        elif not self.practising:
            self.summary.still_new = sum(c.new for c in counts)
        self.summary.next_due_ms = next_card_ms(self.store, counts, at)
        return self.summary
