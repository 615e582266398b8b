"""`merge`: the union of two devices' logs, replayed. Whichever merges into which, in
any order and however often, the cards and the log come out the same, and nothing
answered on either device is lost; the other file is only read."""

from __future__ import annotations

import hashlib
import itertools
import random
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadcards import doctor
from leadcards.cli import app
from leadcards.deck.load import load_deck
from leadcards.store import Store, open_store
from leadcards.sync import sync_deck

from .conftest import AT, DAY, HOUR, MINUTE, basic_deck, db_execute, db_rows, key

runner = CliRunner()
STATE = "key, state, step, stability, difficulty, due, last_review, reps, lapses, suspended, leech"


def device(root: Path, name: str, deck_file: Path) -> Path:
    home = root / name
    with open_store(home) as store:
        sync_deck(store, load_deck(deck_file), AT - 30 * DAY)
    return home


def study(store: Store, rng: random.Random, start: int, steps: int) -> None:
    """A learner's random day on one device: answers, undos, suspensions, buries and a
    settings change, at times from ``start`` (devices' clocks disagree)."""
    at = start
    answered: list[str] = []
    for _ in range(steps):
        at += rng.randrange(1, 90) * MINUTE
        card = key(rng.randrange(8))
        move = rng.random()
        if move < 0.6:
            answered.append(store.answer(card, rng.randrange(1, 5), 5000, at).event_id)
        elif move < 0.7 and answered:
            store.undo(answered.pop(), at)
        elif move < 0.8:
            store.suspend(card, at)
        elif move < 0.85:
            store.unsuspend(card, at)
        elif move < 0.93:
            store.bury(card, at + DAY, at)
        else:
            store.set_setting("desired_retention", rng.choice([0.85, 0.9, 0.95]), at_ms=at)


def snapshot(home: Path) -> tuple[list[Any], list[Any], list[Any]]:
    db = home / "leadcards.db"
    return (
        db_rows(db, f"SELECT {STATE} FROM cards ORDER BY key"),
        db_rows(db, "SELECT id, at, kind, card_key, rating, target, data FROM events ORDER BY id"),
        db_rows(db, "SELECT scope, key, value FROM settings ORDER BY 1, 2"),
    )


