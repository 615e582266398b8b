"""Where leadcards keeps its files."""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path

from leadcards.errors import DataFolderError, UsageError

BUILTIN_DECKS_PACKAGE_DIR = Path(__file__).parent / "decks"
SOURCE_TREE_DECKS_DIR = Path(__file__).resolve().parents[2] / "decks"


CHOOSE = "choose another with --home or LEADCARDS_HOME"


def home(override: str | Path | None = None) -> Path:
    """The data folder: ``--home``, else ``LEADCARDS_HOME``, else the platform's data dir.
    One that exists must be a folder this user can read; one that does not is made
    when the database is first opened."""
    env = os.environ.get("LEADCARDS_HOME")
    if override:
        folder = _expand(str(override), "--home")
    elif env:
        folder = _expand(env, "LEADCARDS_HOME")
    else:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("leadcards", appauthor=False))
    _check_folder(folder)
    return folder


def _expand(given: str, source: str) -> Path:
    try:
        return Path(given).expanduser()
    except RuntimeError:  # '~someone' for no such user, or '~' with no home known
        first = given.replace("\\", "/").split("/")[0]
        raise UsageError(
            f"{source} {given!r}: no home folder is known for '{first}'; give the full path"
        ) from None


def _check_folder(folder: Path) -> None:
    try:
        mode = folder.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # made when the database is first opened, which says why it cannot be
    except OSError as exc:
        raise DataFolderError(
            f"cannot use the data folder {folder}: {exc.strerror or exc} ({CHOOSE})"
        ) from None
    if not stat.S_ISDIR(mode):
        raise DataFolderError(f"the data folder {folder} is not a folder ({CHOOSE})")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise DataFolderError(f"cannot read the data folder {folder}: permission denied ({CHOOSE})")


def builtin_decks_dir() -> Path:
    """Built-in decks: inside the installed wheel, or ``decks/`` of a source checkout."""
    if BUILTIN_DECKS_PACKAGE_DIR.is_dir():
        return BUILTIN_DECKS_PACKAGE_DIR
    return SOURCE_TREE_DECKS_DIR


def user_decks_dir(home_dir: Path) -> Path:
    return home_dir / "decks"


def database_path(home_dir: Path) -> Path:
    return home_dir / "leadcards.db"


STALE_SECONDS = 3600  # older than any export or backup runs: a leftover, not running work


def sweep_stale(pattern: str, folder: Path) -> None:
    """Remove leftovers matching ``pattern`` in ``folder`` not touched for an hour: what
    a killed export or backup left (one still running is younger)."""
    import shutil  # only when sweeping: start-up never needs it

    cutoff = time.time() - STALE_SECONDS
    for leftover in folder.glob(pattern):
        with contextlib.suppress(OSError):
            if leftover.lstat().st_mtime < cutoff:
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink()
