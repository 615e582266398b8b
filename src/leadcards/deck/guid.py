"""A note's Anki GUID: the one a deck gives it (``guid:``), or one derived from its key.

Anki knows a note by its GUID: a package whose note has a GUID the collection already
holds updates that note. A note leadcards made itself gets a GUID from its deck id
and note id, never its text. A note brought in from Anki keeps the GUID it had there,
written in its deck as ``guid:``, so exporting it back updates the same Anki note.
"""

from __future__ import annotations

import hashlib
import unicodedata

MAX_LENGTH = 64  # Anki's own GUIDs are 10 characters; other tools' UUIDs are 36
_BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
# What ``printable`` makes of control characters (C0 and DEL, then C1): a GUID that
# had one is refused, naming the character it had.
_PICTURES = {chr(0x2400 + code): code for code in range(0x20)} | {"\u2421": 0x7F}
_NO_PICTURE = "\ufffd"


def note_guid(deck_id: str, note_id: str) -> str:
    """Stable across edits of the text, distinct across decks and notes."""
    digest = hashlib.sha256(f"leadcards\x00{deck_id}\x00{note_id}".encode()).digest()
    # Base 62 keeps the GUID free of characters that need quoting anywhere
    # (and of a leading '#', which Anki's text import reads as a comment).
    number = int.from_bytes(digest[:12], "big")
    chars = []
    while number:
        number, rest = divmod(number, 62)
        chars.append(_BASE62[rest])
    return "lc" + "".join(reversed(chars))


def guid_problem(guid: str) -> str | None:
    """Why ``guid`` (as the loader read it) cannot be a note's GUID, or None.

    A GUID is one token in Anki's text format and in a tab-separated file: no
    whitespace, no control or invisible format character; and short, as an id is.
    """
    if not guid:
        return "guid must not be empty"
    if len(guid) > MAX_LENGTH:
        return f"guid is {len(guid)} characters long; at most {MAX_LENGTH} are allowed"
    for char in guid:
        if char in _PICTURES or char == _NO_PICTURE:
            code = _PICTURES.get(char)
            what = "a control character" if code is None else f"the control character U+{code:04X}"
            return f"guid must not contain control characters: it has {what}"
        if char.isspace() or unicodedata.category(char)[0] in "CZ":
            shown = f"U+{ord(char):04X}"
            return f"guid must not contain whitespace or invisible characters: it has {shown}"
    return None
