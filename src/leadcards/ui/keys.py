"""Keys as a terminal sends them → the controller's commands.

Pure, so tests can feed it text; each platform's key reader (``console_io``) only reads
and hands over: bytes from a POSIX terminal in cbreak mode, characters from Windows'
console.
"""

from __future__ import annotations

KEY_NAMES = {" ": "enter", "\r": "enter", "\n": "enter"}
ESC = "\x1b"


def decode_keys(data: bytes) -> list[str]:
    """Raw bytes from the terminal → commands. Escape sequences (arrows, F-keys) vanish."""
    return decode_text(data.decode("utf-8", errors="ignore"))


def decode_text(text: str) -> list[str]:
    """Typed characters → commands; Ctrl-C raises ``KeyboardInterrupt``, Ctrl-D quits."""
    commands: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == ESC:  # skip a whole CSI/SS3 sequence
            i = _sequence_end(text, i)
            continue
        if ch in KEY_NAMES:
            commands.append(KEY_NAMES[ch])
        elif ch == "\x03":
            raise KeyboardInterrupt
        elif ch == "\x04":
            commands.append("q")
        elif ch.isprintable():
            commands.append(ch.lower())
        i += 1
    return commands


def _sequence_end(text: str, start: int) -> int:
    """Where the escape sequence at ``start`` ends: ESC [ … final, ESC O x, or ESC x
    (Alt and a key); past the end of ``text`` when it is cut short."""
    i = start + 1
    if i < len(text) and text[i] in "[O":
        i += 1
        while i < len(text) and not ("@" <= text[i] <= "~"):
            i += 1
    return i + 1


def cut_short(data: bytes) -> bool:
    """Whether ``data`` ends inside an escape sequence, so the rest is still on its way.

    A read can return ``ESC [`` without the ``A`` of an arrow; decoding that alone
    would drop the ``ESC [`` and take the ``A`` of the next read for a letter.
    """
    text = data.decode("utf-8", errors="ignore")
    start = text.rfind(ESC)
    return start >= 0 and _sequence_end(text, start) > len(text)
