"""`python manage.py check_code <lesson> <step> [FILE|-]`: check a submission from a file or
stdin and print one JSON object. Exit 0 passed, 1 not passed, 2 input refused.

The JSON object is the code-check API's answer too (exercises/api/checking.py builds both).
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from checker import MAX_SUBMISSION_BYTES
from exercises.api.checking import (
    CodeCheck,
    code_check_refusal,
    code_check_report,
    code_check_target,
)
from lessons.selectors import lesson_problems_for

PASSED, FAILED, REFUSED = 0, 1, 2


class Command(BaseCommand):
    help = (
        "Check learner code for a lesson step; print a JSON verdict. Uses the lesson file as "
        "it is now, so checks can be tried on a lesson that is not valid yet."
    )
    # Only the JSON goes to stdout; lesson problems are `validate_lessons`'s to list.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("lesson", help="the lesson's slug, e.g. why-async-matters")
        parser.add_argument("step", help="the step number")
        parser.add_argument("file", nargs="?", default="-", help="a file, or - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        report, code = checked(options["lesson"], options["step"], options["file"])
        errors = [p for p in lesson_problems_for(slug=options["lesson"]) if p.is_error]
        if errors:
            # stderr, so that stdout stays one JSON object for grading clients.
            self.stderr.write(
                f"note: {errors[0].path} has {len(errors)} problem(s); checked against the file "
                "as it is now. Run `python manage.py validate_lessons` to see them."
            )
        self.stdout.write(json.dumps(report, ensure_ascii=False))
        if code != PASSED:
            sys.exit(code)


def checked(slug: str, step_text: str, source: str) -> tuple[dict[str, object], int]:
    # The file as it is now, valid or not: instructors try their checks while writing.
    target = code_check_target(slug=slug, step=step_text, current=True)
    if isinstance(target, CodeCheck):
        return target.report, REFUSED
    try:
        raw = read_bytes(source)
    except OSError as error:
        refusal = code_check_refusal(
            target.head, "refused", f"Cannot read {source}: {error.strerror or error}."
        )
        return refusal.report, REFUSED
    check = code_check_report(target=target, code=raw)
    exit_code = {"passed": PASSED, "failed": FAILED}.get(check.outcome, REFUSED)
    return check.report, exit_code


def read_bytes(source: str) -> bytes:
    # One byte past the limit is enough to refuse; a huge input is never read whole.
    if source == "-":
        return sys.stdin.buffer.read(MAX_SUBMISSION_BYTES + 1)
    with Path(source).open("rb") as file:
        return file.read(MAX_SUBMISSION_BYTES + 1)
