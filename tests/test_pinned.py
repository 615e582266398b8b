"""Literal values that learners' data depends on, computed once and written down.

Each of these ends up outside leadcards: in an Anki collection (note GUIDs, deck ids,
card ordinals), in the review log (card keys) or in a learner's calendar (due dates).
A refactor that changes one of them must fail here, not pass because a test compared
a function with itself. If a value here has to change, that is a migration.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import replace

import pytest

from leadcards.deck.load import load_deck
from leadcards.export import apkg
from leadcards.scheduling import Memory, Scheduler, format_interval
from leadcards.settings import DEFAULTS

from .conftest import BUILTIN_DECK

# --- Anki identity ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("deck_id", "note_id", "guid"),
    [
        ("lvm", "comparison:risk-attitude:leadership", "lcHtAoiQ5231Py5BYU"),
        ("lvm", "a", "lc1c3D5axCyNxyzmAbh"),
        ("x", "y", "lcjDkPmZoqtNNU5y6K"),
        ("demo", "café-équipe", "lcLR1TDmWOLQ2engjT"),  # non-ASCII: pins the UTF-8 encoding
    ],
)
def test_note_guid_literals(deck_id: str, note_id: str, guid: str) -> None:
    """Changing a GUID duplicates every learner's notes on re-import into Anki."""
    assert apkg.note_guid(deck_id, note_id) == guid


def test_builtin_note_guid_is_pinned() -> None:
    """The built-in deck's notes must keep the GUIDs already imported into Anki."""
    deck = load_deck(BUILTIN_DECK)
    note = next(n for n in deck.notes if n.id == "comparison:risk-attitude:leadership")
    assert apkg.note_guid(deck.id, note.id) == "lcHtAoiQ5231Py5BYU"


@pytest.mark.parametrize(
    ("name", "deck_id"),
    [
        ("CPHQ::Leadership vs Management", 1_890_687_802),
        ("Leadership vs Management", 1_802_457_030),
        ("A::B", 1_796_257_763),
        ("A", 1_193_916_165),
    ],
)
def test_anki_deck_id_literals(name: str, deck_id: int) -> None:
    """Changing a deck id makes Anki create a second deck beside the learner's own."""
    assert apkg.anki_deck_id(name) == deck_id


def test_builtin_deck_anki_id_is_pinned() -> None:
    """The built-in deck lands in the same Anki deck on every export."""
    deck = load_deck(BUILTIN_DECK)
    name = apkg.anki_deck_name(deck.name)
    assert (name, apkg.anki_deck_id(name)) == ("CPHQ::Leadership vs Management", 1_890_687_802)


# --- the built-in deck's cards ------------------------------------------------------


def test_builtin_deck_card_count_and_templates() -> None:
    """Cards appearing or vanishing from the built-in deck change every learner's queue."""
    deck = load_deck(BUILTIN_DECK)
    assert (deck.id, len(deck.notes), len(deck.cards)) == ("lvm", 101, 153)
    assert Counter((c.kind, c.template) for c in deck.cards) == {
        ("basic", "front"): 26,
        ("cloze", "c1"): 22,
        ("cloze", "c2"): 10,
        ("cloze", "c3"): 5,
        ("cloze", "c4"): 2,
        ("cloze", "c5"): 2,
        ("choice", "choice"): 21,
        ("table", "recall"): 22,
        ("table", "identify"): 32,
        ("table", "choice"): 11,
    }


@pytest.mark.parametrize(
    "key",
    [
        "lvm:management-functions:planning:what-it-means:recall",
        "lvm:leadership-traits:cultural-leadership:what-it-means:recall",
        "lvm:comparison:focus:leadership:recall",
        "lvm:comparison:style-of-influence:management:identify",
        "lvm:leadership-traits:inspiration:healthcare-example:identify",
        "lvm:comparison:risk-attitude:leadership:recall",
        "lvm:comparison:time-orientation:management:choice",
        "lvm:goal-of-a-manager:front",
        "lvm:doing-things-right:c1",
        "lvm:people-empower-vs-coordinate:c2",
        "lvm:scenario-falls-vision:choice",
        "lvm:classify-sops:front",
        "lvm:leaders-and-risk:choice",
    ],
)
def test_builtin_card_keys_exist(key: str) -> None:
    """A card key is where its review history lives; renaming it orphans that history."""
    assert key in {c.key for c in load_deck(BUILTIN_DECK).cards}


def test_every_builtin_card_key_is_pinned() -> None:
    """All 153 keys at once: a change to how ids are made from text (slugs) that renamed
    any of them fails here. A new card changes this digest too, on purpose."""
    keys = sorted(c.key for c in load_deck(BUILTIN_DECK).cards)
    assert hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16] == "8f277ef3d4f14e04"


# --- choice options -----------------------------------------------------------------

