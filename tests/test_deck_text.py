"""The decks' text in the store: sync writes it, `review`, `cards` and `export` read it,
so a deck whose file did not change is never parsed to show or export its cards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck.load import load_deck, parse_deck
from leadcards.deck.packed import pack_note, unpack_note
from leadcards.session import Session
from leadcards.store import open_store
from leadcards.sync import forget_missing_files, sync_files
from leadcards.texts import stored_card, stored_deck, stored_notes

from .conftest import AT, BUILTIN_DECK, FIXTURES, TABLE_DECK, basic_deck, db_execute, db_rows
from .test_sync import DECK, forbid_parsing, user_deck

__all__ = ["user_deck"]  # a fixture of test_sync, used here too

runner = CliRunner()

EVERY_KIND = [
    BUILTIN_DECK,
    FIXTURES / "v2" / "deck.yaml",
    FIXTURES / "export" / "edge.yaml",
    FIXTURES / "v1" / "deck.yaml",
]


@pytest.mark.parametrize("path", EVERY_KIND, ids=lambda p: p.parent.name + "/" + p.name)
def test_every_note_reads_back_as_the_loader_made_it(path: Path) -> None:
    deck = load_deck(path)
    for note in deck.notes:
        assert unpack_note(deck.id, note.id, pack_note(note)) == note


def test_a_table_note_reads_back_with_its_origin_sides_and_options(tmp_path: Path) -> None:
    deck = parse_deck(TABLE_DECK, tmp_path / "t.yaml")
    kinds = {card.template for note in deck.notes for card in note.cards}
    assert kinds == {"recall", "identify", "choice", "front"}
    for note in deck.notes:
        assert unpack_note(deck.id, note.id, pack_note(note)) == note


def test_the_stored_form_of_a_note_is_pinned(tmp_path: Path) -> None:
    """Files written by this version are read by later ones: the form may only grow."""
    deck = parse_deck(
        "id: d\nname: D\ntags: [t]\ncards:\n"
        "  - {id: q, type: choice, question: Which?, answer: A, distractors: [B, C]}\n"
        "  - {id: b, front: F, back: B}\n",
        tmp_path / "d.yaml",
    )
    choice, basic = deck.notes
    assert pack_note(basic) == '["basic",6,["t"],{"front":"F","back":"B"},[["front","F","B"]]]'
    assert pack_note(choice) == (
        '["choice",5,["t"],{"question":"Which?","answer":"A","distractors":"B\\nC"},'
        '[["choice","Which?","A","",["B","C","A"],2]]]'
    )


def test_review_cards_and_export_of_an_unchanged_deck_never_parse_it(
    user_deck: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["status"]).exit_code == 0  # the first sync parses it
    forbid_parsing(monkeypatch)
    review = runner.invoke(app, ["review", "mine", "--limit", "1"], input="\n3\n")
    assert review.exit_code == 0, review.stderr
    assert "Q: First question" in review.stdout and "A: First answer" in review.stdout
    listed = runner.invoke(app, ["cards", "mine", "--json"])
    assert listed.exit_code == 0, listed.stderr
    assert [(c["question"], c["answer"]) for c in json.loads(listed.stdout)] == [
        ("First question", "First answer"),
        ("Second question", "Second answer"),
        ("Third front", "Third back"),
        ("Third back", "Third front"),
    ]
    shown = runner.invoke(app, ["cards", "mine:three:reverse", "--json"])
    assert shown.exit_code == 0, shown.stderr
    detail = json.loads(shown.stdout)
    assert (detail["deck_name"], detail["question"], detail["in_deck"]) == (
        "My deck",
        "Third back",
        True,
    )
    out = tmp_path / "mine.txt"
    exported = runner.invoke(app, ["export", "csv", "mine", "-o", str(out)])
    assert exported.exit_code == 0, exported.stderr
    assert out.read_text().endswith("\tThird front\tThird back\t\n")


def test_an_export_reads_the_deck_itself_when_no_text_is_stored(
    user_deck: Path, isolated_home: Path, tmp_path: Path
) -> None:
    """Only a hand edit of the database leaves a synced deck without its text."""
    assert runner.invoke(app, ["status"]).exit_code == 0
    db_execute(isolated_home / "leadcards.db", "DELETE FROM decks WHERE id = 'mine'")
    out = tmp_path / "mine.txt"
    exported = runner.invoke(app, ["export", "csv", "mine", "-o", str(out)])
    assert exported.exit_code == 0, exported.stderr
    assert exported.stdout.startswith("Exported 3 notes, 4 cards, 1 deck")


def test_an_edited_deck_shows_its_new_text_at_the_next_command(user_deck: Path) -> None:
    assert runner.invoke(app, ["status"]).exit_code == 0
    user_deck.write_text(
        DECK.replace("First answer", "Edited answer").replace(
            "  - id: two\n    front: Second question\n    back: Second answer\n", ""
        )
    )
    listed = runner.invoke(app, ["cards", "--json", "--search", "question"])
    assert [(c["key"], c["answer"]) for c in json.loads(listed.stdout)] == [
        ("mine:one:front", "Edited answer")
    ]
    gone = json.loads(runner.invoke(app, ["cards", "mine:two:front", "--json"]).stdout)
    assert (gone["question"], gone["in_deck"]) == (None, False)


def test_the_stored_notes_follow_the_decks_order_and_drop_its_removed_notes(
    tmp_path: Path, isolated_home: Path
) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(basic_deck(3) + "order: [c02]\n")
    with open_store(isolated_home) as store:
        sync_files(store, [path], AT)
        assert [n.id for n in stored_notes(store, "mini")] == ["c02", "c00", "c01"]
        path.write_text(basic_deck(3).replace("  - id: c01\n", "  - id: c03\n"))
        sync_files(store, [path], AT)
        assert [n.id for n in stored_notes(store, "mini")] == ["c00", "c03", "c02"]
        assert stored_card(store, "mini:c01:front") is None
        deck = stored_deck(store, "mini", path)
        assert deck is not None and deck.notes == load_deck(path).notes
        path.unlink()
        forget_missing_files(store)
        assert db_rows(store, "SELECT count(*) FROM notes")[0][0] == 0
        assert stored_deck(store, "mini", path) is None


def test_a_session_reads_the_text_of_the_cards_it_draws_only(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(basic_deck(50))
    with open_store(isolated_home) as store:
        sync_files(store, [path], AT)
        deck = load_deck(path)
        read: list[str] = []
        original = store.card_text

        def counted(key: str) -> tuple[str, str, str, str] | None:
            read.append(key)
            return original(key)

        monkeypatch.setattr(store, "card_text", counted)
        monkeypatch.setattr(store, "note_texts", None)  # no whole deck is read
        session = Session(store, [deck], clock=lambda: AT)
        first = session.next_card()
        assert first is not None and first.front == "Question 0"
        session.reveal()
        session.answer(3)
        assert session.next_card() is not None
        session.undo()  # the card drawn before: no read again
        assert read == ["mini:c00:front", "mini:c01:front"]


def test_undo_shows_again_a_card_an_edit_took_out(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(basic_deck(2))
    with open_store(isolated_home) as store:
        sync_files(store, [path], AT)
        session = Session(store, [load_deck(path)], clock=lambda: AT)
        first = session.next_card()
        assert first is not None
        session.reveal()
        session.answer(3)
        first_note = "  - id: c00\n    front: Question 0\n    back: Answer 0\n"
        path.write_text(basic_deck(2).replace(first_note, ""))
        assert session.reload_deck(path) == 1
        assert stored_card(store, first.key) is None
        assert session.undo() == first


def test_doctor_finds_text_edited_by_hand_and_rebuilds_it(
    user_deck: Path, isolated_home: Path
) -> None:
    assert runner.invoke(app, ["status"]).exit_code == 0
    db = isolated_home / "leadcards.db"
    db_execute(db, "UPDATE notes SET body = replace(body, 'First', 'Worst') WHERE note_id = 'one'")
    db_execute(db, "DELETE FROM notes WHERE note_id = 'two'")
    db_execute(db, "UPDATE decks SET name = 'Renamed' WHERE id = 'mine'")
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        "decks: mine: the stored text of 3 notes differs from its file; "
        "`leadcards doctor --rebuild` rebuilds them"
    )
    rebuilt = runner.invoke(app, ["doctor", "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.stdout
    assert "decks: every card has its row (2 decks)" in runner.invoke(app, ["doctor"]).stdout
    with open_store(isolated_home) as store:
        card = stored_card(store, "mine:one:front")
        assert card is not None and card.front == "First question"
        assert stored_card(store, "mine:two:front") is not None
