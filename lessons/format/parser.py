"""Parse and validate one lesson file: what each section means, and what must be in it.

A lesson file is markdown with YAML front matter and a few heading conventions (the README's
"Writing a lesson" section is the reference for instructors). Parsing is line-based so that
every problem can be reported as `file:line: what is wrong`; the prose itself is rendered by
`lessons.render.markdown_render`, the one markdown function.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import replace
from pathlib import Path

from checker import CheckKind, CheckSpec, Mistake
from lessons.format.sections import LIST_ITEM, CodeBlock, Section, SectionReader
from lessons.options import OPTION_REFERENCE
from lessons.render import markdown_render
from lessons.types import (
    DIFFICULTIES,
    Concept,
    Difficulty,
    Lesson,
    LoadResult,
    Option,
    Problem,
    Question,
    Step,
)

REQUIRED_FRONT_MATTER = ("slug", "title", "framework", "minutes")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
OPTION_ITEM = re.compile(r"^[-*+]\s+\[( |x|X)\]\s+(.*)$")
OPTION_BODY = re.compile(r"^([a-z0-9][a-z0-9-]*):\s+(.+)$")
STEP_HEADING = re.compile(r"^Step\s+(\d+)\s*:\s*(.+)$", re.IGNORECASE)
QUESTION_HEADING = re.compile(r"^Question\s*:\s*(.+)$", re.IGNORECASE)
CHECK_HEADING = re.compile(r"^(Expect|Forbid)\s*:\s*(.+)$", re.IGNORECASE)
MISTAKE_HEADING = re.compile(r"^Mistake\s*:\s*(.+)$", re.IGNORECASE)
# Option ids reach learners through the quiz API, so they must not say which one is right.
TELLING_WORDS = re.compile(r"(^|-)(right|correct|wrong|incorrect|answer|true|false)(-|$)")
TRUE_WORDS = {"yes", "true", "1"}
FALSE_WORDS = {"no", "false", "0"}
STEP_REFERENCE = re.compile(r"^step-(\d+)$")
DEMO_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
OPTIONAL_FRONT_MATTER = (
    "subtitle",
    "order",
    "test_size",
    "demo",
    "track",
    "prerequisites",
    "draft",
)
CHECK_FIELDS = ("Inside", "After", "Count", "Exact")


class LessonParser(SectionReader):
    def __init__(self, text: str, path: str) -> None:
        super().__init__(text, path)
        self.question_lines: dict[str, int] = {}
        self.concept_ids: dict[str, int] = {}
        # (question id, what it says it teaches, line): checked once every part is read.
        self.teaches: list[tuple[str, str, int]] = []

    def parse(self) -> LoadResult:
        meta, body_start = self.front_matter()
        sections = self.sections(body_start)
        lesson = replace(self.lesson(meta, sections), meta_lines=tuple(self.meta_lines.items()))
        problems = sorted(self.problems, key=lambda problem: problem.line)
        errors = any(problem.is_error for problem in problems)
        return LoadResult(lesson=None if errors else lesson, problems=problems, partial=lesson)

    def lesson(self, meta: dict[str, object], sections: list[Section]) -> Lesson:
        for key in REQUIRED_FRONT_MATTER:
            if key not in meta:
                self.problem(1, f"front matter is missing `{key}:`")
        slug = str(meta.get("slug", ""))
        if slug and not SLUG.match(slug):
            self.problem(
                self.meta_line("slug"),
                f"slug `{slug}` must be lowercase letters, digits and hyphens",
            )
        stem = Path(self.path).stem
        if slug and stem and slug != stem:
            self.problem(
                self.meta_line("slug"), f"slug `{slug}` must match the file name `{stem}.md`"
            )
        minutes = self.whole_number(meta, "minutes", default=0)
        order = self.whole_number(meta, "order", default=100)
        test_size = self.whole_number(meta, "test_size", default=10)
        demo = self.slug_list(meta, "demo", DEMO_KEY)
        track = self.single_slug(meta, "track")
        prerequisites = self.slug_list(meta, "prerequisites", SLUG)
        if slug in prerequisites:
            self.problem(self.meta_line("prerequisites"), "a lesson cannot be its own prerequisite")
        draft = self.yes_no(meta, "draft")
        known = (*REQUIRED_FRONT_MATTER, *OPTIONAL_FRONT_MATTER)
        for key in meta:
            if key not in known:
                near = difflib.get_close_matches(key, known, n=1, cutoff=0.7)
                guess = f" (did you mean `{near[0]}:`?)" if near else ""
                self.problem(
                    self.meta_line(key),
                    f"unknown front matter key `{key}`{guess}; known: {', '.join(sorted(known))}",
                )
        concepts: list[Concept] = []

        by_kind: dict[str, list[Section]] = {}
        steps: list[Step] = []
        questions: list[Question] = []
        for section in sections:
            title = section.title
            if step_heading := STEP_HEADING.match(title):
                step = self.step(section, int(step_heading.group(1)), step_heading.group(2))
                if step is not None:
                    steps.append(step)
            elif question_heading := QUESTION_HEADING.match(title):
                question = self.question(section, question_heading.group(1).strip())
                if question is not None:
                    questions.append(question)
            elif normalise(title) == "concepts":
                concepts.extend(self.concepts(section))
            elif (kind := normalise(title)) in FIXED_SECTIONS:
                if kind in by_kind:
                    self.problem(
                        section.line,
                        f"`# {title}` appears twice (first on line {by_kind[kind][0].line})",
                    )
                by_kind.setdefault(kind, []).append(section)
            else:
                self.problem(
                    section.line,
                    f"unknown section `# {title}`; expected one of: "
                    "Scenario, Goal, What you'll learn, Why it matters, Concepts, "
                    "Step N: title, Question: id",
                )

        for kind, heading in FIXED_SECTIONS.items():
            if kind not in by_kind:
                self.problem(1, f"missing section `# {heading}`")
        if not steps:
            self.problem(1, "the lesson has no steps: add `# Step 1: title` sections")
        for expected, step in enumerate(steps, start=1):
            if step.number != expected:
                self.problem(
                    step.line,
                    f"steps must be numbered 1, 2, 3…: expected Step "
                    f"{expected}, found Step {step.number}",
                )
                break

        self.teaches_check(len(steps))
        if "test_size" in meta and questions and test_size > len(questions):
            self.warn(
                self.meta_line("test_size"),
                f"`test_size: {test_size}` is more than the {len(questions)} questions in the "
                f"bank; the test will have {len(questions)}",
            )
        learn = self.learn_items(by_kind.get("learn", []))
        real_world, career = self.why_it_matters(by_kind.get("why", []))
        return Lesson(
            slug=slug,
            title=str(meta.get("title", "")),
            subtitle=str(meta.get("subtitle", "") or ""),
            framework=str(meta.get("framework", "")),
            minutes=minutes,
            order=order,
            scenario_html=self.prose(by_kind.get("scenario", []), "Scenario"),
            goal_html=self.prose(by_kind.get("goal", []), "Goal"),
            learn_html=learn,
            real_world_html=real_world,
            career_html=career,
            steps=tuple(steps),
            questions=tuple(questions),
            path=self.path,
            test_size=test_size,
            demo=demo,
            track=track,
            prerequisites=prerequisites,
            draft=draft,
            concepts=tuple(concepts),
        )

    def whole_number(self, meta: dict[str, object], key: str, *, default: int) -> int:
        if key not in meta:
            return default
        value = meta[key]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.problem(
                self.meta_line(key), f"`{key}:` must be a whole number above 0, not `{value}`"
            )
            return default
        return value

    def slug_list(
        self, meta: dict[str, object], key: str, shape: re.Pattern[str]
    ) -> tuple[str, ...]:
        """`key: [a, b]` (or one value, or a comma-separated line) as a tuple of slugs."""
        if key not in meta or meta[key] is None:
            return ()
        value = meta[key]
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list):
            self.problem(self.meta_line(key), f"`{key}:` must be a list, such as `[a, b]`")
            return ()
        found: list[str] = []
        for item in items:
            text = str(item).strip()
            if not shape.match(text):
                self.problem(
                    self.meta_line(key),
                    f"`{key}:` entry `{text}` must be lowercase letters, digits and hyphens",
                )
            elif text in found:
                self.problem(self.meta_line(key), f"`{key}:` lists `{text}` twice")
            else:
                found.append(text)
        return tuple(found)

    def single_slug(self, meta: dict[str, object], key: str) -> str:
        if key not in meta or meta[key] is None:
            return ""
        text = str(meta[key]).strip()
        if not SLUG.match(text):
            self.problem(
                self.meta_line(key),
                f"`{key}:` must be lowercase letters, digits and hyphens, not `{text}`",
            )
            return ""
        return text

    def yes_no(self, meta: dict[str, object], key: str) -> bool:
        if key not in meta:
            return False
        value = meta[key]
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text not in TRUE_WORDS | FALSE_WORDS:
            self.problem(self.meta_line(key), f"`{key}:` must be yes or no, not `{value}`")
        return text in TRUE_WORDS

    def concepts(self, section: Section) -> list[Concept]:
        """`# Concepts`: `## title` parts, each starting with an `Id: concept-id` line."""
        concepts: list[Concept] = []
        if any(line.text.strip() for line in section.body):
            first = next(line for line in section.body if line.text.strip())
            self.problem(
                first.line if hasattr(first, "line") else first.number,
                "text under `# Concepts` belongs in a `## title` part",
            )
        if not section.children:
            self.problem(
                section.line, "`# Concepts` needs `## title` parts, each with an `Id:` line"
            )
        for child in section.children:
            keys, rest = self.key_lines(child.body, {"Id"})
            concept_id, line = keys.get("Id", ("", child.line))
            concept_id = concept_id.strip()
            if not concept_id:
                self.problem(
                    child.line,
                    f"concept “{child.title}” needs an `Id: concept-id` line under its heading",
                )
            elif not SLUG.match(concept_id) or STEP_REFERENCE.match(concept_id):
                self.problem(
                    line,
                    f"concept id `{concept_id}` must be lowercase letters, digits and hyphens "
                    "(and not `step-N`, which names a step)",
                )
            elif concept_id in self.concept_ids:
                self.problem(
                    line,
                    f"duplicate concept id `{concept_id}` (also on line "
                    f"{self.concept_ids[concept_id]})",
                )
            else:
                self.concept_ids[concept_id] = line
            self.typo_fields(rest, ("Id",))
            text = self.markdown_of(rest)
            if not text.strip():
                self.problem(child.line, f"concept “{child.title}” has no text")
            concepts.append(Concept(concept_id, child.title, markdown_render(text), child.line))
        return concepts

    def teaches_check(self, step_count: int) -> None:
        for question_id, target, line in self.teaches:
            step = STEP_REFERENCE.match(target)
            if step is not None:
                if not 1 <= int(step.group(1)) <= step_count:
                    self.problem(
                        line,
                        f"question `{question_id}` teaches `{target}`, but the lesson has "
                        f"steps 1 to {step_count}",
                    )
            elif target not in self.concept_ids:
                known = ", ".join(sorted(self.concept_ids)) or "none yet"
                self.problem(
                    line,
                    f"question `{question_id}` teaches `{target}`, which is no concept id "
                    f"(`# Concepts` ids: {known}) and no `step-N`",
                )

    def prose(self, sections: list[Section], heading: str) -> str:
        if not sections:
            return ""
        section = sections[0]
        self.children_refused(section)
        text = self.markdown_of(section.body)
        if not text.strip():
            self.problem(section.line, f"`# {heading}` is empty")
        return markdown_render(text)

    def learn_items(self, sections: list[Section]) -> tuple[str, ...]:
        if not sections:
            return ()
        section = sections[0]
        self.children_refused(section)
        items = self.list_items(section.body)
        if not items:
            self.problem(section.line, "`# What you'll learn` needs a bullet list (`- item`)")
        return tuple(markdown_render(text, inline=True) for _, text in items)

    def why_it_matters(self, sections: list[Section]) -> tuple[str, str]:
        if not sections:
            return "", ""
        section = sections[0]
        parts = {normalise(child.title): child for child in section.children}
        for child in section.children:
            if normalise(child.title) not in {"real world", "career"}:
                self.problem(
                    child.line,
                    f"unknown part `## {child.title}` of `# Why it "
                    "matters`; expected `## Real world` and `## Career`",
                )
        rendered = []
        for key, heading in (("real world", "Real world"), ("career", "Career")):
            part = parts.get(key)
            if part is None:
                self.problem(section.line, f"`# Why it matters` is missing `## {heading}`")
                rendered.append("")
                continue
            text = self.markdown_of(part.body)
            if not text.strip():
                self.problem(part.line, f"`## {heading}` is empty")
            rendered.append(markdown_render(text))
        return rendered[0], rendered[1]

    def step(self, section: Section, number: int, title: str) -> Step | None:
        keys, prose = self.key_lines(section.body, {"Label"})
        self.typo_fields(prose, ("Label",))
        label = keys.get("Label", ("", section.line))[0].strip()
        if not label:
            self.problem(
                section.line,
                f"Step {number} needs a `Label:` line (for example `Label: DATA SETUP`)",
            )
        instructions = self.markdown_of(prose)
        if not instructions.strip():
            self.problem(section.line, f"Step {number} has no instructions under its heading")
        starter = solution = ""
        starter_line = solution_line = 0
        hints: list[str] = []
        checks: list[CheckSpec] = []
        mistakes: list[Mistake] = []
        found: set[str] = set()
        for child in section.children:
            name = normalise(child.title)
            if name in {"starter", "solution"}:
                if name in found:
                    self.problem(child.line, f"Step {number} has two `## {child.title}` parts")
                found.add(name)
                blocks = self.single_code_block(child, python=True, allow_empty=name == "starter")
                code = blocks[0].code if blocks else ""
                # The checker reads the code as written, so its line 1 is the fence's next.
                first_line = blocks[0].line + 1 if blocks else child.line
                if name == "starter":
                    starter, starter_line = code, first_line
                    if blocks:
                        self.starter_check(blocks[0], number)
                else:
                    solution, solution_line = code, first_line
            elif name == "hints":
                found.add(name)
                hints = [markdown_render(text) for _, text in self.list_items(child.body)]
                if not hints:
                    self.problem(
                        child.line,
                        "`## Hints` needs a numbered list, one hint per item, the gentlest first",
                    )
            elif check_heading := CHECK_HEADING.match(child.title):
                kind: CheckKind = (
                    "expect" if check_heading.group(1).lower() == "expect" else ("forbid")
                )
                check = self.check(child, kind, check_heading.group(2).strip())
                if check is not None:
                    checks.append(check)
            elif mistake_heading := MISTAKE_HEADING.match(child.title):
                mistake = self.mistake(child, mistake_heading.group(1).strip())
                if mistake is not None:
                    mistakes.append(mistake)
            else:
                self.problem(
                    child.line,
                    f"unknown part `## {child.title}` in Step {number}; "
                    "expected Starter, Solution, Hints, Expect: …, Forbid: …, "
                    "Mistake: …",
                )
        if "solution" not in found:
            self.problem(section.line, f"Step {number} has no `## Solution`")
        if "hints" not in found:
            self.problem(section.line, f"Step {number} has no `## Hints`")
        if not any(check.kind == "expect" for check in checks):
            self.problem(
                section.line,
                f"Step {number} has no `## Expect: …` check, so any code would pass it",
            )
        return Step(
            number=number,
            label=label,
            title=title.strip(),
            instructions_html=markdown_render(instructions),
            starter=starter,
            solution=solution,
            hints_html=tuple(hints),
            checks=tuple(checks),
            mistakes=tuple(mistakes),
            line=section.line,
            starter_line=starter_line,
            solution_line=solution_line,
        )

    def starter_check(self, block: CodeBlock, number: int) -> None:
        """A starter that is not valid Python greets the learner with a syntax error."""
        try:
            ast.parse(block.code)
        except SyntaxError as error:
            line = block.line + error.lineno if error.lineno else block.line
            self.warn(
                line,
                f"Step {number}'s starter is not valid Python ({error.msg}): the learner's "
                "first check would be a syntax error",
            )
        except (ValueError, RecursionError, MemoryError):
            self.warn(block.line, f"Step {number}'s starter cannot be read as Python")

    def check(self, section: Section, kind: CheckKind, label: str) -> CheckSpec | None:
        message_key = "Missing" if kind == "expect" else "Found"
        wrong_key = "Found" if kind == "expect" else "Missing"
        fields = (*CHECK_FIELDS, message_key)
        keys, rest = self.key_lines(section.body, {*fields, wrong_key})
        if wrong_key in keys:
            self.problem(
                keys[wrong_key][1],
                f"a `{kind.capitalize()}:` check takes `{message_key}:`, not `{wrong_key}:`",
            )
        blocks = self.single_code_block(
            Section(section.title, section.line, 2, rest),
            python=True,
            allow_empty=False,
            fields=fields,
            several=True,
        )
        message = keys.get(message_key, ("", 0))[0].strip()
        if not message:
            what = "missing" if kind == "expect" else "found"
            self.problem(
                section.line,
                f"check “{label}” needs a `{message_key}:` line: what "
                f"to tell the learner when it is {what}",
            )
        count = None
        if "Count" in keys:
            text, line = keys["Count"]
            if text.strip().isascii() and text.strip().isdigit() and int(text) > 0:
                count = int(text)
            else:
                self.problem(line, f"`Count:` must be a whole number above 0, not `{text.strip()}`")
        exact = False
        if "Exact" in keys:
            text, line = keys["Exact"]
            exact = text.strip().lower() in TRUE_WORDS
            if text.strip().lower() not in TRUE_WORDS | FALSE_WORDS:
                self.problem(line, f"`Exact:` must be yes or no, not `{text.strip()}`")
        if not blocks:
            return None
        inside_text, inside_line = keys.get("Inside", ("", 0))
        after_text, after_line = keys.get("After", ("", 0))
        return CheckSpec(
            kind=kind,
            label=label,
            pattern=blocks[0].code,
            message=message,
            inside=inside_text.strip() or None,
            after=after_text.strip() or None,
            line=section.line,
            alternatives=tuple(block.code for block in blocks[1:]),
            count=count,
            exact=exact,
            pattern_lines=tuple(block.file_line(1) for block in blocks),
            inside_line=inside_line,
            after_line=after_line,
        )

    def mistake(self, section: Section, title: str) -> Mistake | None:
        keys, rest = self.key_lines(section.body, {"Message"})
        blocks = self.single_code_block(
            Section(section.title, section.line, 2, rest),
            python=True,
            allow_empty=False,
            fields=("Message",),
        )
        message = keys.get("Message", ("", 0))[0].strip()
        if not message:
            self.problem(
                section.line,
                f"mistake “{title}” needs a `Message:` line: text the feedback must contain",
            )
        if not blocks:
            return None
        return Mistake(
            title=title,
            code=blocks[0].code,
            message=message,
            line=section.line,
            code_line=blocks[0].line + 1,
        )

    def question(self, section: Section, question_id: str) -> Question | None:
        if not SLUG.match(question_id):
            self.problem(
                section.line,
                f"question id `{question_id}` must be lowercase letters, digits and hyphens",
            )
        if question_id in self.question_lines:
            self.problem(
                section.line,
                f"duplicate question id `{question_id}` (also on line "
                f"{self.question_lines[question_id]})",
            )
        self.question_lines.setdefault(question_id, section.line)
        keys, prose = self.key_lines(section.body, {"Difficulty", "Practice", "Teaches"})
        self.typo_fields(prose, ("Difficulty", "Practice", "Teaches"))
        teaches_text, teaches_line = keys.get("Teaches", ("", section.line))
        teaches = teaches_text.strip()
        if teaches:
            self.teaches.append((question_id, teaches, teaches_line))
        difficulty_text, difficulty_line = keys.get("Difficulty", ("", section.line))
        difficulty = difficulty_text.strip().lower()
        if not difficulty:
            self.problem(
                section.line,
                f"question `{question_id}` needs a `Difficulty:` line (easy, medium or hard)",
            )
        elif difficulty not in DIFFICULTIES:
            self.problem(
                difficulty_line,
                f"unknown difficulty `{difficulty_text.strip()}`; use easy, medium or hard",
            )
        practice_text, practice_line = keys.get("Practice", ("no", section.line))
        practice = practice_text.strip().lower() in TRUE_WORDS
        if practice_text.strip().lower() not in TRUE_WORDS | FALSE_WORDS:
            self.problem(
                practice_line, f"`Practice:` must be yes or no, not `{practice_text.strip()}`"
            )
        prompt = self.markdown_of(prose)
        if not prompt.strip():
            self.problem(section.line, f"question `{question_id}` has no prompt under its heading")
        parts: dict[str, Section] = {}
        for child in section.children:
            name = normalise(child.title)
            if name not in QUESTION_PARTS:
                self.problem(
                    child.line,
                    f"unknown part `## {child.title}` in question "
                    f"`{question_id}`; expected "
                    f"{', '.join(QUESTION_PARTS.values())}",
                )
            elif name in parts:
                self.problem(child.line, f"question `{question_id}` has two `## {child.title}`")
            else:
                parts[name] = child
        for name, heading in QUESTION_PARTS.items():
            if name not in parts and name != "quick check":
                self.problem(section.line, f"question `{question_id}` is missing `## {heading}`")
        options = self.options(parts["options"], question_id) if "options" in parts else []
        option_ids = {option.id for option in options}
        solution = self.solution_steps(parts.get("solution"))
        hint = self.markdown_of(parts["hint"].body) if "hint" in parts else ""
        quick = self.markdown_of(parts["quick check"].body) if "quick check" in parts else ""
        common = (
            [text for _, text in self.list_items(parts["common mistakes"].body)]
            if ("common mistakes" in parts)
            else []
        )
        if "common mistakes" in parts and not common:
            self.problem(parts["common mistakes"].line, "`## Common mistakes` needs a bullet list")
        if "hint" in parts and not hint.strip():
            self.problem(parts["hint"].line, "`## Hint` is empty")
        for name in ("solution", "hint", "quick check", "common mistakes", "options"):
            if name in parts:
                self.references_check(parts[name], option_ids, question_id)
        if difficulty not in DIFFICULTIES:
            return None
        valid_difficulty: Difficulty = difficulty  # type: ignore[assignment]
        return Question(
            id=question_id,
            difficulty=valid_difficulty,
            prompt_html=markdown_render(prompt),
            options=tuple(options),
            solution_html=tuple(solution),
            hint_html=markdown_render(hint, inline=True),
            quick_check_html=markdown_render(quick, inline=True),
            common_mistakes_html=tuple(markdown_render(text, inline=True) for text in common),
            practice=practice,
            line=section.line,
            teaches=teaches,
        )

    def options(self, section: Section, question_id: str) -> list[Option]:
        options: list[Option] = []
        seen: dict[str, int] = {}
        for number, text in self.list_items(section.body):
            first, _, feedback = text.partition("\n")
            item = OPTION_ITEM.match("- " + first)
            body = OPTION_BODY.match(item.group(2)) if item else None
            if item is None or body is None:
                self.problem(
                    number,
                    "an option must look like `- [x] option-id: text` (the "
                    "right one) or `- [ ] option-id: text`",
                )
                continue
            option_id, option_text = body.group(1), body.group(2).strip()
            if option_id in seen:
                self.problem(
                    number,
                    f"duplicate option id `{option_id}` in question "
                    f"`{question_id}` (also on line {seen[option_id]})",
                )
                continue
            seen[option_id] = number
            if option_id == question_id or TELLING_WORDS.search(option_id):
                self.problem(
                    number,
                    f"option id `{option_id}` gives the answer away to "
                    "anyone reading the quiz API; name the option's idea instead "
                    "(ids are sent to learners, letters are not)",
                )
            options.append(
                Option(
                    id=option_id,
                    text=option_text,
                    text_html=markdown_render(option_text, inline=True),
                    correct=item.group(1).lower() == "x",
                    feedback_html=markdown_render(feedback.strip()) if feedback.strip() else "",
                )
            )
        right = [option for option in options if option.correct]
        if len(options) < 2:
            self.problem(section.line, f"question `{question_id}` needs at least two options")
        if not right:
            self.problem(
                section.line,
                f"question `{question_id}` has no right option: mark exactly one with `- [x]`",
            )
        elif len(right) > 1:
            self.problem(
                section.line,
                f"question `{question_id}` has {len(right)} right "
                f"options ({', '.join(o.id for o in right)}); mark exactly one "
                "with `- [x]`",
            )
        return options

    def solution_steps(self, section: Section | None) -> list[str]:
        if section is None:
            return []
        is_list = any(LIST_ITEM.match(line.text) for line in section.body)
        items = self.list_items(section.body) if is_list else []
        if not items:
            text = self.markdown_of(section.body)
            if not text.strip():
                self.problem(section.line, "`## Solution` is empty")
                return []
            return [markdown_render(text)]
        return [markdown_render(text) for _, text in items]

    def references_check(self, section: Section, option_ids: set[str], question_id: str) -> None:
        for line in section.body:
            for match in OPTION_REFERENCE.finditer(line.text):
                if match.group(1) not in option_ids:
                    self.problem(
                        line.number,
                        f"`[[{match.group(1)}]]` names no option of question `{question_id}`",
                    )


FIXED_SECTIONS = {
    "scenario": "Scenario",
    "goal": "Goal",
    "learn": "What you'll learn",
    "why": "Why it matters",
}
QUESTION_PARTS = {
    "options": "Options",
    "solution": "Solution",
    "quick check": "Quick check",
    "hint": "Hint",
    "common mistakes": "Common mistakes",
}


def normalise(title: str) -> str:
    simple = " ".join(title.lower().replace("’", "'").split())
    aliases = {
        "what you'll learn": "learn",
        "what you will learn": "learn",
        "why it matters": "why",
        "why this matters": "why",
    }
    return aliases.get(simple, simple)


def lesson_parse(*, text: str, path: str) -> LoadResult:
    """Parse lesson text. `lesson` is None when any problem was found."""
    return LessonParser(text, path).parse()


def lesson_file_load(*, path: Path, display_path: str | None = None) -> LoadResult:
    """Read and parse one lesson file; refuse what is not UTF-8 text with a problem."""
    shown = display_path or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return LoadResult(
            None,
            [
                Problem(
                    shown, 1, f"the file is not UTF-8 text ({error.reason} at byte {error.start})"
                )
            ],
        )
    except OSError as error:
        return LoadResult(None, [Problem(shown, 1, f"cannot read the file: {error.strerror}")])
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return LoadResult(None, [Problem(shown, line, "the file contains a null byte")])
    return lesson_parse(text=text, path=shown)
