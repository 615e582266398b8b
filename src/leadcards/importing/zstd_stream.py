"""Zstandard decompression for Anki's newest packages, streamed and capped.

The standard library has zstd from Python 3.14 (``compression.zstd``); before that its
backport (``backports.zstd``, the same API) is a dependency. Either is imported on the
first call, so commands that never read a package never load it.

A collection can be hundreds of megabytes and Anki's frames need not say how large they
are, so data goes through in pieces of at most ``_PIECE`` bytes, with a cap: a few
kilobytes of zstd can claim gigabytes, and a package from elsewhere is untrusted.
"""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING

from leadcards.errors import PackageError

if TYPE_CHECKING:
    from types import ModuleType

_PIECE = 1 << 20


def _zstd() -> ModuleType:
    if sys.version_info >= (3, 14):
        from compression import zstd
    else:
        from backports import zstd
    return zstd


def too_large(what: str, limit: int) -> PackageError:
    """The one sentence for data past its cap, compressed or not."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if limit >= size:
            amount = f"{limit / size:,.3g} {unit}"
            break
    else:
        amount = f"{limit} bytes"
    return PackageError(
        f"{what} unpacks to more than {amount}; refusing it (a damaged or hostile package?)"
    )


def copy_capped(source: IO[bytes], target: IO[bytes], *, limit: int, what: str) -> int:
    """Copy ``source`` into ``target`` in pieces, refusing more than ``limit`` bytes:
    the number of bytes copied."""
    total = 0
    while piece := source.read(_PIECE):
        total += len(piece)
        if total > limit:
            raise too_large(what, limit)
        target.write(piece)
    return total


def decompress_stream(source: IO[bytes], target: IO[bytes], *, limit: int, what: str) -> int:
    """Decompress zstd data from ``source`` into ``target``, at most ``limit`` bytes of
    it: the number of bytes written. A stream cut short, or bytes that are not zstd, are
    one sentence naming ``what`` (e.g. "the collection in 'deck.apkg'")."""
    zstd = _zstd()
    try:
        with zstd.ZstdFile(source, "rb") as stream:
            return copy_capped(stream, target, limit=limit, what=what)
    except EOFError:
        raise PackageError(
            f"{what} is cut short (its compressed data ends early); "
            "export or download the package again"
        ) from None
    except zstd.ZstdError as error:
        raise PackageError(f"{what} is damaged: {error}") from None


def decompress_bytes(data: bytes, *, limit: int, what: str) -> bytes:
    """Decompress a small zstd blob (a package's media list) held in memory."""
    import io

    out = io.BytesIO()
    decompress_stream(io.BytesIO(data), out, limit=limit, what=what)
    return out.getvalue()
