"""`leadcards stats`: every figure on hand-made logs whose right answers were worked out
by hand (retention with its young/mature split and first-of-the-day rule, streaks across
the day's rollover, the forecast, weak spots, confusions); a property over random logs;
the dashboard drawn at 80 and 120 columns; the command's JSON and its errors."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime, timezone
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.clock import to_ms
from leadcards.deck.load import load_deck
from leadcards.forgetting import FACTOR
from leadcards.stats import Dashboard, gather, to_json
from leadcards.stats.memory import retrievability
from leadcards.stats.study_days import calendar, streaks
from leadcards.store import Store, open_store
from leadcards.sync import sync_deck
from leadcards.ui.stats_view import dashboard

from .conftest import AT, DAY, HOUR, MINUTE, TABLE_DECK, basic_deck, key

runner = CliRunner()
TABLE = TABLE_DECK.replace("name: Table deck\n", "name: Table deck\ntags: [deckwide]\n").replace(
    '        cells: ["Risk-averse", "Embraces change"]\n',
    '        cells: ["Risk-averse", "Embraces change"]\n        tags: [risky]\n',
)


def utc(*parts: int) -> int:
    return to_ms(datetime(*parts, tzinfo=timezone.utc))  # type: ignore[misc]


class Log:
    """Events written straight into the file, as a hand-made log: each answer with the
    state before and due date after that the test says, whatever FSRS would make."""

    def __init__(self, store: Store) -> None:
        self.path = store.path

    def add(self, kind: str, card: str, at: int, **values: Any) -> str:
        # numbered across every Log of the file (one per batch), so no two share an id
        with closing(sqlite3.connect(self.path)) as conn:
            n = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM events").fetchone()[0]
        event_id = f"{at:013d}{n:013d}"
        columns = {"id": event_id, "at": at, "kind": kind, "card_key": card, **values}
        if kind in ("answer", "practice"):
            columns.setdefault("duration_ms", 1000)
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        with closing(sqlite3.connect(self.path)) as conn, conn:
            conn.execute(f"INSERT INTO events ({names}) VALUES ({marks})", tuple(columns.values()))
        return event_id

    def answer(
        self,
        card: str,
        at: int,
        rating: int,
        before: int,
        due_in: int = DAY,
        kind: str = "answer",
        picked: str | None = None,
    ) -> str:
        return self.add(
            kind,
            card,
            at,
            rating=rating,
            state_before=before,
            state_after=2,
            due_after=at + due_in,
            picked=picked,
        )

    def undo(self, target: str, card: str, at: int) -> None:
        self.add("undo", card, at, target=target)

    def card(self, card: str, **values: Any) -> None:
        """Set a card's cached record (what FSRS would have left there)."""
        sets = ", ".join(f"{name} = ?" for name in values)
        with closing(sqlite3.connect(self.path)) as conn, conn:
            conn.execute(f"UPDATE cards SET {sets} WHERE key = ?", (*values.values(), card))


def deck_store(home: Path, tmp: Path, text: str, name: str = "deck.yaml") -> Store:
    path = tmp / name
    path.write_text(text)
    store = open_store(home)
    sync_deck(store, load_deck(path), AT - 400 * DAY)
    return store


@pytest.fixture
def mini(isolated_home: Path, tmp_path: Path) -> Iterator[Store]:
    store = deck_store(isolated_home, tmp_path, basic_deck(8))
    yield store
    store.close()


@pytest.fixture
def table(isolated_home: Path, tmp_path: Path) -> Iterator[Store]:
    store = deck_store(isolated_home, tmp_path, TABLE)
    yield store
    store.close()


def figures(store: Store, deck: str = "mini", now: int = AT) -> Dashboard:
    return gather(store, [deck], now)


def tallies(board: Dashboard) -> dict[str, dict[str, tuple[int, int]]]:
    return {
        period: {
            "young": (r.young.passed, r.young.failed),
            "mature": (r.mature.passed, r.mature.failed),
        }
        for period, r in board.retention.items()
    }


# retention ---------------------------------------------------------------------------


