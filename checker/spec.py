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

    `pattern` is Python source in which `__` stands for "anything here" and a function body
    of `...` stands for "any body". `inside` scopes the search: a function name, "module"
    for top-level statements, or "async def" for any async function. `after` is a second
    pattern that must come earlier in the same scope.
    """

    kind: CheckKind
    label: str
    pattern: str
    message: str
    inside: str | None = None
    after: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Mistake:
    """A known wrong submission and text the feedback for it must contain."""

    title: str
    code: str
    message: str
    line: int = 0
