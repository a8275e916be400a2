"""Page weight and speed in a real browser: each page loaded in Debian's Chromium.

    .venv/bin/python bench/bench_pages_browser.py            # 5 loads of each page
    .venv/bin/python bench/bench_pages_browser.py --runs 10

Starts the site as `make run` serves it (Daphne, DEBUG off, a throwaway SQLite database),
then loads each page in a fresh browser context (empty cache, new cookies) `--runs` times.
Reports the median DOMContentLoaded and load times from the Navigation Timing API, and the
bytes of the first load by type (JS, CSS, other: the HTML, images), both as transferred over
the wire and as decoded. Budget (issue): the lesson page ships < 300 KB of JavaScript and CSS
before the editor loads (the editor's bundle is only on step pages). Prints a markdown table;
exits 1 if the budget is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from playwright.sync_api import Browser, sync_playwright
from server import CHROMIUM, CHROMIUM_ARGS, site_running

SLUG = "why-async-matters"
PAGES = [
    ("catalogue", "/"),
    ("lesson", f"/lessons/{SLUG}/"),
    ("step 1", f"/lessons/{SLUG}/steps/1/"),
    ("practice", f"/lessons/{SLUG}/practice/"),
    ("test start", f"/lessons/{SLUG}/test/"),
    ("demo lab", "/demo/"),
]
LESSON_BUDGET = 300 * 1024

MEASURE = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const kinds = {js: [0, 0], css: [0, 0], other: [0, 0]};
  const add = (kind, entry) => {
    kinds[kind][0] += entry.transferSize; kinds[kind][1] += entry.decodedBodySize;
  };
  add("other", nav);
  for (const entry of performance.getEntriesByType("resource")) {
    const path = new URL(entry.name).pathname;
    add(path.endsWith(".js") ? "js" : path.endsWith(".css") ? "css" : "other", entry);
  }
  return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, kinds};
}"""


def measure(browser: Browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        return dict(page.evaluate(MEASURE))
    finally:
        context.close()


def kb(size: float) -> str:
    return f"{size / 1024:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with (
        site_running(wait_time=0.3) as (base, _process),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        rows = []
        lesson_assets = 0
        for name, path in PAGES:
            measure(browser, base + path)  # warm the server's caches, not the browser's
            runs = [measure(browser, base + path) for _ in range(args.runs)]
            kinds = runs[0]["kinds"]
            js_css = kinds["js"][1] + kinds["css"][1]
            if name == "lesson":
                lesson_assets = js_css
            rows.append(
                f"| {name} | {statistics.median(r['dcl'] for r in runs):.0f} ms "
                f"| {statistics.median(r['load'] for r in runs):.0f} ms "
                f"| {kb(kinds['js'][0])} / {kb(kinds['js'][1])} "
                f"| {kb(kinds['css'][0])} / {kb(kinds['css'][1])} "
                f"| {kb(kinds['other'][0])} / {kb(kinds['other'][1])} "
                f"| {kb(sum(v[0] for v in kinds.values()))} | {kb(js_css)} |"
            )
        browser.close()
    print(f"Median of {args.runs} loads, each in a fresh context (empty cache); KB = 1024 bytes.")
    print("Bytes as transferred / decoded.\n")
    print(
        "| Page | DOMContentLoaded | load | JS KB | CSS KB | other KB (HTML, images) "
        "| transferred KB | JS + CSS decoded KB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    ok = lesson_assets < LESSON_BUDGET
    print(
        f"\nLesson page JS + CSS: {kb(lesson_assets)} KB decoded, budget < {kb(LESSON_BUDGET)} KB:"
        f" {'met' if ok else 'MISSED'}."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
