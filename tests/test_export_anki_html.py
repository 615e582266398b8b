"""Deck text to Anki HTML, field values to HTML, and the small identity helpers.

The note types themselves are tested with the card types, in test_card_types.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadcards.deck.card_types import card_type
from leadcards.deck.card_types.base import Choices, Flag, Markdown
from leadcards.export import anki_html as html
from leadcards.export import apkg


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("**bold** and *em*", "<strong>bold</strong> and <em>em</em>"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<b onclick=x>hi</b>", "&lt;b onclick=x&gt;hi&lt;/b&gt;"),
        ("a & b < c", "a &amp; b &lt; c"),
        ('"quoted"', "&quot;quoted&quot;"),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        ("[site](https://example.org)", '<a href="https://example.org">site</a>'),
        ("What does <ER> stand for?", "What does &lt;ER&gt; stand for?"),
        ("![pixel](https://t.example/p.png)", '<a href="https://t.example/p.png">pixel</a>'),
        (
            "![](HTTP://t.example/p.png)",
            '<a href="HTTP://t.example/p.png">HTTP://t.example/p.png</a>',
        ),
        ("![chart *one*](chart.png)", "chart one"),
        ("![](chart.png)", "chart.png"),
        ("![x](data:image/png;base64,AAAA)", "x"),
        (
            "[![x](https://t.example/p.png)](https://b.example/)",
            '<a href="https://b.example/">x</a>',
        ),
        (
            "![<b>&](https://t.example/p.png)",
            '<a href="https://t.example/p.png">&lt;b&gt;&amp;</a>',
        ),
        ("", ""),
    ],
)
def test_render(text: str, expected: str) -> None:
    assert html.render(text) == expected


def test_blocks_keep_their_structure() -> None:
    assert html.render("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    assert html.render("first\n\nsecond") == "<p>first</p>\n<p>second</p>"


def test_anki_markers_in_deck_text_do_nothing() -> None:
    assert html.render("[sound:x.mp3]") == "&#91;sound:x.mp3]"
    assert html.render("[latex]x[/latex]") == "&#91;latex]x&#91;/latex]"
    # Markdown turns "\\(" into "\(", which MathJax would read as the start of math.
    assert html.render("\\\\(x\\\\)") == "\\<span></span>(x\\<span></span>)"
    assert html.render("cloze {{c1::kept}}") == "cloze {{c1::kept}}"


def test_options_mark_only_the_answer() -> None:
    assert html.options_html(("A", "<b>"), 1) == (
        '<ol class="lc-options"><li>A</li><li class="lc-correct">&lt;b&gt;</li></ol>'
    )


def test_stylesheet_has_night_mode() -> None:
    assert ".nightMode" in html.CSS and ".night_mode" in html.CSS


@pytest.mark.parametrize(
    ("kind", "template", "ordinal"),
    [
        ("basic", "front", 0),
        ("reversed", "forward", 0),
        ("reversed", "reverse", 1),
        ("cloze", "c1", 0),
        ("cloze", "c2", 1),
        ("cloze", "c3", 2),
        ("choice", "choice", 0),
        ("table", "recall", 0),
        ("table", "identify", 1),
        ("table", "choice", 2),
    ],
)
def test_card_ordinals(kind: str, template: str, ordinal: int) -> None:
    assert card_type(kind).note_type.ordinal(template) == ordinal


def test_field_values_become_html() -> None:
    assert html.field_html(Markdown("<b>x</b> *y*")) == "&lt;b&gt;x&lt;/b&gt; <em>y</em>"
    assert html.field_html(Markdown("")) == ""
    assert html.field_html(Choices(("A", "B"), 0)) == html.options_html(("A", "B"), 0)
    assert [html.field_html(Flag(True)), html.field_html(Flag(False))] == ["1", ""]


def test_tags_and_deck_names() -> None:
    assert apkg.anki_tags(("a b", "table::x", "a_b", " ", 'q"t')) == ["a_b", "table::x", "qt"]
    assert apkg.anki_deck_name(" CPHQ :: Leadership  vs  Management ") == (
        "CPHQ::Leadership vs Management"
    )
    # The literal deck ids are pinned in test_pinned.py.
    assert apkg.anki_deck_id("A::B") != apkg.anki_deck_id("A")


def test_human_size() -> None:
    assert [apkg.human_size(n) for n in (512, 46_285, 3 * 1024 * 1024)] == [
        "512 B",
        "45.2 KB",
        "3.0 MB",
    ]


_PLAIN_ALPHABET = "abcXYZéÑ019 ,.;:?'\"()/%$@{}+=–—‘’“”…-"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_PLAIN_ALPHABET, max_size=40).map(lambda s: "A" + s))
def test_plain_text_shortcut_matches_markdown(text: str) -> None:
    html.render.cache_clear()
    assert html.render(text) == html.markdown(text)


@pytest.mark.parametrize("text", ["1. item", "- item", "# title", "a\nb", "x *y*", "a  ", "A_b_"])
def test_markup_takes_the_markdown_path(text: str) -> None:
    assert html.render(text) == html.markdown(text)


def test_summary_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    summary = apkg.ExportSummary(tmp_path / "o.apkg", 1, 2, 1, 46_285, reviews=1)
    assert (
        summary.line()
        == f"Exported 1 note, 2 cards, 1 deck, 1 review → {tmp_path / 'o.apkg'} (45.2 KB)"
    )


_SOURCES = st.sampled_from(["https://", "http://", "HTTPS://", "//", "", "data:image/png;base64,"])


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=20),
    st.text(max_size=20),
    _SOURCES,
    st.text(alphabet="abc.png/?=&%:#", max_size=20),
    st.text(max_size=20),
)
def test_no_image_ever_becomes_an_img(
    before: str, alt: str, scheme: str, path: str, after: str
) -> None:
    """Anki would load an ``<img>`` when the card shows: a deck never makes one."""
    html.render.cache_clear()
    rendered = html.render(f"{before}![{alt}]({scheme}{path}){after}").lower()
    assert "<img" not in rendered and "src=" not in rendered


_EMPHASIS_ALPHABET = "aXé0 ,.;:?'\"()-—‘’“”*"


@settings(max_examples=1500, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=_EMPHASIS_ALPHABET, max_size=24),
        st.lists(
            st.one_of(
                st.text(alphabet="aXé0 ,.—", min_size=1, max_size=6),
                st.text(alphabet="aXé0 ", min_size=1, max_size=6).map("*{}*".format),
                st.text(alphabet="aXé0 ", min_size=1, max_size=6).map("**{}**".format),
            ),
            max_size=5,
        ).map("".join),
    )
)
def test_emphasis_shortcut_matches_markdown(text: str) -> None:
    """Text that is plain but for emphasised words skips the parser too; whatever it
    accepts must come out exactly as markdown-it renders it."""
    html.render.cache_clear()
    assert html.render(text) == html.markdown(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**Leadership** — Focus", "<strong>Leadership</strong> — Focus"),
        ("*A or B — and which aspect?*", "<em>A or B — and which aspect?</em>"),
        ('Say "*why*", then **how**.', "Say &quot;<em>why</em>&quot;, then <strong>how</strong>."),
    ],
)
def test_emphasised_words_take_the_shortcut(text: str, expected: str) -> None:
    assert html._emphasised(text) == expected == html.markdown(text)


@pytest.mark.parametrize("text", ["* item", "1. **A**", "- *a*", "**a*", "a*b*c", "*a **b** c*"])
def test_other_asterisks_take_the_markdown_path(text: str) -> None:
    assert html._emphasised(text) is None
