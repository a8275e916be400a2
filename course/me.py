"""'My learning': progress in every lesson, the streak and points, where to continue, the
learner's time zone, and their data (download it, or delete it with the account)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from exercises.progress import learner_last_work, lessons_progress
from learners.identity import browser_time_zone, learner_id, learner_id_known
from learners.selectors import learner_points, learner_streak
from learners.services import (
    learner_data_delete,
    learner_data_export,
    learner_time_zone,
    time_zone_remember,
)
from learners.time_zones import time_zone_names, time_zone_valid
from lessons.selectors import lessons_list


class TimeZoneForm(forms.Form):
    time_zone = forms.CharField(label="Your time zone", max_length=64)

    def clean_time_zone(self) -> str:
        value: str = self.cleaned_data["time_zone"].strip()
        if not time_zone_valid(value):
            raise forms.ValidationError(
                "That is not a time zone name the site knows; pick one from the list, "
                "such as Europe/Paris or America/New_York."
            )
        return value


class DeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password, to confirm", widget=forms.PasswordInput, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.is_authenticated:
            del self.fields["password"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.user.is_authenticated and not self.user.check_password(cleaned.get("password", "")):
            raise forms.ValidationError("That password is not right; nothing was deleted.")
        return cleaned


def _me_context(request: HttpRequest, *, zone_form: TimeZoneForm | None = None) -> dict[str, Any]:
    learner = learner_id_known(request)
    zone = learner_time_zone(learner=learner, browser=browser_time_zone(request))
    return {
        "progress": lessons_progress(learner=learner, lessons=lessons_list()),
        "streak": learner_streak(learner=learner, browser=browser_time_zone(request)),
        "points": learner_points(learner=learner),
        "last_work": learner_last_work(learner=learner),
        "time_zone": zone,
        "time_zone_names": sorted(time_zone_names()),
        "zone_form": zone_form or TimeZoneForm(initial={"time_zone": zone}),
    }


@require_safe
def me_detail(request: HttpRequest) -> HttpResponse:
    return render(request, "learners/me.html", _me_context(request))


@require_POST
def me_time_zone(request: HttpRequest) -> HttpResponse:
    form = TimeZoneForm(request.POST)
    if not form.is_valid():
        context = _me_context(request, zone_form=form)
        return render(request, "learners/me.html", context, status=400)
    zone = form.cleaned_data["time_zone"]
    time_zone_remember(learner=learner_id(request), time_zone=zone, chosen=True)
    messages.success(request, f"Your days now follow {zone}.")
    return redirect("me")


@require_safe
def me_data_export(request: HttpRequest) -> HttpResponse:
    learner = learner_id_known(request)
    user = request.user
    data: dict[str, Any] = {
        "exported_at": timezone.now(),
        "learner_id": learner,
        "account": None,
        "work": learner_data_export(learner=learner) if learner else {},
    }
    if user.is_authenticated:
        data["account"] = {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": list(
                user.emailaddress_set.values("email", "verified", "primary")  # type: ignore[attr-defined]
            ),
        }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="async-in-action-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def me_delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method != "POST":
        return render(request, "learners/me_delete.html", {"form": DeleteForm(user=user)})
    form = DeleteForm(request.POST, user=user)
    if not form.is_valid():
        return render(request, "learners/me_delete.html", {"form": form}, status=400)
    learner = learner_id_known(request)
    if learner is not None:
        learner_data_delete(learner=learner)
    if user.is_authenticated:
        user.delete()
        logout(request)
        messages.success(request, "Your account and all your work are deleted.")
    else:
        request.session.flush()
        messages.success(request, "All your work is deleted.")
    return redirect("lessons:catalogue")
