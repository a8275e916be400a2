"""A Django system check that says, in one line, when lesson files have problems.

One warning with a count, not one per problem: every `manage.py` command runs the system
checks, and `validate_lessons` is where the problems are listed. Warnings, not errors: a broken
lesson must never stop `migrate` or the server; the site keeps serving the last good version.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from lessons.files import lesson_paths
from lessons.validation import lesson_files_validate


@checks.register("lessons")
def lesson_files_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    paths = lesson_paths()
    problems = lesson_files_validate(paths)
    errors = [problem for problem in problems if problem.is_error]
    if not errors:
        return []
    files = len({problem.path for problem in errors})
    noun = "problem" if len(errors) == 1 else "problems"
    return [
        checks.Warning(
            f"{len(errors)} {noun} in {files} lesson file(s); learners get the last good "
            "version of those lessons",
            hint="Run `python manage.py validate_lessons` to see each one with its file:line.",
            id="lessons.W001",
        )
    ]
