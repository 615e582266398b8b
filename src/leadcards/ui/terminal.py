"""The single-key front end: draw the review screen, read keys, redraw on resize.

POSIX only (termios, SIGWINCH); ``ui.review`` imports it only when a terminal is
there, so line mode works without it.
"""

from __future__ import annotations

import os
import select
import signal
import termios
import tty
from types import FrameType, TracebackType
from typing import Any

from rich.console import Console

from leadcards.ui.controller import Controller
from leadcards.ui.keys import decode_keys
from leadcards.ui.screen import fitted_screen

POLL_SECONDS = 0.25
"""How long a read waits for a key before the loop looks at the resize flag again."""


class Keyboard:
    """The terminal in cbreak mode: keys arrive without Enter and without echo.

    Ctrl-C still interrupts. ``pause``/``resume`` hand the terminal, in the mode it
    had before, to an editor and take it back.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._saved: list[Any] | None = None

    def __enter__(self) -> Keyboard:
        self._saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.pause()
        self._saved = None

    def pause(self) -> None:
        """Back to the terminal's own mode (a no-op outside ``with``)."""
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def resume(self) -> None:
        if self._saved is not None:
            tty.setcbreak(self.fd)

    def read(self, timeout: float) -> list[str] | None:
        """Keys typed within ``timeout`` seconds (maybe none); None once the terminal is gone."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return []
        data = os.read(self.fd, 64)
        if not data:
            return None
        return decode_keys(data)


class Resized:
    """Notes SIGWINCH while in ``with``, so the loop redraws at the new size."""

    def __init__(self) -> None:
        self._flag = False
        self._previous: Any = None

    def __enter__(self) -> Resized:
        self._previous = signal.signal(signal.SIGWINCH, self._note)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        signal.signal(signal.SIGWINCH, self._previous)

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self._flag = True

    def take(self) -> bool:
        """Whether the size changed since the last call."""
        changed, self._flag = self._flag, False
        return changed


def run(controller: Controller, console: Console, keyboard: Keyboard) -> None:
    """Draw and read keys until the review is finished or the terminal goes away."""
    with Resized() as resized, console.screen(hide_cursor=True) as screen, keyboard:
        draw = True
        while not controller.finished:
            if resized.take() or draw:
                screen.update(fitted_screen(controller, console))
                draw = False
            commands = keyboard.read(POLL_SECONDS)
            if commands is None:
                return
            for command in commands:
                controller.handle(command)
                draw = True
                if controller.finished:
                    break
