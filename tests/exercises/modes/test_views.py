"""Each mode's page, without JavaScript: a GET, a plain form post, progress kept, and no
answer shown before the learner has tried."""

from __future__ import annotations

import html
import re

import pytest
from django.utils.html import strip_tags

from exercises.models import ModeProgress, ReviewCard
from exercises.modes import blanks, fix
from lessons.selectors import lesson_get
from tests.conftest import FIXTURE_SLUG, SEED_SLUG
from tests.exercises.modes.helpers import parsons_post, solution_layout

pytestmark = pytest.mark.django_db

SLUGS = [SEED_SLUG, FIXTURE_SLUG]
PAGES = [
    "concepts/",
    "worked-example/",
    "worked-example/faded/",
    "parsons/",
    "fill-in/",
    "fix-the-bug/",
    "fix-the-bug/1/",
    "from-scratch/",
    "review/",
]
KEYS = [
    "concepts",
    "worked-example",
    "build",
    "parsons",
    "fill-in",
    "fix-the-bug",
    "from-scratch",
    "predict",
    "practice",
    "review",
    "test",
]


def text_of(markup: str) -> str:
    return " ".join(html.unescape(strip_tags(markup)).split())


def progress(slug: str, mode: str) -> ModeProgress:
    return ModeProgress.objects.get(lesson_slug=slug, mode=mode)


