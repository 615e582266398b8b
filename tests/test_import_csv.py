"""``leadcards import csv``: real files in, a deck file out that loads, a summary that
hides no count, and one line for every file it cannot use."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck.load import load_deck
from leadcards.deck.model import Kind
from leadcards.export import apkg
from leadcards.export.anki_text import write_csv

from .conftest import BUILTIN_DECK

runner = CliRunner()


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every import writes its default output into the current folder: a fresh one."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> object:
    return runner.invoke(app, ["import", "csv", *args])


def test_a_plain_csv_with_a_header_row_and_bad_rows(tmp_path: Path, isolated_home: Path) -> None:
    (tmp_path / "French words.csv").write_text(
        "front,back\n"
        "Capital of France?,Paris\n"
        '"Two\nlines",answer\n'
        "only one\n"
        ",empty front\n"
        "empty back,\n"
        "The {{c1::heart}} pumps,about the heart\n"
        "{{c1::a {{c2::b}}}},nested\n",
        encoding="utf-8",
    )
    result = run("French words.csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Imported 3 notes (2 basic, 0 reversed, 1 cloze) from French words.csv → "
        "french-words.yaml (deck 'french-words', French words)",
        "Skipped 4 rows: 1 with only one column (line 5); 1 with an empty front (line 6); "
        "1 with an empty back (line 7); 1 with cloze text leadcards reads otherwise than "
        "Anki (line 9)",
        "Left out the first row, which names the columns: front, back",
        f"To study it, move it into {isolated_home / 'decks'}, or name it: "
        "leadcards review french-words.yaml",
    ]
    deck = load_deck(tmp_path / "french-words.yaml")
    assert [(n.kind, n.fields) for n in deck.notes] == [
        (Kind.BASIC, {"front": "Capital of France?", "back": "Paris"}),
        (Kind.BASIC, {"front": "Two\\\nlines", "back": "answer"}),
        (Kind.CLOZE, {"text": "The {{c1::heart}} pumps", "extra": "about the heart"}),
    ]
    assert deck.source == "Imported from French words.csv"
    checked = runner.invoke(app, ["check", "--strict", str(tmp_path / "french-words.yaml")])
    assert checked.exit_code == 0, checked.stderr


@pytest.mark.parametrize(
    ("content", "separator"),
    [
        ("a\tb, c\nd\te; f\n", "tab"),
        ("a;b, c\nd;e\n", "semicolon"),
        ("a,b; c\nd,e\n", "comma"),
    ],
)
def test_the_separator_is_the_one_that_splits_the_rows(
    content: str, separator: str, tmp_path: Path
) -> None:
    (tmp_path / "s.txt").write_text(content)
    assert run("s.txt", "-o", "s.yaml").exit_code == 0
    fronts = [(n.fields["front"], n.fields["back"]) for n in load_deck(tmp_path / "s.yaml").notes]
    expected = {
        "tab": [("a", "b, c"), ("d", "e; f")],
        "semicolon": [("a", "b, c"), ("d", "e")],
        "comma": [("a", "b; c"), ("d", "e")],
    }
    assert fronts == expected[separator]


ANKI_TEXT = (
    "#separator:Semicolon\n"
    "#html:true\n"
    "#tags:imported\n"
    "#notetype column:1\n"
    "#deck column:2\n"
    "#guid column:3\n"
    "#tags column:4\n"
    'Basic;Lang::French;"O&_Kv4w;q#";geo europe;<b>Capital</b> of France?;Paris<br>on the Seine\n'
    "Basic (and reversed card);Lang::French;abc123;;le chat;the cat\n"
    'Cloze;Lang::French;xyz789;;"The {{c1::heart}} &amp; <i>lungs</i>";'
    '<img src="heart.png"> [sound:beat.mp3]\n'
    "Cloze;Lang::German;dup;;no deletion here;\n"
    "Basic;Lang::French;abc123;;same guid;as row 2\n"
)


def test_anki_text_format_rows_keep_their_guid_kind_tags_and_markup(tmp_path: Path) -> None:
    (tmp_path / "anki.txt").write_text(ANKI_TEXT, encoding="utf-8")
    result = run("anki.txt", "--deck", "My French")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:4] == [
        "Imported 3 notes (1 basic, 1 reversed, 1 cloze) from anki.txt → my-french.yaml "
        "(deck 'my-french', My French)",
        "Skipped 2 rows: 1 with cloze text has no deletion (line 11); "
        "1 with a guid an earlier row has (line 12)",
        "The file names 2 decks (Lang::French, Lang::German); all its notes are in My French",
        "Fields name 2 media files, not copied: heart.png, beat.mp3",
    ]
    deck = load_deck(tmp_path / "my-french.yaml")
    assert [(n.kind, n.guid, n.tags, n.fields) for n in deck.notes] == [
        (
            Kind.BASIC,
            "O&_Kv4w;q#",
            ("imported", "geo", "europe"),
            {"front": "**Capital** of France?", "back": "Paris\\\non the Seine"},
        ),
        (Kind.REVERSED, "abc123", ("imported",), {"front": "le chat", "back": "the cat"}),
        (
            Kind.CLOZE,
            "xyz789",
            ("imported",),
            {"text": "The {{c1::heart}} & *lungs*", "extra": "![](heart.png) 🔊 beat.mp3"},
        ),
    ]


def test_the_deck_column_names_the_deck_without_deck_option(tmp_path: Path) -> None:
    (tmp_path / "anki.txt").write_text(ANKI_TEXT, encoding="utf-8")
    assert run("anki.txt").exit_code == 0
    assert load_deck(tmp_path / "lang-french.yaml").name == "Lang::French"


def test_a_leadcards_export_comes_back_with_the_same_guids(tmp_path: Path) -> None:
    builtin = load_deck(BUILTIN_DECK)
    first = tmp_path / "lvm.txt"
    write_csv([builtin], first)
    result = run(str(first), "-o", "back.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        f"Imported 48 notes (26 basic, 0 reversed, 22 cloze) from {first} → back.yaml "
        "(deck 'cphq-leadership-vs-management', CPHQ::Leadership vs Management)",
        "Skipped 53 rows: 32 with note type 'leadcards Table cell' (not basic, reversed or "
        "cloze) (lines 7, 8, 13, 14, 17, ...); 21 with note type 'leadcards Choice' (not basic, "
        "reversed or cloze) (lines 16, 25, 30, 43, 44, ...)",
    ]
    imported = load_deck(tmp_path / "back.yaml")
    again = tmp_path / "again.txt"
    write_csv([imported], again)

    def guids(path: Path) -> dict[str, tuple[str, ...]]:
        body = path.read_text(encoding="utf-8").split("\n", 6)[6]
        rows = csv.reader(io.StringIO(body), delimiter="\t")
        return {row[2]: (row[0], row[3]) for row in rows if row[0] != "leadcards Choice"}

    original = {g: v for g, v in guids(first).items() if v[0] != "leadcards Table cell"}
    assert len(original) == 48
    assert guids(again) == original  # the same GUIDs, note types and tags
    # The first note by hand: its GUID is the built-in note's, pinned in test_pinned.
    note = next(n for n in imported.notes if n.guid == apkg.note_guid("lvm", "doing-things-right"))
    assert note.fields == {
        "text": "{{c1::Managers::managers or leaders?}} focus on doing things right."
    }


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "error: cannot read missing.csv: no such file"),
        (
            "binary.csv",
            b"a,b\n\x00\x01\x02",
            "error: binary.csv is not a text file (it holds NUL bytes)",
        ),
        (
            "latin.csv",
            b"a,b\ncaf\xe9,x\n",
            "error: latin.csv is not UTF-8 text (byte 0xe9 on line 2)",
        ),
        ("empty.csv", b"", "error: empty.csv is empty: there are no notes to import"),
        ("blank.csv", b" \n\n", "error: blank.csv is empty: there are no notes to import"),
        (
            "headers.txt",
            b"#separator:tab\n#html:true\n",
            "error: headers.txt has no rows to import",
        ),
        (
            "useless.csv",
            b"one\ntwo\n",
            "error: no row of useless.csv makes a note: 2 rows: 2 with only one column (lines 1, 2)",
        ),
    ],
)
def test_a_file_it_cannot_use_is_one_line_and_nothing_is_written(
    name: str, content: bytes | None, message: str, tmp_path: Path
) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    before = sorted(os.listdir(tmp_path))
    result = run(name)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == message + "\n"
    assert sorted(os.listdir(tmp_path)) == before


def test_a_folder_is_no_file_to_import(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    result = run("folder")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: cannot read folder: it is not a regular file\n",
    )


def test_an_existing_output_needs_force(tmp_path: Path) -> None:
    (tmp_path / "n.csv").write_text("q,a\n")
    (tmp_path / "n.yaml").write_text("mine\n")
    result = run("n.csv")
    assert result.exit_code == 2
    assert result.stderr == "error: n.yaml already exists; use --force to overwrite it\n"
    assert (tmp_path / "n.yaml").read_text() == "mine\n"
    assert sorted(os.listdir(tmp_path)) == ["n.csv", "n.yaml"]
    forced = run("n.csv", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert load_deck(tmp_path / "n.yaml").notes[0].fields == {"front": "q", "back": "a"}


def test_import_help_lists_csv() -> None:
    result = runner.invoke(app, ["import", "--help"])
    assert result.exit_code == 0
    assert "csv" in result.stdout and "Bring notes in from other tools" in result.stdout


def test_written_into_the_decks_folder_it_is_ready_to_study(
    tmp_path: Path, isolated_home: Path
) -> None:
    (isolated_home / "decks").mkdir(parents=True)
    (tmp_path / "n.csv").write_text("question one,answer one\n")
    result = run("n.csv", "-o", str(isolated_home / "decks" / "n.yaml"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "It is in the decks folder: leadcards review n"
    status = runner.invoke(app, ["status", "--json"])
    assert '"id": "n"' in status.stdout
