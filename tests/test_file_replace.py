"""Replacing a file another program holds open, as Windows refuses it: retried a few
times, then one sentence. Windows is faked (``os.name`` and ``os.replace`` of the
module), so this runs everywhere."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from leadcards import file_replace
from leadcards.cli.export_commands import export_app
from leadcards.errors import StoreError
from leadcards.file_replace import HELD_OPEN, replace_file
from leadcards.store import open_store
from leadcards.store.backup import copy_database

Replace = Callable[[object, object], None]


def _held_open(times: int) -> tuple[Replace, list[tuple[str, str]]]:
    """An ``os.replace`` refused ``times`` times as Windows refuses it, then done."""
    calls: list[tuple[str, str]] = []

    def replace(source: object, target: object) -> None:
        calls.append((str(source), str(target)))
        if len(calls) <= times:
            raise PermissionError(errno.EACCES, "Access is denied", str(target))
        os.replace(source, target)  # type: ignore[arg-type]

    return replace, calls


def _windows(monkeypatch: pytest.MonkeyPatch, replace: Replace, name: str = "nt") -> list[float]:
    waits: list[float] = []
    # the platform and os.replace faked; creating the new file beside stays real
    real = {n: getattr(os, n) for n in ("open", "O_WRONLY", "O_CREAT", "O_EXCL")}
    monkeypatch.setattr(file_replace, "os", SimpleNamespace(name=name, replace=replace, **real))
    monkeypatch.setattr(file_replace, "time", SimpleNamespace(sleep=waits.append))
    return waits


def test_a_target_held_open_briefly_is_replaced_on_a_later_try(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "new", tmp_path / "out.txt"
    source.write_text("new")
    target.write_text("old")
    replace, calls = _held_open(2)
    waits = _windows(monkeypatch, replace)
    replace_file(source, target)
    assert target.read_text() == "new" and not source.exists()
    assert len(calls) == 3
    assert waits == [0.05, 0.1]


def test_a_target_kept_open_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "new", tmp_path / "out.txt"
    source.write_text("new")
    target.write_text("old")
    replace, calls = _held_open(99)
    waits = _windows(monkeypatch, replace)
    with pytest.raises(PermissionError) as caught:
        replace_file(source, target)
    assert caught.value.strerror == HELD_OPEN
    assert caught.value.errno == errno.EACCES
    assert caught.value.filename == str(target)
    assert len(calls) == 5 and waits == [0.05, 0.1, 0.2, 0.4]
    assert target.read_text() == "old"


def test_posix_is_not_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    replace, calls = _held_open(1)
    waits = _windows(monkeypatch, replace, name="posix")
    with pytest.raises(PermissionError, match="Access is denied"):
        replace_file(tmp_path / "a", tmp_path / "b")
    assert len(calls) == 1 and waits == []


def test_an_export_onto_a_file_kept_open_says_so_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "export folder" / "my deck.txt"
    out.parent.mkdir()
    out.write_text("precious")
    replace, _ = _held_open(99)
    _windows(monkeypatch, replace)
    monkeypatch.setenv("LEADCARDS_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(export_app, ["csv", "lvm", "-o", str(out), "--force"])
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot write {out}: {HELD_OPEN}\n"
    assert HELD_OPEN == "another program has it open; close it there and try again"
    assert [p.name for p in out.parent.iterdir()] == ["my deck.txt"]
    assert out.read_text() == "precious"


def test_a_backup_whose_name_is_held_open_says_so_and_leaves_no_part(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(isolated_home).close()
    target = tmp_path / "backups" / "leadcards backup.db"
    replace, _ = _held_open(99)
    _windows(monkeypatch, replace)
    with pytest.raises(StoreError) as caught:
        copy_database(isolated_home / "leadcards.db", target)
    assert str(caught.value) == f"cannot write the backup {target}: {HELD_OPEN}"
    assert list(target.parent.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_new_file_beside_has_the_mode_a_plain_open_gives(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        handle, path = file_replace.new_file_beside(tmp_path, ".deck.yaml.", ".part")
        os.close(handle)
        plain = tmp_path / "plain"
        plain.write_bytes(b"")
    finally:
        os.umask(previous)
    assert path.parent == tmp_path
    assert path.name.startswith(".deck.yaml.") and path.name.endswith(".part")
    assert path.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777 == 0o640
    other, second = file_replace.new_file_beside(tmp_path, ".deck.yaml.", ".part")
    os.close(other)
    assert second != path  # never the same name twice: the first is still there
