"""`python manage.py validate_lessons` as an instructor runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import lesson_files

ROOT = Path(__file__).resolve().parents[2]
MALFORMED = Path(__file__).parent / "malformed"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "validate_lessons", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_lesson_file_of_the_suite_is_valid():
    # The suite's lessons directory (conftest) reaches the command through COURSE_LESSONS_DIR.
    result = run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(lesson_files())} lesson file(s) OK" in result.stdout
    assert len(lesson_files()) >= 2


def test_a_broken_file_gets_file_line_messages_and_a_failing_exit():
    path = MALFORMED / "broken-questions.md"
    result = run(str(path))
    assert result.returncode == 1
    expected = path.with_suffix(".expected").read_text().splitlines()
    lines = result.stdout.splitlines()
    shown = path.relative_to(ROOT)
    assert lines == [f"{shown}:{line}" for line in expected]
    assert "11 problems in 1 lesson file(s)" in result.stderr


def test_a_seed_solution_that_no_longer_passes_is_reported(tmp_path):
    seed = (ROOT / "lessons" / "content" / "why-async-matters.md").read_text()
    broken = seed.replace(
        "    await asyncio.sleep(WAIT_TIME)\n    return HttpResponse('Done waiting!')",
        "    return HttpResponse('Done waiting!')",
        1,
    )
    assert broken != seed
    path = tmp_path / "why-async-matters.md"
    path.write_text(broken)
    result = run(str(path))
    assert result.returncode == 1
    assert f"{path}:" in result.stdout
    assert "solution" in result.stdout.lower()


def test_two_files_that_claim_one_slug_are_named(tmp_path):
    seed = ROOT / "lessons" / "content" / "why-async-matters.md"
    copy = tmp_path / "why-async-matters.md"
    copy.write_text(seed.read_text())
    result = run(str(seed), str(copy))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{copy}:1: slug `why-async-matters` is used by lessons/content/why-async-matters.md too"
    ]
