"""What is due today: counts for `status`, and the order a review session follows.

Order: learning and relearning cards when due, then due reviews, then new cards up to
the daily limit. Reviews are ordered by relative overdueness — time since the last
review divided by stability, highest first — which is the same as lowest
retrievability first: when the daily limit cuts the list, the cards closest to being
forgotten are the ones shown. New cards come in deck order. Once a card is answered,
its siblings (other cards of the same note) wait for the next study day.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from leadcards.clock import from_ms, next_study_day_start, study_day_start, to_ms
from leadcards.scheduling import State
from leadcards.store import Store

LEARN_AHEAD_MS = 20 * 60 * 1000  # as Anki: learning cards due this soon are shown now


class DeckCounts(NamedTuple):
    id: str
    name: str
    total: int
    new: int
    learning: int
    due: int
    suspended: int
    leeches: int
    reviewed_today: int

    def to_json(self) -> dict[str, object]:
        return dict(self._asdict())


class Today(NamedTuple):
    """One deck's study day: its bounds and what was already done in it."""

    start_ms: int
    end_ms: int
    answered: int
    introduced: int  # new cards answered for the first time
    reviews_done: int  # review-state cards answered
    notes: Counter[str]  # answers per note: a note answered today waits until tomorrow


def today(store: Store, deck_id: str, now_ms: int, day_start: str | None = None) -> Today:
    if day_start is None:
        day_start = store.settings(deck_id).day_start
    now = from_ms(now_ms)
    start = to_ms(study_day_start(now, day_start))
    end = to_ms(next_study_day_start(now, day_start))
    answers = store.answers_in(deck_id, start, end)
    return Today(
        start,
        end,
        answered=len(answers),
        introduced=sum(1 for _, before in answers if before == State.NEW),
        reviews_done=sum(1 for _, before in answers if before == State.REVIEW),
        notes=Counter(note for note, _ in answers),
    )


def deck_counts(
    store: Store,
    deck_id: str,
    name: str,
    now_ms: int,
    *,
    totals: bool = True,
    only: set[str] | None = None,
) -> DeckCounts:
    """Today's counts. New and due are what a session would gather now (daily limits,
    one card per note), so status never promises cards a review will not show. The
    deck's totals (cards, suspended, leeches) read every card row: ``totals=False``
    leaves them 0 where only today's counts are wanted (a session's end). ``only``: the
    keys of a topic, whose new and due cards alone are counted."""
    gathered = Queue(store, [deck_id], now_ms, ordered=False, only=only)
    day = gathered.days[deck_id]
    total, suspended, leeches = store.deck_totals(deck_id) if totals else (0, 0, 0)
    return DeckCounts(
        id=deck_id,
        name=name,
        total=total,
        new=len(gathered.new),
        learning=store.learning_count([deck_id], day.end_ms, now_ms),
        due=len(gathered.reviews),
        suspended=suspended,
        leeches=leeches,
        reviewed_today=day.answered,
    )


