"""Raw bytes from a terminal in cbreak mode → the controller's commands.

Pure, so tests can feed it bytes; the terminal loop only reads and hands over.
"""

from __future__ import annotations

KEY_NAMES = {" ": "enter", "\r": "enter", "\n": "enter"}


def decode_keys(data: bytes) -> list[str]:
    """Raw bytes from the terminal → commands. Escape sequences (arrows, F-keys) vanish."""
    text = data.decode("utf-8", errors="ignore")
    commands: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\x1b":  # skip a whole CSI/SS3 sequence
            i += 1
            if i < len(text) and text[i] in "[O":
                i += 1
                while i < len(text) and not ("@" <= text[i] <= "~"):
                    i += 1
            i += 1
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
