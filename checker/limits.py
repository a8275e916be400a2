"""Limits on a submission, checked before the code is parsed.

A seed-sized solution is about 200 bytes and 12 lines; these leave room for any honest
attempt while keeping the parser and the checker's tree walks well inside their budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SUBMISSION_BYTES = 20_000
MAX_LINE_LENGTH = 1_000
MAX_LINES = 500

# The line breaks Python's tokenizer knows; str.splitlines() also splits on form feeds etc.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Refusal:
    message: str
    line: int | None = None


def submission_refusal(code: str) -> Refusal | None:
    """Why `code` is refused before parsing, or None when it may be parsed."""
    try:
        size = len(code.encode("utf-8"))
    except UnicodeEncodeError:
        return Refusal("Your code is not valid text: it holds unpaired surrogate characters.")
    if size > MAX_SUBMISSION_BYTES:
        return Refusal(f"Your code is {size:,} bytes; the limit is {MAX_SUBMISSION_BYTES:,}.")
    lines = LINE_BREAK.split(code)
    count = len(lines) - (lines[-1] == "")
    if count > MAX_LINES:
        return Refusal(f"Your code has {count:,} lines; the limit is {MAX_LINES:,}.")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_LENGTH:
            return Refusal(
                f"Line {number} is {len(line):,} characters long; "
                f"the limit is {MAX_LINE_LENGTH:,} characters per line.",
                number,
            )
    if "\0" in code:
        line = code.count("\n", 0, code.index("\0")) + 1
        return Refusal(
            f"Your code contains a null byte (\\0) on line {line}. Python source cannot hold "
            "one; it usually comes from pasting binary data. Delete it and try again.",
            line,
        )
    return None
