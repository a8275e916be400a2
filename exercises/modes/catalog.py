"""The ten learning modes and the test: what each is, how long it takes, whether a lesson
can feed it. Pure functions of the lesson file; the learner's state is in `selectors`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from exercises.modes.blanks import blanks_all
from exercises.modes.fix import bug_unavailable_reason, bugs_list
from exercises.modes.parsons import parsons_unavailable_reason
from exercises.modes.review import flashcards_list, review_unavailable_reason
from exercises.modes.scratch import scratch_unavailable_reason
from lessons.types import Lesson


@dataclass(frozen=True)
class Mode:
    key: str
    title: str
    description: str
    minutes: Callable[[Lesson], int]
    unavailable: Callable[[Lesson], str]
    # Modes this site records itself (ModeProgress); the others report their own progress.
    tracked: bool = True
    # Whether `manage.py check` tells the instructor when a lesson cannot feed this mode.
    # Not for one a lesson may go without by choice (a lesson with no live demo says so).
    checked: bool = True


def _no_demo(lesson: Lesson) -> str:
    return "" if lesson.demo else "This lesson has no live demo."


def _no_steps(lesson: Lesson) -> str:
    return "" if lesson.steps else "This lesson has no steps yet."


def _no_blanks(lesson: Lesson) -> str:
    if blanks_all(lesson) is None:
        return "The lesson's solution has no key tokens (async, await, its names) to blank."
    return ""


def _no_practice(lesson: Lesson) -> str:
    return "" if lesson.practice_questions else "This lesson has no practice questions."


def _no_questions(lesson: Lesson) -> str:
    return "" if lesson.questions else "This lesson has no questions yet."


def _available(lesson: Lesson) -> str:
    return ""


MODES: tuple[Mode, ...] = (
    Mode(
        "concepts",
        "Concepts",
        "Read the ideas behind the lesson, then check yourself with a few questions.",
        lambda lesson: 5,
        _available,
    ),
    Mode(
        "worked-example",
        "Worked example",
        "Watch the solution built up step by step, then fill in a faded copy.",
        lambda lesson: 2 + len(lesson.steps),
        _no_steps,
    ),
    Mode(
        "build",
        "Guided build",
        "Write the view yourself in steps, with feedback on every check.",
        lambda lesson: lesson.minutes,
        _no_steps,
        tracked=False,
    ),
    Mode(
        "parsons",
        "Put the lines in order",
        "Arrange the solution's lines and indentation; some lines are traps.",
        lambda lesson: 3,
        parsons_unavailable_reason,
    ),
    Mode(
        "fill-in",
        "Fill in the blanks",
        "The solution with its key words missing: type them in.",
        lambda lesson: 3,
        _no_blanks,
    ),
    Mode(
        "fix-the-bug",
        "Fix the bug",
        "Repair broken programs made from the mistakes learners really make.",
        lambda lesson: max(2, len(bugs_list(lesson))),
        bug_unavailable_reason,
    ),
    Mode(
        "from-scratch",
        "From scratch",
        "An empty editor, every check at once, and a timer.",
        lambda lesson: max(3, lesson.minutes // 2),
        scratch_unavailable_reason,
    ),
    Mode(
        "predict",
        "Predict, then measure",
        "Guess how long parallel requests take, then run them live in the demo lab.",
        lambda lesson: 5,
        _no_demo,
        checked=False,
    ),
    Mode(
        "practice",
        "Practice questions",
        "Questions with instant feedback and the reasoning behind each answer, no test required.",
        lambda lesson: max(1, len(lesson.practice_questions)),
        _no_practice,
        tracked=False,
    ),
    Mode(
        "review",
        "Spaced review",
        "Flashcards that come back just before you would forget them.",
        lambda lesson: max(1, len(flashcards_list(lesson)) // 3),
        review_unavailable_reason,
    ),
    Mode(
        "test",
        "Test this pattern",
        "{test_size} questions across easy, medium and hard, graded when you submit.",
        lambda lesson: lesson.test_size,
        _no_questions,
        tracked=False,
    ),
)
MODE_KEYS = tuple(mode.key for mode in MODES)


def mode_get(key: str) -> Mode | None:
    return next((mode for mode in MODES if mode.key == key), None)
