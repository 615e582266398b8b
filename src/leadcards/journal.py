"""Journals: how devices share a log through a folder that a sync tool copies around.

A SQLite file in a synced folder gets conflicted copies when two devices write it. So
each device writes only its own file in the folder, ``<device>.jsonl``, one JSON object
a line, one line an event, appended and never rewritten; and reads everyone else's. No
two devices write one file, so no sync tool can make a conflict. A line a sync tool has
not finished copying (the file does not end in a newline) is left for next time.

The device id is random, kept in the data folder (``device-id``): a copied data folder
should be given a new one by deleting that file.

Journals only grow, so a sync reads each from where the last one stopped: the data
folder keeps, in ``sync-state.json``, how far each journal was read (and a hash of the
line that ends there, so a journal rewritten or cut since is read again whole) and the
last row of the log then (so a database restored from an older backup, which may lack
events already read, reads everything again). Without it a sync read every line of
every journal and the whole log: 9 s and 1 GB at a million events, at each review.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from leadcards.errors import BadRow, StoreError, UsageError
from leadcards.file_replace import new_file_beside, replace_file
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
    rows: list[tuple[Any, ...]]  # the events of the other devices' journals read
    ids: set[str]  # every id read, this device's journal included
    partial: list[str]  # journals whose last line was not finished
    read_to: dict[str, Position]  # journal name → how far it is read now
    restarted: bool  # a journal of ``since`` is gone, or no longer holds its line there


class Position(NamedTuple):
    """How far a journal was read: the byte after its last whole line, and a hash of
    that line (empty at the start of the file)."""

    offset: int
    tail: str


STATE = "sync-state.json"  # in the data folder: how far the last sync read


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


def read(folder: Path, device: str, since: dict[str, Position] | None = None) -> Journals:
    """The journals in ``folder``, each from where ``since`` says it was read to (a
    journal not there, or no longer holding that line there, from its start): the other
    devices' events, and every id read."""
    rows: list[tuple[Any, ...]] = []
    ids: set[str] = set()
    partial = []
    read_to: dict[str, Position] = {}
    restarted = False
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if not DEVICE.fullmatch(path.name.removesuffix(SUFFIX)):
            continue  # not a journal: left alone
        start = (since or {}).get(path.name, Position(0, ""))
        try:
            found = _read_from(path, start)
        except StoreError:
            if start.offset == 0:
                raise
            # read again from the start, so that the refusal names the line's number
            found = _read_from(path, Position(0, ""))
        read_to[path.name] = found.to
        restarted = restarted or (start.offset > 0 and not found.resumed)
        if found.unfinished:
            partial.append(path.name)
        own = path.name == f"{device}{SUFFIX}"
        for row in found.rows:
            ids.add(row[0])
            if not own:
                rows.append(row)
    restarted = restarted or any(name not in read_to for name in since or {})
    return Journals(rows, ids, partial, read_to, restarted)


class _Read(NamedTuple):
    rows: list[tuple[Any, ...]]  # of the whole lines read
    resumed: bool  # read from the position asked for, not from the start again
    unfinished: bool  # a last line without its newline: a copy under way
    to: Position  # how far the file is read now


def _read_from(path: Path, start: Position) -> _Read:
    """``path``'s whole lines after ``start``, or from the file's start when it no longer
    holds that line there."""
    resumed = True
    try:
        with path.open("rb") as handle:
            if not _still_ends(handle, start):
                start, resumed = Position(0, ""), False
            handle.seek(start.offset)
            data = handle.read()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"cannot read the journal {path}: {exc}") from None
    lines = text.split("\n")
    rows = [_row(path, n, line) for n, line in enumerate(lines[:-1], start=1)]
    if len(lines) == 1:
        return _Read(rows, resumed, bool(lines[-1]), start)
    end = start.offset + len(data) - len(lines[-1].encode("utf-8"))
    return _Read(rows, resumed, bool(lines[-1]), Position(end, _hash(lines[-2])))


