"""Export benchmark: a synthetic 10,000-card deck, timed against bare genanki.

Run with ``python bench/bench_export.py``. The baseline is genanki writing the same
notes (same note types, same GUIDs, text already in the fields) in the same run, so
the ratios say what leadcards adds: Markdown rendering, card checks, the text
format, and with --with-history a round trip through the ``anki`` package.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from leadcards.deck.load import load_deck
from leadcards.deck.model import Deck
from leadcards.export import anki_html as html
from leadcards.export import apkg
from leadcards.export.anki_text import write_csv
from leadcards.export.records import CardSchedule, ReviewRecord

ROWS = 1000  # a 2-column table with 3 templates: 6,000 cards
BASIC, REVERSED, CLOZE, CHOICE = 1500, 500, 500, 500  # 1,500 + 1,000 + 1,000 + 500 cards
REVIEWS_PER_CARD = 3
RUNS = 3


def synthetic_deck(folder: Path) -> Deck:
    lines = [
        "id: bench",
        'name: "Bench::Synthetic"',
        "tables:",
        "  - id: big",
        '    title: "A big table"',
        "    row_label: Aspect",
        "    columns: [Management, Leadership]",
        "    rows:",
    ]
    for i in range(ROWS):
        lines.append(f'      - {{label: "Aspect {i}", cells: ["Manage **{i}**", "Lead *{i}*"]}}')
    lines.append("cards:")
    for i in range(BASIC):
        lines.append(f'  - {{id: b{i}, front: "Question **{i}**?", back: "Answer {i} <tag>"}}')
    for i in range(REVERSED):
        lines.append(f'  - {{id: r{i}, type: reversed, front: "Term {i}", back: "Meaning {i}"}}')
    for i in range(CLOZE):
        lines.append(
            f'  - {{id: c{i}, type: cloze, text: "{{{{c1::Plan}}}} {i} then {{{{c2::do}}}}"}}'
        )
    for i in range(CHOICE):
        lines.append(
            f'  - {{id: q{i}, type: choice, question: "Pick {i}", answer: "Right {i}", '
            f'distractors: ["Wrong a{i}", "Wrong b{i}", "Wrong c{i}"]}}'
        )
    path = folder / "bench.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_deck(path)


def schedules_for(deck: Deck) -> dict[str, CardSchedule]:
    now = datetime.now(timezone.utc)
    out = {}
    for index, card in enumerate(deck.cards):
        start = now - timedelta(days=30, seconds=index)
        reviews = tuple(
            ReviewRecord(
                f"{index}-{n}",
                start + timedelta(days=3 * n),
                3,
                4000,
                "new" if n == 0 else "review",
                timedelta(days=3 * (n + 1)),
                timedelta(days=3 * n),
                5.0,
                3.0 * (n + 1),
            )
            for n in range(REVIEWS_PER_CARD)
        )
        out[card.key] = CardSchedule(
            card.key, "review", now + timedelta(days=2), 9.0, 5.0,
            reviews[-1].reviewed_at, REVIEWS_PER_CARD, 0, False, reviews,
        )  # fmt: skip
    return out


def bare_genanki(deck: Deck, path: Path) -> None:
    """genanki alone: the same notes with their raw text, no rendering or checks."""
    import genanki

    models = apkg._genanki_models()
    target = genanki.Deck(apkg.anki_deck_id(deck.name), deck.name)
    for note in deck.notes:
        count = len(models[note.kind].fields)
        first = note.cards[0]
        raw = [first.front, first.back, first.extra, *[""] * count][:count]
        if note.kind == "table":
            raw = [note.fields["Cell"], "", "", "", "", "", "", "", "1", "1", "1"]
        elif note.kind == "cloze":
            raw = [note.fields["text"], ""]
        target.add_note(genanki.Note(models[note.kind], raw, guid=apkg.note_guid(deck.id, note.id)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        genanki.Package(target).write_to_file(str(path))


def timed(work: Callable[[Path], object], folder: Path, name: str) -> tuple[float, int]:
    times, size = [], 0
    for run in range(RUNS):
        out = folder / f"{name}-{run}"
        html.render.cache_clear()  # every run renders from scratch
        start = time.perf_counter()
        work(out)
        times.append(time.perf_counter() - start)
        size = out.stat().st_size
    return statistics.median(times), size


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        start = time.perf_counter()
        deck = synthetic_deck(folder)
        load_seconds = time.perf_counter() - start
        schedules = schedules_for(deck)
        cases: list[tuple[str, Callable[[Path], object]]] = [
            ("genanki, bare (baseline)", lambda p: bare_genanki(deck, p)),
            ("export anki", lambda p: apkg.write_apkg([deck], p)),
            ("export csv", lambda p: write_csv([deck], p)),
        ]
        try:
            from leadcards.export.apkg_history import require_anki, write_apkg_with_history

            require_anki()
            cases.append(
                (
                    f"export anki --with-history ({REVIEWS_PER_CARD} reviews/card)",
                    lambda p: write_apkg_with_history([deck], lambda: schedules, p),
                )
            )
        except Exception as exc:  # the extra is optional; say why the row is missing
            print(f"(no history row: {exc})", file=sys.stderr)
        results = [(name, *timed(work_, folder, str(i))) for i, (name, work_) in enumerate(cases)]
    baseline = results[0][1]
    notes, cards = apkg.count([deck])
    print(f"Synthetic deck: {notes:,} notes, {cards:,} cards (loaded in {load_seconds:.2f} s)")
    print(f"Median of {RUNS} runs each.\n")
    print(f"{'case':<44} {'seconds':>8} {'× genanki':>10} {'file':>10}")
    for name, seconds, size in results:
        print(f"{name:<44} {seconds:>8.2f} {seconds / baseline:>10.2f} {apkg.human_size(size):>10}")


if __name__ == "__main__":
    main()
