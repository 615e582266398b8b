"""The ``leadcards`` command: one module per command group, each a thin layer that
parses arguments, builds the command's ``Workspace``, calls the core, renders, and picks
the exit code. Nothing here runs SQL or reads YAML; heavy modules are imported inside
the commands that need them, because start-up time is paid every day.
"""

from __future__ import annotations

import io
import os
import signal
import sys
from collections.abc import Iterable
from importlib import import_module
from typing import TYPE_CHECKING

from leadcards.errors import ExitStatus

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main"]

# Set by the scripts `--install-completion` writes when the shell wants candidates.
COMPLETE_VAR = "_LEADCARDS_COMPLETE"

# Which module registers each command. A command's module registers it on import, and
# typer turns every registered function into a click command at each start (about 1 ms
# a command), so a run imports the module of the command it was asked for, and all of
# them only for help, completion, or a word that is no command.
COMMANDS: dict[str, str] = {
    "review": "study_commands",
    "cram": "study_commands",
    "status": "study_commands",
    "stats": "stats_commands",
    "cards": "card_commands",
    "suspend": "card_commands",
    "unsuspend": "card_commands",
    "forget": "card_commands",
    "config": "config_command",
    "decks": "deck_commands",
    "check": "deck_commands",
    "show": "deck_commands",
    "doctor": "doctor_command",
    "export": "export_commands",
    "import": "import_commands",
    "plan": "plan_command",
    "backup": "backup_commands",
    "restore": "backup_commands",
    "merge": "merge_command",
    "sync": "sync_command",
    "optimize": "fsrs_commands",
    "simulate": "fsrs_commands",
}


def load_commands(names: Iterable[str] | None = None) -> typer.Typer:
    """The application with the named commands registered (all when ``names`` is None)."""
    wanted = COMMANDS.values() if names is None else (COMMANDS[n] for n in names)
    for module in dict.fromkeys(wanted):
        import_module(f"leadcards.cli.{module}")
    from leadcards.cli.application import app

    return app


def __getattr__(name: str) -> typer.Typer:
    """``leadcards.cli.app``: the application with every command, as tests and tools use it."""
    if name == "app":
        return load_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _command_word(args: list[str]) -> str | None:
    """The command a command line names: the first word not an option (the application's
    own options take no value)."""
    word = next((a for a in args if not a.startswith("-")), None)
    return word if word in COMMANDS else None


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _tolerant_output() -> None:
    """A character standard output cannot encode prints as '?' instead of ending the
    command with a traceback: a pipe or a file on Windows is cp1252 (a console window
    takes everything, Python writes it as UTF-16), a POSIX locale may be Latin-1."""
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
        stream.reconfigure(errors="replace")


def main() -> None:
    """Console-script entry point.

    Termination and a closed terminal end the command as Ctrl-C does, through every
    ``finally``: the terminal is restored and an export's temporary files are removed.
    (An answer is committed the moment it is given, so none is lost either way.)
    """
    if os.environ.get(COMPLETE_VAR):
        from leadcards.cli.completion import complete

        complete(load_commands(), COMPLETE_VAR)
        return
    word = _command_word(sys.argv[1:])
    app = load_commands(None if word is None else [word])
    _tolerant_output()
    # Windows has no SIGHUP; only it has SIGBREAK (Ctrl-Break).
    for name in ("SIGTERM", "SIGHUP", "SIGBREAK"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    try:
        app()
    except KeyboardInterrupt:
        from leadcards.cli.support import err

        err("interrupted")
        sys.exit(ExitStatus.INTERRUPTED)
