"""Generating each mode from a lesson file, and grading it with the structural checker."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from exercises.modes import blanks, fix, parsons, review
from exercises.modes.catalog import MODE_KEYS, MODES
from exercises.modes.checks import modes_unavailable, modes_unavailable_check
from lessons.checking import step_check
from lessons.selectors import lesson_get
from tests.conftest import FIXTURE_SLUG, SEED_SLUG
from tests.exercises.modes.helpers import parsons_post, solution_layout

SLUGS = [SEED_SLUG, FIXTURE_SLUG]


@pytest.fixture(params=SLUGS)
def lesson(request):
    found = lesson_get(slug=request.param)
    assert found is not None
    return found


def test_the_ten_modes_and_the_test_have_the_agreed_keys():
    assert MODE_KEYS == (
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
    )


def test_every_mode_is_available_for_both_lessons(lesson):
    expected = dict.fromkeys(MODE_KEYS, "")
    if not lesson.demo:  # no lab to predict in: shown as unavailable, never a link to a 404
        expected["predict"] = "This lesson has no live demo."
    assert {mode.key: mode.unavailable(lesson) for mode in MODES} == expected


# --- Parsons ---------------------------------------------------------------------------


def test_parsons_shows_every_solution_line_shuffled_with_distractors_from_mistakes(lesson):
    puzzle = parsons.parsons_puzzle(lesson)
    solution = [text for text, _indent in solution_layout(lesson)]
    real = [block.text for block in puzzle.blocks if not block.distractor]
    assert sorted(real) == sorted(solution)
    assert real != solution, "the lines must not be shown already in order"
    distractors = [block.text for block in puzzle.blocks if block.distractor]
    assert distractors, "every lesson here has known mistakes to draw traps from"
    mistake_lines = {
        line.strip() for step in lesson.steps for m in step.mistakes for line in m.code.splitlines()
    }
    assert set(distractors) <= mistake_lines - set(solution)
    # The same puzzle on every request: a posted form names blocks by id.
    assert parsons.parsons_puzzle(lesson) == puzzle


def test_the_seed_puzzle_offers_the_blocking_sleep_beside_the_awaited_one():
    lesson = lesson_get(slug=SEED_SLUG)
    texts = [block.text for block in parsons.parsons_puzzle(lesson).blocks]
    assert "time.sleep(WAIT_TIME)" in texts and "await asyncio.sleep(WAIT_TIME)" in texts


def test_parsons_accepts_the_solution_order(lesson):
    result = parsons.parsons_grade(
        lesson=lesson, post=parsons_post(lesson, solution_layout(lesson))
    )
    assert result.passed, result.verdict


def test_parsons_accepts_another_order_the_checker_accepts():
    # The imports in the other order: not the file's order, but every check holds.
    lesson = lesson_get(slug=SEED_SLUG)
    layout = solution_layout(lesson)
    layout[0], layout[1] = layout[1], layout[0]
    assert layout[0][0].startswith("from django")
    code = "".join(f"{'    ' * indent}{text}\n" for text, indent in layout)
    assert step_check(lesson=lesson, step_number=4, code=code).passed
    assert parsons.parsons_grade(lesson=lesson, post=parsons_post(lesson, layout)).passed


def test_parsons_rejects_an_order_the_checker_rejects(lesson):
    layout = solution_layout(lesson)
    # The view's body before its def: the body lands at the top of the file.
    layout = layout[-1:] + layout[:-1]
    result = parsons.parsons_grade(lesson=lesson, post=parsons_post(lesson, layout))
    assert not result.passed


def test_parsons_rejects_a_wrong_indentation(lesson):
    layout = [(text, 0) for text, _indent in solution_layout(lesson)]
    assert not parsons.parsons_grade(lesson=lesson, post=parsons_post(lesson, layout)).passed


def test_parsons_rejects_every_distractor_even_where_the_checks_would_hold(lesson):
    puzzle = parsons.parsons_puzzle(lesson)
    for block in puzzle.blocks:
        if not block.distractor:
            continue
        # The distractor added to an otherwise right program, as the view's last line.
        layout = [*solution_layout(lesson), (block.text, 1)]
        result = parsons.parsons_grade(lesson=lesson, post=parsons_post(lesson, layout))
        assert not result.passed, block.text
        assert block in result.distractors_used


def test_parsons_swapping_the_real_line_for_its_twin_fails_the_checks():
    lesson = lesson_get(slug=SEED_SLUG)
    layout = [
        ("time.sleep(WAIT_TIME)", i) if text == "await asyncio.sleep(WAIT_TIME)" else (text, i)
        for text, i in solution_layout(lesson)
    ]
    result = parsons.parsons_grade(lesson=lesson, post=parsons_post(lesson, layout))
    assert not result.verdict.passed
    assert any("blocks the whole event loop" in item.message for item in result.verdict.failures)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"position-1": "99"}, "needs a position"),
        ({"indent-1": "7"}, "indentation of 0 to 3"),
        ({"position-1": "1", "position-2": "1"}, "share position 1"),
    ],
)
def test_parsons_explains_a_post_it_cannot_grade(lesson, change, message):
    post = parsons_post(lesson, solution_layout(lesson), extra=change)
    result = parsons.parsons_grade(lesson=lesson, post=post)
    assert message in result.problem and not result.passed


# --- Fill in the blanks ------------------------------------------------------------------


def test_fill_in_blanks_the_key_tokens_of_the_seed():
    blanked = blanks.blanks_all(lesson_get(slug=SEED_SLUG))
    assert [span.text for span in blanked.spans] == [
        "WAIT_TIME",
        "async",
        "slow_view",
        "await",
        "sleep",
        "WAIT_TIME",
    ]
    shown = "\n".join("".join(p.text for p in line) for line in blanked.lines())
    assert "await" not in shown and "async def" not in shown


def test_fill_in_passes_with_the_tokens_and_is_graded_by_the_checker(lesson):
    blanked = blanks.blanks_all(lesson)
    right = {f"blank-{n}": span.text for n, span in enumerate(blanked.spans, start=1)}
    assert blanks.blanks_grade(lesson=lesson, blanked=blanked, post=right).passed
    # A blank left empty (the await, say) gives the checker's own feedback on that program.
    wrong = {**right, "blank-1": ""}
    result = blanks.blanks_grade(lesson=lesson, blanked=blanked, post=wrong)
    assert not result.passed
    expected = step_check(lesson=lesson, step_number=blanked.step_number, code=result.code)
    assert result.verdict == expected


def test_fill_in_ignores_spaces_around_an_answer_and_rejects_the_wrong_call():
    lesson = lesson_get(slug=SEED_SLUG)
    blanked = blanks.blanks_all(lesson)
    post = {f"blank-{n}": f"  {span.text} " for n, span in enumerate(blanked.spans, start=1)}
    assert blanks.blanks_grade(lesson=lesson, blanked=blanked, post=post).passed
    post["blank-5"] = "wait"  # asyncio.wait(WAIT_TIME): a real function, the wrong one
    assert not blanks.blanks_grade(lesson=lesson, blanked=blanked, post=post).passed


def test_fill_in_refuses_a_multi_line_answer():
    lesson = lesson_get(slug=SEED_SLUG)
    blanked = blanks.blanks_all(lesson)
    result = blanks.blanks_grade(lesson=lesson, blanked=blanked, post={"blank-1": "a\nb"})
    assert "one line" in result.problem


def test_faded_worked_example_leaves_one_new_piece_out_per_step(lesson):
    faded = blanks.blanks_faded(lesson)
    assert [item.step_number for item in faded] == [step.number for step in lesson.steps]
    for item in faded:
        assert len(item.spans) == 1
        step = lesson.step(item.step_number)
        right = {"s-1": item.spans[0].text}
        assert blanks.blanks_grade(lesson=lesson, blanked=item, post=right, prefix="s-").passed
        wrong = {"s-1": "nothing"}
        result = blanks.blanks_grade(lesson=lesson, blanked=item, post=wrong, prefix="s-")
        assert not result.passed, (step.number, item.spans)


# --- Fix the bug -------------------------------------------------------------------------


def test_every_known_mistake_is_a_broken_program_done_only_when_the_checks_pass(lesson):
    bugs = fix.bugs_list(lesson)
    assert len(bugs) == sum(len(step.mistakes) for step in lesson.steps)
    for bug in bugs:
        assert not fix.bug_check(lesson=lesson, bug=bug, code=bug.code).passed
        assert fix.bug_check(lesson=lesson, bug=bug, code=bug.step.solution).passed
        hint = fix.bug_hint(lesson=lesson, bug=bug)
        # The first hint is what the learner who wrote it would have been told.
        assert any(bug.mistake.message in message for message in hint), (bug.mistake, hint)


# --- Spaced review -----------------------------------------------------------------------


def test_flashcards_come_from_the_question_bank(lesson):
    cards = review.flashcards_list(lesson)
    # Every question, then every concept of the lesson.
    assert [card.key for card in cards] == [f"q:{q.id}" for q in lesson.questions] + [
        f"c:{concept.id}" for concept in lesson.concepts
    ]
    first = lesson.questions[0]
    assert cards[0].back_answer_html == first.correct_option.text_html


def test_fsrs_intervals_grow_with_good_and_reset_with_again():
    now = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
    card_json = None
    intervals = []
    for _ in range(5):
        card = review.fsrs_review(card_json=card_json, rating=review.Rating.Good, now=now)
        intervals.append(card.due - now)
        now, card_json = card.due, card.to_dict()
    assert intervals == sorted(intervals) and intervals[-1] > intervals[0]
    assert intervals[-1] > datetime.timedelta(days=10)
    card = review.fsrs_review(card_json=card_json, rating=review.Rating.Again, now=now)
    assert card.due - now < datetime.timedelta(days=1)


def test_a_lesson_that_cannot_feed_a_mode_shows_why_and_the_check_tells_the_instructor(client):
    seed = lesson_get(slug=SEED_SLUG)
    assert seed is not None
    bare = dataclasses.replace(
        seed,
        steps=tuple(dataclasses.replace(step, mistakes=()) for step in seed.steps),
        questions=(),
        concepts=(),
    )
    problems = modes_unavailable(bare)
    assert any("Fix the bug" in p and "no known mistakes" in p for p in problems)
    assert any("Spaced review" in p for p in problems)
    assert any("Practice questions" in p for p in problems)
    assert not any("Put the lines in order" in p for p in problems)
    # The lessons the site serves feed every mode: `manage.py check` stays quiet about them.
    assert modes_unavailable_check() == []
