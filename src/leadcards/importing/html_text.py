"""Anki field HTML as deck text: the Markdown leadcards renders (CommonMark, raw HTML off).

What the HTML means is kept in Markdown where the deck has it: bold and italics,
line breaks and paragraphs (Anki's editor writes a ``<div>`` per line), lists, links,
images (as ``![](name)``, their files returned so the importer can copy them).
Anki's sound tags are returned too and left as a readable marker; everything else
keeps its text, but scripts and styles, which are dropped with theirs.

Text is escaped wherever CommonMark would read it as markup, so it shows as it did in
Anki; characters that are markup only in some places (``#`` or ``1.`` at the start of
a line, ``_`` at a word's edge, ``&`` before what reads as an entity) are escaped only
there. Cloze deletions (``{{c1::...::hint}}``) and MathJax delimiters (``\\(``,
``\\[``) pass through as Anki wrote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

_DROPPED = frozenset({"script", "style", "head", "title", "template", "noscript", "iframe"})
_LINE_BLOCKS = frozenset({"div", "tr", "dt", "dd", "center", "section", "article", "figure"})
_PARAGRAPHS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr", "ul", "ol"}
)
_BOLD = frozenset({"b", "strong"})
_ITALIC = frozenset({"i", "em"})
_SAFE_LINK = re.compile(r"(?:https?|ftp|mailto):", re.IGNORECASE)
_REMOTE = re.compile(r"(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
SOUND_MARK = "\U0001f50a"  # 🔊, before the sound file's name

# Markup anywhere in a line: emphasis, code, link brackets (a backslash before ASCII
# punctuation is an escape, so it is escaped itself; MathJax's \( \) \[ \] are left).
_ESCAPE = re.compile(
    r"\\(?=[()\[\]])\S"  # MathJax delimiter: kept as it is
    r"|\\(?=[!-/:-@\[-`{-~]|$)"  # a backslash that would escape what follows
    r"|[*`\[\]]"
    r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"  # '_' can open or close emphasis at a word's edge
    r"|~(?=~)|(?<=~)~"  # strikethrough (the review screen), fences
    r"|&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)"  # an entity
    r"|<(?=[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*>|[^\s<>@]+@[^\s<>]+>)"  # an autolink
)
# Markup at the start of a line: headings, quotes, lists, rules, setext underlines.
_LINE_START = re.compile(
    r"[#>]"
    r"|[-+](?=[ \t]|$)"
    r"|[-=+](?=[-=+ \t]*$)"
    r"|[0-9]{1,9}(?=[.)](?:[ \t]|$))"
)


@dataclass(frozen=True, slots=True)
class Converted:
    """A field as deck text, and the media files it names (images, then sounds)."""

    text: str
    media: tuple[str, ...] = ()


def escape_line(line: str) -> str:
    """One line of plain text as Markdown that shows exactly that text."""
    return _start_escaped(_inline(line))


def _inline(text: str) -> str:
    """Text inside a line: escaped for what is markup anywhere (not at a line start)."""
    return _ESCAPE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    found = match.group()
    return found if len(found) == 2 else "\\" + found


def _start_escaped(line: str) -> str:
    """A line of Markdown with what would start a block there escaped."""
    start = _LINE_START.match(line)
    if start is None:
        return line
    if start.group()[0].isdigit():  # "1." and "1)" start a list: escape the mark after it
        end = start.end()
        return f"{line[:end]}\\{line[end:]}"
    return "\\" + line


def plain_to_markdown(text: str) -> str:
    """Plain text (no HTML) as deck text: each line escaped, line breaks kept as such."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _join([(escape_line(line.strip()), False) for line in lines])


