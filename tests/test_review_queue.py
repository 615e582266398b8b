"""queue.py: what is due today. Learning first, then reviews lowest retrievability first,
then new cards up to the limit; siblings wait for tomorrow; bury, suspend, forget; the
study day rolls over at 04:00 local time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from leadcards.clock import from_ms, to_ms
from leadcards.deck.load import load_deck
from leadcards.deck.model import Deck
from leadcards.review_queue import LEARN_AHEAD_MS, Queue, deck_counts, next_card_ms, today
from leadcards.scheduling import Scheduler
from leadcards.store import Store, open_store
from leadcards.sync import sync_deck

from .conftest import AT, DAY, HOUR, MINUTE, TABLE_DECK, basic_deck, key


@pytest.fixture
def opened(tmp_path: Path, isolated_home: Path) -> Iterator[tuple[Store, Deck, Deck]]:
    (tmp_path / "mini.yaml").write_text(basic_deck(12))
    (tmp_path / "tbl.yaml").write_text(TABLE_DECK)
    mini, tbl = load_deck(tmp_path / "mini.yaml"), load_deck(tmp_path / "tbl.yaml")
    with open_store(isolated_home) as store:
        sync_deck(store, mini, AT - 60 * DAY)
        sync_deck(store, tbl, AT - 60 * DAY)
        yield store, mini, tbl


def answer(store: Store, card_key: str, rating: int, at: int) -> None:
    store.answer(card_key, rating, 0, at)


def drain(queue: Queue, at: int) -> list[str]:
    """Every key the queue offers at ``at``, passing over each one as a bury would."""
    shown = []
    while (k := queue.next(at)) is not None:
        shown.append(k)
        queue.skipped.add(k)
    return shown


def test_order_learning_then_reviews_by_retrievability_then_new(
    opened: tuple[Store, Deck, Deck],
) -> None:
    store, _, _ = opened
    store.set_setting("fuzz", False, at_ms=0)
    store.set_setting("new_per_day", 3, at_ms=0)
    # reviews with different stabilities, so retrievability order is not due order
    # (whole days since each review: py-fsrs counts elapsed time in whole days)
    answer(store, key(0), 4, AT - 10 * DAY)  # S 8.3, due 2 days ago, t/S 1.20
    answer(store, key(1), 3, AT - 3 * DAY - 10 * MINUTE)
    answer(store, key(1), 3, AT - 3 * DAY)  # S 2.3, due a day ago, t/S 1.30
    answer(store, key(2), 4, AT - 20 * DAY)  # S 8.3, due 12 days ago, t/S 2.4
    answer(store, key(3), 3, AT - 2 * DAY - 20 * MINUTE)
    answer(store, key(3), 3, AT - 2 * DAY - 10 * MINUTE)  # S 2.3, due 10 minutes ago
    answer(store, key(4), 4, AT - DAY)  # not due until next week
    # learning cards: one due now, one due in 5 minutes
    answer(store, key(5), 1, AT - 2 * MINUTE)  # due a minute ago
    answer(store, key(6), 3, AT - 5 * MINUTE)  # due in 5 minutes: learn-ahead
    answer(store, key(8), 1, AT - 59 * MINUTE)
    answer(store, key(8), 3, AT - 50 * MINUTE)
    answer(store, key(8), 3, AT - 40 * MINUTE)  # graduated two days out
    s = Scheduler(store.settings("mini"))
    reviews = [key(i) for i in (0, 1, 2, 3)]
    by_r = sorted(reviews, key=lambda k: s.retrievability(store.card(k).memory, from_ms(AT)))
    by_due = sorted(reviews, key=lambda k: store.card(k).memory.due)
    assert by_r == [key(2), key(1), key(0), key(3)]
    assert by_r != by_due  # the test tells the two orders apart
    # answered today for the first time: c05, c06, c08 (3 introduced) exhaust new_per_day
    assert drain(Queue(store, ["mini"], AT), AT) == [key(5), *by_r, key(6)]
    store.set_setting("new_per_day", 5, at_ms=0)
    order = drain(Queue(store, ["mini"], AT), AT)
    assert order == [key(5), *by_r, key(7), key(9), key(6)]
    assert key(4) not in order  # due next week


def test_learn_ahead_limit(opened: tuple[Store, Deck, Deck]) -> None:
    store, _, _ = opened
    store.set_setting("learning_steps", [60, 600, 3600], at_ms=0)
    store.set_setting("new_per_day", 0, at_ms=0)
    for i, minutes in ((0, 19), (1, 21)):  # Good, Good: the 1 h step, due in 19 and 21 min
        answer(store, key(i), 3, AT - (60 - minutes) * MINUTE - 10 * MINUTE)
        answer(store, key(i), 3, AT - (60 - minutes) * MINUTE)
    assert LEARN_AHEAD_MS == 20 * MINUTE
    queue = Queue(store, ["mini"], AT)
    assert drain(queue, AT) == [key(0)]
    assert queue.remaining(AT) == (0, 2, 0)  # both still to come today
    assert drain(Queue(store, ["mini"], AT + 2 * MINUTE), AT + 2 * MINUTE) == [key(0), key(1)]


def test_learning_card_due_later_today_is_shown_once_due(opened: tuple[Store, Deck, Deck]) -> None:
    store, _, _ = opened
    store.set_setting("new_per_day", 0, at_ms=0)
    answer(store, key(0), 1, AT)  # due in 1 minute
    answer(store, key(1), 3, AT - 5 * MINUTE)
    answer(store, key(1), 1, AT - 4 * MINUTE)
    answer(store, key(1), 3, AT)  # learning, due in 10 minutes
    queue = Queue(store, ["mini"], AT)
    assert queue.next(AT) == key(0)  # within learn-ahead, nothing else to do
    queue.skipped.add(key(0))
    assert queue.next(AT) == key(1)
    queue.skipped.add(key(1))
    assert queue.next(AT) is None
    assert queue.remaining(AT) == (0, 2, 0)


def test_new_cards_follow_deck_order_up_to_the_daily_limit(
    opened: tuple[Store, Deck, Deck],
) -> None:
    store, _, _ = opened
    store.set_setting("new_per_day", 5, at_ms=0)
    assert drain(Queue(store, ["mini"], AT), AT) == [key(i) for i in range(5)]
    answer(store, key(0), 3, AT)
    answer(store, key(1), 4, AT)
    # two introduced today: three left; learning c00 comes back ahead
    assert drain(Queue(store, ["mini"], AT), AT) == [key(2), key(3), key(4), key(0)]
    assert drain(Queue(store, ["mini"], AT, new_limit=1), AT) == [key(2), key(0)]
    assert drain(Queue(store, ["mini"], AT, new_limit=0), AT) == [key(0)]
    store.set_setting("new_per_day", 2, "mini", at_ms=0)  # a deck override wins
    assert drain(Queue(store, ["mini"], AT), AT) == [key(0)]
    assert deck_counts(store, "mini", "Mini", AT).new == 0


def test_reviews_per_day_cap(opened: tuple[Store, Deck, Deck]) -> None:
    store, _, _ = opened
    store.set_setting("fuzz", False, at_ms=0)
    store.set_setting("new_per_day", 0, at_ms=0)
    store.set_setting("reviews_per_day", 3, at_ms=0)
    for i in range(6):
        answer(store, key(i), 4, AT - (10 + i) * DAY)
    shown = drain(Queue(store, ["mini"], AT), AT)
    assert shown == [key(5), key(4), key(3)]  # the three most overdue
    assert deck_counts(store, "mini", "Mini", AT).due == 3
    for k in shown[:2]:
        answer(store, k, 3, AT)
    assert drain(Queue(store, ["mini"], AT), AT) == [key(3)]
    assert deck_counts(store, "mini", "Mini", AT).due == 1


def test_siblings_wait_for_the_next_study_day(opened: tuple[Store, Deck, Deck]) -> None:
    store, _, tbl = opened
    notes = {c.key: c.note_id for c in tbl.cards}
    # one card per note is gathered, in deck order
    first = drain(Queue(store, ["tbl"], AT), AT)
    assert first == [
        "tbl:cmp:focus:management:recall",
        "tbl:cmp:focus:leadership:recall",
        "tbl:cmp:risk:management:recall",
        "tbl:cmp:risk:leadership:recall",
        "tbl:solo:front",
    ]
    assert len({notes[k] for k in first}) == len(first)
    counts = deck_counts(store, "tbl", "Table deck", AT)
    assert counts.new == len(first)  # status promises what a session will show
    # answering a card buries its siblings in this queue and in later ones today
    queue = Queue(store, ["tbl"], AT)
    assert queue.next(AT) == "tbl:cmp:focus:management:recall"
    answer(store, "tbl:cmp:focus:management:recall", 4, AT)
    queue.answered("tbl:cmp:focus:management:recall", ("tbl", "cmp:focus:management"))
    rest = drain(queue, AT)
    assert not any(k.startswith("tbl:cmp:focus:management:") for k in rest)
    later = drain(Queue(store, ["tbl"], AT + HOUR), AT + HOUR)
    assert not any(k.startswith("tbl:cmp:focus:management:") for k in later)
    assert deck_counts(store, "tbl", "Table deck", AT + HOUR).new == 4
    # next study day (04:00 UTC here): the sibling is back
    tomorrow = to_ms(datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc))
    assert "tbl:cmp:focus:management:identify" in drain(Queue(store, ["tbl"], tomorrow), tomorrow)


def test_bury_suspend_unsuspend_forget(opened: tuple[Store, Deck, Deck]) -> None:
    store, _, _ = opened
    store.set_setting("new_per_day", 4, at_ms=0)
    tomorrow = to_ms(datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc))
    store.bury(key(0), tomorrow, AT)
    store.suspend(key(1), AT)
    assert drain(Queue(store, ["mini"], AT), AT) == [key(2), key(3), key(4), key(5)]
    counts = deck_counts(store, "mini", "Mini", AT)
    assert (counts.new, counts.suspended, counts.total) == (4, 1, 12)
    assert drain(Queue(store, ["mini"], tomorrow), tomorrow)[0] == key(0)
    store.unsuspend(key(1), AT)
    assert drain(Queue(store, ["mini"], AT), AT)[:2] == [key(1), key(2)]
    # a forgotten review card is new again and takes its deck-order place
    answer(store, key(6), 4, AT - 20 * DAY)
    assert drain(Queue(store, ["mini"], AT), AT)[:1] == [key(6)]
    store.forget(key(6), AT)
    assert drain(Queue(store, ["mini"], AT, new_limit=7), AT) == [key(i) for i in range(1, 8)]


def test_counts_and_next_due(opened: tuple[Store, Deck, Deck]) -> None:
    store, _, _ = opened
    store.set_setting("fuzz", False, at_ms=0)
    store.set_setting("leech_threshold", 1, at_ms=0)
    assert store.upcoming("mini") == (None, None, True)
    answer(store, key(0), 4, AT - 9 * DAY)  # review due yesterday
    answer(store, key(1), 3, AT)  # learning, due in 10 minutes
    answer(store, key(2), 4, AT)  # review in 8 days
    answer(store, key(3), 4, AT - 30 * DAY)
    answer(store, key(3), 1, AT - 20 * DAY)  # leech: suspended
    counts = deck_counts(store, "mini", "Mini", AT)
    assert counts.to_json() == {
        "id": "mini",
        "name": "Mini",
        "total": 12,
        "new": 8,
        "learning": 1,
        "due": 1,
        "suspended": 1,
        "leeches": 1,
        "reviewed_today": 2,
    }
    assert store.upcoming("mini") == (AT + 10 * MINUTE, AT - DAY, True)
    assert next_card_ms(store, [counts], AT) == AT
    day = today(store, "mini", AT)
    assert (day.answered, day.introduced, day.reviews_done) == (2, 2, 0)
    assert from_ms(day.start_ms) == datetime(2026, 3, 2, 4, 0, tzinfo=timezone.utc)
    assert from_ms(day.end_ms) == datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc)


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[ZoneInfo]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        yield ZoneInfo("America/New_York")
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def local_ms(zone: ZoneInfo, *args: int) -> int:
    return to_ms(datetime(*args, tzinfo=zone))


def test_day_rolls_over_at_four_local(opened: tuple[Store, Deck, Deck], new_york: ZoneInfo) -> None:
    store, _, _ = opened
    store.set_setting("fuzz", False, at_ms=0)
    store.set_setting("new_per_day", 3, at_ms=0)
    store.set_setting("reviews_per_day", 2, at_ms=0)
    for i in (6, 7, 8, 9, 10):  # five reviews, all due
        answer(store, key(i), 4, local_ms(new_york, 2026, 2, 10, 12, 0))
    before = local_ms(new_york, 2026, 3, 3, 3, 59)
    rollover = local_ms(new_york, 2026, 3, 3, 4, 0)
    assert rollover == to_ms(datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc))
    day = today(store, "mini", before)
    assert from_ms(day.start_ms) == datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    assert day.end_ms == rollover
    # 03:59 local: still March 2nd's study day; use up its quotas
    queue = Queue(store, ["mini"], before)
    shown = drain(queue, before)
    assert shown == [key(6), key(7), key(0), key(1), key(2)]
    for n, k in enumerate(shown):
        answer(store, k, 4, before + n * 1000)
    counts = deck_counts(store, "mini", "Mini", before + 30_000)
    assert (counts.new, counts.due, counts.reviewed_today) == (0, 0, 5)
    assert drain(Queue(store, ["mini"], before + 59_000), before + 59_000) == []
    # 04:00 local: a new study day, fresh quotas
    counts = deck_counts(store, "mini", "Mini", rollover)
    assert (counts.new, counts.due, counts.reviewed_today) == (3, 2, 0)
    assert drain(Queue(store, ["mini"], rollover), rollover) == [
        key(8), key(9), key(3), key(4), key(5)
    ]  # fmt: skip


def test_day_start_setting_and_dst(opened: tuple[Store, Deck, Deck], new_york: ZoneInfo) -> None:
    store, _, _ = opened
    store.set_setting("day_start", "06:30", at_ms=0)
    day = today(store, "mini", local_ms(new_york, 2026, 3, 3, 6, 29))
    assert datetime.fromtimestamp(day.start_ms / 1000, new_york) == datetime(
        2026, 3, 2, 6, 30, tzinfo=new_york
    )
    store.set_setting("day_start", None, at_ms=0)
    # clocks go forward on 8 March 2026: the study day still starts at 04:00 local
    day = today(store, "mini", local_ms(new_york, 2026, 3, 9, 12, 0))
    assert from_ms(day.start_ms) == datetime(2026, 3, 9, 8, 0, tzinfo=timezone.utc)
    short = today(store, "mini", local_ms(new_york, 2026, 3, 8, 1, 0))  # Saturday's day
    assert from_ms(short.start_ms) == datetime(2026, 3, 7, 9, 0, tzinfo=timezone.utc)
    assert short.end_ms - short.start_ms == 23 * HOUR


def test_the_next_card_is_never_in_the_past_when_nothing_can_be_shown(
    opened: tuple[Store, Deck, Deck],
) -> None:
    """Limits reached and siblings answered: the next card comes with the next study
    day, not at a due time already past."""
    store, _, _ = opened
    store.set_setting("fuzz", False, at_ms=0)
    store.set_setting("new_per_day", 1, at_ms=0)
    store.set_setting("reviews_per_day", 1, at_ms=0)
    answer(store, key(0), 4, AT - 20 * DAY)
    answer(store, key(1), 4, AT - 20 * DAY)  # two reviews overdue
    queue = Queue(store, ["mini"], AT)
    first = queue.next(AT)
    assert first in (key(0), key(1))
    answer(store, first, 3, AT)  # the day's one review
    fresh = queue.next(AT)
    assert fresh == key(2)
    answer(store, fresh, 4, AT)  # the day's one new card, Easy: due in days
    counts = deck_counts(store, "mini", "Mini", AT + MINUTE)
    assert (counts.new, counts.due) == (0, 0)
    tomorrow = to_ms(datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc))
    assert next_card_ms(store, [counts], AT + MINUTE) == tomorrow
    # with no new cards allowed at all and no reviews, nothing is scheduled
    store.set_setting("new_per_day", 0, at_ms=AT)
    store.set_setting("reviews_per_day", 0, at_ms=AT)
    counts = deck_counts(store, "mini", "Mini", AT + MINUTE)
    assert next_card_ms(store, [counts], AT + MINUTE) is None


def test_bury_sibling_settings_off_let_siblings_through(opened: tuple[Store, Deck, Deck]) -> None:
    store, _, _ = opened
    store.set_setting("bury_new_siblings", False, at_ms=0)
    first = drain(Queue(store, ["tbl"], AT), AT)
    assert len(first) == 13  # every card of every note, new siblings included
    store.set_setting("bury_new_siblings", True, at_ms=0)
    store.set_setting("bury_review_siblings", False, at_ms=0)
    for card_key in ("tbl:cmp:focus:management:recall", "tbl:cmp:focus:management:identify"):
        answer(store, card_key, 4, AT - 20 * DAY)  # two due reviews of one note
    assert [k for k in drain(Queue(store, ["tbl"], AT), AT) if "focus:management" in k] == [
        "tbl:cmp:focus:management:recall",
        "tbl:cmp:focus:management:identify",
    ]
    store.set_setting("bury_review_siblings", True, at_ms=AT)
    shown = [k for k in drain(Queue(store, ["tbl"], AT), AT) if "focus:management" in k]
    # both were due before today: neither waits behind the other any longer
    assert len(shown) == 2


def test_a_review_due_today_waits_one_day_behind_a_sibling(
    opened: tuple[Store, Deck, Deck],
) -> None:
    store, _, _ = opened
    store.set_setting("fuzz", False, at_ms=0)
    answer(store, "tbl:cmp:focus:management:recall", 4, AT - 8 * DAY)  # due at AT
    answer(store, "tbl:cmp:focus:management:identify", 4, AT - 8 * DAY + 1)
    queue = Queue(store, ["tbl"], AT)
    assert queue.next(AT) in (
        "tbl:cmp:focus:management:recall",
        "tbl:cmp:focus:management:identify",
    )
    first = queue.next(AT)
    answer(store, first, 3, AT)
    queue.answered(first, ("tbl", "cmp:focus:management"))
    rest = drain(queue, AT)
    assert not any("focus:management" in k for k in rest)  # its sibling waits today...
    tomorrow = to_ms(datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc))
    later = drain(Queue(store, ["tbl"], tomorrow), tomorrow)
    assert any("focus:management" in k and k != first for k in later)  # ...and no longer


def test_counts_asked_between_every_change_follow_each_change(
    opened: tuple[Store, Deck, Deck],
) -> None:
    """The screen asks for the counts on every frame, and they are kept between changes:
    each draw, answer, set-aside and undo must still move them."""
    store, _, _ = opened
    queue = Queue(store, ["tbl"], AT)
    assert queue.remaining(AT) == queue.remaining(AT) == (5, 0, 0)  # one card a note
    shown = queue.next(AT)
    assert shown == "tbl:cmp:focus:management:recall"
    assert queue.remaining(AT) == (4, 0, 0)
    note = queue.note_of[shown]
    queue.answered(shown, note)
    assert queue.remaining(AT) == (4, 0, 0)
    other = queue.next(AT)
    assert other == "tbl:cmp:focus:leadership:recall"
    assert queue.remaining(AT) == (3, 0, 0)
    queue.set_aside(other, 0, AT)  # buried; every note is taken, so nothing stands in
    assert queue.remaining(AT) == (3, 0, 0)
    queue.put_back(shown, note, 0)  # undo: listed again, its note no longer answered
    assert queue.remaining(AT) == (4, 0, 0)
    queue.answered("tbl:cmp:focus:management:recall", note)  # from another view of it
    assert queue.remaining(AT) == (3, 0, 0)  # listed, but its note was answered today
    queue.unskip(other, queue.note_of[other])
    assert queue.remaining(AT) == (3, 0, 0)  # not listed again: it is on screen


def _walked(queue: Queue) -> tuple[int, int]:
    """The oracle: every listed card walked, as the count is defined."""

    def drawable(key: str) -> bool:
        if key in queue.skipped:
            return False
        return key in queue.free or queue.note_answers[queue.note_of[key]] == 0

    return sum(map(drawable, queue.new)), sum(map(drawable, queue.reviews))


def test_counts_kept_along_the_way_equal_a_walk_of_the_lists(
    opened: tuple[Store, Deck, Deck],
) -> None:
    """Random sessions of draws, answers, buries, undos (of answers and of set-asides)
    over two decks with siblings, due reviews and new cards: after every step the kept
    counts are what walking the lists gives."""
    import random

    store, _, _ = opened
    for i in range(6):  # reviews due today (Easy goes straight to review)
        answer(store, key(i), 4, AT - 30 * DAY)
    store.set_setting("bury_review_siblings", True, at_ms=0)
    for seed in range(40):
        rng = random.Random(seed)
        queue = Queue(store, ["mini", "tbl"], AT)
        shown: list[tuple[str, tuple[str, str], int]] = []  # drawn and answered
        aside: list[tuple[str, tuple[str, str]]] = []
        buries: list[str] = []
        for _ in range(30):
            move = rng.random()
            if move < 0.5:
                drawn = queue.next(AT)
                if drawn is None:
                    break
                note = queue.note_of[drawn]  # a learning card would have none
                state = 0 if drawn.startswith("tbl") or int(drawn.split(":")[1][1:]) >= 6 else 2
                if rng.random() < 0.7:
                    queue.answered(drawn, note)
                    shown.append((drawn, note, state))
                else:  # buried, as a session does: logged first, then set aside
                    buries.append(store.bury(drawn, AT + DAY, AT))
                    queue.set_aside(drawn, state, AT)
                    aside.append((drawn, note))
            elif move < 0.7 and shown:
                drawn, note, state = shown.pop(rng.randrange(len(shown)))
                queue.put_back(drawn, note, state, showing=rng.random() < 0.3)
            elif move < 0.85 and aside:
                drawn, note = aside.pop(rng.randrange(len(aside)))
                queue.unskip(drawn, note)
            elif queue.new:
                queue.skip(rng.choice(list(queue.new)))
            new, _, due = queue.remaining(AT)
            assert (new, due) == _walked(queue), seed
        for event_id in buries:  # the next seed starts from the same cards
            store.undo(event_id, AT)
