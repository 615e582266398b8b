"""A deck file's bytes, read so that no file can hang or swamp a command.

Anything can sit in ``decks/`` or be named on the command line: a named pipe (opening
one waits for a writer that never comes), a device (``/dev/zero`` never ends, and says
it is empty), a folder, a link to nothing. So a deck is read only from a regular file,
opened without blocking, and never more than ``MAX_DECK_BYTES`` of it, whatever size
the file reports. Each refusal is a ``DeckError`` naming the file, which ``check``
prints and every other command turns into one warning line. No YAML here: ``status``
hashes changed files through this module without loading the parser.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from leadcards.errors import DeckError, Problem

MAX_DECK_BYTES = 32 * 1024 * 1024
# O_BINARY (Windows only): without it the C runtime reads in text mode, turning CRLF
# into LF and stopping at a Ctrl-Z byte, so the bytes hashed would not be the file's.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


def _refuse(path: Path, message: str) -> DeckError:
    return DeckError([Problem(str(path), 1, 1, message)])


def _kind(mode: int) -> str | None:
    """What a file that is not a regular one is, as a message says it; None if it is."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a deck file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe, not a deck file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a deck file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a deck file"
    return "is not a regular file"


def deck_stat(path: Path) -> os.stat_result:
    """The file's status (through links), or a DeckError unless it is a regular file."""
    try:
        found = path.stat()
    except FileNotFoundError:
        missing = "is a link to nothing" if path.is_symlink() else "no such deck file"
        raise _refuse(path, missing) from None
    except OSError as exc:
        raise _refuse(path, f"cannot read: {exc.strerror or exc}") from None
    kind = _kind(found.st_mode)
    if kind:
        raise _refuse(path, kind)
    return found


def read_deck_bytes(path: Path) -> bytes:
    """The whole file, or a DeckError for one that is missing, not a regular file,
    unreadable, or larger than ``MAX_DECK_BYTES``."""
    size = deck_stat(path).st_size
    if size > MAX_DECK_BYTES:
        raise _refuse(path, f"deck file is {size:,} bytes; the limit is {MAX_DECK_BYTES:,}")
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise _refuse(path, f"cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        kind = _kind(os.fstat(handle.fileno()).st_mode)  # swapped since the stat above
        if kind:
            raise _refuse(path, kind)
        try:
            data = handle.read(MAX_DECK_BYTES + 1)
        except OSError as exc:
            raise _refuse(path, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_DECK_BYTES:  # it grew, or its size was not the truth (/proc)
        raise _refuse(path, f"deck file is over the limit of {MAX_DECK_BYTES:,} bytes")
    return data


def present(path: Path) -> bool:
    """Whether a synced deck file is still there: ``Path.exists``, except that a file
    behind a folder this user may not search counts as there (``exists`` raises), so
    its cards are not hidden for a permission."""
    try:
        path.stat()
    except OSError as exc:
        return exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EBADF)
    return True
