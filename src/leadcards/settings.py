"""Scheduling settings: Anki's defaults, validation, and per-deck overrides.

Each setting is written once, as a field of ``Settings`` that carries its default,
its help line, its parser and its formatter. The field stays a typed attribute (the
scheduler reads ``settings.fuzz``), and everything else here (``SPECS``, ``HELP``,
``parse_value``, ``format_value``) is derived from those fields, so adding a setting
means adding one field.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timezone
from typing import Any, TypeVar

from leadcards.clock import DEFAULT_DAY_START, day_begins, parse_date, parse_day_start, to_ms
from leadcards.errors import UsageError

T = TypeVar("T")

Parser = Callable[[str, str], Any]
"""``(name, text) → value``; raises ``UsageError`` with the sentence the user sees."""


MAX_STEP_DAYS = 365
"""The longest step: a 'step' of years is a typo, and every due date a step makes must
stay one datetime, FSRS and Anki can hold."""
KEPT_STEP_DAYS = 36500
"""The longest step read back from a log: what older versions let ``config`` store and
date arithmetic still holds (a century from now stays a datetime)."""
_STEP = re.compile(r"(\d+\.?\d*|\.\d+)([smhd])", re.ASCII)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_steps(value: str) -> tuple[int, ...]:
    """Steps as Anki writes them (``1m 10m``, ``1h``, ``1d``) → seconds."""
    steps = []
    for part in value.replace(",", " ").split():
        match = _STEP.fullmatch(part)
        if match is None:
            raise UsageError(f"step {part!r} must be a number and a unit: s, m, h or d (e.g. 10m)")
        seconds = float(match[1]) * _UNITS[match[2]]  # 400 nines make inf here, not a crash
        if seconds > MAX_STEP_DAYS * _UNITS["d"]:
            raise UsageError(f"step {part!r} is too long: a step is at most {MAX_STEP_DAYS}d")
        if int(seconds) <= 0:
            raise UsageError(f"step {part!r} must be longer than zero")
        steps.append(int(seconds))
    return tuple(steps)


def format_steps(steps: tuple[int, ...]) -> str:
    """Seconds → the largest whole unit each, so ``parse_steps`` reads it back."""

    def one(seconds: int) -> str:
        for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
            if seconds % size == 0:
                return f"{seconds // size}{unit}"
        return f"{seconds}s"

    return " ".join(one(s) for s in steps)


# parsers: each takes the setting's name so the message can name it ------------


def _fraction(low: float, high: float) -> Callable[[str, str], float]:
    def parse(name: str, value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise UsageError(f"{name} must be a number, not {value!r}") from None
        if not low <= number <= high:
            raise UsageError(f"{name} must be between {low:.2f} and {high:.2f}, not {number}")
        return number

    return parse


def _whole(low: int, high: int) -> Callable[[str, str], int]:
    def parse(name: str, value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise UsageError(f"{name} must be a whole number, not {value!r}") from None
        if not low <= number <= high:
            raise UsageError(f"{name} must be between {low} and {high}, not {number}")
        return number

    return parse


def _steps(name: str, value: str) -> tuple[int, ...]:
    return parse_steps(value)


def _day_start(name: str, value: str) -> str:
    parse_day_start(value)  # raises on a bad time; the text itself is what is stored
    return value


def _on_off(name: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in ("on", "true", "yes", "1"):
        return True
    if lowered in ("off", "false", "no", "0"):
        return False
    raise UsageError(f"{name} must be on or off, not {value!r}")


def _show_on_off(value: bool) -> str:
    return "on" if value else "off"


NO_DATE = "none"


def _exam_date(name: str, value: str) -> str | None:
    """A date → the instant its local day begins, as ISO-8601 text with the UTC offset
    (``none``: no date). The scheduler caps intervals at that instant, so it is fixed
    when the date is set: a replay in another time zone gives the same due dates."""
    if value.strip().lower() == NO_DATE:
        return None
    return day_begins(parse_date(name, value)).isoformat()


def _show_exam_date(value: str | None) -> str:
    """The date as it was given; text that is no instant is shown whole, so that checking
    it (``stored_problem``) refuses it."""
    if value is None:
        return NO_DATE
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return value


PARAMETER_BOUNDS: tuple[tuple[float, float], ...] = (
    *((0.001, 100.0),) * 4,
    (1.0, 10.0),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.0, 0.8),
    (0.1, 0.8),
)
"""The range py-fsrs's ``Scheduler`` accepts for each of FSRS-6's 21 parameters (its
``LOWER_BOUNDS_PARAMETERS`` and ``UPPER_BOUNDS_PARAMETERS``), written here so that
reading a stored set never imports fsrs; ``tests/test_optimizer.py`` compares them."""
PARAMETER_DECIMALS = 4
"""Parameters are kept to four decimals, as Anki shows them: more is noise from the fit."""
DEFAULT_PARAMETERS = "default"


def _parameters(name: str, value: str) -> tuple[float, ...] | None:
    """21 numbers, separated by commas or spaces, each within py-fsrs's bounds
    (``default``: FSRS's own defaults)."""
    if value.strip().lower() == DEFAULT_PARAMETERS:
        return None
    parts = value.replace(",", " ").split()
    if len(parts) != len(PARAMETER_BOUNDS):
        raise UsageError(f"{name} takes {len(PARAMETER_BOUNDS)} numbers (FSRS-6), not {len(parts)}")
    numbers = []
    for i, (part, (low, high)) in enumerate(zip(parts, PARAMETER_BOUNDS, strict=True)):
        try:
            number = round(float(part), PARAMETER_DECIMALS)
        except ValueError:
            raise UsageError(f"{name}: {part!r} is not a number") from None
        if not low <= number <= high:
            raise UsageError(f"{name}: number {i + 1} must be between {low} and {high}, not {part}")
        numbers.append(number)
    return tuple(numbers)


def _show_parameters(value: tuple[float, ...] | list[float] | None) -> str:
    """Comma-separated, as Anki shows them; ``_parameters`` reads it back exactly."""
    if value is None:
        return DEFAULT_PARAMETERS
    return ", ".join(str(v) for v in value)


def _are_parameters(value: Any) -> bool:
    return isinstance(value, list) and all(type(v) in (int, float) for v in value)


def exam_ms(value: str | None) -> int | None:
    """The instant the exam day begins (ms UTC), of a stored ``exam_date``; text without
    an offset (only a hand edit writes it) is read as UTC, the same in every time zone."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return to_ms(moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc))


def _setting(
    default: T,
    help_text: str,
    parse: Callable[[str, str], T],
    show: Callable[[T], str] = str,
    kind: Callable[[Any], bool] | None = None,
) -> T:
    """One row of the settings table, written as a dataclass field.

    Typed as returning ``T`` (like ``dataclasses.field``) so the attribute keeps its
    type for callers, and mypy checks that default, parser and formatter agree.
    ``kind``: whether a stored JSON value is of the setting's kind, when the default
    alone does not tell (a default of None).
    """
    metadata = {"help": help_text, "parse": parse, "show": show, "kind": kind}
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Settings:
    """The settings in force for one deck. Frozen, so hashable: usable as a dict key."""

    desired_retention: float = _setting(
        0.90, "chance of recalling a card when it is due, 0.70–0.99", _fraction(0.70, 0.99)
    )
    learning_steps: tuple[int, ...] = _setting(
        (60, 600),
        f"waits between first answers of a new card, e.g. '1m 10m'; each up to {MAX_STEP_DAYS}d",
        _steps,
        format_steps,
    )
    relearning_steps: tuple[int, ...] = _setting(
        (600,),
        f"waits after a lapse before the card is a review again, e.g. '10m'; each up to "
        f"{MAX_STEP_DAYS}d",
        _steps,
        format_steps,
    )
    maximum_interval: int = _setting(36500, "longest interval in days, 1–36500", _whole(1, 36500))
    new_per_day: int = _setting(20, "new cards introduced per study day, 0–9999", _whole(0, 9999))
    reviews_per_day: int = _setting(200, "reviews per study day, 0–99999", _whole(0, 99999))
    day_start: str = _setting(
        DEFAULT_DAY_START, "local time the study day starts, HH:MM", _day_start
    )
    leech_threshold: int = _setting(
        8, "lapses that make a card a leech (then suspended), 1–99", _whole(1, 99)
    )
    fuzz: bool = _setting(
        True,
        "spread review dates a little so cards learned together drift apart: on/off",
        _on_off,
        _show_on_off,
    )
    bury_new_siblings: bool = _setting(
        True,
        "a new card waits for the next day once a card of its note was answered: on/off",
        _on_off,
        _show_on_off,
    )
    bury_review_siblings: bool = _setting(
        True,
        "a due review waits a day (never longer) once a card of its note was answered: on/off",
        _on_off,
        _show_on_off,
    )
    exam_date: str | None = _setting(
        None,
        "the exam's date, YYYY-MM-DD, or none: no review is put off past it while the "
        "card's recall that day would fall below desired_retention",
        _exam_date,
        _show_exam_date,
    )
    fsrs_parameters: tuple[float, ...] | None = _setting(
        None,
        "FSRS's 21 parameters, comma-separated, or default: what `leadcards optimize "
        "--apply` fits to your answers",
        _parameters,
        _show_parameters,
        _are_parameters,
    )


@dataclass(frozen=True)
class Spec:
    """Everything known about one setting, read back from its ``Settings`` field."""

    name: str
    default: Any
    help: str
    parse: Parser
    show: Callable[[Any], str]
    kind: Callable[[Any], bool] | None = None


SPECS: Mapping[str, Spec] = {
    f.name: Spec(
        f.name,
        f.default,
        f.metadata["help"],
        f.metadata["parse"],
        f.metadata["show"],
        f.metadata["kind"],
    )
    for f in fields(Settings)
}
NAMES: tuple[str, ...] = tuple(SPECS)
"""Every setting name, in the order ``config`` lists them."""
HELP: Mapping[str, str] = {name: spec.help for name, spec in SPECS.items()}
DEFAULTS = Settings()


def unknown_setting(name: str) -> UsageError:
    """The error for a misspelt name: the closest match, then every name."""
    hint = difflib.get_close_matches(name, NAMES, n=1)
    suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
    return UsageError(f"unknown setting '{name}'{suggestion} (settings: {', '.join(NAMES)})")


def _spec(name: str) -> Spec:
    try:
        return SPECS[name]
    except KeyError:
        raise unknown_setting(name) from None


def parse_value(name: str, value: str) -> Any:
    """Validate a setting given as text; the error says the allowed range."""
    return _spec(name).parse(name, value)


def format_value(name: str, value: Any) -> str:
    """A value as ``config`` shows it, in the form ``parse_value`` accepts."""
    return _spec(name).show(value)


def to_stored(value: Any) -> Any:
    """A parsed value as JSON can hold it (steps become a list)."""
    return list(value) if isinstance(value, tuple) else value


def stored_problem(name: str, value: Any) -> str | None:
    """Why a stored value (as JSON gave it back) cannot be a setting, or None when it can.

    A value the ``config`` parser would not give — another type, out of its range —
    comes from a hand edit, a damaged file or an older version that let it through (a
    step of years), and would stop FSRS or the date arithmetic later, far from its
    cause. Names no longer known are no problem: they are ignored. The range check is
    the parser's own: the value, shown as ``config`` shows it, must parse.
    """
    spec = SPECS.get(name)
    if spec is None:
        return None
    shown = json.dumps(value)
    same = spec.kind(value) if spec.kind is not None else _same_kind(value, spec.default)
    if not same:
        return f"holds {shown}, not the kind of value {name} takes"
    if isinstance(spec.default, tuple):  # steps: older versions took longer ones than config now
        longest = KEPT_STEP_DAYS * _UNITS["d"]
        if not all(0 < v <= longest for v in value):
            return f"holds {shown}: each step must be more than 0 and at most {KEPT_STEP_DAYS}d"
        return None
    try:
        parsed = spec.parse(name, spec.show(value))
    except UsageError as exc:
        return f"holds {shown}: {exc}"
    if parsed is None:  # "none" stands for no value, which is never stored
        return f"holds {shown}, not a value of {name}"
    return None


def _same_kind(value: Any, default: Any) -> bool:
    """JSON's kinds against the default's: a whole number will do for a fraction, and
    steps are a list of whole numbers."""
    if isinstance(default, tuple):
        return isinstance(value, list) and all(type(v) is int for v in value)
    if type(default) is float:
        return type(value) in (int, float)
    if default is None:  # a date: text
        return type(value) is str
    return type(value) is type(default)


def from_stored(stored: dict[str, Any], base: Settings = DEFAULTS) -> Settings:
    """``base`` with the stored values on top; names no longer known are ignored.
    The values were vetted with ``stored_problem`` as they were read."""
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in stored.items() if k in SPECS
    }
    return replace(base, **values)
