"""The card-type registry: one entry per kind, and the Anki identities it owns.

Model ids and card ordinals are what a learner's Anki collection already holds: they
are written here as literals, so a change to them fails instead of duplicating note
types or giving one card another card's history.
"""

from __future__ import annotations

import pytest

from leadcards.deck.card_types import ENTRY_TYPES, TYPES, card_type
from leadcards.deck.card_types import table as table_type
from leadcards.deck.card_types.base import Flag, Markdown
from leadcards.deck.load import load_deck
from leadcards.deck.model import Kind

from .conftest import BUILTIN_DECK, FIXTURES

EDGE_DECK = FIXTURES / "export" / "edge.yaml"


def test_every_kind_has_one_type() -> None:
    assert list(TYPES) == list(Kind)
    assert all(card_type(kind).kind is kind for kind in Kind)
    # The kinds a card's `type` may name, in the order error messages list them.
    assert list(ENTRY_TYPES) == ["basic", "reversed", "cloze", "choice"]


def test_an_unknown_kind_is_not_a_kind() -> None:
    with pytest.raises(ValueError):
        Kind("clozed")


def test_model_ids_and_names_are_fixed() -> None:
    assert {kind.value: (t.note_type.model_id, t.note_type.name) for kind, t in TYPES.items()} == {
        "basic": (1_732_104_001, "leadcards Basic"),
        "reversed": (1_732_104_002, "leadcards Reversed"),
        "cloze": (1_732_104_003, "leadcards Cloze"),
        "choice": (1_732_104_004, "leadcards Choice"),
        "table": (1_732_104_005, "leadcards Table cell"),
    }
    for entry in TYPES.values():
        for template in entry.note_type.templates:
            assert "<script" not in template.qfmt + template.afmt


@pytest.mark.parametrize(
    ("kind", "template", "ordinal"),
    [
        (Kind.BASIC, "front", 0),
        (Kind.REVERSED, "forward", 0),
        (Kind.REVERSED, "reverse", 1),
        (Kind.CLOZE, "c1", 0),
        (Kind.CLOZE, "c2", 1),
        (Kind.CLOZE, "c3", 2),
        (Kind.CLOZE, "c500", 499),  # the last card Anki makes from a note
        (Kind.CHOICE, "choice", 0),
        (Kind.TABLE, "recall", 0),
        (Kind.TABLE, "identify", 1),
        (Kind.TABLE, "choice", 2),
    ],
)
def test_card_ordinals(kind: Kind, template: str, ordinal: int) -> None:
    assert card_type(kind).note_type.ordinal(template) == ordinal


@pytest.mark.parametrize(
    ("kind", "template"),
    [
        (Kind.BASIC, "back"),
        (Kind.REVERSED, "front"),
        (Kind.CLOZE, "c0"),
        (Kind.CLOZE, "cloze"),
        (Kind.CHOICE, "recall"),
        (Kind.TABLE, "quiz"),
    ],
)
def test_an_unknown_template_has_no_ordinal(kind: Kind, template: str) -> None:
    # Ordinal 0 by default would hand this card the history of another.
    with pytest.raises(ValueError, match=f"makes no '{template}' card"):
        card_type(kind).note_type.ordinal(template)


def test_table_templates_are_the_anki_templates() -> None:
    note_type = table_type.NOTE_TYPE
    assert table_type.TEMPLATES == ("recall", "identify", "choice")
    assert [t.makes for t in note_type.templates] == list(table_type.TEMPLATES)
    for template in note_type.templates:
        # Anki makes a template's card only when its flag field is set.
        assert template.name in note_type.fields
        assert template.qfmt.startswith("{{#" + template.name + "}}")
        assert template.qfmt.endswith("{{/" + template.name + "}}")


@pytest.mark.parametrize("path", [BUILTIN_DECK, EDGE_DECK], ids=lambda p: p.name)
def test_every_note_fills_its_note_type(path) -> None:  # type: ignore[no-untyped-def]
    deck = load_deck(path)
    assert {note.kind for note in deck.notes} <= set(Kind)
    for note in deck.notes:
        entry = card_type(note.kind)
        values = entry.anki_fields(note)
        assert len(values) == len(entry.note_type.fields), note.id
        ordinals = [entry.note_type.ordinal(card.template) for card in note.cards]
        assert len(set(ordinals)) == len(ordinals), note.id


def test_identify_prompt_travels_on_the_note(write_deck) -> None:  # type: ignore[no-untyped-def]
    deck = load_deck(
        write_deck(
            "id: d\nname: D\ntables:\n  - id: t\n    row_label: Aspect\n"
            "    columns: [Left, Right]\n    identify: row\n"
            "    rows:\n      - {label: Focus, cells: [a, b]}\n"
        )
    )
    note = deck.notes[0]
    assert note.fields["IdentifyPrompt"] == "Which aspect?"
    fields = dict(zip(table_type.NOTE_TYPE.fields, table_type.anki_fields(note), strict=True))
    assert fields["IdentifyPrompt"] == Markdown("*Which aspect?*")
    assert fields["IdentifyAnswer"] == Markdown("**Focus** (Left)")
    assert [fields["Recall"], fields["Identify"], fields["Choice"]] == [Flag(True)] * 3


def test_a_table_without_identify_leaves_its_fields_empty(write_deck) -> None:  # type: ignore[no-untyped-def]
    deck = load_deck(
        write_deck(
            "id: d\nname: D\ntables:\n  - id: t\n    row_label: Aspect\n"
            "    columns: [Left, Right]\n    templates: [recall]\n"
            "    rows:\n      - {label: Focus, cells: [a, b]}\n"
        )
    )
    note = deck.notes[0]
    assert "IdentifyPrompt" not in note.fields
    fields = dict(zip(table_type.NOTE_TYPE.fields, table_type.anki_fields(note), strict=True))
    assert fields["IdentifyPrompt"] == fields["IdentifyAnswer"] == fields["Options"] == Markdown("")
    assert [fields["Recall"], fields["Identify"], fields["Choice"]] == [
        Flag(True),
        Flag(False),
        Flag(False),
    ]
