"""Many findings: the table pages rather than drawing every row; the scale benchmark runs."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from pages import ROOT, SAMPLES, browser, open_report
from playwright.sync_api import expect

from trialguard.findings import Finding, Severity, Status
from trialguard.pipeline import validate_study
from trialguard.readers import read_study
from trialguard.reporting.html import render_html
from trialguard.spec.loader import load_spec

MANY = 2_345


def report_with_many_findings():
    """The clean RESOLUTION sample with MANY made-up AE findings under its first rule (and no
    other: the sample's IG gaps, conftest.SAMPLE_IG_GAPS, are taken out)."""
    report = validate_study(read_study([SAMPLES / "clean"]), load_spec("resolution"))
    for index, other in enumerate(report.results):
        if other.findings:
            report.results[index] = dataclasses.replace(other, findings=[], status=Status.PASSED)
    result = report.results[0]
    result.findings = [
        Finding(
            rule_id=result.rule.id,
            severity=result.rule.severity,
            domain="AE",
            usubjid=f"SUBJ-{n % 50:03d}",
            record=n + 1,
            variables=("AETERM",),
            values={"AETERM": f"TERM {n:05d}"},
            message=f"made-up finding {n}",
        )
        for n in range(MANY)
    ]
    report.results[0] = dataclasses.replace(result, status=Status.FAILED)
    return report


def test_the_findings_table_pages_through_many_findings(open_report):
    opened = open_report(render_html(report_with_many_findings(), per_rule=MANY))
    page = opened.page
    assert opened.visible_rows() == 100
    expect(page.locator("#page-info")).to_have_text("Rows 1–100 of 2,345 · page 1 of 24")
    page.click("#page-next")
    expect(page.locator("#page-info")).to_have_text("Rows 101–200 of 2,345 · page 2 of 24")
    assert page.locator("#findings-table tbody tr td:nth-child(4)").first.inner_text() == "101"
    # A printout holds the first 10 findings of each rule, and says so; or, chosen, every one.
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert opened.visible_rows() == 10
    expect(page.locator("#print-note")).to_contain_text("first 10 findings of each rule: 10 of")
    expect(page.locator("tr.rule-group")).to_contain_text("2,345 findings, the first 10 printed")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert opened.visible_rows() == 100
    page.select_option("#print-rows", "0")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert opened.visible_rows() == MANY
    expect(page.locator("#print-note")).to_have_text(
        "This printout holds every finding the filters show (2,345)."
    )
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert opened.visible_rows() == 100
    page.select_option("#page-size", "500")
    assert opened.visible_rows() == 500
    page.fill("#f-text", "term 01234")
    expect(page.locator("#shown-count")).to_have_text("(1 shown (filtered from 2,345))")
    assert page.is_disabled("#page-next") and page.is_disabled("#page-prev")
    assert opened.console_errors == []


def test_a_rule_with_more_findings_than_the_report_lists_says_how_many_more(open_report):
    opened = open_report(render_html(report_with_many_findings(), per_rule=1_000))
    page = opened.page
    expect(page.locator("#page-info")).to_have_text("Rows 1–100 of 1,000 · page 1 of 10")
    expect(page.locator("#shown-count")).to_have_text(
        "(1,000 shown; 1,345 more in the JSON report)"
    )
    expect(page.locator("tr.rule-group").first).to_contain_text(
        "1,000 findings, 1,345 more in the JSON report"
    )
    expect(page.locator("#cut-note")).to_contain_text("1,000 of 2,345, 1,345 more in the JSON")
    assert opened.console_errors == []


def test_the_html_scale_benchmark_runs(browser):
    script = ROOT / "benchmarks" / "html_report.py"
    result = subprocess.run(
        [sys.executable, str(script), "300"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "open until findings shown" in result.stdout and "HTML size" in result.stdout
