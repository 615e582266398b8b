"""What the single-key screen needs from a terminal, and which platform provides it.

The screen loop (``terminal.run``) sees only a ``KeyReader``: raw single-key mode,
keys with a timeout, the size, and whether it changed. POSIX terminals give this
through termios and SIGWINCH (``posix_console``), Windows consoles through msvcrt and
polling (``windows_console``). Each is imported only when the screen starts, so
``status`` and line mode load neither, and a test can hand the loop a fake.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import Protocol


class KeyReader(Protocol):
    """A terminal in single-key mode while in ``with``: keys arrive without Enter and
    without echo, and the terminal's own mode is back on every way out of the block.
    Ctrl-C still interrupts: a read raises ``KeyboardInterrupt``, as Python does."""

    def __enter__(self) -> KeyReader: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...

    def pause(self) -> None:
        """Hand the terminal, in its own mode, to another program (the `e` editor)."""

    def resume(self) -> None:
        """Take the terminal back after ``pause``."""

    def read(self, timeout: float) -> list[str] | None:
        """Commands typed within ``timeout`` seconds (maybe none), decoded by
        ``keys.decode_text``; None once the terminal is gone."""

    def size(self) -> tuple[int, int]:
        """(columns, lines) of the terminal now."""

    def resized(self) -> bool:
        """Whether the size changed since the last call (or since ``with`` began)."""

    @property
    def ansi(self) -> bool:
        """Whether the terminal now takes ANSI control sequences (cursor, colours)."""


def overridden(columns: int, lines: int) -> tuple[int, int]:
    """The size, unless ``COLUMNS``/``LINES`` say otherwise (as Rich and the standard
    library honour them)."""
    env_columns = os.environ.get("COLUMNS", "")
    env_lines = os.environ.get("LINES", "")
    return (
        int(env_columns) if env_columns.isdigit() and int(env_columns) > 0 else columns,
        int(env_lines) if env_lines.isdigit() and int(env_lines) > 0 else lines,
    )


def fallback_size() -> tuple[int, int]:
    """The standard output's size, or 80×24 where there is no terminal to ask."""
    import shutil

    columns, lines = shutil.get_terminal_size()
    return columns, lines


def key_reader(fd: int) -> KeyReader:
    """The platform's reader for the terminal on ``fd`` (the one standard input is)."""
    if os.name == "nt":  # Cygwin's Python is POSIX, with termios
        from leadcards.ui.windows_console import WindowsKeys

        return WindowsKeys()
    from leadcards.ui.posix_console import PosixKeys

    return PosixKeys(fd)
