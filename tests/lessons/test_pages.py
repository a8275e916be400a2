"""The catalogue and the lesson page, as a learner and as staff see them."""

from __future__ import annotations

import os
import re
import time

import pytest
from django.contrib.auth.models import User

from lessons.format import lesson_file_load
from tests.conftest import CONTENT, FIXTURE_SLUG, SEED_SLUG, lesson_files

pytestmark = pytest.mark.django_db

LESSON_URL = "/lessons/why-async-matters/"


def test_catalogue_lists_the_seed_lesson_with_its_facts(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/lessons/why-async-matters/"' in html
    assert "Why async matters in Django" in html
    assert "Django · about 30 minutes" in html
    assert "0/4 steps" in html


def test_the_catalogue_lists_every_lesson_with_its_own_progress(client):
    html = client.get("/").content.decode()
    for path in lesson_files():
        lesson = lesson_file_load(path=path).lesson
        assert lesson is not None
        card = html.split(f'href="/lessons/{lesson.slug}/"', 1)[1].split("</li>", 1)[0]
        assert f"0/{len(lesson.steps)} steps" in card
    seed_at = html.index(f'href="/lessons/{SEED_SLUG}/"')
    assert seed_at < html.index(f'href="/lessons/{FIXTURE_SLUG}/"'), "lessons follow `order`"


@pytest.mark.parametrize("path", lesson_files(), ids=lambda path: path.stem)
def test_every_lesson_has_a_page_of_its_own(client, path):
    lesson = lesson_file_load(path=path).lesson
    assert lesson is not None
    html = client.get(f"/lessons/{lesson.slug}/").content.decode()
    assert f"<h1>{lesson.title}" in html
    assert f"Progress 0/{len(lesson.steps)} steps" in html
    for step in lesson.steps:
        assert f'href="/lessons/{lesson.slug}/steps/{step.number}/"' in html
    others = [p for p in lesson_files() if p != path]
    for other in others:
        other_lesson = lesson_file_load(path=other).lesson
        assert other_lesson is not None
        if other_lesson.title not in path.read_text():  # unless this lesson names it
            assert other_lesson.title not in html
        assert f"/lessons/{other_lesson.slug}/steps/" not in html


def test_the_fixture_lessons_pages_never_show_the_seeds_view(client):
    for url in (f"/lessons/{FIXTURE_SLUG}/", f"/lessons/{FIXTURE_SLUG}/steps/2/"):
        html = client.get(url).content.decode()
        assert "slow_view" not in html, url
        assert "Done waiting!" not in html, url


def test_lesson_page_shows_the_whole_seed_lesson(client):
    html = client.get(LESSON_URL).content.decode()
    assert "<h1>Why async matters in Django" in html
    assert "Django · about 30 minutes" in html
    assert "Choose your learning style" in html
    assert "Practice questions" in html and "no test required" in html
    assert "Test this pattern" in html
    assert "10 questions across easy, medium and hard" in html
    for heading in (
        "Scenario",
        "Goal",
        "What you'll learn",
        "Why this matters",
        "Real world",
        "Career",
    ):
        assert heading in html
    assert "You are building a simple Django web app" in html
    assert "Build a Django view that uses asynchronous code" in html
    assert "Progress 0/4 steps" in html
    for label in ("DATA SETUP", "CONFIGURATION", "CORE LOGIC", "COMPLETION"):
        assert label in html
    assert "Return an HTTP response after waiting" in html


def test_lesson_page_has_landmarks_a_skip_link_and_ordered_headings(client):
    html = client.get(LESSON_URL).content.decode()
    assert '<a class="skip-link" href="#main">' in html
    for landmark in ("<header", "<main", "<nav", "<footer"):
        assert landmark in html
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_pages_load_nothing_from_another_host(client):
    for url in ("/", LESSON_URL):
        html = client.get(url).content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources
        assert all(not re.match(r"^(https?:)?//", source) for source in sources), sources


def test_unknown_lesson_is_a_404_page(client):
    response = client.get("/lessons/no-such-lesson/")
    assert response.status_code == 404


def test_a_broken_edit_keeps_the_last_good_version_and_staff_see_why(client, lessons_dir):
    lesson_file = lessons_dir / "why-async-matters.md"
    assert client.get(LESSON_URL).status_code == 200
    text = lesson_file.read_text()
    broken = text.replace("Difficulty: easy\nTeaches:", "Difficulty: tricky\nTeaches:", 1)
    lesson_file.write_text(broken)
    os.utime(lesson_file, ns=(time.time_ns(), time.time_ns() + 10**9))

    response = client.get(LESSON_URL)
    assert response.status_code == 200
    assert "You are building a simple Django web app" in response.content.decode()
    assert "unknown difficulty" not in response.content.decode()

    staff = User.objects.create_user("teacher", password="pw", is_staff=True)
    client.force_login(staff)
    html = client.get(LESSON_URL).content.decode()
    line = broken[: broken.index("Difficulty: tricky")].count("\n") + 1
    assert f"lessons/content/why-async-matters.md:{line}: unknown difficulty `tricky`" in html or (
        f"why-async-matters.md:{line}: unknown difficulty `tricky`" in html
    )


def test_staff_find_the_instructor_pages_from_the_lesson_page(client):
    assert "live preview of the lesson file" not in client.get(LESSON_URL).content.decode()
    staff = User.objects.create_user("teacher", password="pw", is_staff=True)
    client.force_login(staff)
    html = client.get(LESSON_URL).content.decode()
    assert f'href="{LESSON_URL}preview/">live preview of the lesson file' in html
    assert f'href="{LESSON_URL}insights/">what learners get wrong' in html


def test_live_preview_follows_the_file_for_staff_only(client, lessons_dir):
    assert client.get(LESSON_URL + "preview/").status_code == 302  # to the login page
    staff = User.objects.create_user("teacher", password="pw", is_staff=True)
    client.force_login(staff)
    page = client.get(LESSON_URL + "preview/")
    assert page.status_code == 200
    version = re.search(r'"version": "([^"]+)"', page.content.decode()).group(1)
    unchanged = client.get(LESSON_URL + "preview/", {"version": version}, HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204

    lesson_file = lessons_dir / "why-async-matters.md"
    lesson_file.write_text(lesson_file.read_text().replace("minutes: 30", "minutes: 25"))
    os.utime(lesson_file, ns=(time.time_ns(), time.time_ns() + 2 * 10**9))
    changed = client.get(LESSON_URL + "preview/", {"version": version}, HTTP_HX_REQUEST="true")
    assert changed.status_code == 200
    assert "about 25 minutes" in changed.content.decode()
    assert "<html" not in changed.content.decode()


def test_insights_count_what_learners_get_wrong(client):
    from exercises.models import QuizAnswer, StepAttempt

    for learner in ("a", "b"):
        StepAttempt.objects.create(
            learner=learner,
            lesson_slug="why-async-matters",
            step_number=3,
            code="x",
            status="failed",
            passed=False,
            failed=["No blocking `time.sleep`"],
        )
    # The learner's second try at the same question is not a second answer.
    for option_id in ("should-be-sync", "await-missing"):
        QuizAnswer.objects.create(
            learner="a",
            lesson_slug="why-async-matters",
            question_id="identify-the-error",
            option_id=option_id,
            correct=option_id == "await-missing",
        )
    staff = User.objects.create_user("teacher", password="pw", is_staff=True)
    client.force_login(staff)
    html = client.get(LESSON_URL + "insights/").content.decode()
    assert 'No blocking <code>time.sleep</code> <span class="meta">(2×)</span>' in html
    assert "0% right of 1 answer" in html


def test_head_requests_work_for_link_checkers_and_health_checks(client):
    for url in ("/", LESSON_URL, "/healthz/", "/demo/", LESSON_URL + "steps/1/"):
        assert client.head(url).status_code == 200, url


TRACK = ["why-async-matters", "async-database-queries", "wait-for-two-things"]


def test_the_catalogue_shows_the_async_django_track_in_order_with_each_ones_progress(client):
    lesson = lesson_file_load(path=CONTENT / "async-database-queries.md").lesson
    assert lesson is not None
    passed = client.post(
        "/lessons/async-database-queries/steps/1/check/", {"code": lesson.steps[0].solution}
    )
    assert passed.status_code == 200

    html = client.get("/").content.decode()
    track = html.split('">Async Django</h3>', 1)[1]
    track = track.split("</ul>", 1)[0]
    positions = [track.index(f'href="/lessons/{slug}/"') for slug in TRACK]
    assert positions == sorted(positions), "the track's lessons follow `order`"
    cards = {
        slug: track.split(f'href="/lessons/{slug}/"', 1)[1].split("</li>", 1)[0] for slug in TRACK
    }
    assert "1/4 steps" in cards["async-database-queries"]
    assert "0/4 steps" in cards["why-async-matters"]
    assert "0/4 steps" in cards["wait-for-two-things"]
    assert (
        'Take first: <a href="/lessons/why-async-matters/">Why async matters in Django</a>'
        in cards["wait-for-two-things"]
    )
    assert f'href="/lessons/{FIXTURE_SLUG}/"' not in track  # a lesson of no track


def test_a_draft_is_shown_to_staff_only(client, lessons_dir):
    path = lessons_dir / f"{FIXTURE_SLUG}.md"
    path.write_text(path.read_text().replace("test_size: 3\n", "test_size: 3\ndraft: yes\n", 1))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))

    assert f'href="/lessons/{FIXTURE_SLUG}/"' not in client.get("/").content.decode()
    assert client.get(f"/lessons/{FIXTURE_SLUG}/").status_code == 404
    client.force_login(User.objects.create_user("teacher", password="pw", is_staff=True))
    assert f'href="/lessons/{FIXTURE_SLUG}/"' in client.get("/").content.decode()
    assert client.get(f"/lessons/{FIXTURE_SLUG}/").status_code == 200


