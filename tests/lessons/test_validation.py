"""`lesson_exercises_verify`: the lesson validator's view of a lesson's exercises."""

from __future__ import annotations

from checker import Mistake
from lessons.selectors import lesson_get
from lessons.validation import lesson_exercises_verify
from tests.factories import check, lesson, step

IMPORT = check("import asyncio", message="Add `import asyncio`.")


def test_the_seed_lesson_has_no_problems():
    seed = lesson_get(slug="why-async-matters")
    assert seed is not None
    assert lesson_exercises_verify(seed) == []


def test_a_good_tiny_lesson_has_no_problems():
    mistake = Mistake("forgotten", "x = 1\n", "import asyncio", line=12)
    assert lesson_exercises_verify(lesson(step(1, (IMPORT,), "import asyncio\n", mistake))) == []


def test_each_kind_of_problem_is_named_with_its_line():
    broken = check("def f(:")
    broken = broken.__class__(**{**broken.__dict__, "line": 7})
    passes = Mistake("passes", "import asyncio\n", "import", line=13)
    unnamed = Mistake("wrong text", "x = 1\n", "never said", line=14)
    problems = lesson_exercises_verify(
        lesson(step(1, (IMPORT, broken), "x = 1\n", passes, unnamed))
    )
    shown = [str(problem) for problem in problems]
    assert shown[0].startswith("lessons/content/tiny.md:7: check 'def f(:': pattern: the pattern")
    assert shown[1].startswith("lessons/content/tiny.md:10: step 1's solution does not pass")
    assert "Add `import asyncio`." in shown[1]
    assert shown[2] == (
        "lessons/content/tiny.md:13: mistake 'passes' of step 1 passes the checks; it must fail"
    )
    assert shown[3].startswith(
        "lessons/content/tiny.md:14: mistake 'wrong text' of step 1: no feedback contains "
        "'never said'; got: [import asyncio] Add `import asyncio`."
    )
    assert len(shown) == 4