def test_true_retention_first_answer_of_the_day_on_review_cards(mini: Store) -> None:
    """Now is 2026-03-02 09:00 UTC (TZ=UTC, the day starts at 04:00)."""
    log = Log(mini)
    a, b, c = key(0), key(1), key(2)
    log.answer(a, AT - 40 * DAY, 3, before=0, due_in=30 * DAY)  # new: not counted
    log.answer(a, AT - 10 * DAY, 3, before=2, due_in=5 * DAY)  # mature pass (30 d), 30 days
    log.answer(a, AT - 5 * DAY, 1, before=2, due_in=10 * MINUTE)  # young fail (5 d), 7 days
    log.answer(a, AT - 5 * DAY + 10 * MINUTE, 3, before=3, due_in=2 * DAY)  # relearning
    log.answer(a, AT - 2 * DAY, 3, before=2)  # young pass (2 d), 7 days
    log.answer(a, AT - 2 * DAY + HOUR, 1, before=2)  # second that day: not counted
    log.answer(b, AT - 100 * DAY, 3, before=0, due_in=25 * DAY)
    log.answer(b, AT - 60 * DAY, 1, before=2, due_in=10 * MINUTE)  # mature fail, all days only
    log.answer(b, utc(2026, 3, 1, 10), 3, before=2, due_in=DAY)  # young pass (10 min before)
    # 03:00 on 2 March is still the study day of 1 March: its second answer, not counted
    log.answer(b, utc(2026, 3, 2, 3), 1, before=2, due_in=30 * DAY)
    log.answer(b, utc(2026, 3, 2, 5), 4, before=2)  # today: mature pass (30 d)
    undone = log.answer(c, AT - 3 * DAY, 1, before=2)
    log.undo(undone, c, AT - 3 * DAY + MINUTE)
    log.answer(c, AT - 3 * DAY + 2 * MINUTE, 1, before=2, kind="practice")  # never retention
    log.answer(key(3), AT - 50 * DAY, 3, before=0, due_in=21 * DAY)
    log.answer(key(3), AT - 20 * DAY, 3, before=2)  # 21 days exactly: mature pass, 30 days

    board = figures(mini)
    assert tallies(board) == {
        "last_7_days": {"young": (2, 1), "mature": (1, 0)},
        "last_30_days": {"young": (2, 1), "mature": (3, 0)},
        "all_days": {"young": (2, 1), "mature": (3, 1)},
    }
    assert board.retention["all_days"].all.rate == 5 / 7
    assert board.desired_retention == 0.9
    # activity counts every live answer and the practice, not the undone answer
    assert (board.window(1).answers, board.window(7).answers, board.window(30).answers) == (
        1,
        8,
        10,
    )
    assert board.window(7).practice == 1
    assert board.window(30).duration_ms == 10_000
    assert sum(day.answers for day in board.activity.values()) == 14
    spots = {g.id: (g.reviews.passed, g.reviews.failed) for g in board.weak["tag"]}
    assert spots == {}  # basic cards without tags belong to no group


def test_retention_json_shape(mini: Store) -> None:
    log = Log(mini)
    log.answer(key(0), AT - 30 * DAY, 3, before=0, due_in=25 * DAY)
    log.answer(key(0), AT - HOUR, 1, before=2)
    payload = to_json(figures(mini))
    assert payload["retention"] == {
        "desired": 0.9,
        "last_7_days": {
            "young": {"passed": 0, "failed": 0, "rate": None},
            "mature": {"passed": 0, "failed": 1, "rate": 0.0},
            "all": {"passed": 0, "failed": 1, "rate": 0.0},
        },
        "last_30_days": {
            "young": {"passed": 0, "failed": 0, "rate": None},
            "mature": {"passed": 0, "failed": 1, "rate": 0.0},
            "all": {"passed": 0, "failed": 1, "rate": 0.0},
        },
        "all_days": {
            "young": {"passed": 0, "failed": 0, "rate": None},
            "mature": {"passed": 0, "failed": 1, "rate": 0.0},
            "all": {"passed": 0, "failed": 1, "rate": 0.0},
        },
    }
    assert payload["days"] == [
        {"date": "2026-01-31", "answers": 1, "practice": 0, "seconds": 1.0},
        {"date": "2026-03-02", "answers": 1, "practice": 0, "seconds": 1.0},
    ]


# streaks and study days ------------------------------------------------------------------


