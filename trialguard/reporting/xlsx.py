"""The Excel workbook data managers file, in Pinnacle 21's shape: Validation Summary, Dataset
Summary, Issue Summary, Details (one row per finding), Rules (every rule with its status).

Written with xlsxwriter in constant-memory mode.  Every cell is written as a string or a number,
never as a formula, URL or guessed number; a value longer than Excel's 32,767 characters is cut
visibly, pointing to the JSON report.  Details holds every finding; only Excel's own limit of
1,048,576 rows cuts it, and then a last row and the Validation Summary say so.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from trialguard.report import Report
from trialguard.reporting.table_rows import (
    DATASET_COLUMNS,
    DETAIL_COLUMNS,
    ISSUE_COLUMNS,
    RULE_COLUMNS,
    dataset_rows,
    detail_row,
    issue_rows,
    rule_rows,
    summary_rows,
)

EXCEL_ROWS = 1_048_576
EXCEL_CELL = 32_767
SHEETS = ("Validation Summary", "Dataset Summary", "Issue Summary", "Details", "Rules")
OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def write_xlsx(report: Report, path: Path) -> None:
    import xlsxwriter

    findings = report.findings()
    shown = findings[: EXCEL_ROWS - 2]  # room for the header and the note of a cut
    workbook = xlsxwriter.Workbook(str(path), OPTIONS)
    bold = workbook.add_format({"bold": True})
    cut_note = _cut_note(len(shown), len(findings))
    summary = summary_rows(report) + ([("Details", cut_note)] if cut_note else [])
    _sheet(workbook, SHEETS[0], ("Item", "Value"), summary, bold)
    _sheet(workbook, SHEETS[1], DATASET_COLUMNS, dataset_rows(report), bold)
    _sheet(workbook, SHEETS[2], ISSUE_COLUMNS, issue_rows(report), bold)
    details = _sheet(workbook, SHEETS[3], DETAIL_COLUMNS, map(detail_row, shown), bold)
    if cut_note:
        details.write_string(len(shown) + 1, 0, f"CUT: {cut_note}")
    _sheet(workbook, SHEETS[4], RULE_COLUMNS, rule_rows(report), bold)
    workbook.close()


def _cut_note(shown: int, total: int) -> str | None:
    if shown == total:
        return None
    return (
        f"the first {shown:,} of {total:,} findings (Excel holds 1,048,576 rows); "
        "the JSON report holds them all"
    )


def _sheet(workbook, name: str, header: tuple, rows, bold) -> Any:
    sheet = workbook.add_worksheet(name)
    sheet.freeze_panes(1, 0)
    for column, title in enumerate(header):
        sheet.write_string(0, column, title, bold)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            _cell(sheet, number, column, value)
    return sheet


def _cell(sheet, row: int, column: int, value: Any) -> None:
    """A number as a number (Excel has no NaN or infinity: those as text), all else as text."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        sheet.write_string(row, column, fitted(str(value)))
    else:
        sheet.write_number(row, column, value)


def fitted(text: str) -> str:
    """Text that fits an Excel cell (a name that is not UTF-8 as its escapes, `\\udce9`); a
    longer one is cut, saying so."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) <= EXCEL_CELL:
        return text
    note = f" [CUT: {len(text):,} characters; the JSON report holds the whole value]"
    return text[: EXCEL_CELL - len(note)] + note
