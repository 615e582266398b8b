"""Control characters made visible: the one rule for outside text a terminal or Anki shows.

A deck (or a file name) can hold any character, and control characters are not
text: ESC starts terminal escape sequences (set the window title, write the clipboard
through OSC 52, move the cursor, clear the screen), U+009B (CSI) does the same in one
character, CR overwrites the line, BEL rings. Each of them other than newline and tab
is replaced by a visible stand-in, so the author still sees that something is there and
where: a C0 control or DEL by its Unicode control picture (ESC → ␛, BEL → ␇, DEL → ␡),
a C1 control (U+0080–U+009F, which has no picture) by U+FFFD.

The deck loader applies it to every text field, so every front end, export and the
database's copy of a name get clean text; the terminal layers apply it again to what
they print, for text that never went through the loader (file paths, names stored by
an older version).
"""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DEL_PICTURE = "\u2421"
_NO_PICTURE = "\ufffd"


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block follows C0's order
    return _DEL_PICTURE if code == 0x7F else _NO_PICTURE


def printable(text: str) -> str:
    """``text`` with every control character but newline and tab made visible; the same
    object when there is none (most text), so callers can tell nothing changed."""
    if _CONTROLS.search(text) is None:
        return text
    return _CONTROLS.sub(_stand_in, text)
