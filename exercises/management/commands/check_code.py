"""`python manage.py check_code <lesson> <step> [FILE|-]`: check a submission from a file or
stdin and print one JSON object. Exit 0 passed, 1 not passed, 2 input refused."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from checker import MAX_SUBMISSION_BYTES
from lessons.checking import step_check
from lessons.selectors import lesson_current_get, lesson_problems_for

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
    head: dict[str, object] = {"lesson": slug, "step": step_text}
    lesson = lesson_current_get(slug=slug)
    if lesson is None:
        return refusal(head, f"There is no lesson {slug!r}.")
    # ASCII digits only: str.isdigit() also accepts "١" and "²".
    step_number = int(step_text) if step_text.isascii() and step_text.isdigit() else None
    if step_number is None or lesson.step(step_number) is None:
        numbers = ", ".join(str(step.number) for step in lesson.steps)
        return refusal(head, f"Lesson {slug!r} has no step {step_text!r}; its steps are {numbers}.")
    head["step"] = step_number
    try:
        raw = read_bytes(source)
    except OSError as error:
        return refusal(head, f"Cannot read {source}: {error.strerror or error}.")
    if len(raw) > MAX_SUBMISSION_BYTES:
        return refusal(head, f"Your code is over the limit of {MAX_SUBMISSION_BYTES:,} bytes.")
    try:
        code = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return refusal(
            head, f"The input is not UTF-8 text (byte {error.start:,} cannot be decoded)."
        )
    verdict = step_check(lesson=lesson, step_number=step_number, code=code)
    report = {**head, **verdict.as_json()}
    if verdict.status == "refused":
        report["error"] = verdict.items[0].message
        return report, REFUSED
    return report, PASSED if verdict.passed else FAILED


def read_bytes(source: str) -> bytes:
    # One byte past the limit is enough to refuse; a huge input is never read whole.
    if source == "-":
        return sys.stdin.buffer.read(MAX_SUBMISSION_BYTES + 1)
    with Path(source).open("rb") as file:
        return file.read(MAX_SUBMISSION_BYTES + 1)


def refusal(head: dict[str, object], message: str) -> tuple[dict[str, object], int]:
    return {**head, "passed": False, "status": "refused", "error": message, "feedback": []}, REFUSED
