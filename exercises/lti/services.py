"""LTI 1.3: a launch from an LMS becomes a learner of this site, and their test score goes back
to the LMS's grade book through Assignment and Grade Services (AGS) when they submit.

django-lti (on PyLTI1p3) validates the launch: the platform's signature (its JWKS), the nonce
and state of the OIDC login, the deployment. What is left here is the course's side of it.
"""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils import timezone
from lti_tool.models import LtiLaunch
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from exercises.lti.models import LtiGradeTarget
from exercises.models import TestAttempt

logger = logging.getLogger(__name__)

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
TARGET_LINK_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"
# Pages a tool link may name: the lesson, or its test (the usual choice).
LESSON_URL_NAMES = {"lessons:detail", "exercises:test"}


class LaunchRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def lti_learner_id(*, registration_uuid: str, sub: str) -> str:
    """The learner id of an LMS user: the same on every launch from that platform."""
    digest = hashlib.sha256(f"{registration_uuid}\0{sub}".encode()).hexdigest()
    return f"lti-{digest[:40]}"


def launch_lesson_slug(*, launch: LtiLaunch) -> str:
    """The lesson the tool link points at: its target URL is the lesson's or its test's page."""
    target = launch.get_claim(TARGET_LINK_CLAIM) or ""
    try:
        match = resolve(urlsplit(str(target)).path)
    except Resolver404:
        match = None
    if match is None or match.view_name not in LESSON_URL_NAMES:
        raise LaunchRefused(
            f"The tool link {target!r} names no lesson; use a lesson's test page, "
            "like https://<site>/lessons/<slug>/test/."
        )
    return str(match.kwargs["slug"])


def lti_launch_record(*, launch: LtiLaunch, lesson_slug: str) -> str:
    """Remember where this learner's score for the lesson goes; return their learner id."""
    registration = launch.registration
    sub = str(launch.get_claim("sub"))
    learner = lti_learner_id(registration_uuid=str(registration.uuid), sub=sub)
    ags = launch.ags_claim or {}
    scopes = list(ags.get("scope") or [])
    lineitem = ags.get("lineitem")
    if lineitem and SCORE_SCOPE in scopes:
        LtiGradeTarget.objects.update_or_create(
            learner=learner,
            lesson_slug=lesson_slug,
            registration=registration,
            defaults={"user_sub": sub, "lineitem_url": lineitem, "scopes": scopes},
        )
    return learner


def lti_score_send(*, attempt: TestAttempt) -> bool:
    """Send a submitted test's score to the LMS the learner came from, if any.

    True when a platform took it. A platform that is down or refuses is logged, never shown
    to the learner as an error of the test: their result is recorded here either way.
    """
    if attempt.score is None:
        return False
    targets = LtiGradeTarget.objects.filter(
        learner=attempt.learner, lesson_slug=attempt.lesson_slug
    ).select_related("registration")
    sent = False
    for target in targets:
        grade = (
            Grade()
            .set_score_given(attempt.score)
            .set_score_maximum(attempt.total)
            .set_timestamp((attempt.submitted_at or timezone.now()).isoformat())
            .set_activity_progress("Completed")
            .set_grading_progress("FullyGraded")
            .set_user_id(target.user_sub)
        )
        connector = ServiceConnector(target.registration.to_registration())
        service = AssignmentsGradesService(
            connector, {"scope": target.scopes, "lineitem": target.lineitem_url}
        )
        try:
            service.put_grade(grade)
            sent = True
        except (LtiException, OSError, ValueError) as error:
            logger.warning(
                "LTI score for %s/%s not sent to %s: %s",
                attempt.lesson_slug,
                target.user_sub,
                target.registration,
                error,
            )
    return sent
