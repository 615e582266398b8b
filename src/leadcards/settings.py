"""Scheduling settings: Anki's defaults, validation, and per-deck overrides."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from leadcards.clock import parse_day_start
from leadcards.errors import UsageError


def parse_steps(value: str) -> tuple[int, ...]:
    """Steps as Anki writes them (``1m 10m``, ``1h``, ``1d``) → seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    steps = []
    for part in value.replace(",", " ").split():
        number, unit = part[:-1], part[-1:]
        if unit not in units or not number.replace(".", "", 1).isdigit():
            raise UsageError(f"step {part!r} must be a number and a unit: s, m, h or d (e.g. 10m)")
        seconds = int(float(number) * units[unit])
        if seconds <= 0:
            raise UsageError(f"step {part!r} must be longer than zero")
        steps.append(seconds)
    return tuple(steps)


def format_steps(steps: tuple[int, ...]) -> str:
    def one(seconds: int) -> str:
        for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
            if seconds % size == 0:
                return f"{seconds // size}{unit}"
        return f"{seconds}s"

    return " ".join(one(s) for s in steps)


@dataclass(frozen=True)
class Settings:
    desired_retention: float = 0.90
    learning_steps: tuple[int, ...] = (60, 600)
    relearning_steps: tuple[int, ...] = (600,)
    maximum_interval: int = 36500
    new_per_day: int = 20
    reviews_per_day: int = 200
    day_start: str = "04:00"
    leech_threshold: int = 8
    fuzz: bool = True


DEFAULTS = Settings()

HELP = {
    "desired_retention": "chance of recalling a card when it is due, 0.70–0.99",
    "learning_steps": "waits between first answers of a new card, e.g. '1m 10m'",
    "relearning_steps": "waits after a lapse before the card is a review again, e.g. '10m'",
    "maximum_interval": "longest interval in days, 1–36500",
    "new_per_day": "new cards introduced per study day, 0–9999",
    "reviews_per_day": "reviews per study day, 0–99999",
    "day_start": "local time the study day starts, HH:MM",
    "leech_threshold": "lapses that make a card a leech (then suspended), 1–99",
    "fuzz": "spread review dates a little so cards learned together drift apart: on/off",
}


def _int_in(name: str, value: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise UsageError(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise UsageError(f"{name} must be between {low} and {high}, not {number}")
    return number


def parse_value(name: str, value: str) -> Any:
    """Validate a setting given as text; the error says the allowed range."""
    if name == "desired_retention":
        try:
            number = float(value)
        except ValueError:
            raise UsageError(f"desired_retention must be a number, not {value!r}") from None
        if not 0.70 <= number <= 0.99:
            raise UsageError(f"desired_retention must be between 0.70 and 0.99, not {number}")
        return number
    if name in ("learning_steps", "relearning_steps"):
        steps = parse_steps(value)
        if name == "relearning_steps" or steps:
            return steps
        return steps
    if name == "maximum_interval":
        return _int_in(name, value, 1, 36500)
    if name == "new_per_day":
        return _int_in(name, value, 0, 9999)
    if name == "reviews_per_day":
        return _int_in(name, value, 0, 99999)
    if name == "leech_threshold":
        return _int_in(name, value, 1, 99)
    if name == "day_start":
        parse_day_start(value)
        return value
    if name == "fuzz":
        lowered = value.lower()
        if lowered in ("on", "true", "yes", "1"):
            return True
        if lowered in ("off", "false", "no", "0"):
            return False
        raise UsageError(f"fuzz must be on or off, not {value!r}")
    raise unknown_setting(name)


def unknown_setting(name: str) -> UsageError:
    import difflib

    names = [f.name for f in fields(Settings)]
    hint = difflib.get_close_matches(name, names, n=1)
    suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
    return UsageError(f"unknown setting '{name}'{suggestion} (settings: {', '.join(names)})")


def format_value(name: str, value: Any) -> str:
    if name in ("learning_steps", "relearning_steps"):
        return format_steps(value)
    if name == "fuzz":
        return "on" if value else "off"
    return str(value)


def to_stored(name: str, value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def from_stored(stored: dict[str, Any], base: Settings = DEFAULTS) -> Settings:
    known = {f.name for f in fields(Settings)}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in stored.items() if k in known}
    return replace(base, **values)
