"""Browser fixtures for tests/report/test_browser.py: Debian's Chromium driven by Playwright.

Playwright is imported inside the fixtures, so the rest of the suite does not need it.
The browser is the system Chromium (never a downloaded one); the network is closed, so
every background service that would try to reach it is switched off.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from roi_kit import report
from tests.paths import CHROMIUM, NOTEBOOKS

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Any http(s) URL whose host is not this machine.
_EXTERNAL = re.compile(r"^https?://(?!(127\.0\.0\.1|localhost|\[::1\])[:/])")
#: Where one screenshot of each kind is copied for a person to look at.
SHOTS_DIR = Path(os.environ.get("ROI_KIT_SHOTS", "/tmp/browser-shots"))


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions and every request URL."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    #: http(s) requests to anything but this machine: never sent, answered empty.
    external: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def quick_report(tmp_path_factory):
    """The report of 00_quick_roi, built once per test run, and how long it took (s).

    Shared by the report and browser tests: building a report starts a kernel (~10 s).
    """
    import time

    out = tmp_path_factory.mktemp("quick-report") / "reports"
    start = time.perf_counter()
    result = report.build_report(
        out, notebooks=[NOTEBOOKS / "00_quick_roi.ipynb"], title="Test study", progress=None
    )
    return result, time.perf_counter() - start


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (the system one, never downloaded)."""
    # Missing Chromium or Playwright: the `browser` marker skips (or, in CI, fails) first.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page (own context) whose console errors and requests are recorded.

    ``page.log`` is a :class:`PageLog`. Requests to other hosts never leave the machine:
    they are answered with an empty 200 (so the page behaves the same with or without a
    network) and listed in ``page.log.external`` for the test to judge.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    log = PageLog()

    def answer_empty(route):
        log.external.append(route.request.url)
        route.fulfill(status=200, body="")

    context.route(_EXTERNAL, answer_empty)
    pg = context.new_page()
    pg.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: log.page_errors.append(str(e)))
    pg.on("request", lambda r: log.requests.append(r.url))
    pg.on("requestfailed", lambda r: log.failed_requests.append(f"{r.url} ({r.failure})"))
    pg.log = log
    try:
        yield pg
    finally:
        context.close()


#: Pixels hidden by the tallest inner scrolling element (capped: a screenshot, not a poster).
_HIDDEN_HEIGHT_JS = """() => {
  let hidden = 0;
  for (const el of document.querySelectorAll("*")) {
    const overflow = getComputedStyle(el).overflowY;
    if ((overflow === "auto" || overflow === "scroll") && el.clientHeight > 200) {
      hidden = Math.max(hidden, el.scrollHeight - el.clientHeight);
    }
  }
  return Math.min(hidden, 4000);
}"""


@pytest.fixture
def screenshot(tmp_path):
    """``screenshot(page, name, grow=True)``: PNG under tmp_path, copied to SHOTS_DIR."""

    def take(pg, name: str, *, grow: bool = True) -> Path:
        path = tmp_path / f"{name}.png"
        # Voila (and JupyterLab) scroll inside a fixed-size element, so a "full page" shot
        # would show only the window: grow the window by what the inner scrollers hide.
        # grow=False keeps the window as it is (scroll what matters into view first).
        size = pg.viewport_size
        hidden = pg.evaluate(_HIDDEN_HEIGHT_JS) if grow else 0
        if size and hidden > 0:
            pg.set_viewport_size({"width": size["width"], "height": size["height"] + hidden})
            pg.wait_for_timeout(300)
        try:
            pg.screenshot(path=str(path), full_page=True)
        finally:
            if size and hidden > 0:
                pg.set_viewport_size(size)
        try:
            SHOTS_DIR.mkdir(parents=True, exist_ok=True)
            (SHOTS_DIR / path.name).write_bytes(path.read_bytes())
        except OSError:
            pass  # the copy is a convenience; the test's own file is what counts
        return path

    return take
