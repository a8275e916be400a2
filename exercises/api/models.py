"""API keys: what lets an auto-grading client see and grade the whole question bank.

Only a SHA-256 digest of each key is stored. The key itself is a random 256-bit token, so a
plain (unsalted) digest is enough: nobody can guess a preimage, and the digest lets a request's
key be found with one indexed lookup. The key is shown once, when staff create it.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

# Every key starts with this, so a leaked one is recognisable (and greppable) for what it is.
KEY_PREFIX = "aia_"
# How much of the key the admin shows to tell keys apart; far too little to guess the rest.
SHOWN_PREFIX_LENGTH = len(KEY_PREFIX) + 6


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def api_key_new_token() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class ApiKey(models.Model):
    """A key an auto-grading client sends as `Authorization: Bearer <key>`."""

    name = models.CharField(max_length=100, help_text="Who or what uses this key, e.g. “Moodle”.")
    prefix = models.CharField(max_length=SHOWN_PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        app_label = "exercises"
        verbose_name = "API key"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
