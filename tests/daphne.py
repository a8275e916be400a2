"""A real Daphne server for the tests, started as `make run` starts it: its own SQLite file,
DEBUG off, the endpoint form with a large listen backlog."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
WAIT_TIME = 0.3


@dataclass
class RunningServer:
    url: str
    process: psutil.Process
    log_path: Path

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def log(self) -> str:
        return self.log_path.read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(tmp_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "course.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "insecure-key-for-the-test-servers-only",
            "DATABASE_URL": f"sqlite:///{tmp_dir / 'server.sqlite3'}",
            "COURSE_WAIT_TIME": os.environ.get("COURSE_WAIT_TIME", str(WAIT_TIME)),
        }
    )
    return env


_static_collected = False
MANIFEST = ROOT / "staticfiles" / "staticfiles.json"


def _static_fresh() -> bool:
    """The manifest is newer than every source file and the installed packages (as make's
    rule for it says), so collecting again would write the same files."""
    if not MANIFEST.exists():
        return False
    sources = [path for path in (ROOT / "static").rglob("*") if path.is_file()]
    sources.append(ROOT / ".venv" / ".installed")
    built = MANIFEST.stat().st_mtime
    return all(path.stat().st_mtime <= built for path in sources if path.exists())


def static_collect() -> None:
    """Run collectstatic once per test session, as `make run` does: pages rendered with DEBUG
    off name the hashed files in its manifest, and ServeStatic serves what it wrote."""
    global _static_collected
    if _static_collected or _static_fresh():
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--skip-checks", "-v", "0"],
        cwd=ROOT,
        env=server_env(ROOT),
        check=True,
    )
    MANIFEST.touch()
    _static_collected = True


@contextlib.contextmanager
def daphne_running(
    tmp_dir: Path, *, app: str = "course.asgi:application", stock: bool = False
) -> Iterator[RunningServer]:
    """Migrate a fresh database, start Daphne on a free port, wait until it answers.

    `stock=True` serves another application (`app`, e.g. bench/baseline_app.py's stock Django
    project) with plain Daphne and no migration."""
    env = server_env(tmp_dir)
    if not stock:
        static_collect()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    port = free_port()
    log_path = tmp_dir / "daphne.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne" if stock else "course.serve",
                "-e",
                f"tcp:port={port}:interface=127.0.0.1:backlog=4096",
                app,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url + "/healthz/", timeout=1)
            break
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("Daphne did not start:\n" + log_path.read_text()) from None
            time.sleep(0.1)
    try:
        yield RunningServer(url, psutil.Process(process.pid), log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
