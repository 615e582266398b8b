"""An .apkg that carries each card's schedule and review history, built by Anki itself.

genanki writes notes and cards but no scheduling, so this module asks the official
``anki`` package to do what Anki does: import the genanki package into a temporary
collection, give every card its FSRS memory state, due date and counters, add one
revlog row per leadcards answer, and export the lot with scheduling included. The
package is an optional extra (``leadcards[anki]``) and is imported only here.

Anki applies scheduling only to cards it does not have yet: re-importing into a
profile that already holds these cards updates the notes and keeps Anki's own
schedule for them. Anki runs on this computer's clock and refuses a package whose
reviews lie ahead of it (answers given with ``LEADCARDS_NOW`` set in the future), so
such an export stops with a message before anything is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from leadcards.deck.card_types import card_type
from leadcards.deck.model import Deck
from leadcards.errors import LeadcardsError
from leadcards.export import apkg
from leadcards.export.output import atomic_output, check_output, work_folder
from leadcards.export.records import CardSchedule, ReviewRecord

MISSING_ANKI = "--with-history needs the anki package: pip install 'leadcards[anki]'"
DAY = 86_400
REVLOG_BATCH = 1_000  # rows per insert: 9,000 parameters, under SQLite's limit

# Anki's numbers for card types, queues and revlog kinds (anki.consts).
_TYPE = {"new": 0, "learning": 1, "review": 2, "relearning": 3}
_REVLOG_KIND = {"new": 0, "learning": 0, "review": 1, "relearning": 2}
QUEUE_SUSPENDED, QUEUE_LEARN, QUEUE_REVIEW, QUEUE_DAY_LEARN = -1, 1, 2, 3


class AnkiMissingError(LeadcardsError):
    """The optional ``anki`` package is not installed."""


class FutureReviewsError(LeadcardsError):
    """The log holds answers later than this computer's clock, which Anki refuses."""


def check_not_ahead(schedules: dict[str, CardSchedule], wall_clock_s: float) -> None:
    ahead = [
        review.reviewed_at
        for schedule in schedules.values()
        for review in schedule.reviews
        if review.reviewed_at.timestamp() > wall_clock_s
    ]
    if ahead:
        latest = max(ahead).strftime("%Y-%m-%d %H:%M UTC")
        raise FutureReviewsError(
            f"{len(ahead)} answer{'s' if len(ahead) != 1 else ''} in the log "
            f"{'are' if len(ahead) != 1 else 'is'} later than this computer's clock "
            f"(the last at {latest}) and Anki refuses reviews from the future: "
            "export without --with-history, or once the clock has passed that time"
        )


def require_anki() -> None:
    """Fail early, before any file is written, when the extra is missing."""
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        raise AnkiMissingError(MISSING_ANKI) from None


