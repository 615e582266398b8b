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
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from leadcards.clock import from_ms, next_study_day_start, study_day_start, to_ms
from leadcards.store import Store

LEARN_AHEAD_MS = 20 * 60 * 1000  # as Anki: learning cards due this soon are shown now

ACTIVE = "removed = 0 AND suspended = 0 AND (buried_until IS NULL OR buried_until <= :now)"


@dataclass(frozen=True)
class DeckCounts:
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
        return asdict(self)


@dataclass(frozen=True)
class Today:
    """One deck's study day: its bounds and what was already done in it."""

    start_ms: int
    end_ms: int
    answered: int
    introduced: int  # new cards answered for the first time
    reviews_done: int  # review-state cards answered


# "reviews r CROSS JOIN cards c" makes SQLite start from today's few log rows (by the
# reviewed_at index) instead of from every card of the deck.


def today(store: Store, deck_id: str, now_ms: int) -> Today:
    settings = store.settings(deck_id)
    now = from_ms(now_ms)
    start = to_ms(study_day_start(now, settings.day_start))
    end = to_ms(next_study_day_start(now, settings.day_start))
    answered, introduced, reviews_done = store.conn.execute(
        "SELECT count(*), coalesce(sum(r.state_before = 0), 0), "
        "coalesce(sum(r.state_before = 2), 0) "
        "FROM reviews r CROSS JOIN cards c ON c.key = r.card_key "
        "WHERE r.reviewed_at >= ? AND r.kind = 'answer' AND c.deck_id = ?",
        (start, deck_id),
    ).fetchone()
    return Today(start, end, answered, introduced, reviews_done)


def deck_counts(store: Store, deck_id: str, name: str, now_ms: int) -> DeckCounts:
    """Today's counts. New and due are what a session would gather now (daily limits,
    one card per note), so status never promises cards a review will not show."""
    day = today(store, deck_id, now_ms)
    row = store.conn.execute(
        f"""SELECT count(*) AS total,
               coalesce(sum(state IN (1, 3) AND due < :end AND {ACTIVE}), 0) AS learning,
               coalesce(sum(suspended), 0) AS suspended,
               coalesce(sum(leech), 0) AS leeches
            FROM cards WHERE deck_id = :deck AND removed = 0""",
        {"now": now_ms, "end": day.end_ms, "deck": deck_id},
    ).fetchone()
    gathered = Queue(store, [deck_id], now_ms, ordered=False)
    return DeckCounts(
        id=deck_id,
        name=name,
        total=row["total"],
        new=len(gathered.new),
        learning=row["learning"],
        due=len(gathered.reviews),
        suspended=row["suspended"],
        leeches=row["leeches"],
        reviewed_today=day.answered,
    )


