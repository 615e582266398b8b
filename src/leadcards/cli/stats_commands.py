"""``stats``: where the learner stands: history, retention, forecast, weak spots."""

from __future__ import annotations

import threading
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
        if not as_json:
            # The view's modules load while SQLite sums the cards: the queries let go
            # of Python's lock, so the import takes no time of its own on a spare core.
            threading.Thread(target=import_module, args=(VIEW,), daemon=True).start()
        board = gather(ws.store, ws.deck_ids, ws.now_ms)
        names = [info.name for info in ws.infos]
    if as_json:
        print_json(to_json(board))
        return
    dashboard = import_module(VIEW).dashboard

    out = console()
    for section in dashboard(board, names, out.width):
        out.print(section)
