"""Globally unique, time-ordered ids for review log rows (ULIDs).

Two devices' logs can be merged without clashes, and sorting by id sorts by time.
"""

from __future__ import annotations

import os

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(ms: int) -> str:
    """48 bits of milliseconds and 80 random bits, in Crockford base32 (26 characters)."""
    value = (ms & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))
