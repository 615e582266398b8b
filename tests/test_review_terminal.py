"""`leadcards review` in a real pseudo-terminal, and line mode under a real kill."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from leadcards.deck.load import load_deck

from .conftest import as_from_a_shell

# pexpect runs a program in a pseudo-terminal on POSIX only; on Windows the screen's
# loop and key reader are tested with fakes (test_review_screen_loop, test_console_io).
pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs a POSIX pseudo-terminal")

LEADCARDS = [sys.executable, "-m", "leadcards"]
_STYLE = r"(?:\x1b\[[0-9;]*m)*"


def loose(text: str) -> str:
    """A pattern for ``text`` as a terminal shows it: colour codes may sit anywhere."""
    return _STYLE.join(re.escape(ch) for ch in text)


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "LEADCARDS_HOME": str(home),
            "LEADCARDS_NOW": "2026-03-02T09:00:00+00:00",
            "TZ": "UTC",
            "TERM": "xterm-256color",
        }
    )
    for name in ("NO_COLOR", "COLUMNS", "LINES"):  # the terminal's own size must rule
        env.pop(name, None)
    env.update(extra)
    return env


def _rows(home: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(home / "leadcards.db") as conn:
        return conn.execute(sql).fetchall()


def _spawn(home: Path, *args: str, **env: str) -> pexpect.spawn:
    child = pexpect.spawn(
        LEADCARDS[0],
        [*LEADCARDS[1:], "review", *args],
        env=_env(home, **env),
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=15,
        preexec_fn=as_from_a_shell,
    )
    return child


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LEADCARDS, *args], env=_env(home), capture_output=True, text=True, timeout=60
    )


def test_keys_answer_cards_and_the_database_holds_exactly_those_answers(
    isolated_home: Path,
) -> None:
    assert _run(isolated_home, "config", "fuzz", "off").returncode == 0
    assert _run(isolated_home, "status").returncode == 0  # syncs the deck: every card exists
    before = {row[0]: row for row in _rows(isolated_home, "SELECT * FROM cards")}
    child = _spawn(isolated_home)
    child.expect(loose("20 new"))
    child.expect(loose("Focus"))
    child.send(" ")
    child.expect(loose("1 Again 1m · 2 Hard 6m · 3 Good 10m · 4 Easy 8d"))
    child.send("3")
    child.expect(loose("Good: next in 10m"))
    child.send("x")  # an unknown key does nothing harmful
    child.expect(loose("does nothing here"))
    child.send("\x1b[A")  # an arrow key is swallowed
    child.send("1")  # as in Anki, a rating before the answer shows counts for nothing
    child.expect(loose("Show the answer first (space), then rate 1–4."))
    child.send(" ")
    child.send("1")
    child.expect(loose("Again: next in 1m"))
    child.send("q")
    child.expect(loose("Session over"))
    child.expect(loose("Cards answered: 2"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    reviews = _rows(
        isolated_home,
        "SELECT card_key, rating, kind FROM live_events WHERE kind = 'answer' ORDER BY at, id",
    )
    assert [(r[1], r[2]) for r in reviews] == [(3, "answer"), (1, "answer")]
    after = {row[0]: row for row in _rows(isolated_home, "SELECT * FROM cards")}
    assert len(before) == len(after) == 153
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {reviews[0][0], reviews[1][0]}
    doctor = _run(isolated_home, "doctor")
    assert doctor.returncode == 0, doctor.stdout


def test_choice_undo_help_bury_and_suspend_keys(isolated_home: Path, tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "id: keys\nname: Keys\ncards:\n"
        "  - {id: heart, type: choice, question: 'Leadership is the...', answer: Heart,"
        " distractors: [Brain, Hands, Skeleton]}\n"
        "  - {id: b2, front: Second, back: Two}\n"
        "  - {id: b3, front: Third, back: Three}\n"
    )
    options = next(c for c in load_deck(deck).cards if c.options).options
    letters = {option: "abcd"[i] for i, option in enumerate(options)}
    child = _spawn(isolated_home, str(deck))
    child.expect(loose("Leadership is the"))
    child.expect(loose(f"{letters['Brain']}) Brain"))
    wrong = letters["Brain"]
    child.send(wrong)
    child.expect(loose("is not it"))
    child.send("\r")  # accept the suggested Again
    child.expect(loose("Second"))  # the next card is drawn above the message line
    child.expect(loose("Again: next in"))
    child.send("u")
    child.expect(loose("Leadership is the"))
    child.expect(loose("Undone"))
    child.send("?")
    child.expect(loose("undo the last answer"))
    child.expect(loose("- bury"))  # on a choice card b picks option b, so - buries
    child.send("-")
    child.expect(loose("Buried until tomorrow"))
    child.send("s")
    child.expect(loose("Suspended"))
    child.sendcontrol("c")
    child.expect(loose("Session over"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert _rows(isolated_home, "SELECT count(*) FROM live_events WHERE kind = 'answer'") == [(0,)]
    flags = dict(
        _rows(isolated_home, "SELECT key, suspended + 10 * (buried_until IS NOT NULL) FROM cards")
    )
    # heart buried; b2, next in deck order, suspended; b3 never shown
    assert flags == {"keys:heart:choice": 10, "keys:b2:front": 1, "keys:b3:front": 0}


def test_identify_card_answered_with_a_side_letter(isolated_home: Path, tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "id: sides\nname: Sides\ntables:\n  - id: cmp\n    row_label: Aspect\n"
        "    columns: [Management, Leadership]\n    templates: [identify]\n    rows:\n"
        "      - {label: Focus, cells: ['Systems and tasks', 'People and purpose']}\n"
    )
    child = _spawn(isolated_home, str(deck))
    child.expect(loose("Systems and tasks"))
    child.expect(loose("m/l answer"))
    child.send("m")
    child.expect(loose("Management is right"))
    child.send(" ")
    child.expect(loose("Good: next in 10m"))
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert _rows(isolated_home, "SELECT rating FROM live_events WHERE kind = 'answer'") == [(3,)]


def test_resize_redraws_to_the_new_width(isolated_home: Path) -> None:
    child = _spawn(isolated_home)
    child.expect(loose("Focus"))
    child.setwinsize(30, 100)
    child.expect(loose("─" * 100))
    child.send("q")
    child.expect(pexpect.EOF)


def test_no_color_is_respected(isolated_home: Path) -> None:
    child = _spawn(isolated_home, NO_COLOR="1")
    child.expect(loose("Focus"))
    child.send(" ")
    child.expect(loose("4 Easy"))
    seen = child.before
    child.send("q")
    child.expect(pexpect.EOF)
    assert "\x1b[31m" not in seen and "\x1b[32m" not in seen and "\x1b[38;" not in seen


def test_nothing_due_says_when_next(isolated_home: Path) -> None:
    assert _run(isolated_home, "config", "new_per_day", "0").returncode == 0
    done = _run(isolated_home, "review")
    assert done.returncode == 0
    assert done.stdout == "Nothing due now. Next card: nothing scheduled.\n"


def test_line_mode_survives_sigkill_with_every_answer_kept(isolated_home: Path) -> None:
    answers = 7
    proc = subprocess.Popen(
        [*LEADCARDS, "review"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=_env(isolated_home),
        text=True,
        bufsize=1,
    )
    assert proc.stdin is not None and proc.stdout is not None
    given = 0
    for line in proc.stdout:
        if line.startswith("--- card"):
            if given == answers:
                break
            proc.stdin.write("\n3\n")
            proc.stdin.flush()
            given += 1
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert _rows(isolated_home, "SELECT count(*) FROM live_events WHERE kind = 'answer'") == [
        (answers,)
    ]
    doctor = _run(isolated_home, "doctor")
    assert doctor.returncode == 0
    assert f"match their {answers} log events" in doctor.stdout
    status = json.loads(_run(isolated_home, "status", "--json").stdout)
    assert status["total"]["reviewed_today"] == answers


def test_line_mode_end_of_input_prints_the_summary(isolated_home: Path) -> None:
    done = subprocess.run(
        [*LEADCARDS, "review"],
        input="\n3\n\n\nq\n",
        env=_env(isolated_home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "Q: Focus (Aspect) — Management?" in done.stdout
    assert "A: Systems, tasks, and performance" in done.stdout
    assert "Cards answered: 2" in done.stdout
    assert "Recalled: 100% (Again 0 · Hard 0 · Good 2 · Easy 0)" in done.stdout


@pytest.mark.parametrize("name", ["SIGHUP", "SIGTERM"])
def test_closing_the_terminal_loses_nothing(isolated_home: Path, name: str) -> None:
    sig = getattr(signal, name)
    child = _spawn(isolated_home)
    child.expect(loose("Focus"))
    child.send(" ")
    child.send("3")
    child.expect(loose("Good: next in"))
    time.sleep(0.2)
    child.kill(sig)
    child.expect(pexpect.EOF)
    child.close()
    assert _rows(isolated_home, "SELECT count(*) FROM live_events WHERE kind = 'answer'") == [(1,)]


def test_e_opens_the_editor_at_the_card_and_reloads(isolated_home: Path, tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "id: ed\nname: Edit\ncards:\n  - id: one\n    front: Frist question\n    back: A\n"
    )
    editor = tmp_path / "editor.py"
    seen = tmp_path / "editor-args.txt"
    editor.write_text(
        "import sys, pathlib\n"
        f"pathlib.Path({str(seen)!r}).write_text(' '.join(sys.argv[1:]))\n"
        "p = pathlib.Path(sys.argv[2])\n"
        "p.write_text(p.read_text().replace('Frist', 'First'))\n"
    )
    child = _spawn(isolated_home, str(deck), EDITOR=f"{sys.executable} {editor}")
    child.expect(loose("Frist question"))
    child.send(" ")
    child.send("3")  # history before the edit
    child.expect(loose("Good: next in 10m"))
    child.send("e")
    child.expect(loose("First question"))
    child.expect(loose("Reloaded deck.yaml: 1 cards."))
    child.send("q")
    child.expect(pexpect.EOF)
    assert seen.read_text() == f"+4 {deck}"
    assert _rows(
        isolated_home, "SELECT card_key, rating FROM live_events WHERE kind = 'answer'"
    ) == [("ed:one:front", 3)]


def test_e_on_the_builtin_deck_explains_instead_of_editing(isolated_home: Path) -> None:
    child = _spawn(isolated_home, EDITOR="false")
    child.expect(loose("Focus"))
    child.send("e")
    child.expect(loose("The built-in deck is part of leadcards"))
    child.send("q")
    child.expect(pexpect.EOF)


def test_a_resize_redraws_header_card_and_keys_at_the_new_size(isolated_home: Path) -> None:
    child = _spawn(isolated_home)
    child.expect(loose("Focus"))
    child.setwinsize(20, 60)
    child.expect(loose("CPHQ::Leadership vs Management"))  # the header, redrawn
    child.expect(loose("Focus"))
    child.expect(loose("space show answer · u undo"))  # and the keys under the card
    child.setwinsize(10, 30)
    child.expect(loose("Make the terminal at least"))
    child.setwinsize(24, 80)
    child.expect(loose("Focus"))
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_terminated_or_hung_up_the_terminal_is_restored_and_answers_kept(
    isolated_home: Path, name: str
) -> None:
    """A kill from outside or a closed terminal ends the session as Ctrl-C does: through
    the code that restores the terminal, with exit 128 + the signal, every answer kept."""
    import termios

    child = _spawn(isolated_home)
    child.expect(loose("Focus"))
    child.send(" ")
    child.expect(loose("3 Good"))
    child.send("3")
    child.expect(loose("Good: next in 10m"))
    before = termios.tcgetattr(child.child_fd)
    assert not before[3] & termios.ICANON  # the screen has the terminal in cbreak mode
    child.kill(getattr(signal, name))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 128 + getattr(signal, name)
    assert "Traceback" not in (child.before or "")
    answered = _rows(isolated_home, "SELECT count(*) FROM live_events WHERE kind = 'answer'")
    assert answered == [(1,)]


def test_escape_sequences_in_a_deck_never_reach_the_terminal(
    isolated_home: Path, tmp_path: Path
) -> None:
    """A deck that tries to set the window title, write the clipboard (OSC 52) and send
    a one-character CSI: the terminal gets them as visible symbols, and only Rich's own
    control sequences (styles, cursor, the alternate screen)."""
    deck = tmp_path / "evil.yaml"
    deck.write_text(
        'id: evil\nname: "Evil \\e]0;pwned-name\\a"\ncards:\n'
        '  - {id: b, front: "Front \\e]0;pwned-front\\a?", back: "Back \\e]52;c;SGVsbG8=\\a",'
        ' extra: "Extra \\x9b2J \\x7f"}\n'
        '  - {id: c, type: choice, question: "Pick \\e]0;pwned-q\\a", answer: "Right \\x9b31m",'
        ' distractors: ["Wrong \\e]0;pwned-opt\\a"]}\n'
    )
    child = _spawn(isolated_home, str(deck))
    seen = io.StringIO()
    child.logfile_read = seen
    child.expect(loose("Front ␛]0;pwned-front␇?"))
    child.send(" ")
    child.expect(loose("Back ␛]52;c;SGVsbG8=␇"))
    child.expect(loose("Extra \ufffd2J ␡"))
    child.send("3")
    child.expect(loose("Pick ␛]0;pwned-q␇"))
    child.expect(loose("Wrong ␛]0;pwned-opt␇"))
    child.send(" ")
    child.expect(loose("Right \ufffd31m"))
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = seen.getvalue()
    assert "Evil ␛]0;pwned-name␇" in shown
    for sequence in ("\x1b]", "\x07", "\x9b", "\x7f"):
        assert sequence not in shown, repr(sequence)


def _spawn_cram(home: Path, *args: str, rows: int = 24, columns: int = 80) -> pexpect.spawn:
    return pexpect.spawn(
        LEADCARDS[0],
        [*LEADCARDS[1:], "cram", *args],
        env=_env(home),
        dimensions=(rows, columns),
        encoding="utf-8",
        timeout=15,
        preexec_fn=as_from_a_shell,
    )


def _two_card_deck(tmp_path: Path) -> Path:
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "id: two\nname: Two\ncards:\n"
        "  - {id: alpha, front: 'Alpha?', back: One}\n"
        "  - {id: beta, front: 'Beta?', back: Two}\n"
    )
    return deck


def test_cram_says_so_logs_practice_undoes_and_changes_no_card(
    isolated_home: Path, tmp_path: Path
) -> None:
    deck = _two_card_deck(tmp_path)
    assert _run(isolated_home, "cards", str(deck)).returncode == 0  # synced: rows exist
    before = _rows(isolated_home, "SELECT * FROM cards ORDER BY key")
    child = _spawn_cram(isolated_home, str(deck))
    child.expect(loose("Cram"))
    child.expect(loose("2 to practise · no schedule changes"))
    child.expect(r"(Alpha|Beta)\?")
    first = child.match.group(1)
    other = "Beta" if first == "Alpha" else "Alpha"
    child.expect(loose("space show answer · u undo · e edit · ? help · q quit"))
    child.send(" ")
    child.expect(loose("1 Again · 2 Hard · 3 Good · 4 Easy · practice only"))
    child.send("1")
    child.expect(loose(f"{other}?"))  # the other card first; the Again one comes back
    child.expect(loose("Again (practice: no schedule changed). It comes back in a few cards."))
    child.send("s")
    child.expect(loose("Cramming changes no card: bury or suspend it in a review."))
    child.send("u")
    child.expect(loose(f"{first}?"))
    child.expect(loose("Undone."))
    child.send(" ")
    child.send("3")
    child.expect(loose(f"{other}?"))
    child.expect(loose("Good (practice: no schedule changed)."))
    child.send(" ")
    child.send("4")
    child.expect(loose("Cram session over: Two"))
    child.expect(loose("Practice answers: 2"))
    child.expect(loose("No schedule changed"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    logged = _rows(isolated_home, "SELECT kind, rating FROM live_events ORDER BY at, id")
    assert logged == [("practice", 3), ("practice", 4)]
    assert _rows(isolated_home, "SELECT count(*) FROM events WHERE kind = 'undo'") == [(1,)]
    assert _rows(isolated_home, "SELECT * FROM cards ORDER BY key") == before
    doctor = _run(isolated_home, "doctor")
    assert doctor.returncode == 0 and "replay: 2 cards match their 4 log events" in doctor.stdout


def test_cram_fits_60_by_20(isolated_home: Path) -> None:
    child = _spawn_cram(isolated_home, "--aspect", "focus", rows=20, columns=60)
    child.expect(loose("Cram · CPHQ::Leadership"))  # the name gives way, not the word Cram
    child.expect(loose("6 to practise · no schedule changes"))
    child.expect(loose("u undo · e edit · ? help · q quit"))
    child.send(" ")
    child.expect(loose("1 Again · 2 Hard · 3 Good · 4 Easy · practice only"))
    child.send("q")
    child.expect(loose("Cram session over"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
