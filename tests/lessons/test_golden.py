"""The golden transcripts: every step's solution and known mistakes of every lesson, as the
learner sees them. A change to the checker or a lesson that alters any feedback shows up as a
diff. This is also where the suite proves, once, that every solution passes and every known
mistake is caught with its message.

Regenerate on purpose, then review the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/lessons/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from checker import Verdict
from lessons.checking import step_check
from lessons.format import lesson_file_load
from lessons.types import Lesson
from tests.conftest import lesson_files

GOLDEN = Path(__file__).parent / "golden"


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


def load(path: Path) -> Lesson:
    result = lesson_file_load(path=path)
    assert result.lesson is not None, [str(problem) for problem in result.problems]
    return result.lesson


@pytest.mark.parametrize("path", lesson_files(), ids=lambda path: path.stem)
def test_every_solution_passes_and_every_mistake_is_caught(path: Path) -> None:
    lesson = load(path)
    for step in lesson.steps:
        solution = step_check(lesson=lesson, step_number=step.number, code=step.solution)
        assert solution.passed, (step.number, solution.failures)
        for mistake in step.mistakes:
            verdict = step_check(lesson=lesson, step_number=step.number, code=mistake.code)
            assert not verdict.passed, mistake
            assert any(mistake.message in item.message for item in verdict.failures), mistake


@pytest.mark.parametrize("path", lesson_files(), ids=lambda path: path.stem)
def test_the_transcript_matches_the_golden_file(path: Path) -> None:
    current = transcript(load(path))
    golden = GOLDEN / f"{path.stem}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(current, encoding="utf-8")
    if not golden.exists():
        pytest.skip(f"no transcript for {path.name} yet: run with UPDATE_GOLDEN=1 and review it")
    assert current == golden.read_text(encoding="utf-8"), (
        "Feedback changed; if on purpose, regenerate with UPDATE_GOLDEN=1 and review the diff"
    )
