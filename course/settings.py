"""Settings for Async in Action.

Production differs from development only through environment variables:
DJANGO_DEBUG, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL,
COURSE_WAIT_TIME, DJANGO_HTTPS behind TLS, and for accounts EMAIL_URL, DEFAULT_FROM_EMAIL and
ACCOUNT_EMAIL_VERIFICATION. With DJANGO_DEBUG off, a missing secret key
stops the site loudly.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    if not value.strip():
        return default
    try:
        return float(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {value!r}") from error


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value.strip():
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-for-DJANGO_DEBUG"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    # daphne first, so that `runserver` serves ASGI (HTTP and WebSocket) too.
    "daphne",
    "channels",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.admin",
    "django.contrib.sessions",
    "django.contrib.messages",
    "servestatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "csp",
    # LTI 1.3 platforms, deployments and the tool's keys (exercises/lti uses them).
    "lti_tool",
    "course",
    "lessons",
    "learners",
    "exercises",
    "demo",
    "articles",
]

# Run as one synchronous chain under ASGI too: course/site_handler.py explains why.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "learners.middleware.session_keepalive",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "course.urls"
ASGI_APPLICATION = "course.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "course.context_processors.site_links",
                "learners.context_processors.streak",
            ],
        },
    },
]

DATABASES: dict[str, dict[str, Any]] = {
    "default": dict(
        dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a learner's progress is written; IMMEDIATE avoids
    # "database is locked" upgrades when two requests write at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

REDIS_URL = os.environ.get("REDIS_URL", "")
CHANNEL_LAYERS: dict[str, dict[str, Any]] = (
    {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    if REDIS_URL
    else {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
)

# The cache: the rate limits' counters (course/ratelimits.py) and the LTI login's state and
# nonce between two requests (exercises/lti). With several server processes they must all see
# it, so with REDIS_URL it is Redis; else this process's memory.
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "course",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
RATELIMIT_ENABLE = env_bool("COURSE_RATE_LIMITS", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# collectstatic writes hashed names plus gzip and brotli copies; ServeStatic serves them
# (course/static_files.py). Pages need the manifest it writes when debug is off.
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "course.static_files.CollectedStaticStorage"},
}

# Anonymous learners are known by their session; it lasts a year from the last day it was
# used (learners.middleware renews it once a day), so progress survives as long as it is used.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles and everything else from this site
# only, and no inline scripts or style attributes at all (templates use classes; htmx's own
# indicator <style> is turned off in base.html; the one <style> element, the code editor's,
# carries the page's nonce). The WebSocket of the demo lab is 'self'.
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The nonce: the code editor (CodeMirror) mounts its styles in a <style> element.
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Behind TLS (DJANGO_HTTPS=1): secure cookies, HSTS and a redirect to https. A proxy in front
# must set X-Forwarded-Proto.
if env_bool("DJANGO_HTTPS", default=False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading (browsers ship the domain as https-only) is hard to undo: a choice to make.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Not preloading is the documented default, not an oversight (README, Production).
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Accounts: django-allauth. Username and password are enough; an email address is optional
# unless verification is switched on (ACCOUNT_EMAIL_VERIFICATION=1), which then requires one.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
EMAIL_VERIFICATION_ON = env_bool("ACCOUNT_EMAIL_VERIFICATION", default=False)
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = [
    "username*",
    "email*" if EMAIL_VERIFICATION_ON else "email",
    "password1*",
    "password2*",
]
ACCOUNT_EMAIL_VERIFICATION = "mandatory" if EMAIL_VERIFICATION_ON else "none"
# The link in the email logs the learner in, so work done in that browser joins the account.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# allauth's own limits, stated so they are visible: failed logins per IP and per username,
# sign-ups and password resets per IP. They are counted in the cache (per process unless a
# shared cache is configured).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "me"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Outgoing mail (password resets, verification) goes to the console unless EMAIL_URL names a
# server, e.g. smtp://user:password@mail.example.org:587/?tls=True.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if EMAIL_URL:
    _email: dict[str, Any] = dj_email_url.parse(EMAIL_URL)
    EMAIL_BACKEND = _email.get("EMAIL_BACKEND") or EMAIL_BACKEND
    EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
    EMAIL_PORT = _email["EMAIL_PORT"] or 25
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = bool(_email["EMAIL_USE_TLS"])
    EMAIL_USE_SSL = bool(_email["EMAIL_USE_SSL"])
    EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Async in Action <noreply@localhost>")

# Learner submissions and quiz posts are small; refuse anything big before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# The lesson files instructors edit.
LESSONS_DIR = Path(os.environ.get("COURSE_LESSONS_DIR", BASE_DIR / "lessons" / "content"))
# The last good version of each lesson, kept so that it survives a restart (lessons.store).
LESSON_CACHE_DIR = Path(os.environ.get("COURSE_LESSON_CACHE_DIR", BASE_DIR / ".lesson-cache"))

# How long the seed's slow_view waits. Tests and benchmarks shorten it.
COURSE_WAIT_TIME = env_float("COURSE_WAIT_TIME", 3.0)

# Learner code is checked in a pool of worker processes (exercises/check_pool.py): how many
# (0: one per CPU core), and how long one check may take before it is stopped.
COURSE_CHECK_WORKERS = env_int("COURSE_CHECK_WORKERS", 0)
COURSE_CHECK_DEADLINE = env_float("COURSE_CHECK_DEADLINE", 1.0)

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_one_line": {"()": "course.logfilters.ClientErrorsOnOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors_one_line"]}
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "lessons": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