class Queue:
    """Today's cards for a set of decks, drawn one at a time.

    Reviews and new cards are listed once, when the queue is built; learning cards are
    asked for afresh each time, because answers keep moving them.
    """

    def __init__(
        self,
        store: Store,
        deck_ids: list[str],
        now_ms: int,
        *,
        new_limit: int | None = None,
        ordered: bool = True,
        only: set[str] | None = None,
    ) -> None:
        self.store = store
        self.deck_ids = deck_ids
        # A topic's keys (``review --tag``): other cards are passed over as if absent,
        # while today's limits are still spent and counted deck by deck.
        self.only = only
        # Counting only (status): which new cards are taken does not change how many, so
        # skip sorting every new card by position.
        self.ordered = ordered
        self.reviews: deque[str] = deque()
        self.new: deque[str] = deque()
        self.note_of: dict[str, tuple[str, str]] = {}
        # answers per note this study day: a note with any buries its other cards
        self.note_answers: Counter[tuple[str, str]] = Counter()
        self.skipped: set[str] = set()
        self.refills: dict[str, str] = {}  # a buried or suspended card → the one taken instead
        self.free: set[str] = set()  # shown even if a sibling was answered today
        self.burying: dict[str, tuple[bool, bool]] = {}  # deck → (new, review) siblings
        # deck → (new, reviews) today's limits, as the log counts them; no new limit when
        # the session set its own
        self.limits: dict[str, tuple[int | None, int]] = {}
        self.days: dict[str, Today] = {}
        self.day_end_ms = now_ms
        self.others_wrote = False
        # remaining(): how many listed cards can still be drawn, per list, kept as each
        # change happens (the screen asks on every frame, and a list may hold thousands)
        self._live = {id(self.new): 0, id(self.reviews): 0}
        self._listed: dict[str, deque[str]] = {}  # a listed key → its list
        self._listed_of_note: dict[tuple[str, str], set[str]] = {}
        self.version = store.data_version()  # from here on: what another terminal does
        for deck_id in deck_ids:
            self._add_deck(deck_id, now_ms, new_limit)

    def _add_deck(self, deck_id: str, now_ms: int, new_limit: int | None) -> None:
        settings = self.store.settings(deck_id)
        day = today(self.store, deck_id, now_ms, settings.day_start)
        self.days[deck_id] = day
        self.day_end_ms = max(self.day_end_ms, day.end_ms)
        for note, n in day.notes.items():
            self.note_answers[(deck_id, note)] += n
        # One card per note per day, as Anki gathers with its bury-siblings options: a
        # sibling of a card already taken is passed over and the next card is taken in
        # its place. Reviews come most overdue first, so of several due siblings the
        # most overdue goes first; one already due before today is taken whatever its
        # siblings did, so none waits behind a sibling more than one study day.
        taken = set(day.notes)
        self.burying[deck_id] = (settings.bury_new_siblings, settings.bury_review_siblings)
        self.limits[deck_id] = (
            settings.new_per_day if new_limit is None else None,
            settings.reviews_per_day,
        )
        review_room = max(0, settings.reviews_per_day - day.reviews_done)
        self._gather(self._reviews(deck_id, now_ms), self.reviews, review_room, deck_id, taken)
        new_room = max(0, settings.new_per_day - day.introduced)
        if new_limit is not None:
            new_room = new_limit
        if new_room:
            self._gather(self._new(deck_id, now_ms), self.new, new_room, deck_id, taken)

    def _reviews(self, deck_id: str, now_ms: int) -> Iterator[tuple[str, str, bool]]:
        """(key, note, free) of due reviews: free of sibling burying when that is off, or
        when the card was already due before today."""
        bury = self.burying[deck_id][1]
        day = self.days[deck_id]
        for key, note, due in self.store.due_reviews(deck_id, now_ms, day.end_ms):
            yield key, note, not bury or due < day.start_ms

    def _new(self, deck_id: str, now_ms: int) -> Iterator[tuple[str, str, bool]]:
        free = not self.burying[deck_id][0]
        for key, note in self.store.new_cards(deck_id, now_ms, ordered=self.ordered):
            yield key, note, free

    def _gather(
        self,
        rows: Iterable[tuple[str, str, bool]],
        into: deque[str],
        room: int,
        deck_id: str,
        taken: set[str],
    ) -> None:
        """Take up to ``room`` cards; ``(key, note, free)`` rows that are ``free`` are
        taken even when a sibling was, and are not held back by a sibling's answer."""
        added = 0
        only = self.only
        for key, note, free in rows:
            if added >= room:
                break
            if (note in taken and not free) or key in self._listed:
                continue  # a sibling was taken; or, refilling, the card is listed already
            if only is not None and key not in only:
                continue  # not of the topic
            taken.add(note)
            added += 1
            self.note_of[key] = (deck_id, note)
            if free:
                self.free.add(key)
            into.append(key)
            self._enter(key, into)

    def _waiting(self, key: str) -> bool:
        """Out of this session for now: set aside, or a sibling was answered today."""
        if key in self.skipped:
            return True
        return key not in self.free and self.note_answers[self.note_of[key]] > 0

    def _learning(self, until_ms: int, now_ms: int) -> str | None:
        for key in self.store.learning_due(self.deck_ids, until_ms, now_ms):
            if key not in self.skipped and (self.only is None or key in self.only):
                return key
        return None

    def _pop(self, pending: deque[str], now_ms: int, *, new: bool) -> str | None:
        """The next card of a list built at the start, confirmed still new or due and
        still within today's limit: another terminal may have answered, buried or
        suspended it, or spent the limit, since."""
        shared = self._shared()
        while pending:
            key = pending.popleft()
            self._leave(key)
            if self._waiting(key):
                continue
            deck_id = self.note_of[key][0]
            if shared and self._limit_reached(deck_id, new=new):
                continue
            if shared and not self.store.still_waiting(key, now_ms, self.days[deck_id].end_ms):
                continue
            return key
        return None

    def _shared(self) -> bool:
        """Whether another connection has written to the file since this queue was built:
        until one has, the lists are exactly what the file holds and need no reading."""
        if not self.others_wrote:
            self.others_wrote = self.store.data_version() != self.version
        return self.others_wrote

    def _limit_reached(self, deck_id: str, *, new: bool) -> bool:
        new_limit, review_limit = self.limits[deck_id]
        limit = new_limit if new else review_limit
        if limit is None:
            return False
        day = self.days[deck_id]
        introduced, reviewed = self.store.started_in(deck_id, day.start_ms, day.end_ms)
        return (introduced if new else reviewed) >= limit

    def next(self, now_ms: int) -> str | None:
        """The key of the card to show now, or None when nothing is left today."""
        return (
            self._learning(now_ms, now_ms)
            or self._pop(self.reviews, now_ms, new=False)
            or self._pop(self.new, now_ms, new=True)
            or self._learning(now_ms + LEARN_AHEAD_MS, now_ms)
        )

    def skip(self, key: str) -> None:
        """Leave a card out of the rest of this session (not in a loaded deck)."""
        with self._changing({key}):
            self.skipped.add(key)

    def set_aside(self, key: str, state: int, now_ms: int) -> None:
        """A card buried or suspended: out of this session, and, as status would count
        afresh, the next new or due card takes its place under today's limit."""
        with self._changing({key}):
            self.skipped.add(key)
        if key not in self.note_of or state not in (State.NEW, State.REVIEW):
            return
        deck_id = self.note_of[key][0]
        taken = {note for (deck, note) in self.note_of.values() if deck == deck_id}
        taken |= {note for (deck, note), n in self.note_answers.items() if deck == deck_id and n}
        if state == State.NEW:
            rows, into = self._new(deck_id, now_ms), self.new
        else:
            rows, into = self._reviews(deck_id, now_ms), self.reviews
        before = len(into)
        self._gather(rows, into, 1, deck_id, taken)
        if len(into) > before:
            self.refills[key] = into[-1]

    def answered(self, key: str, note: tuple[str, str]) -> None:
        """Bury the siblings of an answered card until the next study day."""
        with self._changing(self._listed_of_note.get(note, set())):
            self.note_answers[note] += 1
        self.note_of[key] = note

    def unskip(self, key: str, note: tuple[str, str]) -> None:
        """Undo of a bury or suspension: the card is drawable again (it is on screen now),
        and the card that took its place, if not shown yet, gives the place back."""
        with self._changing({key}):
            self.skipped.discard(key)
        self.note_of[key] = note
        stand_in = self.refills.pop(key, None)
        if stand_in is not None and stand_in in self._listed:
            self._listed[stand_in].remove(stand_in)
            self._leave(stand_in)

    def put_back(
        self, key: str, note: tuple[str, str], state: int, *, showing: bool = False
    ) -> None:
        """Undo: the card's answer no longer counts, and it goes to the front of its list
        again — unless it is ``showing`` now, when listing it too would count it twice."""
        with self._changing({key} | self._listed_of_note.get(note, set())):
            self.skipped.discard(key)
            if self.note_answers[note] > 0:
                self.note_answers[note] -= 1
        self.note_of[key] = note
        if showing or key in self._listed:
            return
        if state in (State.NEW, State.REVIEW):
            into = self.new if state == State.NEW else self.reviews
            into.appendleft(key)
            self._enter(key, into)

    def remaining(self, now_ms: int) -> tuple[int, int, int]:
        """(new, learning, due) still to come in this session: the listed cards that can
        still be drawn, as counted along the way, and one indexed count of learning cards
        (of a topic: its learning cards due before the day ends, as that count counts)."""
        if self.only is None:
            learning = self.store.learning_count(self.deck_ids, self.day_end_ms, now_ms)
        else:
            due = self.store.learning_due(self.deck_ids, self.day_end_ms - 1, now_ms)
            learning = sum(1 for key in due if key in self.only)
        return self._live[id(self.new)], learning, self._live[id(self.reviews)]

    # Keeping remaining() -------------------------------------------------------------

    def _enter(self, key: str, into: deque[str]) -> None:
        """``key`` was just put in the list ``into``."""
        self._listed[key] = into
        self._listed_of_note.setdefault(self.note_of[key], set()).add(key)
        if not self._waiting(key):
            self._live[id(into)] += 1

    def _leave(self, key: str) -> None:
        """``key`` was just taken out of its list."""
        listed = self._listed.pop(key)
        self._listed_of_note[self.note_of[key]].discard(key)
        if not self._waiting(key):
            self._live[id(listed)] -= 1

    @contextmanager
    def _changing(self, keys: set[str]) -> Iterator[None]:
        """Around a change that can make ``keys`` drawable or not: the counts follow."""
        listed = [k for k in keys if k in self._listed]
        before = [self._waiting(k) for k in listed]
        yield
        for key, waited in zip(listed, before, strict=True):
            waits = self._waiting(key)
            if waits != waited:
                self._live[id(self._listed[key])] += 1 if waited else -1


def next_card_ms(store: Store, counts: list[DeckCounts], now_ms: int) -> int | None:
    """When a review session would next show a card: now while new or due cards wait
    today; else the soonest of a learning card's due time and the start of the study
    day on which a review falls due or the daily limits and buried siblings let cards
    through again. Never in the past; None when nothing is scheduled at all."""
    if any(c.new or c.due for c in counts):
        return now_ms
    times = []
    for c in counts:
        settings = store.settings(c.id)
        tomorrow = to_ms(next_study_day_start(from_ms(now_ms), settings.day_start))
        learning, review, any_new = store.upcoming(c.id)
        if learning is not None:
            times.append(max(learning, now_ms))
        if review is not None and settings.reviews_per_day:
            # shown from the start of its study day, and not before tomorrow: today's
            # limit is reached or a sibling was answered today
            day = to_ms(study_day_start(from_ms(review), settings.day_start))
            times.append(max(day, tomorrow))
        if any_new and settings.new_per_day:
            times.append(tomorrow)
    return min(times) if times else None
