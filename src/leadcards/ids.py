"""Globally unique, time-ordered ids for log events (ULIDs).

Two devices' logs can be merged without clashes, and sorting by id sorts by time. Within
one millisecond the random part decides, so a device that logs two events in the same
millisecond makes the second id the successor of the first: replay order (time, then
id) is then the order the events happened in.
"""

from __future__ import annotations

import os

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LENGTH = 26


def _encode(value: int) -> str:
    chars = []
    for _ in range(_LENGTH):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _decode(text: str) -> int:
    value = 0
    for char in text:
        value = value * 32 + _ALPHABET.index(char)
    return value


def ulid(ms: int) -> str:
    """48 bits of milliseconds and 80 random bits, in Crockford base32 (26 characters)."""
    return _encode((ms & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big"))


def ulid_after(ms: int, previous: str | None) -> str:
    """A ULID for ``ms`` that sorts after ``previous`` (an id of the same or an earlier ms)."""
    fresh = ulid(ms)
    if previous is None or fresh > previous:
        return fresh
    return _encode(_decode(previous) + 1)
