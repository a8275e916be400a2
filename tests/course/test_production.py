"""Production settings: `check --deploy` is clean, and pages, demo answers and static files
carry the same security headers."""

from __future__ import annotations

import importlib
import os
import re
import secrets
import subprocess
import sys

import httpx
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

from course.lean_handler import hsts_value
from tests.daphne import ROOT


def deploy_check(**env: str) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ)
    environ.pop("DJANGO_DEBUG", None)
    environ.update({"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), **env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("preload", ["0", "1"])
def test_check_deploy_is_clean_behind_https(preload: str) -> None:
    result = deploy_check(DJANGO_HTTPS="1", DJANGO_HSTS_PRELOAD=preload)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_step_pages_allow_style_attributes_for_the_editor_but_never_inline_scripts(
    client: Client,
) -> None:
    policy = client.get("/lessons/why-async-matters/steps/1/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"].startswith("'self' 'nonce-")
    assert directives["style-src-attr"] == "'unsafe-inline'"


def test_pages_carry_a_csp_without_unsafe_inline(client: Client) -> None:
    response = client.get("/lessons/why-async-matters/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "style=" not in response.content.decode()
    assert '"includeIndicatorStyles": false' in response.content.decode()


def test_hsts_includes_subdomains_and_preload_only_when_chosen(settings) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = False
    assert hsts_value() == "max-age=31536000; includeSubDomains"
    settings.SECURE_HSTS_PRELOAD = True
    assert hsts_value() == "max-age=31536000; includeSubDomains; preload"


@pytest.fixture
def asgi_app():
    # Imported here, not at collection: the static files it serves are collected by then.
    return importlib.import_module("course.asgi").application


async def asgi_get(app, path: str, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        return await client.get(path, headers=headers)


@pytest.mark.django_db(transaction=True)
async def test_static_files_are_hashed_compressed_and_cached_for_a_year(asgi_app) -> None:
    url = staticfiles_storage.url("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url)
    response = await asgi_get(asgi_app, url, **{"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "br"
    assert response.headers["cache-control"] == "max-age=31536000, public, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert ".progress__fill" in response.text  # httpx decoded the brotli
    gzip = await asgi_get(asgi_app, url, **{"Accept-Encoding": "gzip"})
    assert gzip.headers["content-encoding"] == "gzip"


@pytest.mark.django_db(transaction=True)
async def test_behind_https_demo_answers_and_static_files_redirect_and_carry_hsts(
    asgi_app, settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    static_url = staticfiles_storage.url("css/site.css")
    # (Pages: SecurityMiddleware, configured once at start-up, does the same.)
    for path in ("/demo/slow/", static_url):
        response = await asgi_get(asgi_app, path)
        assert response.status_code == 301, path
        assert response.headers["location"] == f"https://127.0.0.1{path}"
    demo = await asgi_get(asgi_app, "/demo/slow/", **{"X-Forwarded-Proto": "https"})
    assert demo.status_code == 200
    assert demo.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert demo.headers["content-security-policy"].startswith("default-src 'none'")
