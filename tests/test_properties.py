"""Properties over random answer histories, on a real SQLite file:

- the cached card rows equal a model built from ``Scheduler.answer`` plus the leech
  rules, ``doctor`` finds them equal to a replay of the log exactly (floats included),
  and ``doctor --rebuild`` from the log alone gives every row back, flags and buries too;
- undo (a tombstone in the log) restores the card's row exactly, after any step and all
  the way back, and the undone events no longer count;
- daily limits hold per study day, which rolls over at 04:00 America/New_York, and a
  session that runs out of cards has used the whole quota when cards were left.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadcards import doctor
from leadcards.cli import app
from leadcards.clock import to_ms
from leadcards.deck.load import load_deck
from leadcards.deck.model import Deck
from leadcards.review_queue import deck_counts
from leadcards.scheduling import NEW_MEMORY, Memory, Scheduler
from leadcards.session import Session
from leadcards.store import Store, is_leech_lapse, open_store
from leadcards.sync import sync_files

from .conftest import AT, DAY, MINUTE, db_rows

runner = CliRunner()
CARDS = 2


def basic_deck(n: int) -> str:
    lines = ["id: mini", "name: Mini", "cards:"]
    for i in range(n):
        lines += [f"  - id: c{i:02d}", f"    front: Question {i}", f"    back: Answer {i}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def deck_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("decks") / "mini.yaml"
    path.write_text(basic_deck(30))
    return path


@contextmanager
def fresh_home(deck_file: Path, **setting: Any) -> Iterator[tuple[Path, Store]]:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        with open_store(home) as store:
            for name, value in setting.items():
                store.set_setting(name, value, at_ms=AT - 500 * DAY)
            sync_files(store, [deck_file], AT - 400 * DAY)
            yield home, store


def key(i: int) -> str:
    return f"mini:c{i:02d}:front"


RECORD = (*asdict(NEW_MEMORY), "suspended", "leech", "buried_until")


def rows(store: Store) -> dict[str, dict[str, Any]]:
    return {r["key"]: dict(r) for r in db_rows(store, "SELECT * FROM cards")}


def live_log(store: Store) -> list[tuple[Any, ...]]:
    """The events that still count: neither undone nor tombstones."""
    return [
        tuple(r)
        for r in db_rows(
            store,
            "SELECT * FROM events e WHERE kind != 'undo' AND NOT EXISTS "
            "(SELECT 1 FROM events u WHERE u.kind = 'undo' AND u.target = e.id) ORDER BY at, id",
        )
    ]


# random histories -------------------------------------------------------------------

gaps = st.one_of(
    st.integers(1, 20 * MINUTE),  # within a sitting
    st.integers(1, 3 * DAY),
    st.integers(3 * DAY, 60 * DAY),  # after a break
)
# mostly answers (Again and Easy often, so cards lapse), now and then a forget or a flag
KINDS = ("answer",) * 8 + ("forget", "suspend", "unsuspend", "bury")
steps = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.integers(0, CARDS - 1),
        st.sampled_from([1, 1, 2, 3, 4, 4]),
        gaps,
    ),
    min_size=6,
    max_size=40,
)
# Easy, then lapses until a leech (threshold 2), then unsuspend, lapse again, forget, start over
LEECH_STORY = [
    ("answer", 0, 4, 1),
    ("answer", 0, 1, 8 * DAY),
    ("answer", 0, 3, 10 * MINUTE),
    ("answer", 1, 4, MINUTE),
    ("answer", 0, 1, 3 * DAY),  # second lapse: a leech, suspended
    ("unsuspend", 0, 0, MINUTE),
    ("answer", 0, 3, 10 * MINUTE),
    ("answer", 0, 1, 2 * DAY),  # third lapse: a leech mark again
    ("forget", 0, 0, MINUTE),
    ("answer", 0, 4, MINUTE),
    ("bury", 1, 0, 1),
    ("answer", 1, 1, 9 * DAY),
]
PROFILE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def apply(store: Store, step: tuple[str, int, int, int], at: int) -> str:
    """Perform one step on the store; the id of the event it logged."""
    kind, index, rating, _ = step
    if kind == "answer":
        return store.answer(key(index), rating, 1234, at).event_id
    if kind == "forget":
        return store.forget(key(index), at)
    if kind == "bury":
        return store.bury(key(index), at + DAY, at)
    if kind == "suspend":
        return store.suspend(key(index), at)
    return store.unsuspend(key(index), at)


class Model:
    """What each card's row must hold: FSRS for the schedule, Anki's rules for flags."""

    def __init__(self, s: Scheduler) -> None:
        self.s = s
        self.rows = {
            key(i): {**asdict(NEW_MEMORY), "suspended": 0, "leech": 0, "buried_until": None}
            for i in range(30)
        }

    def apply(self, step: tuple[str, int, int, int], at: int) -> None:
        kind, index, rating, _ = step
        row = self.rows[key(index)]
        memory = Memory(**{c: row[c] for c in asdict(NEW_MEMORY)})
        if kind == "answer":
            after = self.s.answer(key(index), memory, rating, at)
            row.update(asdict(after))
            if after.lapses > memory.lapses and is_leech_lapse(
                after.lapses, self.s.settings.leech_threshold
            ):
                row["suspended"] = row["leech"] = 1
                event("a card became a leech")
        elif kind == "forget":
            row.update(asdict(NEW_MEMORY))
        elif kind == "bury":
            row["buried_until"] = at + DAY
        else:
            row["suspended"] = int(kind == "suspend")


@PROFILE
@example(history=LEECH_STORY, leech_threshold=2, fuzz=True, retention=0.9)
@given(
    history=steps,
    leech_threshold=st.integers(1, 3),
    fuzz=st.booleans(),
    retention=st.sampled_from([0.7, 0.85, 0.9, 0.97]),
)
def test_cache_equals_model_and_replay(
    deck_file: Path,
    history: list[tuple[str, int, int, int]],
    leech_threshold: int,
    fuzz: bool,
    retention: float,
) -> None:
    with fresh_home(
        deck_file, leech_threshold=leech_threshold, fuzz=fuzz, desired_retention=retention
    ) as (home, store):
        s = Scheduler(store.settings("mini"))
        model = Model(s)
        at = AT
        for step in history:
            at += step[3]
            apply(store, step, at)
            model.apply(step, at)
        cached = rows(store)
        for card_key, expected in model.rows.items():
            assert {c: cached[card_key][c] for c in RECORD} == expected
        # exact equality with a replay: floats too, no tolerance
        report = doctor.check(store)
        assert report.ok
        leeches = sum(1 for r in db_rows(store, "SELECT 1 FROM events WHERE kind = 'leech'"))
        logged = 3 + len(history) + leeches  # three settings, each step, each leech mark
        assert report.lines == [
            "integrity: ok",
            f"replay: 30 cards match their {logged} log events",
        ]
        result = runner.invoke(app, ["doctor", "--home", str(home)])
        assert result.exit_code == 0
        assert result.stdout == (
            "integrity: ok\n"
            "decks: every card has its row (1 deck)\n"
            f"replay: 30 cards match their {logged} log events\n"
        )
        # the log alone gives every row back: wipe the cache, rebuild, compare every column
        with sqlite3.connect(store.path) as raw:
            raw.execute(
                "UPDATE cards SET state = 0, step = NULL, stability = NULL, difficulty = NULL, "
                "due = NULL, last_review = NULL, reps = 0, lapses = 0, suspended = 0, "
                "leech = 0, buried_until = NULL"
            )
        result = runner.invoke(app, ["doctor", "--rebuild", "--home", str(home)])
        assert result.exit_code == 0, result.output
        assert rows(store) == cached


@PROFILE
@example(history=LEECH_STORY, leech_threshold=2)
@given(history=steps, leech_threshold=st.integers(1, 2))
def test_undo_restores_the_row_after_any_step(
    deck_file: Path, history: list[tuple[str, int, int, int]], leech_threshold: int
) -> None:
    with fresh_home(deck_file, leech_threshold=leech_threshold) as (_, store):
        at = AT
        settings_only = live_log(store)
        done: list[tuple[str, str, dict[str, Any]]] = []
        for step in history:
            at += step[3]
            card_key = key(step[1])
            table, entries = rows(store), live_log(store)
            first_id = apply(store, step, at)
            first = rows(store)[card_key]
            if first["leech"] and not table[card_key]["leech"]:
                event("undo of a leech suspension")
            result = store.undo(first_id, at)
            assert result is not None and result.key == card_key
            assert rows(store) == table  # every column of every card
            assert live_log(store) == entries
            assert store.undo(first_id, at) is None  # an undone event stays undone
            again = apply(store, step, at)  # again: the same step gives the same row
            assert rows(store)[card_key] == first
            done.append((again, card_key, table[card_key]))
        # and all the way back, newest first
        for event_id, card_key, before in reversed(done):
            result = store.undo(event_id, at)
            assert result is not None and result.key == card_key
            assert rows(store)[card_key] == before
        assert live_log(store) == settings_only


# daily limits across 04:00 local ------------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2026, 3, 2, 20, 0, tzinfo=NEW_YORK)
# instants near the rollover of the next three study days, and anywhere in between
near_rollover = st.builds(
    lambda day, seconds: to_ms(datetime(2026, 3, 3 + day, 4, 0, tzinfo=NEW_YORK)) + seconds * 1000,
    st.integers(0, 2),
    st.integers(-120, 120),
)
anywhere = st.integers(to_ms(START), to_ms(START + timedelta(days=3)))
sittings = st.lists(
    st.tuples(
        st.one_of(near_rollover, anywhere),
        st.integers(1, 12),  # cards to answer at most
        st.lists(st.sampled_from([1, 3, 3, 4]), min_size=12, max_size=12),
    ),
    min_size=1,
    max_size=6,
)


def study_day(ms: int) -> str:
    local = datetime.fromtimestamp(ms / 1000, NEW_YORK)
    return (local - timedelta(hours=4)).date().isoformat()


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        yield
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sessions=sittings, new_per_day=st.integers(0, 4), reviews_per_day=st.integers(0, 4))
def test_daily_limits_hold_across_the_four_oclock_rollover(
    deck_file: Path,
    new_york: None,
    sessions: list[tuple[int, int, list[int]]],
    new_per_day: int,
    reviews_per_day: int,
) -> None:
    deck: Deck = load_deck(deck_file)
    with fresh_home(
        deck_file, new_per_day=new_per_day, reviews_per_day=reviews_per_day, fuzz=False
    ) as (_, store):
        seeded_at = to_ms(START) - 12 * DAY
        for i in range(20, 30):  # reviews due during the test
            store.answer(key(i), 4, 0, seeded_at + i)
        end = 0
        for start, most, ratings in sorted(sessions):
            start = max(start, end)  # sittings follow each other
            clock = [start]
            session = Session(store, [deck], clock=lambda c=clock: c[0])
            day = study_day(start)
            done = Counter(state for at, state in answers(store) if study_day(at) == day)
            counts = deck_counts(store, "mini", "Mini", start)
            assert counts.new == min(max(0, new_per_day - done[0]), available_new(store, start))
            answered = 0
            while answered < most and session.next_card() is not None:
                session.answer(ratings[answered])
                answered += 1
                clock[0] += 1000
            end = clock[0]
            exhausted = answered < most
            if exhausted and study_day(clock[0]) == day:
                today = Counter(s for at, s in answers(store) if study_day(at) == day)
                if available_new(store, clock[0]):
                    assert today[0] == new_per_day  # the whole quota was offered
                if due_reviews(store, clock[0]):
                    assert today[2] == reviews_per_day
        per_day: dict[str, Counter[int]] = {}
        for at, state in answers(store):
            if at > seeded_at + 100:
                per_day.setdefault(study_day(at), Counter())[state] += 1
        for day, tally in per_day.items():
            assert tally[0] <= new_per_day, (day, tally)
            assert tally[2] <= reviews_per_day, (day, tally)
            if tally[0] == new_per_day and new_per_day:
                event("a day's new-card quota was used up")


def answers(store: Store) -> list[tuple[int, int]]:
    return [
        (r[0], r[1])
        for r in db_rows(
            store, "SELECT at, state_before FROM events WHERE kind = 'answer' ORDER BY at, id"
        )
    ]


def available_new(store: Store, at: int) -> int:
    return db_rows(
        store,
        "SELECT count(*) FROM cards WHERE state = 0 AND suspended = 0 AND removed = 0 "
        "AND (buried_until IS NULL OR buried_until <= ?)",
        (at,),
    )[0][0]


def due_reviews(store: Store, at: int) -> int:
    end = to_ms(
        datetime.fromisoformat(study_day(at)).replace(tzinfo=NEW_YORK) + timedelta(days=1, hours=4)
    )
    return db_rows(
        store, "SELECT count(*) FROM cards WHERE state = 2 AND due < ? AND suspended = 0", (end,)
    )[0][0]


def test_rollover_minute_by_minute(deck_file: Path, new_york: None) -> None:
    """03:59 local counts for the previous study day; at 04:00 the quota is fresh."""
    deck = load_deck(deck_file)
    with fresh_home(deck_file, new_per_day=2, reviews_per_day=1, fuzz=False) as (_, store):
        for i in (20, 21, 22):
            store.answer(key(i), 4, 0, to_ms(START) - 12 * DAY)
        late = to_ms(datetime(2026, 3, 3, 3, 59, tzinfo=NEW_YORK))
        rollover = to_ms(datetime(2026, 3, 3, 4, 0, tzinfo=NEW_YORK))
        session = Session(store, [deck], clock=lambda: late)
        shown = []
        while (card := session.next_card()) is not None:
            shown.append(card.key)
            session.answer(4)
        assert shown == [key(20), key(0), key(1)]
        assert Session(store, [deck], clock=lambda: rollover - 1).remaining() == (0, 0, 0)
        fresh = Session(store, [deck], clock=lambda: rollover)
        assert fresh.remaining() == (2, 0, 1)
        assert [study_day(late), study_day(rollover)] == ["2026-03-02", "2026-03-03"]


# what the review screen counts equals what status counts, at every step ----------------

ACTIONS = st.lists(st.sampled_from(["1", "3", "4", "b", "s", "u", "u"]), min_size=1, max_size=30)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS, new_per_day=st.integers(1, 6))
def test_screen_counts_equal_status_at_every_step(
    deck_file: Path, actions: list[str], new_per_day: int
) -> None:
    from leadcards.ui.controller import Controller

    deck = load_deck(deck_file)
    with fresh_home(deck_file, new_per_day=new_per_day, fuzz=False) as (_, store):
        clock = [AT]
        controller = Controller(Session(store, [deck], clock=lambda: clock[0]), {"mini": "Mini"})
        controller.start()
        for action in actions:
            if controller.finished:
                break
            if action in "134" and not controller.revealed:
                controller.handle("enter")
            controller.handle(action)
            clock[0] += 1000
            status = deck_counts(store, "mini", "Mini", clock[0])
            on_screen = controller.counts() if controller.card is not None else None
            if on_screen is not None:
                event(f"after {action}")
                assert on_screen == (status.new, status.learning, status.due), action


# siblings never hold a due review back more than a day -------------------------------

SIBLING_DECK = """\
id: sib
name: Siblings
tables:
  - id: t
    title: Sides
    row_label: Aspect
    columns: [Management, Leadership]
    rows:
