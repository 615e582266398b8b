"""Real Anki packages, made by the official ``anki`` library, for import tests.

One small collection holds a case of everything an importer meets: the stock note types
(one optional reverse filled in, one not), a cloze note with two deletions, a note type
of its own with three fields, a subdeck, tags, HTML and a picture in the fields, answers
of every kind the scheduler logs, and cards suspended and buried. ``build_packages``
exports it in each package generation Anki reads. Building takes a second or two, so
tests share one set through the session fixture ``anki_packages`` in ``conftest.py``.

What the collection holds, as the tests count it:

====================================  ==========================================
note (note type, deck)                cards (ordinal: state)
====================================  ==========================================
``basic`` (Basic, Parent::Child)      0: review, answered Easy, due date set
                                      (a manual entry), answered Good
``reversed`` (Basic (and reversed     0: new; 1: suspended
card), Parent)
``optional_on`` (Basic (optional      0: buried by hand; 1: buried as a sibling
reversed card), Parent)
``optional_off`` (same, Add Reverse   0: new
empty, Parent)
``cloze`` (Cloze, Default)            c1 (0): answered Again, then Good; c2 (1): new
``triple`` (Triple, Default)          0: answered Good
====================================  ==========================================

Anki stamps ids and review times with the clock, so tests pin texts, counts, states
and answer buttons, never ids or days.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Field texts, kept here so tests compare against the very strings that went in.
BASIC_FRONT = "<b>Leaders</b> &amp; managers<br>differ in <i>focus</i>"
BASIC_BACK = 'People vs systems <img src="pic.png">'
REVERSED = ("Vision", "Where the team is going")
OPTIONAL_ON = ("Span of control", "How many report to one manager", "y")
OPTIONAL_OFF = ("Delegation", "Handing over a task with its authority", "")
CLOZE_TEXT = "{{c1::Leaders}} inspire, {{c2::managers}} organise"
CLOZE_EXTRA = "Kotter, 1990"
TRIPLE_FIELDS = ("PDSA", "Plan, Do, Study, Act", 'Test a change <img src="chart café.svg">')
TRIPLE_NAME = "Triple"
TRIPLE_FIELD_NAMES = ("Term", "Meaning", "Example")
TRIPLE_QUESTION = "{{Term}}"
TRIPLE_ANSWER = "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Example}}"
FILTERED_DECK = "Cram"
BASIC_TAGS = ("leadership", "Topic::Styles")
CLOZE_TAGS = ("cloze-tag",)

# Media files: names as the notes refer to them, and their bytes.
MEDIA = {"pic.png": b"\x89PNG\r\n\x1a\nnot really a picture", "chart café.svg": b"<svg/>"}

# Note types, decks and counts of the collection (Anki adds its own stock types too).
NOTE_COUNT = 6
CARD_COUNT = 9
REVIEW_EASES = {"basic": (4, 0, 3), "cloze": (1, 3), "triple": (3,)}


@dataclass(frozen=True)
class AnkiPackages:
    """The files one build made, one per package generation."""

    latest: Path  # .apkg, meta version 3: collection.anki21b (zstd) and a dummy anki2
    legacy2: Path  # .apkg, meta version 2: collection.anki21 and a dummy anki2
    legacy1: Path  # .apkg, no meta: collection.anki2 only (Anki 2.0's layout)
    colpkg: Path  # .colpkg, meta version 3: the whole collection
    colpkg_legacy: Path  # .colpkg as Anki before 2.1.50 wrote it


def anki_available() -> str | None:
    """Why the ``anki`` library cannot be used here, or None when it can."""
    try:
        import anki.collection  # noqa: F401
    except Exception as error:  # an old glibc fails inside the compiled module
        return f"the anki package cannot be imported here: {error}"
    return None


def build_collection(folder: Path) -> Any:
    """A new collection in ``folder`` holding the notes, answers and states above."""
    from anki.collection import Collection

    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "collection.anki2"))
    models = col.models
    child = col.decks.id("Parent::Child")
    parent = col.decks.id("Parent")
    default = 1

    def add(notetype: str, fields: tuple[str, ...], deck: int, tags: tuple[str, ...] = ()) -> Any:
        note = col.new_note(models.by_name(notetype))
        for index, value in enumerate(fields):
            note.fields[index] = value
        note.tags = list(tags)
        col.add_note(note, deck)
        return note

    for name, data in MEDIA.items():
        assert col.media.write_data(name, data) == name

    triple = models.new(TRIPLE_NAME)
    for field in TRIPLE_FIELD_NAMES:
        models.add_field(triple, models.new_field(field))
    template = models.new_template("Card 1")
    template["qfmt"] = TRIPLE_QUESTION
    template["afmt"] = TRIPLE_ANSWER
    models.add_template(triple, template)
    models.add(triple)

    basic = add("Basic", (BASIC_FRONT, BASIC_BACK), child, BASIC_TAGS)
    reversed_note = add("Basic (and reversed card)", REVERSED, parent)
    optional_on = add("Basic (optional reversed card)", OPTIONAL_ON, parent)
    add("Basic (optional reversed card)", OPTIONAL_OFF, parent)
    cloze = add("Cloze", (CLOZE_TEXT, CLOZE_EXTRA), default, CLOZE_TAGS)
    triple_note = add(TRIPLE_NAME, TRIPLE_FIELDS, default)

    def card(note: Any, ordinal: int) -> Any:
        return next(c for c in note.cards() if c.ord == ordinal)

    def answer(note: Any, ordinal: int, ease: int) -> None:
        answered = card(note, ordinal)
        answered.start_timer()
        col.sched.answerCard(answered, ease)

    answer(basic, 0, 4)
    col.sched.set_due_date([card(basic, 0).id], "0")
    answer(basic, 0, 3)
    answer(cloze, 0, 1)
    answer(cloze, 0, 3)
    answer(triple_note, 0, 3)
    col.sched.suspend_cards([card(reversed_note, 1).id])
    col.sched.bury_cards([card(optional_on, 0).id], manual=True)
    col.sched.bury_cards([card(optional_on, 1).id], manual=False)
    cram = col.sched.get_or_create_filtered_deck(0)
    cram.name = FILTERED_DECK
    # One search only: the default second one would pull in the new cloze card too.
    del cram.config.search_terms[1:]
    cram.config.search_terms[0].search = f'"note:{TRIPLE_NAME}"'
    col.sched.add_or_update_filtered_deck(cram)
    return col


def build_packages(folder: Path) -> AnkiPackages:
    """Build the collection in ``folder`` and export it in every generation."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    col = build_collection(folder / "collection")
    packages = AnkiPackages(
        latest=folder / "latest.apkg",
        legacy2=folder / "legacy2.apkg",
        legacy1=folder / "legacy1.apkg",
        colpkg=folder / "whole.colpkg",
        colpkg_legacy=folder / "whole-legacy.colpkg",
    )
    for path, legacy in ((packages.latest, False), (packages.legacy2, True)):
        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
        )
        col.export_anki_package(out_path=str(path), options=options, limit=None)
    # Exporting a whole collection closes it: open it again for the second one.
    path = col.path
    col.export_collection_package(str(packages.colpkg), include_media=True, legacy=False)
    col = Collection(path)
    col.export_collection_package(str(packages.colpkg_legacy), include_media=True, legacy=True)
    legacy1_from_legacy2(packages.legacy2, packages.legacy1)
    return packages


def legacy1_from_legacy2(source: Path, target: Path) -> None:
    """An Anki 2.0 package made from a legacy one: the current library writes no such
    file, but Anki 2.0's was the same schema-11 collection, named ``collection.anki2``,
    with no ``meta``. The dummy ``collection.anki2`` of the source is dropped and its
    ``collection.anki21`` takes the name."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in ("meta", "collection.anki2"):
                continue
            name = "collection.anki2" if info.filename == "collection.anki21" else info.filename
            new.writestr(name, old.read(info), compress_type=zipfile.ZIP_DEFLATED)


def rewrite_zip(source: Path, target: Path, replace: dict[str, bytes | None]) -> Path:
    """A copy of a package with entries replaced (bytes) or left out (None)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in replace:
                continue
            new.writestr(info.filename, old.read(info), compress_type=zipfile.ZIP_DEFLATED)
        for name, data in replace.items():
            if data is not None:
                new.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return target
