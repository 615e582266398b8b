"""`leadcards import anki`: a package's decks written, its media copied, its history
logged, in that order, each step only once everything before it is known to work.

Nothing is written until the package has been read, every deck converted, and every
output file found free (or the same text, or ``force``): a refusal leaves the folder as
it was. Decks are then written one by one, each atomically (``deck_writer.write_deck``),
synced, and the review history taken into the log in one transaction, which replays the
cards it touched (``Store.take_events``), after a backup.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from leadcards import paths
from leadcards.clock import from_ms, next_study_day_start, to_ms
from leadcards.errors import UsageError
from leadcards.events import Event
from leadcards.importing import anki_history
from leadcards.importing.anki_convert import Conversion, convert, known_notes, written_keys
from leadcards.importing.anki_package import extract_media, read_package
from leadcards.importing.deck_writer import NewDeck, deck_text, write_deck
from leadcards.texts import stored_notes
from leadcards.workspace import Workspace


@dataclass
class ImportReport:
    """What an import did, every figure shown even when it is zero."""

    package: str
    format: str
    decks_written: list[Path] = field(default_factory=list)
    decks_unchanged: list[Path] = field(default_factory=list)
    notes: int = 0
    cards: int = 0
    known_notes: int = 0
    as_basic: int = 0
    other_types: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    media_copied: int = 0
    media_skipped: list[tuple[str, str]] = field(default_factory=list)
    history: bool = False
    reviews: int = 0
    resets: int = 0
    flags: int = 0
    reviews_skipped: Counter[str] = field(default_factory=Counter)


def _targets(conversion: Conversion, output: Path | None, home: Path) -> dict[str, Path]:
    """Where each deck goes: ``output`` as the file of the only deck, or as the folder of
    all; by default the data folder's decks, where review finds them."""
    if output is not None and output.suffix.lower() in (".yaml", ".yml"):
        if len(conversion.decks) > 1:
            names = ", ".join(conversion.anki_names[d.id] for d in conversion.decks)
            raise UsageError(
                f"the package has {len(conversion.decks)} decks ({names}); give -o a folder, "
                "or pick one with --deck"
            )
        return {deck.id: output for deck in conversion.decks}
    folder = output if output is not None else paths.user_decks_dir(home)
    return {deck.id: folder / f"{deck.id}.yaml" for deck in conversion.decks}


def _check_targets(decks: list[NewDeck], targets: dict[str, Path], force: bool) -> list[NewDeck]:
    """The decks whose file must be written; refuses, before anything is written, a file
    that holds other text, unless ``force``."""
    changed = []
    for deck in decks:
        path = targets[deck.id]
        if path.exists() and not path.is_file():
            raise UsageError(f"'{path}' exists and is not a file")
        if path.is_file():
            try:
                same = path.read_text(encoding="utf-8") == deck_text(deck)
            except (OSError, UnicodeDecodeError):
                same = False
            if same:
                continue
            if not force:
                raise UsageError(f"'{path}' exists; pass --force to replace it with the import")
        changed.append(deck)
    return changed


def import_anki(
    package: Path,
    *,
    home: Path,
    output: Path | None = None,
    deck: str | None = None,
    as_basic: bool = False,
    with_history: bool = False,
    force: bool = False,
    now_ms: int | None = None,
) -> ImportReport:
    collection = read_package(package)
    report = ImportReport(str(package), collection.format, history=with_history)
    workspace = Workspace.open(home, now_ms=now_ms)
    try:
        store = workspace.store
        known = known_notes((info.id, stored_notes(store, info.id)) for info in workspace.infos)
        conversion = convert(collection, known, as_basic=as_basic, only_deck=deck)
        if deck is not None and not conversion.decks and not conversion.known:
            names = sorted({d.name for d in collection.decks.values() if not d.filtered})
            raise UsageError(
                f"the package has no deck '{deck}' with notes (decks: {', '.join(names)})"
            )
        targets = _targets(conversion, output, workspace.home)
        to_write = _check_targets(conversion.decks, targets, force)
    finally:
        workspace.store.close()
    report.known_notes = conversion.known_notes
    report.as_basic = conversion.as_basic
    report.other_types = conversion.other_types
    report.skipped = conversion.skipped
    report.notes = conversion.notes
    for new in conversion.decks:
        if new not in to_write:
            report.decks_unchanged.append(targets[new.id])
    if output is None:  # the decks folder of a new data folder is made by its first deck
        paths.user_decks_dir(home).mkdir(exist_ok=True)
    if conversion.media:
        folders = {targets[d.id].parent for d in conversion.decks} or {paths.user_decks_dir(home)}
        for folder in sorted(folders):
            extraction = extract_media(package, folder, list(conversion.media))
            report.media_copied += len(extraction.written)
            report.media_skipped = list(extraction.skipped)
    for new in to_write:
        write_deck(new, targets[new.id], force=True)
        report.decks_written.append(targets[new.id])
    files = [str(targets[d.id]) for d in conversion.decks]
    workspace = Workspace.open(home, decks=files if files else None, now_ms=now_ms)
    try:
        store = workspace.store
        written = {}
        for new in conversion.decks:
            notes = stored_notes(store, new.id)
            written[new.id] = notes
            report.cards += sum(len(n.cards) for n in notes)
        keys = {**written_keys(conversion, written), **conversion.known}
        existing = {key: store.card_events(key) for key in set(keys.values())}
        new_events: list[Event] = []
        if with_history:
            new_events, report.reviews_skipped = anki_history.history_events(
                collection.revlog, keys, existing
            )
        records = {key: store.card(key).record for key in set(keys.values())}
        tomorrow = to_ms(
            next_study_day_start(from_ms(workspace.now_ms), store.settings().day_start)
        )
        flags = anki_history.flag_events(
            collection.cards, keys, records, workspace.now_ms, tomorrow
        )
        rows = anki_history.event_rows(
            [*new_events, *flags],
            existing,
            lambda key: store.scheduler(key.split(":", 1)[0]),
            store.undone(),
        )
        if rows:
            store.take_events(rows)
        report.reviews = sum(1 for e in new_events if e.kind.value == "answer")
        report.resets = len(new_events) - report.reviews
        report.flags = len(flags)
    finally:
        workspace.store.close()
    return report
