"""What can sit in the data folder and its decks/: a link to nothing, a folder, an
unreadable file or a named pipe named like a deck; an unreadable data folder; a home
written as '~someone' for no such user. Each is one line and, for a bad deck file, the
command goes on; nothing is ever opened that could block, and nothing stored is lost.

A named pipe made every command that syncs hang while opening it, so those cases run in
a child process with a timeout: a regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.store import open_store

from .conftest import AT, db_rows

runner = CliRunner()

FOCUS = "lvm:comparison:focus:leadership:recall"
MINE = "id: mine\nname: Mine\ncards:\n  - id: a\n    front: Q\n    back: A\n"

# Each command the bad files used to crash (review skipped them already), what it must
# still print, and its arguments.
COMMANDS = {
    "status": (["status"], "Next card: now"),
    "suspend": (["suspend", FOCUS], f"Suspended {FOCUS} (`leadcards unsuspend {FOCUS}`"),
    "unsuspend": (["unsuspend", FOCUS], f"{FOCUS} is not suspended: nothing to do"),
    "forget": (["forget", FOCUS], f"Reset {FOCUS} to new (its history is kept)"),
    "config --deck": (["config", "--deck", "lvm"], "new_per_day = 20    #"),
    "review": (["review"], "Cards answered: 0"),
}


def skipped(path: Path, problem: str) -> str:
    return (
        f"warning: {path}:1:1: {problem}; this deck is skipped — "
        f"`leadcards check {path}` lists every problem\n"
    )


def decks_folder(home: Path) -> Path:
    folder = home / "decks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def link_to_nothing(decks: Path) -> tuple[Path, str]:
    path = decks / "x.yaml"
    path.symlink_to(decks / "gone.yaml")
    return path, "is a link to nothing"


def a_folder(decks: Path) -> tuple[Path, str]:
    path = decks / "d.yaml"
    path.mkdir()
    return path, "is a folder, not a deck file"


def a_symlink_loop(decks: Path) -> tuple[Path, str]:
    path = decks / "loop.yaml"
    path.symlink_to(path)
    return path, f"cannot read: {os.strerror(errno.ELOOP)}"


def unreadable(decks: Path) -> tuple[Path, str]:
    path = decks / "u.yaml"
    path.write_text(MINE)
    path.chmod(0)
    return path, "cannot read: Permission denied"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("make", [link_to_nothing, a_folder, a_symlink_loop])
def test_a_bad_file_in_decks_is_one_warning_and_the_command_goes_on(
    isolated_home: Path, make: Callable[[Path], tuple[Path, str]], command: str
) -> None:
    bad, problem = make(decks_folder(isolated_home))
    args, shown = COMMANDS[command]
    result = runner.invoke(app, args, input="")
    assert (result.exit_code, result.stderr) == (0, skipped(bad, problem)), result.exception
    assert shown in result.stdout


@pytest.fixture
def unprivileged() -> list[str]:
    """How to run a command that file modes apply to: as is, or under root through
    setpriv without the capabilities that let root read anything; else the test skips."""
    if os.geteuid() != 0:
        return []
    drop = "-dac_override,-dac_read_search"
    prefix = ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", "--"]
    try:
        works = subprocess.run([*prefix, "true"], capture_output=True, timeout=30).returncode == 0
    except OSError:
        works = False
    if not works:
        pytest.skip("root reads whatever the mode, and setpriv cannot drop that here")
    return prefix


def _run(
    home: Path, *args: str, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command in a child process, killed (and the test failed) if it hangs."""
    env = dict(os.environ, LEADCARDS_HOME=str(home))
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "leadcards", *args],
        env=env,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreadable_deck_file_is_one_warning(
    isolated_home: Path, unprivileged: list[str], command: str
) -> None:
    bad, problem = unreadable(decks_folder(isolated_home))
    args, shown = COMMANDS[command]
    done = _run(isolated_home, *args, prefix=unprivileged)
    assert (done.returncode, done.stderr) == (0, skipped(bad, problem))
    assert shown in done.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreadable_deck_file_is_one_warning_simulated(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """As a user without read permission meets it: opening the file fails, however it
    is opened."""
    bad = decks_folder(isolated_home) / "u.yaml"
    bad.write_text(MINE)
    for module in (os, io, builtins):
        real = module.open

        def refusing(path: object, *args: object, _real: Any = real, **kwargs: object) -> Any:
            if isinstance(path, (str, Path)) and os.fspath(path) == str(bad):
                raise PermissionError(errno.EACCES, "Permission denied", str(bad))
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(module, "open", refusing)
    args, shown = COMMANDS[command]
    result = runner.invoke(app, args, input="")
    assert (result.exit_code, result.stderr) == (
        0,
        skipped(bad, "cannot read: Permission denied"),
    ), result.exception
    assert shown in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_a_named_pipe_in_decks_is_never_opened(isolated_home: Path, command: str) -> None:
    pipe = decks_folder(isolated_home) / "f.yaml"
    os.mkfifo(pipe)
    args, shown = COMMANDS[command]
    done = _run(isolated_home, *args)
    assert (done.returncode, done.stderr) == (0, skipped(pipe, "is a named pipe, not a deck file"))
    assert shown in done.stdout


def test_a_synced_deck_replaced_by_a_pipe_keeps_its_cards_and_history(
    isolated_home: Path,
) -> None:
    mine = decks_folder(isolated_home) / "mine.yaml"
    mine.write_text(MINE)
    assert runner.invoke(app, ["status"]).exit_code == 0
    with open_store(isolated_home) as store:
        store.answer("mine:a:front", 3, 1000, AT)
    before = db_rows(isolated_home / "leadcards.db", "SELECT * FROM cards WHERE deck_id = 'mine'")
    mine.unlink()
    os.mkfifo(mine)
    done = _run(isolated_home, "status", "--json")
    assert (done.returncode, done.stderr) == (0, skipped(mine, "is a named pipe, not a deck file"))
    db = isolated_home / "leadcards.db"
    assert db_rows(db, "SELECT * FROM cards WHERE deck_id = 'mine'") == before
    assert db_rows(db, "SELECT count(*) FROM events") == [(1,)]
    mine.unlink()
    mine.write_text(MINE)
    assert runner.invoke(app, ["status"]).stderr == ""
    assert db_rows(db, "SELECT * FROM cards WHERE deck_id = 'mine'") == before


# the data folder itself -------------------------------------------------------------

NO_USER = "~no-such-user-of-leadcards"


@pytest.mark.parametrize("command", COMMANDS)
def test_a_home_for_no_such_user_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("LEADCARDS_HOME", f"{NO_USER}/data")
    args, _ = COMMANDS[command]
    result = runner.invoke(app, args, input="")
    assert result.exit_code == 2, result.exception
    assert result.stderr == (
        f"error: LEADCARDS_HOME '{NO_USER}/data': no home folder is known for "
        f"'{NO_USER}'; give the full path\n"
    )
    assert result.stdout == ""
    with_option = runner.invoke(app, [*args, "--home", NO_USER], input="")
    assert with_option.exit_code == 2
    assert with_option.stderr == (
        f"error: --home '{NO_USER}': no home folder is known for '{NO_USER}'; give the full path\n"
    )


def test_a_card_key_that_looks_like_a_home_for_no_such_user() -> None:
    result = runner.invoke(app, ["cards", f"{NO_USER}:x"])
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: no card with key '{NO_USER}:x' (see `leadcards cards` for keys)\n"
    )


