"""Small builders for checker tests: checks, and a lesson made from the lesson dataclasses."""

from __future__ import annotations

from checker import CheckKind, CheckSpec, Mistake
from lessons.types import Lesson, Step


def check(
    pattern: str,
    *,
    kind: CheckKind = "expect",
    inside: str | None = None,
    after: str | None = None,
    message: str = "Instructor message.",
    label: str = "",
    alternatives: tuple[str, ...] = (),
    count: int | None = None,
    exact: bool = False,
) -> CheckSpec:
    return CheckSpec(
        kind=kind,
        label=label or pattern,
        pattern=pattern,
        message=message,
        inside=inside,
        after=after,
        alternatives=alternatives,
        count=count,
        exact=exact,
    )


def step(number: int, checks: tuple[CheckSpec, ...], solution: str, *mistakes: Mistake) -> Step:
    return Step(
        number=number,
        label=f"STEP {number}",
        title=f"Step {number}",
        instructions_html="",
        starter="",
        solution=solution,
        hints_html=(),
        checks=checks,
        mistakes=tuple(mistakes),
        line=number * 10,
    )


def lesson(*steps: Step, slug: str = "tiny") -> Lesson:
    return Lesson(
        slug=slug,
        title="Tiny",
        subtitle="",
        framework="Django",
        minutes=1,
        order=1,
        scenario_html="",
        goal_html="",
        learn_html=(),
        real_world_html="",
        career_html="",
        steps=steps,
        questions=(),
        path="lessons/content/tiny.md",
    )