def next_due_ms(store: Store, deck_ids: list[str], now_ms: int) -> int | None:
    """When the next scheduled card falls due (new cards aside)."""
    marks = ",".join("?" * len(deck_ids))
    row = store.conn.execute(
        f"SELECT min(max(due, coalesce(buried_until, 0))) FROM cards WHERE deck_id IN ({marks}) "
        "AND removed = 0 AND suspended = 0 AND state > 0",
        deck_ids,
    ).fetchone()
    return row[0]


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
    ) -> None:
        self.store = store
        self.deck_ids = deck_ids
        # Counting only (status): which new cards are taken does not change how many, so
        # skip sorting every new card by position.
        self.ordered = ordered
        self.reviews: deque[str] = deque()
        self.new: deque[str] = deque()
        self.note_of: dict[str, tuple[str, str]] = {}
        # answers per note this study day: a note with any buries its other cards
        self.note_answers: Counter[tuple[str, str]] = Counter()
        self.skipped: set[str] = set()
        self.day_end_ms = now_ms
        for deck_id in deck_ids:
            self._add_deck(deck_id, now_ms, new_limit)

    def _add_deck(self, deck_id: str, now_ms: int, new_limit: int | None) -> None:
        settings = self.store.settings(deck_id)
        day = today(self.store, deck_id, now_ms)
        self.day_end_ms = max(self.day_end_ms, day.end_ms)
        conn = self.store.conn
        for deck, note in conn.execute(
            "SELECT c.deck_id, c.note_id FROM reviews r CROSS JOIN cards c ON c.key = r.card_key "
            "WHERE r.reviewed_at >= ? AND r.kind = 'answer' AND c.deck_id = ?",
            (day.start_ms, deck_id),
        ):
            self.note_answers[(deck, note)] += 1
        params = {"now": now_ms, "end": day.end_ms, "deck": deck_id}
        # One card per note per day, as Anki gathers: a sibling of a card already taken
        # is passed over and the next card is taken in its place.
        taken = {note for (deck, note), n in self.note_answers.items() if n and deck == deck_id}
        review_room = max(0, settings.reviews_per_day - day.reviews_done)
        reviews = conn.execute(
            f"SELECT key, note_id FROM cards WHERE deck_id = :deck AND state = 2 "
            f"AND due < :end AND {ACTIVE} "
            "ORDER BY (:now - last_review) * 1.0 / stability DESC, due, position",
            params,
        )
        self._gather(reviews, self.reviews, review_room, deck_id, taken)
        new_room = max(0, settings.new_per_day - day.introduced)
        if new_limit is not None:
            new_room = new_limit
        if new_room:
            fresh = conn.execute(
                f"SELECT key, note_id FROM cards WHERE deck_id = :deck AND state = 0 AND {ACTIVE}"
                + (" ORDER BY position" if self.ordered else ""),
                params,
            )
            self._gather(fresh, self.new, new_room, deck_id, taken)

    def _gather(
        self,
        rows: Iterable[tuple[str, str]],
        into: deque[str],
        room: int,
        deck_id: str,
        taken: set[str],
    ) -> None:
        added = 0
        for key, note in rows:
            if added >= room:
                break
            if note in taken:
                continue
            taken.add(note)
            into.append(key)
            added += 1
            self.note_of[key] = (deck_id, note)

    def _learning(self, until_ms: int, now_ms: int) -> str | None:
        marks = ",".join("?" * len(self.deck_ids))
        for (key,) in self.store.conn.execute(
            f"SELECT key FROM cards WHERE deck_id IN ({marks}) AND state IN (1, 3) "
            "AND due <= ? AND removed = 0 AND suspended = 0 "
            "AND (buried_until IS NULL OR buried_until <= ?) ORDER BY due",
            (*self.deck_ids, until_ms, now_ms),
        ):
            if key not in self.skipped:
                return key
        return None

    def _pop(self, pending: deque[str]) -> str | None:
        while pending:
            key = pending.popleft()
            if key in self.skipped or self.note_answers[self.note_of[key]]:
                continue
            return key
        return None

    def next(self, now_ms: int) -> str | None:
        """The key of the card to show now, or None when nothing is left today."""
        return (
            self._learning(now_ms, now_ms)
            or self._pop(self.reviews)
            or self._pop(self.new)
            or self._learning(now_ms + LEARN_AHEAD_MS, now_ms)
        )

    def answered(self, key: str, note: tuple[str, str]) -> None:
        """Bury the siblings of an answered card until the next study day."""
        self.note_answers[note] += 1
        self.note_of[key] = note

    def put_back(self, key: str, note: tuple[str, str], state: int) -> None:
        """Undo: the card goes to the front of its list again, its answer no longer counted."""
        self.skipped.discard(key)
        self.note_of[key] = note
        if self.note_answers[note] > 0:
            self.note_answers[note] -= 1
        if state == 0:
            self.new.appendleft(key)
        elif state == 2:
            self.reviews.appendleft(key)

    def remaining(self, now_ms: int) -> tuple[int, int, int]:
        """(new, learning, due) still to come in this session."""

        def live(pending: deque[str]) -> int:
            return sum(
                1
                for key in pending
                if key not in self.skipped and not self.note_answers[self.note_of[key]]
            )

        marks = ",".join("?" * len(self.deck_ids))
        learning = self.store.conn.execute(
            f"SELECT count(*) FROM cards WHERE deck_id IN ({marks}) AND state IN (1, 3) "
            "AND due < ? AND removed = 0 AND suspended = 0 "
            "AND (buried_until IS NULL OR buried_until <= ?)",
            (*self.deck_ids, self.day_end_ms, now_ms),
        ).fetchone()[0]
        return live(self.new), learning, live(self.reviews)
