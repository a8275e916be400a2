"""Every benchmark, one after the other (about five minutes): `make bench`.

Each script starts its own servers on loopback and prints a markdown table; the README's
benchmark section is their output. Exit status 1 when any of them reports a missed budget.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = [
    "bench_checker.py",
    "bench_burst.py",
    "bench_db_hygiene.py",
    "bench_pages.py",
    "bench_pages_browser.py",
    "bench_check_storm.py",
]


def main() -> int:
    failed = []
    for script in SCRIPTS:
        print(f"\n## {script}\n", flush=True)
        if subprocess.run([sys.executable, str(BENCH / script)], check=False).returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nOver budget or failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