""" + "".join(f"      - {{label: Row {i}, cells: [m{i}, l{i}]}}\n" for i in range(6))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ratings=st.lists(st.sampled_from([1, 1, 2, 3, 3, 3, 4]), min_size=50, max_size=50),
    relearning=st.sampled_from([[600], [86_400], [3_600, 86_400]]),
)
def test_no_due_review_waits_behind_a_sibling_more_than_a_day(
    tmp_path_factory: pytest.TempPathFactory, ratings: list[int], relearning: list[int]
) -> None:
    """Over simulated months of daily sessions, a review due on one study day is shown
    that day or the next, whatever its siblings do. (The learner buries a card failed
    three times in a day, as one does: endless relearning would otherwise hold every
    review back, siblings or not, since due learning cards come first, as in Anki.)"""
    path = tmp_path_factory.mktemp("sib") / "sib.yaml"
    path.write_text(SIBLING_DECK)
    deck = load_deck(path)
    with fresh_home(
        path, fuzz=False, new_per_day=6, reviews_per_day=9999, relearning_steps=relearning
    ) as (_, store):
        waiting: dict[str, int] = {}  # review card → first study day it was due
        answered = 0
        for day in range(75):
            start = AT + day * DAY  # 09:00 each day; the study day starts at 04:00
            end = start + 19 * 3_600_000
            for card in store.deck_cards("sib"):
                memory = card.memory
                if card.suspended:  # a leech (all those Agains): out of reviews on purpose
                    waiting.pop(card.key, None)
                elif memory.state == 2 and memory.due is not None and memory.due < end:
                    waiting.setdefault(card.key, day)
            late = {key: first for key, first in waiting.items() if first < day - 1}
            assert not late, (day, late)
            clock = [start]
            session = Session(store, [deck], clock=lambda c=clock: c[0])
            seen: Counter[str] = Counter()
            while (shown := session.next_card()) is not None and clock[0] < end:
                waiting.pop(shown.key, None)
                seen[shown.key] += 1
                if seen[shown.key] > 3:  # failed thrice today: the learner moves on
                    session.bury()
                    continue
                session.answer(ratings[answered % len(ratings)])
                answered += 1
                clock[0] += 30_000
        event(f"answers: {answered // 500 * 500}+")
