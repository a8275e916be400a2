"""Anonymous work is never lost: on login it becomes the account's, merged sensibly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from exercises.models import QuizAnswer, StepAttempt, StepWork
from exercises.models import TestAttempt as Attempt
from learners.models import Activity, LearnerProfile
from learners.services import (
    activity_record,
    learner_data_delete,
    learner_data_export,
    learner_models,
    learner_work_merge,
    time_zone_remember,
)

pytestmark = pytest.mark.django_db

ANON, ACCOUNT = "a" * 32, "user-1"
SLUG = "why-async-matters"


def work(learner: str, step: int, **fields) -> StepWork:
    row = StepWork.objects.create(learner=learner, lesson_slug=SLUG, step_number=step, **fields)
    if "updated_at" in fields:
        StepWork.objects.filter(pk=row.pk).update(updated_at=fields["updated_at"])
    return row


def test_every_kind_of_learner_work_is_found() -> None:
    labels = {model._meta.label for model in learner_models()}
    assert {
        "exercises.StepWork",
        "exercises.StepAttempt",
        "exercises.QuizAnswer",
        "exercises.TestAttempt",
        "learners.Activity",
        "learners.LearnerProfile",
    } <= labels


def test_work_the_account_lacks_simply_moves() -> None:
    work(ANON, 1, code="mine", passed=True, passed_at=timezone.now(), checks_run=2)
    StepAttempt.objects.create(
        learner=ANON, lesson_slug=SLUG, step_number=1, code="x", status="passed", passed=True
    )
    QuizAnswer.objects.create(
        learner=ANON, lesson_slug=SLUG, question_id="q", option_id="o", correct=True
    )
    Attempt.objects.create(learner=ANON, lesson_slug=SLUG, questions=[], total=10)
    activity_record(learner=ANON, kind="step_passed", key="step:x:1", points=10)
    time_zone_remember(learner=ANON, time_zone="Asia/Tokyo")

    learner_work_merge(source=ANON, target=ACCOUNT)

    for model in learner_models():
        assert not model._default_manager.filter(learner=ANON).exists(), model
    assert StepWork.objects.get(learner=ACCOUNT).code == "mine"
    assert StepAttempt.objects.filter(learner=ACCOUNT).count() == 1
    assert QuizAnswer.objects.filter(learner=ACCOUNT).count() == 1
    assert Attempt.objects.filter(learner=ACCOUNT).count() == 1
    assert Activity.objects.filter(learner=ACCOUNT).count() == 1
    assert LearnerProfile.objects.get(learner=ACCOUNT).time_zone == "Asia/Tokyo"


def test_the_same_step_merges_keeping_the_pass_the_later_code_and_every_check() -> None:
    early = timezone.now() - dt.timedelta(days=2)
    passed_at = early - dt.timedelta(hours=1)
    work(
        ACCOUNT,
        1,
        code="old",
        passed=True,
        passed_at=passed_at,
        checks_run=3,
        hints_shown=1,
        updated_at=early,
    )
    work(ANON, 1, code="newer draft", passed=False, checks_run=2, hints_shown=2)

    learner_work_merge(source=ANON, target=ACCOUNT)

    merged = StepWork.objects.get()
    assert merged.learner == ACCOUNT
    # Never fewer passes: the account's pass stays though the newer work did not pass.
    assert merged.passed and merged.passed_at == passed_at
    assert merged.code == "newer draft"
    assert (merged.checks_run, merged.hints_shown) == (5, 2)


def test_a_pass_done_anonymously_is_kept_over_older_account_work() -> None:
    work(ACCOUNT, 2, code="stuck", checks_run=4, updated_at=timezone.now() - dt.timedelta(days=1))
    work(ANON, 2, code="solved", passed=True, passed_at=timezone.now(), checks_run=1)
    learner_work_merge(source=ANON, target=ACCOUNT)
    merged = StepWork.objects.get()
    assert merged.passed and merged.code == "solved" and merged.checks_run == 5


def test_the_later_code_wins_when_the_account_is_newer() -> None:
    work(ANON, 1, code="anon", updated_at=timezone.now() - dt.timedelta(days=1))
    work(ACCOUNT, 1, code="account")
    learner_work_merge(source=ANON, target=ACCOUNT)
    assert StepWork.objects.get().code == "account"


def test_a_chosen_time_zone_of_the_account_stays() -> None:
    time_zone_remember(learner=ACCOUNT, time_zone="Europe/Paris", chosen=True)
    time_zone_remember(learner=ANON, time_zone="Asia/Tokyo")
    learner_work_merge(source=ANON, target=ACCOUNT)
    assert list(LearnerProfile.objects.values_list("learner", "time_zone")) == [
        (ACCOUNT, "Europe/Paris")
    ]


def test_merged_attempts_are_capped_per_step(monkeypatch) -> None:
    from exercises.build import services

    monkeypatch.setattr(services, "ATTEMPTS_KEPT_PER_STEP", 4)
    for learner in (ACCOUNT, ANON, ANON, ACCOUNT, ANON, ANON):
        StepAttempt.objects.create(
            learner=learner,
            lesson_slug=SLUG,
            step_number=1,
            code=learner,
            status="x",
            passed=False,
        )
    learner_work_merge(source=ANON, target=ACCOUNT)
    assert StepAttempt.objects.filter(learner=ACCOUNT).count() == 4


def test_streak_days_of_both_join() -> None:
    today = timezone.now()
    activity_record(learner=ACCOUNT, kind="step_passed", when=today - dt.timedelta(days=1))
    activity_record(learner=ANON, kind="step_passed", when=today)
    learner_work_merge(source=ANON, target=ACCOUNT)
    from learners.selectors import learner_streak

    assert learner_streak(learner=ACCOUNT, now=today).current == 2


def test_export_and_delete_cover_every_model() -> None:
    work(ANON, 1, code="mine")
    activity_record(learner=ANON, kind="step_passed")
    data = learner_data_export(learner=ANON)
    assert data["exercises.stepwork"][0]["code"] == "mine"
    assert len(data["learners.activity"]) == 1
    work("someone-else", 1, code="theirs")
    assert learner_data_delete(learner=ANON) == 2
    assert list(StepWork.objects.values_list("code", flat=True)) == ["theirs"]


def test_only_unreachable_anonymous_work_is_pruned(client) -> None:
    from django.core.management import call_command

    client.post(f"/lessons/{SLUG}/steps/1/draft/", {"code": "live learner"})
    work("expired-session-learner", 1, code="gone")
    work(ACCOUNT, 1, code="account")
    call_command("prune_anonymous_work")
    assert StepWork.objects.count() == 3
    call_command("prune_anonymous_work", "--delete")
    assert sorted(StepWork.objects.values_list("code", flat=True)) == ["account", "live learner"]
