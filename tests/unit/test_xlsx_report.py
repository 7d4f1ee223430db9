"""The Excel workbook (five sheets in Pinnacle 21's order, one Details row per finding, never a
formula, long values cut visibly) and the findings CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
import sys

import openpyxl
import pytest
from conftest import ROOT, SAMPLES

import trialguard
from trialguard.cli import main
from trialguard.reporting import xlsx
from trialguard.reporting.xlsx import SHEETS
from trialguard.reporting.xlsx_sheet import EXCEL_CELL

sys.path.insert(0, str(ROOT / "tests" / "corpus"))
from build import PAYLOADS, markup_and_formulas  # noqa: E402

FORMULA = PAYLOADS[1]  # "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def formulas(tmp_path_factory):
    """A transfer whose DM.SEX values are markup, a spreadsheet formula and a template."""
    folder = tmp_path_factory.mktemp("formulas")
    markup_and_formulas(folder)
    return trialguard.validate(folder, spec="resolution")


@pytest.fixture(scope="module")
def defects():
    return trialguard.validate(
        SAMPLES / "defects", spec="resolution", timestamp="2026-12-01T09:00:00Z"
    )


def sheets(path) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == list(SHEETS)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in workbook}


def test_five_sheets_and_one_details_row_per_finding(defects, tmp_path):
    book = sheets(defects.write_xlsx(tmp_path / "r.xlsx"))
    details = book["Details"]
    assert details[0][:8] == ("Rule", "Pinnacle 21 ID", "Publisher ID", "CORE ID", "Severity",
                              "Dataset", "Record", "USUBJID")  # fmt: skip
    expected = [(f.rule_id, f.domain, f.record, f.usubjid) for f in defects.findings()]
    assert [(r[0], r[5], r[6], r[7]) for r in details[1:]] == expected
    summary = dict(book["Validation Summary"][1:])
    assert (
        summary["Run id"] == defects.run_id and summary["Started (UTC)"] == "2026-12-01T09:00:00Z"
    )
    assert summary["SDTMIG"].startswith("3.4") and "REJECT" in summary["Verdict"]
    datasets = {row[0]: row for row in book["Dataset Summary"][1:]}
    assert datasets["AE"][5] == 15 and len(datasets["AE"][7]) == 64  # records, SHA-256
    rules = {row[0]: row for row in book["Rules"][1:]}
    assert set(rules) == {r.rule.id for r in defects.results}
    assert rules["RES-AGE"][7] == "failed" and rules["TRANSFER-MANIFEST"][7] == "not_run"
    issues = book["Issue Summary"][1:]
    assert sum(row[7] for row in issues) == len(expected)


def test_no_value_becomes_a_formula(formulas, tmp_path):
    workbook = openpyxl.load_workbook(formulas.write_xlsx(tmp_path / "h.xlsx"))
    cells = [c for ws in workbook for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type in ("s", "n") for c in cells)
    assert any(isinstance(c.value, str) and FORMULA in c.value for c in cells)


def test_a_value_longer_than_a_cell_is_cut_visibly(defects, tmp_path):
    result = defects.results[0]
    long = dataclasses.replace(defects.findings()[0], message="x" * 40_000)
    report = dataclasses.replace(defects, results=[dataclasses.replace(result, findings=[long])])
    details = sheets(report.write_xlsx(tmp_path / "l.xlsx"))["Details"]
    message = details[1][11]
    assert len(message) == EXCEL_CELL and "[CUT: 40,000 characters; the JSON report" in message


def test_excels_row_limit_cuts_details_with_a_note(defects, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "EXCEL_ROWS", 12)
    book = sheets(defects.write_xlsx(tmp_path / "c.xlsx"))
    details = book["Details"]
    assert len(details) == 12 and details[-1][0].startswith("CUT: the first 10 of 51 findings")
    assert "the JSON report holds them all" in dict(book["Validation Summary"][1:])["Details"]


def test_the_findings_csv_has_one_row_per_finding_and_no_live_formula(defects, formulas, tmp_path):
    text = defects.write_csv(tmp_path / "r.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeffRule,Severity,Dataset")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == len(defects.findings()) + 1
    hostile = formulas.write_csv(tmp_path / "h.csv").read_text(encoding="utf-8")
    cells = [c for row in csv.reader(io.StringIO(hostile.removeprefix("\ufeff"))) for c in row]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert any(FORMULA in c for c in cells)
    result = defects.results[0]
    sneaky = dataclasses.replace(defects.findings()[0], usubjid="=1+2", message="@SUM(A1)")
    report = dataclasses.replace(defects, results=[dataclasses.replace(result, findings=[sneaky])])
    written = report.write_csv(tmp_path / "s.csv").read_text(encoding="utf-8")
    _, row = csv.reader(io.StringIO(written.removeprefix("\ufeff")))
    assert row[4] == "'=1+2" and row[8] == "'@SUM(A1)"


def test_the_command_line_writes_both(tmp_path, capsys):
    code = main(["validate", str(SAMPLES / "defects"), "--spec", "resolution",
                 "--xlsx", str(tmp_path / "r.xlsx"), "--csv", str(tmp_path / "r.csv")])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1 and f"Wrote {tmp_path / 'r.xlsx'}" in out and (tmp_path / "r.csv").exists()


def test_a_number_excel_cannot_hold_is_written_as_text(defects, tmp_path):
    result = defects.results[0]
    odd = dataclasses.replace(defects.findings()[0], seq=float("inf"), record=None)
    report = dataclasses.replace(defects, results=[dataclasses.replace(result, findings=[odd])])
    details = sheets(report.write_xlsx(tmp_path / "inf.xlsx"))["Details"]
    assert details[1][8] == "inf"


def test_details_list_a_limit_per_rule_and_say_how_many_more_the_json_holds(defects, tmp_path):
    path = tmp_path / "limited.xlsx"
    xlsx.write_xlsx(defects, path, per_rule=1)
    details = sheets(path)["Details"]
    per_rule = {r.rule.id: len(r.findings) for r in defects.results if r.findings}
    said = {rule: f"{count - 1:,} more findings of {rule} in the JSON report"
            for rule, count in per_rule.items() if count > 1}  # fmt: skip
    more = [row for row in details[1:] if row[-3] in said.values()]
    assert {row[0]: row[-3] for row in more} == said
    assert len(details) - 1 - len(more) == len(per_rule)  # the first finding of each rule
