"""Each platform's key reader alone: POSIX on a real pseudo-terminal, Windows with
msvcrt and the console mode faked (so it runs here), and the choice between them."""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from leadcards.ui import console_io, windows_console
from leadcards.ui.keys import cut_short, decode_text
from leadcards.ui.windows_console import VIRTUAL_TERMINAL_PROCESSING, WindowsKeys

posix_only = pytest.mark.skipif(os.name != "posix", reason="a pseudo-terminal needs POSIX")


# keys ---------------------------------------------------------------------------


def test_decode_text_drops_escape_sequences_and_maps_enter_and_ctrl_d() -> None:
    assert decode_text("\x1b[1;5A3\x1bOPx\x1b[15~ \n\x04") == ["3", "x", "enter", "enter", "q"]
    assert decode_text("\x1bq1") == ["1"]  # Alt-q is not q


def test_cut_short_tells_a_sequence_still_arriving() -> None:
    assert cut_short(b"x\x1b")
    assert cut_short(b"x\x1b[")
    assert cut_short(b"\x1b[1;5")
    assert cut_short(b"\x1bO")
    assert not cut_short(b"\x1b[A")
    assert not cut_short(b"\x1bOP")
    assert not cut_short(b"\x1bx")  # Alt-x: whole
    assert not cut_short(b"abc")


# POSIX ------------------------------------------------------------------------------


@pytest.fixture
def pty_pair() -> Iterator[tuple[int, int]]:
    """(controller, terminal): writing to the first is typing into the second."""
    controller, term = os.openpty()
    yield controller, term
    for fd in (controller, term):
        with contextlib.suppress(OSError):  # closed by the test
            os.close(fd)


def _set_size(fd: int, rows: int, columns: int) -> None:
    import fcntl
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


@posix_only
def test_posix_cbreak_while_in_with_and_the_mode_restored_after(
    pty_pair: tuple[int, int],
) -> None:
    import termios

    from leadcards.ui.posix_console import PosixKeys

    _, term = pty_pair
    before = termios.tcgetattr(term)
    assert before[3] & termios.ICANON and before[3] & termios.ECHO
    keys = PosixKeys(term)
    with keys:
        inside = termios.tcgetattr(term)
        assert not inside[3] & termios.ICANON and not inside[3] & termios.ECHO
        assert inside[3] & termios.ISIG  # Ctrl-C still sends SIGINT
        keys.pause()
        assert termios.tcgetattr(term) == before  # the editor gets the terminal's own mode
        keys.resume()
        assert not termios.tcgetattr(term)[3] & termios.ICANON
    assert termios.tcgetattr(term) == before
    with pytest.raises(KeyboardInterrupt), keys:
        raise KeyboardInterrupt
    assert termios.tcgetattr(term) == before


@posix_only
def test_posix_reads_keys_times_out_empty_and_drops_escape_sequences(
    pty_pair: tuple[int, int],
) -> None:
    from leadcards.ui.posix_console import PosixKeys

    controller, term = pty_pair
    with PosixKeys(term) as keys:
        assert keys.read(0.01) == []
        os.write(controller, b" 3X")
        assert keys.read(1) == ["enter", "3", "x"]
        os.write(controller, b"\x1b[A\x1b[1;5C\x1bOP1")
        assert keys.read(1) == ["1"]
        os.write(controller, b"\x04")
        assert keys.read(1) == ["q"]
        os.write(controller, b"\x03")  # the terminal turns it into SIGINT, not a key
        assert keys.read(0.05) == []


