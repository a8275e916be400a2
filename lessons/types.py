"""The parsed, validated shape of a lesson file.

Everything here is immutable: a `Lesson` is built once per file version by `lessons.format`
and shared by every request until the file changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from checker import CheckSpec, Mistake

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Step:
    number: int
    label: str
    title: str
    instructions_html: str
    starter: str
    solution: str
    hints_html: tuple[str, ...]
    checks: tuple[CheckSpec, ...]
    mistakes: tuple[Mistake, ...]
    line: int = 0
    # File lines of the first line of code in the starter and solution blocks.
    starter_line: int = 0
    solution_line: int = 0


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    text_html: str
    correct: bool
    feedback_html: str = ""


@dataclass(frozen=True)
class Question:
    """A multiple-choice question. Rendered texts may hold option references, written
    `[[option-id]]` in the file and resolved to the letter shown by `lessons.options`."""

    id: str
    difficulty: Difficulty
    prompt_html: str
    options: tuple[Option, ...]
    solution_html: tuple[str, ...]
    hint_html: str
    quick_check_html: str
    common_mistakes_html: tuple[str, ...]
    practice: bool
    line: int = 0
    # What part of the lesson teaches it: a concept id or `step-N` (optional).
    teaches: str = ""

    @property
    def correct_option(self) -> Option:
        return next(option for option in self.options if option.correct)

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)


@dataclass(frozen=True)
class Concept:
    """One idea the lesson explains, written under `# Concepts` as `## title` + `Id:`."""

    id: str
    title: str
    html: str
    line: int = 0


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    subtitle: str
    framework: str
    minutes: int
    order: int
    scenario_html: str
    goal_html: str
    learn_html: tuple[str, ...]
    real_world_html: str
    career_html: str
    steps: tuple[Step, ...]
    questions: tuple[Question, ...]
    path: str = ""
    test_size: int = 10
    # Which version of the file this is (modification time and size): a cache key.
    version: str = ""
    # Demo lab modes the lesson's "See it run" shows (keys of the demo registry), in order.
    demo: tuple[str, ...] = ()
    # The catalogue groups lessons by track, and lists what to take first.
    track: str = ""
    prerequisites: tuple[str, ...] = ()
    # Shown to staff (and in the preview) only.
    draft: bool = False
    concepts: tuple[Concept, ...] = ()
    # Front matter key -> file line, for problems found after parsing (unknown demo keys).
    meta_lines: tuple[tuple[str, int], ...] = ()

    def meta_line(self, key: str) -> int:
        return dict(self.meta_lines).get(key, 1)

    @property
    def practice_questions(self) -> tuple[Question, ...]:
        return tuple(question for question in self.questions if question.practice)

    def step(self, number: int) -> Step | None:
        return next((step for step in self.steps if step.number == number), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Problem:
    """Something wrong in a lesson file, reported as `path:line: message`."""

    path: str
    line: int
    message: str
    # A warning is worth fixing but does not stop the lesson from being served.
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass
class LoadResult:
    lesson: Lesson | None
    problems: list[Problem] = field(default_factory=list)
    # The lesson as far as it could be read, even with errors: the validator still runs its
    # exercises, and `check_code` can try checks on a lesson that is not valid yet.
    partial: Lesson | None = None

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]
