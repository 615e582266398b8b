"""``leadcards export``: the summary line, and one exact line for every bad input.

Every failure must exit non-zero and leave nothing behind in the target folder:
no output file and no temporary file.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import time
import types
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import export_commands as command
from leadcards.cli.export_commands import export_app
from leadcards.deck.model import Deck
from leadcards.export import apkg, output
from leadcards.export.apkg_history import MISSING_ANKI

runner = CliRunner()
SIZE = r"\(\d+(\.\d)? (B|KB|MB)\)"


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(export_app, list(args))


@pytest.fixture(autouse=True)
def home_apart(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder (an export syncs its decks there first) apart from the folder the
    exports write to, whose listings must show only what an export wrote."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("LEADCARDS_HOME", str(home))
    return home


def test_anki_export_prints_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "lvm.apkg"
    result = run("anki", "lvm", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(
        rf"Exported 101 notes, 153 cards, 1 deck → {re.escape(str(out))} {SIZE}\n", result.stdout
    )
    assert result.stderr == ""
    assert [p.name for p in tmp_path.iterdir()] == ["lvm.apkg"]
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's private 0600


def test_csv_export_prints_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "lvm.txt"
    result = run("csv", "-o", str(out))  # no deck named: every known deck
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(
        rf"Exported 101 notes, 153 cards, 1 deck → {re.escape(str(out))} {SIZE}\n", result.stdout
    )
    assert out.read_text(encoding="utf-8").startswith("#separator:tab\n#html:true\n")


def test_deck_files_and_several_decks(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "export"
    out = tmp_path / "two.apkg"
    result = run("anki", str(fixtures / "edge.yaml"), str(fixtures / "second.yaml"), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Exported 17 notes, 26 cards, 2 decks → ")


def test_a_deck_named_twice_is_exported_once(tmp_path: Path) -> None:
    from leadcards import paths

    # the installed file: a copy elsewhere (the repository's, under CI) is another file
    # claiming the same id, which is refused
    builtin = paths.builtin_decks_dir() / "leadership-vs-management.yaml"
    out = tmp_path / "once.apkg"
    result = run("anki", "lvm", str(builtin), "lvm", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Exported 101 notes, 153 cards, 1 deck → ")


def assert_refused(result, message: str, folder: Path, exit_code: int = 2) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == exit_code
    assert result.stdout == ""
    assert result.stderr == message + "\n"
    leftovers = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    assert not [name for name in leftovers if name.endswith((".apkg", ".txt", ".part"))]


@pytest.mark.parametrize("kind", ["anki", "csv"])
def test_unknown_deck(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out.apkg"
    result = run(kind, "nope", "-o", str(out))
    assert_refused(result, "error: no deck with id 'nope' (known decks: lvm)", tmp_path)


@pytest.mark.parametrize("kind", ["anki", "csv"])
def test_missing_folder(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "missing" / "out.apkg"
    result = run(kind, "lvm", "-o", str(out))
    assert_refused(
        result,
        f"error: cannot write {out}: the folder {tmp_path / 'missing'} does not exist",
        tmp_path,
    )


def test_folder_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.md"
    blocker.write_text("a file, not a folder")
    out = blocker / "out.apkg"
    result = run("anki", "lvm", "-o", str(out))
    assert_refused(result, f"error: cannot write {out}: {blocker} is not a folder", tmp_path)


def test_output_is_a_folder(tmp_path: Path) -> None:
    result = run("anki", "lvm", "-o", str(tmp_path))
    assert_refused(result, f"error: cannot write {tmp_path}: it is a folder", tmp_path)


def test_folder_without_write_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, for whom chmod does not stop writing; the check itself is
    # os.access, so a folder it reports as unwritable is what is simulated here.
    real_access = os.access
    monkeypatch.setattr(
        output.os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode)
    )
    out = tmp_path / "out.apkg"
    result = run("anki", "lvm", "-o", str(out))
    assert_refused(
        result, f"error: cannot write {out}: no permission to write in {tmp_path}", tmp_path
    )


def test_write_refused_by_the_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # When the pre-check passes but the system still refuses (root squash, ACLs, a
    # read-only mount), the error from creating the temporary file is reported.
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output, "new_file_beside", refuse)
    out = tmp_path / "out.apkg"
    result = run("anki", "lvm", "-o", str(out))
    assert_refused(result, f"error: cannot write {out}: Permission denied", tmp_path, 1)


@pytest.mark.skipif(
    not Path("/sys").is_dir(), reason="needs /sys (refuses new files, even to root)"
)
def test_really_unwritable_folder(tmp_path: Path) -> None:
    probe = Path("/sys/leadcards-probe")
    try:
        probe.write_text("x")
    except OSError:
        pass
    else:
        probe.unlink()
        pytest.skip("/sys accepts files here")
    out = Path("/sys/leadcards-export.apkg")
    result = run("anki", "lvm", "-o", str(out))
    assert result.exit_code != 0
    assert result.stderr.startswith(f"error: cannot write {out}: ")
    assert result.stderr.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("kind", ["anki", "csv"])
def test_existing_file_needs_force(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out.file"
    out.write_text("precious")
    result = run(kind, "lvm", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"error: {out} already exists; use --force to overwrite it\n"
    assert out.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.file"]
    result = run(kind, "lvm", "-o", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    assert out.read_text(errors="replace") != "precious"


def test_with_history_without_the_anki_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "anki.collection", None)  # import fails
    out = tmp_path / "out.apkg"
    result = run("anki", "lvm", "-o", str(out), "--with-history")
    assert_refused(result, f"error: {MISSING_ANKI}", tmp_path, 1)


def test_failure_while_writing_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def half_written(package: object, path: Path, mtime: object) -> None:
        path.write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(apkg, "write_package", half_written)
    out = tmp_path / "out.apkg"
    result = run("anki", "lvm", "-o", str(out))
    assert_refused(result, f"error: cannot write {out}: No space left on device", tmp_path, 1)
    assert list(tmp_path.iterdir()) == []


def test_interrupt_while_writing_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.apkg"
    with pytest.raises(KeyboardInterrupt), output.atomic_output(out) as temp:
        temp.write_bytes(b"partial")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_with_history_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("anki")
    from leadcards.deck.load import load_deck
    from tests.test_export_anki import _history

    deck = load_deck(
        Path(__file__).resolve().parents[1] / "decks" / "leadership-vs-management.yaml"
    )
    schedules = _history(deck)
    asked = []

    def card_schedules(store: Any, decks: list[Deck]) -> dict[str, Any]:
        asked.append((store.path.parent, [d.id for d in decks]))
        return schedules

    # The store's function is stood in for, so this test checks only the wiring.
    fake = types.ModuleType("leadcards.schedules")
    fake.card_schedules = card_schedules  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "leadcards.schedules", fake)
    out = tmp_path / "history.apkg"
    result = run("anki", "lvm", "-o", str(out), "--with-history", "--home", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    reviews = sum(len(s.reviews) for s in schedules.values())
    assert result.stdout.startswith(f"Exported 101 notes, 153 cards, 1 deck, {reviews} reviews → ")
    assert asked == [(tmp_path, ["lvm"])]


def test_with_history_checks_once_and_reads_the_log_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("anki")
    from leadcards.export import apkg_history, output

    calls: list[str] = []
    real_check = output.check_output

    def check_output(path: Path, *, force: bool) -> None:
        calls.append("check output")
        real_check(path, force=force)

    def require_anki() -> None:
        calls.append("require anki")

    def card_schedules(store: Any, decks: list[Deck]) -> dict[str, Any]:
        calls.append("read the log")
        return {}

    monkeypatch.setattr(apkg_history, "check_output", check_output)
    monkeypatch.setattr(apkg_history, "require_anki", require_anki)
    fake = types.ModuleType("leadcards.schedules")
    fake.card_schedules = card_schedules  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "leadcards.schedules", fake)
    out = tmp_path / "out.apkg"
    out.write_text("precious")
    result = run("anki", "lvm", "-o", str(out), "--with-history", "--home", str(tmp_path))
    assert result.exit_code == 2
    assert calls == ["check output"]  # refused before the log is read
    calls.clear()
    result = run("anki", "lvm", "-o", str(out), "--with-history", "--force")
    assert result.exit_code == 0, result.stderr
    assert calls == ["check output", "require anki", "read the log"]


def test_progress_only_for_large_exports_in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    with command._progress(10_000) as advance:
        assert advance is None  # stderr is not a terminal under pytest
    monkeypatch.setattr(command.sys.stderr, "isatty", lambda: True, raising=False)
    with command._progress(command.LARGE_EXPORT) as advance:
        assert advance is None
    with command._progress(command.LARGE_EXPORT + 1) as advance:
        assert advance is not None
        advance(5)


def test_every_command_has_help() -> None:
    for name in ("anki", "csv"):
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "-o, --output" in result.stdout and "--force" in result.stdout
    assert "--with-history" in run("anki", "--help").stdout


def test_a_note_anki_would_split_differently_is_refused(tmp_path: Path, write_deck) -> None:  # type: ignore[no-untyped-def]
    # Anki has no card for {{c0::…}}: exporting it would break the one-card-one-card
    # mapping that history relies on. The deck loader refuses it before any export.
    deck = write_deck(
        'id: cz\nname: Cz\ncards:\n  - id: z\n    type: cloze\n    text: "{{c0::a}} {{c1::b}}"\n'
    )
    out = tmp_path / "cz.apkg"
    result = run("anki", str(deck), "-o", str(out))
    assert_refused(
        result, f"{deck}:6:11: cloze numbers start at 1: Anki ignores {{{{c0::...}}}}", tmp_path, 1
    )


def test_with_history_from_a_real_store(tmp_path: Path) -> None:
    """Answers stored by leadcards arrive in Anki: one revlog row each, FSRS state kept."""
    pytest.importorskip("anki")
    from leadcards.deck.load import load_deck
    from leadcards.store import open_store
    from leadcards.sync import sync_deck
    from tests.test_export_anki import (
        ANKI_DECIMALS,
        ORDINALS,
        fresh_collection,
        import_apkg,
        note_id,
    )

    deck = load_deck(
        Path(__file__).resolve().parents[1] / "decks" / "leadership-vs-management.yaml"
    )
    home = tmp_path / "home"
    start = 1_772_000_000_000  # 2026-02-25, a few days before the tests' LEADCARDS_NOW
    answered = {deck.cards[0].key: (3, 3, 3), deck.cards[5].key: (3, 1, 3), deck.cards[9].key: (4,)}
    with open_store(home) as store:
        sync_deck(store, deck, start)
        for key, ratings in answered.items():
            at = start
            for rating in ratings:
                store.answer(key, rating, 4_000, at)
                at += 86_400_000
        memories = {key: store.card(key).memory for key in answered}
    out = tmp_path / "mine.apkg"
    result = run("anki", "lvm", "-o", str(out), "--with-history", "--home", str(home))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Exported 101 notes, 153 cards, 1 deck, 7 reviews → ")

    col = fresh_collection(tmp_path, "anki")
    import_apkg(col, out, scheduling=True)
    assert col.db.scalar("select count() from revlog") == 7
    cards = {c.key: c for c in deck.cards}
    for key, ratings in answered.items():
        note = col.get_note(note_id(col, "lvm", cards[key].note_id))
        ordinal = ORDINALS[(cards[key].kind, cards[key].template)]
        (card,) = [c for c in note.cards() if c.ord == ordinal]
        eases = col.db.list("select ease from revlog where cid = ? order by id", card.id)
        assert tuple(eases) == ratings
        assert card.reps == len(ratings) == memories[key].reps
        assert card.memory_state.stability == pytest.approx(
            memories[key].stability, abs=ANKI_DECIMALS
        )
        assert card.memory_state.difficulty == pytest.approx(
            memories[key].difficulty, abs=ANKI_DECIMALS
        )
    assert col.db.scalar("select count() from cards where type = 0") == 153 - len(answered)
    col.close()


def test_with_history_refuses_answers_ahead_of_the_clock(tmp_path: Path) -> None:
    """Answers given under a future LEADCARDS_NOW: Anki would reject the package, so the
    export says why in one line and writes nothing (it used to end in a traceback)."""
    pytest.importorskip("anki")
    import time

    from leadcards.deck.load import load_deck
    from leadcards.store import open_store
    from leadcards.sync import sync_deck

    from .conftest import BUILTIN_DECK, DAY

    ahead = int(time.time() * 1000) + 30 * DAY  # 30 days ahead of the real clock
    home = tmp_path / "home"
    with open_store(home) as store:
        deck = load_deck(BUILTIN_DECK)
        sync_deck(store, deck, ahead)
        for card in deck.cards[:3]:
            store.answer(card.key, 3, 2000, ahead)
    out = tmp_path / "history.apkg"
    result = run("anki", "lvm", "-o", str(out), "--with-history", "--home", str(home))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "error: 3 answers in the log are later than this computer's clock (the last at "
    )
    assert "export without --with-history" in result.stderr
    assert not out.exists()
    # without the history the same deck exports
    assert run("anki", "lvm", "-o", str(out), "--home", str(home)).exit_code == 0


# nothing left behind, nothing but a regular file replaced --------------------------------


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, for this test alone."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_an_export_leaves_nothing_in_the_temporary_folder(
    tmp_path: Path, private_tmp: Path
) -> None:
    import zipfile

    out = tmp_path / "lvm.apkg"
    assert run("anki", "lvm", "-o", str(out)).exit_code == 0
    assert list(private_tmp.iterdir()) == []  # genanki alone leaves its collection there
    with zipfile.ZipFile(out) as package:
        assert package.namelist() == ["collection.anki2", "media"]
        assert package.getinfo("collection.anki2").compress_type == zipfile.ZIP_DEFLATED


def test_leftovers_of_killed_exports_are_swept_when_old(tmp_path: Path, private_tmp: Path) -> None:
    out = tmp_path / "lvm.apkg"
    old, fresh = tmp_path / ".lvm.apkg.abc123.part", tmp_path / ".lvm.apkg.def456.part"
    work = private_tmp / "leadcards-export-xyz"
    other = tmp_path / ".notes.txt.abc123.part"  # another export's: not this one's to take
    for path in (old, fresh, other):
        path.write_bytes(b"half")
    work.mkdir()
    (work / "collection.anki2").write_bytes(b"half")
    hours_ago = time.time() - 2 * 3600
    for path in (old, other, work):
        os.utime(path, (hours_ago, hours_ago))
    assert run("anki", "lvm", "-o", str(out)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [out.name, fresh.name, other.name, "tmp"]
    )  # a fresh one may be an export still running
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("kind", ["symlink", "device", "fifo"])
def test_force_never_replaces_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out.apkg"
    if kind == "symlink":
        target = tmp_path / "real.apkg"
        target.write_text("precious")
        out.symlink_to(target)
        message = f"error: cannot write {out}: it is a symbolic link; name the file itself\n"
    elif kind == "device":
        # A device node of its own (never the system's /dev/null: a regression would
        # replace it with a file); making one needs root.
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(out, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        message = f"error: cannot write {out}: it is not a regular file\n"
    else:
        os.mkfifo(out)
        message = f"error: cannot write {out}: it is not a regular file\n"
    result = run("anki", "lvm", "-o", str(out), "--force")
    assert result.exit_code == 2
    assert result.stderr == message
    if kind == "symlink":
        assert out.is_symlink() and (tmp_path / "real.apkg").read_text() == "precious"
    elif kind == "device":
        assert stat.S_ISCHR(out.lstat().st_mode)
    else:
        assert stat.S_ISFIFO(out.lstat().st_mode)


def test_with_history_leaves_practice_answers_out(tmp_path: Path) -> None:
    """Anki has no review that changes nothing: a cram session's answers stay behind."""
    pytest.importorskip("anki")
    from leadcards.deck.load import load_deck
    from leadcards.store import open_store
    from leadcards.sync import sync_deck
    from tests.test_export_anki import ORDINALS, fresh_collection, import_apkg, note_id

    deck = load_deck(
        Path(__file__).resolve().parents[1] / "decks" / "leadership-vs-management.yaml"
    )
    home = tmp_path / "home"
    start = 1_772_000_000_000  # 2026-02-25, a few days before the tests' LEADCARDS_NOW
    card = deck.cards[0]
    with open_store(home) as store:
        sync_deck(store, deck, start)
        store.answer(card.key, 3, 4_000, start)
        store.answer(card.key, 1, 2_000, start + 3_600_000, practice=True)
        store.answer(deck.cards[7].key, 4, 2_000, start + 3_600_000, practice=True)
        store.answer(card.key, 4, 4_000, start + 86_400_000)
    out = tmp_path / "crammed.apkg"
    result = run("anki", "lvm", "-o", str(out), "--with-history", "--home", str(home))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Exported 101 notes, 153 cards, 1 deck, 2 reviews → ")
    col = fresh_collection(tmp_path, "anki")
    import_apkg(col, out, scheduling=True)
    note = col.get_note(note_id(col, "lvm", card.note_id))
    (anki_card,) = [c for c in note.cards() if c.ord == ORDINALS[(card.kind, card.template)]]
    assert col.db.list("select ease from revlog order by id") == [3, 4]
    assert col.db.scalar("select count() from revlog where cid != ?", anki_card.id) == 0
    assert anki_card.reps == 2
    col.close()
