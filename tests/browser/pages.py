"""Fixtures of the browser tests: Debian chromium driven by playwright, and the reports opened.

Without /usr/bin/chromium the browser tests are skipped with the reason, unless
TRIALGUARD_REQUIRE_BROWSER=1 (set by .ci/run), where they fail.
"""

from __future__ import annotations

import atexit
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from trialguard.pipeline import validate_study
from trialguard.readers import read_study
from trialguard.reporting.html import render_html
from trialguard.reporting.json import build_json
from trialguard.spec.loader import load_spec

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_data" / "resolution"
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking switches chromium phones home at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "reports" / "screenshots"


_chromium = None


def _shared_chromium():
    """One chromium for the whole run: each test module imports the fixture, so it is made once
    here rather than per module (playwright's sync driver allows one instance at a time)."""
    global _chromium
    if _chromium is None:
        from playwright.sync_api import sync_playwright

        driver = sync_playwright().start()
        _chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        atexit.register(driver.stop)
        atexit.register(_chromium.close)
    return _chromium


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        why = "Debian chromium is not installed (apt-get install chromium); .ci/run installs it"
        if os.environ.get("TRIALGUARD_REQUIRE_BROWSER") == "1":
            pytest.fail(why)
        pytest.skip(why)
    return _shared_chromium()


@dataclass
class OpenedReport:
    """A page showing a report, with everything the page said or asked for."""

    page: object
    url: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def visible_rows(self) -> int:
        return self.page.locator("#findings-table tbody tr[data-rule]").count()

    def shown_count(self) -> str:
        return self.page.locator("#shown-count").inner_text()


@pytest.fixture
def open_report(browser, tmp_path):
    pages = []

    def opener(html: str, name: str = "report.html", viewport=(1400, 900)) -> OpenedReport:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        page = browser.new_page(
            viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True
        )
        pages.append(page)
        opened = OpenedReport(page, path.as_uri())
        page.on("console", lambda m: m.type == "error" and opened.console_errors.append(m.text))
        page.on("pageerror", lambda e: opened.console_errors.append(str(e)))
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.goto(opened.url)
        return opened

    yield opener
    for page in pages:
        page.close()


@pytest.fixture(scope="session")
def defects_report():
    """The RESOLUTION defects sample: (HTML gated at error, its JSON form)."""
    report = validate_study(read_study([SAMPLES / "defects"]), load_spec("resolution"))
    return render_html(report), build_json(report)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
