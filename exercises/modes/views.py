"""The learning modes' pages, one per mode under /lessons/<slug>/<mode>/.

Every page is a plain form posted to itself, so each mode works without JavaScript; feedback
lands in a `role="status"` region. Nothing shown before the learner has tried carries an
answer: solutions appear only in the worked example (which is the mode's point) and after a
pass.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from checker import Verdict
from course.ratelimits import rate_limited
from exercises.build.services import submitted_code_read
from exercises.editor_csp import editor_page
from exercises.learners import learner_id, learner_id_known
from exercises.modes import blanks, concepts, fix, parsons, review, scratch
from exercises.modes.catalog import Mode, mode_get
from exercises.modes.selectors import mode_progress_get, review_cards_due, review_next_due
from exercises.modes.services import mode_progress_record, review_card_rate
from lessons.highlight import code_highlight
from lessons.selectors import lesson_get
from lessons.types import Lesson

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _lesson_mode(request: HttpRequest, slug: str, key: str) -> tuple[Lesson, Mode]:
    # Staff may open a draft's pages, as they open its lesson page.
    lesson = lesson_get(slug=slug, drafts=request.user.is_staff)
    mode = mode_get(key)
    if lesson is None or mode is None:
        raise Http404("No lesson with that name.")
    return lesson, mode


def _render(
    request: HttpRequest,
    template: str,
    lesson: Lesson,
    mode: Mode,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    unavailable = mode.unavailable(lesson)
    progress = mode_progress_get(learner=learner_id_known(request), lesson=lesson, mode=mode.key)
    base = {
        "lesson": lesson,
        "mode": mode,
        "unavailable": unavailable,
        "progress": progress,
        "minutes": mode.minutes(lesson),
        "lesson_url": reverse("lessons:detail", args=[lesson.slug]),
    }
    return render(request, f"exercises/modes/{template}", {**base, **context}, status=status)


def _code(request: HttpRequest) -> tuple[str, str, int]:
    body = request.body if request.content_type == "application/x-www-form-urlencoded" else None
    submitted = submitted_code_read(post=request.POST, body=body)
    return submitted.code, submitted.problem or "", submitted.status


def _refused(verdict: Verdict) -> int:
    return 400 if verdict.status == "refused" else 200


@GET_POST
@rate_limited("practice")
def concepts_page(request: HttpRequest, slug: str) -> HttpResponse:
    lesson, mode = _lesson_mode(request, slug, "concepts")
    answers: list[concepts.SelfCheckAnswer] = []
    if request.method == "POST":
        answers = concepts.self_check_grade(lesson=lesson, post=request.POST)
        all_right = bool(answers) and all(answer.correct for answer in answers)
        mode_progress_record(
            learner=learner_id(request), lesson=lesson, mode=mode.key, done=all_right
        )
    chosen = {answer.question.id: answer for answer in answers}
    return _render(
        request,
        "concepts.html",
        lesson,
        mode,
        {
            "sections": concepts.concept_sections(lesson),
            "questions": [
                (question, chosen.get(question.id))
                for question in concepts.self_check_questions(lesson)
            ],
            "answered": bool(answers),
            "right_count": sum(answer.correct for answer in answers),
        },
    )


@GET_POST
def worked_example_page(request: HttpRequest, slug: str) -> HttpResponse:
    lesson, mode = _lesson_mode(request, slug, "worked-example")
    shown = []
    previous: set[str] = set()
    for step in lesson.steps:
        lines = step.solution.splitlines()
        new = [
            n
            for n, text in enumerate(lines, start=1)
            if text.strip() and text.strip() not in previous
        ]
        previous = {text.strip() for text in lines}
        shown.append({"step": step, "code_html": code_highlight(step.solution), "new_lines": new})
    return _render(request, "worked_example.html", lesson, mode, {"shown": shown})


@GET_POST
@rate_limited("check")
def worked_example_faded(request: HttpRequest, slug: str) -> HttpResponse:
    lesson, mode = _lesson_mode(request, slug, "worked-example")
    faded = blanks.blanks_faded(lesson)
    results: dict[int, blanks.FilledResult] = {}
    if request.method == "POST":
        for item in faded:
            results[item.step_number] = blanks.blanks_grade(
                lesson=lesson, blanked=item, post=request.POST, prefix=f"step{item.step_number}-"
            )
        all_passed = bool(faded) and all(result.passed for result in results.values())
        mode_progress_record(
            learner=learner_id(request), lesson=lesson, mode=mode.key, done=all_passed
        )
    rows = [
        {
            "blanked": item,
            "step": lesson.step(item.step_number),
            "lines": item.lines(),
            "prefix": f"step{item.step_number}-",
            "result": results.get(item.step_number),
            "answers": results[item.step_number].answers if item.step_number in results else (),
        }
        for item in faded
    ]
    return _render(
        request,
        "faded.html",
        lesson,
        mode,
        {
            "rows": rows,
            "checked": bool(results),
            "all_passed": bool(results) and all(r.passed for r in results.values()),
        },
    )


class Graded(Protocol):
    """A graded post of a mode (Parsons, fill in the blanks): unreadable, or passed or not."""

    @property
    def problem(self) -> str | None: ...
    @property
    def passed(self) -> bool: ...


def _graded_record(request: HttpRequest, lesson: Lesson, mode: Mode, result: Graded) -> int:
    """Keep the learner's progress from a graded post; the answer's status (400: unreadable,
    nothing recorded)."""
    if result.problem:
        return 400
    mode_progress_record(
        learner=learner_id(request), lesson=lesson, mode=mode.key, done=result.passed
    )
    return 200


@GET_POST
@rate_limited("check")
def parsons_page(request: HttpRequest, slug: str) -> HttpResponse:
    lesson, mode = _lesson_mode(request, slug, "parsons")
    if mode.unavailable(lesson):
        return _render(request, "parsons.html", lesson, mode, {})
    puzzle = parsons.parsons_puzzle(lesson)
    result: parsons.ParsonsResult | None = None
    placements = parsons.parsons_initial(puzzle)
    status = 200
    if request.method == "POST":
        result = parsons.parsons_grade(lesson=lesson, post=request.POST)
        placements = result.placements
        status = _graded_record(request, lesson, mode, result)
    return _render(
        request,
        "parsons.html",
        lesson,
        mode,
        {
            "placements": placements,
            "positions": puzzle.positions,
            "indents": range(parsons.MAX_INDENT + 1),
            "result": result,
            "code_html": code_highlight(result.code) if result and result.passed else "",
        },
        status=status,
    )


@GET_POST
@rate_limited("check")
def fill_in_page(request: HttpRequest, slug: str) -> HttpResponse:
    lesson, mode = _lesson_mode(request, slug, "fill-in")
    blanked = blanks.blanks_all(lesson)
    if blanked is None:
        return _render(request, "fill_in.html", lesson, mode, {})
    result: blanks.FilledResult | None = None
    status = 200
    if request.method == "POST":
        result = blanks.blanks_grade(lesson=lesson, blanked=blanked, post=request.POST)
        status = _graded_record(request, lesson, mode, result)
    return _render(
        request,
        "fill_in.html",
        lesson,
        mode,
        {
            "lines": blanked.lines(),
            "answers": result.answers if result else (),
            "result": result,
            "prefix": "blank-",
        },
        status=status,
    )


@require_safe
def fix_list(request: HttpRequest, slug: str) -> HttpResponse:
    lesson, mode = _lesson_mode(request, slug, "fix-the-bug")
    progress = mode_progress_get(learner=learner_id_known(request), lesson=lesson, mode=mode.key)
    fixed = set(progress.data.get("done", [])) if progress else set()
    bugs = [(bug, str(bug.number) in fixed) for bug in fix.bugs_list(lesson)]
    return _render(request, "fix_list.html", lesson, mode, {"bugs": bugs})


@editor_page
@GET_POST
@rate_limited("check")
def fix_page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    lesson, mode = _lesson_mode(request, slug, "fix-the-bug")
    bug = fix.bug_get(lesson, number)
    if bug is None:
        raise Http404("No broken program with that number.")
    code = bug.code
    verdict: Verdict | None = None
    hint: list[str] = []
    problem = ""
    status = 200
    if request.method == "POST":
        code, problem, status = _code(request)
        if request.POST.get("action") == "hint":
            hint = fix.bug_hint(lesson=lesson, bug=bug)
        elif not problem:
            verdict = fix.bug_check(lesson=lesson, bug=bug, code=code)
            status = _refused(verdict)
            bugs = fix.bugs_list(lesson)
            learner = learner_id(request)
            progress = mode_progress_record(
                learner=learner,
                lesson=lesson,
                mode=mode.key,
                done=False,
                item=str(bug.number) if verdict.passed else None,
            )
            if len(progress.data.get("done", [])) >= len(bugs):
                mode_progress_record(learner=learner, lesson=lesson, mode=mode.key, done=True)
            if not verdict.passed:
                # The first hint comes with the first try that does not pass.
                hint = fix.bug_hint(lesson=lesson, bug=bug)
    next_bug = fix.bug_get(lesson, number + 1)
    return _render(
        request,
        "fix.html",
        lesson,
        mode,
        {
            "bug": bug,
            "code": code,
            "verdict": verdict,
            "hint": hint,
            "problem": problem,
            "next_bug": next_bug,
            "count": len(fix.bugs_list(lesson)),
        },
        status=status,
    )


@editor_page
@GET_POST
@rate_limited("check")
def scratch_page(request: HttpRequest, slug: str) -> HttpResponse:
    lesson, mode = _lesson_mode(request, slug, "from-scratch")
    if mode.unavailable(lesson):
        return _render(request, "scratch.html", lesson, mode, {})
    key = scratch.scratch_session_key(lesson)
    now = timezone.now().timestamp()
    started = request.session.get(key)
    if not isinstance(started, int | float) or started > now:
        started = now
        request.session[key] = started
    code, verdict, problem, seconds, status = "", None, "", None, 200
    if request.method == "POST":
        code, problem, status = _code(request)
        if not problem:
            verdict = scratch.scratch_check(lesson=lesson, code=code)
            status = _refused(verdict)
            if verdict.passed:
                seconds = max(1, round(now - started))
                # The next attempt's clock starts on its own page load.
                request.session.pop(key, None)
            mode_progress_record(
                learner=learner_id(request),
                lesson=lesson,
                mode=mode.key,
                done=verdict.passed,
                seconds=seconds,
            )
    return _render(
        request,
        "scratch.html",
        lesson,
        mode,
        {
            "code": code,
            "verdict": verdict,
            "problem": problem,
            "seconds": seconds,
            "started": started,
            "elapsed": round(now - started),
            "step_count": len(lesson.steps),
        },
        status=status,
    )


@require_safe
def review_page(request: HttpRequest, slug: str) -> HttpResponse:
    lesson, mode = _lesson_mode(request, slug, "review")
    learner = learner_id_known(request)
    cards = review.flashcards_list(lesson)
    due = review_cards_due(learner=learner, lesson=lesson)
    started = mode_progress_get(learner=learner, lesson=lesson, mode=mode.key) is not None
    queue = due if started else [card.key for card in cards]
    key = request.GET.get("card", "")
    card = review.flashcard_get(lesson, key) if key in queue else None
    if card is None and queue:
        card = review.flashcard_get(lesson, queue[0])
    return _render(
        request,
        "review.html",
        lesson,
        mode,
        {
            "card": card,
            "show": card is not None and request.GET.get("show") == "1",
            "due_count": len(queue),
            "total": len(cards),
            "next_due": review_next_due(learner=learner, lesson=lesson),
            "ratings": [name for name, _rating in review.RATINGS],
            "rated": request.GET.get("rated", ""),
        },
    )


@require_POST
@rate_limited("practice")
def review_rate(request: HttpRequest, slug: str) -> HttpResponse:
    lesson, mode = _lesson_mode(request, slug, "review")
    rating = review.rating_parse(request.POST.get("rating"))
    card = review.flashcard_get(lesson, request.POST.get("card", ""))
    if rating is None or card is None:
        return _render(
            request,
            "review.html",
            lesson,
            mode,
            {"error": "Choose Again, Hard, Good or Easy for a card of this lesson.", "total": 0},
            status=400,
        )
    learner = learner_id(request)
    stored = review_card_rate(learner=learner, lesson=lesson, card_key=card.key, rating=rating)
    if not review_cards_due(learner=learner, lesson=lesson):
        mode_progress_record(learner=learner, lesson=lesson, mode=mode.key, done=True)
    url = reverse("exercises:mode-review", args=[lesson.slug])
    return redirect(f"{url}?rated={stored.due.date().isoformat()}")
