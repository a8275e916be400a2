"""Validating lesson files: the format problems the parser finds, and proof that each step's
exercises work (patterns usable, the solution passing, every known mistake caught, every
Forbid firing on some known mistake).

One run shows every problem: a file with format errors still has its exercises checked, as
far as they could be read, and a checker-level problem that may follow from a format error in
the same step says so.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from checker.nearmiss import SCOPE_WORDS, scope_parts
from checker.verify import (
    check_spec_problem_lines,
    failure_summary,
    first_failure,
    forbid_fires,
    mistake_problem,
    solution_verdict,
)
from lessons.checking import step_checks
from lessons.demos import demo_modes_known
from lessons.files import display_path
from lessons.format import lesson_file_load
from lessons.types import Lesson, LoadResult, Problem, Step

CODE_LINE = re.compile(r"\bLine (\d+)\b")


def with_file_lines(message: str, first_line: int) -> str:
    """The checker's "Line 7" counts lines of the snippet; add the file line it is on."""
    if not first_line:
        return message
    return CODE_LINE.sub(
        lambda match: f"{match.group(0)} (file line {first_line + int(match.group(1)) - 1})",
        message,
    )


def lesson_exercises_verify(lesson: Lesson) -> list[Problem]:
    problems: list[Problem] = []
    failed_solutions: dict[int, int] = {}  # step number -> line of its failing solution
    for step in lesson.steps:
        checks = step_checks(lesson=lesson, step_number=step.number)
        problems.extend(
            Problem(lesson.path, line, text)
            for check in step.checks
            for line, text in check_spec_problem_lines(check)
        )
        problems.extend(scope_problems(lesson, step))
        problems.extend(solution_problems(lesson, step, failed_solutions))
        for mistake in step.mistakes:
            if (problem := mistake_problem(checks=checks, mistake=mistake)) is not None:
                where = f"mistake {mistake.title!r} of step {step.number}"
                separator = " " if problem.startswith("passes") else ": "
                text = with_file_lines(f"{where}{separator}{problem}", mistake.code_line)
                problems.append(Problem(lesson.path, mistake.line, text))
        later_mistakes = [
            mistake
            for later in lesson.steps
            if later.number >= step.number
            for mistake in later.mistakes
        ]
        for check in step.checks:
            if check.kind == "forbid" and not forbid_fires(check=check, mistakes=later_mistakes):
                problems.append(
                    Problem(
                        lesson.path,
                        check.line,
                        f"Forbid {check.label!r} never fires on any known mistake: add a "
                        "`## Mistake:` it catches, so that the check is proven to work",
                    )
                )
    return problems


