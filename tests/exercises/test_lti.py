"""LTI 1.3 against a simulated LMS: its own RSA keys and JWKS on a local HTTP server, launch
tokens it signs itself, and an AGS endpoint that records the score it receives.

The flow is the real one: the platform starts the OIDC login, the tool redirects back with a
state and a nonce, the platform posts a signed launch, the learner takes the lesson's test,
and on submit the tool fetches an access token and posts the score to the line item."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.test import Client
from jwcrypto.jwk import JWK
from lti_tool.models import Key, LtiDeployment, LtiRegistration

from exercises import models
from exercises.lti.models import LtiGradeTarget
from lessons.selectors import lesson_get
from tests.conftest import SEED_SLUG

pytestmark = pytest.mark.django_db

CLIENT_ID = "async-in-action"
DEPLOYMENT_ID = "deployment-1"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
TEST_URL = f"http://testserver/lessons/{SEED_SLUG}/test/"


@dataclass
class Platform:
    """The simulated LMS: keys, JWKS, token endpoint, a line item that records scores."""

    url: str
    key: JWK
    scores: list[dict[str, Any]] = field(default_factory=list)
    score_auth: list[str] = field(default_factory=list)
    token_requests: list[dict[str, list[str]]] = field(default_factory=list)

    @property
    def lineitem(self) -> str:
        return f"{self.url}/courses/7/lineitems/1/lineitem"

    def sign(self, claims: dict[str, Any], key: JWK | None = None) -> str:
        signer = key or self.key
        private_pem = signer.export_to_pem(private_key=True, password=None)
        return jwt.encode(claims, private_pem, algorithm="RS256", headers={"kid": signer.kid})

    def launch_claims(self, *, nonce: str, sub: str = "moodle-user-42") -> dict[str, Any]:
        now = int(time.time())
        lti = "https://purl.imsglobal.org/spec/lti/claim/"
        return {
            "iss": self.url,
            "aud": CLIENT_ID,
            "azp": CLIENT_ID,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": "Ada Learner",
            lti + "message_type": "LtiResourceLinkRequest",
            lti + "version": "1.3.0",
            lti + "deployment_id": DEPLOYMENT_ID,
            lti + "target_link_uri": TEST_URL,
            lti + "resource_link": {"id": "resource-link-1", "title": "Async test"},
            lti + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            lti + "context": {"id": "course-7", "title": "Django", "type": []},
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": [SCORE_SCOPE, LINEITEM_SCOPE],
                "lineitem": self.lineitem,
                "lineitems": f"{self.url}/courses/7/lineitems",
            },
        }


@pytest.fixture
def platform() -> Iterator[Platform]:
    key = JWK.generate(kty="RSA", size=2048, kid="platform-key-1")
    state: dict[str, Platform] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def answer(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/jwks":
                public = json.loads(key.export_public())
                self.answer(200, {"keys": [{**public, "alg": "RS256", "use": "sig"}]})
            else:
                self.answer(404, {})

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            platform = state["platform"]
            if self.path == "/token":
                platform.token_requests.append(parse_qs(body.decode()))
                self.answer(
                    200,
                    {"access_token": "platform-token", "token_type": "Bearer", "expires_in": 3600},
                )
            elif self.path == urlsplit(platform.lineitem).path + "/scores":
                platform.scores.append(json.loads(body))
                platform.score_auth.append(self.headers.get("Authorization", ""))
                self.answer(200, {})
            else:
                self.answer(404, {})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    platform = Platform(f"http://127.0.0.1:{server.server_address[1]}", key)
    state["platform"] = platform
    try:
        yield platform
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def registration(platform: Platform) -> LtiRegistration:
    """What an admin enters for the LMS (README: "LMS grade passback")."""
    Key.objects.generate()  # the tool's own key pair (`manage.py rotate_keys` in production)
    registration = LtiRegistration.objects.create(
        name="Moodle (simulated)",
        issuer=platform.url,
        client_id=CLIENT_ID,
        auth_url=f"{platform.url}/auth",
        token_url=f"{platform.url}/token",
        keyset_url=f"{platform.url}/jwks",
    )
    LtiDeployment.objects.create(
        registration=registration, deployment_id=DEPLOYMENT_ID, is_active=True
    )
    return registration


def login(client: Client, platform: Platform, registration: LtiRegistration) -> dict[str, str]:
    """The platform starts the OIDC login; the tool redirects to its auth URL."""
    response = client.get(
        f"/lti/init/{registration.uuid}/",
        {
            "iss": platform.url,
            "login_hint": "moodle-user-42",
            "target_link_uri": TEST_URL,
            "lti_message_hint": "hint",
            "client_id": CLIENT_ID,
        },
    )
    assert response.status_code == 302, response.content
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{platform.url}/auth"
    params = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert params["redirect_uri"] == "http://testserver/lti/launch/"
    assert params["client_id"] == CLIENT_ID
    return params


def take_the_test_all_right(client: Client) -> models.TestAttempt:
    lesson = lesson_get(slug=SEED_SLUG)
    attempt_url = client.post(f"/lessons/{SEED_SLUG}/test/start/")["Location"]
    attempt = models.TestAttempt.objects.get(pk=int(re.findall(r"\d+", attempt_url)[-1]))
    answers = {}
    for number, entry in enumerate(attempt.questions, start=1):
        right = lesson.question(entry["id"]).correct_option.id
        answers[f"q{number}"] = chr(ord("A") + entry["options"].index(right))
    response = client.post(attempt_url + "submit/", answers)
    assert response.status_code == 302
    attempt.refresh_from_db()
    return attempt


def test_a_launch_signs_the_lms_user_in_and_the_score_goes_back(platform, registration) -> None:
    client = Client()
    params = login(client, platform, registration)
    token = platform.sign(platform.launch_claims(nonce=params["nonce"]))
    response = client.post("/lti/launch/", {"id_token": token, "state": params["state"]})
    assert response.status_code == 302, response.content
    assert response["Location"] == f"/lessons/{SEED_SLUG}/test/"
    assert "Start" in client.get(response["Location"]).content.decode()

    attempt = take_the_test_all_right(client)
    assert attempt.score == attempt.total == 10
    target = LtiGradeTarget.objects.get()
    assert (target.learner, target.lesson_slug) == (attempt.learner, SEED_SLUG)

    # The tool asked the platform for a token with a signed client assertion, then posted
    # the score to the line item with it.
    assert platform.token_requests and platform.token_requests[0]["grant_type"] == [
        "client_credentials"
    ]
    assert platform.score_auth == ["Bearer platform-token"]
    [score] = platform.scores
    assert score["userId"] == "moodle-user-42"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (10, 10)
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")


def test_the_same_lms_user_is_the_same_learner_on_every_launch(platform, registration) -> None:
    learners = set()
    for _ in range(2):
        client = Client()
        params = login(client, platform, registration)
        token = platform.sign(platform.launch_claims(nonce=params["nonce"]))
        client.post("/lti/launch/", {"id_token": token, "state": params["state"]})
        learners.add(client.session["learner_id"])
    assert len(learners) == 1 and next(iter(learners)).startswith("lti-")


def test_a_launch_signed_by_another_key_is_refused(platform, registration) -> None:
    client = Client()
    params = login(client, platform, registration)
    forger = JWK.generate(kty="RSA", size=2048, kid="platform-key-1")
    token = platform.sign(platform.launch_claims(nonce=params["nonce"]), key=forger)
    response = client.post("/lti/launch/", {"id_token": token, "state": params["state"]})
    assert response.status_code == 400
    assert "learner_id" not in client.session
    assert not LtiGradeTarget.objects.exists()


def test_a_replayed_or_unknown_state_is_refused(platform, registration) -> None:
    client = Client()
    params = login(client, platform, registration)
    token = platform.sign(platform.launch_claims(nonce=params["nonce"]))
    response = client.post("/lti/launch/", {"id_token": token, "state": "not-the-state"})
    assert response.status_code == 400


def test_a_platform_that_is_down_does_not_break_the_test(platform, registration) -> None:
    client = Client()
    params = login(client, platform, registration)
    token = platform.sign(platform.launch_claims(nonce=params["nonce"]))
    client.post("/lti/launch/", {"id_token": token, "state": params["state"]})
    LtiRegistration.objects.update(token_url="http://127.0.0.1:9/token")
    attempt = take_the_test_all_right(client)
    assert attempt.score == 10 and platform.scores == []
