"""Kill leadcards at random moments and check that nothing it acknowledged is lost.

Each trial starts a real ``leadcards`` process — a review in line mode answering as
fast as it is shown cards, an export, a sync of a changed deck, or a rebuild — and
sends it SIGKILL after a random delay or a random number of acknowledged answers.
Then it checks what a learner relies on:

- every answer the process printed an acknowledgement for is in the log;
- ``leadcards doctor`` finds the file sound and every cache equal to its replay;
- an export's target is absent or a complete package, never half-written.

The test suite runs a few trials on the built-in deck; ``--trials`` and ``--cards``
make it the stress run (a large generated deck, many trials). It asserts nothing
about time.

Usage: python bench/kill_loop.py [--trials 200] [--cards 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ACK = re.compile(r"^(Again|Hard|Good|Easy): ")
LEADCARDS = [sys.executable, "-m", "leadcards"]
NOW = "2026-03-02T09:00:00+00:00"


@dataclass
class Outcome:
    kind: str
    acknowledged: int = 0  # answers the process said were saved before it died
    logged: int = 0  # answers the log holds afterwards
    problems: list[str] = field(default_factory=list)


def environment(home: Path, now: str = NOW) -> dict[str, str]:
    env = dict(os.environ)
    env.update(LEADCARDS_HOME=str(home), LEADCARDS_NOW=now, COLUMNS="80", TERM="dumb")
    return env


def run(home: Path, *args: str, now: str = NOW) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LEADCARDS, *args], env=environment(home, now), capture_output=True, text=True
    )


def live_answers(home: Path) -> int:
    with sqlite3.connect(home / "leadcards.db") as conn:
        return int(
            conn.execute("SELECT count(*) FROM live_events WHERE kind = 'answer'").fetchone()[0]
        )


def _doctor(home: Path, outcome: Outcome) -> None:
    result = run(home, "doctor")
    if result.returncode != 0:
        outcome.problems.append(f"doctor after a kill: {result.stdout}{result.stderr}".strip())


def kill_review(home: Path, rng: random.Random, day: str) -> Outcome:
    """Answer cards as fast as they come; die after a random number of acknowledgements,
    a random few milliseconds later (mid-answer, mid-redraw, mid-commit)."""
    outcome = Outcome("review")
    before = live_answers(home)
    child = subprocess.Popen(
        [*LEADCARDS, "review"],
        env=environment(home, day),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        bufsize=1,
    )
    assert child.stdin is not None and child.stdout is not None
    target = rng.randint(1, 12)
    acknowledged = 0
    done = threading.Event()

    def feed() -> None:  # reveal, then rate: as many as the review will take
        try:
            while not done.is_set():
                child.stdin.write(f"\n{rng.choice('1234')}\n")  # type: ignore[union-attr]
                child.stdin.flush()  # type: ignore[union-attr]
                time.sleep(0.001)
        except (BrokenPipeError, OSError, ValueError):
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    for line in child.stdout:
        if ACK.match(line):
            acknowledged += 1
            if acknowledged >= target:
                time.sleep(rng.random() * 0.02)
                break
    child.send_signal(signal.SIGKILL)
    done.set()
    # every acknowledgement it printed before it died counts, read or not
    acknowledged += sum(1 for line in child.stdout if ACK.match(line))
    child.wait()
    feeder.join(timeout=5)
    outcome.acknowledged = acknowledged
    outcome.logged = live_answers(home) - before
    if outcome.logged < acknowledged:
        outcome.problems.append(
            f"review: {acknowledged} answers acknowledged, only {outcome.logged} in the log"
        )
    _doctor(home, outcome)
    return outcome


def _kill_after(args: list[str], home: Path, delay: float) -> None:
    child = subprocess.Popen(
        [*LEADCARDS, *args],
        env=environment(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait()


def kill_export(home: Path, rng: random.Random, day: str) -> Outcome:
    outcome = Outcome("export")
    out = home / "out.apkg"
    out.unlink(missing_ok=True)
    _kill_after(["export", "anki", "-o", str(out)], home, rng.random() * 0.8)
    if out.exists():
        try:
            with zipfile.ZipFile(out) as package:
                if package.testzip() is not None or "collection.anki2" not in package.namelist():
                    outcome.problems.append("export: a damaged package under the final name")
        except zipfile.BadZipFile:
            outcome.problems.append("export: a half-written package under the final name")
    _doctor(home, outcome)
    return outcome


def kill_sync(home: Path, rng: random.Random, day: str) -> Outcome:
    """Change the user's deck, then die while a command syncs it."""
    outcome = Outcome("sync")
    deck = home / "decks" / "mine.yaml"
    grown = deck.read_text() + (
        f"  - id: extra-{rng.randrange(10**9)}\n    front: Added question\n    back: Added\n"
    )
    deck.write_text(grown)
    _kill_after(["status"], home, rng.random() * 0.6)
    _doctor(home, outcome)
    return outcome