def html_to_markdown(html: str) -> Converted:
    """An Anki field's HTML as deck text, with the media files it names."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return Converted(_join(parser.finish()), tuple(dict.fromkeys(parser.media)))


def _join(lines: list[tuple[str, bool]]) -> str:
    """Lines as Markdown; ("", _) is a paragraph break, (text, True) a list item.

    Consecutive lines of one paragraph end with a hard break (a backslash), so they
    show as lines on the review screen and in Anki alike; a line before a list item
    needs none, and blank lines come once, never first or last.
    """
    out: list[str] = []
    for text, item in lines:
        if not text:
            if out and out[-1]:
                out.append("")
            continue
        if out and out[-1] and not item:
            out[-1] += "\\"
        out.append(text)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


class _Parser(HTMLParser):
    """Writes Markdown line by line as the HTML's events come."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.done: list[tuple[str, bool]] = []  # finished lines (see ``_join``)
        self.line: list[str] = []  # Markdown pieces of the line being written
        self.prefix = ""  # the line's list marker ("- ", "1. ") or continuation indent
        self.item = False  # whether the line starts a list item
        self.media: list[str] = []
        self.dropping = 0  # inside script, style...: their text is no text
        self.open: list[str] = []  # emphasis markers written and not yet closed
        self.pending: list[str] = []  # emphasis opened, written before the next text
        self.links: list[tuple[str | None, int]] = []  # open <a>s: address, first piece
        self.lists: list[list[int]] = []  # per open list: [next number], 0 for bullets
        self.indents: list[str] = []  # per open list item: its continuation indent
        self.pre = 0

    def finish(self) -> list[tuple[str, bool]]:
        self._break(paragraph=False)
        return self.done

    # --- lines ---------------------------------------------------------------------------

    def _break(self, paragraph: bool) -> None:
        """End the line; emphasis still open is closed before and reopened after."""
        still_open = list(self.open)
        if self.line:
            self.line.extend(reversed(still_open))
        content = "".join(self.line).strip()
        if content:
            self.done.append((self.prefix + _start_escaped(content), self.item))
            self.prefix, self.item = (self.indents[-1] if self.indents else ""), False
        self.line, self.open = [], []
        self.pending = still_open + [m for m in self.pending if m not in still_open]
        if paragraph and self.done and self.done[-1][0]:
            self.done.append(("", False))

    def _put(self, markdown: str) -> None:
        """Markdown (escaped already) at the current place, after emphasis opened."""
        if self.pending:
            self.line.extend(self.pending)
            self.open.extend(self.pending)
            self.pending = []
        self.line.append(markdown)

    def _text(self, text: str) -> None:
        if not text:
            return
        if not self.line:
            text = text.lstrip()
            if not text:
                return
        if self.pending and text[0] == " ":
            self.line.append(" ")
            text = text.lstrip()
        self._put(_inline(text))

    # --- the parser's events -------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping += 1
        if self.dropping:
            return
        values = {name: value or "" for name, value in attrs}
        if tag == "br":
            self._break(paragraph=False)
        elif tag in _BOLD or tag in _ITALIC:
            self._open("**" if tag in _BOLD else "*")
        elif tag == "a":
            href = values.get("href", "").strip()
            self.links.append((href if _SAFE_LINK.match(href) else None, len(self.line)))
        elif tag == "img":
            self._image(values.get("src", "").strip(), values.get("alt", ""))
        elif tag in ("ul", "ol"):
            self._break(paragraph=not self.lists)
            self.lists.append([1 if tag == "ol" else 0])
        elif tag == "li":
            self._item()
        elif tag in ("td", "th"):
            if self.line:
                self._put(" | ")
        elif tag in _PARAGRAPHS:
            self._break(paragraph=True)
            self.pre += tag == "pre"
        elif tag in _LINE_BLOCKS:
            self._break(paragraph=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        if tag in _BOLD or tag in _ITALIC:
            self._close("**" if tag in _BOLD else "*")
        elif tag == "a" and self.links:
            self._link(*self.links.pop())
        elif tag in ("ul", "ol") and self.lists:
            self._break(paragraph=False)
            self.lists.pop()
            self._leave_items(len(self.lists))
            self._break(paragraph=not self.lists)
        elif tag == "li":
            self._break(paragraph=False)
        elif tag in _PARAGRAPHS:
            self.pre -= tag == "pre" and self.pre > 0
            self._break(paragraph=True)
        elif tag in _LINE_BLOCKS:
            self._break(paragraph=False)

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        data = data.replace("\xa0", " ")
        if not self.pre:
            self._sounds(re.sub(r"\s+", " ", data))
            return
        for index, line in enumerate(data.split("\n")):
            if index:
                self._break(paragraph=False)
            self._sounds(line)

    # --- pieces ----------------------------------------------------------------------------

    def _sounds(self, text: str) -> None:
        """Text, with Anki's sound tags as a marker and their files noted."""
        end = 0
        for match in _SOUND.finditer(text):
            self._text(text[end : match.start()])
            name = match.group(1).strip()
            self.media.append(name)
            self._text(f"{SOUND_MARK} {name}")
            end = match.end()
        self._text(text[end:])

    def _open(self, marker: str) -> None:
        if marker not in self.open and marker not in self.pending:
            self.pending.append(marker)

    def _close(self, marker: str) -> None:
        """Close emphasis: nothing for a run that had no text; whitespace before the
        closing marker moves after it, where CommonMark needs it."""
        if marker in self.pending:
            self.pending.remove(marker)
            return
        if marker not in self.open:
            return
        trailing = ""
        if self.line and self.line[-1].endswith(" "):
            trailing = " "
            self.line[-1] = self.line[-1].rstrip()
        while self.open:
            last = self.open.pop()
            self.line.append(last)
            if last == marker:
                break
            self.pending.insert(0, last)  # closed to close ``marker``: reopened after it
        if trailing:
            self.line.append(trailing)

    def _link(self, href: str | None, start: int) -> None:
        if href is None:
            return
        label = "".join(self.line[start:]).strip() or _inline(href)
        self.line[start:] = [f"[{label}]({_destination(href)})"]

    def _image(self, src: str, alt: str) -> None:
        if not src:
            return
        if not src.startswith("data:") and not _REMOTE.match(src):
            self.media.append(unquote(src))
        label = _inline(re.sub(r"\s+", " ", alt).strip())
        self._put(f"![{label}]({_destination(src)})")

    def _item(self) -> None:
        self._break(paragraph=False)
        if not self.lists:
            self.lists.append([0])
        self._leave_items(len(self.lists) - 1)
        counter = self.lists[-1]
        outer = self.indents[-1] if self.indents else ""
        marker = f"{counter[0]}. " if counter[0] else "- "
        counter[0] += bool(counter[0])
        self.prefix, self.item = outer + marker, True
        self.indents.append(outer + " " * len(marker))

    def _leave_items(self, depth: int) -> None:
        """Back to the items of ``depth`` lists: deeper items' indents are done."""
        del self.indents[depth:]
        if not self.item:
            self.prefix = self.indents[-1] if self.indents else ""


def _destination(url: str) -> str:
    """A link or image address as Markdown writes it: bare when it can be, else in
    ``<...>`` (spaces, parentheses), with what cannot go there percent-encoded."""
    url = url.replace("<", "%3C").replace(">", "%3E").replace("\n", "%0A")
    if re.search(r"[\s()\\]", url):
        return f"<{url}>"
    return url
