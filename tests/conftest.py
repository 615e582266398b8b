"""Shared fixtures: every test gets its own data folder and a fixed clock."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from leadcards.clock import to_ms
from leadcards.deck.load import load_deck
from leadcards.deck.model import Deck
from leadcards.store import Store, open_store
from leadcards.sync import sync_deck

from .anki_packages import AnkiPackages, anki_available, build_packages

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
BUILTIN_DECK = REPO / "decks" / "leadership-vs-management.yaml"

# The fixed "now" of every test (LEADCARDS_NOW below), and spans in milliseconds.
AT = to_ms(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
MINUTE = 60_000
HOUR = 3_600_000
DAY = 86_400_000

# A deck with one comparison table (two rows) and one plain card.
TABLE_DECK = """\
id: tbl
name: Table deck
tables:
  - id: cmp
    title: Management vs leadership
    row_label: Aspect
    columns: [Management, Leadership]
    rows:
      - label: Focus
        cells: ["Systems and tasks", "People and purpose"]
      - label: Risk
        cells: ["Risk-averse", "Embraces change"]
cards:
  - id: solo
    front: A plain question
    back: A plain answer
"""


class Clock:
    """A session's clock that a test moves by hand (``clock.at += MINUTE``)."""

    def __init__(self, at: int = AT) -> None:
        self.at = at

    def __call__(self) -> int:
        return self.at


def basic_deck(n: int, deck_id: str = "mini") -> str:
    """A deck of ``n`` plain cards, c00, c01, …"""
    lines = [f"id: {deck_id}", f"name: {deck_id.title()} deck", "cards:"]
    for i in range(n):
        lines += [f"  - id: c{i:02d}", f"    front: Question {i}", f"    back: Answer {i}"]
    return "\n".join(lines) + "\n"


def key(i: int) -> str:
    """The key of card ``i`` of ``basic_deck``."""
    return f"mini:c{i:02d}:front"


def answer_all(session: Any, rating: int) -> list[str]:
    """Draw, reveal and rate with ``rating`` every card a session has left: their keys."""
    shown = []
    while (card := session.next_card()) is not None:
        shown.append(card.key)
        session.reveal()
        session.answer(rating)
    return shown


def as_from_a_shell() -> None:
    """``preexec_fn`` for a program spawned in a pseudo-terminal: Ctrl-C back to its
    default. A shell running a command in the background (``cmd &``, ``nohup``) starts it
    with SIGINT ignored, which its children inherit, and Python then leaves Ctrl-C
    without a handler; a learner at an interactive shell always has one."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test may touch the real user data folder or depend on the wall clock."""
    home = tmp_path / "home"
    monkeypatch.setenv("LEADCARDS_HOME", str(home))
    monkeypatch.setenv("LEADCARDS_NOW", "2026-03-02T09:00:00+00:00")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def mini(tmp_path: Path, isolated_home: Path) -> Iterator[tuple[Store, Deck]]:
    """The store of a fresh data folder holding ``basic_deck(8)``, synced 30 days ago."""
    path = tmp_path / "mini.yaml"
    path.write_text(basic_deck(8))
    deck = load_deck(path)
    with open_store(isolated_home) as store:
        sync_deck(store, deck, AT - 30 * DAY)
        yield store, deck


@pytest.fixture
def write_deck(tmp_path: Path):
    """Write YAML text to a deck file and return its path."""

    def write(text: str, name: str = "deck.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


class Row(tuple):  # type: ignore[type-arg]  # a tuple of any column values
    """A result row that compares as a tuple and also answers ``row["column"]``."""

    names: tuple[str, ...] = ()

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, str):
            return tuple.__getitem__(self, self.names.index(item))
        return tuple.__getitem__(self, item)

    def keys(self) -> tuple[str, ...]:
        return self.names


def db_rows(db: Any, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
    """Read the database file as an outsider would, through a connection of our own:
    the store keeps its connection private."""

    def make(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Row:
        row = Row(values)
        row.names = tuple(d[0] for d in cursor.description)
        return row

    path = db.path if hasattr(db, "path") else db
    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = make
        return conn.execute(sql, params).fetchall()


def db_execute(db: Any, sql: str, params: tuple[Any, ...] = ()) -> None:
    """Change the database file as a hand edit or a damaged disk would, through a
    connection of our own, bypassing every check the store makes."""
    path = db.path if hasattr(db, "path") else db
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(sql, params)
        conn.commit()


@pytest.fixture(scope="session")
def anki_packages(tmp_path_factory: pytest.TempPathFactory) -> AnkiPackages:
    """Real Anki packages of every generation, made once a run by the ``anki`` library
    (``tests/anki_packages.py`` says what they hold). Treat them as read-only."""
    reason = anki_available()
    if reason is not None:
        pytest.skip(reason)
    return build_packages(tmp_path_factory.mktemp("anki-packages"))
