"""Exports checked by the real thing: every package is imported into a fresh Anki
collection through the official ``anki`` library, and what Anki sees is compared with
what leadcards loaded. Anki runs on the wall clock, so history tests build their
schedules around the real time, not ``LEADCARDS_NOW``.
"""

from __future__ import annotations

import collections
import csv
import io
import json
import re
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck.card_types import card_type
from leadcards.deck.load import load_deck
from leadcards.deck.model import Deck
from leadcards.export import apkg
from leadcards.export.anki_text import HEADER, write_csv
from leadcards.export.anki_text import rows as csv_rows
from leadcards.export.apkg_history import (
    MISSING_ANKI,
    AnkiMissingError,
    require_anki,
    write_apkg_with_history,
)
from leadcards.export.records import CardSchedule, ReviewRecord

pytest.importorskip("anki")

from anki.collection import Collection
from anki.import_export_pb2 import (
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportCsvRequest,
)

REPO = Path(__file__).resolve().parents[1]
BUILTIN = REPO / "decks" / "leadership-vs-management.yaml"
FIXTURES = Path(__file__).parent / "fixtures" / "export"
TEMPLATE_ERROR = "templates/errors.html"  # Anki links here from every render error
ANKI_DECIMALS = 1e-3  # Anki keeps memory states to three decimals


# --- helpers ------------------------------------------------------------------


def fresh_collection(tmp_path: Path, name: str = "profile") -> Any:
    folder = tmp_path / name
    folder.mkdir()
    return Collection(str(folder / "collection.anki2"))


def import_apkg(col: Any, path: Path, *, scheduling: bool = False) -> Any:
    request = ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=scheduling)
    )
    return col.import_anki_package(request).log


def import_text(col: Any, path: Path) -> Any:
    metadata = col.get_csv_metadata(path=str(path), delimiter=None)
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def note_id(col: Any, deck_id: str, leadcards_note_id: str) -> int:
    """The Anki note id of a leadcards note, found by its GUID."""
    return col.db.scalar(
        "select id from notes where guid = ?", apkg.note_guid(deck_id, leadcards_note_id)
    )


def snapshot(col: Any) -> dict[str, tuple[Any, ...]]:
    """guid → (note type, fields, tags, sorted (deck, ordinal) of its cards)."""
    decks = {d.id: d.name for d in col.decks.all_names_and_ids()}
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        cards = sorted((decks[c.did], c.ord) for c in note.cards())
        out[note.guid] = (
            note.note_type()["name"],
            dict(note.items()),
            tuple(sorted(note.tags)),
            tuple(cards),
        )
    return out


# The Anki card ordinal of each leadcards template, written out rather than taken from
# html.card_ordinal: what Anki itself assigns is compared with these literals.
ORDINALS = {
    ("basic", "front"): 0,
    ("reversed", "forward"): 0,
    ("reversed", "reverse"): 1,
    ("cloze", "c1"): 0,
    ("cloze", "c2"): 1,
    ("cloze", "c3"): 2,
    ("cloze", "c4"): 3,
    ("cloze", "c5"): 4,
    ("choice", "choice"): 0,
    ("table", "recall"): 0,
    ("table", "identify"): 1,
    ("table", "choice"): 2,
}


def anki_ordinal(kind: str, template: str) -> int:
    """ORDINALS, and Anki's rule for cloze numbers past c3: card n has ordinal n - 1."""
    if (kind, template) in ORDINALS or kind != "cloze":
        return ORDINALS[(kind, template)]
    return int(template[1:]) - 1


def expected(decks: list[Deck]) -> dict[str, tuple[Any, ...]]:
    """What Anki should hold, computed from the loaded leadcards model."""
    out = {}
    for deck in decks:
        for note in deck.notes:
            note_type = card_type(note.kind).note_type
            fields = dict(zip(note_type.fields, apkg.note_fields(note), strict=True))
            cards = sorted(
                (apkg.anki_deck_name(deck.name), anki_ordinal(c.kind, c.template))
                for c in note.cards
            )
            out[apkg.note_guid(deck.id, note.id)] = (
                note_type.name,
                fields,
                tuple(sorted(apkg.anki_tags(note.tags))),
                tuple(cards),
            )
    return out


