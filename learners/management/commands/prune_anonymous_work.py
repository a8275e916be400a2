"""Count (or delete, with --delete) the work of anonymous learners whose session expired."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from learners.services import anonymous_work_prune


class Command(BaseCommand):
    help = (
        "Anonymous learners' work whose session has expired can never be reached again: "
        "count it per model, and delete it with --delete (accounts' work is never touched)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="delete, not only count")

    def handle(self, *args: Any, **options: Any) -> None:
        found = anonymous_work_prune(delete=options["delete"])
        verb = "deleted" if options["delete"] else "would delete (run with --delete)"
        if not found:
            self.stdout.write("No unreachable anonymous work.")
        for label, count in sorted(found.items()):
            self.stdout.write(f"{label}: {verb} {count}")
