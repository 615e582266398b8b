"""Reading an Anki package (.apkg, .colpkg) of any generation into plain values.

Which collection file counts is told by the package's `meta` member (a protobuf
``PackageMetadata``: 1 collection.anki2, 2 collection.anki21, 3 collection.anki21b), as
Anki decides it, never by which files are there: packages of Anki 2.1.50 and later
also hold a `collection.anki2` whose one note asks to update Anki. Without `meta` (Anki
before 2.1.50), collection.anki21 wins over collection.anki2.

The collection is unpacked into a temporary folder, read, and the folder removed on
every path; nothing is written anywhere else. Media are only listed here;
``extract_media`` writes them where asked.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from leadcards.errors import PackageError
from leadcards.importing import anki_media
from leadcards.importing import protobuf_wire as wire
from leadcards.importing.anki_media import MediaExtraction
from leadcards.importing.anki_records import AnkiCollection, AnkiMediaFile, PackageFormat
from leadcards.importing.anki_schema import read_collection
from leadcards.importing.zstd_stream import (
    copy_capped,
    decompress_bytes,
    decompress_stream,
    too_large,
)

# PackageMetadata.Version → the collection member and its format.
_VERSIONS: dict[int, PackageFormat] = {1: "anki2", 2: "anki21", 3: "anki21b"}
NEWEST_PACKAGE_VERSION = 3

# Caps against packages that claim far more than any real one holds.
MAX_COLLECTION_BYTES = 8 << 30
MAX_MEDIA_FILE_BYTES = 2 << 30
MAX_MEDIA_LIST_BYTES = 256 << 20

# What zipfile raises for a damaged member, one of an unknown compression method, or
# (RuntimeError) one that is encrypted.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


def read_package(path: Path) -> AnkiCollection:
    """The notes, cards, review log, note types, decks and media list of a package."""
    with _open_zip(path) as archive:
        package_format = _package_format(archive, path)
        media = _media_files(archive, package_format, path)
        member = f"collection.{package_format}"
        what = f"the collection in '{path}'"
        work = Path(tempfile.mkdtemp(prefix="leadcards-import-"))
        try:
            db = work / "collection.db"
            _unpack_collection(archive, member, db, package_format, what)
            return read_collection(db, what, str(path), package_format, media)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def list_media(path: Path) -> tuple[AnkiMediaFile, ...]:
    """The media files a package holds, without reading its collection."""
    with _open_zip(path) as archive:
        return _media_files(archive, _package_format(archive, path), path)


def extract_media(path: Path, dest: Path, names: Iterable[str] | None = None) -> MediaExtraction:
    """Write the package's media files named in ``names`` (all when None) into
    ``dest``, made if missing. A name the package lacks, or whose file cannot be
    written safely, is skipped with the reason; nothing is written outside ``dest``."""
    with _open_zip(path) as archive:
        package_format = _package_format(archive, path)
        files = _media_files(archive, package_format, path)
        skipped: list[tuple[str, str]] = []
        if names is not None:
            wanted = list(dict.fromkeys(names))
            by_name = {media.name: media for media in files}
            skipped = [(name, "not in the package") for name in wanted if name not in by_name]
            files = tuple(by_name[name] for name in wanted if name in by_name)
        try:
            dest.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PackageError(f"cannot make the media folder '{dest}': {error}") from None
        done = anki_media.extract(
            archive,
            files,
            dest,
            compressed=package_format == "anki21b",
            limit=MAX_MEDIA_FILE_BYTES,
            package=str(path),
        )
    return MediaExtraction(done.written, tuple(skipped) + done.skipped)


@contextmanager
def _open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """The package as an open zip; one sentence when it is not a readable zip file."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise PackageError(f"'{path}' does not exist") from None
    except OSError as error:
        raise PackageError(f"cannot read '{path}': {error.strerror or error}") from None
    if not stat.S_ISREG(mode):
        raise PackageError(f"'{path}' is not a file")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise PackageError(
            f"'{path}' is not an Anki package (.apkg or .colpkg): it is not a zip file"
        ) from None
    except OSError as error:
        raise PackageError(f"cannot read '{path}': {error.strerror or error}") from None
    with archive:
        yield archive


def _read_member(archive: zipfile.ZipFile, name: str, limit: int, path: Path) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise too_large(f"'{name}' in '{path}'", limit)
    try:
        with archive.open(info) as member:  # zipfile reads no more than the size given
            return member.read()
    except (*_ZIP_ERRORS, OSError) as error:
        raise PackageError(f"'{name}' in '{path}' is damaged: {error}") from None


def _package_format(archive: zipfile.ZipFile, path: Path) -> PackageFormat:
    names = set(archive.namelist())
    if "meta" in names:
        try:
            version = wire.last_int(_read_member(archive, "meta", 1 << 16, path), 1)
        except wire.WireError:
            raise PackageError(f"the `meta` member of '{path}' is damaged") from None
        if version not in _VERSIONS:
            raise PackageError(
                f"'{path}' was made by a newer Anki (package version {version}; leadcards "
                f"reads up to {NEWEST_PACKAGE_VERSION}): export it again with 'Support "
                "older Anki versions' ticked"
            )
        package_format = _VERSIONS[version]
    else:
        package_format = "anki21" if "collection.anki21" in names else "anki2"
    if f"collection.{package_format}" not in names:
        raise PackageError(
            f"'{path}' holds no Anki collection (no collection.{package_format} in it)"
        )
    return package_format


def _media_files(
    archive: zipfile.ZipFile, package_format: PackageFormat, path: Path
) -> tuple[AnkiMediaFile, ...]:
    """The media list; a package without a `media` member has no media."""
    if "media" not in archive.namelist():
        return ()
    data = _read_member(archive, "media", MAX_MEDIA_LIST_BYTES, path)
    legacy = package_format != "anki21b"
    what = f"the media list of '{path}'"
    if not legacy:
        data = decompress_bytes(data, limit=MAX_MEDIA_LIST_BYTES, what=what)
    sizes = {info.filename: info.file_size for info in archive.infolist()}
    try:
        return anki_media.media_list(data, legacy=legacy, sizes=sizes)
    except ValueError as error:  # JSON, protobuf and UTF-8 errors are ValueErrors
        raise PackageError(f"{what} is damaged: {error}") from None


def _unpack_collection(
    archive: zipfile.ZipFile, member: str, db: Path, package_format: PackageFormat, what: str
) -> None:
    info = archive.getinfo(member)
    if package_format != "anki21b" and info.file_size > MAX_COLLECTION_BYTES:
        raise too_large(what, MAX_COLLECTION_BYTES)
    try:
        with archive.open(info) as source, db.open("wb") as target:
            if package_format == "anki21b":
                decompress_stream(source, target, limit=MAX_COLLECTION_BYTES, what=what)
            else:
                copy_capped(source, target, limit=MAX_COLLECTION_BYTES, what=what)
    except _ZIP_ERRORS as error:
        raise PackageError(f"{what} is damaged: {error}") from None
    except OSError as error:
        raise PackageError(
            f"cannot unpack {what} into the temporary folder: {error.strerror or error}"
        ) from None