def counts_by(decks: list[Deck]) -> tuple[collections.Counter, collections.Counter]:
    """(note type → [notes, cards]) and (deck name → cards), from leadcards' side."""
    per_type: collections.Counter = collections.Counter()
    per_deck: collections.Counter = collections.Counter()
    for deck in decks:
        for note in deck.notes:
            name = card_type(note.kind).note_type.name
            per_type[(name, "notes")] += 1
            per_type[(name, "cards")] += len(note.cards)
            per_deck[apkg.anki_deck_name(deck.name)] += len(note.cards)
    return per_type, per_deck


def anki_counts(col: Any) -> tuple[collections.Counter, collections.Counter]:
    per_type: collections.Counter = collections.Counter()
    per_deck: collections.Counter = collections.Counter()
    for name, notes, cards in col.db.all(
        "select m.name, count(distinct n.id), count(c.id) from notes n "
        "join notetypes m on m.id = n.mid join cards c on c.nid = n.id group by m.name"
    ):
        per_type[(name, "notes")] = notes
        per_type[(name, "cards")] = cards
    for did, cards in col.db.all("select did, count() from cards group by did"):
        per_deck[col.decks.name(did)] = cards
    return per_type, per_deck


def rendered(col: Any) -> list[tuple[Any, str, str]]:
    out = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        out.append((card, card.question(), card.answer()))
    return out


def body(side: str) -> str:
    """A rendered side without the note type's CSS."""
    return side.split("</style>", 1)[-1]


def assert_renders_cleanly(col: Any) -> None:
    for card, question, answer in rendered(col):
        for side in (question, answer):
            assert TEMPLATE_ERROR not in side, side
            assert "{{" not in side, side
            assert "<script" not in body(side).lower(), side
        assert card.question_av_tags() == [] and card.answer_av_tags() == []


@pytest.fixture(scope="module")
def builtin() -> Deck:
    return load_deck(BUILTIN)


@pytest.fixture(scope="module")
def edge_decks() -> list[Deck]:
    return [load_deck(FIXTURES / "edge.yaml"), load_deck(FIXTURES / "second.yaml")]


# --- the built-in deck ------------------------------------------------------------


def test_builtin_deck_imports_with_exact_counts(builtin: Deck, tmp_path: Path) -> None:
    out = tmp_path / "lvm.apkg"
    ticks: list[int] = []
    summary = apkg.write_apkg([builtin], out, progress=ticks.append)
    assert (summary.notes, summary.cards, summary.decks) == (101, 153, 1)
    assert sum(ticks) == 153
    col = fresh_collection(tmp_path)
    log = import_apkg(col, out)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (101, 0, 0)
    assert (col.note_count(), col.card_count()) == (101, 153)

    per_type, per_deck = anki_counts(col)
    assert (per_type, per_deck) == counts_by([builtin])
    assert per_type == {
        ("leadcards Basic", "notes"): 26,
        ("leadcards Basic", "cards"): 26,
        ("leadcards Cloze", "notes"): 22,
        ("leadcards Cloze", "cards"): 41,
        ("leadcards Choice", "notes"): 21,
        ("leadcards Choice", "cards"): 21,
        ("leadcards Table cell", "notes"): 32,
        ("leadcards Table cell", "cards"): 65,
    }
    assert per_deck == {"CPHQ::Leadership vs Management": 153}
    assert col.decks.id_for_name("CPHQ") is not None  # the hierarchy is real

    assert snapshot(col) == expected([builtin])
    assert_renders_cleanly(col)

    # One note checked by hand, not through the exporter's own functions.
    note = col.get_note(note_id(col, "lvm", "goal-of-a-manager"))
    assert note["Front"] == (
        "In the article's narrative (not its table), what is the goal of a <strong>manager</strong>?"
    )
    assert note["Back"] == "To keep things <strong>stable and reliable</strong>."
    assert sorted(note.tags) == ["cphq", "key-statements", "leadership-vs-management"]
    cell = col.get_note(note_id(col, "lvm", "comparison:focus:leadership"))
    assert "table::comparison" in cell.tags and "comparison::focus" in cell.tags
    # a column that makes only identify cards: Anki makes that one card, no other
    example = col.get_note(
        note_id(col, "lvm", "management-functions:compliance:healthcare-example")
    )
    assert example["Cell"] == "Preparing for Joint Commission audits with documented protocols"
    assert [card.ord for card in example.cards()] == [1]
    col.close()