UNREADABLE_HOME = (
    "error: cannot read the data folder {}: permission denied "
    "(choose another with --home or LEADCARDS_HOME)\n"
)


@pytest.mark.parametrize("command", [*COMMANDS, "decks", "doctor"])
def test_an_unreadable_data_folder_is_one_line_and_exit_1(
    isolated_home: Path, unprivileged: list[str], command: str
) -> None:
    assert runner.invoke(app, ["status"]).exit_code == 0  # it exists, with a database
    before = (isolated_home / "leadcards.db").read_bytes()
    isolated_home.chmod(0)
    try:
        args = COMMANDS[command][0] if command in COMMANDS else [command]
        done = _run(isolated_home, *args, prefix=unprivileged)
    finally:
        isolated_home.chmod(0o755)
    assert (done.returncode, done.stderr) == (1, UNREADABLE_HOME.format(isolated_home))
    assert (isolated_home / "leadcards.db").read_bytes() == before


def test_an_unreadable_data_folder_simulated(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no test can drop root's powers: the folder as such a user sees it."""
    assert runner.invoke(app, ["status"]).exit_code == 0
    real_access = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        return os.fspath(path) != str(isolated_home) and real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    result = runner.invoke(app, ["status"])
    assert (result.exit_code, result.stderr) == (1, UNREADABLE_HOME.format(isolated_home))


@pytest.mark.parametrize("command", COMMANDS)
def test_a_data_folder_that_is_a_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    home = tmp_path / "a-file"
    home.write_text("not a folder")
    monkeypatch.setenv("LEADCARDS_HOME", str(home))
    result = runner.invoke(app, COMMANDS[command][0], input="")
    assert result.exit_code == 1, result.exception
    assert result.stderr == (
        f"error: the data folder {home} is not a folder "
        "(choose another with --home or LEADCARDS_HOME)\n"
    )
    assert home.read_text() == "not a folder"


def test_an_unreadable_decks_folder_is_one_line_and_hides_no_card(
    isolated_home: Path, unprivileged: list[str]
) -> None:
    """Listing it would find nothing, silently, and its decks' cards would be hidden."""
    decks = decks_folder(isolated_home)
    (decks / "mine.yaml").write_text(MINE)
    assert runner.invoke(app, ["status"]).exit_code == 0
    decks.chmod(0)
    try:
        done = _run(isolated_home, "status", prefix=unprivileged)
    finally:
        decks.chmod(0o755)
    assert done.returncode == 1
    assert done.stderr == (
        f"error: cannot read the decks folder {decks}: permission denied "
        "(let this user read it, or move it aside)\n"
    )
    db = isolated_home / "leadcards.db"
    assert db_rows(db, "SELECT sum(removed) FROM cards WHERE deck_id = 'mine'") == [(0,)]