def feedback(response) -> str:
    match = re.search(r'id="feedback"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    assert match, "every mode page has its feedback region"
    return text_of(match.group(1))


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_mode_page_answers_with_a_live_region(client, slug, page):
    response = client.get(f"/lessons/{slug}/{page}")
    assert response.status_code == 200
    body = response.content.decode()
    # Pages with something to answer announce feedback in a live region.
    if page not in ("worked-example/", "fix-the-bug/"):
        assert 'role="status"' in body
    assert "not available for this lesson" not in body


@pytest.mark.parametrize("slug", SLUGS)
def test_the_chooser_lists_the_ten_modes_and_the_test(client, slug):
    body = client.get(f"/lessons/{slug}/").content.decode()
    assert "Choose your learning style" in body
    for key in KEYS:
        assert f'data-mode="{key}"' in body, key
    if lesson_get(slug=slug).demo:
        assert f'href="/demo/?lesson={slug}" data-mode="predict"' in body
    else:  # no lab to send the learner to (it would be a 404)
        predict = re.search(r'data-mode="predict".*?</li>', body, re.S).group(0)
        assert "Not available: This lesson has no live demo." in predict
        assert "href" not in predict
    assert f'href="/lessons/{slug}/steps/1/" data-mode="build"' in body
    assert body.count("Not started") >= 9
    assert "about 3 min" in body
    # A new learner is not sent to the test first.
    recommended = re.search(r'data-recommended="([a-z-]+)"', body).group(1)
    assert recommended == "concepts"


def test_the_chooser_shows_progress_and_sends_the_learner_to_cards_that_are_due(client):
    lesson = lesson_get(slug=SEED_SLUG)
    client.post(f"/lessons/{SEED_SLUG}/parsons/", parsons_post(lesson, solution_layout(lesson)))
    client.post(
        f"/lessons/{SEED_SLUG}/review/rate/", {"card": "q:why-async-views", "rating": "good"}
    )
    body = client.get(f"/lessons/{SEED_SLUG}/").content.decode()
    item = re.search(r'data-mode="parsons".*?</li>', body, re.S).group(0)
    assert 'data-state="done"' in item and "Done" in item
    due = len(lesson.questions) + len(lesson.concepts) - 1  # every card but the one rated
    review_item = re.search(r'data-mode="review".*?</li>', body, re.S).group(0)
    assert f"{due} due" in review_item
    assert 'data-recommended="review"' in body


def test_the_chooser_follows_the_learner_after_the_page_was_seen(client):
    # The chooser's markup is kept per state: a learner's own progress shows at once, and
    # another learner still sees the modes not started.
    def parsons_state(body: str) -> str:
        item = re.search(r'data-mode="parsons".*?</li>', body, re.S).group(0)
        return re.search(r'data-state="([a-z_]+)"', item).group(1)

    lesson = lesson_get(slug=SEED_SLUG)
    assert parsons_state(client.get(f"/lessons/{SEED_SLUG}/").content.decode()) == "not_started"
    client.post(f"/lessons/{SEED_SLUG}/parsons/", parsons_post(lesson, solution_layout(lesson)))
    assert parsons_state(client.get(f"/lessons/{SEED_SLUG}/").content.decode()) == "done"
    client.cookies.clear()
    assert parsons_state(client.get(f"/lessons/{SEED_SLUG}/").content.decode()) == "not_started"


def test_predict_counts_the_views_predicted_and_run_until_each_has_been(client):
    def predict_card() -> str:
        body = client.get(f"/lessons/{SEED_SLUG}/").content.decode()
        return text_of(re.search(r'data-mode="predict".*?</li>', body, re.S).group(0))

    def browser_run(mode: str, prediction: str) -> None:
        measured = {"mode": mode, "n": "6", "elapsed": "0.31", "threads": "1"}
        measured |= {"prediction": prediction, "lesson": SEED_SLUG}
        assert client.post("/demo/browser-run/record/", measured).status_code == 200

    views = lesson_get(slug=SEED_SLUG).demo
    assert "Not started" in predict_card()
    browser_run(views[0], prediction="")  # a run without a prediction is not one
    assert "Not started" in predict_card()
    browser_run(views[0], prediction="0.3")
    browser_run(views[0], prediction="2")
    assert f"1 of {len(views)} views predicted" in predict_card()
    for view in views[1:]:
        browser_run(view, prediction="1")
    assert "Done" in predict_card()


def test_the_test_is_not_recommended_before_any_building(client):
    lesson = lesson_get(slug=FIXTURE_SLUG)
    client.post(
        f"/lessons/{FIXTURE_SLUG}/concepts/",
        {f"q-{q.id}": q.correct_option.id for q in lesson.practice_questions or lesson.questions},
    )
    body = client.get(f"/lessons/{FIXTURE_SLUG}/").content.decode()
    assert 'data-recommended="build"' in body


# --- no-JS posts -------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_parsons_by_plain_form_post(client, slug):
    lesson = lesson_get(slug=slug)
    wrong = client.post(
        f"/lessons/{slug}/parsons/", parsons_post(lesson, solution_layout(lesson)[::-1])
    )
    assert wrong.status_code == 200 and "Not yet" in feedback(wrong)
    assert progress(slug, "parsons").state == "in_progress"
    right = client.post(f"/lessons/{slug}/parsons/", parsons_post(lesson, solution_layout(lesson)))
    assert "Right: the program passes every check" in feedback(right)
    assert progress(slug, "parsons").state == "done"


def test_parsons_with_a_distractor_says_how_many_traps_without_naming_them(client):
    lesson = lesson_get(slug=SEED_SLUG)
    layout = [*solution_layout(lesson), ("time.sleep(WAIT_TIME)", 1)]
    response = client.post(f"/lessons/{SEED_SLUG}/parsons/", parsons_post(lesson, layout))
    text = feedback(response)
    assert "Not yet" in text
    assert "1 of the lines you used comes from a program known to be wrong" in text


def test_parsons_bad_post_is_a_400_with_a_message(client):
    response = client.post(f"/lessons/{SEED_SLUG}/parsons/", {"position-1": "x"})
    assert response.status_code == 400
    assert "needs" in feedback(response)


@pytest.mark.parametrize("slug", SLUGS)
def test_fill_in_by_plain_form_post(client, slug):
    lesson = lesson_get(slug=slug)
    blanked = blanks.blanks_all(lesson)
    post = {f"blank-{n}": span.text for n, span in enumerate(blanked.spans, start=1)}
    response = client.post(f"/lessons/{slug}/fill-in/", {**post, "blank-1": "nope"})
    assert "Not yet" in feedback(response)
    assert 'value="nope"' in response.content.decode(), "what the learner typed stays"
    response = client.post(f"/lessons/{slug}/fill-in/", post)
    assert "Right" in feedback(response)
    assert progress(slug, "fill-in").state == "done"


@pytest.mark.parametrize("slug", SLUGS)
def test_fix_the_bug_is_done_only_when_the_checks_pass(client, slug):
    lesson = lesson_get(slug=slug)
    bugs = fix.bugs_list(lesson)
    url = f"/lessons/{slug}/fix-the-bug/1/"
    page = client.get(url).content.decode()
    assert html.escape(bugs[0].code.splitlines()[-1].strip(), quote=False) in page
    response = client.post(url, {"code": bugs[0].code, "action": "check"})
    text = feedback(response)
    assert "Not yet" in text and "Hint" in text
    # The first hint is the checker's message on the program as given.
    assert bugs[0].mistake.message.replace("`", "") in text
    assert progress(slug, "fix-the-bug").data.get("done", []) == []
    response = client.post(url, {"code": bugs[0].step.solution, "action": "check"})
    assert "Fixed" in feedback(response)
    assert progress(slug, "fix-the-bug").data["done"] == ["1"]
    assert progress(slug, "fix-the-bug").state == "in_progress"
    for bug in bugs[1:]:
        client.post(f"/lessons/{slug}/fix-the-bug/{bug.number}/", {"code": bug.step.solution})
    assert progress(slug, "fix-the-bug").state == "done"
    listing = client.get(f"/lessons/{slug}/fix-the-bug/").content.decode()
    assert listing.count("✓ Fixed") == len(bugs)


def test_fix_the_bug_hint_on_request_and_unknown_bug_is_404(client):
    response = client.post(
        f"/lessons/{FIXTURE_SLUG}/fix-the-bug/1/", {"code": "", "action": "hint"}
    )
    assert "plain `def`" in response.content.decode().replace("<code>", "`").replace("</code>", "`")
    assert client.get(f"/lessons/{FIXTURE_SLUG}/fix-the-bug/99/").status_code == 404


@pytest.mark.parametrize("slug", SLUGS)
def test_from_scratch_measures_time_on_the_server_and_keeps_the_best(client, slug):
    lesson = lesson_get(slug=slug)
    url = f"/lessons/{slug}/from-scratch/"
    client.get(url)
    response = client.post(url, {"code": lesson.steps[0].solution})
    assert "Not yet" in feedback(response)
    response = client.post(url, {"code": lesson.steps[-1].solution})
    assert "Your time:" in feedback(response)
    record = progress(slug, "from-scratch")
    assert record.state == "done" and record.best_seconds is not None and record.best_seconds >= 1


def test_from_scratch_refuses_code_that_is_not_text(client):
    response = client.post(
        f"/lessons/{SEED_SLUG}/from-scratch/",
        b"code=%FF%FE",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "UTF-8" in feedback(response)


def test_review_shows_the_front_then_the_back_then_schedules_the_rating(client):
    lesson = lesson_get(slug=FIXTURE_SLUG)
    url = f"/lessons/{FIXTURE_SLUG}/review/"
    first = lesson.questions[0]
    front = client.get(url).content.decode()
    assert f"{len(lesson.questions)} due today" in text_of(front)
    assert text_of(first.quick_check_html) not in text_of(front) if first.quick_check_html else True
    assert "Show the answer" in front and 'name="rating"' not in front
    back = client.get(url, {"card": f"q:{first.id}", "show": "1"}).content.decode()
    assert text_of(first.correct_option.text_html) in text_of(back)
    response = client.post(f"{url}rate/", {"card": f"q:{first.id}", "rating": "good"})
    assert response.status_code == 302
    card = ReviewCard.objects.get(card_key=f"q:{first.id}")
    assert card.reviews == 1 and card.fsrs_card["state"] is not None
    after = client.get(response["Location"]).content.decode()
    assert f"{len(lesson.questions) - 1} due today" in text_of(after)


def test_review_rejects_an_unknown_rating_with_a_message(client):
    response = client.post(
        f"/lessons/{SEED_SLUG}/review/rate/", {"card": "q:nope", "rating": "meh"}
    )
    assert response.status_code == 400
    assert "Choose Again, Hard, Good or Easy" in response.content.decode()


@pytest.mark.parametrize("slug", SLUGS)
def test_concepts_self_check_by_plain_form_post(client, slug):
    lesson = lesson_get(slug=slug)
    page = client.get(f"/lessons/{slug}/concepts/").content.decode()
    # The lesson's concepts when it has some, else its scenario.
    if lesson.concepts:
        assert lesson.concepts[0].title in text_of(page)
    else:
        assert text_of(lesson.scenario_html)[:40] in text_of(page)
    questions = (lesson.practice_questions or lesson.questions)[:3]
    right = {f"q-{q.id}": q.correct_option.id for q in questions}
    assert "of" in feedback(client.post(f"/lessons/{slug}/concepts/", right))
    assert progress(slug, "concepts").state == "done"


@pytest.mark.parametrize("slug", SLUGS)
def test_the_faded_worked_example_by_plain_form_post(client, slug):
    lesson = lesson_get(slug=slug)
    post = {f"step{item.step_number}-1": item.spans[0].text for item in blanks.blanks_faded(lesson)}
    response = client.post(f"/lessons/{slug}/worked-example/faded/", post)
    assert "Every step is right" in feedback(response)
    assert progress(slug, "worked-example").state == "done"


# --- nothing given away before trying ----------------------------------------------------


def code_lines(markup: str) -> list[str]:
    return [
        text_of(line) for line in re.findall(r'class="parsons__code"[^>]*>(.*?)</code>', markup)
    ]


@pytest.mark.parametrize("slug", SLUGS)
def test_no_mode_page_shows_an_answer_before_the_learner_tries(client, slug):
    lesson = lesson_get(slug=slug)
    solution = lesson.steps[-1].solution
    solution_text = text_of(html.escape(solution))
    for page in (
        "parsons/",
        "fill-in/",
        "from-scratch/",
        "fix-the-bug/1/",
        "worked-example/faded/",
    ):
        body = client.get(f"/lessons/{slug}/{page}").content.decode()
        assert solution_text not in text_of(body), page
    parsons_lines = code_lines(client.get(f"/lessons/{slug}/parsons/").content.decode())
    real = [text for text, _ in solution_layout(lesson)]
    assert [line for line in parsons_lines if line in real] != real
    fill_in = client.get(f"/lessons/{slug}/fill-in/").content.decode()
    assert "await" not in text_of(re.search(r"<pre.*?</pre>", fill_in, re.S).group(0))
    # The broken program's hint waits for a try.
    assert "Hint" not in feedback(client.get(f"/lessons/{slug}/fix-the-bug/1/"))
    concepts = client.get(f"/lessons/{slug}/concepts/").content.decode()
    review = client.get(f"/lessons/{slug}/review/").content.decode()
    for question in lesson.questions:
        for part in (question.quick_check_html, *question.solution_html):
            if part:
                assert text_of(part) not in text_of(concepts)
                assert text_of(part) not in text_of(review)
    assert "right answer" not in text_of(concepts).lower()
    assert "is-right" not in concepts and "is-wrong" not in concepts


def test_a_lesson_without_known_mistakes_shows_fix_the_bug_unavailable(client, lessons_dir):
    path = lessons_dir / f"{FIXTURE_SLUG}.md"
    text = path.read_text()
    # Every `## Mistake:` section goes, up to the next heading of any level.
    path.write_text(re.sub(r"## Mistake:.*?(?=\n#)", "", text, flags=re.S))
    body = client.get(f"/lessons/{FIXTURE_SLUG}/").content.decode()
    item = re.search(r'data-mode="fix-the-bug".*?</li>', body, re.S).group(0)
    assert "Not available" in item and "no known mistakes" in item
    assert "<a " not in item.split("</h3>")[0]
    page = client.get(f"/lessons/{FIXTURE_SLUG}/fix-the-bug/").content.decode()
    assert "not available for this lesson" in page
    # Parsons still works, without trap lines.
    lesson = lesson_get(slug=FIXTURE_SLUG)
    response = client.post(
        f"/lessons/{FIXTURE_SLUG}/parsons/", parsons_post(lesson, solution_layout(lesson))
    )
    assert "Right" in feedback(response)