# --- edge cases -------------------------------------------------------------------------


def test_edge_decks_counts_fields_and_safety(edge_decks: list[Deck], tmp_path: Path) -> None:
    out = tmp_path / "edge.apkg"
    apkg.write_apkg(edge_decks, out)
    col = fresh_collection(tmp_path)
    import_apkg(col, out)
    assert anki_counts(col) == counts_by(edge_decks)
    assert snapshot(col) == expected(edge_decks)
    assert col.decks.id_for_name("Export Tests") is not None
    assert_renders_cleanly(col)
    assert len(col.get_empty_cards().notes) == 0
    # Anki's "Check Database" finds nothing to repair and changes no counts.
    before = (col.note_count(), col.card_count())
    report, ok = col.fix_integrity()
    assert ok and report.count("\n") == 0, report
    assert (col.note_count(), col.card_count()) == before

    # A table that chose some templates gets exactly those cards.
    ords = {
        name: sorted(c.ord for c in col.get_note(note_id(col, "edge", name)).cards())
        for name in ("pair:colour:left", "ident:sound:cats")
    }
    assert ords == {"pair:colour:left": [0, 2], "ident:sound:cats": [1]}

    # Script and HTML in deck text arrive as text, in fields and on the cards.
    note = col.get_note(note_id(col, "edge", "script-front"))
    assert note["Front"] == "&lt;script&gt;alert('front')&lt;/script&gt; is text"
    assert note["Back"].startswith("&lt;img src=x onerror=alert(1)&gt;")
    assert 'href="javascript' not in note["Extra"] and "[sound:" not in note["Extra"]
    card = note.cards()[0]
    assert "&lt;script&gt;alert('front')&lt;/script&gt; is text" in card.question()
    cloze = col.get_note(note_id(col, "edge", "three-gaps"))
    assert len(cloze.cards()) == 3
    assert "&lt;script&gt;x&lt;/script&gt;" in cloze.cards()[1].answer()
    for deck in col.decks.all():
        assert "<script" not in deck.get("desc", "")

    # The right option is marked on the back only.
    choice = col.get_note(note_id(col, "edge", "pick-one")).cards()[0]
    assert '<li class="lc-correct">Green</li>' in choice.answer()
    assert "lc-revealed" in body(choice.answer()) and "lc-revealed" not in body(choice.question())
    col.close()


# A deck that would have Anki load pictures from the network, hide its tag-like text, and
# carry terminal escape sequences into the collection.
HOSTILE = r"""
id: pics
name: "Pictures \e]0;pwned-name\a"
tags: ["tag\e]0;x\a"]
cards:
  - id: remote
    front: "Where is it? ![tracker](https://tracker.example/p.png)"
    back: "![](//cdn.example/q.png) and [![inner](https://tracker.example/i.png)](https://example.org/)"
    extra: "![local chart](chart.png) ![inline](data:image/png;base64,iVBORw0KGgo=)"
  - id: er
    front: What does <ER> stand for?
    back: "<b>Emergency</b> room; a < b > c \x9b31m"
  - type: choice
    id: pick
    question: "Which one? ![ref][r]\n\n[r]: https://tracker.example/r.png"
    answer: "![a](https://tracker.example/a.png)"
    distractors: ["<b>b</b>"]
"""
CONTROL = "".join(map(chr, [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]))


