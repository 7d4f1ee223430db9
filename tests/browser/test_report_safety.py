"""Payloads in every field of the data and the spec are shown as text and never executed."""

from __future__ import annotations

import csv
import dataclasses
import io

from conftest import PAYLOADS, hostile_report
from pages import browser, open_report

from trialguard.findings import Severity
from trialguard.reporting.html import render_html


def test_payloads_are_shown_as_text_and_never_run(open_report, tmp_path):
    report = hostile_report(tmp_path)
    assert report.timelines["available"], "the payload subject must get a timeline"
    opened = open_report(render_html(report))
    page = opened.page
    assert page.locator("img").count() == 0 and page.locator("script").count() == 2
    assert PAYLOADS[1] in page.inner_text(".verdict")  # the spec title, as text
    table_text = page.inner_text("#findings-table")
    assert PAYLOADS[0] in table_text and "{{ 7*7 }} <i>12</i>" in table_text
    page.locator("#findings-table button.subject-link").first.click()
    timeline = page.locator("#subject-timeline svg")
    assert timeline.count() == 1
    labels = timeline.locator("text").all_text_contents()
    assert any(PAYLOADS[0] in label for label in labels)  # the product and the AE term
    assert page.locator("img, iframe, object, embed").count() == 0
    assert opened.dialogs == [] and opened.console_errors == []
    assert opened.requests == [opened.url]


def test_csv_export_neutralises_formulas(open_report, tmp_path):
    report = hostile_report(tmp_path)
    formula = "=cmd|' /C calc'!A0"
    findings = report.rule("H-AGE").findings
    findings[0] = dataclasses.replace(
        findings[0],
        values={**findings[0].values, "AGE": formula},  # a value a spreadsheet would run
        message="+SUM(A1:A9)",
    )
    opened = open_report(render_html(report))
    with opened.page.expect_download() as download:
        opened.page.click("#csv-download")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    mine = [r for r in rows if r["rule_id"] == "H-AGE"]
    assert mine[0]["message"] == "'+SUM(A1:A9)"
    assert "AGE=" + formula in mine[0]["values"]  # inside a cell that starts with text
    assert all(not cell.startswith(("=", "+", "@")) for r in rows for cell in r.values())
