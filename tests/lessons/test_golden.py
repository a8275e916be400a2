"""The golden transcript: every seed step's solution and known mistakes, as the learner sees
them. A change to the checker or the lesson that alters any feedback shows up as a diff.

Regenerate on purpose, then review the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/exercises/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from checker import Verdict
from lessons.checking import step_check
from lessons.selectors import lesson_get
from lessons.types import Lesson

GOLDEN = Path(__file__).parent / "golden" / "why-async-matters.txt"


def shown(verdict: Verdict) -> str:
    return json.dumps(verdict.as_json(), indent=2, ensure_ascii=False)


def transcript(lesson: Lesson) -> str:
    parts = []
    for step in lesson.steps:
        parts.append(f"# Step {step.number}: {step.title}\n")
        verdict = step_check(lesson=lesson, step_number=step.number, code=step.solution)
        parts.append(f"## Solution\n{shown(verdict)}\n")
        for mistake in step.mistakes:
            verdict = step_check(lesson=lesson, step_number=step.number, code=mistake.code)
            parts.append(f"## Mistake: {mistake.title}\n{shown(verdict)}\n")
    return "\n".join(parts)


def test_seed_lesson_transcript_matches_the_golden_file():
    lesson = lesson_get(slug="why-async-matters")
    assert lesson is not None, "the seed lesson does not load"
    current = transcript(lesson)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(current, encoding="utf-8")
    assert current == GOLDEN.read_text(encoding="utf-8"), (
        "Feedback changed; if on purpose, regenerate with UPDATE_GOLDEN=1 and review the diff"
    )


def test_every_solution_passes_and_every_mistake_is_caught():
    lesson = lesson_get(slug="why-async-matters")
    assert lesson is not None
    for step in lesson.steps:
        assert step_check(lesson=lesson, step_number=step.number, code=step.solution).passed
        for mistake in step.mistakes:
            verdict = step_check(lesson=lesson, step_number=step.number, code=mistake.code)
            assert any(mistake.message in item.message for item in verdict.failures), mistake
