"""Backups: where they go, what they are called, when one is due, which ones stay.

The log is the truth, and a backup is the log kept twice: a whole copy of the database
file, taken by SQLite while it may be in use (``store.backup``). One is taken at most
every 30 minutes of study, and always before anything that rewrites many rows at once
(``doctor --rebuild``, a schema migration, a restore). Old ones are thinned as Anki
thins its own: everything from today and yesterday, then the newest of each of the 12
days before, of each of 10 weeks (Monday to Sunday) before those, and of each of 9
months before those.

Backups are named by the local time they were taken, so a listing needs no database
and the newest is the last name in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from leadcards.clock import from_ms

FOLDER = "backups"
PATTERN = "leadcards-%Y-%m-%d-%H.%M.%S"  # then ".db", or "-2.db" for a second that second
EVERY_MS = 30 * 60 * 1000  # at most one automatic backup in this time
DAILY, WEEKLY, MONTHLY = 12, 10, 9


class Backup(NamedTuple):
    path: Path
    taken: datetime  # local, naive: as the name says
    size: int


def folder(home: Path) -> Path:
    return home / FOLDER


def new_path(home: Path, now_ms: int) -> Path:
    """Where a backup taken now goes: named by the time, never over an earlier one."""
    stem = from_ms(now_ms).astimezone().strftime(PATTERN)
    where = folder(home)
    path, n = where / f"{stem}.db", 1
    while path.exists():
        n += 1
        path = where / f"{stem}-{n}.db"
    return path


def taken_at(name: str) -> datetime | None:
    """When a backup of this name was taken; None for any other file."""
    stem, dot, extension = name.rpartition(".")
    if not dot or extension != "db":
        return None
    base, dash, n = stem.rpartition("-")
    if dash and n.isdigit() and len(n) < 4:  # a second backup within the same second
        stem = base
    try:
        return datetime.strptime(stem, PATTERN)
    except ValueError:
        return None


def listing(home: Path) -> list[Backup]:
    """The backups in the data folder, newest first (other files there are left alone)."""
    where = folder(home)
    if not where.is_dir():
        return []
    found = []
    for path in where.iterdir():
        taken = taken_at(path.name)
        if taken is not None and path.is_file():
            found.append(Backup(path, taken, path.stat().st_size))
    return sorted(found, key=lambda b: (b.taken, len(b.path.name), b.path.name), reverse=True)


def due(backups: list[Backup], now_ms: int) -> bool:
    """Whether an automatic backup is due: none yet, or the newest is 30 minutes old (or
    from a time ahead of now, as after the clock was set back)."""
    if not backups:
        return True
    newest = backups[0].taken.astimezone()
    age = now_ms - int(newest.timestamp() * 1000)
    return age >= EVERY_MS or age < 0


def _week(day: datetime) -> int:
    """Weeks numbered from Monday to Sunday."""
    return (day.toordinal() - 1) // 7


def _month(day: datetime) -> int:
    return day.year * 12 + day.month


def obsolete(backups: Iterable[Backup], now_ms: int) -> list[Backup]:
    """The backups thinning removes. Newest first, each is kept when it is from today
    or yesterday, or else when it is the first of its day (while daily places remain),
    of its week (then weekly places), or of its month (then monthly places) met since
    the last one kept."""
    yesterday = from_ms(now_ms).astimezone().toordinal() - 1
    places = {"day": DAILY, "week": WEEKLY, "month": MONTHLY}
    last: dict[str, int] | None = None
    gone = []
    for backup in sorted(backups, key=lambda b: b.taken, reverse=True):
        marks = {
            "day": backup.taken.toordinal(),
            "week": _week(backup.taken),
            "month": _month(backup.taken),
        }
        if marks["day"] >= yesterday:
            last = marks
            continue
        stage = next((s for s in ("day", "week", "month") if places[s] > 0), None)
        if stage is not None and (last is None or marks[stage] < last[stage]):
            places[stage] -= 1
            last = marks
        else:
            gone.append(backup)
    return gone
