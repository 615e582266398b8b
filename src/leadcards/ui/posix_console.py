"""Single keys on a POSIX terminal (Linux, macOS): termios cbreak mode, select with a
timeout, SIGWINCH for a resize. The ``console_io.KeyReader`` of those platforms."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import termios
import tty
from types import FrameType, TracebackType
from typing import Any

from leadcards.ui.console_io import fallback_size, overridden
from leadcards.ui.keys import cut_short, decode_keys

ESCAPE_WAIT = 0.05
"""How long a read cut inside an escape sequence waits for the rest (a terminal sends a
sequence at once; only a lone Escape key leaves it unfinished)."""


class PosixKeys:
    """The terminal on ``fd`` in cbreak mode: keys arrive without Enter and without echo,
    and Ctrl-C still sends SIGINT (``KeyboardInterrupt``)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._saved: list[Any] | None = None
        self._resized = False
        self._previous_handler: Any = None

    @property
    def ansi(self) -> bool:
        return True

    def __enter__(self) -> PosixKeys:
        self._saved = termios.tcgetattr(self.fd)
        self._resized = False
        try:
            winch = getattr(signal, "SIGWINCH", None)
            if winch is not None:
                self._previous_handler = signal.signal(winch, self._note_resize)
            tty.setcbreak(self.fd)
        except BaseException:
            self.__exit__(None, None, None)  # half entered is undone as well
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            # A terminal already gone cannot be restored; that must not hide why we left.
            with contextlib.suppress(OSError, termios.error):
                self.pause()
        finally:
            self._saved = None
            winch = getattr(signal, "SIGWINCH", None)
            if winch is not None and self._previous_handler is not None:
                signal.signal(winch, self._previous_handler)
                self._previous_handler = None

    def pause(self) -> None:
        """Back to the terminal's own mode (a no-op outside ``with``)."""
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def resume(self) -> None:
        if self._saved is not None:
            tty.setcbreak(self.fd)

    def read(self, timeout: float) -> list[str] | None:
        """Keys typed within ``timeout`` seconds (maybe none); None once the terminal is gone.

        An escape sequence cut by the read is completed first, so its tail is never
        taken for letters.
        """
        data = self._chunk(timeout)
        if not data:
            return None if data is None else []
        while cut_short(data):
            more = self._chunk(ESCAPE_WAIT)
            if not more:
                break  # a lone Escape key: nothing follows
            data += more
        return decode_keys(data)

    def _chunk(self, timeout: float) -> bytes | None:
        """What the terminal has within ``timeout``: b"" for nothing, None for gone."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 64)
        except OSError:  # EIO: the terminal was closed under us
            return None
        return data or None

    def size(self) -> tuple[int, int]:
        try:
            columns, lines = os.get_terminal_size(self.fd)
        except OSError:
            return fallback_size()
        return overridden(columns, lines)

    def resized(self) -> bool:
        changed, self._resized = self._resized, False
        return changed

    def _note_resize(self, signum: int, frame: FrameType | None) -> None:
        self._resized = True
