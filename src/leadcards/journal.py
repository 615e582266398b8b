"""Journals: how devices share a log through a folder that a sync tool copies around.

A SQLite file in a synced folder gets conflicted copies when two devices write it. So
each device writes only its own file in the folder, ``<device>.jsonl``, one JSON object
a line, one line an event, appended and never rewritten; and reads everyone else's. No
two devices write one file, so no sync tool can make a conflict. A line a sync tool has
not finished copying (the file does not end in a newline) is left for next time.

The device id is random, kept in the data folder (``device-id``): a copied data folder
should be given a new one by deleting that file.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from leadcards.errors import BadRow, StoreError, UsageError
from leadcards.store.vet import RATED, check_answer, event_of

if TYPE_CHECKING:
    from leadcards.store import Store

FIELDS = (
    "id",
    "at",
    "kind",
    "card",
    "rating",
    "duration_ms",
    "picked",
    "target",
    "data",
    "state_before",
    "state_after",
    "due_after",
    "stability_after",
    "difficulty_after",
)
ID = re.compile(r"[0-9A-HJKMNP-TV-Z]{26}")
DEVICE = re.compile(r"[0-9a-f]{12}")
SUFFIX = ".jsonl"


SYNC_DIR = "sync-dir"  # in the data folder: this device's shared folder, if any


class Exchange(NamedTuple):
    journal: Path  # this device's
    sent: int
    taken: int
    cards: int  # rescheduled by what was taken
    unknown: int  # cards of decks not synced here
    partial: list[str]  # journals whose last line is still being copied
    backup: Path | None  # taken before anything was written


class Journals(NamedTuple):
    rows: list[tuple[Any, ...]]  # every event of the other devices' journals
    ids: set[str]  # every id in any journal, this device's included
    partial: list[str]  # journals whose last line was not finished


def device_id(home: Path) -> str:
    """This data folder's device id, made on first use."""
    path = home / "device-id"
    if path.exists():
        found = path.read_text(encoding="utf-8").strip()
        if DEVICE.fullmatch(found):
            return found
    import secrets  # only on a device's first sync: review start-up never needs it

    made = secrets.token_hex(6)
    path.write_text(made + "\n", encoding="utf-8")
    return made


def line_of(row: tuple[Any, ...]) -> str:
    return json.dumps(dict(zip(FIELDS, row, strict=True)), separators=(",", ":")) + "\n"


def _row(path: Path, number: int, text: str) -> tuple[Any, ...]:
    """One journal line as an event row, or one line of why not."""
    where = f"{path}:{number}"
    try:
        found = json.loads(text)
    except ValueError:
        raise StoreError(f"{where}: not a leadcards journal line (not JSON)") from None
    if not isinstance(found, dict) or set(found) != set(FIELDS):
        raise StoreError(f"{where}: not a leadcards journal line (its fields are not an event's)")
    row = tuple(found[f] for f in FIELDS)
    if not isinstance(row[0], str) or not ID.fullmatch(row[0]):
        raise StoreError(f"{where}: the event id {row[0]!r} is not a leadcards id")
    try:
        event = event_of(row[:9])
        if event.kind in RATED:
            check_answer(event.id, event.at, event.rating, row[9], event.kind)
    except BadRow as bad:
        raise StoreError(f"{where}: {bad.problem}") from None
    return row


def read(folder: Path, device: str) -> Journals:
    """Every journal in ``folder``: the other devices' events, and all ids."""
    rows: list[tuple[Any, ...]] = []
    ids: set[str] = set()
    partial = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if not DEVICE.fullmatch(path.name.removesuffix(SUFFIX)):
            continue  # not a journal: left alone
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(f"cannot read the journal {path}: {exc}") from None
        lines = text.split("\n")
        if lines[-1]:  # the last line has no newline yet: a copy still under way
            partial.append(path.name)
        own = path.name == f"{device}{SUFFIX}"
        for number, line in enumerate(lines[:-1], start=1):
            row = _row(path, number, line)
            ids.add(row[0])
            if not own:
                rows.append(row)
    return Journals(rows, ids, partial)


def append(folder: Path, device: str, rows: list[tuple[Any, ...]]) -> None:
    """Add ``rows`` to this device's journal, whole lines only, on the disk when done."""
    path = folder / f"{device}{SUFFIX}"
    try:
        if path.exists():
            held = path.read_bytes()
            if held and not held.endswith(b"\n"):
                # a line cut by a crash here: only this device writes the file, so the
                # cut is dropped (its events are still in the database, and go out again)
                os.truncate(path, held.rfind(b"\n") + 1)
        with path.open("a", encoding="utf-8") as out:
            out.write("".join(line_of(row) for row in rows))
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise StoreError(f"cannot write the journal {path}: {exc.strerror}") from None


def exchange(store: Store, home: Path, folder: Path, now_ms: int) -> Exchange:
    """One sync through ``folder``: take the other devices' events this file lacks (a
    backup first, one transaction), then send this file's events no journal holds."""
    from leadcards.store.backup import take_backup

    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    device = device_id(home)
    found = read(folder, device)
    local = store.event_rows()
    held = {row[0] for row in local}
    fresh = [row for row in found.rows if row[0] not in held]
    kept = None
    cards = unknown = 0
    if fresh:
        kept = take_backup(store.path, now_ms)
        report = store.take_events(fresh)
        cards, unknown = report.cards, report.unknown
    mine = [row for row in local if row[0] not in found.ids]  # in no journal yet
    if mine:
        append(folder, device, mine)
    own = folder / f"{device}{SUFFIX}"
    return Exchange(own, len(mine), len(fresh), cards, unknown, found.partial, kept)


def sync_dir(home: Path) -> Path | None:
    """The shared folder ``review`` syncs through, set for this device only: a folder
    path means nothing on another machine, so it is kept beside the database, not in
    the log that devices share."""
    path = home / SYNC_DIR
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8").strip()
    return Path(text) if text else None


def set_sync_dir(home: Path, folder: Path | None) -> None:
    path = home / SYNC_DIR
    if folder is None:
        path.unlink(missing_ok=True)
        return
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    home.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{folder.resolve()}\n", encoding="utf-8")
