"""FSRS, deterministic.

The review log is the truth and the card cache must be rebuildable from it, so the
same answers at the same times must give the same due dates. py-fsrs draws its fuzz
from a module-level ``random()``; each answer swaps in a generator seeded from the
card key and the time of the card's previous review (and its review count). That makes
replays exact, and the interval shown on a rating button is exactly the one the answer
then gets, however long the learner looks at the card.

On a card in review, Hard, Good and Easy are kept apart by at least a day each, as Anki
does: FSRS alone can round all three to the same interval, and three buttons promising
one outcome tell the learner their choice does not matter. Answers logged before this
rule existed carry no ``ordered`` mark and replay without it, so their due dates stay.

With an exam date set, a review is not put off past the exam when the card's recall on
exam day would fall below the desired retention: it is brought forward to the last
whole-day interval that ends before the exam day begins (``_deadline``). The setting is
an event in the log, so replays apply the cap to exactly the answers given under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from leadcards.clock import from_ms, to_ms
from leadcards.settings import Settings, exam_ms

if TYPE_CHECKING:
    import random

    import fsrs


class State(IntEnum):
    """A card's place in FSRS; the numbers are the ones py-fsrs and the database use."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Rating(IntEnum):
    """The four answer buttons, numbered as in Anki and py-fsrs."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


RATINGS = {rating.value: rating.label for rating in Rating}
DAY_MS = 86_400_000
_STATES = tuple(State)  # by number: faster than State(n) on the answer path


@dataclass(frozen=True, slots=True)
class Memory:
    """The schedule part of a card: what FSRS needs and what a replay must rebuild."""

    state: State = State.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: int | None = None  # ms UTC; None for a new card
    last_review: int | None = None  # ms UTC
    reps: int = 0
    lapses: int = 0


NEW_MEMORY = Memory()


class Progress(NamedTuple):
    """A card's schedule while answers are folded in: py-fsrs's own card (None while
    new) with what it does not keep. ``due`` is kept apart: the interval-order rule may
    move it, and milliseconds survive where a datetime round trip might not."""

    card: Any  # fsrs.Card | None
    reps: int
    lapses: int
    last_review: int | None
    due: int | None

    def memory(self) -> Memory:
        card = self.card
        if card is None:
            return Memory(reps=self.reps, lapses=self.lapses)
        return Memory(
            state=_STATES[card.state],
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=self.due,
            last_review=self.last_review,
            reps=self.reps,
            lapses=self.lapses,
        )


NEW_PROGRESS = Progress(None, 0, 0, None, None)
MEMORY_FIELDS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
)


class _SeededRandom:
    """Stands in for ``random()`` in py-fsrs; seeds itself only if fuzz is drawn.

    Most answers (learning steps, short intervals) draw no fuzz, so hashing and
    seeding are skipped for them: that keeps replays of long logs fast. ``rewind``
    replays the same draws, so every rating of one answer sees the same fuzz.
    """

    __slots__ = ("_drawn", "_next", "_rng", "_text")

    def __init__(self, key: str, last_review: int | None, reps: int) -> None:
        self._text = f"{key}@{last_review or 0}#{reps}"
        self._rng: random.Random | None = None
        self._drawn: list[float] = []
        self._next = 0

    def rewind(self) -> None:
        self._next = 0

    def __call__(self) -> float:
        if self._next < len(self._drawn):
            value = self._drawn[self._next]
        else:
            if self._rng is None:
                import hashlib
                import random

                digest = hashlib.sha256(self._text.encode()).digest()
                self._rng = random.Random(int.from_bytes(digest[:8], "big"))
            value = self._rng.random()
            self._drawn.append(value)
        self._next += 1
        return value


class Scheduler:
    """FSRS with leadcards' settings, answering in integer milliseconds."""

    def __init__(self, settings: Settings) -> None:
        import fsrs  # imported here: commands that only count cards never pay for it
        import fsrs.scheduler

        self.settings = settings
        # Looked up once: a replay answers hundreds of thousands of times.
        self._module: Any = fsrs.scheduler  # its random() is what we swap; not in its types
        self._card = fsrs.Card
        self._states = tuple(fsrs.State(n) for n in (1, 1, 2, 3))  # NEW starts learning
        self._ratings = (None, *fsrs.Rating)
        fitted = settings.fsrs_parameters  # None: py-fsrs's defaults
        self._fsrs = fsrs.Scheduler(
            parameters=fitted if fitted is not None else fsrs.scheduler.DEFAULT_PARAMETERS,
            desired_retention=settings.desired_retention,
            learning_steps=tuple(timedelta(seconds=s) for s in settings.learning_steps),
            relearning_steps=tuple(timedelta(seconds=s) for s in settings.relearning_steps),
            maximum_interval=settings.maximum_interval,
            enable_fuzzing=settings.fuzz,
        )
        self._exam = exam_ms(settings.exam_date)
        self._exam_at = from_ms(self._exam) if self._exam is not None else None

    def _new_card(self) -> fsrs.Card:
        return self._card(card_id=1, state=self._states[0], step=0)

    def _to_fsrs(self, memory: Memory) -> fsrs.Card:
        """A card that has been answered, as py-fsrs holds it (a new one is ``_new_card``)."""
        return self._card(
            card_id=1,
            state=self._states[memory.state],
            step=memory.step,
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=from_ms(memory.due) if memory.due is not None else None,
            last_review=from_ms(memory.last_review) if memory.last_review is not None else None,
        )

    def answer(
        self, key: str, memory: Memory, rating: int, at_ms: int, *, ordered: bool = True
    ) -> Memory:
        """The memory after answering ``rating`` at ``at_ms``; ``ordered`` keeps a review
        card's Hard < Good < Easy in whole days (off only to replay older answers)."""
        return self.step(key, self.progress(memory), rating, at_ms, ordered=ordered).memory()

    def progress(self, memory: Memory) -> Progress:
        card = None if memory.state == 0 else self._to_fsrs(memory)
        return Progress(card, memory.reps, memory.lapses, memory.last_review, memory.due)

    def step(
        self, key: str, progress: Progress, rating: int, at_ms: int, *, ordered: bool = True
    ) -> Progress:
        """``answer`` on py-fsrs's own card: a replay folds thousands of answers per card
        and converts to a ``Memory`` once at the end instead of twice per answer."""
        card = progress.card or self._new_card()
        review = progress.card is not None and card.state == 2  # fsrs.State.Review
        seed = _SeededRandom(key, progress.last_review, progress.reps)
        # Only Good and Easy on a card in review can meet a lower button's interval.
        if not ordered or rating < 3 or not review:
            after = self._reviews(card, seed, (rating,), at_ms)[0]
            due = to_ms(after.due)
        else:
            reviewed = self._reviews(card, seed, tuple(range(2, rating + 1)), at_ms)
            after = reviewed[-1]
            due = at_ms + self._spread([to_ms(c.due) - at_ms for c in reviewed])[-1] * DAY_MS
        if self._exam is not None:
            due = self._deadline(after, at_ms, due)
        lapse = review and rating == 1
        return Progress(after, progress.reps + 1, progress.lapses + lapse, at_ms, due)

    def preview(self, key: str, memory: Memory, at_ms: int) -> dict[int, int]:
        """Milliseconds until due for each rating, as the review screen shows them: what
        ``answer`` gives, with each of the four reviews computed once."""
        card = self.progress(memory).card or self._new_card()
        seed = _SeededRandom(key, memory.last_review, memory.reps)
        reviewed = self._reviews(card, seed, tuple(RATINGS), at_ms)
        waits = [to_ms(c.due) - at_ms for c in reviewed]
        if memory.state == 2:
            waits[1:] = [days * DAY_MS for days in self._spread(waits[1:])]
        if self._exam is not None:
            waits = [
                self._deadline(c, at_ms, at_ms + w) - at_ms
                for c, w in zip(reviewed, waits, strict=True)
            ]
        return dict(zip(RATINGS, waits, strict=True))

    def _deadline(self, card: fsrs.Card, at_ms: int, due: int) -> int:
        """``due``, or before the exam if the card answered at ``at_ms`` would not be seen
        again before it and its recall then would be below the desired retention.

        The cap is the longest whole number of days that still ends before the exam day
        begins: the card comes back on one of the last days before the exam, as late as
        possible so that its recall on the day is as high as it gets. Every button whose
        interval crosses the exam gets the same cap, so Hard < Good < Easy may hold only
        as ≤; never reversed, as a lower button has the lower stability: when a higher
        one falls short on exam day, so does the lower one. FSRS puts a review where
        recall reaches the desired retention, so the cap catches what fuzz and the
        one-day button spread push past that point. Less than a day before the exam, or
        after it, nothing is capped.
        """
        exam = self._exam
        if exam is None or due < exam or exam - at_ms <= DAY_MS:
            return due
        recall = self._fsrs.get_card_retrievability(card, self._exam_at)
        if recall >= self.settings.desired_retention:
            return due
        return at_ms + (-(-(exam - at_ms) // DAY_MS) - 1) * DAY_MS

    def _spread(self, waits: list[int]) -> list[int]:
        """Days until due after Hard, Good, Easy (as many as given), each at least one
        more than the one before, up to the maximum interval."""
        days: list[int] = []
        for wait in waits:
            own = wait // DAY_MS
            days.append(
                max(own, min(days[-1] + 1, self.settings.maximum_interval)) if days else own
            )
        return days

    def _reviews(
        self, card: fsrs.Card, draw: _SeededRandom, ratings: tuple[int, ...], at_ms: int
    ) -> list[fsrs.Card]:
        """py-fsrs's card after each of ``ratings`` (it copies, never changes ``card``),
        all drawing the same fuzz."""
        when = from_ms(at_ms)
        # py-fsrs draws fuzz from its module's random(): swap in this card's seeded one.
        module = self._module
        original = module.random
        module.random = draw
        try:
            reviewed = []
            for rating in ratings:
                draw.rewind()
                reviewed.append(self._fsrs.review_card(card, self._ratings[rating], when)[0])
        finally:
            module.random = original
        return reviewed

    def retrievability(self, memory: Memory, at: datetime) -> float | None:
        if memory.state == State.NEW or memory.stability is None:
            return None
        return self._fsrs.get_card_retrievability(self._to_fsrs(memory), at)


def format_interval(ms: int) -> str:
    """Short, Anki-like: 45s, 10m, 3h, 4d, 2.1mo, 1.5y."""
    seconds = round(max(ms, 0) / 1000)
    if seconds < 60:
        return f"{seconds}s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes}m"
    hours = round(seconds / 3600)
    if hours < 24:
        return f"{hours}h"
    days = seconds / 86400
    if round(days) < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
