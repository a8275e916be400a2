"""Building form posts for the modes, as a learner's browser would send them."""

from __future__ import annotations

from exercises.modes import parsons
from exercises.modes.parsons import INDENT, UNUSED
from lessons.types import Lesson


def solution_layout(lesson: Lesson) -> list[tuple[str, int]]:
    """The last step's solution as (line text, indent level), blank lines dropped."""
    return [
        (line.strip(), (len(line) - len(line.lstrip())) // len(INDENT))
        for line in lesson.steps[-1].solution.splitlines()
        if line.strip()
    ]


def parsons_post(
    lesson: Lesson, layout: list[tuple[str, int]], *, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """A Parsons form post placing the lines of `layout` in that order; every other block is
    left out. Repeated lines take the first block with that text not yet used."""
    puzzle = parsons.parsons_puzzle(lesson)
    post: dict[str, str] = {}
    taken: set[int] = set()
    for position, (text, indent) in enumerate(layout, start=1):
        block = next(b for b in puzzle.blocks if b.text == text and b.id not in taken)
        taken.add(block.id)
        post[f"position-{block.id}"] = str(position)
        post[f"indent-{block.id}"] = str(indent)
    for block in puzzle.blocks:
        if block.id not in taken:
            post[f"position-{block.id}"] = UNUSED
            post[f"indent-{block.id}"] = "0"
    post.update(extra or {})
    return post
