"""The review log's events and how replaying them gives every card's state.

The log is the truth: a card's cached row (its FSRS memory and its flags) is what
folding its events in global order — time, then id — gives. The same ``apply`` serves
the incremental path (an answer in a session) and a rebuild from the log alone, so the
two cannot drift apart. Settings changes are events too: each answer is replayed under
the settings in force when it was given, so a later change never reschedules the past.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any, NamedTuple

from leadcards.errors import BadRow
from leadcards.scheduling import NEW_MEMORY, NEW_PROGRESS, Memory, Progress, Scheduler
from leadcards.settings import DEFAULTS, Settings, from_stored, stored_problem


class EventKind(str, Enum):
    """What an event records. Stored as its value; never renumber or rename one."""

    ANSWER = "answer"  # a rating (and, on choice and identify cards, what was picked)
    FORGET = "forget"  # reset to new; the history stays
    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"
    BURY = "bury"  # data: {"until": ms}
    LEECH = "leech"  # marked a leech (and suspended) by the answer named in ``target``
    SETTING = "setting"  # data: {"scope": "" or a deck id, "key": name, "value": JSON or null}
    UNDO = "undo"  # takes back the event named in ``target``
    # an answer in a cram session, logged as answers are (rating, time taken, what was
    # picked) but changing nothing: no schedule, no daily limit, no leech count
    PRACTICE = "practice"


# The data of an answer given under the interval-order rule (see ``scheduling``): one
# shared object, which the stored JSON text maps back to without parsing.
ORDERED: dict[str, Any] = {"ordered": 1}
ORDERED_JSON = '{"ordered":1}'


class Event(NamedTuple):
    """One row of the log. ``id`` is a ULID; (``at``, ``id``) is the global order."""

    id: str
    at: int
    kind: EventKind
    card_key: str | None = None
    rating: int | None = None
    duration_ms: int | None = None
    picked: str | None = None
    target: str | None = None
    data: dict[str, Any] | None = None

    @property
    def order(self) -> tuple[int, str]:
        return (self.at, self.id)


class CardRecord(NamedTuple):
    """The part of a card's cached row that the log determines. A named tuple, not a
    frozen dataclass: a replay builds one per event, and this is several times cheaper."""

    memory: Memory = NEW_MEMORY
    suspended: bool = False
    leech: bool = False
    buried_until: int | None = None


NEW_RECORD = CardRecord()


def is_ordered(event: Event) -> bool:
    data = event.data
    return data is ORDERED or bool(data and data.get("ordered"))


def apply(record: CardRecord, event: Event, scheduler: Scheduler | None) -> CardRecord:
    """The card after ``event``. Answers need the scheduler in force at the event's time."""
    kind = event.kind
    if kind is EventKind.ANSWER:
        if scheduler is None or event.card_key is None or event.rating is None:
            raise ValueError(f"answer event {event.id} lacks a card, rating or scheduler")
        memory = scheduler.answer(
            event.card_key, record.memory, event.rating, event.at, ordered=is_ordered(event)
        )
        return CardRecord(memory, record.suspended, record.leech, record.buried_until)
    if kind is EventKind.PRACTICE:
        return record
    if kind is EventKind.FORGET:
        return record._replace(memory=NEW_MEMORY)
    if kind is EventKind.SUSPEND:
        return record._replace(suspended=True)
    if kind is EventKind.UNSUSPEND:
        return record._replace(suspended=False)
    if kind is EventKind.LEECH:
        return record._replace(leech=True, suspended=True)
    if kind is EventKind.BURY:
        until = (event.data or {}).get("until")
        return record._replace(buried_until=int(until) if until is not None else None)
    return record  # settings and undo events change no card by themselves


def setting_change(event: Event) -> tuple[str, str, Any]:
    """(scope, name, value or None for a reset) of a settings event; a ``BadRow`` for
    one ``config`` never logs, which a replay could not apply."""
    data = event.data or {}
    scope, name, value = data.get("scope", ""), data.get("key"), data.get("value")
    if not isinstance(scope, str) or not isinstance(name, str):
        raise BadRow(f"log event {event.id}", "is a settings change naming no setting")
    problem = stored_problem(name, value) if value is not None else None
    if problem:
        raise BadRow(f"log event {event.id} (a change of {name})", problem)
    return scope, name, value


class SettingsTimeline:
    """Settings as the log has them at the point a replay has reached."""

    def __init__(self) -> None:
        self.stored: dict[str, dict[str, Any]] = {}
        self._schedulers: dict[Settings, Scheduler] = {}
        self.by_deck: dict[str, Scheduler] = {}  # until the next settings change

    def apply(self, event: Event) -> None:
        self.by_deck.clear()
        scope, name, value = setting_change(event)
        values = self.stored.setdefault(scope, {})
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value

    def settings(self, deck_id: str) -> Settings:
        merged = from_stored(self.stored.get("", {}), DEFAULTS)
        return from_stored(self.stored.get(deck_id, {}), merged)

    def scheduler(self, deck_id: str) -> Scheduler:
        found = self.by_deck.get(deck_id)
        if found is None:
            settings = self.settings(deck_id)
            if settings not in self._schedulers:
                self._schedulers[settings] = Scheduler(settings)
            found = self.by_deck[deck_id] = self._schedulers[settings]
        return found


def replay(
    events: Iterable[Event], deck_of: dict[str, str], undone: set[str]
) -> dict[str, CardRecord]:
    """Fold events, already in global order, into each card's record.

    ``deck_of`` maps card keys to deck ids (whose settings apply); ``undone`` holds the
    ids that undo events name, so an undone event is skipped wherever it sits.
    """
    timeline = SettingsTimeline()
    # Schedules and flags are folded apart: answers, nearly all of a log, then touch one
    # dict entry instead of building a record each; flag events never touch a schedule.
    # Schedules stay in py-fsrs's form until the end (``Progress``).
    progress: dict[str, Progress] = {}
    flags: dict[str, CardRecord] = {}
    answer, forget, setting, undo, practice = (
        EventKind.ANSWER,
        EventKind.FORGET,
        EventKind.SETTING,
        EventKind.UNDO,
        EventKind.PRACTICE,
    )
    by_deck = timeline.by_deck
    for event in events:
        kind = event.kind
        if kind is setting:
            timeline.apply(event)
            continue
        key = event.card_key
        if key is None or kind is undo or kind is practice or (undone and event.id in undone):
            continue
        deck = deck_of.get(key)
        if deck is None:
            continue
        if kind is answer:
            scheduler = by_deck.get(deck) or timeline.scheduler(deck)
            progress[key] = scheduler.step(
                key,
                progress.get(key, NEW_PROGRESS),
                event.rating or 0,
                event.at,
                ordered=is_ordered(event),
            )
        elif kind is forget:
            progress[key] = NEW_PROGRESS
        else:
            flags[key] = apply(flags.get(key, NEW_RECORD), event, None)
    return {
        key: flags.get(key, NEW_RECORD)._replace(
            memory=progress[key].memory() if key in progress else NEW_MEMORY
        )
        for key in progress.keys() | flags.keys()
    }


def undone_ids(events: Iterable[Event]) -> set[str]:
    return {e.target for e in events if e.kind is EventKind.UNDO and e.target}
