"""The log's side of `stats`: answers and time per study day, true retention's answers,
and the picks — days that are over read from the tallies the store keeps, today afresh.

A study day that is over never changes its figures (the log is append-only; an undo is
a new row, which ``Store.log_changed_before`` notices). So the first ``stats`` of a day
tallies the days since the last one, and every other reads a few hundred kept rows and
today's answers. The tallies are trusted only while the day rule that cut them holds:
the same ``day_start`` (their key) and the same day starts, i.e. time zone
(``fingerprint``). Otherwise they are made again from the whole log.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import sha256
from typing import NamedTuple

from leadcards.errors import StoreError
from leadcards.stats.retention import Tally
from leadcards.stats.study_days import Activity, Calendar, Span
from leadcards.store import Store
from leadcards.store.stats_rows import Cover, Tallies


class LogFigures(NamedTuple):
    """The decks' log tallies, days numbered as the calendar numbers them."""

    activity: dict[int, Activity]
    retention: list[tuple[int, bool, int, int]]  # day, mature, passed, failed
    cards: dict[str, Tally]  # first reviews per card, besides the kept rows below
    picks: list[tuple[str, str, int]]  # card, picked, times
    kept_cards: str | None  # the day rule whose kept per-card rows add to ``cards``


def log_figures(
    store: Store,
    deck_ids: list[str],
    days: Calendar,
    day_start: str,
    logged: tuple[int, int] | None,
    *,
    keep: bool = True,
) -> LogFigures:
    """The figures of ``deck_ids``; with ``keep``, past days come from (and go to) the
    kept tallies, else the whole log is read."""
    base = days.first_date.toordinal()
    spans = [Span(s.start_ms, s.first + base, s.regular) for s in days.spans()]
    today_ms = days.starts[days.today]
    if not keep:
        return _combine([_tally(store, spans, days, None, None)], deck_ids, base, None)
    past, kept = _past(store, deck_ids, days, day_start, logged, spans)
    today = _tally(store, spans, days, today_ms, None)
    return _combine([*past, today], deck_ids, base, day_start if kept else None)


def fingerprint(days: Calendar, first: int, until: int) -> str:
    """What identifies how days ``first`` … ``until`` (calendar numbers) were cut: their
    dates and the instants each begins (the day start and the time zone's offsets)."""
    text = f"{days.first_date.toordinal() + first}:" + ",".join(
        str(start) for start in days.starts[first : until + 1]
    )
    return sha256(text.encode()).hexdigest()[:32]


def _past(
    store: Store,
    deck_ids: list[str],
    days: Calendar,
    day_start: str,
    logged: tuple[int, int] | None,
    spans: list[Span],
) -> tuple[list[Tallies], bool]:
    """The tallies of every day before today: kept ones, brought up to date; True when
    they are the kept ones, whose per-card rows are left in the store (100,000 cards'
    rows are read where they are summed, ``Store.weakest_groups``)."""
    base = days.first_date.toordinal()
    today_ms = days.starts[days.today]
    stored = store.stats_cover(day_start)
    cover = stored if stored is not None and _holds(store, stored, days) else None
    if cover is not None and cover.until_ms == today_ms:
        kept = _read_kept(store, day_start, deck_ids, cover)
        if kept is not None:
            return [kept], True
    seq = store.log_seq()
    lo = cover.until_ms if cover is not None else None
    fresh = _tally(store, spans, days, lo, today_ms)
    first = days.today
    if logged is not None:
        first = min(first, days.day_of(logged[0]) or 0)
    if cover is not None:
        first = cover.first_day - base
    new = Cover(
        first + base, days.today + base, today_ms, fingerprint(days, first, days.today), seq
    )
    try:
        written = store.write_stats_tallies(day_start, stored, new, fresh, add=cover is not None)
    except StoreError:  # a read-only file: figures all the same, nothing kept
        written = False
        if cover is not None:
            kept = _read_kept(store, day_start, deck_ids, cover)
            if kept is not None:
                return [kept, fresh], True
    if written:
        kept = _read_kept(store, day_start, deck_ids, new)
        if kept is not None:
            return [kept], True
    # another process changed the kept tallies meanwhile: read the log itself
    return [_tally(store, spans, days, None, today_ms)], False


def _holds(store: Store, cover: Cover, days: Calendar) -> bool:
    """Whether kept tallies are still true: cut by today's day rule, ending no later
    than today, and nothing logged since dated before their end or undoing such."""
    base = days.first_date.toordinal()
    first, until = cover.first_day - base, cover.until_day - base
    return (
        0 <= first <= until <= days.today
        and days.starts[until] == cover.until_ms
        and fingerprint(days, first, until) == cover.days
        and not store.log_changed_before(cover.seq, cover.until_ms)
    )


def _read_kept(store: Store, day_start: str, deck_ids: list[str], cover: Cover) -> Tallies | None:
    """The kept tallies, if the cover was still ``cover`` once they were read."""
    kept = store.cached_tallies(day_start, deck_ids)
    return kept if store.stats_cover(day_start) == cover else None


def _tally(
    store: Store, spans: list[Span], days: Calendar, lo: int | None, hi: int | None
) -> Tallies:
    """Every deck's tallies of the events in [``lo``, ``hi``)."""
    end = days.starts[-1]
    retention: dict[tuple[str, int, bool], list[int]] = {}
    cards: dict[str, list[int]] = {}
    for key, day, mature, passed, failed in store.first_reviews_between(spans, end, lo, hi):
        deck = key.split(":", 1)[0]
        for found in (
            retention.setdefault((deck, day, mature), [0, 0]),
            cards.setdefault(key, [0, 0]),
        ):
            found[0] += passed
            found[1] += failed
    return Tallies(
        store.activity_between(spans, end, lo, hi),
        [(deck, day, mature, p, f) for (deck, day, mature), (p, f) in retention.items()],
        [(key, p, f) for key, (p, f) in cards.items()],
        store.picks_between(lo, hi),
    )


def _combine(
    parts: Iterable[Tallies], deck_ids: list[str], base: int, kept_cards: str | None
) -> LogFigures:
    """The parts' tallies of the decks ``deck_ids`` added up."""
    decks = set(deck_ids)
    activity: dict[int, Activity] = {}
    retention: list[tuple[int, bool, int, int]] = []
    cards: dict[str, Tally] = {}
    picks: dict[tuple[str, str], int] = {}
    for part in parts:
        for deck, day, answers, practice, ms in part.activity:
            if deck in decks:
                activity[day - base] = activity.get(day - base, Activity()) + Activity(
                    answers, practice, ms
                )
        for deck, day, mature, passed, failed in part.retention:
            if deck in decks:
                retention.append((day - base, mature, passed, failed))
        for key, passed, failed in part.cards:
            if key.split(":", 1)[0] in decks:
                cards[key] = cards.get(key, Tally()) + Tally(passed, failed)
        for key, picked, times in part.picks:
            if key.split(":", 1)[0] in decks:
                picks[(key, picked)] = picks.get((key, picked), 0) + times
    return LogFigures(
        activity,
        retention,
        cards,
        [(key, picked, times) for (key, picked), times in picks.items()],
        kept_cards,
    )
