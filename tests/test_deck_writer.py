"""The deck writer: whatever an importer gives it comes back from leadcards' own loader
as it was given (stripped, control characters made visible, as every deck text is)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck.load import parse_deck
from leadcards.deck.model import Kind
from leadcards.errors import UsageError
from leadcards.importing.deck_writer import (
    BasicNote,
    ClozeNote,
    NewDeck,
    NewNote,
    ReversedNote,
    UnwritableDeck,
    deck_id_for,
    deck_text,
    note_id_for,
    note_problem,
    write_deck,
)
from leadcards.printable import printable

SMALL = NewDeck(
    id="from-anki",
    name="Languages::French",
    description="Two lines\nof description",
    tags=("french", "imported"),
    notes=[
        BasicNote("capital", "Capital of France?", "Paris", tags=("geo",), guid="O&_Kv4w;q#"),
        ReversedNote("chat", "le chat", "the cat: *a pet*", extra="# not a heading"),
        ClozeNote("heart", "The {{c1::heart}} pumps\n\n- blood\n- lymph? no", tags=("a b", "true")),
        BasicNote("no", "yes", "- 1"),
    ],
)

SMALL_TEXT = """\
id: from-anki
name: "Languages::French"
description: |-
  Two lines
  of description
tags: [french, imported]
cards:
  - id: capital
    guid: "O&_Kv4w;q#"
    front: Capital of France?
    back: Paris
    tags: [geo]
  - type: reversed
    id: chat
    front: le chat
    back: "the cat: *a pet*"
    extra: "# not a heading"
  - type: cloze
    id: heart
    text: |-
      The {{c1::heart}} pumps

      - blood
      - lymph? no
    tags: ["a b", "true"]
  - id: "no"
    front: "yes"
    back: "- 1"