def test_no_image_loads_tag_like_text_shows_and_no_control_arrives(
    tmp_path: Path, write_deck: Any
) -> None:
    deck = load_deck(write_deck(HOSTILE))
    out = tmp_path / "pics.apkg"
    apkg.write_apkg([deck], out)
    col = fresh_collection(tmp_path)
    import_apkg(col, out)
    assert_renders_cleanly(col)
    sides = [body(side) for _, question, answer in rendered(col) for side in (question, answer)]
    assert len(sides) == 6
    for side in sides:
        assert "<img" not in side.lower() and "src=" not in side.lower(), side

    remote = col.get_note(note_id(col, "pics", "remote"))
    assert remote["Front"] == 'Where is it? <a href="https://tracker.example/p.png">tracker</a>'
    assert remote["Back"] == (
        '<a href="//cdn.example/q.png">//cdn.example/q.png</a> and '
        '<a href="https://example.org/">inner</a>'
    )
    assert remote["Extra"] == "local chart inline"
    er = col.get_note(note_id(col, "pics", "er"))
    assert er["Front"] == "What does &lt;ER&gt; stand for?"
    assert er["Back"] == "&lt;b&gt;Emergency&lt;/b&gt; room; a &lt; b &gt; c \ufffd31m"
    assert "What does &lt;ER&gt; stand for?" in er.cards()[0].question()
    pick = col.get_note(note_id(col, "pics", "pick"))
    assert '<a href="https://tracker.example/r.png">ref</a>' in pick["Question"]
    assert '<a href="https://tracker.example/a.png">a</a>' in pick["Options"]
    assert "&lt;b&gt;b&lt;/b&gt;" in pick["Options"]

    assert col.decks.id_for_name("Pictures ␛]0;pwned-name␇") is not None
    every = [d["name"] for d in col.decks.all()]
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        every += [*note.fields, *note.tags]
    assert "tag␛]0;x␇" in every
    assert not [text for text in every if any(ch in CONTROL for ch in text)]
    col.close()


def test_guid_depends_on_keys_not_text() -> None:
    # The literal GUIDs are pinned in test_pinned.py.
    assert len({apkg.note_guid(d, n) for d in ("x", "y") for n in ("a", "b")}) == 4
    assert not apkg.note_guid("lvm", "a").startswith("#")


def _edited(text: str) -> str:
    """The edge deck after a typo fix, a changed answer and one new card."""
    text = text.replace('back: "First answer"', 'back: "First answer, revised"')
    text = text.replace('"Meow"', '"Meow!"')
    return text + '  - id: brand-new\n    front: "New question"\n    back: "New answer"\n'


def test_second_export_updates_and_duplicates_nothing(
    edge_decks: list[Deck], tmp_path: Path, write_deck: Any
) -> None:
    first = tmp_path / "first.apkg"
    apkg.write_apkg(edge_decks, first, mtime=time.time() - 60)
    edited = load_deck(write_deck(_edited((FIXTURES / "edge.yaml").read_text())))
    second = tmp_path / "second.apkg"
    apkg.write_apkg([edited, edge_decks[1]], second)

    col = fresh_collection(tmp_path)
    import_apkg(col, first)
    before = col.note_count()
    log = import_apkg(col, second)
    assert len(log.new) == 1
    assert len(log.updated) > 0
    assert col.note_count() == before + 1
    guids = col.db.list("select guid from notes")
    assert len(guids) == len(set(guids))
    assert snapshot(col) == expected([edited, edge_decks[1]])
    col.close()


# --- the text format ----------------------------------------------------------------------


def test_csv_file_layout(edge_decks: list[Deck], tmp_path: Path) -> None:
    out = tmp_path / "edge.txt"
    summary = write_csv(edge_decks, out)
    assert (summary.notes, summary.cards, summary.decks) == (17, 26, 2)
    text = out.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert (
        tuple(lines[: len(HEADER)])
        == HEADER
        == (
            "#separator:tab",
            "#html:true",
            "#notetype column:1",
            "#deck column:2",
            "#guid column:3",
            "#tags column:4",
        )
    )
    body_text = "\n".join(lines[len(HEADER) :])
    parsed = list(csv.reader(io.StringIO(body_text), delimiter="\t"))
    assert parsed == csv_rows(edge_decks)
    # Tabs and line breaks inside fields really occur, so quoting is exercised.
    assert any("\t" in field and "\n" in field for row in parsed for field in row)
    assert not any(line.startswith("#") for line in lines[len(HEADER) :])


