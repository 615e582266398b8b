"""A note's ``guid:``: read and checked at load, stored, and used by every export, so a
note that came from Anki goes back to the same Anki note."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck.load import load_deck, parse_deck
from leadcards.deck.packed import pack_note, unpack_note
from leadcards.errors import DeckError
from leadcards.export import apkg
from leadcards.export.anki_text import write_csv
from leadcards.export.output import ExportError

from .test_sync import forbid_parsing

runner = CliRunner()

# An Anki GUID as Anki makes them (base 91: punctuation a YAML plain scalar would trip on).
ANKI_GUID = "O&_Kv4w;q#"

DECK = f"""\
id: from-anki
name: From Anki
cards:
  - id: capital
    guid: "{ANKI_GUID}"
    front: Capital of France?
    back: Paris
  - id: own
    front: A note of leadcards' own
    back: Its GUID comes from its key
  - type: cloze
    id: gap
    guid: "1234567890"
    text: "The {{{{c1::heart}}}} pumps"
"""


def problems(text: str, tmp_path: Path) -> list[str]:
    with pytest.raises(DeckError) as info:
        parse_deck(text, tmp_path / "d.yaml")
    return [f"{p.line}:{p.column}: {p.message}" for p in info.value.problems]


def card(guid_line: str, note_id: str = "n") -> str:
    return f"  - id: {note_id}\n    {guid_line}\n    front: F {note_id}\n    back: B\n"


# --- loading ---------------------------------------------------------------------------


def test_a_guid_is_read_and_a_note_without_one_has_none(tmp_path: Path) -> None:
    deck = parse_deck(DECK, tmp_path / "d.yaml")
    assert [(note.id, note.guid) for note in deck.notes] == [
        ("capital", "O&_Kv4w;q#"),
        ("own", ""),
        ("gap", "1234567890"),  # a plain number in YAML is text like any other
    ]


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ('guid: ""', "5:11: guid must not be empty"),
        ("guid:", "5:10: guid must be text, got nothing"),
        ("guid: [a]", "5:11: guid must be text, got a list"),
        ("guid: true", "5:11: guid must be text, got true/false (put it in quotes)"),
        (
            'guid: "two words"',
            "5:11: guid must not contain whitespace or invisible characters: it has U+0020",
        ),
        (
            'guid: "a\\tb"',
            "5:11: guid must not contain whitespace or invisible characters: it has U+0009",
        ),
        (
            'guid: "a\\u200bb"',
            "5:11: guid must not contain whitespace or invisible characters: it has U+200B",
        ),
        (
            'guid: "a\\e[0m"',
            "5:11: guid must not contain control characters: it has the control character U+001B",
        ),
        (
            'guid: "a\\x9b"',
            "5:11: guid must not contain control characters: it has a control character",
        ),
        ("guid: " + "x" * 65, "5:11: guid is 65 characters long; at most 64 are allowed"),
    ],
)
def test_a_wrong_guid_is_one_located_problem(line: str, where: str, tmp_path: Path) -> None:
    text = "id: d\nname: D\ncards:\n" + card(line) + card('guid: "fine"', "m")
    assert problems(text, tmp_path) == [where]


def test_sixty_four_characters_and_anki_punctuation_are_a_guid(tmp_path: Path) -> None:
    long = "x" * 64
    odd = "!#$%&()*+,-./:;<=>?@[]^_`{|}~é"
    text = "id: d\nname: D\ncards:\n" + card(f'guid: "{long}"') + card(f"guid: '{odd}'", "m")
    assert [n.guid for n in parse_deck(text, tmp_path / "d.yaml").notes] == [long, odd]


def test_two_notes_with_one_guid_are_refused(tmp_path: Path) -> None:
    text = "id: d\nname: D\ncards:\n" + card("guid: same", "a") + card("guid: same", "b")
    assert problems(text, tmp_path) == [
        "8:1: duplicate guid 'same' (also at line 4); two notes with one guid would be one "
        "note in Anki"
    ]


def test_a_guid_equal_to_the_one_another_note_gets_from_its_id_is_refused(
    tmp_path: Path,
) -> None:
    # lc1c3D5axCyNxyzmAbh is the GUID of note 'a' of deck 'lvm' (pinned in test_pinned).
    text = (
        "id: lvm\nname: D\ncards:\n"
        + card("guid: lc1c3D5axCyNxyzmAbh", "b")
        + "  - id: a\n    front: A\n    back: B\n"
    )
    assert problems(text, tmp_path) == [
        "4:1: guid 'lc1c3D5axCyNxyzmAbh' is the one the note 'a' (line 8) gets from its id; "
        "give it another"
    ]
    # The note that has that id may take it itself: it is its own GUID then.
    mine = "id: lvm\nname: D\ncards:\n" + card("guid: lc1c3D5axCyNxyzmAbh", "a")
    assert parse_deck(mine, tmp_path / "d.yaml").notes[0].guid == "lc1c3D5axCyNxyzmAbh"


def test_check_reports_a_wrong_guid(write_deck: Any) -> None:
    path = write_deck("id: d\nname: D\ncards:\n" + card('guid: "a b"'))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:5:11: guid must not contain whitespace or invisible characters: it has U+0020\n"
    )


# --- stored ------------------------------------------------------------------------------


def test_the_stored_form_gains_a_trailing_guid_only_when_there_is_one(tmp_path: Path) -> None:
    deck = parse_deck(DECK, tmp_path / "d.yaml")
    capital, own, _ = deck.notes
    assert pack_note(capital) == (
        '["basic",4,[],{"front":"Capital of France?","back":"Paris"},'
        '[["front","Capital of France?","Paris"]],"O&_Kv4w;q#"]'
    )
    assert pack_note(own) == (
        '["basic",8,[],{"front":"A note of leadcards\' own","back":"Its GUID comes from its key"},'
        '[["front","A note of leadcards\' own","Its GUID comes from its key"]]]'
    )
    for note in deck.notes:
        assert unpack_note(deck.id, note.id, pack_note(note)) == note
    # Text an older version stored (no trailing value) reads as a note without one.
    old = '["basic",8,[],{"front":"F","back":"B"},[["front","F","B"]]]'
    assert unpack_note("d", "n", old).guid == ""


def test_an_export_reads_the_guid_back_from_the_store(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (isolated_home / "decks").mkdir(parents=True)
    (isolated_home / "decks" / "from-anki.yaml").write_text(DECK, encoding="utf-8")
    assert runner.invoke(app, ["status"]).exit_code == 0  # synced: its text is stored
    forbid_parsing(monkeypatch)
    out = tmp_path / "out.txt"
    exported = runner.invoke(app, ["export", "csv", "from-anki", "-o", str(out)])
    assert exported.exit_code == 0, exported.stderr
    body = out.read_text(encoding="utf-8").split("\n", 6)[6]
    guids = [row[2] for row in csv.reader(io.StringIO(body), delimiter="\t")]
    assert guids == [ANKI_GUID, "lc4ncglmPBH2VsAmWc", "1234567890"]


# --- exported ----------------------------------------------------------------------------


def test_the_text_export_puts_the_guid_in_its_column(tmp_path: Path) -> None:
    deck = parse_deck(DECK, tmp_path / "d.yaml")
    out = tmp_path / "d.txt"
    write_csv([deck], out)
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[4] == "#guid column:3"
    rows = list(csv.reader(io.StringIO("\n".join(lines[6:])), delimiter="\t"))
    assert [row[:3] for row in rows] == [
        ["leadcards Basic", "From Anki", ANKI_GUID],
        ["leadcards Basic", "From Anki", "lc4ncglmPBH2VsAmWc"],
        ["leadcards Cloze", "From Anki", "1234567890"],
    ]


def test_an_export_of_two_decks_giving_one_guid_is_refused(tmp_path: Path, write_deck: Any) -> None:
    one = write_deck("id: one\nname: One\ncards:\n" + card("guid: shared", "a"), "one.yaml")
    two = write_deck("id: two\nname: Two\ncards:\n" + card("guid: shared", "b"), "two.yaml")
    decks = [load_deck(one), load_deck(two)]
    out = tmp_path / "both.apkg"
    with pytest.raises(ExportError) as info:
        apkg.write_apkg(decks, out)
    assert str(info.value) == (
        f"{two}:4: note 'b' has the guid 'shared' of note 'a' ({one}:4); "
        "Anki would make them one note"
    )
    assert not out.exists()
    checked = runner.invoke(app, ["check", str(one), str(two)])
    assert checked.exit_code == 1
    assert checked.stderr == (
        f"{two}:4:1: note 'b' has the guid 'shared' of note 'a' ({one}:4); "
        "Anki would make them one note\n"
    )


def _collection(tmp_path: Path) -> Any:
    """A fresh Anki collection (the official ``anki`` package: a test extra)."""
    collection = pytest.importorskip("anki.collection")
    folder = tmp_path / "profile"
    folder.mkdir()
    return collection.Collection(str(folder / "collection.anki2"))


def _import(col: Any, path: Path) -> Any:
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def _notes(col: Any) -> dict[str, tuple[str, list[str]]]:
    return {
        note.guid: (note.note_type()["name"], note.fields)
        for note in (col.get_note(nid) for nid in col.find_notes(""))
    }


def test_anki_gets_the_guid_and_a_later_export_updates_that_note(
    tmp_path: Path, write_deck: Any
) -> None:
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    apkg.write_apkg([load_deck(write_deck(DECK))], first, mtime=time.time() - 60)
    edited = DECK.replace("back: Paris", "back: Paris, on the Seine")
    apkg.write_apkg([load_deck(write_deck(edited, "edited.yaml"))], second)

    col = _collection(tmp_path)
    try:
        log = _import(col, first)
        assert len(log.new) == 3
        assert _notes(col)[ANKI_GUID] == ("leadcards Basic", ["Capital of France?", "Paris", ""])
        assert _notes(col)["1234567890"][0] == "leadcards Cloze"
        log = _import(col, second)
        assert (len(log.new), len(log.updated), len(log.duplicate)) == (
            0,
            3,
            0,
        )  # Anki counts every newer note
        assert col.note_count() == 3
        assert _notes(col)[ANKI_GUID] == (
            "leadcards Basic",
            ["Capital of France?", "Paris, on the Seine", ""],
        )
    finally:
        col.close()


def test_a_note_anki_made_itself_is_found_by_its_guid_and_never_duplicated(
    tmp_path: Path, write_deck: Any
) -> None:
    """Anki's own Basic note type is not leadcards Basic: Anki finds the note by its
    GUID and reports a conflict instead of updating it, but makes no second copy."""
    col = _collection(tmp_path)
    try:
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "Capital of France?", "Paris"
        col.add_note(note, col.decks.id_for_name("Default"))
        deck = "id: d\nname: D\ncards:\n" + card(f"guid: '{note.guid}'", "capital")
        out = tmp_path / "d.apkg"
        apkg.write_apkg([load_deck(write_deck(deck))], out)
        log = _import(col, out)
        assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 0, 1)
        assert col.note_count() == 1
    finally:
        col.close()


def test_history_finds_the_anki_note_by_the_guid_the_deck_gives(tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from leadcards.export.apkg_history import write_apkg_with_history
    from leadcards.export.records import CardSchedule, ReviewRecord

    deck = parse_deck(DECK, tmp_path / "d.yaml")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    answered = now - timedelta(days=3)
    review = ReviewRecord("r1", answered, 3, 4000, "new", timedelta(days=5), timedelta(0), 5.0, 5.0)
    key = "from-anki:capital:front"
    schedule = CardSchedule(
        key, "review", answered + timedelta(days=5), 5.0, 5.0, answered, 1, 0, False, (review,)
    )
    out = tmp_path / "history.apkg"
    summary = write_apkg_with_history([deck], lambda: {key: schedule}, out)
    assert summary.reviews == 1
    col = _collection(tmp_path)
    try:
        from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        options = ImportAnkiPackageOptions(with_scheduling=True)
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(out), options=options))
        nid = col.db.scalar("select id from notes where guid = ?", ANKI_GUID)
        (anki_card,) = col.get_note(nid).cards()
        assert (anki_card.type, anki_card.reps) == (2, 1)
        assert col.db.list("select ease from revlog where cid = ?", anki_card.id) == [3]
    finally:
        col.close()
