"""The one Rich console leadcards prints through: no control character it did not write.

Rich keeps ESC and C1 controls in ``Text`` (it drops only BEL, BS, VT, FF and CR), so a
string holding ``ESC ] 0 ; … BEL`` would set the window title, and OSC 52 would write
the clipboard. Deck text is made printable when it is loaded; this console applies the
same rule (``leadcards.printable``) to the text of every segment it renders, for what
never went through the loader: file paths, names a database kept from an older version.
Rich's own control segments (cursor moves, the alternate screen) and its styles are
left alone, and they are not text.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from leadcards.printable import printable


class SafeConsole(Console):
    """A Rich ``Console`` whose text segments are printable (see the module's docstring)."""

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        # Rich renders nested renderables through this same method, so inner segments
        # are checked again on the way out: a regex search on clean text, which is all
        # the text that went through the loader.
        for segment in super().render(renderable, options):
            if segment.control is None:
                text = printable(segment.text)
                if text is not segment.text:
                    segment = Segment(text, segment.style)
            yield segment
