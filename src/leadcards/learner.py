"""What `optimize` and `simulate` read of the learner from a workspace: the settings in
scope (one deck's, or the global ones for every deck), each answer on its study day,
and the limits and cards the simulator takes."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from leadcards.simulation import Limits

if TYPE_CHECKING:
    from leadcards.settings import Settings
    from leadcards.workspace import Workspace

HistoryRow = tuple[str, bool, int, int, int, int]
"""(card, is a forget, study day, rating, ms taken, state before): ``study_history``'s."""


class Scope(NamedTuple):
    """The decks a command is about and the settings that speak for them: a deck's own
    (its overrides on the global ones), or the global ones when no deck is named."""

    deck: str | None
    settings: Settings

    @property
    def setting_scope(self) -> str:
        """Where `--apply` stores parameters: the deck's overrides, or the global ones."""
        return self.deck or ""


def scope_of(ws: Workspace) -> Scope:
    deck = ws.deck_ids[0] if len(ws.infos) == 1 else None
    return Scope(deck, ws.store.settings(deck))


class Study(NamedTuple):
    rows: list[HistoryRow]
    today: int  # the number of today's study day, as the rows' days are numbered


def study(ws: Workspace, scope: Scope) -> Study:
    """Every live answer and forget of the workspace's decks, per card in log order,
    each on its study day (rolling over at the scope's ``day_start``)."""
    from leadcards.stats.study_days import calendar

    days = calendar(ws.now_ms, scope.settings.day_start, ws.store.logged_span(), back=0, ahead=0)
    rows = list(ws.store.study_history(ws.deck_ids, days.spans(), days.starts[-1]))
    return Study(rows, days.today)


def limits(ws: Workspace, scope: Scope) -> Limits:
    """The decks' cards to study (suspended ones set aside) and their daily limits,
    summed over the decks, each under its own settings."""
    cards = new = reviews = 0
    for deck_id in ws.deck_ids:
        deck = ws.store.settings(deck_id)
        new += deck.new_per_day
        reviews += deck.reviews_per_day
        cards += sum(1 for row in ws.store.deck_cards(deck_id) if not row.suspended)
    s = scope.settings
    return Limits(
        cards,
        new,
        reviews,
        s.maximum_interval,
        len(s.learning_steps),
        len(s.relearning_steps),
    )
