"""Links every page's header needs, resolved once per process rather than on every render."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest
from django.urls import reverse


@cache
def _site_links() -> dict[str, str]:
    return {
        "catalogue": reverse("lessons:catalogue"),
        "demo_lab": reverse("demo:lab"),
        "me": reverse("me"),
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "logout": reverse("account_logout"),
    }


def site_links(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"site_links": _site_links()}
