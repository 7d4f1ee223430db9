"""The HTML report in a real browser: loads clean and offline, filters, sorts, pages, downloads
CSV, opens subject timelines, and looks right (screenshots in reports/screenshots/)."""

from __future__ import annotations

import csv
import io

from pages import (
    browser,
    defects_report,
    open_report,
    screenshots,
)
from playwright.sync_api import expect


def findings_where(report_json, **wanted):
    return [f for f in report_json["findings"] if all(f[k] == v for k, v in wanted.items())]


def test_report_loads_with_no_console_error_and_no_network_request(open_report, defects_report):
    html, _ = defects_report
    opened = open_report(html)
    opened.page.wait_for_selector("#findings-table tbody tr[data-rule]")
    assert opened.console_errors == []
    assert opened.requests == [opened.url]
    assert opened.page.locator(".verdict h1").inner_text().startswith("Reject")


def test_filters_and_search_change_the_visible_rows(open_report, defects_report):
    html, data = defects_report
    opened = open_report(html)
    page = opened.page
    # the planted findings and the 11 IG gaps every sample has (conftest.SAMPLE_IG_GAPS)
    assert opened.visible_rows() == len(data["findings"]) == 40 + 11

    page.select_option("#f-severity", "warning")
    assert opened.visible_rows() == len(findings_where(data, severity="warning")) == 2 + 10
    page.select_option("#f-severity", "")

    page.select_option("#f-domain", "DM")
    assert opened.visible_rows() == len(findings_where(data, domain="DM"))
    page.select_option("#f-rule", "RES-AGE")
    assert opened.visible_rows() == 1
    page.click("#f-clear")
    assert opened.visible_rows() == 40 + 11

    page.fill("#f-subject", "ALLO-329-101-0111")
    expect(page.locator("#shown-count")).to_contain_text("filtered")
    expected = findings_where(data, usubjid="ALLO-329-101-0111")
    assert opened.visible_rows() == len(expected) == 4
    page.fill("#f-subject", "")

    page.fill("#f-text", "febrile neutropenia")
    expect(page.locator("#shown-count")).to_have_text("(1 shown (filtered from 51))")
    row = page.locator("#findings-table tbody tr[data-rule]")
    assert row.count() == 1 and "CT-DLT-MISS" in row.inner_text()


def test_a_rule_link_in_the_triage_table_shows_that_rules_findings(open_report, defects_report):
    html, data = defects_report
    opened = open_report(html)
    opened.page.click("#triage button.rule-link[data-rule='RES-LD-ARM']")
    assert opened.page.input_value("#f-rule") == "RES-LD-ARM"
    assert opened.visible_rows() == len(findings_where(data, rule_id="RES-LD-ARM")) == 3


def test_sorting_by_a_column_orders_the_rows(open_report, defects_report):
    opened = open_report(defects_report[0])
    page = opened.page
    page.click("#findings-table th[data-sort='3']")  # Record
    records = page.locator("#findings-table tbody tr td:nth-child(4)").all_inner_texts()
    numbers = [int(r) for r in records if r != "dataset"]
    assert numbers == sorted(numbers) and records[-2:] == ["dataset", "dataset"]
    page.click("#findings-table th[data-sort='3']")
    descending = page.locator("#findings-table tbody tr td:nth-child(4)").all_inner_texts()
    assert [int(r) for r in descending if r != "dataset"] == sorted(numbers, reverse=True)
    page.click("#findings-table th[data-sort='0']")  # severity: errors first after two clicks
    page.click("#findings-table th[data-sort='0']")
    assert page.locator("#findings-table tbody tr").first.get_attribute("data-severity") == "error"


def test_a_subject_timeline_opens_from_a_finding(open_report, defects_report):
    html, data = defects_report
    opened = open_report(html)
    page = opened.page
    page.fill("#f-subject", "ALLO-329-101-0106")
    expect(page.locator("#shown-count")).to_contain_text("filtered")
    page.locator("#findings-table button.subject-link").first.click()
    detail = page.locator("#subject-detail")
    assert detail.is_visible()
    assert "ALLO-329-101-0106 · DL2-FC · Day 0 = 2025-09-03" in page.inner_text("#subject-title")
    timeline = detail.locator("svg.timeline")
    assert timeline.locator("line.day0").count() == 1
    assert timeline.locator("rect.dlt-window").count() == 1
    assert timeline.locator("rect.bar.ae").count() == 1  # the late febrile neutropenia
    assert timeline.locator("polygon.triangle").count() == 1  # its DLT record, on Day 35
    # Both findings pinned: the late DLT (Day 35) and the EX record with route IV (Day -5).
    pins = timeline.locator("path.finding-pin")
    assert pins.count() == len(findings_where(data, usubjid="ALLO-329-101-0106")) == 2
    assert sorted(pins.evaluate_all("ps => ps.map(p => p.dataset.rule)")) == [
        "CT-DLT-WIN",
        "SD-CT-SUBSET",
    ]
    assert detail.locator("#subject-findings li").count() == 2
    assert detail.locator("#subject-events tr").count() == 7  # 5 EX, 1 AE, 1 DLT


