"""`leadcards doctor`: is the file sound, and does every cached state match its log?

The log is the truth; the cards table is a cache of replaying it. A mismatch means a
bug, a crash mid-way in an older version, or scheduling settings changed since the
answers were given (then ``--rebuild`` reschedules, as Anki's "reschedule on change").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from leadcards.scheduling import MEMORY_FIELDS, Memory, Scheduler
from leadcards.store import memory_of, open_store


@dataclass
class DoctorReport:
    ok: bool = True
    lines: list[str] = field(default_factory=list)


def check(home_dir: Path, *, rebuild: bool = False) -> DoctorReport:
    report = DoctorReport()
    with open_store(home_dir) as store:
        problems = [row[0] for row in store.conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            report.ok = False
            report.lines += [f"integrity: {p}" for p in problems[:20]]
            report.lines.append("integrity: the file is damaged; restore a backup")
            return report
        dangling = store.conn.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            report.ok = False
            report.lines.append(f"integrity: {len(dangling)} log rows name no card")
        else:
            report.lines.append("integrity: ok")
        events = store.log_events()
        schedulers: dict[str, Scheduler] = {}
        differing: list[tuple[str, Memory]] = []
        total = 0
        for row in store.conn.execute("SELECT * FROM cards"):
            total += 1
            deck_id = row["deck_id"]
            if deck_id not in schedulers:
                schedulers[deck_id] = Scheduler(store.settings(deck_id))
            replayed = schedulers[deck_id].replay(row["key"], events.get(row["key"], []))
            if replayed != memory_of(row):
                differing.append((row["key"], replayed))
        log_rows = sum(len(e) for e in events.values())
        if not differing:
            report.lines.append(f"replay: {total} cards match their {log_rows} log rows")
        elif rebuild:
            with store.write() as conn:
                conn.executemany(
                    "UPDATE cards SET "
                    + ", ".join(f"{c} = ?" for c in MEMORY_FIELDS)
                    + " WHERE key = ?",
                    [
                        (*(asdict(memory)[c] for c in MEMORY_FIELDS), key)
                        for key, memory in differing
                    ],
                )
            report.lines.append(
                f"replay: rebuilt {len(differing)} of {total} cards from {log_rows} log rows"
            )
        else:
            report.ok = False
            shown = ", ".join(key for key, _ in differing[:5])
            more = f" and {len(differing) - 5} more" if len(differing) > 5 else ""
            report.lines.append(
                f"replay: {len(differing)} of {total} cards differ from their log "
                f"({shown}{more}); `leadcards doctor --rebuild` rewrites them from the log"
            )
    return report
