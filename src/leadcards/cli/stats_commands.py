"""``stats``: where the learner stands: history, retention, forecast, weak spots."""

from __future__ import annotations

from importlib import import_module

from leadcards.cli.application import app
from leadcards.cli.support import (
    DecksArgument,
    HomeOption,
    JsonOption,
    console,
    handles_errors,
    open_workspace,
    print_json,
)

VIEW = "leadcards.ui.stats_view"


@app.command()
@handles_errors
def stats(
    decks: DecksArgument = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reviews and time, streaks, true retention, heatmap, forecast, memory, weak spots."""
    from leadcards.stats import gather, to_json

    with open_workspace(home, decks=list(decks or [])) as ws:
        # The view's modules load on the second core once its reads are done, while
        # this thread's last query runs (SQLite lets go of Python's lock meanwhile).
        board = gather(
            ws.store,
            ws.deck_ids,
            ws.now_ms,
            meanwhile=None if as_json else lambda: import_module(VIEW),
        )
        names = [info.name for info in ws.infos]
    if as_json:
        print_json(to_json(board))
        return
    dashboard = import_module(VIEW).dashboard

    out = console()
    for section in dashboard(board, names, out.width):
        out.print(section)
