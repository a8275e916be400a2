from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial page for load balancers, and the baseline the page bench compares against:
    the same stack (middleware, sessions, routing) with no work of its own."""
    return HttpResponse("ok", content_type="text/plain")
