"""The `e` key's editor hook, in-process, with a fake $EDITOR script in tmp_path.

The happy path through a real terminal is in test_review_terminal.py; here are the
sentences for each way an edit can go wrong.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from leadcards import paths
from leadcards.deck.load import load_deck
from leadcards.deck.model import Card
from leadcards.session import Session
from leadcards.store import open_store
from leadcards.sync import sync_deck, sync_files
from leadcards.texts import stored_card
from leadcards.ui.editor import editor_command, make_editor

from .conftest import AT

DECK = "id: ed\nname: Edit\ncards:\n  - id: one\n    front: Frist question\n    back: A\n"


class Hook:
    """The editor hook, with a record of the terminal being handed over and back."""

    def __init__(self, session: Session) -> None:
        self.calls: list[str] = []
        self.session = session
        self.edit = make_editor(
            session, lambda: self.calls.append("before"), lambda: self.calls.append("after")
        )

    def __call__(self, card: Card) -> str:
        return self.edit(card)


@pytest.fixture
def hook(isolated_home: Path, write_deck: Callable[[str], Path]) -> Hook:
    deck = load_deck(write_deck(DECK))
    store = open_store(isolated_home)
    sync_deck(store, deck, AT)
    return Hook(Session(store, [deck], clock=lambda: AT))


def fake_editor(tmp_path: Path, body: str) -> str:
    """An $EDITOR command running ``body`` with ``path`` bound to the deck file."""
    script = tmp_path / "editor.py"
    script.write_text(f"import pathlib, sys\npath = pathlib.Path(sys.argv[2])\n{body}\n")
    return f"{sys.executable} {script}"


@pytest.mark.skipif(os.name != "posix", reason="Windows falls back to Notepad, always there")
def test_no_editor_set_and_none_of_the_platform_s_own(
    hook: Hook, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no nano, no vi
    card = hook.session.card("ed:one:front")
    assert hook(card) == "Set $EDITOR (or $VISUAL) to edit cards from the review."
    assert hook.calls == []  # the terminal was never handed over


def test_editor_that_cannot_start(
    hook: Hook, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-editor"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(missing))
    card = hook.session.card("ed:one:front")
    assert hook(card) == f"Could not start the editor {str(missing)!r}: No such file or directory"
    assert hook.calls == ["before", "after"]  # the terminal is taken back all the same


def test_visual_wins_over_editor(
    hook: Hook, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VISUAL", str(tmp_path / "visual"))
    monkeypatch.setenv("EDITOR", str(tmp_path / "editor"))
    card = hook.session.card("ed:one:front")
    assert hook(card).startswith(f"Could not start the editor {str(tmp_path / 'visual')!r}")


def test_editor_exiting_non_zero_still_reloads_what_the_file_says(
    hook: Hook, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    body = "path.write_text(path.read_text().replace('Frist', 'First'))\nsys.exit(3)"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, body))
    card = hook.session.card("ed:one:front")
    assert hook(card) == "Reloaded deck.yaml: 1 cards."
    assert hook.session.card("ed:one:front").front == "First question"
    # stored for the next command too, with the file as it now is: not parsed again
    store = hook.session.store
    assert stored_card(store, "ed:one:front").front == "First question"
    assert sync_files(store, [tmp_path / "deck.yaml"], AT).parsed == []


def test_deck_broken_by_the_edit_keeps_the_old_cards(
    hook: Hook, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    body = "path.write_text(path.read_text().replace('back: A', 'bakc: A'))"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, body))
    card = hook.session.card("ed:one:front")
    message = hook(card)
    assert message.startswith(
        f"The deck now has problems, kept the old cards: {tmp_path / 'deck.yaml'}:6:5: "
    )
    assert "'bakc'" in message and "\n" not in message  # the first problem, on one line
    assert hook.calls == ["before", "after"]
    assert hook.session.card("ed:one:front") == card


def test_the_builtin_deck_is_not_opened(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the built-in deck where the program finds it: in the installed package under CI
    deck = load_deck(paths.builtin_decks_dir() / "leadership-vs-management.yaml")
    store = open_store(isolated_home)
    sync_deck(store, deck, AT)
    hook = Hook(Session(store, [deck], clock=lambda: AT))
    monkeypatch.setenv("EDITOR", "false")
    message = hook(deck.cards[0])
    assert message.startswith("The built-in deck is part of leadcards; copy it")
    assert hook.calls == []


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for nano")
def test_no_editor_set_opens_nano_at_the_card(
    hook: Hook, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    seen = tmp_path / "nano-args.txt"
    nano = folder / "nano"
    nano.write_text(f"#!/bin/sh\nprintf '%s|' \"$@\" > '{seen}'\n")
    nano.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", str(folder))
    card = hook.session.card("ed:one:front")
    assert hook(card) == "Reloaded deck.yaml: 1 cards."
    assert seen.read_text() == f"+4|{tmp_path / 'deck.yaml'}|"
    assert hook.calls == ["before", "after"]


def test_an_editor_command_with_an_unclosed_quote_is_one_sentence(
    hook: Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", 'vim "-u')
    card = hook.session.card("ed:one:front")
    assert hook(card) == "Could not read the editor command 'vim \"-u': No closing quotation"
    assert hook.calls == []


def _which(found: dict[str, str]):
    return lambda name: found.get(name)


def test_posix_editor_commands() -> None:
    path = "/home/ann lee/decks/my deck.yaml"
    none = _which({})
    assert editor_command("vim -u NONE", path, 4, windows=False, which=none) == [
        "vim",
        "-u",
        "NONE",
        "+4",
        path,
    ]
    assert editor_command("'/opt/my editor/ed' --wait", path, 7, windows=False, which=none) == [
        "/opt/my editor/ed",
        "--wait",
        "+7",
        path,
    ]
    assert editor_command("code --wait", path, 7, windows=False, which=none) == [
        "code",
        "--wait",
        path,
    ]
    both = _which({"nano": "/usr/bin/nano", "vi": "/usr/bin/vi"})
    assert editor_command(None, path, 2, windows=False, which=both) == ["nano", "+2", path]
    only_vi = _which({"vi": "/usr/bin/vi"})
    assert editor_command("", path, 2, windows=False, which=only_vi) == ["vi", "+2", path]
    assert editor_command(None, path, 2, windows=False, which=none) is None


def test_windows_editor_commands(tmp_path: Path) -> None:
    path = r"C:\Users\Ann Lee\decks\my deck.yaml"
    found = _which(
        {
            "notepad": r"C:\Windows\system32\notepad.exe",
            "code": r"C:\Users\Ann Lee\AppData\Local\Programs\VS Code\bin\code.cmd",
            "vim": r"C:\Program Files\Vim\vim91\vim.exe",
        }
    )
    assert editor_command(None, path, 4, windows=True, which=found) == [
        r"C:\Windows\system32\notepad.exe",
        path,
    ]
    assert editor_command("code --wait", path, 4, windows=True, which=found) == [
        r"C:\Users\Ann Lee\AppData\Local\Programs\VS Code\bin\code.cmd",
        "--wait",
        path,
    ]
    assert editor_command("vim", path, 4, windows=True, which=found) == [
        r"C:\Program Files\Vim\vim91\vim.exe",
        "+4",
        path,
    ]
    quoted = r'"C:\Program Files\Notepad++\notepad++.exe" -multiInst -nosession'
    assert editor_command(quoted, path, 4, windows=True, which=found) == [
        r"C:\Program Files\Notepad++\notepad++.exe",
        "-multiInst",
        "-nosession",
        path,
    ]
    # a program's path with a space, not quoted, that names a file: one word
    program = tmp_path / "My Editor" / "ed.exe"
    program.parent.mkdir()
    program.write_text("")
    assert editor_command(str(program), path, 4, windows=True, which=found) == [
        str(program),
        "+4",
        path,
    ]