def _hash(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()[:32]


def _still_ends(handle: Any, position: Position) -> bool:
    """Whether the journal open in ``handle`` still has, ending at ``position``, the
    line it had: only then is what comes after it new."""
    if position.offset == 0:
        return True
    size = handle.seek(0, os.SEEK_END)
    if size < position.offset:
        return False
    back = min(position.offset, 1 << 16)
    handle.seek(position.offset - back)
    chunk = handle.read(back)
    if not chunk.endswith(b"\n"):
        return False
    line = chunk[:-1].rsplit(b"\n", 1)[-1]
    try:
        return _hash(line.decode("utf-8")) == position.tail
    except UnicodeDecodeError:
        return False


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
    backup first, one transaction), then send this file's events no journal holds.
    Each journal is read from where the last sync through ``folder`` stopped, and the
    log from the row it had reached (see the module's docstring)."""
    from leadcards.store.backup import take_backup

    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    device = device_id(home)
    since = _last_sync(home, folder, store)
    found = read(folder, device, since.journals if since is not None else None)
    if since is not None and found.restarted:
        # A journal cut or removed since may have lost events of the log read before:
        # everything is read, and sent where no journal holds it, again.
        since = None
        found = read(folder, device)
    lacking = store.lacking_events([row[0] for row in found.rows])
    # once each: an event merged from a file may have gone out again in a second journal
    fresh = list({row[0]: row for row in found.rows if row[0] in lacking}.values())
    kept = None
    cards = unknown = 0
    if fresh:
        kept = take_backup(store.path, now_ms)
        report = store.take_events(fresh)
        cards, unknown = report.cards, report.unknown
    # The log's last row first, and rows up to it: an answer another terminal logs
    # meanwhile lies beyond the mark kept, so the next sync sends it.
    reached = store.last_event()
    local = store.event_rows(after=since.seq if since is not None else 0, through=reached[0])
    mine = [row for row in local if row[0] not in found.ids]  # in no journal yet
    own = folder / f"{device}{SUFFIX}"
    read_to = dict(found.read_to)
    if mine:
        append(folder, device, mine)
        read_to[own.name] = Position(own.stat().st_size, _hash(line_of(mine[-1])[:-1]))
    _remember(home, folder, reached, read_to)
    return Exchange(own, len(mine), len(fresh), cards, unknown, found.partial, kept)


class _LastSync(NamedTuple):
    journals: dict[str, Position]
    seq: int  # every row of the log up to this one is in some journal


def _last_sync(home: Path, folder: Path, store: Store) -> _LastSync | None:
    """What the last sync through ``folder`` read, if it still holds: the same folder,
    and the log still has the row it had reached (a database restored from an older
    backup may lack events read since; it reads everything again)."""
    try:
        saved = json.loads((home / STATE).read_text(encoding="utf-8"))
        if saved["folder"] != str(folder.resolve()):
            return None
        seq, last = int(saved["seq"]), saved["id"]
        journals = {
            str(name): Position(int(at[0]), str(at[1])) for name, at in saved["journals"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # none yet, or unreadable: a whole read makes it again
    if last is None or store.event_id_at(seq) != last:
        return None  # an empty log then proves nothing about this one
    return _LastSync(journals, seq)


def _remember(
    home: Path, folder: Path, reached: tuple[int, str | None], read_to: dict[str, Position]
) -> None:
    """Keep how far this sync read; a state that cannot be written costs the next sync
    a whole read, nothing else."""
    seq, last = reached
    state = {
        "folder": str(folder.resolve()),
        "seq": seq,
        "id": last,
        "journals": {name: list(at) for name, at in sorted(read_to.items())},
    }
    path = home / STATE
    partial: Path | None = None
    try:
        handle, partial = new_file_beside(home, f".{STATE}.", ".part")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(state, indent=1) + "\n")
        replace_file(partial, path)
    except OSError:
        if partial is not None:
            partial.unlink(missing_ok=True)
        path.unlink(missing_ok=True)


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
