"""Reading Anki packages: every generation Anki writes, made by the real ``anki``
library (``anki_packages.py``), read back without it; and every kind of bad package,
each one clear sentence that leaves no temporary file behind."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from leadcards.errors import LeadcardsError, PackageError
from leadcards.importing import anki_package, protobuf_wire
from leadcards.importing.anki_media import name_problem
from leadcards.importing.anki_package import extract_media, list_media, read_package
from leadcards.importing.anki_records import AnkiCollection

from . import anki_packages as built
from .anki_packages import AnkiPackages, rewrite_zip

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
DUMMY_TEXT = "Please update to the latest Anki version, then import the .colpkg/.apkg file again."
GENERATIONS = ("latest", "legacy2", "legacy1", "colpkg", "colpkg_legacy")
FORMATS = {
    "latest": ("anki21b", 18),
    "legacy2": ("anki21", 11),
    "legacy1": ("anki2", 11),
    "colpkg": ("anki21b", 18),
    "colpkg_legacy": ("anki21", 11),
}
PACKAGE_NOTETYPES = {
    "Basic",
    "Basic (and reversed card)",
    "Basic (optional reversed card)",
    "Cloze",
    "Triple",
}


def zstd_module():  # type: ignore[no-untyped-def]
    if sys.version_info >= (3, 14):
        from compression import zstd
    else:
        from backports import zstd
    return zstd


@pytest.fixture(autouse=True)
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every temporary file goes here, and must be gone when a test ends."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert os.listdir(folder) == []


def package(packages: AnkiPackages, generation: str) -> Path:
    return getattr(packages, generation)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def collections(anki_packages: AnkiPackages) -> dict[str, AnkiCollection]:
    return {g: read_package(package(anki_packages, g)) for g in GENERATIONS}


def fail(path: Path) -> str:
    """The one line reading ``path`` fails with."""
    with pytest.raises(PackageError) as raised:
        read_package(path)
    message = str(raised.value)
    assert "\n" not in message
    assert isinstance(raised.value, LeadcardsError)
    return message


# The builder makes what it says ---------------------------------------------------------


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_each_package_has_the_layout_of_its_generation(anki_packages: AnkiPackages) -> None:
    numbered = {"0", "1", "media"}
    latest = members(anki_packages.latest)
    assert set(latest) == {"meta", "collection.anki21b", "collection.anki2"} | numbered
    assert latest["meta"] == b"\x08\x03"
    for name in ("collection.anki21b", "media", "0", "1"):
        assert latest[name].startswith(ZSTD_MAGIC), name

    legacy2 = members(anki_packages.legacy2)
    assert set(legacy2) == {"meta", "collection.anki21", "collection.anki2"} | numbered
    assert legacy2["meta"] == b"\x08\x02"
    media_map = json.loads(legacy2["media"])  # its order varies from run to run
    assert sorted(media_map) == ["0", "1"]
    assert {name: legacy2[entry] for entry, name in media_map.items()} == built.MEDIA

    legacy1 = members(anki_packages.legacy1)
    assert set(legacy1) == {"collection.anki2"} | numbered
    assert legacy1["collection.anki2"] == legacy2["collection.anki21"]

    colpkg = members(anki_packages.colpkg)
    assert set(colpkg) == {"meta", "collection.anki21b", "collection.anki2"} | numbered
    assert colpkg["meta"] == b"\x08\x03"
    colpkg_legacy = members(anki_packages.colpkg_legacy)
    assert set(colpkg_legacy) == {"meta", "collection.anki21", "collection.anki2"} | numbered
    assert colpkg_legacy["meta"] == b"\x08\x02"


def test_the_dummy_collection_of_new_packages_holds_one_note_asking_to_update(
    anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    dummy = tmp_path / "dummy.anki2"
    dummy.write_bytes(members(anki_packages.latest)["collection.anki2"])
    with closing(sqlite3.connect(dummy)) as con:
        assert con.execute("SELECT flds FROM notes").fetchall() == [(DUMMY_TEXT + "\x1f",)]


# What is read ----------------------------------------------------------------------------


@pytest.mark.parametrize("generation", GENERATIONS)
def test_format_and_schema_come_from_meta(
    collections: dict[str, AnkiCollection], generation: str
) -> None:
    col = collections[generation]
    assert (col.format, col.schema) == FORMATS[generation]
    assert col.created > 1_700_000_000


@pytest.mark.parametrize("generation", GENERATIONS)
def test_notes_keep_their_fields_html_and_tags(
    collections: dict[str, AnkiCollection], generation: str
) -> None:
    col = collections[generation]
    assert [note.fields for note in col.notes] == [
        (built.BASIC_FRONT, built.BASIC_BACK),
        built.REVERSED,
        built.OPTIONAL_ON,
        built.OPTIONAL_OFF,
        (built.CLOZE_TEXT, built.CLOZE_EXTRA),
        built.TRIPLE_FIELDS,
    ]
    assert col.notes[0].fields == (
        "<b>Leaders</b> &amp; managers<br>differ in <i>focus</i>",
        'People vs systems <img src="pic.png">',
    )
    assert [note.tags for note in col.notes] == [
        ("leadership", "Topic::Styles"),
        (),
        (),
        (),
        ("cloze-tag",),
        (),
    ]
    assert all(note.guid for note in col.notes)  # random: only there and unique
    assert len({note.guid for note in col.notes}) == 6
    assert all(note.modified > 1_700_000_000 for note in col.notes)
    assert not any(DUMMY_TEXT in note.fields[0] for note in col.notes)


@pytest.mark.parametrize("generation", GENERATIONS)
def test_note_types_their_kind_fields_and_templates(
    collections: dict[str, AnkiCollection], generation: str
) -> None:
    col = collections[generation]
    by_name = {t.name: t for t in col.notetypes.values()}
    expected = set(PACKAGE_NOTETYPES)
    if generation.startswith("colpkg"):  # the whole collection: unused stock types too
        expected |= {"Basic (type in the answer)", "Image Occlusion"}
    assert set(by_name) == expected
    assert {name for name, t in by_name.items() if t.cloze} == expected & {
        "Cloze",
        "Image Occlusion",
    }
    assert by_name["Cloze"].fields == ("Text", "Back Extra")
    assert by_name["Basic (optional reversed card)"].fields == ("Front", "Back", "Add Reverse")
    assert by_name["Triple"].fields == ("Term", "Meaning", "Example")
    (template,) = by_name["Triple"].templates
    assert (template.name, template.ordinal, template.question, template.answer) == (
        "Card 1",
        0,
        "{{Term}}",
        "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Example}}",
    )
    reverse = by_name["Basic (optional reversed card)"].templates
    assert [(t.name, t.ordinal) for t in reverse] == [("Card 1", 0), ("Card 2", 1)]
    assert reverse[1].question == "{{#Add Reverse}}{{Back}}{{/Add Reverse}}"
    assert reverse[1].answer == "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}"
    (cloze,) = by_name["Cloze"].templates
    assert cloze.question == "{{cloze:Text}}"
    assert [col.notetypes[n.notetype_id].name for n in col.notes] == [
        "Basic",
        "Basic (and reversed card)",
        "Basic (optional reversed card)",
        "Basic (optional reversed card)",
        "Cloze",
        "Triple",
    ]


@pytest.mark.parametrize("generation", GENERATIONS)
def test_decks_with_subdecks_joined_by_colons_and_the_filtered_one_marked(
    collections: dict[str, AnkiCollection], generation: str
) -> None:
    col = collections[generation]
    names = {deck.name: deck for deck in col.decks.values()}
    assert set(names) == {"Default", "Parent", "Parent::Child", "Cram"}
    assert [name for name, deck in names.items() if deck.filtered] == ["Cram"]
    assert names["Default"].id == 1
    assert all(deck.id == key for key, deck in col.decks.items())


@pytest.mark.parametrize("generation", GENERATIONS)
def test_cards_their_decks_and_states(
    collections: dict[str, AnkiCollection], generation: str
) -> None:
    col = collections[generation]
    assert len(col.cards) == built.CARD_COUNT
    note_type = {n.id: col.notetypes[n.notetype_id].name for n in col.notes}
    assert Counter(note_type[c.note_id] for c in col.cards) == {
        "Basic": 1,
        "Basic (and reversed card)": 2,
        "Basic (optional reversed card)": 3,
        "Cloze": 2,
        "Triple": 1,
    }
    deck = {d.id: d.name for d in col.decks.values()}
    first_field = {n.id: n.fields[0] for n in col.notes}
    state = {
        (first_field[c.note_id][:12], c.ordinal): (
            deck[c.deck_id],
            deck.get(c.original_deck_id),
            c.type,
            c.queue,
            c.reps,
            c.lapses,
        )
        for c in col.cards
    }
    assert state == {
        ("<b>Leaders</", 0): ("Parent::Child", None, 2, 2, 2, 0),
        ("Vision", 0): ("Parent", None, 0, 0, 0, 0),
        ("Vision", 1): ("Parent", None, 0, -1, 0, 0),  # suspended
        ("Span of cont", 0): ("Parent", None, 0, -3, 0, 0),  # buried by hand
        ("Span of cont", 1): ("Parent", None, 0, -2, 0, 0),  # buried as a sibling
        ("Delegation", 0): ("Parent", None, 0, 0, 0, 0),
        ("{{c1::Leader", 0): ("Default", None, 1, 1, 2, 0),
        ("{{c1::Leader", 1): ("Default", None, 0, 0, 0, 0),
        ("PDSA", 0): ("Cram", "Default", 1, 1, 1, 0),  # in the filtered deck
    }
    review = next(c for c in col.cards if c.type == 2)
    assert review.ease_factor == 2500
    assert review.interval > 4  # Easy, then Good on the day it was set due (fuzzed)
    assert 0 <= review.due < 60  # a day number counted from col.crt
    learning = next(
        c for c in col.cards if first_field[c.note_id] == built.CLOZE_TEXT and c.ordinal == 0
    )
    assert learning.due > col.created  # learning cards are due at an epoch second


@pytest.mark.parametrize("generation", GENERATIONS)
def test_the_review_log(collections: dict[str, AnkiCollection], generation: str) -> None:
    col = collections[generation]
    assert len(col.revlog) == 6
    assert [r.id for r in col.revlog] == sorted(r.id for r in col.revlog)
    cards = {c.id: c for c in col.cards}
    first_field = {n.id: n.fields[0] for n in col.notes}
    history: dict[str, list[tuple[int, int]]] = {}
    for review in col.revlog:
        text = first_field[cards[review.card_id].note_id][:4]
        history.setdefault(text, []).append((review.ease, review.kind))
    assert history == {
        "<b>L": [(4, 0), (0, 4), (3, 1)],  # Easy (learning), due date set (manual), Good
        "{{c1": [(1, 0), (3, 0)],
        "PDSA": [(3, 0)],
    }
    cloze = [r for r in col.revlog if first_field[cards[r.card_id].note_id][:4] == "{{c1"]
    # Again, then Good: the default learning steps of 1 and 10 minutes, in seconds < 0.
    assert [(r.interval, r.last_interval) for r in cloze] == [(-60, 0), (-600, -60)]
    assert all(r.time_ms >= 0 for r in col.revlog)


@pytest.mark.parametrize("generation", GENERATIONS)
def test_media_are_listed_and_extracted_byte_for_byte(
    anki_packages: AnkiPackages,
    collections: dict[str, AnkiCollection],
    generation: str,
    tmp_path: Path,
) -> None:
    path = package(anki_packages, generation)
    listed = {m.name: m for m in collections[generation].media}
    assert set(listed) == set(built.MEDIA)
    assert {name: m.size for name, m in listed.items()} == {"pic.png": 28, "chart café.svg": 6}
    assert all(m.problem is None for m in listed.values())
    assert list_media(path) == collections[generation].media

    dest = tmp_path / "media"
    done = extract_media(path, dest)
    assert sorted(done.written) == ["chart café.svg", "pic.png"]
    assert done.skipped == ()
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == built.MEDIA


def test_extracting_again_is_quiet_and_a_different_file_is_kept(
    anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    dest = tmp_path / "media"
    extract_media(anki_packages.latest, dest)
    (dest / "chart café.svg").write_bytes(b"mine")
    done = extract_media(anki_packages.latest, dest, ["pic.png", "chart café.svg", "gone.mp3"])
    assert done.written == ("pic.png",)
    assert done.skipped == (
        ("gone.mp3", "not in the package"),
        ("chart café.svg", "a different file of that name is already there"),
    )
    assert (dest / "chart café.svg").read_bytes() == b"mine"
    assert sorted(os.listdir(dest)) == ["chart café.svg", "pic.png"]


def test_a_symlink_in_the_media_folder_is_never_followed(
    anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    dest = tmp_path / "media"
    dest.mkdir()
    outside = tmp_path / "outside.png"
    (dest / "pic.png").symlink_to(outside)
    done = extract_media(anki_packages.legacy2, dest, ["pic.png"])
    assert done.skipped == (("pic.png", "something other than a file has that name"),)
    assert not outside.exists()


# Which collection counts ----------------------------------------------------------------


def test_meta_decides_even_when_the_dummy_collection_is_there(
    anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    no_latest = rewrite_zip(anki_packages.latest, tmp_path / "x.apkg", {"collection.anki21b": None})
    assert (
        fail(no_latest) == f"'{no_latest}' holds no Anki collection (no collection.anki21b in it)"
    )


def test_without_meta_anki21_wins_over_anki2(anki_packages: AnkiPackages, tmp_path: Path) -> None:
    path = rewrite_zip(anki_packages.legacy2, tmp_path / "x.apkg", {"meta": None})
    col = read_package(path)
    assert (col.format, len(col.notes)) == ("anki21", 6)


# Bad packages: one sentence each ---------------------------------------------------------


def test_a_missing_file_a_folder_and_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    assert fail(tmp_path / "nope.apkg") == f"'{tmp_path / 'nope.apkg'}' does not exist"
    assert fail(tmp_path) == f"'{tmp_path}' is not a file"
    text = tmp_path / "deck.apkg"
    text.write_text("front,back\n")
    assert fail(text) == f"'{text}' is not an Anki package (.apkg or .colpkg): it is not a zip file"


def test_a_zip_without_a_collection(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("media", "{}")
        archive.writestr("0", b"x")
    assert fail(path) == f"'{path}' holds no Anki collection (no collection.anki2 in it)"


def test_a_collection_that_is_not_a_database(anki_packages: AnkiPackages, tmp_path: Path) -> None:
    path = rewrite_zip(
        anki_packages.legacy2, tmp_path / "x.apkg", {"collection.anki21": b"\x00garbage" * 512}
    )
    assert fail(path) == f"the collection in '{path}' is damaged: file is not a database"


def test_a_collection_without_its_tables(anki_packages: AnkiPackages, tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    with closing(sqlite3.connect(db)) as con:
        con.execute("CREATE TABLE col (ver, crt, models, decks)")
        con.execute("INSERT INTO col VALUES (11, 0, '{}', '{}')")
        con.commit()
    path = rewrite_zip(
        anki_packages.legacy2, tmp_path / "x.apkg", {"collection.anki21": db.read_bytes()}
    )
    assert fail(path) == f"the collection in '{path}' is damaged: no such table: notes"


def test_a_truncated_zstd_collection(anki_packages: AnkiPackages, tmp_path: Path) -> None:
    whole = members(anki_packages.latest)["collection.anki21b"]
    path = rewrite_zip(
        anki_packages.latest, tmp_path / "x.apkg", {"collection.anki21b": whole[: len(whole) // 2]}
    )
    assert fail(path) == (
        f"the collection in '{path}' is cut short (its compressed data ends early); "
        "export or download the package again"
    )


def test_a_collection_that_is_not_zstd(anki_packages: AnkiPackages, tmp_path: Path) -> None:
    path = rewrite_zip(anki_packages.latest, tmp_path / "x.apkg", {"collection.anki21b": b"plain"})
    assert fail(path).startswith(f"the collection in '{path}' is damaged: ")


@pytest.mark.parametrize("meta", [b"\x08\x63", b"", b"\x08\x04"])
def test_a_package_from_a_newer_anki(
    anki_packages: AnkiPackages, tmp_path: Path, meta: bytes
) -> None:
    path = rewrite_zip(anki_packages.latest, tmp_path / "x.apkg", {"meta": meta})
    version = protobuf_wire.last_int(meta, 1)
    assert fail(path) == (
        f"'{path}' was made by a newer Anki (package version {version}; leadcards reads up "
        "to 3): export it again with 'Support older Anki versions' ticked"
    )


def test_a_meta_that_is_not_protobuf(anki_packages: AnkiPackages, tmp_path: Path) -> None:
    path = rewrite_zip(anki_packages.latest, tmp_path / "x.apkg", {"meta": b"\x08"})
    assert fail(path) == f"the `meta` member of '{path}' is damaged"


def test_a_collection_of_a_newer_schema(anki_packages: AnkiPackages, tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    db.write_bytes(members(anki_packages.legacy2)["collection.anki21"])
    with closing(sqlite3.connect(db)) as con:
        con.execute("UPDATE col SET ver = 99")
        con.commit()
    path = rewrite_zip(
        anki_packages.legacy2, tmp_path / "x.apkg", {"collection.anki21": db.read_bytes()}
    )
    assert fail(path) == (
        f"'{path}' was made by a newer Anki (collection schema 99; leadcards reads up to "
        "18): export it again with 'Support older Anki versions' ticked"
    )


def test_a_collection_past_the_cap_is_refused_as_it_unpacks(
    anki_packages: AnkiPackages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anki_package, "MAX_COLLECTION_BYTES", 64 << 10)
    for generation in ("latest", "legacy2"):
        path = package(anki_packages, generation)
        assert fail(path) == (
            f"the collection in '{path}' unpacks to more than 64 KB; "
            "refusing it (a damaged or hostile package?)"
        )


def test_reading_writes_nothing_beside_the_package(
    anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    folder = anki_packages.latest.parent
    before = sorted(p.name for p in folder.iterdir())
    for generation in GENERATIONS:
        read_package(package(anki_packages, generation))
    assert sorted(p.name for p in folder.iterdir()) == before


# Unsafe media names ----------------------------------------------------------------------


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        out.append(value & 0x7F | (0x80 if value > 0x7F else 0))
        value >>= 7
        if not value:
            return bytes(out)


def field(number: int, value: bytes | int) -> bytes:
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    return varint(number << 3 | 2) + varint(len(value)) + value


def test_unsafe_media_names_are_listed_and_never_written(
    anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    legacy = rewrite_zip(
        anki_packages.legacy2,
        tmp_path / "legacy.apkg",
        {"media": json.dumps({"0": "../evil.png", "1": "chart café.svg"}).encode()},
    )
    entries = field(1, field(1, b"../evil.png") + field(2, 28)) + field(
        1, field(1, "chart café.svg".encode()) + field(2, 6)
    )
    latest = rewrite_zip(
        anki_packages.latest,
        tmp_path / "latest.apkg",
        {"media": zstd_module().compress(entries)},
    )
    for path in (legacy, latest):
        listed = list_media(path)
        assert [(m.name, m.entry, m.problem) for m in listed] == [
            ("../evil.png", "0", "has a path separator"),
            ("chart café.svg", "1", None),
        ]
        dest = tmp_path / f"media-{path.stem}"
        done = extract_media(path, dest)
        assert done.written == ("chart café.svg",)
        assert done.skipped == (("../evil.png", "unsafe name: has a path separator"),)
        assert os.listdir(dest) == ["chart café.svg"]
        assert not (tmp_path / "evil.png").exists()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("..", "not a file name"),
        ("", "not a file name"),
        ("/etc/passwd", "has a path separator"),
        ("a\\b.png", "has a path separator"),
        ("C:evil.png", "has the character ':'"),
        ("bell\x07.mp3", "has the character '\\x07'"),
        ("line\nbreak.png", "has the character '\\n'"),
        ("trailing.", "ends in a dot or a space"),
        ("NUL.txt", "is the name of a Windows device"),
        ("é" * 128, "is longer than 255 bytes"),
        ("chart café.svg", None),
        ("..hidden-ish.png", None),
    ],
)
def test_media_name_rules(name: str, problem: str | None) -> None:
    assert name_problem(name) == problem


# Odds and ends ---------------------------------------------------------------------------


def test_the_wire_reader_on_hand_made_bytes() -> None:
    message = b"\x08\x96\x01" + b"\x12\x07testing" + b"\x08\x05" + b"\x1d\x01\x00\x00\x00"
    assert list(protobuf_wire.fields(message)) == [
        (1, 150),
        (2, b"testing"),
        (1, 5),
        (3, 1),
    ]
    assert protobuf_wire.last_int(message, 1) == 5
    assert protobuf_wire.last_bytes(message, 2) == b"testing"
    assert protobuf_wire.last_bytes(message, 9) is None
    assert protobuf_wire.has_field(message, 3) and not protobuf_wire.has_field(message, 4)
    for broken in (b"\x08", b"\x12\x07test", b"\x0b", b"\x08" + b"\xff" * 11):
        with pytest.raises(protobuf_wire.WireError):
            list(protobuf_wire.fields(broken))


def test_zstd_is_imported_only_for_a_package_that_needs_it(anki_packages: AnkiPackages) -> None:
    code = (
        "import sys; from pathlib import Path\n"
        "from leadcards.importing.anki_package import read_package\n"
        "zstd = lambda: sorted(m for m in sys.modules if m.endswith('zstd'))\n"
        "print(zstd()); read_package(Path(sys.argv[1])); print(zstd())\n"
        "read_package(Path(sys.argv[2])); print(zstd())\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(anki_packages.legacy2), str(anki_packages.latest)],
        capture_output=True,
        text=True,
        check=True,
    )
    before, after_legacy, after_latest = run.stdout.splitlines()
    assert before == after_legacy == "[]"
    assert "'backports.zstd'" in after_latest or "'compression.zstd'" in after_latest


def test_a_damaged_media_file_is_skipped_and_the_rest_extracted(
    anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    files = members(anki_packages.latest)
    listed = {m.name: m.entry for m in list_media(anki_packages.latest)}
    pic = listed["pic.png"]
    path = rewrite_zip(anki_packages.latest, tmp_path / "x.apkg", {pic: files[pic][:-4]})
    dest = tmp_path / "media"
    done = extract_media(path, dest)
    assert done.written == ("chart café.svg",)
    assert done.skipped == (
        (
            "pic.png",
            f"media file 'pic.png' in '{path}' is cut short (its compressed data ends "
            "early); export or download the package again",
        ),
    )
    assert os.listdir(dest) == ["chart café.svg"]


def encrypted(path: Path, member: str) -> Path:
    """The package with ``member`` marked encrypted, as a password-protected zip has it."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.find(signature)
        while at >= 0 and data[at + name_at : at + name_at + len(name)] != name:
            at = data.find(signature, at + 1)
        data[at + flag_at] |= 1
    out = path.with_name("encrypted.apkg")
    out.write_bytes(bytes(data))
    return out


def test_an_encrypted_collection(anki_packages: AnkiPackages, tmp_path: Path) -> None:
    path = encrypted(
        rewrite_zip(anki_packages.legacy1, tmp_path / "x.apkg", {}), "collection.anki2"
    )
    assert fail(path).startswith(f"the collection in '{path}' is damaged: File ")
    assert fail(path).endswith("is encrypted, password required for extraction")
