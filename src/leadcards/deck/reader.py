"""Reading YAML for decks: bytes to composed nodes, and a validator that walks them.

The YAML is composed into nodes (never constructed into Python objects), so no tag
can run code, duplicate keys are caught before PyYAML would silently keep the last,
and every problem can name its line and column. The ``Reader`` knows nothing about
decks: it checks kinds (mapping, list, text), field names and slugs, and collects
problems instead of stopping at the first, so a broken deck is reported all at once.
"""

from __future__ import annotations

import bisect
import codecs
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from leadcards.deck.files import read_deck_bytes
from leadcards.deck.model import SLUG_RE
from leadcards.deck.text import closest
from leadcards.errors import DeckError, Problem
from leadcards.printable import printable

# Aliases let a small file describe a huge tree; reading stops after this many nodes.
MAX_NODES = 2_000_000

# The base loader resolves no implicit tags: every plain scalar stays text, which is
# what a deck wants and saves much of the parse time. Booleans and nulls a user may
# have meant are recognised by hand in ``Reader.text``. (yaml is untyped here: Any.)
_Loader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_PLAIN_BOOL = re.compile(
    r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"
)
_PLAIN_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")

TEXT_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}


def read_deck_text(path: Path) -> str:
    """The file's text, or a DeckError for a missing, odd, huge or non-UTF-8 file."""
    shown = str(path)
    data = read_deck_bytes(path)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]  # invisible: columns count from after it
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")  # all sound up to the bad byte
        line, column = Lines(before).position(len(before))
        raise DeckError(
            [Problem(shown, line, column, f"not UTF-8 text (byte 0x{data[exc.start]:02x})")]
        ) from None


# Line ends for YAML that editors and `grep -n` do not count (CR LF is one line end).
_ODD_BREAK = re.compile(r"\r(?!\n)|[\x85\u2028\u2029]")


class Lines:
    """Positions in a text as editors and ``grep -n`` give them: 1-based lines ended by
    line feeds, 1-based columns in characters.

    YAML also ends a line at a lone carriage return, U+0085, U+2028 and U+2029, so its
    own line numbers run ahead of the editor's after one of those; positions are taken
    from a mark's character index instead, which YAML counts like everyone.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None  # where each line begins, once recounting

    def position(self, index: int) -> tuple[int, int]:
        """(line, column) of the character at ``index`` (or of the end, at its length)."""
        if self._starts is None:  # one position: no need to index every line
            return self.text.count("\n", 0, index) + 1, index - self.text.rfind("\n", 0, index)
        line = bisect.bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1

    def odd_break_before(self, index: int) -> str:
        """A note naming the last line end only YAML sees before ``index``, if any: it
        is the likely cause of a syntax error there, and an editor does not show it."""
        starts = [m.start() for m in _ODD_BREAK.finditer(self.text, 0, index)]
        if not starts:
            return ""
        line, column = self.position(starts[-1])
        code = ord(self.text[starts[-1]])
        return f"; YAML ends a line at the U+{code:04X} at line {line}, column {column}"

    def of(self, mark: Any) -> tuple[int, int]:
        return self.position(int(mark.index))

    def agree(self, mark: Any) -> bool:
        """Whether YAML's own line and column for ``mark`` are the editor's."""
        return self.of(mark) == (int(mark.line) + 1, int(mark.column) + 1)

    def recount(self, root: Node) -> None:
        """Give every node marks with the editor's lines and columns (see the class)."""
        self._starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        seen: set[int] = set()
        todo = [root]
        while todo:
            node = todo.pop()
            if id(node) in seen:  # an alias: one node, reached twice
                continue
            seen.add(id(node))
            node.start_mark = self._mark(node.start_mark)
            node.end_mark = self._mark(node.end_mark)
            if isinstance(node, MappingNode):
                todo.extend(item for pair in node.value for item in pair)
            elif isinstance(node, SequenceNode):
                todo.extend(node.value)

    def _mark(self, mark: Any) -> yaml.Mark:
        line, column = self.of(mark)
        return yaml.Mark(mark.name, mark.index, line - 1, column - 1, None, None)


