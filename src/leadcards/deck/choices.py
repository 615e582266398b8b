"""Multiple-choice options: the answer among distractors, in a shuffled but fixed order.

Choice cards and table choice cards both draw here. The generator is seeded by the
card key, so a card shows the same options in the same order on every machine and in
every release: the order is part of what a learner's history refers to.
"""

from __future__ import annotations

import hashlib
import random

from leadcards.deck.text import fold

CHOICE_OPTIONS = 4


def seeded_random(key: str) -> random.Random:
    """A generator that depends only on ``key``: same card, same options, anywhere."""
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def choose_options(key: str, answer: str, groups: list[list[str]]) -> tuple[tuple[str, ...], int]:
    """Up to three distractors plus the answer, and the answer's index among them.

    ``groups`` are ordered by preference (same column first) and shuffled within
    themselves; candidates equal to the answer, or to each other, after folding case
    and spaces, are skipped.
    """
    rng = seeded_random(key)
    seen = {fold(answer)}
    distractors: list[str] = []
    for group in groups:
        for text in _draw(rng, group, CHOICE_OPTIONS - 1 - len(distractors)):
            if len(distractors) < CHOICE_OPTIONS - 1 and fold(text) not in seen:
                seen.add(fold(text))
                distractors.append(text)
    options = [answer, *distractors]
    rng.shuffle(options)
    return tuple(options), options.index(answer)


def _draw(rng: random.Random, group: list[str], wanted: int) -> list[str]:
    """Candidates from ``group`` in a seeded order, without shuffling a large group whole.

    A few more than wanted are drawn, since some may equal the answer or each other;
    only when those are not enough is the whole group shuffled.
    """
    if wanted <= 0 or not group:
        return []
    sample = rng.sample(group, min(len(group), wanted + 4))
    if len(sample) == len(group) or len({fold(t) for t in sample}) > wanted:
        return sample
    rest = list(group)
    rng.shuffle(rest)
    return sample + rest
