"""Proof that a lesson's exercises work: patterns usable, solutions pass, mistakes caught."""

from __future__ import annotations

from exercises.checker import Verdict, pattern_problems
from exercises.services import step_check
from lessons.types import Lesson, Mistake, Problem, Step


def lesson_exercises_verify(lesson: Lesson) -> list[Problem]:
    problems: list[Problem] = []
    for step in lesson.steps:
        problems.extend(
            Problem(lesson.path, check.line, f"check {check.label!r}: {problem}")
            for check in step.checks
            for problem in pattern_problems(check)
        )
        problems.extend(solution_problems(lesson, step))
        problems.extend(
            problem
            for mistake in step.mistakes
            for problem in mistake_problems(lesson, step, mistake)
        )
    return problems


def failure_summary(verdict: Verdict) -> str:
    messages = [f"[{item.label}] {item.message}" for item in verdict.failures]
    return "; ".join(messages) or "no feedback"


def solution_problems(lesson: Lesson, step: Step) -> list[Problem]:
    verdict = step_check(lesson=lesson, step_number=step.number, code=step.solution)
    if verdict.passed:
        return []
    return [
        Problem(
            lesson.path,
            step.line,
            f"step {step.number}'s solution does not pass its checks: {failure_summary(verdict)}",
        )
    ]


def mistake_problems(lesson: Lesson, step: Step, mistake: Mistake) -> list[Problem]:
    verdict = step_check(lesson=lesson, step_number=step.number, code=mistake.code)
    where = f"mistake {mistake.title!r} of step {step.number}"
    if verdict.passed:
        return [Problem(lesson.path, mistake.line, f"{where} passes the checks; it must fail")]
    if any(mistake.message in item.message for item in verdict.failures):
        return []
    return [
        Problem(
            lesson.path,
            mistake.line,
            f"{where}: no feedback contains {mistake.message!r}; got: {failure_summary(verdict)}",
        )
    ]
