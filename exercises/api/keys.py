"""Creating, revoking and checking API keys (the model and why it stores digests: models.py)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from exercises.api.models import SHOWN_PREFIX_LENGTH, ApiKey, api_key_digest, api_key_new_token

# Recording every use would be a database write per API call; a minute's precision is plenty
# to see whether a key is still in use.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiKeyRefused(Exception):
    """An `Authorization` header that names no active key; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def api_key_token_assign(*, key: ApiKey) -> str:
    """Give an unsaved key a fresh token; the token is returned this once and stored nowhere."""
    token = api_key_new_token()
    key.prefix = token[:SHOWN_PREFIX_LENGTH]
    key.digest = api_key_digest(token)
    return token


def api_key_create(*, name: str, created_by: User | None = None) -> tuple[ApiKey, str]:
    """A new saved key and its token (shown once: see `api_key_token_assign`)."""
    key = ApiKey(name=name, created_by=created_by)
    token = api_key_token_assign(key=key)
    key.save()
    return key, token


def api_keys_revoke(*, keys: QuerySet[ApiKey]) -> int:
    """Revoke the keys not yet revoked; how many were."""
    return keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_key_from_header(*, authorization: str | None) -> ApiKey | None:
    """The active key an `Authorization: Bearer <key>` header names, None without the header.

    A header that is there but names no active key is refused rather than ignored: a client
    whose key was revoked must hear so, not silently get the practice questions only.
    """
    if authorization is None or not authorization.strip():
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiKeyRefused('The Authorization header must be "Bearer <API key>".')
    key = ApiKey.objects.filter(digest=api_key_digest(token)).first()
    if key is None:
        raise ApiKeyRefused("That API key is not known.")
    if key.revoked_at is not None:
        raise ApiKeyRefused(f"That API key ({key.prefix}…) was revoked.")
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