def test_csv_field_starting_with_a_quote_survives(
    edge_decks: list[Deck], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Deck text is HTML-escaped, so a rendered field never starts with a raw quote;
    # the writer must still cope when one does.
    second = edge_decks[1]
    package, text = tmp_path / "second.apkg", tmp_path / "second.txt"
    apkg.write_apkg([second], package)
    awkward = ['"Quoted" at the start', 'a\ttab, a "quote"\nand a line break', '"']
    monkeypatch.setattr(apkg, "note_fields", lambda note: list(awkward))
    write_csv([second], text)
    col = fresh_collection(tmp_path)
    import_apkg(col, package)
    col.remove_notes(col.find_notes(""))
    import_text(col, text)
    note = col.get_note(note_id(col, "second", "only"))
    assert [note["Front"], note["Back"], note["Extra"]] == awkward
    col.close()


def test_csv_import_gives_the_same_notes_and_updates(
    edge_decks: list[Deck], tmp_path: Path, write_deck: Any
) -> None:
    package, text = tmp_path / "edge.apkg", tmp_path / "edge.txt"
    apkg.write_apkg(edge_decks, package)
    write_csv(edge_decks, text)
    col = fresh_collection(tmp_path)
    import_apkg(col, package)
    from_package = snapshot(col)
    # The note types stay; the notes go, so the text file must create them all.
    col.remove_notes(col.find_notes(""))
    assert col.note_count() == 0
    log = import_text(col, text)
    assert len(log.new) == len(from_package)
    assert snapshot(col) == from_package == expected(edge_decks)

    edited = load_deck(write_deck(_edited((FIXTURES / "edge.yaml").read_text())))
    text2 = tmp_path / "edited.txt"
    write_csv([edited, edge_decks[1]], text2)
    log = import_text(col, text2)
    assert len(log.new) == 1 and len(log.updated) > 0
    assert snapshot(col) == expected([edited, edge_decks[1]])
    col.close()


def test_builtin_csv_matches_its_package(builtin: Deck, tmp_path: Path) -> None:
    package, text = tmp_path / "lvm.apkg", tmp_path / "lvm.txt"
    apkg.write_apkg([builtin], package)
    write_csv([builtin], text)
    col = fresh_collection(tmp_path)
    import_apkg(col, package)
    from_package = snapshot(col)
    col.remove_notes(col.find_notes(""))
    import_text(col, text)
    assert snapshot(col) == from_package
    assert (col.note_count(), col.card_count()) == (101, 153)
    col.close()


# --- history ------------------------------------------------------------------------------------


def _history(builtin: Deck) -> dict[str, CardSchedule]:
    """Realistic FSRS states for a third of the built-in deck's cards, every state once."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    schedules = {}
    for index, card in enumerate(builtin.cards[::3]):
        start = now - timedelta(days=20, minutes=index)
        kind = ("review", "learning", "relearning", "review", "review")[index % 5]
        reviews = [
            ReviewRecord(
                f"{index}-1", start, 3, 5200, "new", timedelta(minutes=10), timedelta(0), 5.28, 2.31
            ),
            ReviewRecord(
                f"{index}-2",
                start + timedelta(minutes=10),
                3,
                3100,
                "learning",
                timedelta(days=3),
                timedelta(minutes=10),
                5.27,
                3.17,
            ),
        ]
        due = now + timedelta(days=1 + index % 4)
        stability, difficulty, lapses = 3.17 + index, 5.27, 0
        last = reviews[-1].reviewed_at
        if kind in ("learning", "relearning"):
            due = now - timedelta(minutes=5)  # overdue: stays in today's learning queue
        if kind == "relearning":
            lapse_at = start + timedelta(days=3)
            reviews.append(
                ReviewRecord(
                    f"{index}-3",
                    lapse_at,
                    1,
                    9000,
                    "review",
                    timedelta(minutes=10),
                    timedelta(days=3),
                    6.81,
                    0.87,
                )
            )
            stability, difficulty, lapses, last = 0.87, 6.81, 1, lapse_at
        if kind == "learning":
            reviews = reviews[:1]
            stability, difficulty, last = 2.31, 5.28, start
        schedules[card.key] = CardSchedule(
            key=card.key,
            state=kind,
            due=due,
            stability=stability,
            difficulty=difficulty,
            last_review=last,
            reps=len(reviews),
            lapses=lapses,
            suspended=index % 7 == 3,
            reviews=tuple(reviews),
        )
    # Two answers in the same millisecond must still make two revlog rows.
    first, second = list(schedules.values())[:2]
    clash = replace(second.reviews[0], reviewed_at=first.reviews[0].reviewed_at)
    schedules[second.key] = replace(second, reviews=(clash, *second.reviews[1:]))
    return schedules


def test_history_arrives_in_anki(builtin: Deck, tmp_path: Path) -> None:
    schedules = _history(builtin)
    out = tmp_path / "history.apkg"
    ticks: list[int] = []
    summary = write_apkg_with_history([builtin], lambda: schedules, out, progress=ticks.append)
    assert sum(ticks) == 2 * 153  # built, then scheduled
    total_reviews = sum(len(s.reviews) for s in schedules.values())
    assert summary.reviews == total_reviews
    assert (summary.notes, summary.cards) == (101, 153)

    col = fresh_collection(tmp_path)
    import_apkg(col, out, scheduling=True)
    assert (col.note_count(), col.card_count()) == (101, 153)
    assert col.db.scalar("select count() from revlog") == total_reviews
    assert snapshot(col) == expected([builtin])
    assert_renders_cleanly(col)

    by_key = {}
    for note in builtin.notes:
        cards = {c.ord: c for c in col.get_note(note_id(col, "lvm", note.id)).cards()}
        for card in note.cards:
            by_key[card.key] = cards[ORDINALS[(card.kind, card.template)]]
    today = col.sched.today
    types = {"new": 0, "learning": 1, "review": 2, "relearning": 3}
    for key, card in by_key.items():
        schedule = schedules.get(key)
        if schedule is None:
            assert (card.type, card.queue, card.reps, card.memory_state) == (0, 0, 0, None)
            continue
        assert card.memory_state is not None, key
        assert card.memory_state.stability == pytest.approx(schedule.stability, abs=ANKI_DECIMALS)
        assert card.memory_state.difficulty == pytest.approx(schedule.difficulty, abs=ANKI_DECIMALS)
        assert (card.type, card.reps, card.lapses) == (
            types[schedule.state],
            schedule.reps,
            schedule.lapses,
        )
        assert card.last_review_time == int(schedule.last_review.timestamp())
        if schedule.suspended:
            assert card.queue == -1
        elif schedule.state == "review":
            # Anki counts review due dates in days since the collection's creation.
            assert card.queue == 2 and card.due == (schedule.due.timestamp() - col.crt) // 86400
            assert today < card.due <= today + 4
            assert card.ivl == round((schedule.due - schedule.last_review) / timedelta(days=1))
        else:
            assert card.queue == 1 and card.due == int(schedule.due.timestamp())
        rows = col.db.all(
            "select ease, ivl, lastIvl, time, type from revlog where cid = ? order by id", card.id
        )
        assert [r[0] for r in rows] == [r.rating for r in schedule.reviews]
        assert [r[3] for r in rows] == [r.duration_ms for r in schedule.reviews]
    first = next(s for s in schedules.values() if s.state == "review")
    rows = col.db.all(
        "select ivl, lastIvl, type from revlog where cid = ? order by id", by_key[first.key].id
    )
    assert rows[0] == [-600, 0, 0] and rows[1] == [3, -600, 0]
    col.close()


def test_history_is_not_applied_to_cards_anki_already_has(builtin: Deck, tmp_path: Path) -> None:
    plain, with_history = tmp_path / "plain.apkg", tmp_path / "history.apkg"
    apkg.write_apkg([builtin], plain, mtime=time.time() - 60)
    write_apkg_with_history([builtin], lambda: _history(builtin), with_history)
    col = fresh_collection(tmp_path)
    import_apkg(col, plain)
    import_apkg(col, with_history, scheduling=True)
    assert (col.note_count(), col.card_count()) == (101, 153)
    assert col.db.scalar("select count() from cards where type != 0") == 0
    col.close()


def refuse_to_load() -> dict[str, CardSchedule]:
    raise AssertionError("the review log was read for an export that cannot be written")


def test_missing_anki_package_is_one_clear_error(
    builtin: Deck, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "anki.collection", None)
    with pytest.raises(AnkiMissingError) as caught:
        require_anki()
    assert str(caught.value) == MISSING_ANKI
    assert MISSING_ANKI == "--with-history needs the anki package: pip install 'leadcards[anki]'"
    out = tmp_path / "x.apkg"
    with pytest.raises(AnkiMissingError):
        write_apkg_with_history([builtin], refuse_to_load, out)
    assert list(tmp_path.iterdir()) == []


# --- what `check` accepts, Anki takes as it is ------------------------------------------

# Cloze text Markdown or Anki could read otherwise than leadcards, all accepted: each
# note must arrive in Anki with exactly the cards leadcards makes of it.
AWKWARD_CLOZES = [
    "{{c1::a}} {{c01::b}}",  # c01 is c1, for Anki too
    "{\\{c2::escaped braces}} are no deletion {{c1::x}}",
    "&#123;&#123;c3::entities}} are no deletion either {{c1::y}}",
    "{{c1::x}}}} stray closing braces {{c2::y}}",
    "{{c1::x\\}} {{c2::y}}",
    "{{c1::a\\:\\:b}}",  # escaped colons must not become a hint in Anki
    "{{c1::a&#58;::hint}}",
    "{{c1::image-occlusion:rect}}",
    "**{{c1::bold}}**, *{{c2::italic}}* and `{{c3::code}}`",
    "{{c500::the last card}} {{c499::one before}}",
    "{{c1::x}} {{c,::y}} {{c1:x}}",
    "<http://{{c1::a}}>",
    "{{c1::[a link](http://example.com)}}",
    "{{c1::multi\n\nparagraph}} and {{c2::more}}",
]


def _cloze_deck(texts: list[str], extra: str = "") -> str:
    lines = ["id: awk", "name: Awkward", "cards:"]
    for index, text in enumerate(texts):
        lines += [f"  - id: n{index}", "    type: cloze", f"    text: {json.dumps(text)}"]
        if extra:
            lines.append(f"    extra: {json.dumps(extra)}")
    return "\n".join(lines) + "\n"


def _cloze_numbers(deck: Deck) -> dict[str, list[int]]:
    return {n.id: sorted(int(c.template[1:]) for c in n.cards) for n in deck.notes}


def assert_anki_makes_the_same_cards(decks: list[Deck], tmp_path: Path) -> None:
    """Export, import into a fresh collection, and compare card for card with leadcards."""
    out = tmp_path / "out.apkg"
    apkg.write_apkg(decks, out)
    col = fresh_collection(tmp_path)
    import_apkg(col, out)
    # Cards only: Anki tidies some HTML on import (an empty image's quotes, say).
    assert {g: s[3] for g, s in snapshot(col).items()} == {
        g: s[3] for g, s in expected(decks).items()
    }
    for deck in decks:
        for note in deck.notes:
            if note.kind == "cloze":
                # What Anki itself reads in the fields, Extra included: no card missing.
                anki_note = col.get_note(note_id(col, deck.id, note.id))
                assert sorted(anki_note.cloze_numbers_in_fields()) == sorted(
                    int(c.template[1:]) for c in note.cards
                ), note.id
    assert_renders_cleanly(col)
    assert len(col.get_empty_cards().notes) == 0
    col.close()


def test_awkward_cloze_text_that_check_accepts_arrives_with_its_cards(
    tmp_path: Path, write_deck: Any
) -> None:
    path = write_deck(_cloze_deck(AWKWARD_CLOZES, extra="Extra is no deletion: {{c9::x}}"))
    assert CliRunner().invoke(app, ["check", str(path)]).exit_code == 0
    deck = load_deck(path)
    assert _cloze_numbers(deck)["n9"] == [499, 500]
    assert_anki_makes_the_same_cards([deck], tmp_path)


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (
            {"type": "cloze", "text": "[a link]({{c2::hidden}}) {{c1::x}}"},
            "note 'n' : a cloze deletion does not survive the Markdown around it "
            "(is it in a link's address or a link definition?)",
        ),
        (
            {"type": "cloze", "text": "[x]: {{c2::gone}}\n\n{{c1::y}}"},
            "note 'n' : a cloze deletion does not survive the Markdown around it "
            "(is it in a link's address or a link definition?)",
        ),
        (
            {"front": "[a]: b", "back": "x"},
            "note 'n' : its Anki field Front would be empty, since its Markdown renders "
            "as nothing (a link definition like '[a]: b'?)",
        ),
        (
            {"type": "reversed", "front": "x", "back": "&#32;"},
            "note 'n' : its Anki field Back would be empty, since its Markdown renders "
            "as nothing (a link definition like '[a]: b'?)",
        ),
    ],
)
def test_check_refuses_what_export_would_refuse(
    tmp_path: Path, write_deck: Any, card: dict[str, str], message: str
) -> None:
    fields = "".join(f"\n    {name}: {json.dumps(value)}" for name, value in card.items())
    path = write_deck(f"id: r\nname: R\ncards:\n  - id: n{fields}\n")
    checked = CliRunner().invoke(app, ["check", str(path)])
    assert checked.exit_code == 1
    assert checked.stderr.splitlines() == [f"{path}:4:1: {message.replace(' : ', ': ', 1)}"]
    exported = CliRunner().invoke(app, ["export", "anki", str(path), "-o", str(tmp_path / "o")])
    assert exported.exit_code == 1
    assert message.replace("note 'n' : ", "") in exported.stderr
    assert not (tmp_path / "o").exists()


# Pieces of text that have made leadcards, genanki and Anki disagree: Markdown escapes,
# entities, links, colons and braces (the forms leadcards refuses by name are tested
# above: here a refusal happens only by chance).
_PIECES = st.sampled_from(
    [
        *("}}", "::", "\\", "{", "}", ":", "&#123;", "&#58;", "&#32;", "[", "](", "]: "),
        *("![", ")", "<", ">", "*", "_", "`", "\n", "\n\n", "# ", "- ", "    ", " ", "{{c"),
        *("a", "word", "c1", "image-occlusion:", "http://x", "\\(", "[sound:x]", "[x]: y"),
    ]
)
_PLAIN = st.lists(_PIECES, max_size=5).map("".join)
_DELETION = st.builds(
    "{{{{c{}::{}{}{}}}}}".format,
    st.sampled_from(["1", "2", "02", "500"]),
    st.sampled_from(["a", "b c", "*d*"]),
    _PLAIN,
    st.one_of(st.just(""), _PLAIN.map("::{}".format)),
)
_TEXT = st.builds(
    "{}{}{}".format,
    _PLAIN,
    _DELETION,
    st.lists(st.one_of(_PLAIN, _DELETION), max_size=4).map("".join),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(_TEXT, min_size=1, max_size=3), extra=_PLAIN)
def test_whatever_check_accepts_arrives_in_anki_with_its_cards(
    texts: list[str], extra: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        path = work / "deck.yaml"
        path.write_text(_cloze_deck(texts, extra), encoding="utf-8")
        checked = CliRunner().invoke(app, ["check", str(path)])
        event("accepted" if checked.exit_code == 0 else "refused")
        if checked.exit_code != 0:
            assert checked.exit_code == 1 and "Traceback" not in checked.output
            assert all(
                re.fullmatch(rf"{re.escape(str(path))}:\d+:\d+: [^\n]+", line)
                for line in checked.stderr.splitlines()
            ), checked.stderr
            return
        assert_anki_makes_the_same_cards([load_deck(path)], work)


def test_unicode_row_and_column_ids_export(tmp_path: Path, write_deck: Any) -> None:
    from .test_slugs import UNICODE_DECK

    deck = load_deck(write_deck(UNICODE_DECK))
    (tmp_path / "first").mkdir()
    assert_anki_makes_the_same_cards([deck], tmp_path / "first")
    col = fresh_collection(tmp_path)
    import_apkg(col, apkg.write_apkg([deck], tmp_path / "uni.apkg").path)
    note = col.get_note(note_id(col, "uni", "roles:计划:лидерство"))
    assert note["Row"] == "计划" and "roles::计划" in note.tags and "roles::лидерство" in note.tags
    col.close()
