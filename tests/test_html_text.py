"""Anki field HTML as deck Markdown: literal cases, and any plain text shows as it was
once the deck's own renderer (markdown-it, CommonMark, HTML off) has rendered it."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadcards.export.anki_html import markdown
from leadcards.importing.html_text import (
    Converted,
    escape_line,
    html_to_markdown,
    plain_to_markdown,
)


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("<b>bold</b> and <strong>strong</strong>", "**bold** and **strong**"),
        ("<i>it</i> and <em>em</em>", "*it* and *em*"),
        ("<u>under</u>lined", "underlined"),
        ("<b> spaced </b>out", "**spaced** out"),
        ("<b></b>nothing bold", "nothing bold"),
        ("<b>a<br>b</b>", "**a**\\\n**b**"),
        ("<b>bold <i>both</i></b>", "**bold *both***"),
        ("one<br>two<br/>three<br>", "one\\\ntwo\\\nthree"),
        ("<div>line 1</div><div>line 2</div><div><br></div>", "line 1\\\nline 2"),
        ("<p>para 1</p><p>para 2</p>", "para 1\n\npara 2"),
        ("<ul><li>one</li><li>two</li></ul>after", "- one\n- two\n\nafter"),
        ("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second"),
        ("<ul><li>a<ul><li>inner</li></ul></li><li>b</li></ul>", "- a\n  - inner\n- b"),
        ("<ol><li>a<br>more</li></ol>", "1. a\\\n   more"),
        ('<a href="https://example.org/x">a link</a>', "[a link](https://example.org/x)"),
        ('<a href="https://e.org/a b">sp</a>', "[sp](<https://e.org/a b>)"),
        ('<a href="https://e.org/"></a>', "[https://e.org/](https://e.org/)"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ('<img src="paste-1.png">', "![](paste-1.png)"),
        ('<img src="my pic.jpg" alt="a cat">', "![a cat](<my pic.jpg>)"),
        ("&nbsp;&amp; &lt;b&gt; &#39;q&#39; &quot;d&quot; &eacute;", "& <b> 'q' \"d\" é"),
        ("2 * 3 = 6", "2 \\* 3 = 6"),
        ("snake_case and _under_", "snake_case and \\_under\\_"),
        ("`code` [link](x) ~~strike~~", "\\`code\\` \\[link\\](x) \\~\\~strike\\~\\~"),
        ("# not a heading", "\\# not a heading"),
        ("&gt; not a quote", "\\> not a quote"),
        ("- not a list", "\\- not a list"),
        ("+ not a list", "\\+ not a list"),
        ("1. not a list", "1\\. not a list"),
        ("2) nor this", "2\\) nor this"),
        ("===", "\\==="),
        ("-5 degrees and 3.5", "-5 degrees and 3.5"),
        ("a # mid-line hash", "a # mid-line hash"),
        ("&amp;amp; stays", "\\&amp; stays"),
        ("&lt;https://e.org&gt;", "\\<https://e.org>"),
        ("C:\\ and \\* and \\n", "C:\\ and \\\\\\* and \\n"),
        ("<script>alert(1)</script>kept<style>b {}</style>", "kept"),
        ("<font color=red>red</font> <span>span</span> <unknown>x</unknown>", "red span x"),
        (
            "{{c1::Paris::capital}} and {{c2::<b>bold</b>}}",
            "{{c1::Paris::capital}} and {{c2::**bold**}}",
        ),
        ("\\(x^2\\) and \\[y\\]", "\\(x^2\\) and \\[y\\]"),
        ("a\n  b\t c", "a b c"),
        (
            "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
            "a | b\\\nc | d",
        ),
        ("<pre>line 1\nline 2</pre>", "line 1\\\nline 2"),
        ("", ""),
    ],
)
def test_anki_html_becomes_deck_markdown(field: str, text: str) -> None:
    assert html_to_markdown(field).text == text


def test_media_names_are_returned_once_each_in_order() -> None:
    field = (
        '<img src="a.png"> [sound:rec_1.mp3] <img src="https://cdn.example/x.png">'
        '<img src="data:image/png;base64,AAA="> <img src="my%20pic.jpg"> <img src="a.png">'
    )
    converted = html_to_markdown(field)
    assert converted == Converted(
        "![](a.png) 🔊 rec_1.mp3 ![](https://cdn.example/x.png)"
        "![](data:image/png;base64,AAA=) ![](my%20pic.jpg) ![](a.png)",
        ("a.png", "rec_1.mp3", "my pic.jpg"),
    )


def test_plain_text_keeps_its_lines_and_escapes_markup() -> None:
    assert plain_to_markdown("a *b*\r\n# c\n\nd") == "a \\*b\\*\\\n\\# c\n\nd"
    assert escape_line("1986. A year") == "1986\\. A year"


def test_the_renderer_shows_the_converted_text() -> None:
    assert markdown(html_to_markdown("<b>x</b> 2 * 3 <i>y</i>").text) == (
        "<strong>x</strong> 2 * 3 <em>y</em>"
    )
    assert markdown(html_to_markdown("<ul><li>a</li><li>b</li></ul>").text) == (
        "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    )
    assert markdown(html_to_markdown("a<br>b").text) == "a<br />\nb"


# --- any text survives ------------------------------------------------------------------------

_MARKUP = st.sampled_from(
    [
        *"*_`[]#>-+=.)!~&<\\|:{}()'\"1 ",
        "1. ",
        "- ",
        "# ",
        "&amp;",
        "&#39;",
        "<http://x.y>",
        "\\(",
        "**",
        "__",
        "~~",
        "```",
    ],
)
_LINE = st.lists(
    st.one_of(_MARKUP, st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=4)),
    max_size=10,
).map("".join)


def _shown(rendered: str) -> str:
    """What the rendered HTML shows, as text: tags dropped, entities read, spaces folded."""
    text = re.sub(r"<br />\n?", "\n", rendered)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def _folded(text: str) -> str:
    """The text as it should show: spaces folded, and MathJax's \\( \\) \\[ \\] as they
    show in every deck, their backslash an escape (they are left as Anki wrote them)."""
    text = re.sub(r"\\([()[\]])", r"\1", text)
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.split())


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(_LINE, min_size=1, max_size=3))
def test_any_plain_text_shows_as_it_was_after_rendering(lines: list[str]) -> None:
    original = "\n".join(lines)  # no control characters: the loader shows those as symbols
    rendered = markdown(plain_to_markdown(original))
    assert _shown(rendered) == _folded(original)


_WORDS = st.text(
    st.characters(categories=("L", "N"), codec="utf-8") | st.sampled_from(" ,;?'"), max_size=40
)


@settings(max_examples=200, deadline=None)
@given(text=_WORDS)
def test_plain_text_without_markup_comes_through_unchanged(text: str) -> None:
    assert html_to_markdown(html.escape(text)).text == " ".join(text.split())


def test_line_mode_and_the_review_screen_show_converted_text_without_its_escapes() -> None:
    from io import StringIO

    from rich.console import Console

    from leadcards.deck.text import plain
    from leadcards.ui.render import markdown as screen

    text = html_to_markdown("2 * 3 &amp; 1) <b>six</b><br>C:\\ \\(x\\) \\*a\\*").text
    assert text == "2 \\* 3 & 1) **six**\\\nC:\\ \\(x\\) \\\\\\*a\\\\\\*"
    assert plain(text) == "2 * 3 & 1) six\nC:\\ (x) \\*a\\*"
    out = StringIO()
    Console(file=out, width=60, color_system=None).print(screen("line 1\\\nline 2 \\& 1\\) x"))
    assert [line.rstrip() for line in out.getvalue().splitlines()] == [
        "line 1",
        "line 2 & 1) x",
    ]