def kill_rebuild(home: Path, rng: random.Random, day: str) -> Outcome:
    outcome = Outcome("rebuild")
    before = live_answers(home)
    _kill_after(["doctor", "--rebuild"], home, rng.random() * 0.8)
    if live_answers(home) != before:
        outcome.problems.append("rebuild: the log changed")
    _doctor(home, outcome)
    return outcome


def _other_device(home: Path, rng: random.Random, day: str, name: str) -> Path:
    """A copy of this device's database, as another device, with five new answers."""
    from datetime import datetime

    from leadcards.clock import to_ms
    from leadcards.store import open_store
    from leadcards.store.backup import copy_database

    other = home.parent / name
    other.mkdir(exist_ok=True)
    (other / "leadcards.db").unlink(missing_ok=True)
    (other / "device-id").unlink(missing_ok=True)  # a device of its own
    copy_database(home / "leadcards.db", other / "leadcards.db")
    at = to_ms(datetime.fromisoformat(day)) + 3_600_000
    with open_store(other) as store:
        keys = [row.key for row in store.all_cards() if row.deck_id == "mine"]
        for key in rng.sample(keys, 5):
            store.answer(key, rng.randrange(1, 5), 1000, at)
    return other


def kill_merge(home: Path, rng: random.Random, day: str) -> Outcome:
    """Another device answers five cards; die while merging its database in. The merge
    is one transaction: after the kill it is wholly in or not at all, and the next merge
    completes it."""
    outcome = Outcome("merge")
    other = _other_device(home, rng, day, "other")
    before = live_answers(home)
    _kill_after(["merge", str(other / "leadcards.db")], home, rng.random() * 0.8)
    if live_answers(home) not in (before, before + 5):
        outcome.problems.append(f"merge: half merged ({before} → {live_answers(home)})")
    run(home, "merge", str(other / "leadcards.db"))
    if live_answers(home) != before + 5:
        outcome.problems.append("merge: the next merge did not bring the five answers in")
    _doctor(home, outcome)
    return outcome


def kill_journal(home: Path, rng: random.Random, day: str) -> Outcome:
    """As ``kill_merge``, through a shared folder: the other device syncs its five
    answers into its journal; die while this one syncs (taking them, writing its own
    journal). The next sync completes it, and mends a journal line the kill cut."""
    outcome = Outcome("journal")
    shared = home.parent / "shared"
    shared.mkdir(exist_ok=True)
    other = _other_device(home, rng, day, "journal-device")
    run(other, "sync", str(shared))
    before = live_answers(home)
    _kill_after(["sync", str(shared)], home, rng.random() * 0.8)
    if live_answers(home) not in (before, before + 5):
        outcome.problems.append(f"journal: half taken ({before} → {live_answers(home)})")
    run(home, "sync", str(shared))
    if live_answers(home) != before + 5:
        outcome.problems.append("journal: the next sync did not bring the five answers in")
    _doctor(home, outcome)
    return outcome


KILLS: dict[str, Callable[[Path, random.Random, str], Outcome]] = {
    "review": kill_review,
    "export": kill_export,
    "sync": kill_sync,
    "rebuild": kill_rebuild,
    "merge": kill_merge,
    "journal": kill_journal,
}


def user_deck(cards: int) -> str:
    lines = ["id: mine", "name: Mine", "cards:"]
    for i in range(cards):
        lines += [f"  - id: c{i}", f"    front: Question {i}", f"    back: Answer {i}"]
    return "\n".join(lines) + "\n"


def prepare(home: Path, cards: int) -> None:
    (home / "decks").mkdir(parents=True)
    (home / "decks" / "mine.yaml").write_text(user_deck(cards))
    result = run(home, "config", "new_per_day", "100")
    if result.returncode != 0:
        raise RuntimeError(result.stderr)


def trials(home: Path, count: int, seed: int, kinds: list[str] | None = None) -> list[Outcome]:
    """``count`` kills, cycling through ``kinds``, on consecutive study days."""
    rng = random.Random(seed)
    names = kinds or list(KILLS)
    outcomes = []
    for n in range(count):
        day = f"2026-03-{2 + n % 27:02d}T09:00:00+00:00"
        outcomes.append(KILLS[names[n % len(names)]](home, rng, day))
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="leadcards-kill-") as tmp:
        home = Path(tmp) / "home"
        prepare(home, args.cards)
        outcomes = trials(home, args.trials, args.seed)
    problems = [p for o in outcomes for p in o.problems]
    acknowledged = sum(o.acknowledged for o in outcomes)
    logged = sum(o.logged for o in outcomes)
    per_kind = ", ".join(f"{k} {sum(o.kind == k for o in outcomes)}" for k in KILLS)
    print(
        f"{len(outcomes)} kills ({per_kind}); {acknowledged} answers acknowledged, "
        f"{logged} logged; {len(problems)} problems"
    )
    for problem in problems[:20]:
        print("  " + problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
