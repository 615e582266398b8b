"""Globally unique, time-ordered ids for log events (ULIDs).

Two devices' logs can be merged without clashes, and sorting by id sorts by time. Within
one millisecond the random part decides, so a device that logs two events in the same
millisecond makes the second id the successor of the first: replay order (time, then
id) is then the order the events happened in.
"""

from __future__ import annotations

import os

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Two characters (ten bits) per step: every answer makes an id, so this is a hot path.
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]
_TO_BASE32 = str.maketrans(_ALPHABET, "0123456789abcdefghijklmnopqrstuv")


def _encode(value: int) -> str:
    """26 characters: 13 pairs, the leading pair carrying the top 8 of 128 bits."""
    pairs = []
    for _ in range(13):
        pairs.append(_PAIRS[value & 1023])
        value >>= 10
    return "".join(reversed(pairs))


def _decode(text: str) -> int:
    # Crockford's digits mapped onto the ones int() reads in base 32 (0-9, a-v).
    return int(text.translate(_TO_BASE32), 32)


def ulid(ms: int) -> str:
    """48 bits of milliseconds and 80 random bits, in Crockford base32 (26 characters)."""
    return _encode((ms & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big"))


def ulid_after(ms: int, previous: str | None) -> str:
    """A ULID for ``ms`` that sorts after ``previous`` (an id of the same or an earlier ms)."""
    fresh = ulid(ms)
    if previous is None or fresh > previous:
        return fresh
    return _encode(_decode(previous) + 1)
