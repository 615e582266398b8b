"""The terminal side of leadcards; nothing here runs SQL or parses YAML.

- ``review``: the entry points (``run_terminal``, ``run_lines``) and what both front
  ends share: "nothing due", the summary, the exit code.
- ``terminal``: the single-key loop (draw, read keys, redraw on resize), on any
  ``console_io.KeyReader``.
- ``console_io``: what the loop needs from a terminal, and the platform's reader:
  ``posix_console`` (termios, SIGWINCH) or ``windows_console`` (msvcrt, size polled).
- ``lines``: line mode, plain text for scripts and screen readers.
- ``keys``: what a terminal sends → commands.
- ``editor``: the `e` key.
- ``controller``: what each command does, with no terminal in sight.
- ``screen``: the review screen and summary as Rich renderables.
- ``render``: deck content (``show``) as Rich renderables, never as markup or HTML.
- ``safe_console``: the Rich console every command prints through; it shows control
  characters instead of sending them (``leadcards.printable``).
"""
