"""Line mode in-process: the transcript, and the end both front ends share.

test_review_terminal.py runs the real program; here the session's clock is injected,
so the text can be pinned whole.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from leadcards.deck.load import load_deck
from leadcards.errors import ExitStatus
from leadcards.session import Session
from leadcards.store import open_store
from leadcards.sync import sync_deck
from leadcards.ui.review import run_lines

from .conftest import AT

DECK = "id: ln\nname: Lines\ncards:\n  - {id: one, front: '**First**', back: A}\n"


@pytest.fixture
def make_session(isolated_home: Path, write_deck: Callable[[str], Path]) -> Callable[..., Session]:
    def make(**settings: object) -> Session:
        deck = load_deck(write_deck(DECK))
        store = open_store(isolated_home)
        for name, value in {"fuzz": False, **settings}.items():
            store.set_setting(name, value, at_ms=0)
        sync_deck(store, deck, AT)
        return Session(store, [deck], clock=lambda: AT)

    return make


@pytest.fixture
def session(make_session: Callable[..., Session]) -> Session:
    return make_session()


class Interrupting(io.StringIO):
    """Input that is Ctrl-C'd once its lines run out."""

    def readline(self, size: int | None = -1) -> str:
        line = super().readline()
        if not line:
            raise KeyboardInterrupt
        return line


def test_a_whole_session_as_text(session: Session) -> None:
    out = io.StringIO()
    assert run_lines(session, {"ln": "Lines"}, io.StringIO("\n\n"), out) == 0
    text = re.sub(r"in \d+m \d\ds", "in 0m 00s", out.getvalue())  # wall-clock duration
    assert text.splitlines() == [
        "--- card 1 of 1 · Lines · 1 new, 0 learning, 0 due",
        "Q: First",  # no asterisks for a screen reader
        "(empty line to show the answer)",
        "A: A",
        "1 Again 1m · 2 Hard 6m · 3 Good 10m · 4 Easy 8d (empty line = 3)",
        "Good: next in 10m.",
        "--- card 2 of 2 · Lines · 0 new, 1 learning, 0 due",  # due within the learn-ahead limit
        "Q: First",
        "(empty line to show the answer)",
        "Session over: Lines",  # no box drawing for a screen reader to read out
        "Cards answered: 1 in 0m 00s",
        "Recalled: 100% (Again 0 · Hard 0 · Good 1 · Easy 0)",
        "Still due today: 1",
        "Next card: in 10m (2026-03-02 09:10)",
    ]


def test_the_next_card_is_timed_by_the_sessions_clock(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEADCARDS_NOW", "2026-03-05T09:00:00+00:00")  # not the session's time
    out = io.StringIO()
    run_lines(session, {"ln": "Lines"}, io.StringIO("\n3\n"), out)
    assert "Next card: in 10m (2026-03-02 09:10)" in out.getvalue()


def test_ctrl_c_ends_with_the_summary_and_exit_130(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    code = run_lines(session, {"ln": "Lines"}, Interrupting("\n3\n"), out)
    assert code == ExitStatus.INTERRUPTED == 130
    assert "Good: next in 10m." in out.getvalue()
    assert "Cards answered: 1" in out.getvalue()
    assert capsys.readouterr().err == "interrupted: every answer given is saved\n"


def test_nothing_due_is_one_line(make_session: Callable[..., Session]) -> None:
    session = make_session(new_per_day=0)
    out = io.StringIO()
    assert run_lines(session, {"ln": "Lines"}, io.StringIO(""), out) == 0
    assert out.getvalue() == "Nothing due now. Next card: nothing scheduled.\n"


def test_a_rating_before_the_answer_is_a_notice_and_logs_nothing(session: Session) -> None:
    out = io.StringIO()
    run_lines(session, {"ln": "Lines"}, io.StringIO("3\n"), out)
    assert "Show the answer first (space), then rate 1–4.\n" in out.getvalue()
    assert "Cards answered: 0" in out.getvalue()
    assert [e.kind.value for e in session.store.events()] == ["setting"]  # the fixture's
