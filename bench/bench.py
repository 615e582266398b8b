"""leadcards benchmark: one table of figures, each beside a yardstick run in the same process.

Machines here are noisy, so every figure that matters is also given as a ratio to
something measured moments before on the same machine:

- start-up: `leadcards status` as a whole process ÷ importing typer and rich alone
- stats: `leadcards stats` as a whole process ÷ `leadcards status` on the same data
- review start: `leadcards review` to its first card, whole process and peak memory,
  ÷ the same import
- deck loading: `load_deck` ÷ libyaml composing the same file
- sync: first sync of a deck, and re-sync of unchanged files
- answer latency: answer + commit + next card, median, ÷ a bare SQLite insert + commit;
  the same with the four-button preview and the counts a frame draws; and on new cards
  beside Anki's own engine doing the same (the ``anki`` package of the test extra)
- first sync of N basic notes ÷ Anki adding the same N notes (``col.add_notes``)
- export: ``export anki`` of the bench deck (up to 10k cards) ÷ bare genanki, same notes
- replay: the whole log folded through FSRS (events already read) ÷ raw py-fsrs
  ``review_card`` over the same answers; and ``doctor`` as a whole (read + replay + compare)

Usage: python bench/bench.py [--sizes 1000,10000,100000] [--reviews 1000000] [--repeat 5]
It is not a test and asserts nothing; tests never time anything.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from leadcards import doctor
from leadcards.deck.load import load_deck
from leadcards.events import ORDERED_JSON, replay
from leadcards.store import open_store
from leadcards.sync import sync_files

DAY_MS = 86_400_000
NOW_MS = 1_772_442_000_000  # 2026-03-02T09:00Z, the clock every run uses


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def settle(folder: Path) -> None:
    """Wait until the disk has written what the set-up left behind. On a virtual disk an
    fsync right after tens of megabytes were written can take 3 ms instead of 0.05 ms,
    which would time the set-up's writes instead of the answers: so flush everything,
    then wait until a 4 KiB write + fsync is quick three times in a row (at most 30 s)."""
    os.sync()
    probe = folder / "settle.probe"
    quick, deadline = 0, time.monotonic() + 30
    with open(probe, "wb") as out:
        while quick < 3 and time.monotonic() < deadline:
            start = time.perf_counter()
            out.seek(0)
            out.write(os.urandom(4096))
            out.flush()
            os.fsync(out.fileno())
            quick = quick + 1 if time.perf_counter() - start < 0.0005 else 0
            time.sleep(0.05)
    probe.unlink()


def write_basic_deck(path: Path, notes: int) -> None:
    """``notes`` basic notes of one card each: what Anki's ``add_notes`` is timed on."""
    lines = [f"id: basic{notes}", f"name: Basic {notes}", "cards:"]
    lines += [f"  - {{id: n{i}, front: 'Question {i}?', back: 'Answer {i}'}}" for i in range(notes)]
    path.write_text("\n".join(lines) + "\n")


def bench_first_sync(folder: Path, notes: int) -> tuple[float, float | None]:
    """Seconds for leadcards' first sync of ``notes`` basic notes (parse, insert, commit),
    and for Anki's engine adding the same notes in one ``add_notes`` (None without it)."""
    home = folder / f"sync{notes}"
    (home / "decks").mkdir(parents=True)
    deck_file = home / "decks" / "basic.yaml"
    write_basic_deck(deck_file, notes)
    store = open_store(home)
    start = time.perf_counter()
    sync_files(store, [deck_file], NOW_MS)
    ours = time.perf_counter() - start
    store.close()
    try:
        from anki.collection import AddNoteRequest, Collection
    except ImportError:
        return ours, None
    (folder / f"anki-sync{notes}").mkdir()
    col = Collection(str(folder / f"anki-sync{notes}" / "collection.anki2"))
    try:
        start = time.perf_counter()
        deck_id = col.decks.id("bench")
        basic = col.models.by_name("Basic")
        requests = []
        for i in range(notes):
            note = col.new_note(basic)
            note["Front"], note["Back"] = f"Question {i}?", f"Answer {i}"
            requests.append(AddNoteRequest(note=note, deck_id=deck_id))
        col.add_notes(requests)
        anki = time.perf_counter() - start
    finally:
        col.close()
    return ours, anki


