"""clock.py: LEADCARDS_NOW, and how instants are shown (local time, 'in 3h (…)').

The study-day rollover is tested with the queue (test_queue.py), where it matters.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.clock import due_text, local_text, now, to_ms
from leadcards.errors import UsageError

from .conftest import AT, DAY, HOUR, MINUTE

BAD_NOW = (
    "LEADCARDS_NOW='yesterday' is not an ISO-8601 timestamp (example: 2026-01-31T09:30:00+00:00)"
)


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Switch this process's local time zone; UTC again afterwards, as conftest promises."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    use("UTC")


def test_invalid_leadcards_now_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADCARDS_NOW", "yesterday")
    with pytest.raises(UsageError) as raised:
        now()
    assert str(raised.value) == BAD_NOW
    assert raised.value.exit_code == 2


def test_invalid_leadcards_now_gives_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADCARDS_NOW", "yesterday")
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {BAD_NOW}\n"
    assert result.stdout == ""


def test_local_text_is_local_time_to_the_minute(local_zone: Callable[[str], None]) -> None:
    assert local_text(AT) == "2026-03-02 09:00"
    assert local_text(AT + 59_999) == "2026-03-02 09:00"
    local_zone("America/New_York")
    assert local_text(AT) == "2026-03-02 04:00"
    assert local_text(AT + 8 * DAY) == "2026-03-10 05:00"  # summer time began on 8 March
    local_zone("Asia/Kolkata")
    assert local_text(AT) == "2026-03-02 14:30"


def test_due_text(local_zone: Callable[[str], None]) -> None:
    assert due_text(None, AT) == "nothing scheduled"
    assert due_text(AT, AT) == "now"
    assert due_text(AT - DAY, AT) == "now"
    assert due_text(AT + 10 * MINUTE, AT) == "in 10m (2026-03-02 09:10)"
    assert due_text(AT + 3 * HOUR, AT) == "in 3h (2026-03-02 12:00)"
    assert due_text(AT + 39 * DAY, AT) == "in 1.3mo (2026-04-10 09:00)"
    local_zone("America/New_York")
    assert due_text(AT + 3 * HOUR, AT) == "in 3h (2026-03-02 07:00)"


# the study day where daylight saving skips its start -----------------------------------

SKIPPED_MIDNIGHT = [  # zone, a local date whose midnight does not exist, its UTC jump
    ("America/Santiago", "2026-09-06", "2026-09-06T04:00:00+00:00"),
    ("America/Havana", "2026-03-08", "2026-03-08T05:00:00+00:00"),
    ("Asia/Beirut", "2026-03-29", "2026-03-28T22:00:00+00:00"),
]


@pytest.mark.parametrize(("zone", "day", "jump"), SKIPPED_MIDNIGHT)
def test_a_study_day_whose_start_is_skipped_begins_at_the_jump(
    local_zone: Callable[[str], None], zone: str, day: str, jump: str
) -> None:
    from datetime import datetime, timedelta

    from leadcards.clock import next_study_day_start, study_day_start

    local_zone(zone)
    begins = datetime.fromisoformat(jump)
    for day_start in ("00:00", "00:30"):
        offset = timedelta(minutes=int(day_start[3:]))
        assert study_day_start(begins + offset, day_start) == begins
        # every moment of the week around it lies in one study day, which ends later
        moment = begins - 3 * timedelta(days=1)
        while moment < begins + 3 * timedelta(days=1):
            start = study_day_start(moment, day_start)
            after = next_study_day_start(moment, day_start)
            assert start <= moment < after, (zone, day_start, moment, start, after)
            assert timedelta(hours=22) <= after - start <= timedelta(hours=26)
            moment += timedelta(minutes=10)
        # the evening before, "tomorrow" (a bury's end) is the jump, not an hour earlier
        evening = begins - timedelta(minutes=30)
        assert next_study_day_start(evening, "00:00") == begins
        assert begins.astimezone().strftime("%Y-%m-%d") == day


# the times leadcards keeps -----------------------------------------------------------

KEPT = "(1970-01-01 to 2200-01-01 UTC)"


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00Z",  # FSRS and the date arithmetic fell over in year 0
        "0001-01-01T00:00:00",  # local time: a zone east of UTC makes it year 0
        "9999-12-30T00:00:00Z",  # a due date after it is past year 9999
        "1969-12-31T23:59:59Z",
        "2200-01-01T00:00:00Z",
    ],
)
@pytest.mark.parametrize("command", [["status"], ["review"], ["config", "new_per_day", "5"]])
def test_leadcards_now_outside_the_kept_times_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path, value: str, command: list[str]
) -> None:
    monkeypatch.setenv("LEADCARDS_NOW", value)
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        result = CliRunner().invoke(app, command, input="3\n")
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
    assert result.exit_code == 2, result.exception
    assert (
        result.stderr
        == f"error: LEADCARDS_NOW={value!r} is outside the times leadcards keeps {KEPT}\n"
    )
    assert result.stdout == ""
    assert not (isolated_home / "leadcards.db").exists()  # refused before anything was opened


@pytest.mark.parametrize(
    ("value", "ms"),
    [("1970-01-01T00:00:00Z", 0), ("2199-12-31T23:59:59.999Z", 7_258_118_399_999)],
)
def test_the_first_and_last_kept_instants_are_accepted(
    monkeypatch: pytest.MonkeyPatch, value: str, ms: int
) -> None:
    monkeypatch.setenv("LEADCARDS_NOW", value)
    assert to_ms(now()) == ms
