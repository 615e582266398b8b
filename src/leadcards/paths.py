"""Where leadcards keeps its files."""

from __future__ import annotations

import os
from pathlib import Path

BUILTIN_DECKS_PACKAGE_DIR = Path(__file__).parent / "decks"
SOURCE_TREE_DECKS_DIR = Path(__file__).resolve().parents[2] / "decks"


def home(override: str | Path | None = None) -> Path:
    """The data folder: ``--home``, else ``LEADCARDS_HOME``, else the platform's data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("LEADCARDS_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("leadcards", appauthor=False))


def builtin_decks_dir() -> Path:
    """Built-in decks: inside the installed wheel, or ``decks/`` of a source checkout."""
    if BUILTIN_DECKS_PACKAGE_DIR.is_dir():
        return BUILTIN_DECKS_PACKAGE_DIR
    return SOURCE_TREE_DECKS_DIR


def user_decks_dir(home_dir: Path) -> Path:
    return home_dir / "decks"


def database_path(home_dir: Path) -> Path:
    return home_dir / "leadcards.db"
