"""Single keys on a Windows console (Windows Terminal, PowerShell, cmd): the
``console_io.KeyReader`` of Windows.

msvcrt reads the console's keys one at a time, without Enter and without echo, and
leaves the console's input mode alone, so there is nothing to restore on the input
side; Ctrl-C still raises ``KeyboardInterrupt`` in Python. An arrow or function key
comes as two characters, '\\x00' or '\\xe0' then its code: both are dropped, so the
code (H for the up arrow) is never taken for a letter. There is no SIGWINCH: the size
is compared at every read timeout instead.

The screen is drawn with ANSI sequences, which the classic console host takes only
once asked (``ENABLE_VIRTUAL_TERMINAL_PROCESSING``; Windows Terminal has it on): the
mode is set while in ``with`` and put back after. The output code page is left alone:
Python writes to a console as UTF-16 (PEP 528), whatever the code page says, and a
code page changed here would stay changed for the shell if the process were killed.

msvcrt and ctypes' kernel32 exist on Windows only, so they are imported there; tests
hand in stand-ins (``keyboard``, ``output``, ``measure``) on any platform.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Protocol

from leadcards.ui.console_io import fallback_size
from leadcards.ui.keys import ESC, decode_text

KEY_POLL = 0.01
"""How often a read looks for a key: msvcrt cannot wait for one with a timeout."""
SPECIAL_KEY_PREFIXES = ("\x00", "\xe0")
"""What ``getwch`` returns first for an arrow or a function key; its code follows."""
VIRTUAL_TERMINAL_PROCESSING = 0x0004
STD_OUTPUT_HANDLE = -11


class KeyboardModule(Protocol):
    """The part of msvcrt a read uses."""

    def kbhit(self) -> bool: ...

    def getwch(self) -> str: ...


class OutputMode(Protocol):
    """The console mode of standard output (GetConsoleMode/SetConsoleMode)."""

    def get(self) -> int | None:
        """The mode; None when standard output is not a console."""

    def set(self, mode: int) -> bool:
        """Whether the console took ``mode``."""


class WindowsKeys:
    """The console in single-key mode; see the module's docstring."""

    def __init__(
        self,
        keyboard: KeyboardModule | None = None,
        output: OutputMode | None = None,
        measure: Callable[[], tuple[int, int]] = fallback_size,
    ) -> None:
        self._keyboard = keyboard if keyboard is not None else _msvcrt()
        self._output = output if output is not None else _console_output()
        self._measure = measure
        self._saved_mode: int | None = None
        self._ansi = False
        self._last_size: tuple[int, int] | None = None

    @property
    def ansi(self) -> bool:
        return self._ansi

    def __enter__(self) -> WindowsKeys:
        self._last_size = self._measure()
        self._saved_mode = self._output.get()
        self.resume()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.pause()
        self._saved_mode = None

    def pause(self) -> None:
        """The console's own output mode back, for an editor or the shell."""
        if self._saved_mode is not None:
            self._output.set(self._saved_mode)

    def resume(self) -> None:
        """ANSI sequences on, if the console can take them (a no-op outside ``with``)."""
        mode = self._saved_mode
        if mode is None:
            self._ansi = False
        elif mode & VIRTUAL_TERMINAL_PROCESSING:
            self._ansi = True
        else:
            self._ansi = self._output.set(mode | VIRTUAL_TERMINAL_PROCESSING)

    def read(self, timeout: float) -> list[str] | None:
        """Keys typed within ``timeout`` seconds (maybe none). Never None: a console
        that closes ends the process instead."""
        keyboard = self._keyboard
        deadline = time.monotonic() + timeout
        while not keyboard.kbhit():
            if time.monotonic() >= deadline:
                return []
            time.sleep(KEY_POLL)
        typed: list[str] = []
        while keyboard.kbhit():
            char = keyboard.getwch()
            if char in SPECIAL_KEY_PREFIXES and keyboard.kbhit():
                keyboard.getwch()  # the arrow's or function key's code, never a command
                continue
            if char != ESC:  # the Escape key alone: the console sends no sequences
                typed.append(char)
        return decode_text("".join(typed))

    def size(self) -> tuple[int, int]:
        return self._measure()

    def resized(self) -> bool:
        """Polled: a read returns at least every timeout, so a resize shows within one."""
        now = self._measure()
        changed = self._last_size is not None and now != self._last_size
        self._last_size = now
        return changed


def _msvcrt() -> KeyboardModule:
    if sys.platform == "win32":
        import msvcrt

        return msvcrt
    raise OSError("reading single keys through msvcrt needs Windows")


def _console_output() -> OutputMode:
    if sys.platform == "win32":
        return _Kernel32Output()
    raise OSError("setting the console's mode needs Windows")


if sys.platform == "win32":

    class _Kernel32Output:
        """Standard output's console mode through kernel32."""

        def __init__(self) -> None:
            import ctypes
            from ctypes import wintypes

            self._ctypes = ctypes
            kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
            kernel32.GetStdHandle.argtypes = (wintypes.DWORD,)
            kernel32.GetStdHandle.restype = wintypes.HANDLE
            kernel32.GetConsoleMode.argtypes = (wintypes.HANDLE, wintypes.LPDWORD)
            kernel32.GetConsoleMode.restype = wintypes.BOOL
            kernel32.SetConsoleMode.argtypes = (wintypes.HANDLE, wintypes.DWORD)
            kernel32.SetConsoleMode.restype = wintypes.BOOL
            self._kernel32 = kernel32
            self._handle = kernel32.GetStdHandle(STD_OUTPUT_HANDLE & 0xFFFFFFFF)
            self._dword = wintypes.DWORD

        def get(self) -> int | None:
            mode = self._dword()
            if not self._kernel32.GetConsoleMode(self._handle, self._ctypes.byref(mode)):
                return None
            return int(mode.value)

        def set(self, mode: int) -> bool:
            return bool(self._kernel32.SetConsoleMode(self._handle, mode))
