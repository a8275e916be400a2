from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lessons.files import lesson_paths, lessons_dir
from lessons.validation import lesson_files_validate


class Command(BaseCommand):
    help = (
        "Check lesson files and print `file:line: problem` for each problem (and "
        "`file:line: warning: …` for what is worth fixing but still served). Runs every "
        "step's reference solution and known mistakes through the checker. Exits 1 when "
        "any problem (not a warning) is found."
    )
    # The system check would only repeat, as one line, what this command lists in full.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            nargs="*",
            type=Path,
            help="lesson files to check (default: every .md file in the lessons directory)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["files"] or lesson_paths()
        if not paths:
            raise CommandError(f"no lesson files found in {lessons_dir()}")
        missing = [path for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"no such file: {missing[0]}")
        # Broken patterns are listed below; the checker's log line for each would repeat them.
        logging.getLogger("checker").setLevel(logging.ERROR)
        problems = lesson_files_validate(paths)
        for problem in problems:
            self.stdout.write(str(problem))
        errors = [problem for problem in problems if problem.is_error]
        warnings = len(problems) - len(errors)
        also = f" and {warnings} warning(s)" if warnings else ""
        if errors:
            noun = "problem" if len(errors) == 1 else "problems"
            raise CommandError(
                f"{len(errors)} {noun}{also} in {len(paths)} lesson file(s)", returncode=1
            )
        self.stdout.write(self.style.SUCCESS(f"{len(paths)} lesson file(s) OK{also}"))