@pytest.mark.parametrize("page", ["steps/1/", "practice/", "test/", "parsons/", "review/"])
def test_staff_can_try_every_page_of_a_draft_and_learners_none(client, lessons_dir, page):
    path = lessons_dir / f"{FIXTURE_SLUG}.md"
    path.write_text(path.read_text().replace("test_size: 3\n", "test_size: 3\ndraft: yes\n", 1))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))

    assert client.get(f"/lessons/{FIXTURE_SLUG}/{page}").status_code == 404
    client.force_login(User.objects.create_user("teacher", password="pw", is_staff=True))
    assert client.get(f"/lessons/{FIXTURE_SLUG}/{page}").status_code == 200


@pytest.mark.parametrize("slug", TRACK)
def test_see_it_run_opens_the_lab_on_this_lessons_views(client, slug):
    html = client.get(f"/lessons/{slug}/").content.decode()
    see = html.split('id="see"', 1)[1].split("</section>", 1)[0]
    assert f'href="/demo/?lesson={slug}"' in see


def test_a_lesson_without_a_demo_links_no_lab(client):
    html = client.get(f"/lessons/{FIXTURE_SLUG}/").content.decode()
    see = html.split('id="see"', 1)[1].split("</section>", 1)[0]
    assert "/demo/" not in see
    assert "This lesson has no live demo." in see


