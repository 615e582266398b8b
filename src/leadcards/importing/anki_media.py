"""A package's media: the list of its files, and their extraction into a folder.

The zip holds each media file under a number ("0", "1", …); its `media` member maps the
numbers to names. Legacy packages write that map as JSON (``{"0": "pic.png"}``) and
store the files as they are; the newest write a zstd-compressed protobuf
``MediaEntries`` (name, size, SHA-1 per file, the n-th entry being member "n") and
compress each file with zstd too.

A name comes from the package, so it may try to leave the target folder ("../x",
"/etc/x", "C:x") or hold control characters: such a file is listed with its problem
and never written.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from leadcards.errors import PackageError
from leadcards.file_replace import new_file_beside
from leadcards.importing import protobuf_wire as wire
from leadcards.importing.anki_records import AnkiMediaFile
from leadcards.importing.zstd_stream import copy_capped, decompress_stream

# Characters no media name may hold: separators and what Windows refuses in a name
# (":" would also name a drive or an NTFS stream), and control characters.
_FORBIDDEN = re.compile(r'[/\\:<>"|?*\x00-\x1f\x7f-\x9f]')
_DEVICE = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$")
_NAME_BYTES = 255


def name_problem(name: str) -> str | None:
    """Why a media name cannot be written as a file in a folder of ours, or None."""
    if name in ("", ".", ".."):
        return "not a file name"
    if "/" in name or "\\" in name:
        return "has a path separator"
    match = _FORBIDDEN.search(name)
    if match:
        return f"has the character {match.group()!r}"
    if name.endswith((".", " ")):
        return "ends in a dot or a space"
    if _DEVICE.match(name):
        return "is the name of a Windows device"
    if len(name.encode("utf-8", "surrogatepass")) > _NAME_BYTES:
        return f"is longer than {_NAME_BYTES} bytes"
    return None


def media_list(data: bytes, *, legacy: bool, sizes: dict[str, int]) -> tuple[AnkiMediaFile, ...]:
    """The files a `media` member lists (already decompressed). ``sizes`` are the zip
    members' sizes: legacy lists give no size of their own."""
    if legacy:
        mapping = json.loads(data.decode("utf-8")) if data.strip() else {}
        if not isinstance(mapping, dict):
            raise ValueError("the media list is not a JSON object")
        entries = sorted(((int(entry), str(name)) for entry, name in mapping.items()))
        return tuple(
            AnkiMediaFile(name, sizes.get(str(entry), 0), str(entry), name_problem(name))
            for entry, name in entries
        )
    files = []
    index = 0
    for number, value in wire.fields(data):
        if number != 1 or not isinstance(value, bytes):
            continue
        # MediaEntry: 1 name, 2 size, 3 sha1, 255 the member's number when not the index.
        name = (wire.last_bytes(value, 1) or b"").decode("utf-8")
        entry = str(wire.last_int(value, 255, index))
        files.append(AnkiMediaFile(name, wire.last_int(value, 2), entry, name_problem(name)))
        index += 1
    return tuple(files)


@dataclass(frozen=True)
class MediaExtraction:
    """What ``extract`` did, file by file."""

    written: tuple[str, ...]  # names now in the folder (new, or the same bytes already there)
    skipped: tuple[tuple[str, str], ...]  # (name, why) for each file not written


def extract(
    archive: zipfile.ZipFile,
    files: Iterable[AnkiMediaFile],
    dest: Path,
    *,
    compressed: bool,
    limit: int,
    package: str,
) -> MediaExtraction:
    """Write ``files`` from ``archive`` into ``dest`` (which must exist), one at a time
    through a temporary file in ``dest``. A file already there with other bytes is kept
    and the package's skipped: the notes of the folder's deck may use it."""
    written: list[str] = []
    skipped: list[tuple[str, str]] = []
    for media in files:
        if media.problem is not None:
            skipped.append((media.name, f"unsafe name: {media.problem}"))
            continue
        target = dest / media.name
        what = f"media file '{media.name}' in '{package}'"
        handle, temporary = new_file_beside(dest, ".leadcards-media-")
        try:
            with os.fdopen(handle, "wb") as out, archive.open(media.entry) as member:
                if compressed:
                    decompress_stream(member, out, limit=limit, what=what)
                else:
                    copy_capped(member, out, limit=limit, what=what)
            if target.is_symlink() or (target.exists() and not target.is_file()):
                skipped.append((media.name, "something other than a file has that name"))
            elif target.exists() and not filecmp.cmp(temporary, target, shallow=False):
                skipped.append((media.name, "a different file of that name is already there"))
            else:
                os.replace(temporary, target)
                written.append(media.name)
        except KeyError:
            skipped.append((media.name, f"the package has no member '{media.entry}'"))
        except PackageError as error:
            skipped.append((media.name, str(error)))
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError) as error:
            skipped.append((media.name, f"cannot be read or written: {error}"))
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return MediaExtraction(tuple(written), tuple(skipped))
