"""Triage at scale in a real browser: the verdict banner counts, the findings ordered by
severity then rule with each rule's description once, the file list folded below the triage,
and a printout that fits the page width."""

from __future__ import annotations

import dataclasses

from pages import SAMPLES, browser, defects_report, open_report
from playwright.sync_api import expect

from trialguard.pipeline import validate_study
from trialguard.readers import read_study
from trialguard.reporting.html import render_html
from trialguard.spec.loader import load_spec

RANK = {"error": 3, "warning": 2, "notice": 1}
# What the findings table draws: each row's kind, severity, rule and message text.
TABLE_ROWS = """() => [...document.querySelectorAll('#findings-table tbody tr')].map(tr => ({
  group: tr.classList.contains('rule-group'),
  severity: tr.dataset.severity,
  rule: tr.dataset.rule || tr.dataset.group,
  text: tr.innerText,
  ruleText: tr.querySelectorAll('.rule-text').length,
}))"""
A4_WIDTH = 718  # CSS pixels between the printed page's side margins: 210 mm less 2 x 10 mm
# Every cell of the page's tables, and what of its content overflows it or the page.
CUT_CELLS = """width => [...document.querySelectorAll('main td, main th')]
  .filter(cell => cell.offsetParent !== null)
  .filter(cell => cell.getBoundingClientRect().right > width + 0.5
               || cell.scrollWidth > cell.clientWidth + 1)
  .map(cell => cell.closest('table').className + ': ' + cell.innerText.slice(0, 60))"""


def test_the_verdict_banner_counts_findings_and_the_subjects_they_are_about(
    open_report, defects_report
):
    html, data = defects_report
    page = open_report(html).page
    counts = page.locator("#verdict #verdict-counts")
    summary = data["summary"]
    subjects = {f["usubjid"] for f in data["findings"] if f["usubjid"] and not f["waiver"]}
    expect(counts).to_contain_text(f"{summary['error']} errors")
    expect(counts).to_contain_text(f"{summary['warning']} warnings")
    expect(counts).to_contain_text(f"{summary['notice']} notices")
    expect(counts).to_contain_text(f"{len(subjects)} subjects with findings")
    expect(counts).not_to_contain_text("new since")  # no previous transfer to compare with


def test_findings_come_by_severity_then_rule_with_each_rules_description_once(
    open_report, defects_report
):
    html, data = defects_report
    page = open_report(html).page
    rows = page.evaluate(TABLE_ROWS)
    findings = [r for r in rows if not r["group"]]
    assert len(findings) == len(data["findings"])
    order = [(-RANK[r["severity"]], r["rule"]) for r in findings]
    assert order == sorted(order) and findings[0]["severity"] == "error"
    groups = [r for r in rows if r["group"]]
    assert [g["rule"] for g in groups] == list(dict.fromkeys(r["rule"] for r in findings))
    descriptions = {r["id"]: r["description"] for r in data["rules"]}
    for group in groups:  # said in full, or its first 300 characters when longer
        assert descriptions[group["rule"]][:300] in group["text"]
    assert sum(r["ruleText"] for r in findings) == 0  # no row repeats it
    page.click("#findings-table th[data-sort='3']")  # by record: rules mix, each row says its rule
    rows = page.evaluate(TABLE_ROWS)
    assert not any(r["group"] for r in rows) and all(r["ruleText"] == 1 for r in rows)


def test_the_file_list_is_folded_below_the_triage_on_the_first_screen(open_report):
    report = validate_study(read_study([SAMPLES / "defects"]), load_spec("resolution"))
    fifteen = dataclasses.replace(report, inputs=report.inputs * 3)
    page = open_report(render_html(fifteen), viewport=(1400, 900)).page
    triage, inputs = page.locator("#triage"), page.locator("#identity")
    assert triage.bounding_box()["y"] < 400 < inputs.bounding_box()["y"]
    expect(page.locator("table.inputs")).to_be_hidden()
    expect(inputs.locator("summary")).to_contain_text("15 dataset file(s) read")
    inputs.locator("summary").click()
    expect(page.locator("table.inputs")).to_be_visible()
    inputs.locator("summary").click()
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    expect(page.locator("table.inputs")).to_be_visible()  # a printout is an audit copy


def test_a_printout_fits_the_page_width_and_cuts_no_message(open_report):
    report = validate_study(read_study([SAMPLES / "defects"]), load_spec("resolution"))
    result = next(r for r in report.results if r.findings)
    long = "the visit date is after the end of the study " * 6 + "Z" * 120
    result.findings[0] = dataclasses.replace(
        result.findings[0], message=long, values={"AETERM": "W" * 200, "AEDECOD": long}
    )
    opened = open_report(render_html(report), viewport=(1400, 900))
    page = opened.page
    page.select_option("#print-rows", "0")  # every finding, not the first 10 of each rule
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_WIDTH, "height": 1000})
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert opened.visible_rows() == len(report.findings())
    assert page.evaluate("() => document.documentElement.scrollWidth") <= A4_WIDTH
    assert page.evaluate(CUT_CELLS, A4_WIDTH) == []
    message = page.locator("#findings-table td", has_text="the visit date is after").last
    assert message.bounding_box()["x"] + message.bounding_box()["width"] <= A4_WIDTH
