"""The lesson format: what parses, and the exact `file:line: problem` messages for what does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessons.format import lesson_file_load, lesson_parse
from lessons.options import option_letters, option_references_resolve

SEED = Path(__file__).resolve().parents[2] / "lessons" / "content" / "why-async-matters.md"
MALFORMED = Path(__file__).parent / "malformed"

MINIMAL = """\
---
slug: tiny
title: Tiny
framework: Django
minutes: 5
---

# Scenario

A scenario.

# Goal

A goal.

# What you'll learn

- One thing.

# Why it matters

## Real world

Reasons.

## Career

More reasons.

# Step 1: Write it

Label: DATA SETUP

Write `x = 1`.

## Starter

```python
```

## Solution

```python
x = 1
```

## Hints

1. Assign one.

## Expect: `x` is 1

```python
x = 1
```

Missing: Set `x = 1`.

# Question: pick-one

Difficulty: easy

Which?

## Options

- [x] yes-one: The right one
- [ ] no-one: The wrong one
  Feedback for the wrong one.

## Solution

1. Because [[yes-one]] is right.

## Hint

Think.

## Common mistakes

- Picking [[no-one]]
"""


def problems_of(text: str, path: str = "lessons/content/tiny.md") -> list[str]:
    return [str(problem) for problem in lesson_parse(text=text, path=path).problems]


def test_minimal_lesson_parses_into_typed_objects():
    result = lesson_parse(text=MINIMAL, path="lessons/content/tiny.md")
    assert result.problems == []
    lesson = result.lesson
    assert lesson is not None
    assert (lesson.slug, lesson.title, lesson.minutes) == ("tiny", "Tiny", 5)
    step = lesson.steps[0]
    assert (step.number, step.label, step.title) == (1, "DATA SETUP", "Write it")
    assert step.solution == "x = 1\n"
    assert step.checks[0].pattern == "x = 1\n"
    assert step.checks[0].message == "Set `x = 1`."
    question = lesson.questions[0]
    assert question.correct_option.id == "yes-one"
    assert question.option("no-one").feedback_html == "<p>Feedback for the wrong one.</p>"


def test_seed_lesson_has_four_steps_and_a_bank_with_the_seeds_five():
    result = lesson_file_load(path=SEED)
    assert result.problems == []
    lesson = result.lesson
    assert [step.label for step in lesson.steps] == [
        "DATA SETUP",
        "CONFIGURATION",
        "CORE LOGIC",
        "COMPLETION",
    ]
    assert len(lesson.questions) >= 12
    for difficulty in ("easy", "medium", "hard"):
        assert sum(q.difficulty == difficulty for q in lesson.questions) >= 3
    practice = lesson.practice_questions
    assert [q.difficulty for q in practice] == ["easy", "easy", "medium", "medium", "hard"]
    assert "Why is using async views in Django important?" in practice[0].prompt_html
    assert practice[1].correct_option.text == "`async def view(request):`"
    assert practice[3].correct_option.id == "await-missing"
    assert all(sum(o.correct for o in q.options) == 1 for q in lesson.questions)


def test_seed_lesson_keeps_the_seed_text():
    lesson = lesson_file_load(path=SEED).lesson
    assert "understand how\nasynchronous code can help" in lesson.scenario_html
    assert "without blocking other\nrequests" in lesson.goal_html
    assert lesson.framework == "Django" and lesson.minutes == 30
    assert "Done waiting!" in lesson.steps[3].solution


def test_option_references_render_the_letters_the_learner_sees():
    lesson = lesson_parse(text=MINIMAL, path="lessons/content/tiny.md").lesson
    question = lesson.questions[0]
    shuffled = option_letters(["no-one", "yes-one"])
    html = option_references_resolve(question.solution_html[0], question, shuffled)
    assert "<strong>B</strong> (“The right one”)" in html
    assert "[[" not in html


def test_markdown_is_sanitized():
    text = MINIMAL.replace("A scenario.", "A scenario <script>alert(1)</script> here.")
    lesson = lesson_parse(text=text, path="lessons/content/tiny.md").lesson
    assert "<script>" not in lesson.scenario_html


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("---\nslug: tiny\n", "---\n"),
            "lessons/content/tiny.md:1: front matter is missing `slug:`",
        ),
        (
            ("minutes: 5", "minutes: soon"),
            "lessons/content/tiny.md:5: `minutes:` must be a whole number above 0, not `soon`",
        ),
        (("# Goal\n\nA goal.\n\n", ""), "lessons/content/tiny.md:1: missing section `# Goal`"),
        (
            ("## Career\n\nMore reasons.\n", ""),
            "lessons/content/tiny.md:20: `# Why it matters` is missing `## Career`",
        ),
        (
            ("Difficulty: easy", "Difficulty: tricky"),
            "lessons/content/tiny.md:61: unknown difficulty `tricky`; use easy, medium or hard",
        ),
        (
            ("- [ ] no-one: The wrong one", "- [x] no-one: The wrong one"),
            "lessons/content/tiny.md:65: question `pick-one` has 2 right options "
            "(yes-one, no-one); mark exactly one with `- [x]`",
        ),
        (
            ("- [x] yes-one: The right one", "- [ ] yes-one: The right one"),
            "lessons/content/tiny.md:65: question `pick-one` has no right option: mark exactly "
            "one with `- [x]`",
        ),
        (
            ("## Solution\n\n```python\nx = 1\n```\n\n", ""),
            "lessons/content/tiny.md:30: Step 1 has no `## Solution`",
        ),
        (
            ("```python\nx = 1\n```\n\nMissing", "```pythn\nx = 1\n```\n\nMissing"),
            "lessons/content/tiny.md:53: unknown code fence language `pythn`",
        ),
        (
            ("Label: DATA SETUP\n", ""),
            "lessons/content/tiny.md:30: Step 1 needs a `Label:` line (for example "
            "`Label: DATA SETUP`)",
        ),
        (
            ("1. Because [[yes-one]] is right.", "1. Because [[rite]] is right."),
            "lessons/content/tiny.md:73: `[[rite]]` names no option of question `pick-one`",
        ),
        (
            ("# Goal", "# Goals"),
            "lessons/content/tiny.md:12: unknown section `# Goals`; expected one of: Scenario, "
            "Goal, What you'll learn, Why it matters, Concepts, Step N: title, Question: id",
        ),
        (
            ("# Step 1: Write it", "# Step 2: Write it"),
            "lessons/content/tiny.md:30: steps must be numbered 1, 2, 3…: expected Step 1, "
            "found Step 2",
        ),
        (
            ("Missing: Set `x = 1`.", ""),
            "lessons/content/tiny.md:51: check “`x` is 1” needs a `Missing:` line: what to "
            "tell the learner when it is missing",
        ),
        (
            ("- [ ] no-one: The wrong one", "- no-one: The wrong one"),
            "lessons/content/tiny.md:68: an option must look like `- [x] option-id: text` (the "
            "right one) or `- [ ] option-id: text`",
        ),
    ],
)
def test_each_mistake_is_named_with_its_line(change, expected):
    old, new = change
    assert old in MINIMAL
    problems = problems_of(MINIMAL.replace(old, new, 1))
    assert expected in problems, problems


def test_option_ids_that_give_the_answer_away_are_refused():
    text = MINIMAL.replace("- [x] yes-one:", "- [x] correct-one:").replace(
        "[[yes-one]]", "[[correct-one]]"
    )
    assert problems_of(text) == [
        "lessons/content/tiny.md:67: option id `correct-one` gives the answer away to anyone "
        "reading the quiz API; name the option's idea instead (ids are sent to learners, "
        "letters are not)"
    ]


def test_a_file_with_problems_yields_no_lesson():
    result = lesson_parse(text=MINIMAL.replace("Difficulty: easy", "Difficulty: x"), path="t.md")
    assert result.lesson is None


def test_duplicate_question_ids_are_named_with_both_lines():
    question = MINIMAL[MINIMAL.index("# Question: pick-one") :]
    problems = problems_of(MINIMAL + "\n" + question)
    assert any("duplicate question id `pick-one` (also on line 59)" in p for p in problems)


def test_unclosed_front_matter_and_fence():
    assert problems_of("---\nslug: x\n") == [
        "lessons/content/tiny.md:1: the front matter is not closed: add a line `---` after it",
        *problems_of("---\nslug: x\n")[1:],
    ]
    unclosed = MINIMAL + "\n```python\nx = 1\n"
    assert "lessons/content/tiny.md:83: this code fence is never closed" in problems_of(unclosed)


def test_not_utf8_and_null_bytes_are_refused_with_a_message(tmp_path):
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"---\n\xff\xfe\n")
    assert "not UTF-8 text" in str(lesson_file_load(path=binary).problems[0])
    nulls = tmp_path / "nulls.md"
    nulls.write_text("---\nslug: a\x00\n---\n")
    assert str(lesson_file_load(path=nulls).problems[0]).endswith(
        ":2: the file contains a null byte"
    )


def test_malformed_fixture_files_give_exactly_their_expected_messages():
    """Each malformed/NAME.md has a NAME.expected beside it: one `line: message` a line."""
    files = sorted(MALFORMED.glob("*.md"))
    assert len(files) >= 3
    for path in files:
        expected = path.with_suffix(".expected").read_text().splitlines()
        got = [f"{p.line}: {p.message}" for p in lesson_file_load(path=path).problems]
        assert got == expected, path.name
