"""The single-key front end: draw the review screen, read keys, redraw on resize.

The terminal itself is a ``console_io.KeyReader`` handed in: POSIX or Windows, or a
test's fake keys and size. This loop is the same for all of them.
"""

from __future__ import annotations

from rich.console import Console
from rich.control import Control

from leadcards.ui.console_io import KeyReader
from leadcards.ui.controller import Controller
from leadcards.ui.screen import fitted_screen

POLL_SECONDS = 0.25
"""How long a read waits for a key before the loop looks at the size again."""


def run(controller: Controller, console: Console, keys: KeyReader) -> None:
    """Draw and read keys until the review is finished or the terminal goes away."""
    legacy = console.legacy_windows
    with keys:
        # A Windows console that now takes ANSI sequences is drawn with them (Rich
        # chose its legacy renderer before the mode was set); put back for the summary.
        console.legacy_windows = legacy and not keys.ansi
        try:
            _loop(controller, console, keys)
        finally:
            console.legacy_windows = legacy


def _loop(controller: Controller, console: Console, keys: KeyReader) -> None:
    with console.screen(hide_cursor=True) as screen:
        draw = True
        while not controller.finished:
            if keys.resized() or draw:
                console.size = keys.size()
                # A frame is one screenful written from where the cursor is; after a
                # resize that is no longer the bottom corner, so start from the top.
                console.control(Control.home())
                screen.update(fitted_screen(controller, console))
                draw = False
            commands = keys.read(POLL_SECONDS)
            if commands is None:
                return
            for command in commands:
                controller.handle(command)
                draw = True
                if controller.finished:
                    break
