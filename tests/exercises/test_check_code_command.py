"""`manage.py check_code`: one JSON object, exit 0 passed / 1 not passed / 2 refused."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from checker import CheckSpec
from tests.factories import check, lesson, step

ROOT = Path(__file__).resolve().parents[2]
TINY = lesson(
    step(1, (check("import asyncio", message="Import asyncio."),), "import asyncio\n"),
    step(
        2,
        (CheckSpec("expect", "WAIT_TIME", "WAIT_TIME = 3", "Set WAIT_TIME.", "module"),),
        "import asyncio\nWAIT_TIME = 3\n",
    ),
)


@pytest.fixture(autouse=True)
def tiny_lesson(monkeypatch):
    monkeypatch.setattr(
        "exercises.api.checking.lesson_current_get",
        lambda *, slug: TINY if slug == TINY.slug else None,
    )


def run(*args: str, stdin: bytes = b"") -> tuple[int, dict[str, object]]:
    out = io.StringIO()
    fake_stdin = io.TextIOWrapper(io.BytesIO(stdin))
    old_stdin, sys.stdin = sys.stdin, fake_stdin
    try:
        call_command("check_code", *args, stdout=out)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    finally:
        sys.stdin = old_stdin
    return code, json.loads(out.getvalue())


def test_passing_code_exits_0(tmp_path):
    path = tmp_path / "view.py"
    path.write_text("import asyncio\nWAIT_TIME = 3\n")
    code, report = run("tiny", "2", str(path))
    assert code == 0
    assert report["passed"] is True
    assert (report["lesson"], report["step"], report["status"]) == ("tiny", 2, "passed")
    assert [item["label"] for item in report["feedback"]] == ["import asyncio", "WAIT_TIME"]


def test_checks_are_cumulative_and_failures_exit_1():
    code, report = run("tiny", "2", "-", stdin=b"WAIT_TIME = 3\n")
    assert code == 1
    assert report["passed"] is False
    assert report["feedback"][0]["message"] == "Import asyncio."


def test_stdin_is_the_default():
    code, report = run("tiny", "1", stdin=b"import asyncio\n")
    assert (code, report["passed"]) == (0, True)


def test_a_syntax_error_exits_1():
    code, report = run("tiny", "1", "-", stdin=b"def f(:\n")
    assert code == 1
    assert report["status"] == "syntax_error"
    assert report["feedback"][0]["line"] == 1


@pytest.mark.parametrize(
    ("args", "stdin", "error"),
    [
        (("nope", "1", "-"), b"", "There is no lesson 'nope'."),
        (("tiny", "3", "-"), b"", "Lesson 'tiny' has no step '3'; its steps are 1, 2."),
        (("tiny", "one", "-"), b"", "Lesson 'tiny' has no step 'one'"),
        (("tiny", "1", "-"), b"x = '\xff'\n", "The input is not UTF-8 text"),
        (("tiny", "1", "-"), b"x = 1\n" * 5_000, "Your code is over the limit of 20,000 bytes."),
        (("tiny", "1", "-"), b"x = 1\0\n", "Your code contains a null byte"),
        (("tiny", "1", "/no/such/file.py"), b"", "Cannot read /no/such/file.py"),
    ],
)
def test_refused_input_exits_2_with_an_error(args, stdin, error):
    code, report = run(*args, stdin=stdin)
    assert code == 2
    assert report["passed"] is False
    assert str(report["error"]).startswith(error)


def test_the_real_command_line_with_the_seed_lesson():
    solution = b"import asyncio\n\nasync def slow_view(request):\n    pass\n"
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check_code", "why-async-matters", "1", "-"],
        input=solution,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["passed"], report["lesson"], report["step"]) == (True, "why-async-matters", 1)
