"""The site's own error pages: every refusal is a 4xx with a body that says what happened.

Why not Django's defaults: `django.views.defaults.bad_request` and `server_error` are wrapped
in `requires_csrf_token`, which runs the CSRF check again. When the request failed *because*
its body cannot be read (a form post declaring `charset=koi8-r`), that check reads the body
again, fails again, and the 400 becomes a 500 with three chained tracebacks in the log. These
handlers never touch the body. Under `/api/` they answer JSON, as the API promises.
"""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.template.exceptions import TemplateDoesNotExist

API_PREFIX = "/api/"

MESSAGES = {
    400: "The request could not be read.",
    403: "You may not do that here.",
    404: "Nothing is here.",
    500: "Something went wrong on our side. Please try again in a moment.",
}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _detail(exception: BaseException | None) -> str:
    """The exception's message when it was written for people (Http404, BadRequest...)."""
    # A suspicious request (a forged Host, a path out of a folder) learns nothing of why.
    if exception is None or isinstance(exception, SuspiciousOperation):
        return ""
    text = str(exception)
    # Django's resolver puts a dict of tried patterns in Resolver404; not for the public.
    return "" if text.startswith("{") else text


def _error_page(
    request: HttpRequest, status: int, exception: BaseException | None = None
) -> HttpResponse:
    detail = _detail(exception)
    if _is_api(request):
        message = MESSAGES[status] if not detail else f"{MESSAGES[status]} {detail}"
        return JsonResponse({"error": message}, status=status)
    try:
        template = loader.get_template(f"{status}.html")
    except TemplateDoesNotExist:
        return HttpResponse(MESSAGES[status], status=status, content_type="text/plain")
    # Rendered with the request (the page header's links) but never its body. The 500 page
    # stands alone: whatever failed (the database, the session) must not fail it again.
    context = {"exception": detail, "status": status}
    body = template.render(context, None if status >= 500 else request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _error_page(request, 400, exception)


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _error_page(request, 403, exception)


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _error_page(request, 404, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500)
