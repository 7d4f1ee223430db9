"""How the HTML report copes with a large number of findings, in Debian chromium.

    python benchmarks/html_report.py [RECORDS_PER_DATASET]

Validates a study scaled up from the RESOLUTION defects sample (140,000
records per dataset gives over 100,000 findings), writes the HTML report and
opens it headless, then prints the file size and the wall time of: rendering
the file, opening it until the first page of findings is drawn, filtering by
severity, the first and a second free-text search, sorting by record, paging,
and opening a subject timeline.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT.parent / "tests" / "browser"))

from large_study import scaled_study  # noqa: E402
from pages import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (how the browser tests start chromium)

from trialguard.pipeline import validate_study  # noqa: E402
from trialguard.readers import read_study  # noqa: E402
from trialguard.reporting.html import render_html  # noqa: E402
from trialguard.spec.loader import load_spec  # noqa: E402


def timed(label: str, action) -> None:
    started = time.perf_counter()
    action()
    print(f"{label:<34}{time.perf_counter() - started:6.2f} s")


def measure_in_browser(html_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        counter = page.locator("#shown-count")
        rows = page.locator("#findings-table tbody tr[data-rule]")

        def open_page():
            page.goto(html_path.as_uri())
            expect(rows.first).to_be_visible(timeout=60_000)

        def search(text):
            def run():
                page.fill("#f-text", text)
                expect(counter).to_contain_text("filtered", timeout=60_000)

            return run

        def severity():
            page.select_option("#f-severity", "warning")
            expect(counter).to_contain_text("filtered", timeout=60_000)
            page.select_option("#f-severity", "")

        timed("open until findings shown", open_page)
        print(f"{'findings shown':<34}{counter.inner_text()}")
        timed("filter by severity", severity)
        timed("first free-text search", search("febrile"))
        page.fill("#f-text", "")
        timed("second free-text search", search("cyclophosphamide"))
        timed("sort by record", lambda: page.click("#findings-table th[data-sort='3']"))
        if page.is_enabled("#page-next"):
            timed("next page", lambda: page.click("#page-next"))
        timed(
            "open a subject timeline",
            lambda: (
                page.locator("#findings-table button.subject-link").first.click(),
                expect(page.locator("#subject-timeline svg")).to_be_visible(),
            ),
        )
        browser.close()


def main(records: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "study").mkdir()
        scaled_study(folder / "study", records)
        report = validate_study(read_study([folder / "study"]), load_spec("resolution"))
        print(f"{'findings':<34}{len(report.findings()):,}")
        html_path = folder / "report.html"
        timed("render HTML", lambda: html_path.write_text(render_html(report)))
        print(f"{'HTML size':<34}{html_path.stat().st_size / 2**20:.1f} MiB")
        measure_in_browser(html_path)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 140_000)
