"""One validator run names every problem of a lesson with its own line, and the new keys
of the format (Concepts, Teaches, demo, track, prerequisites, draft) are read and checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from checker import submission_check
from lessons.checking import step_check, step_checks
from lessons.format import lesson_parse
from lessons.validation import lesson_files_validate

ROOT = Path(__file__).resolve().parents[2]
GOOD = Path(__file__).parent / "validator" / "query-the-database.md"
SEED = ROOT / "lessons" / "content" / "why-async-matters.md"

# Each change is one deliberate mistake; `marker` finds the line it must be reported on.
MISTAKES = [
    ("minutes: 20", "minutes: soon", "minutes: soon", "`minutes:` must be a whole number"),
    (
        "demo: [async]",
        "demo: [async, fireworks]",
        "demo:",
        "`demo:` names `fireworks`, which is no demo",
    ),
    (
        "prerequisites: [why-async-matters]",
        "prerequisites: [no-such-lesson]",
        "prerequisites:",
        "prerequisite `no-such-lesson` is no lesson",
    ),
    ("test_size: 2", "test_size: 5", "test_size:", "warning: `test_size: 5` is more than the 2"),
    ("order: 2", "order: 1", "order:", "warning: `order: 1` is also the order of"),
    (
        "Inside: article_detail\nCount: 1",
        "Insde: article_detail\nCount: 1",
        "Insde:",
        "unknown field `Insde:` (did you mean `Inside:`?); the fields allowed here are "
        "`Inside:`, `After:`, `Count:`, `Exact:`, `Missing:`",
    ),
    (
        "Message: raise Http404",
        "Mesage: raise Http404",
        "Mesage:",
        "unknown field `Mesage:` (did you mean `Message:`?)",
    ),
    (
        "await sync_to_async(__)(*__, **__)\n",
        "await sync_to_async(__)(*__, **__\n",
        "await sync_to_async(__)(*__, **__",
        "check 'the article is fetched asynchronously': pattern 2: the pattern does not parse",
    ),
    ("Teaches: step-2", "Teaches: step-7", "Teaches: step-7", "teaches `step-7`, but the lesson"),
    (
        "```python\nfrom blog.models import Article\n```",
        "```python\nfrom blog.models import\n```",
        "from blog.models import\n",
        "warning: Step 1's starter is not valid Python",
    ),
    (
        "Catch `Article.DoesNotExist` and raise `Http404`.",
        "Catch `Article.DoesNotExist` and raise `Http404`.\n\n![diagram](flow.png)",
        "![diagram]",
        "warning: images are not shown on the site",
    ),
    (
        "Message: aget",
        "Message: something nobody says",
        "## Mistake: the sync get",
        "mistake 'the sync get' of step 1: no feedback contains 'something nobody says'",
    ),
    (
        "        raise Http404('No such article')\n    return JsonResponse",
        "        pass\n    return JsonResponse",
        # The checker points at the first line it explains: the solution's `try`, which is
        # outside the misspelt `Inside:` function.
        "    try:\n        article = await",
        "step 2's solution does not pass its checks",
    ),
    (
        "Inside: article_detail\n\n```python\ntry:",
        "Inside: article_detial\n\n```python\ntry:",
        "Inside: article_detial",
        "`Inside: article_detial` names no function of step 2's solution (it defines "
        "`article_detail`)",
    ),
    (
        "## Mistake: no 404",
        "## Forbid: no print\n\n```python\nprint(__)\n```\n\nFound: No prints.\n\n"
        "## Mistake: no 404",
        "## Forbid: no print",
        "Forbid 'no print' never fires on any known mistake",
    ),
]


def line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def broken_lesson(tmp_path: Path) -> tuple[Path, str]:
    text = GOOD.read_text()
    for old, new, _, _ in MISTAKES:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / GOOD.name
    path.write_text(text)
    return path, text


def test_the_good_lesson_is_valid_beside_the_seed():
    assert lesson_files_validate([SEED, GOOD]) == []


def test_one_run_names_every_mistake_on_its_own_line(tmp_path):
    path, text = broken_lesson(tmp_path)
    shown = [str(problem) for problem in lesson_files_validate([SEED, path])]
    for _, _, marker, message in MISTAKES:
        line = line_of(text, marker)
        at = f"{path}:{line}: "
        assert any(item.startswith(at) and message in item for item in shown), (at, message)


def test_problems_come_in_line_order(tmp_path):
    path, _ = broken_lesson(tmp_path)
    lines = [problem.line for problem in lesson_files_validate([path])]
    assert lines == sorted(lines)


def test_the_command_lists_them_once_and_fails(tmp_path):
    path, _ = broken_lesson(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "validate_lessons", str(SEED), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "System check" not in result.stdout + result.stderr
    assert "Skipping check" not in result.stderr
    listed = [line for line in result.stdout.splitlines() if line.startswith(str(path))]
    assert len(listed) == len(set(listed)) >= len(MISTAKES)
    assert "warning(s) in 2 lesson file(s)" in result.stderr


def test_a_failure_that_follows_from_a_format_problem_says_so(tmp_path):
    # The 404 check loses its pattern, so the known mistake it caught now passes.
    text = GOOD.read_text().replace("```python\nraise Http404(__)\n```\n", "", 1)
    path = tmp_path / GOOD.name
    path.write_text(text)
    shown = [str(problem) for problem in lesson_files_validate([SEED, path])]
    cause = line_of(text, "## Expect: it answers 404")
    assert f"{path}:{cause}: `## Expect: it answers 404` needs a ```python code block" in shown
    mistake = line_of(text, "## Mistake: no 404")
    assert (
        f"{path}:{mistake}: mistake 'no 404' of step 2 passes the checks; it must fail "
        f"(perhaps because of the problem on line {cause})"
    ) in shown


def test_the_format_keys_are_read():
    lesson = lesson_parse(text=GOOD.read_text(), path=str(GOOD)).lesson
    assert lesson is not None
    assert lesson.demo == ("async",)
    assert lesson.track == "async-django"
    assert lesson.prerequisites == ("why-async-matters",)
    assert [concept.id for concept in lesson.concepts] == ["async-orm", "not-found"]
    assert "<code>aget</code>" in lesson.concepts[0].html
    assert [question.teaches for question in lesson.questions] == ["async-orm", "step-2"]
    first = lesson.steps[0].checks[0]
    assert first.alternatives == ("await sync_to_async(__)(*__, **__)\n",)
    assert lesson.steps[0].checks[1].count == 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Teaches: async-orm", "Teaches: asnyc-orm", "teaches `asnyc-orm`, which is no concept"),
        ("Id: not-found", "Id: async-orm", "duplicate concept id `async-orm`"),
        ("draft: no", "draft: maybe", "`draft:` must be yes or no"),
        ("track: async-django", "track: Async Django", "`track:` must be lowercase"),
        ("Label: QUERY", "Lable: QUERY", "unknown field `Lable:` (did you mean `Label:`?)"),
        ("Difficulty: easy", "Dificulty: easy", "unknown field `Dificulty:`"),
        ("Count: 1", "Count: once", "`Count:` must be a whole number above 0"),
    ],
)
def test_each_new_key_is_validated_with_its_line(old, new, message):
    text = GOOD.read_text().replace("track: async-django", "track: async-django\ndraft: no")
    assert old in text
    broken = text.replace(old, new, 1)
    problems = lesson_parse(text=broken, path="x/query-the-database.md").problems
    marker = new.split(":")[0] + ":"
    line = line_of(broken, new) if marker != "Id:" else line_of(broken, "Id: async-orm\n\nEach")
    matching = [p for p in problems if message in p.message]
    assert matching, [str(p) for p in problems]
    if "teaches" not in message and "duplicate" not in message:
        assert matching[0].line == line


def test_a_draft_is_read():
    text = GOOD.read_text().replace("track: async-django", "track: async-django\ndraft: yes")
    lesson = lesson_parse(text=text, path=str(GOOD)).lesson
    assert lesson is not None and lesson.draft


ORM_SUBMISSIONS = [
    ("    article = Article.objects.get(pk=pk)\n", "aget(pk=pk)"),
    ("    article = Article.objects.aget(pk=pk)\n", "without `await`"),
    ("    article = await Article.objects.filter(pk=pk).afirst()\n", "aget"),
]


@pytest.mark.parametrize(("line", "said"), ORM_SUBMISSIONS)
def test_async_orm_mistakes_get_named_through_the_lesson(line, said):
    lesson = lesson_parse(text=GOOD.read_text(), path=str(GOOD)).lesson
    assert lesson is not None
    code = (
        "from django.http import JsonResponse\nfrom blog.models import Article\n\n"
        "async def article_detail(request, pk):\n"
        + line
        + "    return JsonResponse({'title': article.title, 'id': article.pk})\n"
    )
    verdict = step_check(lesson=lesson, step_number=1, code=code)
    assert not verdict.passed
    assert any(said in item.message for item in verdict.failures), verdict.failures


def test_the_helper_alternative_passes():
    lesson = lesson_parse(text=GOOD.read_text(), path=str(GOOD)).lesson
    assert lesson is not None
    code = (
        "from asgiref.sync import sync_to_async\nfrom django.http import JsonResponse\n"
        "from blog.models import Article\n\n"
        "async def article_detail(req, pk):\n"
        "    article = await sync_to_async(Article.objects.get)(pk=pk)\n"
        "    return JsonResponse({'title': article.title, 'id': article.pk})\n"
    )
    verdict = submission_check(code=code, checks=step_checks(lesson=lesson, step_number=1))
    assert verdict.passed, verdict.failures


def test_a_later_solution_failing_on_an_earlier_steps_check_says_so(tmp_path):
    text = GOOD.read_text().replace(
        "await Article.objects.aget(**__)", "await Article.objects.aget(slug=__)", 1
    )
    path = tmp_path / GOOD.name
    path.write_text(text)
    shown = [str(problem) for problem in lesson_files_validate([SEED, path])]
    first = [item for item in shown if "step 1's solution does not pass" in item]
    second = [item for item in shown if "step 2's solution does not pass" in item]
    assert first and second, shown
    first_line = int(first[0].split(":")[1])
    assert f"(this follows from step 1's solution failing, on line {first_line}" in second[0]
