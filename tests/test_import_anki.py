"""`leadcards import anki` on real packages of every generation, made by the `anki`
library (``tests/anki_packages.py`` lists what the collection holds), and the round trip
of a learner with Anki on a phone: leadcards → Anki → more reviews there → back.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.store import open_store

from . import anki_packages as pkg
from .anki_packages import AnkiPackages, rewrite_zip
from .conftest import AT, basic_deck, db_rows, key

runner = CliRunner()
GENERATIONS = ("latest", "legacy2", "legacy1", "colpkg", "colpkg_legacy")


def invoke(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def decks_dir(home: Path) -> Path:
    return home / "decks"


def cards_of(home: Path) -> dict[str, tuple[Any, ...]]:
    return {
        r[0]: tuple(r[1:])
        for r in db_rows(
            home / "leadcards.db",
            "SELECT key, state, reps, lapses, suspended, buried_until IS NOT NULL FROM cards "
            "WHERE deck_id != 'lvm'",
        )
    }


def answers(home: Path) -> list[tuple[str, int]]:
    return [
        (r[0], r[1])
        for r in db_rows(
            home / "leadcards.db",
            "SELECT card_key, rating FROM events WHERE kind = 'answer' ORDER BY at, id",
        )
    ]


@pytest.mark.parametrize("generation", GENERATIONS)
def test_every_generation_imports_with_counts_texts_states_and_history(
    anki_packages: AnkiPackages, isolated_home: Path, generation: str
) -> None:
    package = getattr(anki_packages, generation)
    out = invoke("import", "anki", str(package), "--with-history").stdout
    assert "Wrote 3 decks (0 unchanged) with 5 notes and 8 cards; 0 notes already known" in out
    assert "Not imported: 1 note of other note types: Triple (1)" in out
    assert "Skipped 0 notes" in out
    assert "Media: 1 file copied, 0 skipped" in out
    assert "History: 4 reviews and 0 resets added to the log, 2 left out" in out
    assert "(1 entered by hand (a due date set, a reschedule: no memory change); 1 of" in out
    assert "Suspensions and buries carried over: 3" in out

    folder = decks_dir(isolated_home)
    assert sorted(p.name for p in folder.iterdir()) == [
        "default.yaml",
        "parent-child.yaml",
        "parent.yaml",
        "pic.png",
    ]
    assert (folder / "pic.png").read_bytes() == pkg.MEDIA["pic.png"]
    assert (folder / "pic.png").stat().st_mode & 0o777 == 0o666 & ~umask()
    child = (folder / "parent-child.yaml").read_text()
    assert 'name: "Parent::Child"' in child
    assert "**Leaders** & managers\\\n      differ in *focus*" in child
    assert 'back: "People vs systems ![](pic.png)"' in child
    assert 'tags: [leadership, "Topic::Styles"]' in child
    default = (folder / "default.yaml").read_text()
    assert 'text: "{{c1::Leaders}} inspire, {{c2::managers}} organise"' in default
    assert "extra: Kotter, 1990" in default
    invoke("check", "--strict", str(folder / "parent.yaml"), str(folder / "default.yaml"))

    cards = cards_of(isolated_home)
    assert len(cards) == 8
    by_state = sorted((v[0], v[1], v[3], v[4]) for v in cards.values())
    # basic: Easy then Good (2 reps, review); cloze c1: Again then Good (2 reps,
    # learning again: FSRS's steps); one suspended, two buried; the rest new
    assert by_state.count((0, 0, 1, 0)) == 1  # suspended, new
    assert sum(1 for v in cards.values() if v[4]) == 2  # buried
    assert sorted(v[1] for v in cards.values() if v[1]) == [2, 2]
    assert sorted(r for _, r in answers(isolated_home)) == [1, 3, 3, 4]


def test_a_data_folder_without_a_decks_folder_gets_one(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = tmp_path / "small.yaml"
    deck.write_text("id: small\nname: Small\ncards:\n  - {id: one, front: One?, back: one}\n")
    package = tmp_path / "small.apkg"  # no media: nothing else makes the folder
    monkeypatch.setenv("LEADCARDS_HOME", str(tmp_path / "elsewhere"))
    invoke("export", "anki", str(deck), "-o", str(package))
    monkeypatch.setenv("LEADCARDS_HOME", str(isolated_home))
    invoke("status")  # a learner's first command makes the data folder, not decks/
    assert isolated_home.is_dir() and not decks_dir(isolated_home).exists()
    out = invoke("import", "anki", str(package)).stdout
    assert "Wrote 1 deck (0 unchanged) with 1 note and 1 card" in out
    assert [p.name for p in decks_dir(isolated_home).iterdir()] == ["small.yaml"]


def test_reimport_adds_nothing_and_another_file_needs_force(
    anki_packages: AnkiPackages, isolated_home: Path
) -> None:
    invoke("import", "anki", str(anki_packages.latest), "--with-history")
    before = answers(isolated_home)
    again = invoke("import", "anki", str(anki_packages.legacy2), "--with-history").stdout
    assert "Wrote 0 decks (3 unchanged)" in again
    assert "History: 0 reviews and 0 resets added to the log" in again
    assert "4 already in the log" in again
    assert answers(isolated_home) == before

    edited = decks_dir(isolated_home) / "parent.yaml"
    edited.write_text(edited.read_text().replace("Vision", "Mission"))
    result = invoke("import", "anki", str(anki_packages.latest), code=2)
    assert result.stderr.strip().count("\n") == 0
    assert "parent.yaml' exists; pass --force to replace it" in result.stderr
    assert "Mission" in edited.read_text()  # nothing written
    forced = invoke("import", "anki", str(anki_packages.latest), "--force").stdout
    assert "Wrote 1 deck (2 unchanged)" in forced
    assert "Vision" in edited.read_text()


def test_as_basic_takes_other_note_types_from_two_fields(
    anki_packages: AnkiPackages, isolated_home: Path
) -> None:
    out = invoke("import", "anki", str(anki_packages.latest), "--as-basic").stdout
    assert "with 6 notes and 9 cards" in out
    assert "1 note of other note types taken as basic" in out
    assert "History: not imported" in out
    assert "front: PDSA" in (decks_dir(isolated_home) / "default.yaml").read_text()


def test_one_deck_to_a_file(anki_packages: AnkiPackages, tmp_path: Path) -> None:
    target = tmp_path / "child.yaml"
    invoke(
        "import", "anki", str(anki_packages.latest), "--deck", "parent::child", "-o", str(target)
    )
    assert 'name: "Parent::Child"' in target.read_text()
    many = invoke(
        "import", "anki", str(anki_packages.latest), "-o", str(tmp_path / "x.yaml"), code=2
    )
    assert "the package has 3 decks" in many.stderr
    assert not (tmp_path / "x.yaml").exists()
    none = invoke("import", "anki", str(anki_packages.latest), "--deck", "Nope", code=2)
    assert "no deck 'Nope'" in none.stderr


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("hello"), "not a zip"),
        (lambda p: shutil.copy(Path(__file__), p), "not a zip"),
    ],
)
def test_bad_packages_one_line_nothing_written(
    tmp_path: Path, isolated_home: Path, make: Any, message: str
) -> None:
    package = tmp_path / "bad.apkg"
    make(package)
    result = invoke("import", "anki", str(package), code=1)
    assert result.stderr.strip().count("\n") == 0
    assert message in result.stderr.lower()
    assert not decks_dir(isolated_home).exists() or not any(decks_dir(isolated_home).iterdir())


def _cut(package: Path) -> bytes:
    with zipfile.ZipFile(package) as archive:
        data = archive.read("collection.anki21b")
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        (
            {"collection.anki21b": None, "collection.anki2": None, "meta": None},
            "no anki collection",
        ),
        ({"collection.anki21b": b"\x28\xb5\x2f\xfd" + b"x" * 64}, "collection"),
        ("cut", "cut short"),
        ({"meta": b"\x08\x63"}, "newer"),
    ],
)
def test_damaged_packages_one_line_nothing_written(
    anki_packages: AnkiPackages, tmp_path: Path, isolated_home: Path, replace: Any, message: str
) -> None:
    if replace == "cut":
        replace = {"collection.anki21b": _cut(anki_packages.latest)}
    package = rewrite_zip(anki_packages.latest, tmp_path / "damaged.apkg", replace)
    result = invoke("import", "anki", str(package), "--with-history", code=1)
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert message in result.stderr.lower(), result.stderr
    assert not decks_dir(isolated_home).exists() or not any(decks_dir(isolated_home).iterdir())


def test_round_trip_through_anki(tmp_path: Path, isolated_home: Path) -> None:
    """leadcards → Anki (.apkg with history) → two more reviews in Anki → import: the
    notes land on their own cards, the two reviews are added once."""
    from anki.collection import Collection
    from anki.import_export_pb2 import (
        ExportAnkiPackageOptions,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    deck_file = decks_dir(isolated_home)
    deck_file.mkdir(parents=True)
    (deck_file / "mini.yaml").write_text(basic_deck(3))
    invoke("status")
    store = open_store(isolated_home)
    try:
        at = AT
        store.answer(key(0), 3, 5000, at)
        store.answer(key(1), 1, 5000, at + 60_000)
    finally:
        store.close()
    exported = tmp_path / "mini.apkg"
    invoke("export", "anki", "mini", "-o", str(exported), "--with-history")

    (tmp_path / "phone").mkdir()
    col = Collection(str(tmp_path / "phone" / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(exported),
                options=ImportAnkiPackageOptions(with_scheduling=True),
            )
        )
        assert col.db.scalar("select count() from revlog") == 2
        # two more answers in Anki, on the card answered Good and on a new one
        col.decks.select(col.decks.id_for_name("Mini deck"))
        for _ in range(2):
            queued = col.sched.get_queued_cards()
            top = queued.cards[0]
            card = col.get_card(top.card.id)
            card.start_timer()
            col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=3))
        assert col.db.scalar("select count() from revlog") == 4
        back = tmp_path / "back.apkg"
        col.export_anki_package(
            out_path=str(back),
            options=ExportAnkiPackageOptions(with_scheduling=True, with_media=True),
            limit=None,
        )
    finally:
        col.close()

    before = {p.name for p in decks_dir(isolated_home).iterdir()}
    out = invoke("import", "anki", str(back), "--with-history").stdout
    assert "Wrote 0 decks (0 unchanged) with 0 notes and 0 cards; 3 notes already known" in out
    assert (
        "History: 2 reviews and 0 resets added to the log, 2 left out (2 already in the log" in out
    )
    assert {p.name for p in decks_dir(isolated_home).iterdir()} == before
    assert len(answers(isolated_home)) == 4
    again = invoke("import", "anki", str(back), "--with-history").stdout
    assert "History: 0 reviews and 0 resets added to the log, 4 left out" in again
    assert len(answers(isolated_home)) == 4
    invoke("doctor")
