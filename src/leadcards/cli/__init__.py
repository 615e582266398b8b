"""The ``leadcards`` command: one module per command group, each a thin layer that
parses arguments, builds the command's ``Workspace``, calls the core, renders, and picks
the exit code. Nothing here runs SQL or reads YAML; heavy modules are imported inside
the commands that need them, because start-up time is paid every day.
"""

from __future__ import annotations

import os
import signal
import sys

from leadcards.cli import (
    card_commands,
    config_command,
    deck_commands,
    doctor_command,
    export_commands,
    plan_command,
    study_commands,
)
from leadcards.cli.app import app
from leadcards.cli.support import err
from leadcards.errors import ExitStatus

__all__ = ["app", "main"]

# Set by the scripts `--install-completion` writes when the shell wants candidates.
COMPLETE_VAR = "_LEADCARDS_COMPLETE"

# Registration happens on import; the names keep linters from calling these unused.
COMMAND_MODULES = (
    deck_commands,
    study_commands,
    card_commands,
    config_command,
    doctor_command,
    export_commands,
    plan_command,
)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    """Console-script entry point.

    Termination and a closed terminal end the command as Ctrl-C does, through every
    ``finally``: the terminal is restored and an export's temporary files are removed.
    (An answer is committed the moment it is given, so none is lost either way.)
    """
    if os.environ.get(COMPLETE_VAR):
        from leadcards.cli.completion import complete

        complete(app, COMPLETE_VAR)
        return
    for name in ("SIGTERM", "SIGHUP"):  # Windows has no SIGHUP
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    try:
        app()
    except KeyboardInterrupt:
        err("interrupted")
        sys.exit(ExitStatus.INTERRUPTED)
