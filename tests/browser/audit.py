"""Accessibility audit with axe-core, injected into the page by the tests only.

axe-core is pinned in frontend/package.json and installed by `make test` (npm ci); the site
never serves it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Route

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}
# axe sets style attributes of its own while it measures, which the page's CSP refuses; the
# violation listener (tests/browser/conftest.py) leaves out what happens while it runs. (Were
# the grace period below too short, the test would fail, never pass wrongly.)
RUN = """async tags => {
    window.__axeRunning = true;
    try {
        return await window.axe.run(document, {
            runOnly: {type: "tag", values: tags},
            rules: {"color-contrast": {enabled: true}},
            resultTypes: ["violations"],
        });
    } finally {
        // Violation events are dispatched as tasks of their own, after the code that
        // caused them: let axe's arrive before the site's count again.
        await new Promise((resolve) => setTimeout(resolve, 200));
        window.__axeRunning = false;
    }
}"""


@cache
def axe_source() -> str:
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `make test` (it runs npm ci in frontend/)")
    return AXE.read_text()


def has_axe(page: Page) -> bool:
    return bool(page.evaluate("() => typeof window.axe === 'object'"))


def javascript_off(page: Page) -> bool:
    """Whether the page's context runs no scripts: HTML is then parsed with the scripting
    flag off, so <noscript> content becomes elements instead of text."""
    return bool(
        page.evaluate(
            """() => {
                const probe = document.createElement("div");
                probe.innerHTML = "<noscript><p></p></noscript>";
                return probe.firstChild.firstChild?.nodeType === Node.ELEMENT_NODE;
            }"""
        )
    )


def audit_without_javascript(page: Page) -> dict[str, Any]:
    """Audit a page from a context with JavaScript off, where axe cannot run.

    Its DOM, as that context rendered it, is served at the same URL to a fresh scripted
    context of the same viewport and color scheme, with the page's own scripts removed and
    its <noscript> content shown, so axe sees what a learner without JavaScript sees.
    """
    html = page.content()
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S | re.I)
    html = re.sub(r"<(/?)noscript\b", r"<\1div data-noscript", html, flags=re.I)
    scheme = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(
        viewport=page.viewport_size, color_scheme="dark" if scheme else "light"
    )
    try:
        audit_page = context.new_page()

        # The document (maybe a POST's answer) comes from the snapshot; its assets from
        # the server as usual.
        def serve(route: Route) -> None:
            if route.request.resource_type == "document":
                route.fulfill(body=html, content_type="text/html; charset=utf-8")
            else:
                route.continue_()

        audit_page.route("**/*", serve)
        audit_page.goto(page.url)
        audit_page.evaluate(axe_source())  # not a <script>: the CSP refuses inline ones
        return audit_page.evaluate(RUN, TAGS)  # type: ignore[no-any-return]
    finally:
        context.close()


def axe_audit(page: Page, context_name: str) -> list[dict[str, Any]]:
    """Run axe on the page as it is now; return its serious and critical violations.

    Each violation is printed readably (id, impact, targets, summary) under `context_name`,
    so a failing `assert axe_audit(...) == []` says what to fix and where.
    """
    if javascript_off(page):
        results = audit_without_javascript(page)
    else:
        if not has_axe(page):
            page.evaluate(axe_source())  # not a <script>: the CSP refuses inline ones
        results = page.evaluate(RUN, TAGS)
    violations = [v for v in results["violations"] if v.get("impact") in BLOCKING]
    report = []
    for violation in violations:
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
        print(f"[axe] {context_name}: {violation['id']} ({violation['impact']})")
        print(f"    {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            print(f"    {', '.join(map(str, node['target']))}: {summary}")
        report.append(
            {
                "context": context_name,
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": targets,
            }
        )
    return report
