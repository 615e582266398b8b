"""Content warnings of `leadcards check`: each on a small deck made to trip it, located
and one line each; `--strict` turns them into errors."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from leadcards.cli import app
from leadcards.deck.lint import gives_away, lint, words
from leadcards.deck.load import load_deck

from .conftest import FIXTURES

LINT = FIXTURES / "lint"

EXPECTED = {
    "answer-in-prompt.yaml": [
        "10:1: warning: lint-answer:traits:vision-setting:what-it-means:identify: "
        "the cell shows its own answer 'Vision-Setting'",
        "13:1: warning: lint-answer:heart:front: the prompt contains its own answer 'The heart'",
        "16:1: warning: lint-answer:backbone:choice: the prompt contains its own answer 'Backbone'",
        "16:1: warning: lint-answer:backbone:choice: "
        "the answer is the only option that shares a word with the question (backbone)",
    ],
    "same-prompt.yaml": [
        "7:1: warning: lint-same:goal-narrative:front: "
        "asks the same as 'lint-same:goal-table:front' (line 4) but wants a different answer",
    ],
    "cloze-shows-answer.yaml": [
        "4:1: warning: lint-cloze:right-things:c1: "
        "cloze c1 shows its answer 'doing things right' in its text",
        "4:1: warning: lint-cloze:right-things:c2: "
        "cloze c2 shows its answer 'doing the right things' in its text",
    ],
    "choice-repeats.yaml": [
        "4:1: warning: lint-repeat:organ:choice: an option appears twice: 'heart'",
    ],
    "choice-echo.yaml": [
        "4:1: warning: lint-echo:risk:choice: "
        "the answer is the only option that shares a word with the question (risk)",
    ],
    "clean.yaml": [],
}

runner = CliRunner()


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in LINT.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_warning_is_located(name: str) -> None:
    path = LINT / name
    assert [str(p) for p in lint(load_deck(path))] == [f"{path}:{e}" for e in EXPECTED[name]]


def test_words_fold_case_emphasis_plurals_and_skip_small_words() -> None:
    assert words("The **Leaders** focus on falls, or on the process") == {
        "leader",
        "focus",
        "fall",
        "process",
    }


@pytest.mark.parametrize(
    ("prompt", "answer", "given"),
    [
        ("Which is the backbone: management or leadership?", "Management", False),
        ("Which is the backbone: leadership or **management**?", "**Management**", False),
        ("Management is the backbone: which part is management?", "Management", True),
        ("Leaders focus on the right things", "the right things", True),
        ("Leaders focus on the right things", "things done right, fast", False),
        ("Anything at all", "the", False),  # no content word: nothing to give away
    ],
)
def test_gives_away(prompt: str, answer: str, given: bool) -> None:
    assert gives_away(prompt, answer) is given


def test_check_warns_on_stderr_and_still_passes() -> None:
    path = LINT / "choice-echo.yaml"
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0
    assert result.stderr == f"{path}:{EXPECTED['choice-echo.yaml'][0]}\n"
    assert result.stdout == f"{path}: ok — deck 'lint-echo', 2 notes, 2 cards (1 warning)\n"


def test_check_strict_makes_warnings_errors() -> None:
    paths = [LINT / "cloze-shows-answer.yaml", LINT / "clean.yaml"]
    result = runner.invoke(app, ["check", "--strict", *map(str, paths)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{paths[0]}:{e}" for e in EXPECTED["cloze-shows-answer.yaml"]
    ]


def test_check_strict_passes_a_clean_deck() -> None:
    path = LINT / "clean.yaml"
    result = runner.invoke(app, ["check", "--strict", str(path)])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"{path}: ok — deck 'lint-clean', 8 notes, 20 cards\n"