@pytest.mark.parametrize("slug", TRACK)
def test_the_read_stage_explains_every_concept_the_questions_teach(client, slug):
    lesson = lesson_file_load(path=CONTENT / f"{slug}.md").lesson
    assert lesson is not None and lesson.concepts
    read = client.get(f"/lessons/{slug}/").content.decode().split('id="read"', 1)[1]
    read = read.split('id="build"', 1)[0]
    for concept in lesson.concepts:
        assert f'id="concept-{concept.id}"' in read
    taught = {question.teaches for question in lesson.questions if question.teaches}
    concept_ids = {concept.id for concept in lesson.concepts}
    steps = {f"step-{step.number}" for step in lesson.steps}
    assert taught <= concept_ids | steps


def test_an_editors_hidden_copy_of_a_lesson_is_not_a_lesson(client, lessons_dir):
    # Emacs keeps `.#name.md` while a file is being edited; a hidden file is never served.
    hidden = lessons_dir / f".#{FIXTURE_SLUG}.md"
    text = (lessons_dir / f"{FIXTURE_SLUG}.md").read_text()
    hidden.write_text(text.replace("title: ", "title: Hidden copy of ", 1))

    client.force_login(User.objects.create_user("teacher", password="pw", is_staff=True))
    catalogue = client.get("/").content.decode()
    assert "Hidden copy of" not in catalogue
    assert hidden.name not in catalogue  # nor a problem for instructors to fix
    assert f'href="/lessons/{FIXTURE_SLUG}/"' in catalogue
