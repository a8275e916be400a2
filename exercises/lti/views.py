"""The LTI 1.3 tool's endpoints: the JWKS, the OIDC login the LMS starts, and the launch.

An instructor adds the tool once per LMS (README, "LMS grade passback (LTI 1.3)"), then
links a lesson's test page; launching it signs the LMS user in as a learner of that lesson.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from lti_tool.models import LtiLaunch
from lti_tool.utils import DjangoToolConfig
from lti_tool.views import LtiLaunchBaseView, OIDCLoginInitView
from pylti1p3.contrib.django.launch_data_storage.cache import DjangoCacheDataStorage
from pylti1p3.contrib.django.oidc_login import DjangoOIDCLogin
from pylti1p3.exception import LtiException, OIDCException

from exercises.learners import LEARNER_SESSION_KEY
from exercises.lti.services import LaunchRefused, launch_lesson_slug, lti_launch_record
from lessons.selectors import lesson_get


class LoginInit(OIDCLoginInitView):  # type: ignore[misc]  # django-lti is untyped
    """The OIDC login the LMS starts; redirects to the LMS with a state and a nonce.

    No cookie-check page: the site's session cookie is SameSite=Lax and the site cannot be
    framed, so the tool opens in a new window, where cookies always work.
    """

    def get_oidc_response(
        self, request: HttpRequest, registration_uuid: Any, params: Any
    ) -> HttpResponse:
        target_link_uri = params.get("target_link_uri")
        if not target_link_uri:
            return HttpResponseBadRequest("Missing target_link_uri parameter.")
        login = DjangoOIDCLogin(  # type: ignore[no-untyped-call]
            request,
            DjangoToolConfig(registration_uuid),
            launch_data_storage=DjangoCacheDataStorage(),  # type: ignore[no-untyped-call]
        )
        try:
            response: HttpResponse = login.disable_check_cookies().redirect(
                request.build_absolute_uri("/lti/launch/")
            )
        except OIDCException as error:
            return HttpResponseBadRequest(f"LTI login refused: {error}")
        return response


@method_decorator(csrf_exempt, name="dispatch")
class Launch(LtiLaunchBaseView):  # type: ignore[misc]  # django-lti is untyped
    """The LMS posts the signed launch here; the learner lands on the lesson's test."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response: HttpResponse = super().post(request, *args, **kwargs)
        except (LtiException, OIDCException) as error:
            return HttpResponseBadRequest(f"LTI launch refused: {error}")
        except LaunchRefused as refused:
            return HttpResponseBadRequest(refused.message)
        return response

    def handle_resource_launch(self, request: HttpRequest, lti_launch: LtiLaunch) -> HttpResponse:
        slug = launch_lesson_slug(launch=lti_launch)
        if lesson_get(slug=slug) is None:
            raise LaunchRefused(f"There is no lesson {slug!r} on this site.")
        learner = lti_launch_record(launch=lti_launch, lesson_slug=slug)
        # The base view cleared the session: the LMS user is this learner from now on.
        request.session[LEARNER_SESSION_KEY] = learner
        return redirect("exercises:test", slug)
