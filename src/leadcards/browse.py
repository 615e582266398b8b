"""Rows for `leadcards cards`: each card's schedule, joined with its text for searching."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leadcards.clock import from_ms, now, to_ms
from leadcards.queue import today
from leadcards.scheduling import STATE_NAMES, Scheduler
from leadcards.store import memory_of
from leadcards.workspace import open_with_decks


def card_rows(
    home_dir: Path,
    names: list[str],
    *,
    due: bool = False,
    new: bool = False,
    suspended: bool = False,
    leeches: bool = False,
    search: str | None = None,
) -> list[dict[str, Any]]:
    store, decks = open_with_decks(home_dir, names)
    with store:
        at_ms = to_ms(now())
        at = from_ms(at_ms)
        text = {
            c.key: f"{c.key}\n{c.front}\n{c.back}\n{c.extra}".casefold()
            for d in decks
            for c in d.cards
        }
        needle = search.casefold() if search else None
        rows: list[dict[str, Any]] = []
        for deck in decks:
            scheduler = Scheduler(store.settings(deck.id))
            day_end = today(store, deck.id, at_ms).end_ms
            for row in store.conn.execute(
                "SELECT * FROM cards WHERE deck_id = ? AND removed = 0 ORDER BY position",
                (deck.id,),
            ):
                memory = memory_of(row)
                is_due = memory.state > 0 and memory.due is not None and memory.due < day_end
                if due and not (is_due and not row["suspended"]):
                    continue
                if new and memory.state != 0:
                    continue
                if suspended and not row["suspended"]:
                    continue
                if leeches and not row["leech"]:
                    continue
                if needle and needle not in text.get(row["key"], row["key"].casefold()):
                    continue
                r = scheduler.retrievability(memory, at)
                flags = [
                    name
                    for name, on in (
                        ("suspended", row["suspended"]),
                        ("leech", row["leech"]),
                        ("buried", (row["buried_until"] or 0) > at_ms),
                    )
                    if on
                ]
                rows.append(
                    {
                        "key": row["key"],
                        "deck": deck.id,
                        "state": STATE_NAMES[memory.state],
                        "due": from_ms(memory.due).astimezone().strftime("%Y-%m-%d %H:%M")
                        if memory.due is not None
                        else None,
                        "stability": memory.stability,
                        "difficulty": memory.difficulty,
                        "retrievability": r,
                        "reps": memory.reps,
                        "lapses": memory.lapses,
                        "flags": flags,
                    }
                )
    return rows
