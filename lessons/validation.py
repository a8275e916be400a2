"""Validating lesson files: the format problems the parser finds, and proof that each step's
exercises work (patterns usable, the solution passing, every known mistake caught)."""

from __future__ import annotations

from pathlib import Path

from checker.verify import check_spec_problems, mistake_problem, solution_problem
from lessons.checking import step_checks
from lessons.files import display_path
from lessons.format import lesson_file_load
from lessons.types import Lesson, LoadResult, Problem


def lesson_exercises_verify(lesson: Lesson) -> list[Problem]:
    problems: list[Problem] = []
    for step in lesson.steps:
        checks = step_checks(lesson=lesson, step_number=step.number)
        problems.extend(
            Problem(lesson.path, check.line, problem)
            for check in step.checks
            for problem in check_spec_problems(check)
        )
        if (problem := solution_problem(checks=checks, solution=step.solution)) is not None:
            problems.append(
                Problem(lesson.path, step.line, f"step {step.number}'s solution {problem}")
            )
        for mistake in step.mistakes:
            if (problem := mistake_problem(checks=checks, mistake=mistake)) is not None:
                where = f"mistake {mistake.title!r} of step {step.number}"
                separator = " " if problem.startswith("passes") else ": "
                problems.append(Problem(lesson.path, mistake.line, f"{where}{separator}{problem}"))
    return problems


def lesson_full_load(path: Path) -> LoadResult:
    """Parse a file and run its steps' solutions and known mistakes through the checker."""
    result = lesson_file_load(path=path, display_path=display_path(path))
    if result.lesson is not None:
        result.problems.extend(lesson_exercises_verify(result.lesson))
        if result.problems:
            result.lesson = None
    return result


def lesson_files_validate(paths: list[Path]) -> list[Problem]:
    """Validate files afresh, bypassing the cache (for the command and the system check)."""
    problems: list[Problem] = []
    # A lesson's slug must match its file name, so two files claim one slug exactly when
    # they share a name (possible only across directories).
    claimed: dict[str, str] = {}
    for path in paths:
        shown = display_path(path)
        problems.extend(lesson_full_load(path).problems)
        if path.stem in claimed:
            problems.append(
                Problem(shown, 1, f"slug `{path.stem}` is used by {claimed[path.stem]} too")
            )
        claimed.setdefault(path.stem, shown)
    return problems
