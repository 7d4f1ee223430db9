"""How the report lays out values on screen, and what a printout of it shows on every page."""

from __future__ import annotations

import dataclasses

from pages import SAMPLES, browser, defects_report, open_report, screenshots
from playwright.sync_api import expect

from trialguard.pipeline import validate_study
from trialguard.readers import read_study
from trialguard.reporting.html import render_html
from trialguard.spec.loader import load_spec

# Per item of a values cell: its text and how many lines that text is drawn on.
LINES_PER_ITEM = """cell => [...cell.children].map(item => {
  const range = document.createRange();
  range.selectNodeContents(item);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return {text: item.textContent, lines: tops.size};
})"""
PRINT_HIDDEN = (
    "nav.toc",
    "#f-severity",
    "#f-domain",
    "#f-rule",
    "#f-state",
    "#f-subject",
    "#f-text",
    "#f-clear",
    "#csv-download",
    "#page-prev",
    "#page-next",
    "#page-size",
)


def html_with_values(**values) -> str:
    """The RESOLUTION defects report, its CT-DLT-MISS finding given these values too."""
    report = validate_study(read_study([SAMPLES / "defects"]), load_spec("resolution"))
    findings = report.rule("CT-DLT-MISS").findings
    findings[0] = dataclasses.replace(findings[0], values={**findings[0].values, **values})
    return render_html(report)


def test_a_long_value_keeps_to_one_line_and_is_never_broken_inside_a_word(open_report):
    long = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 4
    huge = "WORD " * 40 + "Z" * 1_000
    opened = open_report(html_with_values(AETERM=long, AENOTE=huge))
    page = opened.page
    page.select_option("#f-rule", "CT-DLT-MISS")
    cell = page.locator("#findings-table tbody tr[data-rule] td.values")
    items = cell.evaluate(LINES_PER_ITEM)
    assert f"AETERM={long}" in [item["text"] for item in items]
    assert [item["lines"] for item in items] == [1] * len(items)
    # a very long value is cut for display at 300 characters, still on one line
    (cut,) = [item["text"] for item in items if item["text"].startswith("AENOTE=")]
    assert cut.startswith(f"AENOTE={huge}"[:300] + "\u2026 (1,200 characters in all")
    assert cell.bounding_box()["width"] < 400  # a long item scrolls inside its cell
    assert opened.console_errors == []


def test_a_printout_hides_the_controls_and_heads_every_page_with_study_spec_and_run(
    open_report, defects_report, screenshots
):
    html, data = defects_report
    page = open_report(html).page
    header = page.locator("#running-header")
    expect(header).to_be_hidden()  # on screen the verdict at the top says the same
    page.emulate_media(media="print")
    for selector in PRINT_HIDDEN:
        expect(page.locator(selector)).to_be_hidden()
    expect(header).to_be_visible()
    spec, run = data["spec"], data["run"]
    expect(header).to_contain_text(f"Study {data['study']['studyid'][0]}")
    expect(header).to_contain_text(f"spec {spec['id']} {spec['version']}")
    expect(header).to_contain_text(f"run {run['id']}")
    # chromium draws a fixed element on every printed page
    assert header.evaluate("e => getComputedStyle(e).position") == "fixed"
    pdf = page.pdf(path=screenshots / "report-print.pdf")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") > 1
