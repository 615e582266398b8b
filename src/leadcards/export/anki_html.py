"""Deck text as safe HTML for Anki fields, and the stylesheet every note type shares.

Anki shows fields as HTML and sanitizes nothing, so every field goes through
markdown-it with raw HTML switched off: a ``<script>`` written in a deck arrives as
text, and so does ``<ER>``. Nor does a deck make Anki load anything: a Markdown image
is never an ``<img>`` (see ``_image``). The note types themselves (ids, fields,
templates) belong to the card types in ``leadcards.deck.card_types``; this module
renders the values they give. (Named for what it makes, HTML for Anki, and so as not to
be mistaken for the standard ``html``.)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from leadcards.deck.card_types.base import AnkiField, Choices, ClozeField, Markdown
from leadcards.export.anki_cloze import cloze_html

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

# Markers Anki interprets inside field text (audio, LaTeX images) and MathJax
# delimiters: a deck must not trigger any of them, so their bracket is made inert.
_ANKI_MARKERS = re.compile(r"\[(?=sound:|latex\]|/latex\]|\$\]|/\$\]|\$\$\]|/\$\$\]|anki:)")
_MATHJAX_DELIMITER = re.compile(r"\\(?=[()[\]])")
_ONE_PARAGRAPH = re.compile(r"\A<p>((?:(?!<p>).)*)</p>\n?\Z", re.DOTALL)
# Text that Markdown leaves as it is (one line, no markup characters, no list or
# heading start): most deck text. Rendering it is only escaping its quotes, and
# skipping the parser makes large exports several times faster.
_LETTER = "A-Za-z\u00c0-\u024f"
_CHARS = f"[{_LETTER}0-9 ,.;:?'\"()/%$@{{}}+=\u2013\u2014\u2018\u2019\u201c\u201d\u2026-]"
_PLAIN = re.compile(f"[{_LETTER}]{_CHARS}*")
# The same with whole words in *emphasis* or **strong** emphasis, as the table card
# types write their prompts ("**Leadership** — Focus"): the run opens at the start or
# after a space or an opening quote or bracket, holds no asterisk, neither starts nor
# ends with a space, and closes before the end, a space or punctuation (only before
# the end or a space when it ends in punctuation), so CommonMark can read it only one
# way. A property test holds this shortcut to markdown-it's output.
_WORD = re.compile(f"[{_LETTER}0-9]")
_STRONG_OR_EM = re.compile(
    '(?:^|(?<=[ "(\u2018\u201c]))(\\*{1,2})([^*\\s](?:[^*\\n]*?[^*\\s])?)\\1'
    '(?=$|[ ,.;:?)"\u2019\u201d\u2013\u2014])'
)
_EMPHASIS_ONLY = re.compile(f"(?:{_CHARS}|\\*)*")
_TAGS = {"*": "em", "**": "strong"}


def _emphasised(text: str) -> str | None:
    """``text`` as HTML when it is plain apart from whole-word emphasis, else None."""
    if not _EMPHASIS_ONLY.fullmatch(text) or text.endswith(" "):
        return None
    if not ((_WORD.match(text) and not text[0].isdigit()) or _STRONG_OR_EM.match(text)):
        return None  # a digit, a dash or a space first could start a list or a code block
    out, end = [], 0
    for match in _STRONG_OR_EM.finditer(text):
        after = text[match.end() : match.end() + 1]
        if not _WORD.match(match.group(2)[-1]) and after not in ("", " "):
            return None  # "*why?*," — a run that could open as well as close
        out.append(text[end : match.start()])
        tag = _TAGS[match.group(1)]
        out.append(f"<{tag}>{match.group(2)}</{tag}>")
        end = match.end()
    out.append(text[end:])
    if "*" in "".join(out[::2]) or not end:  # an asterisk left over: not this shape
        return None
    return "".join(out).replace('"', "&quot;")


# An image source Anki would fetch from the network: http(s), or scheme-relative.
_REMOTE = re.compile(r"(?:https?:)?//", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported on first use: only exports need it

    parser = MarkdownIt("commonmark", {"html": False})
    parser.add_render_rule("image", _image)
    return parser


def _image(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """A Markdown image as a link to it, or as its text; never an ``<img>``.

    Anki would load a remote image every time the card shows, which tells its server
    when and how often the deck is studied (a tracking pixel), so ``![alt](https://…)``
    becomes a link named ``alt`` that loads nothing until clicked. Any other source (a
    file name: exports do not carry images yet; a ``data:`` URL) shows as its alt text,
    and so does an image inside a link, which cannot hold a second link.
    """
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    label = escapeHtml(renderer.renderInlineAsText(token.children, options, env) or src)
    depth = sum((t.type == "link_open") - (t.type == "link_close") for t in tokens[:idx])
    if depth == 0 and _REMOTE.match(src):
        return f'<a href="{escapeHtml(src)}">{label}</a>'
    return label


@functools.lru_cache(maxsize=8192)
def render(text: str) -> str:
    """Markdown to HTML that can show, but never run, whatever the deck contains.

    A single paragraph loses its ``<p>`` wrapper so short fields sit inline in the
    templates; anything larger (lists, several paragraphs) keeps its blocks. Table
    titles, labels and columns repeat on every cell, hence the cache.
    """
    if not text:
        return ""
    if _PLAIN.fullmatch(text) and not text.endswith(" "):
        return text.replace('"', "&quot;")
    if "*" in text:
        shortcut = _emphasised(text)
        if shortcut is not None:
            return shortcut
    return markdown(text)


def markdown(text: str) -> str:
    """The full Markdown path of ``render``, without the shortcut for plain text."""
    html = _parser().render(text)
    single = _ONE_PARAGRAPH.match(html)
    html = single.group(1) if single else html.rstrip("\n")
    html = _ANKI_MARKERS.sub("&#91;", html)
    # An empty element splits the text MathJax scans, so "\(" never opens math.
    return _MATHJAX_DELIMITER.sub(r"\\<span></span>", html)


def options_html(options: tuple[str, ...], answer_index: int) -> str:
    """The choices as a list; the right one carries a class the back side highlights."""
    items = []
    for index, option in enumerate(options):
        css = ' class="lc-correct"' if index == answer_index else ""
        items.append(f"<li{css}>{render(option)}</li>")
    return '<ol class="lc-options">' + "".join(items) + "</ol>"


CSS = """\
.card {
  --lc-text: #1d2430; --lc-muted: #5b6576; --lc-accent: #1f5fbf;
  --lc-line: #d5dae3; --lc-correct: #e3f4e6; --lc-correct-line: #2e8540;
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.45; text-align: left;
  color: var(--lc-text); background-color: #fbfbfd;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --lc-text: #e6e9ef; --lc-muted: #a7b0c0; --lc-accent: #7fb0ff;
  --lc-line: #3a4150; --lc-correct: #1f3a27; --lc-correct-line: #5cc276;
  background-color: #1e2127;
}
.lc { max-width: 42em; margin: 0 auto; padding: 0 0.5em; }
.lc-origin { font-size: 0.7em; color: var(--lc-muted); letter-spacing: 0.02em;
  text-transform: uppercase; margin-bottom: 0.6em; }
.lc-prompt { color: var(--lc-muted); font-style: italic; margin-top: 0.6em; }
.lc-extra { color: var(--lc-muted); font-size: 0.85em; margin-top: 1em;
  border-top: 1px dashed var(--lc-line); padding-top: 0.6em; }
.lc p { margin: 0.4em 0; }
.lc ul, .lc ol { margin: 0.4em 0; padding-left: 1.4em; }
.lc code { font-size: 0.9em; padding: 0 0.2em; border-radius: 3px;
  background-color: rgba(127, 127, 127, 0.15); }
.lc a { color: var(--lc-accent); }
hr#answer { border: none; border-top: 1px solid var(--lc-line); margin: 1em 0; }
.cloze { font-weight: bold; color: var(--lc-accent); }
ol.lc-options { list-style: lower-alpha; padding-left: 1.6em; }
ol.lc-options li { margin: 0.3em 0; padding: 0.15em 0.4em; border-radius: 4px;
  border-left: 3px solid transparent; }
.lc-revealed ol.lc-options li.lc-correct { background-color: var(--lc-correct);
  border-left-color: var(--lc-correct-line); font-weight: bold; }
.lc-revealed ol.lc-options li.lc-correct::after { content: " \\2714";
  color: var(--lc-correct-line); }
"""


def field_html(value: AnkiField) -> str:
    """One Anki field of a note, as its card type gave it, as HTML."""
    if isinstance(value, Markdown):
        return render(value.text)
    if isinstance(value, Choices):
        return options_html(value.options, value.answer_index)
    if isinstance(value, ClozeField):
        return cloze_html(value, render)
    return "1" if value.on else ""
