"""sync.py: deck files → card cache. New cards appear, edits keep history, removed cards
hide and come back, unchanged files are never parsed again, deleted files hide their deck."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck import catalog
from leadcards.deck import load as deck_load
from leadcards.deck.load import load_deck
from leadcards.store import Store, open_store
from leadcards.sync import forget_missing_files, sync_deck, sync_files

from .conftest import AT, DAY, db_rows

runner = CliRunner()


DECK = """\
id: mine
name: My deck
cards:
  - id: one
    front: First question
    back: First answer
  - id: two
    front: Second question
    back: Second answer
  - type: reversed
    id: three
    front: Third front
    back: Third back
"""


@pytest.fixture
def user_deck(isolated_home: Path) -> Path:
    folder = isolated_home / "decks"
    folder.mkdir(parents=True)
    path = folder / "mine.yaml"
    path.write_text(DECK)
    return path


def status() -> dict[str, Any]:
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def mine(payload: dict[str, Any]) -> dict[str, Any]:
    (deck,) = [d for d in payload["decks"] if d["id"] == "mine"]
    return deck


def cards_json(*args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["cards", *args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def answer(home: Path, key: str, rating: int, at: int = AT) -> None:
    with open_store(home) as store:
        store.answer(key, rating, 1000, at)


def cache(home: Path) -> dict[str, dict[str, Any]]:
    with open_store(home) as store:
        return {r["key"]: dict(r) for r in db_rows(store, "SELECT * FROM cards")}


def test_new_cards_appear_as_new(user_deck: Path, isolated_home: Path) -> None:
    deck = mine(status())
    # four cards, three notes: the reversed note's second card waits for another day
    assert (deck["total"], deck["new"], deck["learning"], deck["due"]) == (4, 3, 0, 0)
    rows = cards_json("mine")
    assert [(r["key"], r["state"], r["reps"]) for r in rows] == [
        ("mine:one:front", "new", 0),
        ("mine:two:front", "new", 0),
        ("mine:three:forward", "new", 0),
        ("mine:three:reverse", "new", 0),
    ]
    stored = cache(isolated_home)
    positions = [stored[r["key"]]["position"] for r in rows]
    assert positions == sorted(positions)
    assert all(stored[r["key"]]["added_at"] == AT for r in rows)
    # a card added later comes after the existing ones
    user_deck.write_text(DECK + "  - id: four\n    front: Fourth\n    back: Four\n")
    assert mine(status())["total"] == 5
    assert cache(isolated_home)["mine:four:front"]["position"] > max(positions)


def test_editing_wording_keeps_key_and_history(user_deck: Path, isolated_home: Path) -> None:
    status()
    answer(isolated_home, "mine:one:front", 4)
    before = cache(isolated_home)["mine:one:front"]
    user_deck.write_text(DECK.replace("First answer", "First answer, with a typo fixed"))
    deck = mine(status())
    assert (deck["total"], deck["new"], deck["reviewed_today"]) == (4, 2, 1)
    after = cache(isolated_home)["mine:one:front"]
    assert after["content_hash"] != before["content_hash"]
    assert {k: v for k, v in after.items() if k != "content_hash"} == {
        k: v for k, v in before.items() if k != "content_hash"
    }
    (row,) = cards_json("mine", "--search", "typo fixed")
    assert (row["key"], row["state"], row["reps"]) == ("mine:one:front", "review", 1)
    doctor = runner.invoke(app, ["doctor"])
    assert doctor.exit_code == 0
    assert "replay: 157 cards match their 1 log events" in doctor.stdout


def test_removed_card_is_hidden_and_returns_with_history(
    user_deck: Path, isolated_home: Path
) -> None:
    status()
    answer(isolated_home, "mine:two:front", 4, AT - 10 * DAY)  # Easy: due 2 days ago
    answer(isolated_home, "mine:one:front", 4)  # and one answered today
    kept = cache(isolated_home)["mine:two:front"]
    deck = mine(status())
    assert (deck["total"], deck["new"], deck["due"], deck["reviewed_today"]) == (4, 1, 1, 1)
    without = DECK.replace("  - id: two\n    front: Second question\n    back: Second answer\n", "")
    user_deck.write_text(without)
    deck = mine(status())
    assert (deck["total"], deck["new"], deck["due"], deck["reviewed_today"]) == (3, 1, 0, 1)
    assert "mine:two:front" not in [r["key"] for r in cards_json()]
    assert cards_json("--due") == []
    assert cache(isolated_home)["mine:two:front"]["removed"] == 1
    with open_store(isolated_home) as store:  # the history stays in the log
        assert len(store.card_events("mine:two:front")) == 1
    user_deck.write_text(DECK)
    deck = mine(status())
    assert (deck["total"], deck["new"], deck["due"], deck["reviewed_today"]) == (4, 1, 1, 1)
    assert cache(isolated_home)["mine:two:front"] == kept
    (row,) = cards_json("mine", "--search", "second question")
    assert (row["state"], row["reps"]) == ("review", 1)
    assert [r["key"] for r in cards_json("--due")] == ["mine:two:front"]


def test_sync_report_counts(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(DECK)
    with open_store(isolated_home) as store:
        first = sync_files(store, [path], AT)
        assert (first.added, first.changed, first.removed, first.restored) == (4, 0, 0, 0)
        assert first.parsed == [path]
        path.write_text(
            DECK.replace("First answer", "Changed").replace("  - id: two\n", "  - id: deux\n")
        )
        second = sync_files(store, [path], AT)
        assert (second.added, second.changed, second.removed, second.restored) == (1, 1, 1, 0)
        path.write_text(DECK)
        third = sync_files(store, [path], AT)
        assert (third.added, third.changed, third.removed, third.restored) == (0, 1, 1, 1)
        again = sync_files(store, [path], AT)
        assert again.parsed == [] and again.added == again.changed == again.removed == 0


def forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a deck was parsed again: {args}")

    monkeypatch.setattr(catalog, "load_all", refuse)
    monkeypatch.setattr(deck_load, "load_deck", refuse)
    monkeypatch.setattr(deck_load, "parse_deck", refuse)


def test_unchanged_files_are_not_parsed(
    user_deck: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = status()
    with monkeypatch.context() as patched:
        forbid_parsing(patched)
        assert status() == first
        # the same bytes with a new mtime: hashed, not parsed, and the mtime is remembered
        stat = user_deck.stat()
        os.utime(user_deck, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
        assert status() == first
        with open_store(isolated_home) as store:
            (mtime,) = db_rows(
                store, "SELECT mtime_ns FROM deck_files WHERE path = ?", (str(user_deck.resolve()),)
            )[0]
        assert mtime == user_deck.stat().st_mtime_ns
        # an edit must be parsed: the guard proves that status really went through it
        user_deck.write_text(DECK.replace("First answer", "Edited"))
        result = runner.invoke(app, ["status"])
        assert isinstance(result.exception, AssertionError)
    assert mine(status())["total"] == 4


def test_unchanged_files_are_not_parsed_in_process(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(DECK)
    with open_store(isolated_home) as store:
        sync_files(store, [path], AT)
        forbid_parsing(monkeypatch)
        for _ in range(3):
            assert sync_files(store, [path], AT + DAY).parsed == []


def test_deleted_deck_file_hides_its_cards(user_deck: Path, isolated_home: Path) -> None:
    status()
    answer(isolated_home, "mine:one:front", 3)
    kept = cache(isolated_home)["mine:one:front"]
    user_deck.unlink()
    payload = status()
    assert [d["id"] for d in payload["decks"]] == ["lvm"]
    assert payload["total"]["total"] == 153 and payload["total"]["reviewed_today"] == 0
    assert all(r["removed"] for k, r in cache(isolated_home).items() if k.startswith("mine:"))
    with open_store(isolated_home) as store:
        assert db_rows(store, "SELECT count(*) FROM deck_files")[0][0] == 1
    # the file comes back: so do its cards, with their history
    user_deck.write_text(DECK)
    deck = mine(status())
    assert (deck["total"], deck["learning"], deck["new"]) == (4, 1, 2)
    assert cache(isolated_home)["mine:one:front"] == kept


def test_forget_missing_files_counts(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(DECK)
    with open_store(isolated_home) as store:
        sync_files(store, [path], AT)
        assert forget_missing_files(store) == 0
        path.unlink()
        assert forget_missing_files(store) == 1
        assert (
            db_rows(store, "SELECT count(*) FROM cards WHERE deck_id = 'mine' AND removed = 0")[0][
                0
            ]
            == 0
        )


def test_broken_edit_reports_the_deck_error_and_keeps_the_cache(
    user_deck: Path, isolated_home: Path
) -> None:
    status()
    before = cache(isolated_home)
    user_deck.write_text(DECK.replace("    back: Second answer\n", ""))
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {user_deck}:7:5: a basic card is missing the required field 'back'; "
        f"this deck is skipped — `leadcards check {user_deck}` lists every problem\n"
    )
    assert [d["id"] for d in json.loads(result.stdout)["decks"]] == ["lvm"]
    assert cache(isolated_home) == before  # its cards keep their state; none is removed


def test_sync_deck_is_idempotent(tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(DECK)
    deck = load_deck(path)
    with open_store(isolated_home) as store:
        sync_deck(store, deck, AT)
        first = rows(store)
        sync_deck(store, deck, AT + DAY)
        assert rows(store) == first


def rows(store: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in db_rows(store, "SELECT * FROM cards ORDER BY key")]


def test_sync_never_parses_a_deck_the_caller_loaded(isolated_home, write_deck, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from leadcards.deck import load as load_module
    from leadcards.deck.load import load_deck as real_load
    from leadcards.store import open_store
    from leadcards.sync import sync_files

    path = write_deck("id: once\nname: Once\ncards:\n  - {id: a, front: Q, back: A}\n")
    deck = real_load(path)

    def refuse(*_: object) -> None:
        raise AssertionError("parsed a deck the caller had already loaded")

    monkeypatch.setattr(load_module, "load_deck", refuse)
    monkeypatch.setattr(load_module, "parse_deck", refuse)
    with open_store(isolated_home) as store:
        parsed = {str(path.resolve()): deck}
        report = sync_files(store, [path], 1_772_442_000_000, parsed)
        assert report.added == 1
        assert sync_files(store, [path], 1_772_442_000_000, parsed).added == 0
        assert sync_files(store, [path], 1_772_442_000_000).parsed == []  # file remembered
        assert db_rows(store, "SELECT key FROM cards")[0][0] == "once:a:front"


def test_one_broken_deck_does_not_block_the_others(
    user_deck: Path, isolated_home: Path, tmp_path: Path
) -> None:
    status()
    answer(isolated_home, "mine:one:front", 4)
    before = cache(isolated_home)
    user_deck.write_text(DECK + "  - {id: bad, front: no back}\n")
    warning = f"warning: {user_deck}:"
    for args in (
        ["review", "lvm", "--limit", "1"],
        ["cards", "--json"],
        ["show", "lvm"],
        ["decks"],
        ["export", "anki", "lvm", "-o", str(tmp_path / "lvm.apkg")],
    ):
        result = runner.invoke(app, args, input="\n3\n")
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stderr.startswith(warning) and result.stderr.count("\n") == 1, args
    keys = {row["key"] for row in json.loads(runner.invoke(app, ["cards", "--json"]).stdout)}
    assert not any(key.startswith("mine:") for key in keys)
    # naming the broken deck fails with its problems; check fails too
    named = runner.invoke(app, ["review", "mine"])
    assert named.exit_code == 1
    assert named.stderr == f"{user_deck}:14:5: a basic card is missing the required field 'back'\n"
    assert runner.invoke(app, ["check"]).exit_code == 1
    # its cards kept their history and state; once fixed, the deck is back as it was
    assert {k: v for k, v in cache(isolated_home).items() if k.startswith("mine:")} == {
        k: v for k, v in before.items() if k.startswith("mine:")
    }
    user_deck.write_text(DECK)
    assert mine(status())["total"] == 4
    assert cache(isolated_home)["mine:one:front"] == before["mine:one:front"]


# one deck id, two files ---------------------------------------------------------------

COPY = DECK.replace("  - id: two\n    front: Second question\n    back: Second answer\n", "")


def total(deck_id: str = "mine") -> int:
    (deck,) = [d for d in status()["decks"] if d["id"] == deck_id]
    return int(deck["total"])


def test_a_copy_named_on_the_command_line_is_refused_and_hides_nothing(
    user_deck: Path, isolated_home: Path, tmp_path: Path
) -> None:
    assert total() == 4
    copy = tmp_path / "copy.yaml"
    copy.write_text(COPY)  # the same id, one card fewer
    result = runner.invoke(app, ["review", str(copy)], input="q\n")
    assert result.exit_code == 1
    assert result.stderr == f"{copy}:1:1: deck id 'mine' is already used by {user_deck}\n"
    assert total() == 4 and not any(r["removed"] for r in cache(isolated_home).values())


def test_a_copy_in_the_decks_folder_is_skipped_with_one_line(
    user_deck: Path, isolated_home: Path
) -> None:
    assert total() == 4
    copy = user_deck.parent / "zz-copy.yaml"
    copy.write_text(COPY)
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {copy}:1:1: deck id 'mine' is already used by {user_deck}; "
        "this file is skipped — give one of the two another id\n"
    )
    assert total() == 4
    # the first file by name is the deck, deterministically, for every command
    listed = json.loads(runner.invoke(app, ["decks", "--json"]).stdout)
    assert [d["path"] for d in listed if d["id"] == "mine"] == [str(user_deck)]
    assert len(cards_json("mine")) == 4
    copy.unlink()
    assert total() == 4 and not any(r["removed"] for r in cache(isolated_home).values())


def test_deleting_a_copy_an_older_version_synced_brings_the_deck_back(
    user_deck: Path, isolated_home: Path, tmp_path: Path
) -> None:
    """An older release let a copy sync over the deck (hiding the cards it lacks) and
    then hid the whole deck when the copy was deleted. Both steps are simulated on the
    database; deleting the copy now reads the real file afresh."""
    assert total() == 4
    copy = tmp_path / "copy.yaml"
    copy.write_text(COPY)
    with open_store(isolated_home) as store:  # what the older release did
        sync_deck(store, load_deck(copy), AT)
        store._run(
            "INSERT INTO deck_files (path, deck_id, name, size, mtime_ns, sha256, synced_at) "
            "VALUES (?, 'mine', 'My deck', 1, 1, 'x', ?)",
            (str(copy.resolve()), AT),
        )
    assert total() == 3
    copy.unlink()
    assert total() == 4
    assert not any(r["removed"] for r in cache(isolated_home).values())


def test_doctor_finds_rows_deleted_or_hidden_by_hand_and_rebuilds_them(
    user_deck: Path, isolated_home: Path
) -> None:
    assert total() == 4
    answer(isolated_home, "mine:one:front", 4)
    db = isolated_home / "leadcards.db"
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM cards WHERE key IN ('mine:one:front', 'mine:two:front')")
        conn.execute("UPDATE cards SET removed = 1 WHERE key = 'mine:three:reverse'")
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "integrity: 1 log rows name no card",
        "decks: mine: 2 cards have no row, 1 are hidden as gone; "
        "`leadcards doctor --rebuild` rebuilds them",
    ]
    rebuilt = runner.invoke(app, ["doctor", "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.stdout
    assert rebuilt.stdout.splitlines()[:2] == [
        "integrity: ok",
        "decks: mine: 2 cards have no row, 1 are hidden as gone; rows rebuilt from its file",
    ]
    again = runner.invoke(app, ["doctor"])
    assert again.exit_code == 0 and "decks: every card has its row (2 decks)" in again.stdout
    assert total() == 4
    one = cache(isolated_home)["mine:one:front"]  # its answer came back from the log
    assert (one["state"], one["reps"], one["removed"]) == (2, 1, 0)


def test_doctor_does_not_call_a_deck_edited_since_its_last_sync_a_problem(
    user_deck: Path, isolated_home: Path
) -> None:
    assert total() == 4
    user_deck.write_text(DECK + "  - id: four\n    front: Fourth\n    back: Four\n")
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[1:3] == [
        "decks: every card has its row (1 deck)",
        "decks: 1 file changed since last synced; the next command syncs them",
    ]
    assert total() == 5