def merge(into: Path, other: Path) -> int:
    with open_store(into) as store:
        return store.merge_from(other / "leadcards.db").events


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(basic_deck(8))
    return path


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), skew=st.integers(-3, 3), days=st.integers(1, 3))
def test_two_devices_merged_either_way_and_twice_agree(seed: int, skew: int, days: int) -> None:
    """Random histories on two devices (answers, undos, suspensions, buries, settings
    changes; b's clock ``skew`` hours off), merged either way and again."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        deck_file = root / "mini.yaml"
        deck_file.write_text(basic_deck(8))
        a, b = device(root, "a", deck_file), device(root, "b", deck_file)
        for day in range(days):
            with open_store(a) as store:
                study(store, rng, AT + day * DAY, 8)
            with open_store(b) as store:
                study(store, rng, AT + day * DAY + skew * HOUR, 8)
        logged = {e[0] for home in (a, b) for e in snapshot(home)[1]}
        b_before = hashlib.sha256((b / "leadcards.db").read_bytes()).digest()
        assert merge(a, b) > 0
        assert hashlib.sha256((b / "leadcards.db").read_bytes()).digest() == b_before
        merge(b, a)
        assert snapshot(a) == snapshot(b)
        assert {e[0] for e in snapshot(a)[1]} == logged  # every event of both, none twice
        assert merge(a, b) == merge(b, a) == 0
        with open_store(a) as store:
            assert doctor.check(store).ok


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_three_devices_merged_in_every_order_agree(seed: int) -> None:
    with tempfile.TemporaryDirectory() as work:
        tmp_path = Path(work)
        deck_file = tmp_path / "mini.yaml"
        deck_file.write_text(basic_deck(8))
        _three_devices(tmp_path, deck_file, random.Random(seed))


def _three_devices(tmp_path: Path, deck_file: Path, rng: random.Random) -> None:
    homes = [device(tmp_path, name, deck_file) for name in ("a", "b", "c")]
    for offset, home in zip((0, -HOUR, 2 * HOUR), homes, strict=True):
        with open_store(home) as store:
            study(store, rng, AT + offset, 12)
    results = []
    for order in itertools.permutations(range(3)):
        copies = []
        for n, i in enumerate(order):
            copy = tmp_path / f"order-{''.join(map(str, order))}-{n}"
            shutil.copytree(homes[i], copy)
            copies.append(copy)
        merge(copies[0], copies[1])
        merge(copies[0], copies[2])
        results.append(snapshot(copies[0]))
    assert all(r == results[0] for r in results)
    assert len(results[0][1]) == sum(len(snapshot(h)[1]) for h in homes)


def test_an_answer_undone_on_one_device_stays_undone(tmp_path: Path, deck_file: Path) -> None:
    a, b = device(tmp_path, "a", deck_file), device(tmp_path, "b", deck_file)
    with open_store(a) as store:
        answer = store.answer(key(0), 1, 4000, AT)
    shutil.copy(a / "leadcards.db", tmp_path / "a-before-undo.db")
    with open_store(a) as store:
        store.undo(answer.event_id, AT + MINUTE)
    with open_store(b) as store:
        store.merge_from(tmp_path / "a-before-undo.db")  # b saw the answer first
        assert store.card(key(0)).memory.reps == 1
        store.merge_from(a / "leadcards.db")  # then the undo
        assert store.card(key(0)).memory.reps == 0
    assert db_rows(b / "leadcards.db", "SELECT count(*) FROM live_events") == [(0,)]


def test_taken_answers_replay_their_cards_and_a_setting_replays_every_card(
    tmp_path: Path, deck_file: Path
) -> None:
    """A few answers from another device must not replay a log of a million events (14 s
    at 100,000 cards): only the cards they name are replayed. A card whose cached row a
    test has spoiled shows which were."""
    a, b = device(tmp_path, "a", deck_file), device(tmp_path, "b", deck_file)
    with open_store(b) as store:
        store.answer(key(0), 3, 4000, AT)
    db_execute(a / "leadcards.db", "UPDATE cards SET reps = 99 WHERE key = ?", (key(5),))
    with open_store(a) as store:
        report = store.merge_from(b / "leadcards.db")
        assert (report.events, report.cards) == (1, 1)
        assert store.card(key(0)).memory.reps == 1
        assert store.card(key(5)).memory.reps == 99  # not named, not replayed
    with open_store(b) as store:
        store.set_setting("desired_retention", 0.85, at_ms=AT + HOUR)
    with open_store(a) as store:
        report = store.merge_from(b / "leadcards.db")
        assert report.events == 1
        assert store.card(key(5)).memory.reps == 0  # a setting: every card replayed
        assert store.settings().desired_retention == 0.85
    assert snapshot(a)[0] == snapshot(b)[0]


def test_cards_of_a_deck_not_synced_here_keep_their_history(
    tmp_path: Path, deck_file: Path
) -> None:
    a = tmp_path / "a"
    b = device(tmp_path, "b", deck_file)
    with open_store(b) as store:
        store.answer(key(3), 3, 4000, AT)
        store.answer(key(3), 3, 4000, AT + 10 * MINUTE)
    with open_store(a) as store:
        report = store.merge_from(b / "leadcards.db")
        assert (report.events, report.unknown) == (2, 1)
        assert db_rows(store, "SELECT removed, reps FROM cards WHERE key = ?", (key(3),)) == [
            (1, 2)
        ]
        sync_deck(store, load_deck(deck_file), AT + HOUR)  # the deck arrives here too
    assert snapshot(a)[0] == snapshot(b)[0]


def test_merge_command_and_its_refusals(tmp_path: Path, deck_file: Path) -> None:
    other = device(tmp_path, "other", deck_file)
    with open_store(other) as store:
        store.answer(key(0), 3, 4000, AT)
    runner.invoke(app, ["status"])
    merged = runner.invoke(app, ["merge", str(other / "leadcards.db")])
    assert merged.exit_code == 0, merged.stderr
    assert merged.stdout.startswith(
        f"Merged 1 event from {other / 'leadcards.db'}; 1 card rescheduled from the log.\n"
        "1 card is of decks not synced here"
    )
    again = runner.invoke(app, ["merge", str(other / "leadcards.db")])
    assert again.stdout.startswith("Nothing to merge: this database already has every event")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    newer = tmp_path / "newer.db"
    shutil.copy(other / "leadcards.db", newer)
    db_execute(newer, "PRAGMA user_version = 99")
    cut = tmp_path / "cut.db"  # caught by a sync tool half way
    whole = (other / "leadcards.db").read_bytes()
    cut.write_bytes(whole[: len(whole) // 2])
    sqlite3.connect(tmp_path / "foreign.db").execute("CREATE TABLE t (x)").connection.commit()
    own = Path(db_rows(tmp_path / "home" / "leadcards.db", "PRAGMA database_list")[0][2])
    cases = {
        text: (1, f"error: {text} is not a leadcards database (not an SQLite file)\n"),
        newer: (1, f"error: {newer} was written by a newer leadcards (schema 99; "),
        tmp_path / "foreign.db": (1, "is an SQLite database but not a leadcards one\n"),
        tmp_path / "missing.db": (2, f"error: {tmp_path / 'missing.db'} is not a file\n"),
        own: (2, f"error: {own} is this data folder's own database\n"),
    }
    for path, (code, line) in cases.items():
        result = runner.invoke(app, ["merge", str(path)])
        assert result.exit_code == code, (path, result.stderr)
        assert line in result.stderr and result.stderr.count("\n") == 1, result.stderr
    result = runner.invoke(app, ["merge", str(cut)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert str(cut) in result.stderr
