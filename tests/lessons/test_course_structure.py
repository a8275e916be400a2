"""What instructors control from a lesson's front matter and sections, as learners and staff
see it; and what survives a restart or an invalid file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import checks

from lessons import selectors
from tests.conftest import SEED_SLUG

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DATABASE_LESSON = Path(__file__).parent / "validator" / "query-the-database.md"


def touch(path: Path) -> None:
    """A new modification time, so the cache sees a new version whatever the clock says."""
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))


def restart() -> None:
    """What a new server process knows: nothing in memory."""
    with selectors._lock:
        selectors._states.clear()


@pytest.fixture
def two_lessons(lessons_dir: Path) -> Path:
    (lessons_dir / DATABASE_LESSON.name).write_text(DATABASE_LESSON.read_text())
    return lessons_dir


def test_a_restart_with_a_broken_file_serves_the_last_good_version(client, lessons_dir):
    url = f"/lessons/{SEED_SLUG}/"
    assert client.get(url).status_code == 200  # parsed once: kept as the last good version
    path = lessons_dir / f"{SEED_SLUG}.md"
    path.write_text(path.read_text().replace("Difficulty: easy", "Difficulty: tricky", 1))
    touch(path)
    restart()
    response = client.get(url)
    assert response.status_code == 200
    assert "You are building a simple Django web app" in response.content.decode()
    assert client.get(f"/lessons/{SEED_SLUG}/steps/1/").status_code == 200


def test_a_restart_with_a_renamed_broken_file_still_serves_the_lesson(client, lessons_dir):
    assert client.get(f"/lessons/{SEED_SLUG}/").status_code == 200
    path = lessons_dir / f"{SEED_SLUG}.md"
    path.rename(lessons_dir / "why-async-matters-2.md")
    restart()
    assert client.get(f"/lessons/{SEED_SLUG}/").status_code == 200


def test_without_a_kept_version_a_broken_file_is_not_served(
    client, lessons_dir, settings, tmp_path
):
    settings.LESSON_CACHE_DIR = tmp_path / "empty-cache"
    path = lessons_dir / f"{SEED_SLUG}.md"
    path.write_text(path.read_text().replace("Difficulty: easy", "Difficulty: tricky", 1))
    touch(path)
    restart()
    assert client.get(f"/lessons/{SEED_SLUG}/").status_code == 404


def test_the_system_check_counts_problems_and_names_the_command(lessons_dir):
    path = lessons_dir / f"{SEED_SLUG}.md"
    text = path.read_text()
    path.write_text(
        text.replace("Difficulty: easy", "Difficulty: tricky", 1).replace(
            "minutes: 30", "minutes: soon", 1
        )
    )
    messages = checks.run_checks(tags=["lessons"])
    assert len(messages) == 1
    assert messages[0].msg.startswith("2 problems in 1 lesson file(s)")
    assert "validate_lessons" in (messages[0].hint or "")


def test_check_code_works_on_a_lesson_that_was_never_valid(tmp_path):
    lessons = tmp_path / "content"
    lessons.mkdir()
    broken = DATABASE_LESSON.read_text().replace("minutes: 20", "minutes: soon", 1)
    (lessons / DATABASE_LESSON.name).write_text(broken)
    code = (
        b"from blog.models import Article\n\n"
        b"async def article_detail(request, pk):\n"
        b"    article = Article.objects.get(pk=pk)\n"
    )
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "COURSE_LESSONS_DIR": str(lessons),
        "COURSE_LESSON_CACHE_DIR": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check_code", "query-the-database", "1", "-"],
        input=code,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["status"] == "failed"
    messages = " ".join(item["message"] for item in report["feedback"])
    assert "await Article.objects.aget(pk=pk)" in messages
    assert b"System check" not in result.stderr
    assert b"has 1 problem(s); checked against the file as it is now" in result.stderr


def test_the_catalogue_groups_tracks_and_says_what_comes_first(client, two_lessons):
    html = client.get("/").content.decode()
    assert "Async Django" in html
    card = html.split('href="/lessons/query-the-database/"', 1)[1].split("</li>", 1)[0]
    assert (
        'Take first: <a href="/lessons/why-async-matters/">Why async matters in Django</a>' in card
    )


def test_the_lesson_page_shows_only_its_own_demo(client, two_lessons):
    html = client.get("/lessons/query-the-database/").content.decode()
    see = html.split('id="see"', 1)[1].split("</section>", 1)[0]
    assert "#view-async" in see
    for other in ("#view-sync", "#view-blocking", "#view-no-await"):
        assert other not in see
    seed = client.get(f"/lessons/{SEED_SLUG}/").content.decode().split('id="see"', 1)[1]
    seed = seed.split("</section>", 1)[0]
    # The seed's own lab (the demo app has views for it), each of its views anchored.
    assert f'href="/demo/?lesson={SEED_SLUG}#view-blocking"' in seed


def test_a_lesson_without_demo_shows_none(client, two_lessons):
    path = two_lessons / DATABASE_LESSON.name
    path.write_text(path.read_text().replace("demo: [async]\n", "", 1))
    touch(path)
    see = client.get("/lessons/query-the-database/").content.decode().split('id="see"', 1)[1]
    see = see.split("</section>", 1)[0]
    assert "#view-" not in see
    assert "Open the demo lab" not in see
    assert "This lesson has no live demo." in see


def test_concepts_come_before_the_steps(client, two_lessons):
    html = client.get("/lessons/query-the-database/").content.decode()
    assert 'id="concepts"' in html
    assert html.index('id="concepts"') < html.index('id="build"')
    assert "The async ORM" in html and 'id="concept-async-orm"' in html


def test_a_draft_is_for_staff_only(client, two_lessons):
    path = two_lessons / DATABASE_LESSON.name
    path.write_text(
        path.read_text().replace("track: async-django", "track: async-django\ndraft: yes")
    )
    touch(path)
    assert client.get("/lessons/query-the-database/").status_code == 404
    assert 'href="/lessons/query-the-database/"' not in client.get("/").content.decode()
    staff = User.objects.create_user("teacher", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get("/lessons/query-the-database/").status_code == 200
    assert "Draft: staff only" in client.get("/").content.decode()
    assert client.get("/lessons/query-the-database/preview/").status_code == 200


def test_the_preview_shows_a_lesson_that_was_never_valid(client, two_lessons, settings, tmp_path):
    settings.LESSON_CACHE_DIR = tmp_path / "empty-cache"
    path = two_lessons / DATABASE_LESSON.name
    path.write_text(path.read_text().replace("minutes: 20", "minutes: soon", 1))
    touch(path)
    restart()
    staff = User.objects.create_user("teacher", password="pw", is_staff=True)
    client.force_login(staff)
    response = client.get("/lessons/query-the-database/preview/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "`minutes:` must be a whole number above 0" in html or "must be a whole number" in html
    assert "Fetch the article" in html
    assert client.get("/lessons/query-the-database/").status_code == 404