def compose(text: str, shown: str) -> Node:
    """The document's root node, or a DeckError naming where the YAML breaks.

    Every position, in errors and on the nodes, is the editor's (see ``Lines``).
    """
    # A byte-order mark YAML skips without counting it: drop it, so indexes agree.
    text = text[1:] if text.startswith("\ufeff") else text
    lines = Lines(text)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:
        index = exc.position
        if isinstance(exc.character, int):  # libyaml: a byte offset into the UTF-8 text
            index = len(text.encode()[: exc.position].decode("utf-8", "ignore"))
        line, column = lines.position(index)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        what = "control character" if unicodedata.category(chr(code)) == "Cc" else "character"
        message = f"YAML error: the {what} U+{code:04X} is not allowed in a deck file"
        raise DeckError([Problem(shown, line, column, message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = str(exc.problem or exc.context)
        if exc.context and exc.context_mark and exc.problem_mark:
            start_line, start_column = lines.of(exc.context_mark)
            message += f" ({exc.context} at line {start_line}, column {start_column})"
        line, column = lines.of(mark) if mark else (1, 1)
        message += lines.odd_break_before(int(mark.index) if mark else 0)
        raise DeckError([Problem(shown, line, column, f"YAML syntax error: {message}")]) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DeckError([Problem(shown, 1, 1, f"YAML error: {first}")]) from None
    if root is None:
        raise DeckError([Problem(shown, 1, 1, "deck file is empty")])
    # Extra line ends only ever put YAML's lines ahead: if its last node agrees, all do.
    if not lines.agree(root.end_mark):
        lines.recount(root)
    return root


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


def describe(node: Node) -> str:
    """What a node is, in the words an error message uses ("a list", "true/false")."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    tag = node.tag.rsplit(":", 1)[-1]
    return {"null": "nothing", "bool": "true/false", "str": "text"}.get(tag, tag)


class _BadNode(Exception):
    """A node was already reported; skip it."""


class Reader:
    """Walks composed YAML nodes, collecting problems instead of stopping at the first."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.visits = 0
        # Field names of the last mapping offered as "did you mean": not also reported
        # as missing, since the misspelt field is most likely the one that is.
        self.suggested: set[str] = set()

    def problem(self, node: Node | None, message: str) -> None:
        """Report a problem where ``node`` starts (the top of the file without one)."""
        if node is None:
            self.problem_at(1, 1, message)
        else:
            self.problem_at(line_of(node), int(node.start_mark.column) + 1, message)

    def problem_at(self, line: int, column: int, message: str) -> None:
        """Report a problem at a 1-based line and column. A message may quote the deck
        (a misspelt field name), so it gets the rule every deck text gets."""
        self.problems.append(Problem(self.path, line, column, printable(message)))

    def suggest(self, word: str, choices: Sequence[str]) -> str:
        """``"; did you mean 'x'?"`` for a misspelt name, or nothing when none is close."""
        match = closest(word, choices)
        if match is None:
            return ""
        self.suggested.add(match)
        return f"; did you mean '{match}'?"

    def visit(self, node: Node) -> None:
        """Count the node against MAX_NODES and refuse tags a deck has no use for."""
        self.visits += 1
        if self.visits > MAX_NODES:
            message = (
                f"deck expands to more than {MAX_NODES:,} YAML nodes "
                "(are anchors and aliases nested too deep?)"
            )
            # Alone, not among the problems so far: they may only be its symptoms.
            raise DeckError([Problem(self.path, 1, 1, message)])
        if not node.tag.startswith("tag:yaml.org,2002:") or node.tag.startswith(
            "tag:yaml.org,2002:python"
        ):
            self.problem(node, f"the YAML tag {node.tag!r} is not allowed in a deck")
            raise _BadNode

    def _is(self, node: Node, kind: type[Node], wanted: str) -> bool:
        """Visit ``node`` and check its kind, reporting ``wanted`` when it is not."""
        try:
            self.visit(node)
        except _BadNode:
            return False
        if not isinstance(node, kind):
            self.problem(node, f"{wanted}, got {describe(node)}")
            return False
        return True

    def mapping(
        self, node: Node, allowed: Sequence[str], required: Sequence[str], what: str
    ) -> dict[str, Node] | None:
        """The fields of a mapping by name, each allowed one once; None if not a mapping."""
        if not self._is(node, MappingNode, f"{what} must be a mapping of fields"):
            return None
        fields: dict[str, Node] = {}
        firsts: dict[str, Node] = {}
        self.suggested = set()
        for key_node, value_node in node.value:
            self.visits += 1
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, f"field names in {what} must be plain text")
                continue
            name = key_node.value
            if name in firsts:
                self.problem(
                    key_node,
                    f"duplicate field '{name}' in {what} (first at line {line_of(firsts[name])})",
                )
                continue
            firsts[name] = key_node
            if name == "<<":
                self.problem(key_node, "merge keys (<<) are not supported in decks")
                continue
            if name not in allowed:
                hint = self.suggest(name, allowed)
                self.problem(
                    key_node,
                    f"unknown field '{name}' in {what}{hint} (allowed: {', '.join(allowed)})",
                )
                continue
            fields[name] = value_node
        for name in required:
            if name not in firsts and name not in self.suggested:
                self.problem(node, f"{what} is missing the required field '{name}'")
        return fields

    def text(self, node: Node | None, what: str, *, required: bool = True) -> str | None:
        """A scalar as stripped text; None (reported) if it is not text or is empty.

        An optional field left empty (``extra:``) is the empty string, not a problem.
        Every text of a deck passes here, so this is where control characters (a
        ``"\\e]0;title\\a"`` in quotes) are made visible, once for every front end.
        """
        if node is None:
            return None
        try:
            self.visit(node)
        except _BadNode:
            return None
        if isinstance(node, ScalarNode) and node.tag in TEXT_TAGS:
            if not node.style and _PLAIN_BOOL.match(node.value):
                self.problem(node, f"{what} must be text, got true/false (put it in quotes)")
                return None
            if not node.style and _PLAIN_NULL.match(node.value):
                if required:
                    self.problem(node, f"{what} must be text, got nothing")
                    return None
                return ""
            value = printable(str(node.value).strip())
            if required and not value:
                self.problem(node, f"{what} must not be empty")
                return None
            return value
        hint = " (put it in quotes)" if isinstance(node, ScalarNode) else ""
        self.problem(node, f"{what} must be text, got {describe(node)}{hint}")
        return None

    def sequence(self, node: Node | None, what: str) -> list[Node] | None:
        """The items of a list; None when absent or (reported) not a list."""
        if node is None or not self._is(node, SequenceNode, f"{what} must be a list"):
            return None
        return list(node.value)

    def texts(self, node: Node | None, what: str) -> tuple[str, ...]:
        """A list of text items; stops at the first bad item (one report per list)."""
        items = self.sequence(node, what)
        if items is None:
            return ()
        values: list[str] = []
        for item in items:
            value = self.text(item, f"each item of {what}")
            if value is None:
                break
            values.append(value)
        return tuple(values)

    def slug(self, node: Node | None, what: str) -> str | None:
        """Text that can go into a card key, or None (reported)."""
        value = self.text(node, what)
        if value is not None and not SLUG_RE.match(value):
            self.problem(
                node,
                f"{what} {value!r} must be lowercase letters, digits, '-' or '_' "
                "(it is part of every card's key)",
            )
            return None
        return value
