"""The production layout, for real: two Daphne processes on one PostgreSQL and one Redis behind
nginx, started with the committed docs/nginx.conf (only its ports changed).

A learner's session, progress, the demo's caps and a server-fired run work whichever process
answers, and killing one process loses none of the learner's work. Runs under
`make test-scale` (DATABASE_URL on PostgreSQL, REDIS_URL, and Debian's nginx, which
.ci/services installs); skipped elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import httpx
import pytest

from lessons.selectors import lesson_get
from tests.conftest import SEED_SLUG
from tests.daphne import ROOT, free_port, server_env

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not (
        DATABASE_URL.startswith(("postgres://", "postgresql://"))
        and os.environ.get("REDIS_URL")
        and Path(NGINX).exists()
    ),
    reason="needs DATABASE_URL on PostgreSQL, REDIS_URL and nginx (make test-scale)",
)


@dataclass
class Site:
    proxy: str
    servers: list[tuple[str, subprocess.Popen[bytes]]]
    logs: list[Path]

    def log(self) -> str:
        return "\n".join(path.read_text() for path in self.logs if path.exists())


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/healthz/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not start:\n{log.read_text()}")
        time.sleep(0.1)


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A database of this test's own on the suite's PostgreSQL server, dropped afterwards."""
    import psycopg

    config = dj_database_url.parse(DATABASE_URL)
    name = f"{config['NAME']}_two_processes"
    admin = psycopg.connect(
        dbname=config["NAME"],
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield DATABASE_URL.rsplit("/", 1)[0] + "/" + name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def nginx_config(tmp: Path, *, listen: int, upstreams: list[int]) -> Path:
    site = (ROOT / "docs" / "nginx.conf").read_text()
    assert "listen 8000;" in site and "127.0.0.1:8001" in site and "127.0.0.1:8002" in site
    site = site.replace("listen 8000;", f"listen 127.0.0.1:{listen};")
    site = site.replace("127.0.0.1:8001", f"127.0.0.1:{upstreams[0]}")
    site = site.replace("127.0.0.1:8002", f"127.0.0.1:{upstreams[1]}")
    (tmp / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = f"""{user}daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # For the test only: which process answered.
    add_header X-Upstream $upstream_addr always;
    include {tmp}/site.conf;
}}
"""
    path = tmp / "nginx.conf"
    path.write_text(main)
    return path


@contextlib.contextmanager
def two_processes_behind_nginx(tmp: Path) -> Iterator[Site]:
    with fresh_database() as database_url, contextlib.ExitStack() as stack:
        env = server_env(tmp)
        env["DATABASE_URL"] = database_url
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        ports = [free_port(), free_port()]
        servers, logs = [], []
        for port in ports:
            log = tmp / f"daphne-{port}.log"
            logs.append(log)
            with log.open("w") as out:
                process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "course.serve",
                        "--proxy-headers",
                        "-e",
                        f"tcp:port={port}:interface=127.0.0.1:backlog=4096",
                        "course.asgi:application",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            stack.callback(stop, process)
            servers.append((f"http://127.0.0.1:{port}", process))
        for (url, process), log in zip(servers, logs, strict=True):
            wait_until_up(url, process, log)
        listen = free_port()
        nginx = subprocess.Popen(
            [NGINX, "-p", str(tmp), "-c", str(nginx_config(tmp, listen=listen, upstreams=ports))],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        stack.callback(stop, nginx)
        logs.append(tmp / "nginx-error.log")
        proxy = f"http://127.0.0.1:{listen}"
        wait_until_up(proxy, nginx, tmp / "nginx-error.log")
        yield Site(proxy, servers, logs)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def blocking_burst(urls: list[str], per_url: int) -> list[int]:
    async with httpx.AsyncClient(timeout=60) as client:
        responses = await asyncio.gather(
            *(
                client.get(f"{url}/demo/blocking/?burst={index}-{n}")
                for index, url in enumerate(urls)
                for n in range(per_url)
            )
        )
    return sorted(response.status_code for response in responses)


def websocket_handshake(proxy: str) -> str:
    host, port = proxy.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            (
                "GET /ws/demo/run/ HTTP/1.1\r\n"
                f"Host: {host}:{port}\r\n"
                f"Origin: {proxy}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        return sock.recv(4096).decode("latin-1").split("\r\n", 1)[0]


def test_two_daphne_processes_behind_nginx(tmp_path: Path) -> None:
    lesson = lesson_get(slug=SEED_SLUG)
    step_one = lesson.step(1)
    total = len(lesson.steps)
    with two_processes_behind_nginx(tmp_path) as site:
        learner = httpx.Client(base_url=site.proxy, timeout=30)
        try:
            # Session and progress: the check is saved by one process, seen by both.
            page = learner.get(f"/lessons/{SEED_SLUG}/steps/1/")
            assert page.status_code == 200, site.log()
            checked = learner.post(
                f"/lessons/{SEED_SLUG}/steps/1/check/",
                data={"csrfmiddlewaretoken": csrf_token(page.text), "code": step_one.solution},
            )
            assert checked.status_code == 200 and "Step passed" in checked.text
            answered_by = set()
            for _ in range(6):
                lesson_page = learner.get(f"/lessons/{SEED_SLUG}/")
                assert f"Progress 1/{total} steps" in lesson_page.text
                answered_by.add(lesson_page.headers["x-upstream"])
            assert len(answered_by) == 2, answered_by
            for url, _ in site.servers:
                direct = httpx.get(f"{url}/lessons/{SEED_SLUG}/", cookies=learner.cookies)
                assert f"Progress 1/{total} steps" in direct.text

            # Caps: one learner's blocking cap (6) holds across both processes: 8 requests,
            # 4 to each, are 6 answers and 2 refusals, not 8 answers.
            urls = [url for url, _ in site.servers]
            assert asyncio.run(blocking_burst(urls, 4)) == [200] * 6 + [429] * 2

            # A server-fired run (the no-JS form) through the proxy.
            lab = learner.get("/demo/")
            run = learner.post(
                "/demo/run/",
                data={"csrfmiddlewaretoken": csrf_token(lab.text), "mode": "async", "n": "20"},
            )
            assert run.status_code == 200, run.text[:500]
            assert "20 requests to slow_view took" in run.text
            # And the WebSocket the page streams runs over passes through nginx.
            assert websocket_handshake(site.proxy).startswith("HTTP/1.1 101")

            # Kill one process outright: the learner carries on through the other, and
            # nothing saved is lost.
            site.servers[0][1].send_signal(signal.SIGKILL)
            site.servers[0][1].wait(timeout=10)
            for _ in range(4):
                after = learner.get(f"/lessons/{SEED_SLUG}/steps/2/")
                assert after.status_code == 200
                assert f"Progress 1/{total} steps" in after.text
            step_two = learner.post(
                f"/lessons/{SEED_SLUG}/steps/2/check/",
                data={
                    "csrfmiddlewaretoken": csrf_token(after.text),
                    "code": lesson.step(2).solution,
                },
            )
            assert "Step passed" in step_two.text
            assert f"Progress 2/{total} steps" in learner.get(f"/lessons/{SEED_SLUG}/").text
        finally:
            learner.close()