def bench_export(deck_file: Path, folder: Path, repeat: int) -> tuple[float, float]:
    """Seconds for ``export anki`` of a deck, and for bare genanki writing the same notes
    (``bench_export.bare_genanki``); both from the loaded deck, rendering from scratch."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_export import bare_genanki

    from leadcards.export import anki_html, apkg

    deck = load_deck(deck_file)

    def ours() -> None:
        anki_html.render.cache_clear()
        apkg.write_apkg([deck], folder / "ours.apkg", force=True)

    return median_time(ours, repeat), median_time(
        lambda: bare_genanki(deck, folder / "genanki.apkg"), repeat
    )


def write_deck(path: Path, cards: int) -> None:
    """A deck of ``cards`` cards: one table of 4 columns (3 templates a cell) plus basics."""
    rows = cards // 24
    lines = [
        f"id: bench{cards}",
        f"name: Bench {cards}",
        "tables:",
        "  - id: t",
        "    row_label: Aspect",
        "    columns: [A, B, C, D]",
        "    rows:",
    ]
    for r in range(rows):
        lines.append(f"      - {{label: 'Row {r}', cells: ['a {r}', 'b {r}', 'c {r}', 'd {r}']}}")
    lines.append("cards:")
    for i in range(cards - rows * 12):
        lines.append(f"  - {{id: c{i}, front: 'Question number {i}?', back: 'Answer {i}'}}")
    path.write_text("\n".join(lines) + "\n")


def bench_start_up(home: Path, repeat: int) -> tuple[float, float]:
    env = dict(os.environ, LEADCARDS_HOME=str(home))
    yardstick = [sys.executable, "-c", "import typer, rich.console, rich.table"]
    status = [sys.executable, "-m", "leadcards", "status"]
    subprocess.run(status, env=env, check=True, capture_output=True)  # first sync, warm caches

    def run(cmd: list[str]) -> Callable[[], object]:
        return lambda: subprocess.run(cmd, env=env, check=True, capture_output=True)

    base = median_time(run(yardstick), repeat)
    ours = median_time(run(status), repeat)
    return ours, base


def bench_stats(home: Path, repeat: int) -> tuple[float, float]:
    """`leadcards stats` and `leadcards status`, each as a whole process (output drawn
    at 80 columns into a pipe)."""
    env = dict(os.environ, LEADCARDS_HOME=str(home), COLUMNS="80")

    def run(*args: str) -> Callable[[], object]:
        command = [sys.executable, "-m", "leadcards", *args]
        return lambda: subprocess.run(command, env=env, check=True, capture_output=True)

    run("stats")()  # warm caches
    return median_time(run("stats"), repeat), median_time(run("status"), repeat)


def bench_review_start(home: Path, repeat: int) -> tuple[float, float, int, int]:
    """`leadcards review` in line mode to its first card (then q), as a whole process,
    and the yardstick; then the peak memory (KB) of each, as a process of their own."""
    env = dict(os.environ, LEADCARDS_HOME=str(home))
    yardstick = [sys.executable, "-c", "import typer, rich.console, rich.table"]
    review = [sys.executable, "-m", "leadcards", "review", "--limit", "1"]

    def run(cmd: list[str]) -> Callable[[], object]:
        return lambda: subprocess.run(cmd, env=env, check=True, capture_output=True, input=b"q\n")

    def peak_kb(cmd: list[str]) -> int:
        probe = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        probe += "capture_output=True, input=b'q\\n'); "
        probe += "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        probed = [sys.executable, "-c", probe, *cmd]
        return int(subprocess.run(probed, env=env, check=True, capture_output=True).stdout)

    run(review)()  # the first run syncs the decks; the figure is a day's later starts
    base = median_time(run(yardstick), repeat)
    ours = median_time(run(review), repeat)
    return ours, base, peak_kb(review), peak_kb(yardstick)


def fill_log(db: Path, deck_id: str, reviews: int) -> None:
    """Synthetic history: every card reviewed, spread over a year, some due today."""
    conn = sqlite3.connect(db)
    keys = [k for (k,) in conn.execute("SELECT key FROM cards WHERE deck_id = ?", (deck_id,))]
    per_card = max(1, reviews // len(keys))
    rows = []
    seq_time = NOW_MS - 365 * DAY_MS
    for n, key in enumerate(keys):
        for i in range(per_card):
            at = seq_time + (n * per_card + i) * 30_000
            rows.append(
                (
                    f"{n:010d}{i:016d}",
                    key,
                    "answer",
                    3 if i % 5 else 1,
                    at,
                    4000,
                    2,
                    2,
                    at + DAY_MS,
                    5.0 + i,
                    5.0,
                    ORDERED_JSON,
                )
            )
        if len(rows) >= 100_000:
            _insert_answers(conn, rows)
            rows = []
    _insert_answers(conn, rows)
    # A tenth of the cards due today, the rest later; a tenth relearning, the rest in
    # review. Memory states spread as a collection's are (stability 0.5–400 days,
    # difficulty 1–10, last answers over 200 days, a card in seven lapsed), so that
    # grouping and sorting by them costs what it would on a learner's file.
    conn.execute(
        "UPDATE cards SET state = CASE WHEN rowid % 10 = 1 THEN 3 ELSE 2 END, "
        "stability = 0.5 + (rowid * 7919 % 4000) / 10.0, "
        "difficulty = 1.0 + (rowid * 104729 % 900) / 100.0, reps = ?, "
        "lapses = CASE WHEN rowid % 7 = 0 THEN 1 + rowid % 5 ELSE 0 END, "
        "last_review = ? - (rowid * 31 % 200) * ? - (rowid * 7727 % ?), "
        "due = CASE WHEN rowid % 10 = 0 THEN ? - 3600000 "
        "ELSE ? + (rowid % 300) * ? END WHERE deck_id = ?",
        (per_card, NOW_MS, DAY_MS, DAY_MS, NOW_MS, NOW_MS, DAY_MS, deck_id),
    )
    conn.commit()
    conn.close()


def _insert_answers(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO events (id, card_key, kind, rating, at, duration_ms, state_before, "
        "state_after, due_after, stability_after, difficulty_after, data) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def raw_fsrs(answers: list[tuple[str, int, int]]) -> None:
    """The yardstick for replay: py-fsrs alone over (key, rating, at_ms), no wrapper."""
    from datetime import datetime, timezone

    import fsrs

    scheduler = fsrs.Scheduler()
    cards: dict[str, fsrs.Card] = {}
    for key, rating, at in answers:
        card = cards.get(key) or fsrs.Card(card_id=1)
        when = datetime.fromtimestamp(at / 1000, timezone.utc)
        cards[key], _ = scheduler.review_card(card, fsrs.Rating(rating), when)


def bench_replay(home: Path) -> list[tuple[str, str, str]]:
    store = open_store(home)
    events = list(store.events())
    deck_of = {row.key: row.deck_id for row in store.all_cards()}
    undone = store.undone()
    start = time.perf_counter()
    replay(events, deck_of, undone)
    ours = time.perf_counter() - start
    answers = [(e.card_key or "", e.rating or 3, e.at) for e in events if e.rating]
    start = time.perf_counter()
    raw_fsrs(answers)
    raw = time.perf_counter() - start
    start = time.perf_counter()
    doctor.check(store)
    whole = time.perf_counter() - start
    store.close()
    return [
        (
            f"replay {len(events):,} events",
            f"{ours:.1f} s",
            f"{ours / raw:.2f}× raw py-fsrs review_card ({raw:.1f} s)",
        ),
        (f"doctor, {len(events):,} events", f"{whole:.1f} s", f"{whole / raw:.2f}× raw py-fsrs"),
    ]


def bench_answers(home: Path, answers: int) -> tuple[float, float, float]:
    """Median ms of answer + commit + next card; of the same with what a frame of the
    review screen also asks (the four intervals, the counts); and of a bare insert +
    commit."""
    from leadcards.session import Session

    store = open_store(home)
    deck_paths = sorted((home / "decks").glob("*.yaml"))
    decks = [load_deck(p) for p in deck_paths]
    store.set_setting("reviews_per_day", 99999, at_ms=NOW_MS)
    session = Session(store, decks, clock=lambda: NOW_MS)
    settle(home)
    times, framed = [], []
    card = session.next_card()
    for n in range(2 * answers):
        if card is None:
            break
        start = time.perf_counter()
        if n % 2:  # as the screen: intervals on the buttons, counts in the header
            session.preview()
            session.remaining()
        session.answer(3)
        card = session.next_card()
        (framed if n % 2 else times).append(time.perf_counter() - start)
    store.close()
    bare = sqlite3.connect(home / "yardstick.db", isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("PRAGMA synchronous = FULL")  # the durability leadcards promises
    bare.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
    base = []
    for i in range(answers):
        start = time.perf_counter()
        bare.execute("BEGIN IMMEDIATE")
        bare.execute("INSERT INTO t (v) VALUES (?)", (str(i),))
        bare.execute("COMMIT")
        base.append(time.perf_counter() - start)
    bare.close()
    return (
        statistics.median(times) * 1000,
        statistics.median(framed) * 1000,
        statistics.median(base) * 1000,
    )


def anki_answers(folder: Path, cards: int, answers: int) -> float | None:
    """Median ms of one answer in Anki's own engine (the ``anki`` package, FSRS on): next
    card, its states, the answer committed (Anki syncs each answer to disk, as leadcards
    does), on new cards of a deck of at most 10,000: the yardstick for leadcards doing the
    same on a fresh deck of the same size. None without the package."""
    try:
        from anki.collection import Collection
    except ImportError:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "collection.anki2"))
    try:
        deck_id = col.decks.id("bench")
        basic = col.models.by_name("Basic")
        for i in range(cards):
            note = col.new_note(basic)
            note["Front"], note["Back"] = f"Question {i}", f"Answer {i}"
            col.add_note(note, deck_id)
        col.set_config("fsrs", True)
        config = col.decks.config_dict_for_deck_id(deck_id)
        config["new"]["perDay"] = answers + 10
        col.decks.update_config(config)
        col.decks.select(deck_id)
        settle(folder)
        times = []
        for _ in range(answers):
            start = time.perf_counter()
            card = col.sched.getCard()
            if card is None:
                break
            states = col._backend.get_scheduling_states(card.id)
            col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=3))
            times.append(time.perf_counter() - start)
    finally:
        col.close()
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    os.environ["LEADCARDS_NOW"] = "2026-03-02T09:00:00+00:00"
    # Whole-process figures read compiled modules, as an installed wheel does (pip
    # compiles at install), whether or not this environment writes bytecode itself.
    compileall.compile_dir(Path(doctor.__file__).parent, quiet=1)
    figures: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        builtin_home = root / "builtin"
        builtin_home.mkdir()
        ours, base, ours_kb, base_kb = bench_review_start(builtin_home, args.repeat)
        figures.append(
            (
                "`leadcards review` to first card, built-in deck",
                f"{ours * 1000:.0f} ms",
                f"{ours / base:.2f}× import typer+rich ({base * 1000:.0f} ms); "
                f"peak {ours_kb / 1024:.0f} MB = {ours_kb / base_kb:.1f}× the import's",
            )
        )
        for size in (int(s) for s in args.sizes.split(",")):
            home = root / f"home{size}"
            (home / "decks").mkdir(parents=True)
            deck_file = home / "decks" / f"bench{size}.yaml"
            write_deck(deck_file, size)
            text = deck_file.read_text()
            load = median_time(lambda p=deck_file: load_deck(p), args.repeat)
            compose = median_time(
                lambda t=text: yaml.compose(t, Loader=yaml.CSafeLoader), args.repeat
            )
            figures.append(
                (
                    f"deck load, {size:,} cards",
                    f"{load * 1000:.1f} ms",
                    f"{load / compose:.2f}× libyaml compose",
                )
            )
            store = open_store(home)
            start = time.perf_counter()
            sync_files(store, [deck_file], NOW_MS)
            first = time.perf_counter() - start
            resync = median_time(
                lambda s=store, f=deck_file: sync_files(s, [f], NOW_MS), args.repeat
            )
            store.close()
            figures.append((f"first sync, {size:,} cards", f"{first * 1000:.0f} ms", ""))
            figures.append((f"re-sync unchanged, {size:,} cards", f"{resync * 1000:.2f} ms", ""))
            reviews = (
                args.reviews if size == max(int(s) for s in args.sizes.split(",")) else size * 2
            )
            fill_log(home / "leadcards.db", f"bench{size}", reviews)
            ours, base = bench_start_up(home, args.repeat)
            figures.append(
                (
                    f"`leadcards status`, {size:,} cards",
                    f"{ours * 1000:.0f} ms",
                    f"{ours / base:.2f}× import typer+rich ({base * 1000:.0f} ms)",
                )
            )
            ours, base = bench_stats(home, args.repeat)
            figures.append(
                (
                    f"`leadcards stats`, {size:,} cards",
                    f"{ours * 1000:.0f} ms",
                    f"{ours / base:.2f}× `leadcards status` ({base * 1000:.0f} ms)",
                )
            )
            ours, base, ours_kb, base_kb = bench_review_start(home, args.repeat)
            figures.append(
                (
                    f"`leadcards review` to first card, {size:,} cards",
                    f"{ours * 1000:.0f} ms",
                    f"{ours / base:.2f}× import typer+rich ({base * 1000:.0f} ms); "
                    f"peak {ours_kb / 1024:.0f} MB = {ours_kb / base_kb:.1f}× the import's",
                )
            )
            answer, framed, bare = bench_answers(home, args.answers)
            figures.append(
                (
                    f"answer+commit+next, {size:,} cards",
                    f"{answer:.2f} ms",
                    f"{answer / bare:.1f}× bare insert+commit ({bare:.3f} ms)",
                )
            )
            figures.append(
                (
                    f"  + 4 intervals + counts, {size:,} cards",
                    f"{framed:.2f} ms",
                    f"{framed / bare:.1f}× bare insert+commit",
                )
            )
            anki = anki_answers(root / f"anki{size}", min(size, 10_000), args.answers)
            if anki:
                fresh = root / f"fresh{size}"
                (fresh / "decks").mkdir(parents=True)
                write_deck(fresh / "decks" / deck_file.name, min(size, 10_000))
                store = open_store(fresh)
                sync_files(store, [fresh / "decks" / deck_file.name], NOW_MS)
                store.set_setting("new_per_day", args.answers + 10, at_ms=NOW_MS)
                store.close()
                new, new_framed, _ = bench_answers(fresh, args.answers)
                figures.append(
                    (
                        f"answer new cards, {min(size, 10_000):,} cards",
                        f"{new:.2f} ms",
                        f"{new / anki:.2f}× Anki's engine answering ({anki:.3f} ms)",
                    )
                )
                figures.append(
                    (
                        f"  + 4 intervals + counts, {min(size, 10_000):,} cards",
                        f"{new_framed:.2f} ms",
                        f"{new_framed / anki:.2f}× Anki's engine, same work",
                    )
                )
            ours_sync, anki_sync = bench_first_sync(root, size)
            figures.append(
                (
                    f"first sync, {size:,} basic notes",
                    f"{ours_sync * 1000:.0f} ms",
                    f"{ours_sync / anki_sync:.2f}× Anki add_notes ({anki_sync * 1000:.0f} ms)"
                    if anki_sync
                    else "",
                )
            )
            if size <= 10_000:
                ours_export, genanki_export = bench_export(deck_file, root, args.repeat)
                figures.append(
                    (
                        f"export anki, {size:,} cards",
                        f"{ours_export * 1000:.0f} ms",
                        f"{ours_export / genanki_export:.2f}× bare genanki, same notes "
                        f"({genanki_export * 1000:.0f} ms)",
                    )
                )
            if size == max(int(s) for s in args.sizes.split(",")):
                figures += bench_replay(home)
    if args.json:
        print(
            json.dumps(
                [dict(zip(("what", "figure", "ratio"), f, strict=False)) for f in figures], indent=2
            )
        )
        return
    width = max(len(f[0]) for f in figures)
    print(f"{'what':<{width}}  {'figure':>10}  yardstick")
    for what, figure, ratio in figures:
        print(f"{what:<{width}}  {figure:>10}  {ratio}")


if __name__ == "__main__":
    main()
