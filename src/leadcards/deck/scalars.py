"""Text as YAML scalars that the deck loader reads back exactly: how a deck is written.

The loader reads every text the same way (``Reader.text``): stripped, its control
characters made visible. ``as_loaded`` is that rule; a text written here through
``scalar`` or ``block`` is read back as ``as_loaded`` of it, whatever it holds.

Three styles, the plainest that is safe. Plain for ids and simple words (nothing YAML
could read as anything else: no indicator, no ``true``/``null``); a literal block
(``|-``) for text on several lines, so a note reads in the file as it shows; double
quotes for the rest, with every character YAML would not keep as it is escaped (line
ends other than a line feed, which YAML folds; byte-order marks; characters a YAML
stream may not hold). Written by hand, not by PyYAML's emitter: ``yaml.dump`` costs
tens of microseconds a scalar, and an Anki collection can have a hundred thousand notes.
"""

from __future__ import annotations

import re

from leadcards.printable import printable

# Plain only when nothing in it is YAML syntax: a word, or simple words and punctuation.
_PLAIN_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9(][A-Za-z0-9 ,.;!?()/'+=_-]*")
# What YAML 1.1 reads as true/false or null when plain (the loader refuses those).
_NOT_TEXT = re.compile(
    r"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|~|null|Null|NULL|"
)
# What a double-quoted scalar must escape: its quote and escape characters, the C0
# and C1 controls and DEL, the line ends YAML folds or normalises (NEL, LS, PS), a
# byte-order mark, surrogates and the two non-characters a YAML stream may not hold.
_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]')
_NAMED = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}
# In a literal block every character stands for itself, but for line feeds and tabs.
_NOT_LITERAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def as_loaded(text: str) -> str:
    """``text`` as the deck loader reads it back (``Reader.text``): stripped, its
    control characters made visible; and a lone surrogate, which no file can hold
    (it is not UTF-8), replaced as a decoder would."""
    return printable(_SURROGATE.sub("\ufffd", text).strip())


def scalar(text: str, *, in_list: bool = False) -> str:
    """``text`` (already ``as_loaded``) as one line of YAML: plain when nothing in it
    could be read as syntax, else double-quoted. ``in_list`` is for an item of a flow
    list (``[a, b]``), where commas and brackets are syntax too."""
    plain = _PLAIN_WORD if in_list else _PLAIN_TEXT
    if plain.fullmatch(text) and not _NOT_TEXT.fullmatch(text):
        return text
    return '"' + _ESCAPE.sub(_escaped, text) + '"'


def identifier(text: str) -> str:
    """An id (a slug) as YAML: plain, unless it is a word YAML reads otherwise (``no``)."""
    if _PLAIN_ID.fullmatch(text) and not _NOT_TEXT.fullmatch(text):
        return text
    return scalar(text)


def block(text: str, indent: str) -> str:
    """``text`` (already ``as_loaded``) as the value of a field: a literal block when it
    has several lines, each line after the first indented by ``indent``; else ``scalar``.

    A literal block keeps every character of its lines, so it is used only when no
    character needs an escape; the text is stripped, so no line before the first holds
    only spaces (YAML would take them as the indentation) and ``|-`` ends it exactly.
    """
    if "\n" not in text or _NOT_LITERAL.search(text) or text[0] == " ":
        return scalar(text)
    lines = [f"{indent}{line}" if line else "" for line in text.split("\n")]
    return "|-\n" + "\n".join(lines)


def flow_list(items: tuple[str, ...] | list[str]) -> str:
    """Text items (already ``as_loaded``) as a flow list: ``[a, "b c"]``."""
    return "[" + ", ".join(scalar(item, in_list=True) for item in items) + "]"


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
