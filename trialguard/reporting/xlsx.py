"""The Excel workbook data managers file, in Pinnacle 21's shape: Validation Summary, Dataset
Summary (each dataset with its SDTMIG label), Issue Summary (most severe and most frequent
first), Details (one row per finding), Rules (every rule with its status); each rule beside
its Pinnacle 21, publisher (FDA, CDISC) and CORE ids where its source cites them.

Every sheet is a table with a filter, a frozen header and columns fitted to their content (see
`xlsx_sheet`).  Written with xlsxwriter in constant-memory mode.  Details holds every finding;
only Excel's own limit of 1,048,576 rows cuts it, and then a last row and the Validation
Summary say so.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from trialguard.report_model import ReportModel
from trialguard.reporting.json import FINDINGS_PER_RULE
from trialguard.reporting.table_rows import summary_rows
from trialguard.reporting.xlsx_ids import ids_by_rule
from trialguard.reporting.xlsx_rows import (
    DATASET_COLUMNS,
    DETAIL_COLUMNS,
    ISSUE_COLUMNS,
    RULE_COLUMNS,
    dataset_rows,
    detail_count,
    detail_rows,
    details_per_rule,
    issue_rows,
    rule_rows,
)
from trialguard.reporting.xlsx_sheet import TableFormats, write_table

EXCEL_ROWS = 1_048_576
SHEETS = ("Validation Summary", "Dataset Summary", "Issue Summary", "Details", "Rules")
OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def write_xlsx(report: ReportModel, path: Path, per_rule: int | None = FINDINGS_PER_RULE) -> None:
    """The workbook; Details lists the first `per_rule` findings of each rule (None: all), with
    a row saying how many more the JSON report holds."""
    import xlsxwriter

    findings = report.findings()
    total = detail_count(findings, per_rule)
    shown = min(total, EXCEL_ROWS - 2)  # room for the header and the note of a cut
    cut_note = _cut_note(shown, total)
    details = islice(details_per_rule(findings, per_rule), shown)
    ids = ids_by_rule(report)
    workbook = xlsxwriter.Workbook(str(path), OPTIONS)
    formats = TableFormats.of(workbook)
    summary = summary_rows(report) + ([("Details", cut_note)] if cut_note else [])
    write_table(workbook, SHEETS[0], ("Item", "Value"), summary, formats)
    write_table(workbook, SHEETS[1], DATASET_COLUMNS, dataset_rows(report), formats)
    write_table(workbook, SHEETS[2], ISSUE_COLUMNS, issue_rows(report, ids), formats)
    sheet = write_table(workbook, SHEETS[3], DETAIL_COLUMNS, detail_rows(details, ids), formats)
    if cut_note:
        sheet.write_string(shown + 1, 0, f"CUT: {cut_note}")
    write_table(workbook, SHEETS[4], RULE_COLUMNS, rule_rows(report, ids), formats)
    workbook.close()


def _cut_note(shown: int, total: int) -> str | None:
    if shown == total:
        return None
    return (
        f"the first {shown:,} of {total:,} findings (Excel holds 1,048,576 rows); "
        "the JSON report holds them all"
    )
