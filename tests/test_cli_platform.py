"""What `main` sets up for any platform: the signals a platform has end a command as
Ctrl-C does, and output the stream cannot encode never ends one."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import leadcards.cli as cli


def _signals(monkeypatch: pytest.MonkeyPatch, **numbers: int) -> list[tuple[int, object]]:
    """``leadcards.cli``'s signal module replaced by one with just ``numbers``."""
    installed: list[tuple[int, object]] = []
    fake = SimpleNamespace(**numbers, signal=lambda n, h: installed.append((n, h)))
    monkeypatch.setattr(cli, "signal", fake)
    monkeypatch.setattr(sys, "argv", ["leadcards", "--version"])
    monkeypatch.setattr(cli, "_tolerant_output", lambda: None)  # pytest's own stream
    with pytest.raises(SystemExit):
        cli.main()
    return installed


def test_windows_signals_sigterm_and_sigbreak_no_sighup(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = _signals(monkeypatch, SIGINT=2, SIGTERM=15, SIGBREAK=21)
    assert installed == [(15, cli._stop), (21, cli._stop)]


def test_posix_signals_sigterm_and_sighup(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = _signals(monkeypatch, SIGINT=2, SIGTERM=15, SIGHUP=1)
    assert installed == [(15, cli._stop), (1, cli._stop)]
    with pytest.raises(SystemExit) as stopped:
        cli._stop(1, None)
    assert stopped.value.code == 129


def test_a_strict_stream_is_made_to_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", stream)
    cli._tolerant_output()
    stream.write("Focus — Management ✓ ␛\n")
    stream.flush()
    assert raw.getvalue() == "Focus — Management ? ?\n".encode("cp1252")


def test_line_mode_into_a_latin_1_pipe_prints_and_exits_0(isolated_home: Path) -> None:
    env = dict(os.environ, PYTHONIOENCODING="latin-1")
    done = subprocess.run(
        [sys.executable, "-m", "leadcards", "review"],
        input=b"q\n",
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode("latin-1")
    out = done.stdout.decode("latin-1")
    assert "Q: Focus (Aspect) ? Management?" in out  # the dash Latin-1 lacks
    assert "Session over" in out


def test_this_platform_has_the_signals_main_names() -> None:
    assert hasattr(signal, "SIGTERM")
    assert hasattr(signal, "SIGHUP") == (os.name == "posix")
    assert hasattr(signal, "SIGBREAK") == (os.name == "nt")
