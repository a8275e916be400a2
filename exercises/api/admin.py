"""API keys in the admin: create one (its token is shown once, on the page after saving),
see when each was last used, revoke."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from exercises.api.keys import api_key_token_assign, api_keys_revoke
from exercises.api.models import ApiKey

if TYPE_CHECKING:
    ApiKeyAdminBase = admin.ModelAdmin[ApiKey]
    ApiKeyForm = ModelForm[ApiKey]
else:
    ApiKeyAdminBase = admin.ModelAdmin
    ApiKeyForm = ModelForm


@admin.register(ApiKey)
class ApiKeyAdmin(ApiKeyAdminBase):
    list_display = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> tuple[str, ...]:
        # Adding asks only for a name; the token is made on save.
        return ("name",) if obj is None else ("name", *self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: ApiKey, form: ApiKeyForm, change: bool) -> None:
        if not change:
            if request.user.is_authenticated:
                obj.created_by = request.user
            # Kept on the request only: the page after saving shows it, then it is gone.
            request.api_key_token = api_key_token_assign(key=obj)  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: ApiKey, post_url_continue: str | None = None
    ) -> HttpResponse:
        # Rendered directly, not after a redirect, so the token never passes through the
        # messages framework's cookie or the session (and the admin's never_cache keeps it
        # out of caches).
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "key": obj,
            "token": getattr(request, "api_key_token", ""),
            "title": "API key created",
        }
        return TemplateResponse(request, "admin/exercises/apikey/created.html", context)

    @admin.action(description="Revoke the selected API keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        count = api_keys_revoke(keys=queryset)
        self.message_user(request, f"Revoked {count} API key(s).", messages.SUCCESS)
