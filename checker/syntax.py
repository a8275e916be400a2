"""Python's syntax errors, explained in plain language with the learner's line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

BLOCK_KEYWORDS = (
    "async def",
    "def",
    "class",
    "if",
    "elif",
    "else",
    "for",
    "async for",
    "while",
    "try",
    "except",
    "finally",
    "with",
    "async with",
    "match",
    "case",
)
CLOSERS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class SyntaxExplanation:
    message: str
    line: int | None
    column: int | None


def syntax_explanation(error: SyntaxError, lines: list[str]) -> SyntaxExplanation:
    line = error.lineno if isinstance(error.lineno, int) and error.lineno > 0 else None
    column = error.offset if isinstance(error.offset, int) and error.offset > 0 else None
    text = lines[line - 1] if line is not None and line <= len(lines) else ""
    where = f"Line {line}" if line is not None else "Your code"
    return SyntaxExplanation(f"{where}: {plain_reason(error, text)}", line, column)


def plain_reason(error: SyntaxError, text: str) -> str:
    reason = str(error.msg or "invalid syntax")
    if isinstance(error, TabError) or "inconsistent use of tabs" in reason:
        return "it mixes tabs and spaces for indentation. Indent with spaces only, 4 per level."
    if reason == "expected ':'":
        return colon_reason(text)
    if "async" in text.split() and reason.startswith("invalid syntax"):
        return (
            "`async` can only come right before `def`, `with` or `for`, as in "
            "`async def slow_view(request):`."
        )
    for pattern, explain in EXPLANATIONS:
        found = re.search(pattern, reason)
        if found:
            return explain(found)
    return f"Python refuses this line ({reason})."


def colon_reason(text: str) -> str:
    stripped = " ".join(text.split())
    for keyword in BLOCK_KEYWORDS:
        if stripped.startswith(keyword + " ") or stripped == keyword:
            article = "an" if keyword[0] in "aeiou" else "a"
            return f"{article} `{keyword}` line must end with a colon `:`."
    return "a colon `:` is missing; lines that open a block end with one."


def never_closed(found: re.Match[str]) -> str:
    opener = found.group(1)
    return f"`{opener}` is opened but never closed: add the matching `{CLOSERS[opener]}`."


def mismatched(found: re.Match[str]) -> str:
    closer, opener, line = found.group(1), found.group(2), found.group(4)
    where = f" on line {line}" if line else ""
    return (
        f"`{closer}` does not match the `{opener}` opened{where}: "
        f"close `{opener}` with `{CLOSERS.get(opener, '?')}`."
    )


def invalid_character(found: re.Match[str]) -> str:
    character = found.group(1)
    if character in "\u2018\u2019\u201c\u201d":
        return f"`{character}` is a curly quote; write a straight quote, `'` or `\"`."
    return f"`{character}` (U+{found.group(2)}) cannot appear here in Python code; retype it."


def indented_block(found: re.Match[str]) -> str:
    what = found.group(1).replace("'", "`")
    what = what.replace("function definition", "`def`").replace("class definition", "`class`")
    return (
        f"the body of the {what} on line {found.group(2)} must be indented below it "
        "(4 spaces), or be `pass`."
    )


Explain = Callable[[re.Match[str]], str]

# Checked in order: the first pattern that matches Python's message wins.
EXPLANATIONS: list[tuple[str, Explain]] = [
    # Errors Python finds only when compiling (the code parses, but cannot run).
    (
        r"'(break|continue)' (?:outside loop|not properly in loop)",
        lambda found: f"`{found.group(1)}` only works inside a `for` or `while` loop.",
    ),
    (
        r"'return' outside function",
        lambda _: "`return` only works inside a function: indent it into the `def`.",
    ),
    (
        r"'yield' outside function",
        lambda _: "`yield` only works inside a function.",
    ),
    (
        r"'return' with value in async generator",
        lambda _: (
            "this `async def` also uses `yield`, which makes it a generator, not a view: "
            "remove the `yield`."
        ),
    ),
    (
        r"duplicate argument '(\w+)'",
        lambda found: f"the parameter `{found.group(1)}` is named twice; rename one.",
    ),
    (
        r"nonlocal declaration not allowed at module level",
        lambda _: "`nonlocal` only works inside a nested function.",
    ),
    (
        r"no binding for nonlocal '(\w+)' found",
        lambda found: (
            f"`nonlocal {found.group(1)}` needs an enclosing function that defines "
            f"`{found.group(1)}`; for a top-level name, just read it (or use `global`)."
        ),
    ),
    (
        r"name '(\w+)' is (?:used|assigned to) prior to global declaration",
        lambda found: f"`global {found.group(1)}` must come before any use of the name.",
    ),
    (
        r"unexpected indent",
        lambda _: (
            "this line is indented more than the line before it, but nothing there opens a "
            "block. Line it up with the code around it."
        ),
    ),
    (
        r"unindent does not match any outer indentation level",
        lambda _: (
            "its indentation matches no line above it. Line it up with the block it belongs "
            "to (4 spaces per level)."
        ),
    ),
    (r"expected an indented block after (.+?) on line (\d+)", indented_block),
    (r"expected an indented block", lambda _: "an indented block must start here."),
    (r"'([(\[{])' was never closed", never_closed),
    (
        r"too many nested parentheses",
        lambda _: "brackets are nested too deeply for Python to read; use fewer levels.",
    ),
    (
        r"unmatched '([)\]}])'",
        lambda found: f"`{found.group(1)}` closes nothing: remove it or add what it closes.",
    ),
    (
        r"closing parenthesis '(.)' does not match opening parenthesis '(.)'( on line (\d+))?",
        mismatched,
    ),
    (
        r"unterminated triple-quoted string",
        lambda _: (
            "a triple-quoted string starts here but never ends: close it with the "
            "same three quotes."
        ),
    ),
    (
        r"unterminated string literal|EOL while scanning",
        lambda _: (
            "a string starts here but never ends: close it on the same line with the "
            "quote it opens with (`'` or `\"`)."
        ),
    ),
    (
        r"Missing parentheses in call to '(\w+)'",
        lambda found: (
            f"`{found.group(1)}` is a function: call it with parentheses, `{found.group(1)}(...)`."
        ),
    ),
    (r"invalid character '(.)' \(U\+([0-9A-Fa-f]+)\)", invalid_character),
    (
        r"invalid non-printable character U\+([0-9A-Fa-f]+)",
        lambda found: (
            f"it holds an invisible character (U+{found.group(1)}), often pasted "
            "from a web page or document. Delete it and retype the spaces around it."
        ),
    ),
    (
        r"invalid (decimal|hexadecimal|octal|binary) literal",
        lambda _: (
            "a number runs straight into letters (like `3s`); a name cannot start with a digit."
        ),
    ),
    (
        r"expected '\('",
        lambda _: (
            "the name must be followed by its parameters in parentheses, as in "
            "`def slow_view(request):`."
        ),
    ),
    (
        r"Perhaps you forgot a comma",
        lambda _: "Python expected a comma here: separate the items with commas.",
    ),
    (
        r"Maybe you meant '==' instead of '='",
        lambda _: (
            "this `=` assigns, but its left side cannot be assigned to; to compare, write `==`."
        ),
    ),
    (
        r"cannot assign to (.+)",
        lambda found: (
            f"you cannot assign to {found.group(1)}: the left side of `=` must be a name."
        ),
    ),
    (
        r"unexpected EOF|unexpected end",
        lambda _: "the code ends in the middle of a statement; finish it.",
    ),
    (
        r"unexpected character after line continuation",
        lambda _: "a backslash `\\` must be the last character on its line.",
    ),
    (
        r"^invalid syntax$",
        lambda _: (
            "Python cannot understand this line. Look for a missing bracket, quote, "
            "comma or colon near the marked position."
        ),
    ),
]
