"""Where the server starts: importing the application changes nothing about the importing
process; `course.serve` warms the lesson cache and freezes the garbage collector's view."""

from __future__ import annotations

import subprocess
import sys

from tests.daphne import ROOT, server_env

PROBE = """
import gc, sys
import course.asgi
print("after import:", gc.get_freeze_count())
from course.serve import server_prepare
server_prepare()
from lessons import selectors
print("after prepare:", gc.get_freeze_count() > 0, len(selectors._states))
"""


def test_importing_the_app_does_not_freeze_the_gc_but_starting_the_server_does(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=server_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "after import: 0"
    frozen, loaded = lines[1].removeprefix("after prepare: ").split()
    assert frozen == "True"
    assert int(loaded) >= 2  # every lesson file of the suite was parsed before any request