def test_streaks_on_hand_made_sets() -> None:
    assert streaks(set(), 10) == (0, 0)
    assert streaks({8, 9, 10}, 10) == (3, 3)
    assert streaks({8, 9}, 10) == (2, 2)  # today not studied yet: the run is not broken
    assert streaks({7, 8}, 10) == (0, 2)
    assert streaks({1, 2, 3, 4, 6, 9, 10}, 10) == (2, 4)


def test_streak_follows_the_day_start(mini: Store) -> None:
    log = Log(mini)
    log.answer(key(0), utc(2026, 2, 28, 12), 3, before=0)
    log.answer(key(1), utc(2026, 3, 1, 3), 3, before=0)  # before 04:00: still 28 February
    log.answer(key(2), utc(2026, 3, 2, 5), 3, before=0)
    board = figures(mini)
    assert board.streaks == (1, 1)
    assert [board.days.date_of(d) for d in sorted(board.activity)] == [
        date(2026, 2, 28),
        date(2026, 3, 2),
    ]
    mini.set_setting("day_start", "02:00", at_ms=AT - 1)
    later = figures(mini)
    assert later.streaks == (3, 3)
    assert later.day_start == "02:00"


def test_study_days_across_daylight_saving(mini: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """New York moves its clocks from 02:00 to 03:00 on 8 March 2026, within the study
    day of 7 March (04:00 to 04:00), which is 23 hours long."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        now = utc(2026, 3, 10, 16)  # 12:00 EDT
        log = Log(mini)
        log.answer(key(0), utc(2026, 3, 7, 9, 10), 3, before=0)  # 04:10 EST: 7 March
        log.answer(key(1), utc(2026, 3, 8, 7, 30), 3, before=0)  # 03:30 EDT: still 7 March
        log.answer(key(2), utc(2026, 3, 8, 8, 30), 3, before=0)  # 04:30 EDT: 8 March
        log.answer(key(3), utc(2026, 3, 9, 7, 59), 3, before=0)  # 03:59 EDT: still 8 March
        board = figures(mini, now=now)
        per_day = {board.days.date_of(d).isoformat(): a.answers for d, a in board.activity.items()}
        assert per_day == {"2026-03-07": 2, "2026-03-08": 2}
        days = board.days
        march_7 = (date(2026, 3, 7) - days.first_date).days
        assert days.starts[march_7 + 1] - days.starts[march_7] == 23 * HOUR
        assert days.starts[march_7] - days.starts[march_7 - 1] == 24 * HOUR
        assert len(days.spans()) == 5  # whole days, the 23-hour one, whole days, then 25
        assert board.streaks == (0, 2)  # 9 March had nothing, and today has nothing yet
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_calendar_reaches_back_to_the_first_answer() -> None:
    days = calendar(AT, "04:00", (AT - 500 * DAY, AT))
    assert days.date_of(0) == date(2024, 10, 18)
    assert days.date_of(days.today) == date(2026, 3, 2)
    assert days.days == days.today + 31  # the forecast's 30 days after today
    assert len(days.spans()) == 1  # UTC: one run of whole days
    assert days.day_of(utc(2026, 3, 2, 3, 59)) == days.today - 1
    assert days.day_of(utc(2026, 3, 2, 4)) == days.today


# memory, states, forecast --------------------------------------------------------------------


def test_retrievability_formula() -> None:
    assert retrievability(10.0, 10) == pytest.approx(0.9)  # R = 90% when t = S
    assert retrievability(3.0, 0) == 1.0
    assert pytest.approx(0.980346, abs=1e-6) == FACTOR  # exp(0.105361 / 0.1542) - 1
    assert retrievability(5.0, 20) == pytest.approx(0.78214, abs=1e-5)  # 4.92139 ** -0.1542


def test_retrievability_is_py_fsrs_own() -> None:
    import fsrs

    scheduler = fsrs.Scheduler()
    card = fsrs.Card(card_id=1, state=fsrs.State.Review, stability=7.5, difficulty=5.0)
    card.last_review = datetime(2026, 1, 1, tzinfo=timezone.utc)
    at = datetime(2026, 1, 13, 11, tzinfo=timezone.utc)  # 12 whole days and 11 hours
    assert retrievability(7.5, 12) == pytest.approx(scheduler.get_card_retrievability(card, at))


def test_states_forecast_and_knowledge(mini: Store) -> None:
    log = Log(mini)
    log.card(key(0), state=2, due=AT - 3 * DAY, stability=10.0, last_review=AT - 10 * DAY)
    log.card(key(1), state=2, due=AT + 2 * HOUR, stability=10.0, last_review=AT)
    log.card(key(2), state=1, due=AT + 20 * HOUR, stability=1.0, last_review=AT)  # tomorrow
    log.card(key(3), state=2, due=AT + DAY, buried_until=AT + 3 * DAY, stability=5.0)
    log.card(key(3), last_review=AT - 20 * DAY)  # R = 78.214%; buried: in 3 days
    log.card(key(4), state=2, due=AT + 2 * DAY, suspended=1, leech=1, lapses=9)
    log.card(key(4), stability=2.0, last_review=AT - 2 * DAY)  # suspended: no forecast
    log.card(key(6), state=2, due=AT + 40 * DAY, stability=50.0, last_review=AT, lapses=2)
    log.card(key(7), state=3, due=utc(2026, 3, 3, 3, 59), stability=0.5, last_review=AT)
    board = figures(mini)
    assert board.forecast[:5] == [3, 1, 0, 1, 0]  # today: overdue, later today, relearning
    assert sum(board.forecast) == 5
    assert len(board.forecast) == 30
    s = board.states
    assert (s.new, s.learning, s.review, s.relearning) == (1, 1, 5, 1)
    assert (s.suspended, s.leeches, s.buried, s.total) == (1, 1, 1, 8)
    # R: 0.9, 1, 1, 0.78214, 0.9 (2 days on S = 2), 1, 1 over the 7 cards seen
    assert board.knowledge.seen == 7
    assert board.knowledge.known == pytest.approx(6.58214, abs=1e-5)
    assert [b.cards for b in board.retrievability] == [0, 0, 1, 0, 2, 4]
    assert [b.cards for b in board.stability] == [1, 3, 2, 1, 0, 0]  # .5 | 1 5 2 | 10 10 | 50
    assert [(c.key, c.lapses) for c in board.lapsed] == [(key(4), 9), (key(6), 2)]
    assert board.lapsed[0].front == "Question 4"


# weak spots and confusions ------------------------------------------------------------------

RISK_L = "tbl:cmp:risk:leadership"
RISK_M = "tbl:cmp:risk:management"
FOCUS_L = "tbl:cmp:focus:leadership"


def five_reviews(log: Log, card: str, ratings: list[int]) -> None:
    for n, rating in enumerate(ratings):
        log.answer(card, AT - (5 - n) * DAY, rating, before=2)


def test_weak_spots_by_table_aspect_side_cell_and_tag(table: Store) -> None:
    log = Log(table)
    five_reviews(log, f"{RISK_L}:recall", [1, 3, 1, 3, 3])  # 3 of 5
    five_reviews(log, f"{RISK_M}:recall", [3, 3, 4, 2, 3])  # 5 of 5
    five_reviews(log, f"{FOCUS_L}:recall", [3, 1, 3, 1, 3])  # 3 of 5
    five_reviews(log, "tbl:solo:front", [3, 3, 1, 3, 3])  # 4 of 5
    log.card(f"{RISK_L}:recall", state=2, stability=10.0, last_review=AT - 10 * DAY)  # R .9
    log.card(f"{RISK_M}:recall", state=2, stability=10.0, last_review=AT)  # R 1
    board = figures(table, "tbl")

    def ranked(kind: str) -> list[tuple[str, str, int, int]]:
        return [
            (g.id, board.titles[(kind, g.id)], g.reviews.passed, g.reviews.failed)
            for g in board.weak[kind]
        ]

    assert ranked("table") == [("tbl:cmp", "Management vs leadership", 11, 4)]
    assert ranked("aspect") == [
        ("tbl:cmp:focus", "Focus (Management vs leadership)", 3, 2),
        ("tbl:cmp:risk", "Risk (Management vs leadership)", 8, 2),
    ]
    assert ranked("side") == [
        ("tbl:cmp:leadership", "Leadership (Management vs leadership)", 6, 4),
        ("tbl:cmp:management", "Management (Management vs leadership)", 5, 0),
    ]
    assert ranked("cell") == [  # two at 60%: the one with the lower R now first
        ("tbl:cmp:risk:leadership", "Risk · Leadership", 3, 2),
        ("tbl:cmp:focus:leadership", "Focus · Leadership", 3, 2),
        ("tbl:cmp:risk:management", "Risk · Management", 5, 0),
        ("tbl:cmp:focus:management", "Focus · Management", 0, 0),
    ]
    assert ranked("tag") == [("deckwide", "deckwide", 15, 5), ("risky", "risky", 8, 2)]
    risk = next(g for g in board.weak["aspect"] if g.id == "tbl:cmp:risk")
    assert (risk.cards, risk.seen, risk.retrievability) == (6, 2, pytest.approx(0.95))


def test_confusions_are_the_wrong_picks_most_made(table: Store) -> None:
    log = Log(table)
    choice, identify = f"{RISK_L}:choice", f"{RISK_L}:identify"
    for n in range(3):
        log.answer(choice, AT - (n + 1) * DAY, 1, before=2, picked="Risk-averse")
    for n in range(2):
        log.answer(choice, AT - (n + 5) * DAY, 3, before=2, picked="Embraces change")
    undone = log.answer(choice, AT - HOUR, 1, before=2, picked="Risk-averse")
    log.undo(undone, choice, AT - HOUR + MINUTE)
    log.answer(choice, AT - 2 * HOUR, 1, before=2, kind="practice", picked="People and purpose")
    log.answer(identify, AT - 3 * HOUR, 1, before=1, picked="Management")
    board = figures(table, "tbl")
    found = [(c.key, c.asked, c.picked, c.right, c.times) for c in board.confusions]
    assert found == [
        (choice, "Risk · Leadership", "Risk-averse", "Embraces change", 3),
        (choice, "Risk · Leadership", "People and purpose", "Embraces change", 1),
        (identify, "Embraces change", "Management", "Leadership", 1),
    ]


# a property over random logs ------------------------------------------------------------------

ANSWER = st.tuples(
    st.integers(0, 3),  # card
    st.integers(0, 90 * 24),  # hours before now
    st.integers(1, 4),  # rating
    st.integers(0, 3),  # state before
    st.integers(0, 60),  # days until due after
    st.sampled_from(["answer", "answer", "answer", "practice"]),
    st.booleans(),  # undone
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ANSWER, max_size=40))
def test_figures_add_up_on_any_log(
    answers: list[tuple[int, int, int, int, int, str, bool]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = deck_store(Path(tmp), Path(tmp), basic_deck(4))
        try:
            log = Log(store)
            live = 0
            for card, hours, rating, before, due_days, kind, undone in answers:
                at = AT - hours * HOUR
                made = log.answer(key(card), at, rating, before, due_days * DAY, kind)
                if undone:
                    log.undo(made, key(card), at)
                else:
                    live += 1
            board = figures(store)
        finally:
            store.close()
    assert sum(a.answers for a in board.activity.values()) == live
    assert board.window(1).answers <= board.window(7).answers <= board.window(30).answers
    periods = [board.retention[p].all.total for p in ("last_7_days", "last_30_days", "all_days")]
    assert periods == sorted(periods)
    assert periods[-1] <= live
    for r in board.retention.values():
        for tally in (r.young, r.mature, r.all):
            assert tally.rate is None or 0 <= tally.rate <= 1
    assert board.streaks.current <= board.streaks.longest <= len(board.activity)


# the dashboard and the command ------------------------------------------------------------------


def render(board: Dashboard, width: int) -> list[str]:
    out = StringIO()
    console = Console(file=out, width=width, color_system=None)
    for section in dashboard(board, ["Table deck"], width):
        console.print(section)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [80, 120])
def test_dashboard_fits_its_width(table: Store, width: int) -> None:
    log = Log(table)
    five_reviews(log, f"{RISK_L}:recall", [1, 3, 1, 3, 3])
    log.answer(f"{RISK_L}:choice", AT - HOUR, 1, before=2, picked="Risk-averse")
    log.card(f"{RISK_L}:recall", state=2, due=AT + DAY, stability=10.0, lapses=2)
    log.card(f"{RISK_L}:recall", last_review=AT - 10 * DAY)
    lines = render(figures(table, "tbl"), width)
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    text = "\n".join(lines)
    assert lines[0] == "Table deck · study day 2026-03-02 (starts 04:00)"
    assert "True retention (desired 90%)" in text
    assert "Streak: 6 days now, longest 6" in text
    assert "Answers per day, last 12 months" in text
    assert "today 0 · next 7 days 1 · next 30 days 1" in text
    assert "13 cards: 12 new · 0 learning · 1 review · 0 relearning" in text
    assert "Estimated knowledge: 1 of the 1 cards seen (mean recall now 90%)" in text
    confusion = lines[lines.index(next(x for x in lines if x.startswith("Confusions"))) + 3]
    assert confusion.split() == [
        "1",
        "Risk-averse",
        "Risk",
        "·",
        "Leadership",
        "Embraces",
        "change",
    ]
    row = next(line for line in lines if line.startswith("cell"))
    assert row.split()[1:5] == ["Risk", "·", "Leadership", "50%"]  # 3 of 6
    assert any(line.split()[:4] == ["2", "Risk", "(Aspect)", "—"] for line in lines)  # lapses


def test_dashboard_of_an_empty_log_at_80_columns(mini: Store) -> None:
    lines = render(figures(mini), 80)
    assert all(len(line) <= 80 for line in lines)
    text = "\n".join(lines)
    assert "Streak: 0 days now, longest 0" in text
    assert "Estimated knowledge: no card seen yet" in text
    assert "No card has lapsed." in text
    assert "No wrong pick yet." in text


def invoke(*args: str, code: int = 0, width: int = 80) -> Any:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(width)})
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def test_stats_command_on_a_fresh_home() -> None:
    payload = json.loads(invoke("stats", "--json").stdout)
    assert payload["decks"] == ["lvm"]
    assert payload["study_day"] == "2026-03-02"
    assert payload["activity"]["today"] == {"answers": 0, "practice": 0, "seconds": 0.0}
    assert payload["streak"] == {"current": 0, "longest": 0}
    assert payload["days"] == [] and payload["confusions"] == [] and payload["most_lapses"] == []
    assert payload["cards"]["new"] == payload["cards"]["total"] > 100
    assert payload["knowledge"] == {
        "cards_seen": 0,
        "mean_retrievability": None,
        "estimated_known": 0.0,
    }
    assert [f["due"] for f in payload["forecast"]] == [0] * 30
    assert set(payload["weak_spots"]) == {"table", "aspect", "side", "cell", "tag"}
    text = invoke("stats").stdout
    assert "CPHQ::Leadership vs Management · study day 2026-03-02" in text


def test_stats_command_json_after_answers(isolated_home: Path) -> None:
    (isolated_home / "decks").mkdir(parents=True)
    (isolated_home / "decks" / "tbl.yaml").write_text(TABLE)
    invoke("stats", "tbl")  # syncs the deck
    with open_store(isolated_home) as store:
        log = Log(store)
        five_reviews(log, f"{RISK_L}:recall", [1, 3, 1, 3, 3])
        log.answer(f"{RISK_L}:choice", AT - HOUR, 1, before=2, picked="Risk-averse")
    payload = json.loads(invoke("stats", "tbl", "--json").stdout)
    assert payload["decks"] == ["tbl"]
    assert payload["activity"]["last_7_days"] == {"answers": 6, "practice": 0, "seconds": 6.0}
    assert payload["streak"] == {"current": 6, "longest": 6}
    assert payload["retention"]["all_days"]["young"] == {"passed": 3, "failed": 3, "rate": 0.5}
    assert payload["weak_spots"]["aspect"][0] == {
        "id": "tbl:cmp:risk",
        "title": "Risk (Management vs leadership)",
        "cards": 6,
        "cards_seen": 0,
        "first_reviews": 6,
        "retention": 0.5,
        "retrievability": None,
    }
    assert payload["confusions"] == [
        {
            "key": f"{RISK_L}:choice",
            "asked": "Risk · Leadership",
            "picked": "Risk-averse",
            "right": "Embraces change",
            "times": 1,
        }
    ]
    assert payload["days"][-1] == {
        "date": "2026-03-02",
        "answers": 1,
        "practice": 0,
        "seconds": 1.0,
    }


def test_stats_of_an_unknown_deck_is_one_line() -> None:
    result = invoke("stats", "nope", code=2)
    assert result.stderr == "error: no deck with id 'nope' (known decks: lvm)\n"
    assert result.stdout == ""
