"""The single-key screen's loop on a fake terminal: keys fed in sequence, a size that
changes mid-session, Ctrl-C, a terminal that goes away. Nothing here needs a real
terminal, so it runs the same on every platform; test_review_terminal.py runs the
real program in a pseudo-terminal."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import pytest
from rich.cells import cell_len
from rich.console import Console

from leadcards.deck.load import load_deck
from leadcards.errors import ExitStatus
from leadcards.session import Session
from leadcards.store import open_store
from leadcards.sync import sync_deck
from leadcards.ui import review, terminal
from leadcards.ui.controller import Controller
from leadcards.ui.editor import make_editor

from .conftest import AT, basic_deck, db_rows

Step = list[str] | tuple[int, int] | type[BaseException] | None
"""A read's outcome: keys, a new size (then a read that times out), an exception the
read raises, or None for a terminal gone."""

_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class FakeKeys:
    """A ``console_io.KeyReader`` that plays ``steps`` one per read and keeps every
    frame drawn before each read (what ``out`` received since the previous one)."""

    def __init__(self, steps: list[Step], out: io.StringIO, size: tuple[int, int]) -> None:
        self.steps = list(steps)
        self.out = out
        self.current = size
        self.seen = size
        self.events: list[str] = []
        self.frames: list[str] = []
        self.timeouts: list[float] = []
        self.ansi = True
        self.legacy_during: list[bool] = []
        self.console: Console | None = None
        self._taken = 0

    def __enter__(self) -> FakeKeys:
        self.events.append("enter")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.events.append("exit")

    def pause(self) -> None:
        self.events.append("pause")

    def resume(self) -> None:
        self.events.append("resume")

    def read(self, timeout: float) -> list[str] | None:
        text = self.out.getvalue()
        self.frames.append(text[self._taken :])
        self._taken = len(text)
        self.timeouts.append(timeout)
        if self.console is not None:
            self.legacy_during.append(self.console.legacy_windows)
        if not self.steps:
            raise AssertionError("the loop read past the script")
        step = self.steps.pop(0)
        if isinstance(step, tuple):
            self.current = step
            return []
        if isinstance(step, type):
            raise step
        return step

    def size(self) -> tuple[int, int]:
        return self.current

    def resized(self) -> bool:
        changed, self.seen = self.current != self.seen, self.current
        return changed


def frame_lines(frame: str) -> list[str]:
    """A frame as the terminal shows it: its lines without cursor and style codes."""
    return _CONTROL.sub("", frame).split("\n")


@pytest.fixture
def session(isolated_home: Path, write_deck: Callable[[str], Path]) -> Session:
    deck = load_deck(write_deck(basic_deck(3)))
    store = open_store(isolated_home)
    store.set_setting("fuzz", False, at_ms=0)
    sync_deck(store, deck, AT)
    return Session(store, [deck], clock=lambda: AT)


def _console(out: io.StringIO, *, legacy_windows: bool = False) -> Console:
    return Console(
        file=out,
        force_terminal=True,
        width=80,
        height=24,
        color_system=None,
        legacy_windows=legacy_windows,
    )


def _play(session: Session, steps: list[Step], **console_options: bool) -> FakeKeys:
    out = io.StringIO()
    console = _console(out, **console_options)
    keys = FakeKeys(steps, out, (80, 24))
    keys.console = console
    controller = Controller(session, {"mini": "Mini deck"})
    controller.start()
    terminal.run(controller, console, keys)
    return keys


def test_keys_fed_in_sequence_answer_cards_and_timeouts_change_nothing(
    session: Session,
) -> None:
    keys = _play(session, [[], ["enter"], [], ["3"], [], ["x"], ["q"]])
    assert keys.events == ["enter", "exit"]
    # one frame at the start, then one after each step that carried keys, none after a timeout
    drawn = [bool(frame) for frame in keys.frames]
    assert drawn == [True, False, True, False, True, False, True]
    assert "Question 0" in keys.frames[0] and "Answer 0" not in keys.frames[0]
    assert "Answer 0" in keys.frames[2]
    assert "Good: next in 10m" in keys.frames[4] and "Question 1" in keys.frames[4]
    assert "'x' does nothing here" in keys.frames[6]
    assert keys.timeouts == [terminal.POLL_SECONDS] * 7
    answers = db_rows(
        session.store, "SELECT card_key, rating FROM live_events WHERE kind = 'answer'"
    )
    assert answers == [("mini:c00:front", 3)]


def test_a_size_change_mid_session_redraws_at_the_new_size(session: Session) -> None:
    keys = _play(session, [[], (100, 30), [], (50, 14), (30, 10), ["q"]])
    first = frame_lines(keys.frames[0])
    assert len(first) == 24 and {cell_len(line) for line in first} == {80}
    assert keys.frames[1] == ""  # a timeout, same size: nothing drawn
    wide = frame_lines(keys.frames[2])  # the size changed during read 2: drawn before read 3
    assert len(wide) == 30 and {cell_len(line) for line in wide} == {100}
    assert "─" * 100 in wide
    assert keys.frames[3] == ""
    narrow = frame_lines(keys.frames[4])
    assert len(narrow) == 14 and {cell_len(line) for line in narrow} == {50}
    assert "Question 0" in keys.frames[4]
    assert "u undo" in keys.frames[4]  # the keys still show under the card
    # every frame starts at the top left: after a resize the cursor is elsewhere
    redrawn = [frame for frame in keys.frames[1:] if frame]
    assert len(redrawn) == 3 and all(frame.startswith("\x1b[H") for frame in redrawn)
    too_small = _CONTROL.sub("", keys.frames[5])
    assert "Make the terminal at least 40×12 to review (it is 30×10); q quits." in " ".join(
        too_small.split()
    )


def test_ctrl_c_ends_with_the_summary_exit_130_and_the_terminal_restored(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    console = _console(out)
    keys = FakeKeys([["enter", "3"], KeyboardInterrupt], out, (80, 24))
    controller = Controller(session, {"mini": "Mini deck"})
    shown: list[object] = []
    code = review._review(
        controller, lambda: terminal.run(controller, console, keys), shown.append, boxed=True
    )
    assert code == ExitStatus.INTERRUPTED == 130
    assert keys.events == ["enter", "exit"]
    assert capsys.readouterr().err == "interrupted: every answer given is saved\n"
    summary = io.StringIO()
    Console(file=summary, width=80, color_system=None).print(*shown)
    assert "Cards answered: 1 in 0m 00s" in summary.getvalue()
    assert db_rows(session.store, "SELECT rating FROM live_events WHERE kind = 'answer'") == [(3,)]


def test_a_terminal_gone_ends_the_loop_with_the_terminal_restored(session: Session) -> None:
    keys = _play(session, [["enter"], None])
    assert keys.events == ["enter", "exit"]
    assert len(keys.frames) == 2  # nothing is read after the terminal went away


def test_an_error_in_the_loop_still_restores_the_terminal(session: Session) -> None:
    with pytest.raises(OSError):
        _play(session, [[], OSError])


def test_the_editor_gets_the_terminal_in_its_own_mode_and_gives_it_back(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "editor log.py"  # a space in the path: passed as one argument
    record = tmp_path / "args.txt"
    editor.write_text(
        f"import sys, pathlib\npathlib.Path({str(record)!r}).write_text('|'.join(sys.argv[1:]))\n"
    )
    import shlex
    import sys

    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", shlex.join([sys.executable, str(editor)]))
    out = io.StringIO()
    console = _console(out)
    keys = FakeKeys([["e"], ["q"]], out, (80, 24))
    controller = Controller(
        session, {"mini": "Mini deck"}, edit=make_editor(session, keys.pause, keys.resume)
    )
    controller.start()
    terminal.run(controller, console, keys)
    assert keys.events == ["enter", "pause", "resume", "exit"]
    assert record.read_text() == f"+4|{tmp_path / 'deck.yaml'}"
    assert "Reloaded deck.yaml: 3 cards." in keys.frames[1]


def test_a_windows_console_taking_ansi_is_drawn_with_it_then_handed_back(
    session: Session,
) -> None:
    keys = _play(session, [[], ["q"]], legacy_windows=True)
    assert keys.legacy_during == [False, False]
    assert keys.console is not None and keys.console.legacy_windows is True


def test_a_console_without_ansi_keeps_rich_s_legacy_renderer(session: Session) -> None:
    out = io.StringIO()
    console = _console(out, legacy_windows=True)
    keys = FakeKeys([["q"]], out, (80, 24))
    keys.ansi = False
    keys.console = console
    controller = Controller(session, {"mini": "Mini deck"})
    controller.start()
    terminal.run(controller, console, keys)
    assert keys.legacy_during == [True]
