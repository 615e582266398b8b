"""Cramming: practice answers are logged but change no card — no schedule, no daily
limit, no leech count — undo takes them back, a replay of the log still gives every
card's row, and `cards KEY`, the export and `doctor` treat them as what they are."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.card_list import card_detail
from leadcards.cli import app
from leadcards.deck.load import load_deck
from leadcards.deck.model import Deck
from leadcards.doctor import check
from leadcards.errors import LeadcardsError
from leadcards.events import NEW_RECORD, CardRecord, Event, EventKind, apply, replay
from leadcards.practice import PracticeQueue, practice_keys, spread
from leadcards.review_queue import deck_counts
from leadcards.schedules import card_schedules
from leadcards.scheduling import Scheduler, State
from leadcards.session import Session
from leadcards.settings import DEFAULTS
from leadcards.store import Store, open_store
from leadcards.sync import sync_deck
from leadcards.ui.card_views import card_view
from leadcards.ui.safe_console import SafeConsole

from .conftest import (
    AT,
    DAY,
    HOUR,
    TABLE_DECK,
    Clock,
    answer_all,
    db_execute,
    db_rows,
    key,
)

runner = CliRunner()


def cards_table(store: Store) -> list[Any]:
    return db_rows(store, "SELECT * FROM cards ORDER BY key")


# the log ------------------------------------------------------------------------------


def test_a_practice_event_leaves_the_record_and_a_replay_as_they_were() -> None:
    scheduler = Scheduler(DEFAULTS)
    answered = apply(NEW_RECORD, Event("01A", AT, EventKind.ANSWER, "d:n:t", 3), scheduler)
    practice = Event("01B", AT + HOUR, EventKind.PRACTICE, "d:n:t", 1, 900, "Brain")
    assert apply(answered, practice, scheduler) is answered
    assert apply(NEW_RECORD, practice, None) == CardRecord()
    answer = Event("01A", AT, EventKind.ANSWER, "d:n:t", 3)
    alone = replay([answer], {"d:n:t": "d"}, set())
    assert replay([answer, practice], {"d:n:t": "d"}, set()) == alone
    # a card practised and never answered has no record: it is new
    assert replay([practice], {"d:n:t": "d"}, set()) == {}
    assert EventKind.PRACTICE.value == "practice"  # stored as such: never renamed


def test_the_store_logs_practice_as_an_answer_and_writes_no_card(
    mini: tuple[Store, Deck],
) -> None:
    store, _ = mini
    store.answer(key(1), 4, 0, AT - 20 * DAY)
    before = cards_table(store)
    result = store.answer(key(1), 1, 4_321, AT, picked="Answer 1", practice=True)
    assert result.before == result.after == store.card(key(1)).memory
    assert not result.became_leech
    assert cards_table(store) == before
    (logged,) = db_rows(
        store,
        "SELECT kind, card_key, rating, duration_ms, picked, state_before, state_after, "
        "due_after, stability_after, difficulty_after, data FROM events WHERE id = ?",
        (result.event_id,),
    )
    assert tuple(logged) == (
        "practice", key(1), 1, 4_321, "Answer 1", 2, 2, None, None, None, None
    )  # fmt: skip
    with pytest.raises(ValueError, match="rating must be 1-4, not 5"):
        store.answer(key(1), 5, 0, AT, practice=True)


# the session -----------------------------------------------------------------------


def test_practice_changes_no_card_no_limit_and_no_leech(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    store.set_setting("leech_threshold", 1, at_ms=0)
    store.answer(key(2), 4, 0, AT - 20 * DAY)  # due
    store.answer(key(3), 4, 0, AT - 2 * HOUR)  # introduced today: 19 new left
    before_rows = cards_table(store)
    before_counts = deck_counts(store, "mini", "Mini", AT)
    assert before_counts[3:6] == (6, 0, 1)  # new, learning, due
    keys = practice_keys(store, ["mini"], AT)
    assert sorted(keys) == [key(i) for i in range(8)]
    clock = Clock()
    session = Session(store, [deck], clock=clock, practice=keys)
    assert session.practising and session.next_card() is not None
    assert session.preview() == {}  # no rating moves a review
    session.reveal()
    session.answer(1)  # Again on every card, over and over: no lapse, no leech
    for _ in range(20):
        card = session.next_card()
        assert card is not None
        session.reveal()
        session.answer(1)
        clock.at += 1_000
    assert cards_table(store) == before_rows
    assert deck_counts(store, "mini", "Mini", clock.at) == before_counts
    practised = db_rows(store, "SELECT count(*) FROM events WHERE kind = 'practice'")
    assert practised[0][0] == 21
    assert db_rows(store, "SELECT count(*) FROM events WHERE kind = 'leech'")[0][0] == 0
    report = check(store)
    assert report.ok and report.lines[-1] == "replay: 8 cards match their 24 log events"


def test_again_comes_back_three_cards_later_and_the_rest_once(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    keys = [key(i) for i in range(6)]
    session = Session(store, [deck], clock=Clock(), practice=keys)
    ratings = {key(0): [1, 3], key(4): [1, 1, 4]}
    shown = []
    while (card := session.next_card()) is not None:
        shown.append(card.key)
        session.reveal()
        session.answer(ratings.get(card.key, [3]).pop(0) if card.key in ratings else 3)
    assert shown == [
        key(0), key(1), key(2), key(3), key(0), key(4), key(5), key(4), key(4)
    ]  # fmt: skip
    summary = session.finish()
    assert summary.practice and (summary.answered, summary.correct) == (9, 6)
    assert summary.still_due == 0 and summary.still_new == 0


def test_undo_takes_a_practice_answer_back_and_its_return_too(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    before = cards_table(store)
    session = Session(store, [deck], clock=Clock(), practice=[key(0), key(1), key(2)])
    assert session.next_card().key == key(0)
    session.reveal()
    session.answer(1)  # comes back after key(1), key(2)
    assert session.next_card().key == key(1)
    assert session.undo().key == key(0)  # key(1) goes back in front of the queue
    assert session.summary.answered == 0 and sum(session.summary.ratings.values()) == 0
    assert db_rows(store, "SELECT count(*) FROM live_events WHERE card_key IS NOT NULL") == [(0,)]
    (tomb,) = db_rows(store, "SELECT kind, target FROM events WHERE kind = 'undo'")
    assert tomb[1] == db_rows(store, "SELECT id FROM events WHERE kind = 'practice'")[0][0]
    session.reveal()
    session.answer(3)  # this time done with it
    assert answer_all(session, 3) == [key(1), key(2)]
    assert session.undo().key == key(2) and session.undo().key == key(1)
    assert cards_table(store) == before
    assert check(store).ok


def test_bury_and_suspend_are_refused_in_practice(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    session = Session(store, [deck], clock=Clock(), practice=[key(0)])
    session.next_card()
    for action in (session.bury, session.suspend):
        with pytest.raises(LeadcardsError, match="a cram session changes no card"):
            action()
    assert db_rows(store, "SELECT count(*) FROM events WHERE card_key IS NOT NULL")[0][0] == 0


def test_a_summary_counts_the_cards_not_reached(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    session = Session(store, [deck], clock=Clock(), practice=[key(0), key(1), key(2)])
    session.next_card()
    session.reveal()
    session.answer(4)
    session.next_card()  # on screen when the learner quits: not practised
    summary = session.finish()
    assert (summary.answered, summary.still_due) == (1, 2)


# which cards, in what order ----------------------------------------------------------


def test_every_card_but_suspended_and_buried_ones(mini: tuple[Store, Deck]) -> None:
    store, _ = mini
    store.suspend(key(0), AT - HOUR)
    store.bury(key(1), AT + HOUR, AT - HOUR)
    store.bury(key(2), AT - 1, AT - HOUR)  # a bury that is over
    store.answer(key(3), 1, 0, AT - HOUR)  # learning
    keys = practice_keys(store, ["mini"], AT)
    assert sorted(keys) == [key(i) for i in range(2, 8)]
    assert practice_keys(store, ["mini"], AT, only={key(3), key(5), key(0)}) in (
        [key(3), key(5)],
        [key(5), key(3)],
    )


def test_weakest_are_the_seen_cards_least_likely_recalled_now(mini: tuple[Store, Deck]) -> None:
    store, _ = mini
    # Easy on a new card gives the same stability to each: the longer ago, the weaker.
    store.answer(key(4), 4, 0, AT - 3 * DAY)
    store.answer(key(6), 4, 0, AT - 30 * DAY)
    store.answer(key(1), 4, 0, AT - 10 * DAY)
    store.answer(key(7), 4, 0, AT - 30 * DAY)  # as weak as key(6): deck order breaks the tie
    assert practice_keys(store, ["mini"], AT, weakest=3) == [key(6), key(7), key(1)]
    assert practice_keys(store, ["mini"], AT, weakest=10) == [key(6), key(7), key(1), key(4)]
    assert practice_keys(store, ["mini"], AT, weakest=2, only={key(1), key(4)}) == [
        key(1),
        key(4),
    ]


def test_the_shuffle_keeps_a_notes_cards_apart_and_follows_its_seed() -> None:
    notes = [["a1", "a2", "a3"], ["b1", "b2", "b3"], ["c1"], ["d1", "d2"]]
    order = spread([list(n) for n in notes], random.Random(7))
    assert sorted(order) == sorted(k for n in notes for k in n)
    for first, second in itertools.pairwise(order):
        assert first[0] != second[0], order  # neighbours are of other notes
    # a note's cards come one per round: all the first cards, then the second ones…
    assert {k[0] for k in order[:4]} == set("abcd")
    assert {k[0] for k in order[4:7]} == set("abd") and {k[0] for k in order[7:]} == set("ab")
    assert spread([list(n) for n in notes], random.Random(7)) == order
    others = {tuple(spread([list(n) for n in notes], random.Random(s))) for s in range(20)}
    assert len(others) > 5


def test_the_table_deck_in_cram_order_never_puts_siblings_side_by_side(
    tmp_path: Path, isolated_home: Path
) -> None:
    path = tmp_path / "tbl.yaml"
    path.write_text(TABLE_DECK)
    deck = load_deck(path)
    with open_store(isolated_home) as store:
        sync_deck(store, deck, AT)
        keys = practice_keys(store, ["tbl"], AT)
        note = {card.key: card.note_id for card in deck.cards}
        assert sorted(keys) == sorted(note)
        assert all(note[a] != note[b] for a, b in itertools.pairwise(keys))
        assert practice_keys(store, ["tbl"], AT) == keys  # the same start, the same order


def test_the_practice_queue_alone() -> None:
    queue = PracticeQueue(["a", "b"])
    assert queue.remaining(AT) == (0, 0, 2)
    assert queue.next(AT) == "a"
    queue.practised("a", 1)
    assert list(queue.pending) == ["b", "a"]  # fewer than three left: after them
    queue.put_back("a", ("d", "n"), State.NEW, showing=True)
    assert list(queue.pending) == ["b"]
    queue.put_back("c", ("d", "n"), State.NEW)
    assert queue.next(AT) == "c" and queue.next(AT) == "b" and queue.next(AT) is None


# what reads the log ------------------------------------------------------------------


def test_history_export_and_doctor_with_practice_in_the_log(mini: tuple[Store, Deck]) -> None:
    store, deck = mini
    store.answer(key(0), 4, 2_000, AT - 10 * DAY)
    store.answer(key(0), 2, 3_000, AT - HOUR, picked="Answer 0", practice=True)
    undone = store.answer(key(0), 4, 1_000, AT - HOUR + 1, practice=True)
    store.undo(undone.event_id, AT - HOUR + 2)
    detail = card_detail(store, key(0), AT)
    history = detail["history"]
    assert [h["kind"] for h in history] == ["answer", "practice"]
    assert history[1] == {
        "at": "2026-03-02T08:00:00+00:00",
        "kind": "practice",
        "rating": 2,
        "rating_label": "Hard",
        "duration_ms": 3_000,
        "picked": "Answer 0",
    }
    assert detail["reps"] == 1  # the answer's; practice is no rep
    console = SafeConsole(width=100, record=True, color_system=None)
    console.print(card_view(detail))
    shown = console.export_text()
    assert "Hard (practice)" in shown and "History (2)" in shown
    schedules = card_schedules(store, [deck])
    assert [r.rating for r in schedules[key(0)].reviews] == [4]
    assert all(not s.reviews for k, s in schedules.items() if k != key(0))
    report = check(store, decks=[deck], now_ms=AT)
    assert report.ok, report.lines
    assert report.lines[-1] == "replay: 8 cards match their 4 log events"


def test_doctor_names_a_practice_row_rated_9(mini: tuple[Store, Deck]) -> None:
    store, _ = mini
    event = store.answer(key(0), 3, 0, AT, practice=True).event_id
    db_execute(store, "UPDATE events SET rating = 9 WHERE id = ?", (event,))
    report = check(store)
    assert not report.ok
    assert report.lines[0] == f"rows: log event {event} has rating 9; answers are rated 1 to 4"


# the command ------------------------------------------------------------------------


def invoke(*args: str, code: int = 0, stdin: str = "") -> Any:
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def test_cram_in_line_mode_changes_no_schedule(isolated_home: Path) -> None:
    invoke("status")
    db = isolated_home / "leadcards.db"
    before = db_rows(db, "SELECT * FROM cards ORDER BY key")
    status = invoke("status", "--json").stdout
    # reveal, Good; reveal, Again; b (refused); u (undo the Again); reveal, Easy; quit
    result = invoke("cram", "lvm", "--aspect", "focus", stdin="\n3\n\n1\nb\nu\n\n4\nq\n")
    out = result.stdout
    assert out.startswith(
        "--- cram: card 1 of 6 · CPHQ::Leadership vs Management · no schedule changes\n"
    )
    assert "1 Again · 2 Hard · 3 Good · 4 Easy (empty line = 3)\n" in out
    assert "Good (practice: no schedule changed).\n" in out
    assert "Again (practice: no schedule changed). It comes back in a few cards.\n" in out
    assert "Cramming changes no card: bury or suspend it in a review.\n" in out
    assert "Undone.\n" in out
    assert out.endswith(
        "Cram session over: CPHQ::Leadership vs Management\n"
        "Practice answers: 2 in 0m 00s\n"
        "Recalled: 100% (Again 0 · Hard 0 · Good 1 · Easy 1)\n"
        "Left to practise: 4\n"
        "No schedule changed: practice answers are logged apart.\n"
        "Next review: now\n"
    )
    logged = db_rows(db, "SELECT kind, rating FROM live_events ORDER BY at, id")
    assert [tuple(r) for r in logged] == [("practice", 3), ("practice", 4)]
    assert db_rows(db, "SELECT * FROM cards ORDER BY key") == before
    assert invoke("status", "--json").stdout == status
    assert invoke("doctor").stdout.endswith("replay: 153 cards match their 4 log events\n")


def test_cram_weakest(isolated_home: Path) -> None:
    invoke("status")
    result = invoke("cram", "--weakest", "2")
    assert result.stdout == (
        "Nothing to practise: every card chosen is suspended or buried or not seen yet "
        "(--weakest picks seen cards).\n"
    )
    focus = "lvm:comparison:focus:leadership:recall"
    risk = "lvm:comparison:risk-attitude:leadership:recall"
    with open_store(isolated_home) as store:
        store.answer(focus, 4, 0, AT - 3 * DAY)
        store.answer(risk, 4, 0, AT - 9 * DAY)
    out = invoke("cram", "--weakest", "5", stdin="\n3\n\n3\n").stdout
    assert out.index("Risk Attitude (Aspect) — Leadership?") < out.index(
        "Focus (Aspect) — Leadership?"
    )
    assert "--- cram: card 1 of 2 " in out and "Practice answers: 2" in out
    detail = json.loads(invoke("cards", risk, "--json").stdout)
    assert [h["kind"] for h in detail["history"]] == ["answer", "practice"]


@pytest.mark.parametrize("value", ["0", "-3"])
def test_cram_refuses_a_weakest_below_1(value: str) -> None:
    result = invoke("cram", "--weakest", value, code=2)
    assert result.stderr == f"error: --weakest must be 1 or more, not {value}\n"


def test_cram_help_says_what_it_is() -> None:
    text = " ".join(invoke("cram", "--help").stdout.split())
    assert "Practise cards without changing any schedule" in text
    assert "--weakest" in text and "--aspect" in text
