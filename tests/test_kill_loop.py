"""SIGKILL at random moments during review, export, sync, rebuild, merge and a sync
through a shared folder: nothing acknowledged is lost and doctor finds the file clean.
A few trials here; the same driver, ``bench/kill_loop.py``, is the stress run with a
large deck and many trials."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import REPO


def driver() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kill_loop", REPO / "bench" / "kill_loop.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["kill_loop"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_at_random_nothing_acknowledged_is_lost(isolated_home: Path, seed: int) -> None:
    kills = driver()
    kills.prepare(isolated_home, 60)
    outcomes = kills.trials(isolated_home, 12, seed)
    kinds = ["review", "export", "sync", "rebuild", "merge", "journal"]
    assert [o.kind for o in outcomes] == kinds * 2
    assert [p for o in outcomes for p in o.problems] == []
    reviews = [o for o in outcomes if o.kind == "review"]
    # the kills did land after answers were acknowledged, so the check had work to do
    assert all(o.acknowledged >= 1 for o in reviews)
    assert all(o.logged >= o.acknowledged for o in reviews)
