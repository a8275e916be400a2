"""Starting the site (and the baseline app) for the benchmarks: Daphne on loopback, DEBUG
off, a throwaway SQLite database, the endpoint form `make run` uses."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
HOST = "127.0.0.1"
SECRET = "insecure-key-for-the-bench-only"
# Debian's Chromium, launched as the browser tests launch it (never a downloaded browser).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def daphne_command(app: str, port: int, backlog: str) -> list[str]:
    # The site starts as `make run` starts it (course.serve warms up, then runs Daphne); the
    # baseline app through plain Daphne.
    starter = ["course.serve"] if app == "course.asgi:application" else ["daphne"]
    if backlog == "default":
        # Daphne's -b/-p form: Twisted listens with its default backlog of 50.
        return [PYTHON, "-m", *starter, "-b", HOST, "-p", str(port), app]
    # The endpoint form the Makefile's `make run` uses.
    endpoint = f"tcp:port={port}:interface={HOST}:backlog={backlog}"
    return [PYTHON, "-m", *starter, "-e", endpoint, app]


def bench_env(tmp_dir: Path, wait_time: float) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "course.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": SECRET,
            "DATABASE_URL": f"sqlite:///{tmp_dir / 'bench.sqlite3'}",
            "COURSE_WAIT_TIME": str(wait_time),
        }
    )
    return env


@contextlib.contextmanager
def running_server(
    app: str, *, env: dict[str, str], backlog: str, log_path: Path
) -> Iterator[tuple[str, psutil.Process]]:
    """Start Daphne serving `app`, wait until it answers, yield (base URL, its process)."""
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            daphne_command(app, port, backlog),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection((HOST, port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{app} did not start:\n{log_path.read_text()}") from None
                time.sleep(0.1)
        yield f"http://{HOST}:{port}", psutil.Process(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def site_running(*, wait_time: float) -> Iterator[tuple[str, psutil.Process]]:
    """The site with a fresh, migrated database: (base URL, server process)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        env = bench_env(tmp_dir, wait_time=wait_time)
        for command in (["migrate"], ["collectstatic"]):
            subprocess.run(
                [PYTHON, "manage.py", *command, "--noinput", "-v", "0"],
                cwd=ROOT,
                env=env,
                check=True,
            )
        with running_server(
            "course.asgi:application", env=env, backlog="4096", log_path=tmp_dir / "daphne.log"
        ) as running:
            yield running
