"""Reading the structure of a lesson file: front matter, `#`/`##` sections, key lines, code
blocks and lists, each with its file line so every problem can say `file:line`.

Nothing here knows what a lesson is; `lessons.format.parser` gives the sections their meaning.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import yaml

from lessons.highlight import lexer_exists
from lessons.render import ALLOWED_TAGS
from lessons.types import Problem

FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w+-]*)\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
KEY_LINE = re.compile(r"^([A-Z][A-Za-z ]*):\s*(.*)$")
LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+(.*)$")
PYTHON_LANGUAGES = {"python", "py", "python3"}
FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
IMAGE = re.compile(r"!\[[^\]]*\]\(")
# Tags the site keeps (lessons.render's sanitizer); any other raw HTML is dropped.
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
KEPT_TAGS = frozenset(ALLOWED_TAGS)
INLINE_CODE = re.compile(r"`+[^`]*`+")


@dataclass
class Line:
    number: int
    text: str


@dataclass
class Section:
    """A heading and the lines under it, up to the next heading of the same or higher level."""

    title: str
    line: int
    level: int
    body: list[Line] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


@dataclass
class CodeBlock:
    language: str
    code: str
    # The fence's line; the code starts on the next one.
    line: int

    def file_line(self, code_line: int) -> int:
        """The file line of line `code_line` (1-based) of the code, counted after any blank
        lines the block starts with (patterns and snippets are read without them)."""
        lines = self.code.splitlines()
        leading = next((n for n, text in enumerate(lines) if text.strip()), 0)
        return self.line + leading + code_line


class SectionReader:
    """Reads a file's parts and collects the problems found on the way."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.problems: list[Problem] = []
        # Front matter key -> its file line, so that problems with a key point at it.
        self.meta_lines: dict[str, int] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, "warning"))

    def meta_line(self, key: str) -> int:
        return self.meta_lines.get(key, 1)

    def front_matter(self) -> tuple[dict[str, object], int]:
        if not self.lines or self.lines[0].strip() != "---":
            self.problem(
                1,
                "the file must start with front matter: a line `---`, the lesson's "
                "slug, title, framework and minutes, then `---`",
            )
            return {}, 0
        for index in range(1, len(self.lines)):
            if self.lines[index].strip() == "---":
                break
        else:
            self.problem(1, "the front matter is not closed: add a line `---` after it")
            return {}, len(self.lines)
        source = "\n".join(self.lines[1:index])
        for number in range(1, index):
            match = FRONT_MATTER_KEY.match(self.lines[number])
            if match:
                self.meta_lines.setdefault(match.group(1), number + 1)
        try:
            meta = yaml.safe_load(source) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = (mark.line + 2) if mark is not None else 1
            problem = getattr(error, "problem", None) or "invalid YAML"
            self.problem(line, f"front matter is not valid YAML: {problem}")
            return {}, index + 1
        if not isinstance(meta, dict):
            self.problem(2, "front matter must be `key: value` lines")
            return {}, index + 1
        return {str(key): value for key, value in meta.items()}, index + 1

    def sections(self, start: int) -> list[Section]:
        """Split the body into level-1 sections holding level-2 sections; fences are opaque."""
        top: list[Section] = []
        preamble = Section("", start + 1, 0)
        fence: str | None = None
        fence_line = 0
        for index in range(start, len(self.lines)):
            number, text = index + 1, self.lines[index]
            fence_match = FENCE.match(text.strip()) if not text.startswith("    ") else None
            if fence is not None:
                if fence_match and text.strip().startswith(fence) and not fence_match.group(2):
                    fence = None
            elif fence_match:
                fence, fence_line = fence_match.group(1), number
            elif heading := HEADING.match(text):
                level, title = len(heading.group(1)), heading.group(2).strip()
                if level == 1:
                    top.append(Section(title, number, 1))
                    continue
                if level == 2 and top:
                    top[-1].children.append(Section(title, number, 2))
                    continue
                if level == 2:
                    self.problem(number, f"`## {title}` comes before any `#` section")
                    continue
            target = (
                top[-1].children[-1] if top and top[-1].children else (top[-1] if top else preamble)
            )
            target.body.append(Line(number, text))
        if fence is not None:
            self.problem(fence_line, "this code fence is never closed")
        for line in preamble.body:
            if line.text.strip():
                self.problem(
                    line.number, "text before the first `#` section; start with `# Scenario`"
                )
                break
        return top

    def key_lines(
        self, body: list[Line], keys: set[str]
    ) -> tuple[dict[str, tuple[str, int]], list[Line]]:
        """Take `Key: value` lines (a value may continue on the following non-blank lines)
        out of a body, outside code fences; return them and the remaining lines."""
        found: dict[str, tuple[str, int]] = {}
        rest: list[Line] = []
        in_fence = False
        current: str | None = None
        for line in body:
            stripped = line.text.strip()
            if FENCE.match(stripped):
                in_fence = not in_fence
                current = None
                rest.append(line)
                continue
            if not in_fence:
                match = KEY_LINE.match(line.text)
                if match and match.group(1) in keys:
                    current = match.group(1)
                    if current in found:
                        self.problem(line.number, f"`{current}:` is given twice")
                    found[current] = (match.group(2), line.number)
                    continue
                if current is not None and stripped:
                    value, number = found[current]
                    found[current] = (f"{value} {stripped}", number)
                    continue
            current = None
            rest.append(line)
        return found, rest

    def code_blocks(self, body: list[Line]) -> tuple[list[CodeBlock], list[Line]]:
        blocks: list[CodeBlock] = []
        outside: list[Line] = []
        current: list[str] | None = None
        language, start = "", 0
        for line in body:
            match = FENCE.match(line.text.strip())
            if current is None and match:
                current, language, start = [], match.group(2).lower(), line.number
            elif current is not None and match and not match.group(2):
                blocks.append(CodeBlock(language, "\n".join(current) + "\n", start))
                current = None
            elif current is not None:
                current.append(line.text)
            else:
                outside.append(line)
        for block in blocks:
            self.language_check(block)
        return blocks, outside

    def language_check(self, block: CodeBlock) -> None:
        if not block.language:
            return
        if not lexer_exists(block.language):
            self.problem(block.line, f"unknown code fence language `{block.language}`")

    def single_code_block(
        self,
        section: Section,
        *,
        python: bool,
        allow_empty: bool,
        fields: tuple[str, ...] = (),
        several: bool = False,
    ) -> list[CodeBlock]:
        """The section's code block (or blocks, when `several`); [] when there is none.
        `fields` are the `Key:` lines allowed here, named when a line looks like a typo'd one."""
        blocks, outside = self.code_blocks(section.body)
        for line in outside:
            if not line.text.strip():
                continue
            key = KEY_LINE.match(line.text)
            if key and fields:
                self.unknown_field(line.number, key.group(1), fields)
                continue
            self.problem(
                line.number,
                f"unexpected text in `## {section.title}`: only a code block belongs here",
            )
            break
        if not blocks:
            self.problem(section.line, f"`## {section.title}` needs a ```python code block")
            return []
        if len(blocks) > 1 and not several:
            self.problem(blocks[1].line, f"`## {section.title}` has more than one code block")
            blocks = blocks[:1]
        for block in blocks:
            if python and block.language not in PYTHON_LANGUAGES:
                self.problem(
                    block.line, f"the code block in `## {section.title}` must be ```python"
                )
            if not allow_empty and not block.code.strip():
                self.problem(block.line, f"the code block in `## {section.title}` is empty")
        return blocks

    def unknown_field(self, line: int, key: str, fields: tuple[str, ...]) -> None:
        near = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
        guess = f" (did you mean `{near[0]}:`?)" if near else ""
        allowed = ", ".join(f"`{field}:`" for field in fields)
        self.problem(line, f"unknown field `{key}:`{guess}; the fields allowed here are {allowed}")

    def typo_fields(self, body: list[Line], fields: tuple[str, ...]) -> None:
        """In prose, a `Key:` line only counts as a typo'd field when it is close to one."""
        in_fence = False
        for line in body:
            if FENCE.match(line.text.strip()):
                in_fence = not in_fence
                continue
            key = KEY_LINE.match(line.text)
            if in_fence or key is None or key.group(1) in fields:
                continue
            if difflib.get_close_matches(key.group(1), fields, n=1, cutoff=0.75):
                self.unknown_field(line.number, key.group(1), fields)

    def dropped_markdown(self, body: list[Line]) -> None:
        """Warn about markdown the site does not show: images, and raw HTML it removes."""
        in_fence = False
        for line in body:
            if FENCE.match(line.text.strip()):
                in_fence = not in_fence
                continue
            if in_fence or line.text.startswith("    "):
                continue
            text = INLINE_CODE.sub("", line.text)
            if IMAGE.search(text):
                self.warn(
                    line.number,
                    "images are not shown on the site (the page drops them); describe it in "
                    "words, or put the code or output in a code block",
                )
            for tag in HTML_TAG.finditer(text):
                if tag.group(1).lower() not in KEPT_TAGS:
                    self.warn(
                        line.number,
                        f"raw HTML `<{tag.group(1)}>` is removed from the page; use markdown",
                    )
                    break

    def list_items(self, body: list[Line]) -> list[tuple[int, str]]:
        """Top-level list items with their indented continuation lines."""
        items: list[tuple[int, list[str]]] = []
        for line in body:
            match = LIST_ITEM.match(line.text)
            if match:
                items.append((line.number, [match.group(1)]))
            elif items and (line.text.startswith((" ", "\t")) or not line.text.strip()):
                items[-1][1].append(line.text.strip())
            elif line.text.strip():
                self.problem(line.number, "expected a list item (`- …` or `1. …`) here")
        return [(number, "\n".join(parts).strip()) for number, parts in items]

    def markdown_of(self, body: list[Line]) -> str:
        self.code_blocks(body)  # only to check fence languages
        self.dropped_markdown(body)
        return "\n".join(line.text for line in body).strip("\n")

    def children_refused(self, section: Section) -> None:
        for child in section.children:
            self.problem(child.line, f"`## {child.title}` does not belong in `# {section.title}`")
