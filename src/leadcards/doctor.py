"""`leadcards doctor`: is the file sound, and do the caches match the decks and the log?

The log is the truth; the cards table is a cache of replaying it — memory, suspension,
leech mark and bury alike — and the settings table one of its settings events. Which
card rows exist (and which are hidden as gone) is the deck files' business. A mismatch
means a bug, a hand edit, or a crash mid-way in an older version; ``--rebuild`` makes
the rows the decks' cards again, then rewrites every cached state from the log alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from leadcards.errors import BadRow
from leadcards.store import Store

if TYPE_CHECKING:
    from leadcards.deck.model import Deck


@dataclass
class DoctorReport:
    ok: bool = True
    lines: list[str] = field(default_factory=list)


def check(
    store: Store, *, rebuild: bool = False, decks: list[Deck] | None = None, now_ms: int = 0
) -> DoctorReport:
    """``decks``: the known decks that load, whose cards the rows must be."""
    report = DoctorReport()
    problems = store.integrity_problems()
    if problems:
        report.ok = False
        report.lines += [f"integrity: {p}" for p in problems[:20]]
        report.lines.append("integrity: the file is damaged; restore a backup")
        return report
    if _bad_rows(store, report):
        return report
    kept = None
    if rebuild:  # it may rewrite rows wholesale: the file as it was is kept first
        from leadcards.store.backup import take_backup

        kept = take_backup(store.path, now_ms)
        store.clear_stats_tallies()  # derived from the log: the next `stats` makes them again
    rows = DoctorReport()  # first, since a rebuilt row is a log row's card again
    if decks is not None:
        _check_rows(store, decks, rows, rebuild, now_ms)
    dangling = store.dangling_events()
    if dangling:
        report.ok = False
        report.lines.append(f"integrity: {dangling} log rows name no card")
    else:
        report.lines.append("integrity: ok")
    report.ok = report.ok and rows.ok
    report.lines += rows.lines
    _check_settings(store, report, rebuild)
    differing, cards = store.stale_records()
    events = store.event_count()
    if not differing:
        report.lines.append(f"replay: {cards} cards match their {events} log events")
    elif rebuild:
        store.write_records(differing)
        report.lines.append(
            f"replay: rebuilt {len(differing)} of {cards} cards from {events} log events"
        )
    else:
        report.ok = False
        keys = list(differing)  # in the order cards were added: deck order
        shown = ", ".join(keys[:5])
        more = f" and {len(keys) - 5} more" if len(keys) > 5 else ""
        report.lines.append(
            f"replay: {len(keys)} of {cards} cards differ from their log "
            f"({shown}{more}); `leadcards doctor --rebuild` rewrites them from the log"
        )
    if kept is not None:
        report.lines.append(f"backup: the file as it was is kept in {kept}")
    return report


def _bad_rows(store: Store, report: DoctorReport) -> bool:
    """Log rows no replay can read (a hand edit, a damaged disk) stop the check: each
    is named, and nothing is compared or rebuilt while one remains."""
    bad = store.bad_rows()
    if not bad:
        return False
    report.ok = False
    report.lines += [f"rows: {b.row} {b.problem}" for b in bad[:20]]
    if len(bad) > 20:
        report.lines.append(f"rows: and {len(bad) - 20} more")
    report.lines.append(
        "rows: leadcards never writes these, so it compared and rebuilt nothing; they were "
        "left as they are — restore a backup, or mend them by hand"
    )
    return True


def _check_settings(store: Store, report: DoctorReport, rebuild: bool) -> None:
    """The settings table is a cache of the log's settings events too."""
    logged = store.logged_settings()
    try:
        if store.cached_settings() == logged:
            return
        differ = "differ from the log"
    except BadRow as bad:  # a value no command can read: a cache, so rewritten too
        differ = f"{bad.row} {bad.problem}"
    if rebuild:
        store.write_settings(logged)
        report.lines.append("settings: rebuilt from the log")
    else:
        report.ok = False
        report.lines.append(f"settings: {differ}; `leadcards doctor --rebuild` rewrites them")


def _text_differs(store: Store, deck: Deck) -> int:
    """How many of the deck's notes (its own text counting as one) are stored otherwise
    than its file says, out of place, or not at all; or stored though it has them no more."""
    from leadcards.deck.packed import pack_note
    from leadcards.store import DeckText

    stored = store.placed_notes(deck.id)
    differing = 0
    for seq, note in enumerate(deck.notes):
        differing += stored.pop(note.id, None) != (seq, pack_note(note))
    about = DeckText(deck.id, deck.name, deck.description, deck.source)
    return differing + len(stored) + (store.deck_text(deck.id) != about)


def _check_rows(
    store: Store, decks: list[Deck], report: DoctorReport, rebuild: bool, now_ms: int
) -> None:
    """Each deck's cards have rows, shown; rows of cards its file no longer has are hidden;
    the stored text is the file's."""
    from leadcards.sync import sync_deck

    wrong = []
    for deck in decks:
        rows = store.deck_keys(deck.id)
        present = {card.key for card in deck.cards}
        missing = len(present - rows.keys())
        hidden = sum(1 for key in present if rows.get(key))
        shown = sum(1 for key, removed in rows.items() if not removed and key not in present)
        text = _text_differs(store, deck)
        if missing or hidden or shown or text:
            wrong.append((deck, missing, hidden, shown, text))
    if not wrong:
        count = f"{len(decks)} deck{'s' if len(decks) != 1 else ''}"
        report.lines.append(f"decks: every card has its row ({count})")
        return
    for deck, missing, hidden, shown, text in wrong:
        what = ", ".join(
            said
            for n, said in (
                (missing, f"{missing} cards have no row"),
                (hidden, f"{hidden} are hidden as gone"),
                (shown, f"{shown} rows are of cards it no longer has"),
                (text, f"the stored text of {text} notes differs from its file"),
            )
            if n
        )
        if rebuild:
            sync_deck(store, deck, now_ms)
            report.lines.append(f"decks: {deck.id}: {what}; rows rebuilt from its file")
        else:
            report.ok = False
            report.lines.append(
                f"decks: {deck.id}: {what}; `leadcards doctor --rebuild` rebuilds them"
            )
