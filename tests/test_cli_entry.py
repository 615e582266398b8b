"""The entry point imports only the module of the command it runs: its table must name
every command the modules register, each with the module that registers it."""

from __future__ import annotations

import subprocess
import sys

from typer.main import get_command_name

from leadcards.cli import COMMANDS, _command_word, app


def test_every_registered_command_is_in_the_table_with_its_module() -> None:
    registered = {
        info.name or get_command_name(info.callback.__name__): info.callback.__module__
        for info in app.registered_commands
        if info.callback is not None
    }
    for group in app.registered_groups:
        first = group.typer_instance.registered_commands[0].callback
        assert group.name is not None and first is not None
        registered[group.name] = first.__module__
    assert {name: f"leadcards.cli.{module}" for name, module in COMMANDS.items()} == registered
    assert {"review", "status", "cards", "export", "doctor"} <= set(COMMANDS)


def test_the_command_word_is_the_first_word_that_is_no_option() -> None:
    assert _command_word(["review", "--limit", "1"]) == "review"
    assert _command_word(["--version"]) is None
    assert _command_word(["--help"]) is None
    assert _command_word([]) is None
    assert _command_word(["reveiw"]) is None  # the whole application, for its suggestion
    assert _command_word(["export", "anki", "x.apkg"]) == "export"


def run(*args: str, home: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from leadcards.cli import main; sys.argv[0] = 'leadcards'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={"LEADCARDS_HOME": home, "PATH": "/usr/bin:/bin", "COLUMNS": "80"},
        timeout=60,
    )


def test_a_run_imports_only_its_command_and_help_still_lists_all(tmp_path: object) -> None:
    home = str(tmp_path)
    probe = run("status", home=home)
    assert probe.returncode == 0, probe.stderr
    listing = run("--help", home=home)
    assert listing.returncode == 0
    for name in COMMANDS:
        assert name in listing.stdout
    typo = run("reveiw", home=home)
    assert typo.returncode == 2
    assert "No such command 'reveiw'" in typo.stderr
    status_help = run("status", "--help", home=home)
    assert "Usage: leadcards status" in status_help.stdout
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from leadcards.cli import main; sys.argv = ['leadcards', 'status']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('leadcards.cli.')))",
        ],
        capture_output=True,
        text=True,
        env={"LEADCARDS_HOME": home, "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert "leadcards.cli.study_commands" in loaded.stdout
    assert "leadcards.cli.export_commands" not in loaded.stdout
    assert "leadcards.cli.card_commands" not in loaded.stdout
