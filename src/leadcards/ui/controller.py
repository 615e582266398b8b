"""What each key or line does during a review, with no terminal in sight.

Both front ends (single keys, and line mode for scripts and screen readers) turn their
input into the same commands and hand them here; the screen is then drawn from this
object's state. Answers are committed by the session before the next card is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from leadcards.deck.model import Card
from leadcards.errors import LeadcardsError
from leadcards.scheduling import RATINGS, State, format_interval
from leadcards.session import Session

CONTROL_KEYS = set("ubseq?-") | {"1", "2", "3", "4"}
OPTION_LETTERS = "abcd"

HELP_LINES = (
    ("space / enter", "show the answer; once shown, accept the suggested rating (else Good)"),
    ("1 2 3 4", "rate: Again, Hard, Good, Easy (once the answer shows)"),
    ("a b c d", "pick an option of a multiple-choice card"),
    ("a side's letter", "answer an identify card: the letter shown beside each side"),
    ("u", "undo the last answer, bury or suspension"),
    ("b or -", "bury: hide this card until tomorrow (- while choosing a–d)"),
    ("s", "suspend: hide this card until unsuspended"),
    ("e", "edit this card's deck file in $EDITOR"),
    ("?", "this help"),
    ("q", "quit (everything answered is already saved)"),
)
REVIEW_ONLY_KEYS = {"b or -", "s"}  # a cram session changes no card


def help_lines(practice: bool) -> tuple[tuple[str, str], ...]:
    """The keys of a review, or of a cram session (no bury, no suspend)."""
    if not practice:
        return HELP_LINES
    return tuple(line for line in HELP_LINES if line[0] not in REVIEW_ONLY_KEYS)


@dataclass(frozen=True)
class Choice:
    """What the learner picked before revealing, and whether it was right."""

    label: str
    correct: bool


def side_keys(card: Card) -> dict[str, int]:
    """A key for every side of an identify card, none of them a command key: the first
    free letter of the side's word initials, then of its other letters, then any free
    letter. ``[PDSA, Lean, Six Sigma]`` gives p, l, i (s suspends)."""
    keys: dict[str, int] = {}
    for index, side in enumerate(card.sides):
        words = side.lower().split()
        initials = [word[0] for word in words if word]
        candidates = [*initials, *"".join(words), *"abcdefghijklmnopqrstuvwxyz"]
        for letter in candidates:
            free = letter not in keys and letter not in CONTROL_KEYS
            if free and letter.isascii() and letter.isalpha():
                keys[letter] = index
                break
    return keys


class Controller:
    """Holds the review's transient state: the card, what was picked, the message line."""

    def __init__(
        self,
        session: Session,
        deck_names: dict[str, str],
        *,
        edit: Callable[[Card], str] | None = None,
    ) -> None:
        self.session = session
        self.deck_names = deck_names
        self.edit_hook = edit
        self.card: Card | None = None
        self.choice: Choice | None = None
        self.suggestion: int | None = None
        self.message = ""
        self.show_help = False
        self.finished = False
        self.intervals: dict[int, int] = {}
        self.total_planned = 0

    # lifecycle ----------------------------------------------------------

    def start(self) -> None:
        new, learning, due = self.session.remaining()
        self.total_planned = new + learning + due
        self._advance()

    def _advance(self) -> None:
        self.choice = None
        self.suggestion = None
        self.card = self.session.next_card()
        if self.card is None:
            self.finished = True
            return
        self.intervals = self.session.preview()

    @property
    def revealed(self) -> bool:
        return self.session.revealed

    # input --------------------------------------------------------------

    def handle(self, command: str) -> None:
        """Apply one command: 'enter', '1'…'4', 'a'…'d', a side letter, u b s e ? q."""
        if self.finished:
            return
        self.message = ""
        if command == "?":
            self.show_help = not self.show_help
            return
        self.show_help = False
        if command == "q":
            self.finished = True
        elif command == "u":
            self._undo()
        elif self.card is not None:
            self._on_card(self.card, command)

    def _on_card(self, card: Card, command: str) -> None:
        """A command about the card on screen."""
        if not self.revealed and self._answers_before_reveal(card, command):
            return
        if command == "enter":
            if not self.revealed:
                self.session.reveal()
            else:
                self._rate(self.suggestion or 3)
        elif command in {"1", "2", "3", "4"}:
            self._rate(int(command))
        elif command in ("b", "-", "s") and self.session.practising:
            self.message = "Cramming changes no card: bury or suspend it in a review."
        elif command in ("b", "-"):
            self.session.bury()
            self.message = "Buried until tomorrow."
            self._advance()
        elif command == "s":
            self.session.suspend()
            self.message = f"Suspended (`leadcards unsuspend {card.key}` brings it back)."
            self._advance()
        elif command == "e":
            self._edit(card)
        elif command:
            self.message = f"'{command}' does nothing here; press ? for help."

    def _answers_before_reveal(self, card: Card, command: str) -> bool:
        """Pick an option (a–d) or a side (its letter); False if ``command`` is neither.

        Options come first: before the answer shows, a–d pick an option even where b
        means bury. Side letters never shadow a control key (see ``side_keys``).
        """
        if card.options and command in OPTION_LETTERS[: len(card.options)]:
            index = OPTION_LETTERS.index(command)
            self._pick(card.options[index], index == card.answer_index)
            return True
        sides = side_keys(card)
        if command in sides:
            self._pick(card.sides[sides[command]], sides[command] == card.answer_side)
            return True
        return False

    def _pick(self, label: str, correct: bool) -> None:
        self.choice = Choice(label, correct)
        self.suggestion = 3 if correct else 1
        self.session.reveal(picked=label)

    def _rate(self, rating: int) -> None:
        if not self.revealed:
            # As Anki: a rating counts only for an answer the learner has seen.
            self.message = "Show the answer first (space), then rate 1–4."
            return
        result = self.session.answer(rating)
        label = RATINGS[rating]
        if self.session.practising:
            again = " It comes back in a few cards." if rating == 1 else ""
            self.message = f"{label} (practice: no schedule changed).{again}"
            self._advance()
            return
        due_in = (result.after.due or 0) - (result.after.last_review or 0)
        self.message = f"{label}: next in {format_interval(due_in)}."
        if result.became_leech:
            self.message += " This card is now a leech and was suspended."
        self._advance()

    def _undo(self) -> None:
        try:
            card = self.session.undo()
        except LeadcardsError as exc:
            self.message = str(exc)
            return
        if card is None:
            self.message = "Nothing to undo in this session."
            return
        self.card = card
        self.choice = None
        self.suggestion = None
        self.finished = False
        self.intervals = self.session.preview()
        self.message = "Undone."

    def _edit(self, card: Card) -> None:
        if self.edit_hook is None:
            self.message = "Editing is not available here."
            return
        self.message = self.edit_hook(card)
        if self.card is not None:
            self.card = self.session.card(self.card.key) or self.card
            self.intervals = self.session.preview()

    # view helpers -------------------------------------------------------

    def ratings_line(self) -> list[tuple[int, str, str]]:
        """(rating, name, interval) for the four buttons; no interval in practice."""
        if self.session.practising:
            return [(r, RATINGS[r], "") for r in RATINGS]
        return [(r, RATINGS[r], format_interval(self.intervals.get(r, 0))) for r in RATINGS]

    def counts(self) -> tuple[int, int, int]:
        """(new, learning, due) still to do, the card on screen included, as Anki counts;
        in practice (0, 0, cards still to practise)."""
        new, learning, due = self.session.remaining()
        if self.session.practising:
            return new, learning, due + (self.card is not None)
        if self.card is not None:
            state = self.session.memory().state
            if state == State.NEW:
                new += 1
            elif state == State.REVIEW:
                due += 1
            # a learning card on screen is already in the learning count
        return new, learning, due

    def progress(self, counts: tuple[int, int, int] | None = None) -> tuple[int, int]:
        """(answered, answered + still to do); pass ``counts`` when already computed."""
        done = self.session.summary.answered
        return done, done + sum(counts if counts is not None else self.counts())