@posix_only
def test_posix_an_escape_sequence_cut_by_a_read_is_completed_not_read_as_letters(
    pty_pair: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadcards.ui import posix_console

    monkeypatch.setattr(posix_console, "ESCAPE_WAIT", 5.0)
    controller, term = pty_pair
    with posix_console.PosixKeys(term) as keys:
        os.write(controller, b"x\x1b[")
        tail = threading.Timer(0.05, os.write, (controller, b"A"))
        tail.start()
        assert keys.read(1) == ["x"]
        tail.join()
        assert keys.read(0) == []  # the A was the arrow's, not a key of its own
        os.write(controller, b"\x1b")  # the Escape key alone: nothing follows
        monkeypatch.setattr(posix_console, "ESCAPE_WAIT", 0.01)
        assert keys.read(1) == []


@posix_only
def test_posix_a_closed_terminal_reads_as_gone(pty_pair: tuple[int, int]) -> None:
    from leadcards.ui.posix_console import PosixKeys

    controller, term = pty_pair
    with PosixKeys(term) as keys:
        os.close(controller)
        assert keys.read(1) is None


@posix_only
def test_posix_size_and_sigwinch(
    pty_pair: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadcards.ui.posix_console import PosixKeys

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    _, term = pty_pair
    _set_size(term, 24, 80)
    previous = signal.getsignal(signal.SIGWINCH)
    with PosixKeys(term) as keys:
        assert keys.size() == (80, 24)
        assert not keys.resized()
        _set_size(term, 20, 60)
        os.kill(os.getpid(), signal.SIGWINCH)
        time.sleep(0)  # the handler runs between bytecodes
        assert keys.resized()
        assert not keys.resized()  # taken once
        assert keys.size() == (60, 20)
        monkeypatch.setenv("COLUMNS", "120")
        assert keys.size() == (120, 20)  # as Rich and the standard library honour it
    assert signal.getsignal(signal.SIGWINCH) == previous


# Windows, faked -------------------------------------------------------------------


class FakeMsvcrt:
    """msvcrt's kbhit/getwch over characters a test types."""

    def __init__(self) -> None:
        self.typed: list[str] = []
        self.polls = 0

    def type(self, chars: str) -> None:
        self.typed.extend(chars)

    def kbhit(self) -> bool:
        self.polls += 1
        return bool(self.typed)

    def getwch(self) -> str:
        return self.typed.pop(0)


class FakeOutput:
    """A console's output mode: ``get`` gives ``mode`` (None: not a console)."""

    def __init__(self, mode: int | None, *, takes: bool = True) -> None:
        self.mode = mode
        self.takes = takes
        self.sets: list[int] = []

    def get(self) -> int | None:
        return self.mode

    def set(self, mode: int) -> bool:
        self.sets.append(mode)
        if self.takes:
            self.mode = mode
        return self.takes


def _windows(
    output: FakeOutput | None = None, sizes: list[tuple[int, int]] | None = None
) -> tuple[WindowsKeys, FakeMsvcrt]:
    keyboard = FakeMsvcrt()
    measured = iter(sizes or [(80, 24)] * 10)
    keys = WindowsKeys(
        keyboard=keyboard, output=output or FakeOutput(0x3), measure=lambda: next(measured)
    )
    return keys, keyboard


def test_windows_reads_keys_and_drops_arrows_and_function_keys() -> None:
    keys, keyboard = _windows()
    with keys:
        keyboard.type("\xe0H3")  # up arrow, then 3: the H is the arrow's code, not h
        assert keys.read(1) == ["3"]
        keyboard.type("\x00;\xe0M \r")  # F1, right arrow, space, Enter
        assert keys.read(1) == ["enter", "enter"]
        keyboard.type("\x1bQ")  # Escape alone, then Q
        assert keys.read(1) == ["q"]
        keyboard.type("\xe0")  # à typed as itself: nothing follows it
        assert keys.read(1) == ["à"]
        keyboard.type("\x04")
        assert keys.read(1) == ["q"]


def test_windows_timeout_returns_nothing_and_ctrl_c_interrupts() -> None:
    keys, keyboard = _windows()
    with keys:
        assert keys.read(0) == []
        assert keys.read(0.03) == []
        assert keyboard.polls > 2  # it kept looking until the timeout
        keyboard.type("\x03")
        with pytest.raises(KeyboardInterrupt):
            keys.read(1)


def test_windows_ansi_on_while_in_with_and_the_mode_put_back() -> None:
    output = FakeOutput(0x3)
    keys, _ = _windows(output)
    with keys:
        assert keys.ansi
        assert output.mode == 0x3 | VIRTUAL_TERMINAL_PROCESSING
        keys.pause()
        assert output.mode == 0x3
        keys.resume()
        assert output.mode == 0x7
    assert output.mode == 0x3
    assert output.sets == [0x7, 0x3, 0x7, 0x3]
    with pytest.raises(KeyboardInterrupt), keys:
        raise KeyboardInterrupt
    assert output.mode == 0x3


def test_windows_console_without_ansi_or_not_a_console() -> None:
    refusing = FakeOutput(0x3, takes=False)
    keys, _ = _windows(refusing)
    with keys:
        assert not keys.ansi  # Rich keeps its legacy renderer
    assert refusing.mode == 0x3
    absent = FakeOutput(None)
    keys, _ = _windows(absent)
    with keys:
        assert not keys.ansi
    assert absent.sets == []
    already = FakeOutput(0x7)
    keys, _ = _windows(already)
    with keys:
        assert keys.ansi


def test_windows_resize_is_found_by_polling_the_size() -> None:
    keys, _ = _windows(sizes=[(80, 24), (80, 24), (100, 30), (100, 30), (100, 30)])
    with keys:  # measures once: (80, 24)
        assert not keys.resized()
        assert keys.resized()  # now (100, 30)
        assert not keys.resized()
        assert keys.size() == (100, 30)


def test_windows_reader_needs_windows_for_its_real_parts() -> None:
    if sys.platform == "win32":
        pytest.skip("here msvcrt is real")
    with pytest.raises(OSError, match="needs Windows"):
        WindowsKeys()


# the choice -------------------------------------------------------------------------


def test_the_reader_is_chosen_by_the_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(windows_console, "_msvcrt", FakeMsvcrt)
    monkeypatch.setattr(windows_console, "_console_output", lambda: FakeOutput(0x3))
    monkeypatch.setattr(os, "name", "nt")
    assert type(console_io.key_reader(0)).__name__ == "WindowsKeys"
    monkeypatch.setattr(os, "name", "posix")
    chosen = console_io.key_reader(7)
    assert type(chosen).__name__ == "PosixKeys"
    assert chosen.fd == 7  # type: ignore[attr-defined]


def test_line_mode_and_status_never_import_a_key_reader() -> None:
    probe = (
        "import sys\n"
        "from leadcards.ui import review\n"
        "names = ('termios', 'tty', 'msvcrt', 'leadcards.ui.console_io',"
        " 'leadcards.ui.posix_console', 'leadcards.ui.windows_console')\n"
        "print(sorted(n for n in names if n in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "[]\n"


@posix_only
def test_posix_a_failure_while_entering_leaves_nothing_set(
    pty_pair: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import termios

    from leadcards.ui import posix_console

    _, term = pty_pair
    before = termios.tcgetattr(term)
    previous = signal.getsignal(signal.SIGWINCH)

    def broken(fd: int) -> None:
        raise termios.error(5, "Input/output error")

    monkeypatch.setattr(posix_console.tty, "setcbreak", broken)
    with pytest.raises(termios.error), posix_console.PosixKeys(term):
        pass
    assert signal.getsignal(signal.SIGWINCH) == previous
    assert termios.tcgetattr(term) == before
