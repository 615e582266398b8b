"""The event log: appending events (each with the cache row it changes, in one
transaction), settings as events, undo as a tombstone, and reading the log back.

Time on one device never runs backwards in the log: an event is stamped no earlier than
the newest event it follows (the card's own, or a settings change), and within one
millisecond its id sorts after theirs. So replaying in (time, id) order meets a
device's events in the order it wrote them, and two devices' logs interleave by time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from leadcards.clock import check_time
from leadcards.errors import BadRow, CardNotFound
from leadcards.events import (
    NEW_RECORD,
    ORDERED,
    CardRecord,
    Event,
    EventKind,
    SettingsTimeline,
    apply,
    replay,
    setting_change,
    undone_ids,
)
from leadcards.ids import ulid_after
from leadcards.scheduling import Memory, Scheduler
from leadcards.settings import DEFAULTS, Settings, from_stored
from leadcards.store.cards import CardQueries, _card, record_of
from leadcards.store.vet import (
    RATED,
    WRITTEN_AS_USUAL,
    check_answer,
    check_stamp,
    setting_value,
)
from leadcards.store.vet import event_of as _event

# An answer counts (today's limits, history) unless an undo names it.
LIVE = "NOT EXISTS (SELECT 1 FROM events u WHERE u.kind = 'undo' AND u.target = e.id)"
EVENT_COLUMNS = "id, at, kind, card_key, rating, duration_ms, picked, target, data"


class Logged(NamedTuple):
    """One live event of a card as logged, with what an answer gave it."""

    event: Event
    due_after: int | None
    stability_after: float | None
    difficulty_after: float | None


class AnswerResult(NamedTuple):
    """One answer as stored. Records on the start-up path are named tuples: a frozen
    dataclass costs ten times as much to define, and every command pays that."""

    event_id: str
    key: str
    rating: int
    before: Memory
    after: Memory
    became_leech: bool


class UndoResult(NamedTuple):
    key: str
    kind: EventKind
    rating: int | None


class Answered(NamedTuple):
    """One live answer as logged, for statistics and export."""

    id: str
    card_key: str
    at: int
    rating: int
    duration_ms: int
    picked: str | None
    state_before: int
    due_after: int | None
    stability_after: float | None
    difficulty_after: float | None


def is_leech_lapse(lapses: int, threshold: int) -> bool:
    """As Anki: a leech at the threshold, then again every half threshold."""
    if lapses < threshold:
        return False
    return (lapses - threshold) % max(threshold // 2, 1) == 0


class LogQueries(CardQueries):
    _schedulers: dict[Settings, Scheduler]
    _parsed_settings: dict[tuple[tuple[str, str, str], ...], Settings]

    # settings -------------------------------------------------------------

    def settings(self, deck_id: str | None = None) -> Settings:
        """Global settings, with the deck's overrides on top when a deck is named.

        One query on every call, since another process may change them; the parsing is
        remembered per set of stored rows, because answering asks on every answer.
        """
        rows = tuple(
            (row[0], row[1], row[2])
            for row in self._rows(
                "SELECT scope, key, value FROM settings WHERE scope IN ('', ?) "
                "ORDER BY scope != '', key",
                (deck_id or "",),
            )
        )
        found = self._parsed_settings.get(rows)
        if found is None:
            values = [(s, k, setting_value(s, k, v)) for s, k, v in rows]
            merged = from_stored({k: v for s, k, v in values if not s}, DEFAULTS)
            found = from_stored({k: v for s, k, v in values if s}, merged)
            self._parsed_settings[rows] = found
        return found

    def scheduler(self, deck_id: str) -> Scheduler:
        """FSRS under the deck's settings now: the ones an answer given now is logged under."""
        settings = self.settings(deck_id)
        if settings not in self._schedulers:
            self._schedulers[settings] = Scheduler(settings)
        return self._schedulers[settings]

    def set_setting(self, key: str, value: Any, scope: str = "", *, at_ms: int) -> None:
        """Change (or with ``None`` remove) a setting from now on: an event and its cache."""
        with self._transaction():
            at, event_id = self._stamp(at_ms)
            data = {"scope": scope, "key": key, "value": value}
            self._insert(Event(event_id, at, EventKind.SETTING, data=data))
            if value is None:
                self._run("DELETE FROM settings WHERE scope = ? AND key = ?", (scope, key))
            else:
                self._run(
                    "INSERT INTO settings (scope, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value",
                    (scope, key, json.dumps(value)),
                )

    # appending --------------------------------------------------------------

    def _stamp(self, at_ms: int) -> tuple[int, str]:
        """The time and id of a settings change: no earlier than any event, with an id
        after every id already logged in that millisecond."""
        check_time(at_ms)
        row = self._one(
            "WITH t (at) AS (SELECT max(:at, coalesce((SELECT max(at) FROM events), 0))) "
            "SELECT t.at, (SELECT max(id) FROM events WHERE at = t.at) FROM t",
            {"at": at_ms},
        )
        assert row is not None
        check_stamp(row[0], row[1])
        return row[0], ulid_after(row[0], row[1])

    def _insert(self, event: Event, answer: tuple[Any, ...] = (None,) * 5) -> None:
        data = json.dumps(event.data, separators=(",", ":")) if event.data is not None else None
        self._run(
            f"INSERT INTO events ({EVENT_COLUMNS}, state_before, state_after, due_after, "
            "stability_after, difficulty_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.id,
                event.at,
                event.kind.value,
                event.card_key,
                event.rating,
                event.duration_ms,
                event.picked,
                event.target,
                data,
                *answer,
            ),
        )

    def _current(self, key: str, at_ms: int) -> tuple[CardRecord, str, int, str]:
        """What a new event of the card needs, in one read inside the writing transaction:
        the card's record and deck, and the event's time and id — no earlier than the
        card's newest event and the newest settings change, with an id after every id
        already logged in that millisecond."""
        check_time(at_ms)
        row = self._one(
            "WITH t (at) AS (SELECT max(:at, "
            "coalesce((SELECT max(at) FROM events WHERE card_key = :key), 0), "
            "coalesce((SELECT max(at) FROM events WHERE kind = 'setting'), 0))) "
            "SELECT c.*, t.at AS stamp, (SELECT max(id) FROM events WHERE at = t.at) AS last "
            "FROM cards c, t WHERE c.key = :key",
            {"at": at_ms, "key": key},
        )
        if row is None:
            raise CardNotFound(key)
        check_stamp(row["stamp"], row["last"])
        return record_of(row), row["deck_id"], row["stamp"], ulid_after(row["stamp"], row["last"])

    def answer(
        self,
        key: str,
        rating: int,
        duration_ms: int,
        at_ms: int,
        *,
        picked: str | None = None,
        practice: bool = False,
    ) -> AnswerResult:
        """Log one answer and store the card's new state, in one transaction.

        A ``practice`` answer (``cram``) is logged as one is, with the card's state at
        the time, but as a practice event, which changes no card: ``after`` is ``before``.
        """
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1-4, not {rating}")
        with self._transaction():
            record, deck_id, at, event_id = self._current(key, at_ms)
            event = Event(
                event_id,
                at,
                EventKind.PRACTICE if practice else EventKind.ANSWER,
                key,
                rating=rating,
                duration_ms=max(0, int(duration_ms)),
                picked=picked,
                data=None if practice else ORDERED,
            )
            if practice:
                state = int(record.memory.state)
                self._insert(event, (state, state, None, None, None))
                return AnswerResult(event_id, key, rating, record.memory, record.memory, False)
            scheduler = self.scheduler(deck_id)
            after = apply(record, event, scheduler)
            m = after.memory
            self._insert(
                event,
                (int(record.memory.state), int(m.state), m.due, m.stability, m.difficulty),
            )
            threshold = scheduler.settings.leech_threshold
            lapsed = m.lapses > record.memory.lapses
            became_leech = lapsed and is_leech_lapse(m.lapses, threshold)
            if became_leech:
                mark = Event(ulid_after(at, event_id), at, EventKind.LEECH, key, target=event_id)
                self._insert(mark)
                after = apply(after, mark, None)
            self._write_record(key, after)
        return AnswerResult(event_id, key, rating, record.memory, m, became_leech)

    def _flag_event(self, key: str, kind: EventKind, at_ms: int, data: Any = None) -> str:
        with self._transaction():
            record, _, at, event_id = self._current(key, at_ms)
            event = Event(event_id, at, kind, key, data=data)
            self._insert(event)
            self._write_record(key, apply(record, event, None))
        return event_id

    def forget(self, key: str, at_ms: int) -> str:
        """Reset a card to new; its history stays in the log."""
        return self._flag_event(key, EventKind.FORGET, at_ms)

    def suspend(self, key: str, at_ms: int) -> str:
        return self._flag_event(key, EventKind.SUSPEND, at_ms)

    def unsuspend(self, key: str, at_ms: int) -> str:
        return self._flag_event(key, EventKind.UNSUSPEND, at_ms)

    def bury(self, key: str, until_ms: int, at_ms: int) -> str:
        check_time(until_ms)
        return self._flag_event(key, EventKind.BURY, at_ms, {"until": until_ms})

    def undo(self, event_id: str, at_ms: int) -> UndoResult | None:
        """Take back one event (and the leech mark it caused) by logging a tombstone for it,
        then rebuild its card from the log. ``None`` if it is unknown or already undone."""
        with self._transaction():
            row = self._one(
                f"SELECT {EVENT_COLUMNS} FROM events e WHERE id = ? AND {LIVE}", (event_id,)
            )
            if row is None or row["card_key"] is None:
                return None
            target = _event(row)
            key = str(target.card_key)
            caused = [
                r[0]
                for r in self._rows(
                    f"SELECT id FROM events e WHERE kind = 'leech' AND target = ? AND {LIVE}",
                    (event_id,),
                )
            ]
            _, deck_id, at, tomb_id = self._current(key, at_ms)
            for undone in [event_id, *caused]:
                self._insert(Event(tomb_id, at, EventKind.UNDO, key, target=undone))
                tomb_id = ulid_after(at, tomb_id)
            self._write_record(key, self._replay_card(key, deck_id))
        return UndoResult(key, target.kind, target.rating)

    # reading the log ----------------------------------------------------------

    def _replay_card(self, key: str, deck_id: str) -> CardRecord:
        events = list(self._events_of([key]))
        return replay(events, {key: deck_id}, undone_ids(events)).get(key, NEW_RECORD)

    def _events_of(self, keys: list[str]) -> Iterator[Event]:
        """The settings and the cards ``keys``' events, in global order, each read off its
        index: all a replay of those cards needs."""
        return (
            _event(r)
            for r in self._stream(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE kind = 'setting' UNION ALL "
                f"SELECT {EVENT_COLUMNS} FROM events WHERE card_key IN "
                "(SELECT value FROM json_each(?)) AND kind != 'setting' ORDER BY at, id",
                (json.dumps(keys),),
            )
        )

    def stale_records(self, keys: Iterable[str] | None = None) -> tuple[dict[str, CardRecord], int]:
        """The cards whose cached record differs from a replay of the whole log, each
        with the record the log gives; and how many cards were replayed. What ``doctor``
        compares and rebuilds, and what a merge rewrites after taking events.

        With ``keys``, only those cards are replayed, from their own events and the
        settings, read off the indexes: a card's record depends on nothing else, so after
        taking events that name those cards and no setting, no other card can have
        changed."""
        if keys is not None:
            named = sorted(set(keys))
            rows = {
                row.key: row
                for row in map(
                    _card,
                    self._rows(
                        "SELECT * FROM cards WHERE key IN (SELECT value FROM json_each(?))",
                        (json.dumps(named),),
                    ),
                )
            }
            events = self._events_of(named)
        else:
            rows = {row.key: row for row in self.all_cards()}
            events = self.events()
        replayed = replay(events, {key: row.deck_id for key, row in rows.items()}, self.undone())
        stale = {
            key: replayed.get(key, NEW_RECORD)
            for key, row in rows.items()
            if replayed.get(key, NEW_RECORD) != row.record
        }
        return stale, len(rows)

    def _setting_events(self) -> list[Event]:
        return [
            _event(r)
            for r in self._rows(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE kind = 'setting' ORDER BY at, id"
            )
        ]

    def events(self) -> Iterator[Event]:
        """The whole log in global order (time, then id), one event at a time."""
        return (
            _event(r) for r in self._stream(f"SELECT {EVENT_COLUMNS} FROM events ORDER BY at, id")
        )

    def card_events(self, key: str) -> list[Event]:
        return [
            _event(r)
            for r in self._rows(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE card_key = ? ORDER BY at, id", (key,)
            )
        ]

    def history(self, key: str) -> list[Logged]:
        """One card's live events, oldest first: what `cards KEY` shows."""
        return [
            Logged(_event(tuple(r)[:9]), r[9], r[10], r[11])
            for r in self._rows(
                f"SELECT {EVENT_COLUMNS}, due_after, stability_after, difficulty_after "
                f"FROM live_events WHERE card_key = ? ORDER BY at, id",
                (key,),
            )
        ]

    def undone(self) -> set[str]:
        return {r[0] for r in self._rows("SELECT target FROM events WHERE kind = 'undo'")}

    def event_count(self) -> int:
        return int(self._value("SELECT count(*) FROM events"))

    def answers(self, keys: set[str] | None = None) -> dict[str, list[Answered]]:
        """Every live answer, per card, oldest first (optionally only for ``keys``)."""
        found: dict[str, list[Answered]] = {}
        for r in self._stream(
            "SELECT id, card_key, at, rating, duration_ms, picked, state_before, due_after, "
            f"stability_after, difficulty_after FROM events e WHERE kind = 'answer' AND {LIVE} "
            "ORDER BY at, id"
        ):
            if keys is None or r["card_key"] in keys:
                check_answer(r["id"], r["at"], r["rating"], r["state_before"])
                found.setdefault(r["card_key"], []).append(Answered(*r))
        return found

    def answers_in(self, deck_id: str, start_ms: int, end_ms: int) -> list[tuple[str, int]]:
        """(note id, state before) of each live answer given in the deck in [start, end):
        a study day. Bounded at both ends: answers stamped later (a clock set back since)
        belong to their own day, not to every day before it.

        "events e CROSS JOIN cards c" makes SQLite start from the few log rows of the day
        (by the time index) instead of from every card of the deck.
        """
        return [
            (r[0], r[1])
            for r in self._rows(
                "SELECT c.note_id, e.state_before FROM events e CROSS JOIN cards c "
                "ON c.key = e.card_key WHERE e.at >= ? AND e.at < ? AND e.kind = 'answer' "
                f"AND c.deck_id = ? AND {LIVE}",
                (start_ms, end_ms, deck_id),
            )
        ]

    def started_in(self, deck_id: str, start_ms: int, end_ms: int) -> tuple[int, int]:
        """(new cards introduced, reviews done) in the deck in [start, end), by any
        terminal: what a study day's limits are spent on."""
        row = self._one(
            "SELECT coalesce(sum(e.state_before = 0), 0), coalesce(sum(e.state_before = 2), 0) "
            "FROM events e CROSS JOIN cards c ON c.key = e.card_key WHERE e.at >= ? "
            f"AND e.at < ? AND e.kind = 'answer' AND c.deck_id = ? AND {LIVE}",
            (start_ms, end_ms, deck_id),
        )
        assert row is not None
        return int(row[0]), int(row[1])

    def answer_time(self, deck_ids: list[str]) -> tuple[int, float | None]:
        """(live answers with a time, their median duration in ms) in the decks: how
        long this learner takes per answer. The median skips the answers left open while
        the learner was away, which a mean would not."""
        decks = ",".join("?" * len(deck_ids))
        timed = (
            "FROM events e CROSS JOIN cards c ON c.key = e.card_key WHERE e.kind = 'answer' "
            f"AND e.duration_ms > 0 AND c.deck_id IN ({decks}) AND {LIVE}"
        )
        count = int(self._value(f"SELECT count(*) {timed}", deck_ids))
        if not count:
            return 0, None
        middle = [
            r[0]
            for r in self._rows(
                f"SELECT e.duration_ms {timed} ORDER BY e.duration_ms LIMIT ? OFFSET ?",
                (*deck_ids, 2 - count % 2, (count - 1) // 2),
            )
        ]
        return count, sum(middle) / len(middle)

    def logged_settings(self) -> dict[str, dict[str, Any]]:
        """Settings as the whole log has them, by scope: what the settings table caches."""
        timeline = SettingsTimeline()
        for event in self._setting_events():
            timeline.apply(event)
        return {scope: values for scope, values in timeline.stored.items() if values}

    def cached_settings(self) -> dict[str, dict[str, Any]]:
        """The settings table by scope ('' for global): what was set, not the defaults."""
        found: dict[str, dict[str, Any]] = {}
        for scope, key, value in self._rows("SELECT scope, key, value FROM settings"):
            found.setdefault(scope, {})[key] = setting_value(scope, key, value)
        return found

    def bad_rows(self) -> list[BadRow]:
        """Every log row that reading refuses, in log order: what ``doctor`` names, since
        a command stops at the first it meets. (The settings table is a cache, which
        ``cached_settings`` vets and ``doctor --rebuild`` rewrites.)"""
        found: list[BadRow] = []
        for r in self._stream(
            f"SELECT {EVENT_COLUMNS}, state_before FROM events "
            f"WHERE NOT {WRITTEN_AS_USUAL} ORDER BY at, id"
        ):
            try:
                event = _event(tuple(r)[:9])
                if event.kind in RATED:
                    check_answer(event.id, event.at, event.rating, r["state_before"], event.kind)
                elif event.kind is EventKind.SETTING:
                    setting_change(event)
            except BadRow as bad:
                found.append(bad)
        return found

    def write_settings(self, stored: dict[str, dict[str, Any]]) -> None:
        """Replace the settings cache (after a replay) in one transaction."""
        with self._transaction():
            self._replace_settings(stored)

    def _replace_settings(self, stored: dict[str, dict[str, Any]]) -> None:
        self._run("DELETE FROM settings")
        self._run_many(
            "INSERT INTO settings (scope, key, value) VALUES (?, ?, ?)",
            [
                (scope, key, json.dumps(value))
                for scope, values in stored.items()
                for key, value in values.items()
            ],
        )
