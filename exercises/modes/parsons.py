"""Put the lines in order (a Parsons problem), generated from a lesson file.

The blocks are the non-blank lines of the last step's solution, without their indentation,
shuffled, plus distractor lines taken from the lesson's known mistakes. The learner gives each
block a position (or leaves it out) and an indentation; the assembled program is graded by the
structural checker, so any order its checks accept is right, not one fixed order. A distractor
used anywhere makes the answer wrong: it is a line from a program known to be broken.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Mapping
from dataclasses import dataclass

from checker import Verdict
from lessons.checking import step_check
from lessons.types import Lesson

INDENT = "    "
MAX_INDENT = 3
MAX_DISTRACTORS = 5
# Lines a distractor may not be: leaving them out or putting them in changes nothing a
# learner would learn from.
TRIVIAL_LINES = frozenset({"pass", "...", ""})
UNUSED = "unused"


@dataclass(frozen=True)
class Block:
    id: int
    text: str
    distractor: bool


@dataclass(frozen=True)
class Puzzle:
    blocks: tuple[Block, ...]  # in the order shown
    step_number: int

    @property
    def positions(self) -> range:
        return range(1, len(self.blocks) + 1)

    def block(self, block_id: int) -> Block | None:
        return next((block for block in self.blocks if block.id == block_id), None)


@dataclass(frozen=True)
class Placement:
    block: Block
    position: int | None  # None: left out
    indent: int


@dataclass(frozen=True)
class ParsonsResult:
    placements: tuple[Placement, ...]  # used ones in order, then the unused
    code: str
    verdict: Verdict | None
    distractors_used: tuple[Block, ...]
    problem: str = ""

    @property
    def passed(self) -> bool:
        return self.verdict is not None and self.verdict.passed and not self.distractors_used


def _lines(code: str) -> list[str]:
    return [line.strip() for line in code.splitlines() if line.strip()]


def parsons_unavailable_reason(lesson: Lesson) -> str:
    if not lesson.steps:
        return "This lesson has no steps, so there is no program to put in order."
    if len(_lines(lesson.steps[-1].solution)) < 2:
        return "The lesson's solution has fewer than two lines: nothing to put in order."
    return ""


def parsons_distractors(lesson: Lesson) -> list[str]:
    """One line from each known mistake that the solution does not have, latest step first
    (its mistakes are whole wrong programs), without repeats.

    Of a mistake's new lines the one kept is the nearest twin of a solution line:
    `time.sleep(WAIT_TIME)` beside `await asyncio.sleep(WAIT_TIME)`, not `import time`."""
    solution = _lines(lesson.steps[-1].solution)

    def closeness(line: str) -> float:
        return max(difflib.SequenceMatcher(None, line, other).ratio() for other in solution)

    found: list[str] = []
    for step in reversed(lesson.steps):
        for mistake in step.mistakes:
            new = [
                line
                for line in _lines(mistake.code)
                if line not in solution
                and line not in found
                and line not in TRIVIAL_LINES
                and not line.startswith("#")
            ]
            if new:
                found.append(max(new, key=closeness))
    return found[:MAX_DISTRACTORS]


def parsons_puzzle(lesson: Lesson) -> Puzzle:
    texts = [(text, False) for text in _lines(lesson.steps[-1].solution)]
    texts += [(text, True) for text in parsons_distractors(lesson)]
    # The same shuffle for everyone and every request of this file version: a posted
    # form names blocks by id, and a reload must not reshuffle the learner's work.
    order = list(range(len(texts)))
    shuffler = random.Random(f"{lesson.slug}:{lesson.version}")
    shuffler.shuffle(order)
    solution_count = len(_lines(lesson.steps[-1].solution))
    if [index for index in order if index < solution_count] == list(range(solution_count)):
        order = order[1:] + order[:1]  # never shown already solved
    blocks = tuple(
        Block(id=index + 1, text=texts[index][0], distractor=texts[index][1]) for index in order
    )
    return Puzzle(blocks=blocks, step_number=lesson.steps[-1].number)


def parsons_initial(puzzle: Puzzle) -> tuple[Placement, ...]:
    """Where the blocks start: every block used, in the shuffled order, not indented."""
    return tuple(
        Placement(block=block, position=number, indent=0)
        for number, block in enumerate(puzzle.blocks, start=1)
    )


def _int_field(value: str | None, *, low: int, high: int) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    number = int(value)
    return number if low <= number <= high else None


def parsons_read(*, puzzle: Puzzle, post: Mapping[str, str]) -> tuple[tuple[Placement, ...], str]:
    """The placements a form post gives, and a problem to show when it cannot be graded."""
    placements: list[Placement] = []
    for block in puzzle.blocks:
        raw_position = post.get(f"position-{block.id}", "")
        indent = _int_field(post.get(f"indent-{block.id}"), low=0, high=MAX_INDENT)
        if indent is None:
            return parsons_initial(puzzle), "Every line needs an indentation of 0 to 3 levels."
        if raw_position == UNUSED:
            placements.append(Placement(block=block, position=None, indent=indent))
            continue
        position = _int_field(raw_position, low=1, high=len(puzzle.blocks))
        if position is None:
            return parsons_initial(puzzle), "Every line needs a position, or “Leave out”."
        placements.append(Placement(block=block, position=position, indent=indent))
    positions = [p.position for p in placements if p.position is not None]
    duplicates = sorted({number for number in positions if positions.count(number) > 1})
    ordered = _ordered(placements)
    if duplicates:
        taken = ", ".join(str(number) for number in duplicates)
        return ordered, f"Two lines share position {taken}: give each line its own position."
    return ordered, ""


def _ordered(placements: list[Placement]) -> tuple[Placement, ...]:
    used = sorted((p for p in placements if p.position is not None), key=lambda p: p.position or 0)
    return tuple(used) + tuple(p for p in placements if p.position is None)


def parsons_code(placements: tuple[Placement, ...]) -> str:
    return "".join(
        f"{INDENT * p.indent}{p.block.text}\n" for p in placements if p.position is not None
    )


def parsons_grade(*, lesson: Lesson, post: Mapping[str, str]) -> ParsonsResult:
    puzzle = parsons_puzzle(lesson)
    placements, problem = parsons_read(puzzle=puzzle, post=post)
    code = parsons_code(placements)
    if problem:
        return ParsonsResult(placements, code, None, (), problem=problem)
    if not code:
        return ParsonsResult(placements, code, None, (), problem="Use at least one line.")
    verdict = step_check(lesson=lesson, step_number=puzzle.step_number, code=code)
    used = tuple(p.block for p in placements if p.position is not None and p.block.distractor)
    return ParsonsResult(placements, code, verdict, used)
