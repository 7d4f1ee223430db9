"""The findings alone as CSV (`--csv`): the Details columns of the workbook, UTF-8 with a byte
order mark so that Excel reads it as UTF-8.  A text cell that a spreadsheet would take for a
formula (starting with = + - @, tab or carriage return) is written with a leading apostrophe."""

from __future__ import annotations

import csv
import io

from trialguard.report_model import ReportModel
from trialguard.reporting.table_rows import DETAIL_COLUMNS, detail_row

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_findings_csv(report: ReportModel) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DETAIL_COLUMNS)
    for finding in report.findings():
        writer.writerow([_inert(value) for value in detail_row(finding)])
    return out.getvalue()


def _inert(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
