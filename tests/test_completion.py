"""Shell completion as a shell asks for it: the installed `leadcards` script run with
typer's bash protocol (`_LEADCARDS_COMPLETE=complete_bash`, COMP_WORDS, COMP_CWORD),
its candidates read from what it prints; and once through a real interactive bash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from leadcards.cli import app

from .conftest import basic_deck

# The console script beside the interpreter: the file a shell's completion runs.
LEADCARDS = Path(sys.executable).with_name("leadcards")
FOCUS = "lvm:comparison:focus:leadership:recall"
FOCUS_MANAGEMENT = "lvm:comparison:focus:management:recall"

runner = CliRunner()


def complete(*words: str) -> list[str]:
    """The candidates for `leadcards WORDS…` with the cursor at the end of the last word
    (an empty last word: after a space). Nothing may reach standard error."""
    env = {
        **os.environ,
        "_LEADCARDS_COMPLETE": "complete_bash",
        "COMP_WORDS": " ".join(["leadcards", *words]),
        "COMP_CWORD": str(len(words)),
    }
    result = subprocess.run(
        [str(LEADCARDS)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")
    return [line for line in result.stdout.split("\n") if line]  # as bash reads them


def sync(*args: str) -> None:
    """Any command syncs the decks into the database; completion only reads it."""
    result = runner.invoke(app, ["status", *args])
    assert result.exit_code == 0, result.output


def test_help_offers_to_install_completion() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_start_up_does_not_load_the_completion_code() -> None:
    """typer builds the command with its completers at every start-up; the module they
    call, and the store behind it, load only when a shell asks."""
    code = (
        "import sys; from typer.main import get_command; from leadcards.cli import app; "
        "get_command(app); print('leadcards.cli.completion' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False\n"


@pytest.mark.parametrize(
    "words",
    [
        ("review", "l"),
        ("review", "lvm", "l"),
        ("show", "l"),
        ("export", "anki", "l"),
        ("export", "csv", "-o", "out.txt", "l"),
        ("config", "--deck", "l"),
    ],
)
def test_deck_ids_complete_wherever_a_deck_is_taken(words: tuple[str, ...]) -> None:
    sync()
    assert complete(*words) == ["lvm"]


def test_a_path_is_left_to_the_shell() -> None:
    """No candidates: bash (`-o default`), zsh and fish then complete file names."""
    sync()
    assert complete("review", "./") == []
    assert complete("check", "l") == []


@pytest.mark.parametrize("command", ["suspend", "unsuspend", "forget"])
def test_card_keys_complete_by_prefix(command: str) -> None:
    sync()
    keys = complete(command, "lvm:comparison:foc")
    assert FOCUS in keys
    assert FOCUS_MANAGEMENT in keys
    assert all(key.startswith("lvm:comparison:focus:") for key in keys)


def test_bash_cuts_keys_at_colons_and_gets_back_only_what_it_replaces() -> None:
    """bash splits `lvm:comparison:foc` into five words and replaces only `foc`."""
    sync()
    assert "focus:leadership:recall" in complete("suspend", "lvm", ":", "comparison", ":", "foc")
    assert "comparison:focus:leadership:recall" in complete("forget", "lvm", ":")


def test_cards_offers_deck_ids_then_the_keys_after_a_colon() -> None:
    sync()
    assert complete("cards", "l") == ["lvm", "lvm:"]
    assert complete("cards", "lvm:comparison:focus:lead") == [
        "lvm:comparison:focus:leadership:choice",
        "lvm:comparison:focus:leadership:identify",
        FOCUS,
    ]


def test_many_keys_are_cut_keeping_the_last(isolated_home: Path) -> None:
    (isolated_home / "decks").mkdir(parents=True)
    (isolated_home / "decks" / "mini.yaml").write_text(basic_deck(150))
    sync()
    keys = complete("suspend", "mini:")
    assert len(keys) == 100
    assert keys[0] == "mini:c00:front"
    # the last key in order is kept, so the shell types no more than all keys share
    assert keys[-1] == "mini:c99:front"
    assert os.path.commonprefix(keys) == "mini:c"  # noqa: RUF071 (by character, as a shell)
    assert complete("suspend", "mini:c14") == [
        *(f"mini:c14{i}:front" for i in range(10)),
        "mini:c14:front",  # ':' sorts after the digits
    ]


def test_setting_names_complete_for_config() -> None:
    assert "new_per_day" in complete("config", "new")
    assert complete("config", "no-such-setting") == []


def test_completion_changes_no_file(isolated_home: Path) -> None:
    sync()

    def files() -> dict[str, tuple[int, int]]:
        return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in isolated_home.iterdir()}

    before = files()
    assert FOCUS in complete("suspend", "lvm:")
    assert complete("review", "l") == ["lvm"]
    assert files() == before


def test_a_home_typed_on_the_line_is_the_one_read(tmp_path: Path, isolated_home: Path) -> None:
    other = tmp_path / "other"
    sync("--home", str(other))
    assert complete("review", "--home", str(other), "l") == ["lvm"]
    assert complete("review", "l") == []
    assert not isolated_home.exists()


def test_no_database_offers_nothing_and_creates_nothing(isolated_home: Path) -> None:
    assert complete("review", "l") == []
    assert complete("suspend", "lvm:") == []
    assert complete("cards", "") == []
    assert not isolated_home.exists()
    isolated_home.mkdir()
    assert complete("review", "") == []
    assert list(isolated_home.iterdir()) == []


def test_a_damaged_database_offers_nothing_and_is_left_alone(isolated_home: Path) -> None:
    isolated_home.mkdir()
    database = isolated_home / "leadcards.db"
    database.write_bytes(b"not a database at all")
    assert complete("review", "l") == []
    assert complete("suspend", "lvm:") == []
    assert database.read_bytes() == b"not a database at all"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_real_bash_completes_a_card_key(tmp_path: Path) -> None:
    sync()
    script = subprocess.run(
        [str(LEADCARDS)],
        env={**os.environ, "_LEADCARDS_COMPLETE": "source_bash"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (tmp_path / "completion.bash").write_text(script)
    env = {
        **os.environ,
        "PATH": f"{LEADCARDS.parent}{os.pathsep}{os.environ['PATH']}",
        "PS1": "ready> ",
        "INPUTRC": "/dev/null",
        "TERM": "dumb",
    }
    shell = pexpect.spawn(
        "bash", ["--norc", "--noprofile", "-i"], env=env, encoding="utf-8", timeout=30
    )
    try:
        shell.expect_exact("ready> ")
        shell.sendline(f"source {tmp_path / 'completion.bash'}")
        shell.expect_exact("ready> ")
        # three keys share "leadership:", so bash types up to there and waits
        shell.send("leadcards suspend lvm:comparison:focus:lead\t")
        shell.expect_exact("ership:")
        shell.send("r\t")
        shell.expect_exact("ecall ")
        shell.send("\x03")  # Ctrl-C: the line is never run
        shell.expect_exact("ready> ")
    finally:
        shell.close(force=True)
