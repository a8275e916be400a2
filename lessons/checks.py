"""A Django system check that reports lesson file problems in `manage.py check`.

Warnings, not errors: a broken lesson must never stop `migrate` or the server; the site keeps
serving the last good version of that lesson.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from lessons.files import lesson_paths
from lessons.validation import lesson_files_validate


@checks.register("lessons")
def lesson_files_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    paths = lesson_paths()
    return [
        checks.Warning(
            str(problem), hint="Run `python manage.py validate_lessons`.", id="lessons.W001"
        )
        for problem in lesson_files_validate(paths)
    ]
