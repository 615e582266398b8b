"""`leadcards doctor`: is the file sound, and do the caches match the log?

The log is the truth; the cards table is a cache of replaying it — memory, suspension,
leech mark and bury alike — and the settings table one of its settings events. A
mismatch means a bug, a hand edit, or a crash mid-way in an older version; ``--rebuild``
rewrites the caches from the log alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from leadcards.events import NEW_RECORD, replay
from leadcards.store import Store


@dataclass
class DoctorReport:
    ok: bool = True
    lines: list[str] = field(default_factory=list)


def check(store: Store, *, rebuild: bool = False) -> DoctorReport:
    report = DoctorReport()
    problems = store.integrity_problems()
    if problems:
        report.ok = False
        report.lines += [f"integrity: {p}" for p in problems[:20]]
        report.lines.append("integrity: the file is damaged; restore a backup")
        return report
    dangling = store.dangling_events()
    if dangling:
        report.ok = False
        report.lines.append(f"integrity: {dangling} log rows name no card")
    else:
        report.lines.append("integrity: ok")
    _check_settings(store, report, rebuild)
    cards = {row.key: row for row in store.all_cards()}
    replayed = replay(store.events(), {k: row.deck_id for k, row in cards.items()}, store.undone())
    differing = {
        key: replayed.get(key, NEW_RECORD)
        for key, row in cards.items()
        if replayed.get(key, NEW_RECORD) != row.record
    }
    events = store.event_count()
    if not differing:
        report.lines.append(f"replay: {len(cards)} cards match their {events} log events")
    elif rebuild:
        store.write_records(differing)
        report.lines.append(
            f"replay: rebuilt {len(differing)} of {len(cards)} cards from {events} log events"
        )
    else:
        report.ok = False
        keys = list(differing)  # in the order cards were added: deck order
        shown = ", ".join(keys[:5])
        more = f" and {len(keys) - 5} more" if len(keys) > 5 else ""
        report.lines.append(
            f"replay: {len(keys)} of {len(cards)} cards differ from their log "
            f"({shown}{more}); `leadcards doctor --rebuild` rewrites them from the log"
        )
    return report


def _check_settings(store: Store, report: DoctorReport, rebuild: bool) -> None:
    """The settings table is a cache of the log's settings events too."""
    logged = store.logged_settings()
    if store.cached_settings() == logged:
        return
    if rebuild:
        store.write_settings(logged)
        report.lines.append("settings: rebuilt from the log")
    else:
        report.ok = False
        report.lines.append(
            "settings: differ from the log; `leadcards doctor --rebuild` rewrites them"
        )