def scope_problems(lesson: Lesson, step: Step) -> list[Problem]:
    """`Inside: slow_veiw` when the solution defines `slow_view`: name the typo where it is."""
    try:
        tree = ast.parse(step.solution)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    defined = sorted(
        {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
    )
    problems = []
    for check in step.checks:
        for part in scope_parts(check.inside):
            if part in SCOPE_WORDS or not part.isidentifier() or part in defined:
                continue
            listed = ", ".join(f"`{name}`" for name in defined) or "no function"
            problems.append(
                Problem(
                    lesson.path,
                    check.inside_line or check.line,
                    f"`Inside: {part}` names no function of step {step.number}'s solution "
                    f"(it defines {listed})",
                )
            )
    return problems


def solution_problems(
    lesson: Lesson, step: Step, failed_solutions: dict[int, int]
) -> list[Problem]:
    if not step.solution.strip():
        return []  # no solution: the format problem says so
    checks = step_checks(lesson=lesson, step_number=step.number)
    verdict = solution_verdict(checks=checks, solution=step.solution)
    if verdict.passed:
        return []
    failing = first_failure(verdict)
    # Where the checker points in the solution, else the solution's code block.
    line = step.solution_line - 1 if step.solution_line else step.line
    if failing is not None and failing.line is not None and step.solution_line:
        line = step.solution_line + failing.line - 1
    failed_solutions[step.number] = line
    summary = with_file_lines(failure_summary(verdict), step.solution_line)
    message = f"step {step.number}'s solution does not pass its checks: {summary}"
    own = {check.label for check in step.checks}
    failing_labels = {item.label for item in verdict.failures if item.kind == "check"}
    earlier = [number for number in failed_solutions if number < step.number]
    if failing_labels and not failing_labels & own and earlier:
        message += (
            f" (this follows from step {earlier[0]}'s solution failing, on line "
            f"{failed_solutions[earlier[0]]}: each step's checks apply to later steps too)"
        )
    return [Problem(lesson.path, line, message)]


def demo_problems(lesson: Lesson) -> list[Problem]:
    known = demo_modes_known()
    if known is None:
        return []
    return [
        Problem(
            lesson.path,
            lesson.meta_line("demo"),
            f"`demo:` names `{key}`, which is no demo mode; known: {', '.join(sorted(known))}",
        )
        for key in lesson.demo
        if key not in known
    ]


# Format problems that change what a step's checks are: a check that could not be read, or
# one that lost a field to a typo.
CHECK_PROBLEMS = (
    "`## Expect:",
    "`## Forbid:",
    "check “",
    "the fields allowed here are `Inside:`",
    "`Inside: ",
)


def caused_by_note(problems: list[Problem], format_errors: list[Problem], lesson: Lesson) -> None:
    """A solution that fails, or a known mistake that passes, in a step where a check could
    not be read as written may do so because of it: say so."""
    bounds = [step.line for step in lesson.steps]
    ends = [*bounds[1:], 10**9]
    causes = [error for error in format_errors if any(m in error.message for m in CHECK_PROBLEMS)]
    for number, problem in enumerate(problems):
        if "passes the checks" not in problem.message and "does not pass" not in problem.message:
            continue
        for start, end in zip(bounds, ends, strict=True):
            if not start <= problem.line < end:
                continue
            cause = next((error for error in causes if start <= error.line < end), None)
            if cause is not None:
                problems[number] = Problem(
                    problem.path,
                    problem.line,
                    f"{problem.message} (perhaps because of the problem on line {cause.line})",
                    problem.severity,
                )
            break


def lesson_full_load(path: Path) -> LoadResult:
    """Parse a file and run its steps' solutions and known mistakes through the checker,
    even when the format has problems (as far as the lesson could be read)."""
    result = lesson_file_load(path=path, display_path=display_path(path))
    lesson = result.lesson or result.partial
    if lesson is not None:
        exercises = lesson_exercises_verify(lesson) + demo_problems(lesson)
        scopes = [problem for problem in exercises if problem.message.startswith("`Inside: ")]
        caused_by_note(exercises, [*result.errors, *scopes], lesson)
        result.problems = sorted([*result.problems, *exercises], key=lambda p: p.line)
        if result.errors:
            result.lesson = None
    return result


def lesson_files_validate(paths: list[Path]) -> list[Problem]:
    """Validate files afresh, bypassing the cache (for the command and the system check)."""
    problems: list[Problem] = []
    # A lesson's slug must match its file name, so two files claim one slug exactly when
    # they share a name (possible only across directories).
    claimed: dict[str, str] = {}
    lessons: list[Lesson] = []
    for path in paths:
        shown = display_path(path)
        result = lesson_full_load(path)
        problems.extend(result.problems)
        lesson = result.lesson or result.partial
        if lesson is not None:
            lessons.append(lesson)
        if path.stem in claimed:
            problems.append(
                Problem(shown, 1, f"slug `{path.stem}` is used by {claimed[path.stem]} too")
            )
        claimed.setdefault(path.stem, shown)
    problems.extend(course_problems(lessons))
    # File by file, in line order: an instructor reads them top to bottom.
    files = {path: number for number, path in enumerate(dict.fromkeys(p.path for p in problems))}
    return sorted(problems, key=lambda problem: (files[problem.path], problem.line))


def course_problems(lessons: list[Lesson]) -> list[Problem]:
    """What only shows across lessons: prerequisites that name no lesson, shared orders."""
    problems: list[Problem] = []
    slugs = {lesson.slug for lesson in lessons}
    orders: dict[tuple[str, int], Lesson] = {}
    for lesson in lessons:
        for slug in lesson.prerequisites:
            if slug not in slugs:
                problems.append(
                    Problem(
                        lesson.path,
                        lesson.meta_line("prerequisites"),
                        f"prerequisite `{slug}` is no lesson; lessons: {', '.join(sorted(slugs))}",
                    )
                )
        if "order" not in dict(lesson.meta_lines):
            continue
        # The catalogue sorts every lesson by order (then groups them by track).
        key = ("", lesson.order)
        other = orders.get(key)
        if other is not None and other.slug != lesson.slug:
            problems.append(
                Problem(
                    lesson.path,
                    lesson.meta_line("order"),
                    f"`order: {lesson.order}` is also the order of {other.path}; the catalogue "
                    "then sorts the two by title",
                    "warning",
                )
            )
        orders.setdefault(key, lesson)
    return problems
