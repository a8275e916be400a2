"""What a lesson asks the checker to look for: its checks, and the known mistakes they catch.

These are the checker's inputs, plain data written by instructors in lesson files and read by
`lessons.format`; the checker never needs to know where they came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CheckKind = Literal["expect", "forbid"]


@dataclass(frozen=True)
class CheckSpec:
    """One structural check of a step, written by the instructor as code.

    `pattern` is Python source in which `__` stands for "any one expression or name", `*__`
    and `**__` in a call for "any positional / keyword arguments, none included", and a block
    of `...` for "any block". `alternatives` are further patterns: the check holds when any
    of them does. `inside` scopes the search: a function name, "module" for top-level
    statements, "async def" / "def" for any async / plain function, "except" for the body of
    an except handler, or several of these separated by commas (all must hold). `after` is a
    second pattern that must come earlier in the same scope. `count` asks for exactly that
    many matches. `exact` asks for the pattern's parameter names (otherwise a def with one
    positional parameter accepts any name for it).
    """

    kind: CheckKind
    label: str
    pattern: str
    message: str
    inside: str | None = None
    after: str | None = None
    line: int = 0
    alternatives: tuple[str, ...] = ()
    count: int | None = None
    exact: bool = False
    # File lines of each pattern's first line (pattern first, then the alternatives), so
    # that problems inside a pattern can name their file line.
    pattern_lines: tuple[int, ...] = ()
    inside_line: int = 0
    after_line: int = 0

    @property
    def patterns(self) -> tuple[str, ...]:
        return (self.pattern, *self.alternatives)


@dataclass(frozen=True)
class Mistake:
    """A known wrong submission and text the feedback for it must contain."""

    title: str
    code: str
    message: str
    line: int = 0
    # File line of the first line of the mistake's code.
    code_line: int = 0
