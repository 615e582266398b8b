"""Pausing Python's cycle collector while many objects that all live on are made.

Parsing a deck, or reading back every note of one, makes hundreds of thousands of
small containers; the collector would walk the growing heap again and again (about a
fifth of a large deck's parse, and most of the time of reading one back from the
store). None of them form cycles that must go before the work is done; collection
resumes right after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
