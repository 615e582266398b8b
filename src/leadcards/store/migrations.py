"""Numbered schema migrations: step N turns a version-N file into version N+1.

A new file runs every step from 0, so each step is exercised on every fresh database as
well as on files written by the release that used it; tests open a file of each older
version. Each step runs in its own ``BEGIN IMMEDIATE`` transaction, and a second process
that migrated meanwhile is noticed, so two first opens cannot both migrate.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from importlib import resources

from leadcards.ids import ulid_after
from leadcards.store.connection import APPLICATION_ID, SCHEMA_VERSION


def _run_script(conn: sqlite3.Connection, name: str) -> None:
    text = resources.files("leadcards.store").joinpath(name).read_text(encoding="utf-8")
    for statement in text.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _initial(conn: sqlite3.Connection) -> None:
    _run_script(conn, "schema_v1.sql")


def _events(conn: sqlite3.Connection) -> None:
    """Version 2: one log of every event, in global order, with no undo snapshots.

    Version 1 logged answers and forgets in a local ``seq`` order, kept suspensions,
    buries and leech marks only in the card cache, and settings only in their table.
    """
    _run_script(conn, "schema_v2.sql")
    last = _copy_reviews(conn)
    _log_flags_and_settings(conn, last)
    conn.execute("DROP TABLE reviews")


def _copy_reviews(conn: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Copy the old rows in ``seq`` order. Where two rows of a card share a millisecond
    their ids are made to follow that order, so a replay in (time, id) order meets them
    as version 1 did. Returns each card's newest (time, id)."""
    last: dict[str, tuple[int, str]] = {}
    copied = []
    for row in conn.execute(
        "SELECT id, card_key, kind, reviewed_at, rating, duration_ms, state_before, "
        "state_after, due_after, stability_after, difficulty_after FROM reviews ORDER BY seq"
    ):
        at, event_id = row["reviewed_at"], row["id"]
        previous = last.get(row["card_key"])
        if previous is not None and (at, event_id) <= previous:
            at = previous[0]
            event_id = ulid_after(at, previous[1])
        last[row["card_key"]] = (at, event_id)
        # rating through difficulty_after describe answers; a forget's are NULL (its rating
        # and duration were placeholders, its states follow from the replay)
        facts = tuple(row)[4:] if row["kind"] == "answer" else (None,) * 7
        copied.append((event_id, at, row["kind"], row["card_key"], *facts))
    conn.executemany(
        "INSERT INTO events (id, at, kind, card_key, rating, duration_ms, state_before, "
        "state_after, due_after, stability_after, difficulty_after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        copied,
    )
    return last


def _log_flags_and_settings(conn: sqlite3.Connection, last: dict[str, tuple[int, str]]) -> None:
    """Events that reproduce what the cache and the settings table held: settings in
    force from the start (as version 1 replayed them), flags at the newest logged time."""
    newest = max((at for at, _ in last.values()), default=0)
    chain: dict[int, str | None] = {newest: max((i for _, i in last.values()), default=None)}
    rows: list[tuple[str, int, str, str | None, str | None]] = []

    def add(at: int, kind: str, key: str | None, data: dict[str, object] | None = None) -> None:
        chain[at] = ulid_after(at, chain.get(at))
        payload = json.dumps(data, separators=(",", ":")) if data is not None else None
        rows.append((str(chain[at]), at, kind, key, payload))

    for scope, key, value in conn.execute("SELECT scope, key, value FROM settings ORDER BY 1, 2"):
        add(0, "setting", None, {"scope": scope, "key": key, "value": json.loads(value)})
    for row in conn.execute(
        "SELECT key, suspended, leech, buried_until FROM cards "
        "WHERE suspended OR leech OR buried_until IS NOT NULL ORDER BY key"
    ):
        if row["leech"]:
            add(newest, "leech", row["key"])
        if row["suspended"] and not row["leech"]:
            add(newest, "suspend", row["key"])
        if row["leech"] and not row["suspended"]:
            add(newest, "unsuspend", row["key"])
        if row["buried_until"] is not None:
            add(newest, "bury", row["key"], {"until": row["buried_until"]})
    conn.executemany(
        "INSERT INTO events (id, at, kind, card_key, data) VALUES (?, ?, ?, ?, ?)", rows
    )