CHOICE_DECK = """\
id: pinned
name: Pinned choices
tables:
  - id: styles
    title: Styles
    row_label: Aspect
    columns: [Management, Leadership]
    templates: [choice]
    rows:
      - label: Focus
        cells: ["Systems", "People"]
      - label: Horizon
        cells: ["Present", "Future"]
      - label: Risk
        cells: ["Avoids risk", "Takes risk"]
      - label: Power
        cells: ["Authority", "Influence"]
cards:
  - type: choice
    id: heart
    question: Leadership is the organisation's...
    answer: Heart
    distractors: [Backbone, Brain, Hands]
"""


def test_choice_option_order_is_pinned(write_deck) -> None:  # type: ignore[no-untyped-def]
    """A card must show the same options in the same order on every machine and release."""
    cards = {c.key: c for c in load_deck(write_deck(CHOICE_DECK)).cards}
    heart = cards["pinned:heart:choice"]
    assert (list(heart.options), heart.answer_index) == (["Backbone", "Brain", "Heart", "Hands"], 2)
    cell = cards["pinned:styles:horizon:management:choice"]
    assert (list(cell.options), cell.answer_index) == (
        ["Avoids risk", "Authority", "Present", "Systems"],
        2,
    )
    cell = cards["pinned:styles:power:leadership:choice"]
    assert (list(cell.options), cell.answer_index) == (
        ["Takes risk", "People", "Future", "Influence"],
        3,
    )


# --- scheduling ---------------------------------------------------------------------

START = 1_772_442_000_000  # 2026-03-02 09:00 UTC
SEQUENCE = [3, 3, 3, 1, 3, 4, 2, 3]
KEY = "lvm:comparison:risk-attitude:leadership:recall"
OTHER_KEY = "lvm:comparison:risk-attitude:management:recall"


def answer_when_due(scheduler: Scheduler, key: str) -> list[tuple[int, int, float]]:
    """Answer SEQUENCE from a new card, each answer exactly at the previous due."""
    memory, at, out = Memory(), START, []
    for rating in SEQUENCE:
        memory = scheduler.answer(key, memory, rating, at)
        assert memory.due is not None and memory.stability is not None
        out.append((memory.due, memory.state, round(memory.stability, 4)))
        at = memory.due
    return out


def test_due_dates_of_a_fixed_answer_sequence() -> None:
    """Changing these reschedules every learner's cards when the log is replayed."""
    # Intervals: 10m, 2d, 12d (fuzzed), 10m, 2d, 10d, 21d, 39d (fuzzed).
    assert answer_when_due(Scheduler(DEFAULTS), KEY) == [
        (1_772_442_600_000, 1, 2.3065),
        (1_772_615_400_000, 2, 2.3065),
        (1_773_652_200_000, 2, 10.971),
        (1_773_652_800_000, 3, 1.5546),
        (1_773_825_600_000, 2, 1.5867),
        (1_774_689_600_000, 2, 7.8945),
        (1_776_504_000_000, 2, 17.5377),
        (1_779_873_600_000, 2, 39.7976),
    ]


def test_fuzz_seed_depends_on_the_card_key() -> None:
    """Fuzz is seeded by the card key, so siblings learned together drift apart, always alike."""
    # Same answers, another key: the fuzzed 3rd interval is 13 days, not 12.
    assert answer_when_due(Scheduler(DEFAULTS), OTHER_KEY) == [
        (1_772_442_600_000, 1, 2.3065),
        (1_772_615_400_000, 2, 2.3065),
        (1_773_738_600_000, 2, 10.971),
        (1_773_739_200_000, 3, 1.5695),
        (1_773_912_000_000, 2, 1.6009),
        (1_774_776_000_000, 2, 7.9175),
        (1_776_158_400_000, 2, 17.5652),
        (1_779_528_000_000, 2, 35.9334),
    ]


def test_due_dates_without_fuzz() -> None:
    """With fuzz off the same answers give these dues; the fuzzed lists above differ from them."""
    dues = [due for due, _, _ in answer_when_due(Scheduler(replace(DEFAULTS, fuzz=False)), KEY)]
    assert dues == [
        1_772_442_600_000,
        1_772_615_400_000,
        1_773_565_800_000,
        1_773_566_400_000,
        1_773_739_200_000,
        1_774_430_400_000,
        1_775_812_800_000,
        1_778_750_400_000,
    ]


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (-5, "0s"),
        (59_499, "59s"),
        (59_500, "1m"),
        (86_399_999, "1d"),
        (29 * 86_400_000 + 43_199_000, "29d"),
        (29 * 86_400_000 + 43_200_000, "1.0mo"),
        (365 * 86_400_000, "1.0y"),
    ],
)
def test_format_interval_boundaries(ms: int, text: str) -> None:
    """The rating buttons must keep labelling intervals the way learners have learned to read."""
    assert format_interval(ms) == text
