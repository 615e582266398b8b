"""Deck text as safe HTML, and the leadcards note types as Anki sees them.

Anki shows fields as HTML and sanitizes nothing, so every field goes through
markdown-it with raw HTML switched off: a ``<script>`` written in a deck arrives as
text. The note types are plain data (ids, fields, templates, CSS) so the .apkg writer
and the tests share one definition. Model ids are fixed forever: Anki recognises a
note type by its id, and a new id would make a second copy on every import.
(Named for what it makes, HTML for Anki, and so as not to be mistaken for the
standard ``html``.)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Markers Anki interprets inside field text (audio, LaTeX images) and MathJax
# delimiters: a deck must not trigger any of them, so their bracket is made inert.
_ANKI_MARKERS = re.compile(r"\[(?=sound:|latex\]|/latex\]|\$\]|/\$\]|\$\$\]|/\$\$\]|anki:)")
_MATHJAX_DELIMITER = re.compile(r"\\(?=[()[\]])")
_ONE_PARAGRAPH = re.compile(r"\A<p>((?:(?!<p>).)*)</p>\n?\Z", re.DOTALL)
# Text that Markdown leaves as it is (one line, no markup characters, no list or
# heading start): most deck text. Rendering it is only escaping its quotes, and
# skipping the parser makes large exports several times faster.
_LETTER = "A-Za-z\u00c0-\u024f"
_PLAIN = re.compile(
    f"[{_LETTER}][{_LETTER}0-9 ,.;:?'\"()/%$@{{}}+=\u2013\u2014\u2018\u2019\u201c\u201d\u2026-]*"
)


@functools.lru_cache(maxsize=1)
def _parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


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


@dataclass(frozen=True)
class Template:
    name: str
    qfmt: str
    afmt: str


@dataclass(frozen=True)
class NoteType:
    """One Anki note type; ``templates`` order is the Anki card ordinal."""

    model_id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    cloze: bool = False


def _wrap(kind: str, body: str) -> str:
    return f'<div class="lc lc-{kind}">{body}</div>'


def _extra() -> str:
    return '{{#Extra}}<div class="lc-extra">{{Extra}}</div>{{/Extra}}'


_ANSWER = '{{FrontSide}}<hr id="answer">'

BASIC = NoteType(
    1_732_104_001,
    "leadcards Basic",
    ("Front", "Back", "Extra"),
    (
        Template(
            "Card", _wrap("basic", "{{Front}}"), _ANSWER + _wrap("basic", "{{Back}}" + _extra())
        ),
    ),
)

REVERSED = NoteType(
    1_732_104_002,
    "leadcards Reversed",
    ("Front", "Back", "Extra"),
    (
        Template(
            "Forward", _wrap("basic", "{{Front}}"), _ANSWER + _wrap("basic", "{{Back}}" + _extra())
        ),
        Template(
            "Reverse", _wrap("basic", "{{Back}}"), _ANSWER + _wrap("basic", "{{Front}}" + _extra())
        ),
    ),
)

CLOZE = NoteType(
    1_732_104_003,
    "leadcards Cloze",
    ("Text", "Extra"),
    (
        Template(
            "Cloze",
            _wrap("cloze", "{{cloze:Text}}"),
            _wrap("cloze", "{{cloze:Text}}" + _extra()),
        ),
    ),
    cloze=True,
)

CHOICE = NoteType(
    1_732_104_004,
    "leadcards Choice",
    ("Question", "Options", "Extra"),
    (
        Template(
            "Choice",
            _wrap("choice", '<div class="lc-q">{{Question}}</div>{{Options}}'),
            _wrap(
                "choice lc-revealed",
                '<div class="lc-q">{{Question}}</div>{{Options}}' + _extra(),
            ),
        ),
    ),
)

# A table cell: one note, and one Anki card per template the table chose. The flag
# fields (Recall, Identify, Choice) hold "1" or nothing; a card whose front renders
# no field is never created by Anki, so unchosen templates make no card.
_ORIGIN = '<div class="lc-origin">{{Table}}</div>'
_CELL_QUESTION = "<strong>{{Row}}</strong> ({{RowLabel}}) — {{Column}}"
TABLE_CELL = NoteType(
    1_732_104_005,
    "leadcards Table cell",
    (
        "Cell",
        "Table",
        "RowLabel",
        "Row",
        "Column",
        "IdentifyPrompt",
        "IdentifyAnswer",
        "Options",
        "Recall",
        "Identify",
        "Choice",
    ),
    (
        Template(
            "Recall",
            "{{#Recall}}"
            + _wrap("table", _ORIGIN + f"<div>{_CELL_QUESTION}?</div>")
            + "{{/Recall}}",
            _ANSWER + _wrap("table", "{{Cell}}"),
        ),
        Template(
            "Identify",
            "{{#Identify}}"
            + _wrap(
                "table",
                _ORIGIN + '<div>{{Cell}}</div><div class="lc-prompt">{{IdentifyPrompt}}</div>',
            )
            + "{{/Identify}}",
            _ANSWER + _wrap("table", "{{IdentifyAnswer}}"),
        ),
        Template(
            "Choice",
            "{{#Choice}}"
            + _wrap("table", _ORIGIN + f"<div>{_CELL_QUESTION}: which one?</div>{{{{Options}}}}")
            + "{{/Choice}}",
            _wrap(
                "table lc-revealed",
                _ORIGIN + f"<div>{_CELL_QUESTION}: which one?</div>{{{{Options}}}}",
            ),
        ),
    ),
)

NOTE_TYPES = {"basic": BASIC, "reversed": REVERSED, "cloze": CLOZE, "choice": CHOICE}
NOTE_TYPES["table"] = TABLE_CELL
TABLE_TEMPLATE_ORDER = tuple(t.name.lower() for t in TABLE_CELL.templates)


def card_ordinal(kind: str, template: str) -> int:
    """The Anki card ordinal of a leadcards card: how its history finds its card."""
    if kind == "reversed":
        return 0 if template == "forward" else 1
    if kind == "cloze":
        return int(template[1:]) - 1
    if kind == "table":
        return TABLE_TEMPLATE_ORDER.index(template)
    return 0
