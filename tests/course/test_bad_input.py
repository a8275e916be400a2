"""Bad input gets a clear 4xx with a body that says what is wrong: never a 500, never a
dropped connection, and one line in the log rather than a traceback."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.daphne import RunningServer

SLUG = "why-async-matters"
TOKEN = "abcdefghijklmnopqrstuvwxyzABCDEF"  # a well-formed csrftoken cookie value
KOI8_FORM = "application/x-www-form-urlencoded; charset=koi8-r"


def csrf_client() -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = TOKEN
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz/", f"/lessons/{SLUG}/steps/1/check/", "/demo/run/"])
def test_a_form_post_in_another_charset_is_refused_with_a_page(path: str) -> None:
    response = csrf_client().post(path, data="a=b", content_type=KOI8_FORM)
    assert response.status_code == 400
    body = response.content.decode()
    assert "We couldn't read what was sent" in body
    assert "must be UTF-8 encoded" in body


def test_a_huge_number_in_the_grade_api_is_a_json_400(client: Client) -> None:
    body = '{"answers": {"why-async-views": ' + "1" * 4400 + "}}"
    response = client.post(
        f"/api/lessons/{SLUG}/quiz/grade/", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "number too long" in response.json()["error"]


@pytest.mark.django_db
def test_the_staff_preview_of_a_slug_too_long_for_a_file_name_is_a_404() -> None:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("teacher", password="pw", is_staff=True))
    response = client.get(f"/lessons/{'a' * 253}/preview/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_an_api_url_that_matches_nothing_answers_json(client: Client) -> None:
    response = client.get("/api/lessons/not_a%20slug/quiz/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/demo/run/", "/demo/browser-run/"])
@pytest.mark.parametrize("mode", [None, "turbo"])
def test_a_demo_run_without_a_known_mode_says_so(path: str, mode: str | None) -> None:
    data = {"n": "3"} if mode is None else {"n": "3", "mode": mode}
    response = Client().post(path, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "This field is required." in body or "Select a valid choice" in body


def raw_request(server: RunningServer, request: bytes) -> bytes:
    """Send bytes as they are (httpx would tidy the path) and read the whole answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "path",
    [
        "/static/../course/settings.py",
        "/static/%2e%2e/course/settings.py",
        "/static/..%2fcourse/settings.py",
        "/static/%2e%2e%2fcourse%2fsettings.py",
        "/static/css/../../course/settings.py",
        "/static/css/%2e%2e/%2e%2e/course/settings.py",
    ],
)
def test_a_path_out_of_the_static_folder_is_a_404_page(site_server: RunningServer, path: str):
    answer = raw_request(
        site_server, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 404"), head
    assert b"We couldn't find that page" in body
    assert b"SECRET_KEY" not in body


@pytest.mark.parametrize("boundary", [None, "a" * 5000])
def test_a_multipart_body_without_a_usable_boundary_is_a_400_page(
    site_server: RunningServer, boundary: str | None
):
    client = httpx.Client(base_url=site_server.url)
    client.cookies["csrftoken"] = TOKEN
    content_type = "multipart/form-data" + (f"; boundary={boundary}" if boundary else "")
    response = client.post(
        f"/lessons/{SLUG}/steps/1/check/",
        content=b"--x\r\n",
        headers={"Content-Type": content_type, "X-CSRFToken": TOKEN},
    )
    assert response.status_code == 400
    assert "We couldn't read what was sent" in response.text
    assert "boundary" in response.text


def test_refusals_are_one_line_each_in_the_server_log(site_server: RunningServer):
    client = httpx.Client(base_url=site_server.url)
    client.cookies["csrftoken"] = TOKEN
    response = client.post(
        "/healthz/", content=b"a=b", headers={"Content-Type": KOI8_FORM, "X-CSRFToken": TOKEN}
    )
    assert response.status_code == 400
    response = client.post(
        f"/api/lessons/{SLUG}/quiz/grade/",
        content=json.dumps({"answers": {"x": 1}}).replace("1", "1" * 4400).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    log = site_server.log()
    assert "must be UTF-8 encoded.: /healthz/" in log
    assert "Traceback" not in log


def test_a_half_sent_request_does_not_hold_its_connection(site_server: RunningServer):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", site_server.port), timeout=60) as sock:
        sock.sendall(b"GET /healthz/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        while sock.recv(65536):  # the server closes it: recv answers b""
            pass
    elapsed = time.monotonic() - started
    assert 5 < elapsed < 50, elapsed  # the idle timeout (20 s), not the client's 60


@pytest.mark.parametrize(
    ("request_bytes", "status", "message"),
    [
        (b"GET /" + b"a" * 17_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"414", b"16 KB"),
        (
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + b"a" * 17_000 + b"\r\n\r\n",
            b"431",
            b"cookie",
        ),
        (
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + b"".join(b"X-%d: %s\r\n" % (i, b"a" * 1000) for i in range(20))
            + b"\r\n",
            b"431",
            b"16 KB in all",
        ),
    ],
)
def test_oversized_request_lines_and_headers_get_an_answer(
    site_server: RunningServer, request_bytes: bytes, status: bytes, message: bytes
):
    answer = raw_request(site_server, request_bytes)
    assert answer.startswith(b"HTTP/1.1 " + status), answer[:100]
    assert message in answer
