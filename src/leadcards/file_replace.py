"""A finished file put in place of another, on every platform.

``os.replace`` is atomic everywhere, but on Windows it fails while another program has
the target open: Anki or a text editor showing an earlier export, or a virus scanner
glancing at a file just written. A few short retries outlast the scanner; a program
that keeps the file open gets a sentence saying so instead of "Access is denied".
"""

from __future__ import annotations

import os
import time
from pathlib import Path

RETRY_SECONDS = (0.05, 0.1, 0.2, 0.4)
"""The waits between tries on Windows: under a second in all."""
HELD_OPEN = "another program has it open; close it there and try again"


def replace_file(source: Path, target: Path) -> None:
    """``os.replace(source, target)``; on Windows retried while the target is held
    open, then a ``PermissionError`` whose ``strerror`` is ``HELD_OPEN``."""
    if os.name != "nt":
        os.replace(source, target)
        return
    for wait in (*RETRY_SECONDS, None):
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if wait is None:
                raise PermissionError(exc.errno, HELD_OPEN, str(target)) from None
            time.sleep(wait)