@dataclass(frozen=True)
class _Timeline:
    """Anki counts review due dates in days since the collection was created."""

    created: int  # collection creation, at the day's rollover (seconds)
    today: int  # today's day number

    def day(self, seconds: float) -> int:
        return int((seconds - self.created) // DAY)


def write_apkg_with_history(
    decks: list[Deck],
    load_schedules: Callable[[], dict[str, CardSchedule]],
    path: Path,
    *,
    force: bool = False,
    mtime: float | None = None,
    progress: apkg.Progress | None = None,
) -> apkg.ExportSummary:
    """Write ``decks`` with their schedules to ``path`` atomically.

    ``load_schedules`` gives a map from card keys to their state and history; cards
    without one arrive as new, and keys of cards no longer in the decks are ignored.
    It is called only once the output path and the anki package are known to be
    fine, so reading the review log is not wasted on an export that cannot happen.
    ``progress`` is told about every card twice: once built, once scheduled.
    """
    check_output(path, force=force)
    require_anki()
    from anki.collection import Collection, ExportAnkiPackageOptions, NoteIdsLimit
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    schedules = load_schedules()
    check_not_ahead(schedules, time.time())
    package = apkg.build_package(decks, progress)
    with work_folder() as work:
        bare = work / "notes.apkg"
        apkg.write_package(package, bare, mtime)
        col = Collection(str(work / "collection.anki2"))
        try:
            col.import_anki_package(
                ImportAnkiPackageRequest(package_path=str(bare), options=ImportAnkiPackageOptions())
            )
            reviews = apply_schedules(col, decks, schedules, progress)
            note_ids = col.find_notes("")
            with atomic_output(path) as temp:
                col.export_anki_package(
                    out_path=str(temp),
                    options=ExportAnkiPackageOptions(
                        with_scheduling=True,
                        with_deck_configs=False,
                        with_media=False,
                        legacy=False,
                    ),
                    limit=NoteIdsLimit(note_ids),
                )
        finally:
            col.close()
    return apkg.summarize(decks, path, reviews)


def apply_schedules(
    col: Any,
    decks: list[Deck],
    schedules: dict[str, CardSchedule],
    progress: apkg.Progress | None = None,
) -> int:
    """Give each imported card its leadcards schedule; returns the revlog rows added."""
    from anki.cards import FSRSMemoryState

    note_ids = dict(col.db.all("select guid, id from notes"))
    card_ids = {(nid, ord_): cid for nid, ord_, cid in col.db.all("select nid, ord, id from cards")}
    timeline = _Timeline(col.crt, col.sched.today)
    cards: list[Any] = []
    revlog: list[tuple[int, ...]] = []
    used_ids: set[int] = set(col.db.list("select id from revlog"))
    for deck in decks:
        for note in deck.notes:
            nid = note_ids.get(apkg.anki_guid(deck.id, note))
            for card in note.cards:
                schedule = schedules.get(card.key)
                if schedule is None or nid is None:
                    continue
                cid = card_ids[(nid, card_type(card.kind).note_type.ordinal(card.template))]
                anki_card = col.get_card(cid)
                _schedule_card(anki_card, schedule, timeline, FSRSMemoryState)
                cards.append(anki_card)
                revlog.extend(_revlog_rows(cid, schedule.reviews, used_ids))
            if progress:
                progress(len(note.cards))
    if cards:
        col.update_cards(cards, skip_undo_entry=True)
    # Many rows per statement: one statement per row through the backend is ~20× slower.
    for start in range(0, len(revlog), REVLOG_BATCH):
        batch = revlog[start : start + REVLOG_BATCH]
        col.db.execute(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) values "
            + ",".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(batch)),
            *(value for row in batch for value in row),
        )
    return len(revlog)


def _schedule_card(card: Any, schedule: CardSchedule, timeline: _Timeline, memory: Any) -> None:
    state = schedule.state
    card.type = _TYPE.get(state, 0)
    card.reps = schedule.reps
    card.lapses = schedule.lapses
    if schedule.stability is not None and schedule.difficulty is not None:
        card.memory_state = memory(
            stability=float(schedule.stability), difficulty=float(schedule.difficulty)
        )
    if schedule.last_review is not None:
        card.last_review_time = int(schedule.last_review.timestamp())
    if state != "new":
        card.factor = 2500  # what SM-2 would need if the learner turns FSRS off
    if state == "review" and schedule.due is not None:
        card.queue = QUEUE_REVIEW
        card.due = timeline.day(schedule.due.timestamp())
        since = schedule.last_review or schedule.due
        card.ivl = max(1, round((schedule.due - since) / timedelta(days=1)))
    elif state in ("learning", "relearning") and schedule.due is not None:
        due_day = timeline.day(schedule.due.timestamp())
        if due_day <= timeline.today:
            card.queue, card.due = QUEUE_LEARN, int(schedule.due.timestamp())
        else:
            card.queue, card.due = QUEUE_DAY_LEARN, due_day
        card.left = 1
        card.ivl = max(1, round(schedule.stability or 0)) if state == "relearning" else 0
    if schedule.suspended:
        card.queue = QUEUE_SUSPENDED


def _revlog_interval(interval: timedelta) -> int:
    """Anki's revlog convention: whole days, or negative seconds under a day."""
    seconds = interval.total_seconds()
    if seconds >= DAY:
        return round(seconds / DAY)
    return -max(1, round(seconds)) if seconds > 0 else 0


def _revlog_rows(
    cid: int, reviews: Iterable[ReviewRecord], used_ids: set[int]
) -> list[tuple[int, ...]]:
    """One revlog row per answer; ids are answer times in ms, nudged to stay unique."""
    rows: list[tuple[int, ...]] = []
    for review in reviews:
        revlog_id = int(review.reviewed_at.timestamp() * 1000)
        while revlog_id in used_ids:
            revlog_id += 1
        used_ids.add(revlog_id)
        # FSRS keeps difficulty where SM-2 kept ease: normalized to 0.1–1.1, in permille.
        factor = round(((review.difficulty_after - 1) / 9 + 0.1) * 1000)
        rows.append(
            (
                revlog_id,
                cid,
                -1,
                review.rating,
                _revlog_interval(review.interval_after),
                _revlog_interval(review.interval_before),
                max(0, factor),
                max(0, review.duration_ms),
                _REVLOG_KIND.get(review.state_before, 0),
            )
        )
    return rows
