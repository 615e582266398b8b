"""settings.py: one table of settings, from which names, help, parsing and formatting derive.

The exact error sentences for bad values are pinned through the CLI in
test_scheduling.py; these tests pin the table itself and its round trips.
"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from leadcards.clock import DEFAULT_DAY_START
from leadcards.errors import UsageError
from leadcards.settings import (
    DEFAULTS,
    HELP,
    NAMES,
    SPECS,
    Settings,
    format_value,
    from_stored,
    parse_value,
    stored_problem,
    to_stored,
    unknown_setting,
)

from .conftest import REPO

# py-fsrs's bounds for FSRS-6's parameters, copied by hand from fsrs.scheduler.
HIGHEST = "100 100 100 100 10 4 4 0.75 4.5 0.8 3.5 5 0.25 0.9 4 1 6 2 2 0.8 0.8"
LOWEST = "0.001,0.001,0.001,0.001,1,0.001,0.001,0.001,0,0,0.001,0.001,0.001,0.001,0,0,1,0,0,0,0.1"
DEFAULT_TAIL = (
    "6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, "
    "0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542"
)
DEFAULT_TAIL_VALUES = tuple(float(v) for v in DEFAULT_TAIL.split(", "))


def test_settings_are_frozen_and_hashable() -> None:
    assert {DEFAULTS: "cached"}[Settings()] == "cached"
    assert hash(DEFAULTS) == hash(Settings())
    assert hash(dataclasses.replace(DEFAULTS, fuzz=False)) != hash(DEFAULTS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULTS.fuzz = False  # type: ignore[misc]  # the point: mypy and Python refuse it


def test_the_table_names_every_field_once_with_help() -> None:
    assert tuple(f.name for f in dataclasses.fields(Settings)) == NAMES
    assert set(HELP) == set(SPECS) == set(NAMES)
    assert all(HELP[name] for name in NAMES)
    assert DEFAULTS.day_start == DEFAULT_DAY_START


def test_defaults_as_anki_has_them() -> None:
    shown = {name: format_value(name, getattr(DEFAULTS, name)) for name in NAMES}
    assert shown == {
        "desired_retention": "0.9",
        "learning_steps": "1m 10m",
        "relearning_steps": "10m",
        "maximum_interval": "36500",
        "new_per_day": "20",
        "reviews_per_day": "200",
        "day_start": "04:00",
        "leech_threshold": "8",
        "fuzz": "on",
        "bury_new_siblings": "on",
        "bury_review_siblings": "on",
        "exam_date": "none",
        "fsrs_parameters": "default",
    }


@pytest.mark.parametrize("name", NAMES)
def test_a_shown_value_parses_back_to_itself(name: str) -> None:
    default = getattr(DEFAULTS, name)
    assert parse_value(name, format_value(name, default)) == default


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("desired_retention", "0.85", 0.85),
        ("learning_steps", "30s, 5m 1h", (30, 300, 3600)),
        ("learning_steps", "", ()),
        ("relearning_steps", "1d", (86400,)),
        ("maximum_interval", "1", 1),
        ("new_per_day", "0", 0),
        ("reviews_per_day", "99999", 99999),
        ("day_start", "23:30", "23:30"),
        ("leech_threshold", "99", 99),
        ("fuzz", "OFF", False),
        ("fuzz", "yes", True),
        ("fsrs_parameters", "Default", None),
        ("fsrs_parameters", HIGHEST, tuple(float(v) for v in HIGHEST.split())),
        ("fsrs_parameters", LOWEST, tuple(float(v) for v in LOWEST.split(","))),
        ("fsrs_parameters", "0.123456, " * 4 + DEFAULT_TAIL, (0.1235,) * 4 + DEFAULT_TAIL_VALUES),
    ],
)
def test_parse_value(name: str, text: str, value: object) -> None:
    assert parse_value(name, text) == value


def test_unknown_names_are_refused_everywhere_with_a_suggestion() -> None:
    message = (
        "unknown setting 'fuz'; did you mean 'fuzz'? (settings: desired_retention, "
        "learning_steps, relearning_steps, maximum_interval, new_per_day, reviews_per_day, "
        "day_start, leech_threshold, fuzz, bury_new_siblings, bury_review_siblings, exam_date, "
        "fsrs_parameters)"
    )
    assert str(unknown_setting("fuz")) == message
    with pytest.raises(UsageError) as parsing:
        parse_value("fuz", "on")
    assert str(parsing.value) == message
    with pytest.raises(UsageError, match=r"^unknown setting 'zzz' \(settings: "):
        format_value("zzz", 1)


def test_stored_values_round_trip_through_json() -> None:
    chosen = {"learning_steps": (30, 300), "fuzz": False, "day_start": "05:00"}
    stored = json.loads(json.dumps({k: to_stored(v) for k, v in chosen.items()}))
    assert stored["learning_steps"] == [30, 300]
    assert from_stored(stored) == dataclasses.replace(DEFAULTS, **chosen)


def test_from_stored_layers_on_a_base_and_ignores_names_no_longer_known() -> None:
    deck_base = dataclasses.replace(DEFAULTS, new_per_day=5)
    merged = from_stored({"reviews_per_day": 50, "retired_setting": 1}, deck_base)
    assert merged == dataclasses.replace(DEFAULTS, new_per_day=5, reviews_per_day=50)


@pytest.mark.parametrize("name", NAMES)
def test_every_value_config_stores_reads_back_without_a_problem(name: str) -> None:
    for value in (
        getattr(DEFAULTS, name),
        parse_value(name, format_value(name, getattr(DEFAULTS, name))),
    ):
        if value is None:  # no value: the setting's row is removed, never stored
            continue
        assert stored_problem(name, json.loads(json.dumps(to_stored(value)))) is None


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("new_per_day", 10000, "holds 10000: new_per_day must be between 0 and 9999, not 10000"),
        ("new_per_day", 2.5, "holds 2.5, not the kind of value new_per_day takes"),
        ("new_per_day", True, "holds true, not the kind of value new_per_day takes"),
        (
            "desired_retention",
            1,
            "holds 1: desired_retention must be between 0.70 and 0.99, not 1.0",
        ),
        (
            "learning_steps",
            [60, "10m"],
            'holds [60, "10m"], not the kind of value learning_steps takes',
        ),
        ("learning_steps", [0], "holds [0]: each step must be more than 0 and at most 36500d"),
        (
            "relearning_steps",
            [36501 * 86400],
            "holds [3153686400]: each step must be more than 0 and at most 36500d",
        ),
        ("fuzz", "on", 'holds "on", not the kind of value fuzz takes'),
        ("day_start", "4:00pm", "holds \"4:00pm\": day start '4:00pm' must be HH:MM, e.g. 04:00"),
    ],
)
def test_a_stored_value_config_never_stores_is_a_problem(
    name: str, value: object, problem: str
) -> None:
    assert stored_problem(name, value) == problem


def test_steps_older_versions_stored_are_read_back() -> None:
    """config stops steps at 365 days now; a longer one already in a log still counts."""
    assert stored_problem("learning_steps", [400 * 86400]) is None
    assert stored_problem("learning_steps", [36500 * 86400]) is None


def test_a_stored_name_no_longer_known_is_no_problem() -> None:
    assert stored_problem("retired_setting", {"anything": 1}) is None


def test_the_readme_table_lists_every_setting_and_its_range() -> None:
    readme = (REPO / "README.md").read_text()
    for name in NAMES:
        row = re.search(rf"^\| `{name}` \|.*$", readme, re.MULTILINE)
        assert row is not None, f"{name} is not in the README's settings table"
        allowed = re.search(r"\d[\d.]*–\d[\d.]*$", HELP[name])
        if allowed:  # a numeric range in the help must be the README's too
            assert allowed.group() in row.group()
