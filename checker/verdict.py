"""What the checker answers: a verdict made of feedback items, each passed or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FeedbackKind = Literal["check", "diagnostic", "syntax", "refused"]
Status = Literal["passed", "failed", "syntax_error", "refused"]


@dataclass(frozen=True)
class Feedback:
    label: str
    passed: bool
    message: str
    line: int | None = None
    column: int | None = None
    kind: FeedbackKind = "check"

    def as_json(self) -> dict[str, object]:
        return {
            "label": self.label,
            "passed": self.passed,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Verdict:
    status: Status
    items: tuple[Feedback, ...]

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def failures(self) -> tuple[Feedback, ...]:
        return tuple(item for item in self.items if not item.passed)

    def as_json(self) -> dict[str, object]:
        return {
            "passed": self.passed,
            "status": self.status,
            "feedback": [item.as_json() for item in self.items],
        }
