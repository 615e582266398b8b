"""A finished file put in place of another, on every platform, and the new file it is
written in first.

``os.replace`` is atomic everywhere, but on Windows it fails while another program has
the target open: Anki or a text editor showing an earlier export, or a virus scanner
glancing at a file just written. A few short retries outlast the scanner; a program
that keeps the file open gets a sentence saying so instead of "Access is denied".
"""

from __future__ import annotations

import errno
import os
import secrets
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


def new_file_beside(folder: Path, prefix: str, suffix: str = "") -> tuple[int, Path]:
    """A new empty file in ``folder``, ``prefix…suffix``, open for writing, with the mode
    a plain ``open()`` gives (0o666 less the umask, applied by the system): once it
    replaces its target it reads as a file written in place would. ``tempfile.mkstemp``
    makes its files private, and learning the umask means setting it, which races with
    any other thread creating files."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        path = folder / f"{prefix}{secrets.token_hex(8)}{suffix}"
        try:
            return os.open(path, flags, 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused name for a new file", str(folder))