def test_a_swimmer_lane_opens_its_subject(open_report, defects_report):
    opened = open_report(defects_report[0])
    page = opened.page
    lanes = page.locator("#swimmer g.lane")
    assert lanes.count() == 16  # every treated subject of the sample
    page.locator("#swimmer g.lane[data-subject='ALLO-329-101-0112']").click()
    assert "ALLO-329-101-0112" in page.inner_text("#subject-title")
    # two infusions of the product: two Day 0 diamonds on that subject's timeline
    assert page.locator("#subject-timeline polygon.diamond").count() == 2


def test_a_subject_without_day0_says_so(open_report, defects_report):
    opened = open_report(defects_report[0])
    page = opened.page
    page.fill("#f-subject", "ALLO-329-101-0999")  # in AE only, never infused
    expect(page.locator("#shown-count")).to_contain_text("filtered")
    page.locator("#findings-table button.subject-link").first.click()
    assert "No protocol-day timeline" in page.inner_text("#subject-timeline")
    assert page.locator("#subject-findings li").count() == 1


def test_csv_download_holds_every_filtered_finding(open_report, defects_report):
    html, data = defects_report
    opened = open_report(html)
    page = opened.page
    page.select_option("#f-severity", "error")
    with page.expect_download() as download:
        page.click("#csv-download")
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    errors = findings_where(data, severity="error")
    assert len(rows) == len(errors) == 37
    assert {(r["rule_id"], r["record"]) for r in rows} == {
        (f["rule_id"], str(f["record"]) if f["record"] is not None else "") for f in errors
    }
    assert opened.requests == [opened.url]


def test_screenshots_of_each_view(open_report, defects_report, screenshots):
    """Writes one PNG per view to reports/screenshots/ for a developer to look at."""
    opened = open_report(defects_report[0], viewport=(1400, 1000))
    page = opened.page
    views = {
        "1-verdict-and-triage.png": None,
        "2-summary.png": "#summary",
        "3-rules.png": "#rules",
        "4-findings.png": "#findings",
        "5-swimmer.png": "#subjects",
        "7-escalation.png": "section.escalation",
    }
    for name, selector in views.items():
        target = page.locator(selector) if selector else page
        target.screenshot(path=screenshots / name)
    page.locator("#swimmer g.lane[data-subject='ALLO-329-101-0106']").click()
    page.locator("#subject-detail").screenshot(path=screenshots / "6-subject-timeline.png")
    page.pdf(path=screenshots / "report.pdf")
    for name in [*views, "6-subject-timeline.png", "report.pdf"]:
        assert (screenshots / name).stat().st_size > 5_000, name
    assert opened.console_errors == []


def test_a_second_transfer_shows_history_comparison_and_waivers(open_report, screenshots, tmp_path):
    from pages import SAMPLES

    from trialguard.pipeline import validate_study
    from trialguard.readers import read_study
    from trialguard.reporting.html import render_html
    from trialguard.spec.loader import load_spec
    from trialguard.transfer.context import TransferContext
    from trialguard.transfer.waivers import load_waivers

    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n  - {rule: SD-CT-SUBSET, subject: ALLO-329-101-0106, reason: site term,"
        " approver: A. Reviewer, expires: 2027-01-31}\n"
    )
    spec, study = load_spec("resolution"), read_study([SAMPLES / "transfer-2"])
    transfer = TransferContext(study, waivers_path=waivers, waivers=load_waivers(waivers))
    report = validate_study(study, spec, previous=SAMPLES / "defects", transfer=transfer)
    opened = open_report(render_html(report), viewport=(1400, 1000))
    page = opened.page
    page.select_option("#f-state", "waived")
    row = page.locator("#findings-table tbody tr[data-rule]")
    assert row.count() == 1
    assert "waived by A. Reviewer until 2027-01-31: site term" in row.inner_text()
    page.select_option("#f-state", "new")
    # the lost AE record, its SUPPAE qualifier left without a parent, and the stale RFXENDTC
    # after Day 0 moved
    assert opened.visible_rows() == 3
    page.select_option("#f-state", "persisting")
    assert opened.visible_rows() == 38 + 11
    comparison = page.locator("#comparison")
    assert "2 resolved" in comparison.inner_text() and "Day 0 date" in comparison.inner_text()
    comparison.screenshot(path=screenshots / "8-comparison.png")
    page.locator("#waivers").screenshot(path=screenshots / "9-waivers.png")
    assert opened.console_errors == []
