"""Where an export is written: refused up front when it cannot be, replaced atomically,
and nothing left behind, not even by an export that was killed.

An export writes a temporary file beside the target (so the final rename is atomic)
and, for packages, a working folder under the system's temporary directory. Both are
removed when the export ends in any way Python sees; a SIGKILL or a power cut leaves
them, so each export first sweeps what earlier ones left that is old enough not to be
another export still running.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from leadcards.errors import LeadcardsError, UsageError
from leadcards.file_replace import new_file_beside, replace_file
from leadcards.paths import sweep_stale

WORK_PREFIX = "leadcards-export-"


class ExportError(LeadcardsError):
    """The export could not be written, or would not be faithful."""


def check_output(path: Path, *, force: bool) -> None:
    """Refuse before any work is done: a missing folder, a folder, an existing file, or
    anything that is not a regular file (a link, a device, a pipe), which --force must
    not turn into one."""
    folder = path.parent
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder")
    if not folder.exists():
        raise UsageError(f"cannot write {path}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {path}: no permission to write in {folder}")
    if path.is_symlink():
        raise UsageError(f"cannot write {path}: it is a symbolic link; name the file itself")
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        raise UsageError(f"cannot write {path}: it is not a regular file")
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to overwrite it")


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` that replaces it only if the block succeeds.

    Nothing half-written is ever left under the final name, and the temporary file
    is removed on any failure, Ctrl-C and termination included.
    """
    folder = path.parent or Path(".")
    sweep_stale(f".{path.name}.*.part", folder)
    try:
        handle, temp = new_file_beside(folder, f".{path.name}.", ".part")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(handle)
    try:
        yield temp
        replace_file(temp, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


@contextlib.contextmanager
def work_folder() -> Iterator[Path]:
    """A private working folder for building a package, removed afterwards."""
    sweep_stale(f"{WORK_PREFIX}*", Path(tempfile.gettempdir()))
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX) as work:
        yield Path(work)