def _text(conn: sqlite3.Connection) -> None:
    """Version 3: each deck's text, written by sync. The store cannot parse a deck, so
    every synced file is marked changed instead: the next command that syncs reads it
    and writes its text, as it would after an edit."""
    _run_script(conn, "schema_v3.sql")


def _practice_and_counts(conn: sqlite3.Connection) -> None:
    """Version 4: practice events, and an index that counts a deck's cards. Nothing in
    the file changes meaning; the version tells older releases, which would stop at the
    first practice event, that the file is not theirs to open."""
    _run_script(conn, "schema_v4.sql")


def _stats_tallies(conn: sqlite3.Connection) -> None:
    """Version 5: the tallies ``stats`` keeps of past study days, empty at first: the
    first ``stats`` makes them from the log."""
    _run_script(conn, "schema_v5.sql")


def _tags_of(deck: str, note: str, body: str, notes: str = "") -> str:
    """SELECT of (deck, note, tag, from_table) for the tags of a note (third in its packed
    text): from_table when the tag is one of the three a table gives each of its cells
    ('table::t', 't::aspect' and 't::side' on the note 't:aspect:side'). Written once for
    the version 6 step: the notes already stored, and the triggers for later writes."""
    table = f"substr({note}, 1, instr({note}, ':') - 1)"
    rest = f"substr({note}, instr({note}, ':') + 1)"
    aspect = f"substr({rest}, 1, instr({rest}, ':') - 1)"
    side = f"substr({rest}, instr({rest}, ':') + 1)"
    cell = f"{note} GLOB '*:*:*' AND NOT {note} GLOB '*:*:*:*'"
    own = f"'table::' || {table}, {table} || '::' || {aspect}, {table} || '::' || {side}"
    return (
        f"SELECT {deck}, {note}, t.value, {cell} AND t.value IN ({own}) "
        f"FROM {notes}json_each({body}, '$[2]') t"
    )


def _stats_groups(conn: sqlite3.Connection) -> None:
    """Version 6: notes' tags as rows, kept by triggers; first reviews tallied per note
    (the kept per-card tallies are dropped: the next ``stats`` makes them again); the
    indexes ``stats`` lists the most lapsed cards and the forecast from."""
    _run_script(conn, "schema_v6.sql")
    add = "INSERT OR IGNORE INTO note_tags (deck_id, note_id, tag, from_table)"
    new = _tags_of("NEW.deck_id", "NEW.note_id", "NEW.body")
    forget = "DELETE FROM note_tags WHERE deck_id = OLD.deck_id AND note_id = OLD.note_id"
    conn.execute(f"CREATE TRIGGER notes_tags_added AFTER INSERT ON notes BEGIN {add} {new}; END")
    conn.execute(
        f"CREATE TRIGGER notes_tags_changed AFTER UPDATE ON notes BEGIN {forget}; {add} {new}; END"
    )
    conn.execute(f"CREATE TRIGGER notes_tags_removed AFTER DELETE ON notes BEGIN {forget}; END")
    conn.execute(f"{add} {_tags_of('n.deck_id', 'n.note_id', 'n.body', 'notes n, ')}")


STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {
    0: _initial,
    1: _events,
    2: _text,
    3: _practice_and_counts,
    4: _stats_tallies,
    5: _stats_groups,
}


def migrate(conn: sqlite3.Connection, version: int, target: int = SCHEMA_VERSION) -> None:
    """Bring a file from ``version`` up to ``target``, one step per transaction."""
    while version < target:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current == version:  # another process may have migrated meanwhile
                STEPS[version](conn)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version = conn.execute("PRAGMA user_version").fetchone()[0]