"""


def test_a_small_deck_is_written_as_a_person_would_write_it(tmp_path: Path) -> None:
    assert deck_text(SMALL) == SMALL_TEXT
    deck = parse_deck(SMALL_TEXT, tmp_path / "d.yaml")
    assert (deck.id, deck.name, deck.description) == (
        "from-anki",
        "Languages::French",
        "Two lines\nof description",
    )
    assert [(n.id, n.kind, n.guid, n.tags) for n in deck.notes] == [
        ("capital", Kind.BASIC, "O&_Kv4w;q#", ("french", "imported", "geo")),
        ("chat", Kind.REVERSED, "", ("french", "imported")),
        ("heart", Kind.CLOZE, "", ("french", "imported", "a b", "true")),
        ("no", Kind.BASIC, "", ("french", "imported")),
    ]
    # reversed makes both directions
    assert [(c.template, c.front, c.back) for c in deck.notes[1].cards] == [
        ("forward", "le chat", "the cat: *a pet*"),
        ("reverse", "the cat: *a pet*", "le chat"),
    ]


def test_check_strict_accepts_the_written_file(tmp_path: Path) -> None:
    path = tmp_path / "from-anki.yaml"
    write_deck(SMALL, path)
    result = CliRunner().invoke(app, ["check", "--strict", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{path}: ok — deck 'from-anki', 4 notes, 5 cards\n"


# --- ids ------------------------------------------------------------------------------------


def test_note_ids_are_the_first_words_and_a_hash_of_the_text() -> None:
    taken: set[str] = set()
    assert note_id_for("Capital of France?", taken) == "capital-of-france-b3f5c3"
    assert note_id_for("Capital of France?", taken) == "capital-of-france-b3f5c3-2"
    assert note_id_for("Capital of France?", taken) == "capital-of-france-b3f5c3-3"
    assert note_id_for("Планирование", taken) == "note-30f5db"
    long = "What is # this: thing? A very long question indeed with many words"
    assert note_id_for(long, taken) == "what-is-this-thing-a-very-ca0fd6"
    assert taken == {
        "capital-of-france-b3f5c3",
        "capital-of-france-b3f5c3-2",
        "capital-of-france-b3f5c3-3",
        "note-30f5db",
        "what-is-this-thing-a-very-ca0fd6",
    }


def test_deck_ids_are_the_words_of_the_name() -> None:
    assert deck_id_for("CPHQ::Leadership vs Management") == "cphq-leadership-vs-management"
    assert deck_id_for("日本語") == "deck-f95332"
    assert deck_id_for("  Ünïcödé deck ") == "unicode-deck"


# --- what the format cannot hold -------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "problem"),
    [
        (BasicNote("n", " ", "b"), "empty front"),
        (BasicNote("n", "f", "\n"), "empty back"),
        (ReversedNote("n", "f", ""), "empty back"),
        (ClozeNote("n", "  "), "empty text"),
        (ClozeNote("n", "no deletion"), "cloze text has no deletion"),
        (
            ClozeNote("n", "{{c1::a {{c2::b}}}}"),
            "cloze deletions cannot be nested: "
            "{{c2:: is inside {{c1::, which Anki and leadcards read differently",
        ),
        (
            ClozeNote("n", "{{c1,2::a}}"),
            "{{c1,2::...}} puts one deletion on several cards, "
            "which leadcards does not support: give each deletion one number",
        ),
        (BasicNote("N", "f", "b"), "the id 'N' is not lowercase letters, digits, '-' or '_'"),
        (
            BasicNote("n", "f", "b", guid="a b"),
            "guid must not contain whitespace or invisible characters: it has U+0020",
        ),
        (BasicNote("n", "f", "b"), None),
        (ClozeNote("n", "{{c1::a::hint}} and }} alone"), None),
    ],
)
def test_note_problem_says_why_in_a_few_words(note: NewNote, problem: str | None) -> None:
    assert note_problem(note) == problem


def test_the_writer_refuses_a_deck_that_would_not_load() -> None:
    notes = [BasicNote("a", "f", ""), BasicNote("b", "f", "b"), BasicNote("b", "g", "c")]
    with pytest.raises(UnwritableDeck) as info:
        deck_text(NewDeck("d", "D", notes))
    assert str(info.value) == "note 'a': empty back; note id 'b' is used twice"
    with pytest.raises(UnwritableDeck) as info:
        deck_text(NewDeck("D d", "", []))
    assert str(info.value) == (
        "deck id 'D d' is not lowercase letters, digits, '-' or '_'; the deck has no name; "
        "the deck has no notes"
    )


# --- the file ---------------------------------------------------------------------------------


def test_an_existing_file_is_refused_without_force_and_replaced_with_it(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("mine\n")
    with pytest.raises(UsageError) as info:
        write_deck(SMALL, path)
    assert str(info.value) == f"{path} already exists; use --force to overwrite it"
    assert path.read_text() == "mine\n"
    loaded = write_deck(SMALL, path, force=True)
    assert path.read_text(encoding="utf-8") == SMALL_TEXT
    assert (loaded.id, len(loaded.notes), loaded.path) == ("from-anki", 4, path)
    assert sorted(os.listdir(tmp_path)) == ["d.yaml"]  # no temporary file left


def test_a_deck_that_would_not_load_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    with pytest.raises(UnwritableDeck):
        write_deck(NewDeck("d", "D", [BasicNote("a", "", "b")]), path)
    assert os.listdir(tmp_path) == []


# --- any text comes back ----------------------------------------------------------------------

# Characters and pieces that mean something to YAML, Markdown or a terminal.
_PIECES = st.sampled_from(
    [
        *("#", "# ", ": ", ":", "- ", "-", "* ", "*", "&a ", "*a", "!", "!!python/name:os", "%"),
        *("@", "`", "|", ">", "'", '"', "\\", "\\n", "{", "}", "[", "]", ",", "?", "? ", "---"),
        *("...", "\n", "\n\n", "\n  ", "  ", " ", "\t", "\t\n", " \n", "\r", "\r\n", "\x85"),
        *("\u2028", "\u2029", "\ufeff", "\x00", "\x1b[31m", "\x7f", "\x9b", "\ufffe", "\uffff"),
        *("yes", "no", "null", "~", "true", "0x1F", "1e3", ".inf", "é", "😀", "\u200d", "a"),
        *("word", "{{c1::", "}}", "::", "<b>", "&amp;"),
    ]
)
_TEXT = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=8).map("".join),
)
_GUID = st.one_of(
    st.just(""),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=12),
)
_TAGS = st.lists(_TEXT, max_size=3).map(tuple)


@st.composite
def _notes(draw: st.DrawFn) -> list[NewNote]:
    taken: set[str] = set()
    guids: set[str] = set()
    notes: list[NewNote] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["basic", "reversed", "cloze"]))
        guid = draw(_GUID)
        if guid in guids:
            guid = ""
        guids.add(guid)
        extra, tags = draw(_TEXT), draw(_TAGS)
        if kind == "cloze":
            text = draw(_TEXT) + "{{c1::" + draw(_TEXT) + "x}}" + draw(_TEXT)
            note: NewNote = ClozeNote(note_id_for(text, taken), text, extra, tags, guid)
        else:
            front, back = draw(_TEXT), draw(_TEXT)
            cls = BasicNote if kind == "basic" else ReversedNote
            note = cls(note_id_for(front, taken), front, back, extra, tags, guid)
        if note_problem(note) is None:
            notes.append(note)
    return notes


def _expected(note: NewNote, deck_tags: tuple[str, ...]) -> tuple[object, ...]:
    def rule(text: str) -> str:  # Reader.text's rule, written out
        return printable(text.strip())

    tags = tuple(dict.fromkeys(t for t in (*map(rule, deck_tags), *map(rule, note.tags)) if t))
    if isinstance(note, ClozeNote):
        fields = {"text": rule(note.text)}
    else:
        fields = {"front": rule(note.front), "back": rule(note.back)}
    if rule(note.extra):
        fields["extra"] = rule(note.extra)
    return note.id, fields, tags, note.guid


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=_notes(), name=_TEXT, description=_TEXT, deck_tags=_TAGS)
def test_any_text_and_tags_come_back_from_the_loader(
    notes: list[NewNote], name: str, description: str, deck_tags: tuple[str, ...]
) -> None:
    if not notes or not name.strip():
        return
    deck = NewDeck("d", name, notes, description=description, tags=deck_tags)
    text = deck_text(deck)
    loaded = parse_deck(text, Path("d.yaml"))
    assert [(n.id, n.fields, n.tags, n.guid) for n in loaded.notes] == [
        _expected(note, deck_tags) for note in notes
    ]
    assert loaded.name == printable(name.strip())
    assert loaded.description == printable(description.strip())
