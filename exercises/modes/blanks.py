"""Code with key tokens blanked out, and the learner's filled-in program graded structurally.

Used by "Fill in the blanks" (the lesson's whole solution, every key token blanked) and by the
worked example's faded version (each step's solution, one piece of that step left out). What
counts as key: the `async` and `await` keywords, the names the solution defines (the view, a
setting such as `WAIT_TIME`), and what is called on `asyncio` (the sleep). The filled-in
program is checked by the step's checks, so any answer the checker accepts is right.
"""

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from checker import Verdict
from lessons.checking import step_check
from lessons.types import Lesson

MAX_BLANKS = 6
MAX_ANSWER_CHARS = 60
KEYWORDS = frozenset({"async", "await"})


@dataclass(frozen=True)
class Span:
    line: int  # 1-based
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Piece:
    text: str
    blank: int | None = None  # the blank's number, 1-based, when this piece is a blank


@dataclass(frozen=True)
class Blanked:
    code: str
    spans: tuple[Span, ...]
    step_number: int

    def lines(self) -> list[list[Piece]]:
        """The code line by line, each line a run of text and blanks, for the template."""
        by_line: dict[int, list[tuple[int, Span]]] = {}
        for number, span in enumerate(self.spans, start=1):
            by_line.setdefault(span.line, []).append((number, span))
        result: list[list[Piece]] = []
        for line_number, text in enumerate(self.code.splitlines(), start=1):
            pieces: list[Piece] = []
            column = 0
            for number, span in by_line.get(line_number, []):
                pieces.append(Piece(text[column : span.start]))
                pieces.append(Piece("", blank=number))
                column = span.end
            pieces.append(Piece(text[column:]))
            result.append(pieces)
        return result


@dataclass(frozen=True)
class FilledResult:
    answers: tuple[str, ...]
    code: str
    verdict: Verdict | None
    problem: str = ""

    @property
    def passed(self) -> bool:
        return self.verdict is not None and self.verdict.passed


def _name_tokens(code: str) -> list[tuple[Span, str, str]]:
    """NAME tokens with the two significant tokens before each (for `asyncio.sleep`)."""
    found: list[tuple[Span, str, str]] = []
    before = ["", ""]
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    for token in tokens:
        if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            continue
        if token.type == tokenize.NAME and token.start[0] == token.end[0]:
            span = Span(token.start[0], token.start[1], token.end[1], token.string)
            found.append((span, before[0], before[1]))
        before = [before[1], token.string]
    return found


def _defined_names(code: str) -> set[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def key_spans(code: str) -> list[Span]:
    defined = _defined_names(code)
    return [
        span
        for span, two_before, one_before in _name_tokens(code)
        if span.text in KEYWORDS
        or span.text in defined
        or (two_before == "asyncio" and one_before == ".")
    ]


def blanks_all(lesson: Lesson) -> Blanked | None:
    """The last step's solution with its key tokens blanked; None when it has none."""
    if not lesson.steps:
        return None
    step = lesson.steps[-1]
    spans = key_spans(step.solution)[:MAX_BLANKS]
    if not spans:
        return None
    return Blanked(code=step.solution, spans=tuple(spans), step_number=step.number)


def blanks_faded(lesson: Lesson) -> list[Blanked]:
    """Each step's solution with one piece of what that step adds left out."""
    faded: list[Blanked] = []
    previous: set[str] = set()
    for step in lesson.steps:
        lines = step.solution.splitlines()
        new_lines = {n for n, text in enumerate(lines, start=1) if text.strip() not in previous}
        previous = {text.strip() for text in lines}
        candidates = [s for s in key_spans(step.solution) if s.line in new_lines]
        if not candidates:
            # No key token is new here: leave out a name on the step's last new line (the
            # `HttpResponse` of a `return` line, say), never a keyword such as `from`.
            names = [
                s
                for s, _, _ in _name_tokens(step.solution)
                if s.line in new_lines and not keyword.iskeyword(s.text)
            ]
            last_line = max((s.line for s in names), default=0)
            candidates = [s for s in names if s.line == last_line]
        if candidates:
            faded.append(Blanked(step.solution, (candidates[0],), step.number))
    return faded


def blanks_fill(blanked: Blanked, answers: Iterable[str]) -> str:
    """The code with each blank replaced by the learner's answer."""
    lines = blanked.code.splitlines()
    for span, answer in sorted(
        zip(blanked.spans, answers, strict=True), key=lambda pair: (-pair[0].line, -pair[0].start)
    ):
        text = lines[span.line - 1]
        lines[span.line - 1] = text[: span.start] + answer + text[span.end :]
    return "\n".join(lines) + "\n"


def blanks_read(
    blanked: Blanked, post: Mapping[str, str], prefix: str
) -> tuple[tuple[str, ...], str]:
    answers: list[str] = []
    for number in range(1, len(blanked.spans) + 1):
        answer = post.get(f"{prefix}{number}", "").strip()
        if "\n" in answer or "\r" in answer or len(answer) > MAX_ANSWER_CHARS:
            problem = (
                f"Blank {number} takes a short piece of one line "
                f"({MAX_ANSWER_CHARS} characters at most)."
            )
            return tuple(answers), problem
        answers.append(answer)
    return tuple(answers), ""


def blanks_grade(
    *, lesson: Lesson, blanked: Blanked, post: Mapping[str, str], prefix: str = "blank-"
) -> FilledResult:
    answers, problem = blanks_read(blanked, post, prefix)
    if problem:
        padded = answers + ("",) * (len(blanked.spans) - len(answers))
        return FilledResult(padded, "", None, problem)
    if not any(answers):
        return FilledResult(answers, "", None, "Fill in at least one blank, then check.")
    code = blanks_fill(blanked, answers)
    verdict = step_check(lesson=lesson, step_number=blanked.step_number, code=code)
    return FilledResult(answers, code, verdict)
