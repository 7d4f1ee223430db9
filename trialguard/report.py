"""The finished report of one validation, and the files it is written to: JSON (its canonical
form), HTML, the Excel workbook, CSV, the audit PDF and JUnit XML.  Each file is written whole
or not at all (`write_report`)."""

from __future__ import annotations

from pathlib import Path

from trialguard.report_model import FINDING_COLUMNS, LATER_STAGE_CATEGORIES, ReportModel, Verdict
from trialguard.report_parts import (
    Comparison,
    InputInfo,
    MissingDataset,
    ReportFile,
    SpecInfo,
    StandardsInfo,
    UnreadableFile,
    WaiverEntry,
)
from trialguard.reporting.file_writer import write_report

__all__ = [
    "FINDING_COLUMNS",
    "LATER_STAGE_CATEGORIES",
    "Comparison",
    "InputInfo",
    "MissingDataset",
    "Report",
    "ReportFile",
    "SpecInfo",
    "StandardsInfo",
    "UnreadableFile",
    "Verdict",
    "WaiverEntry",
    "write_report",
]


class Report(ReportModel):
    """One run's report: what was read, every rule's result and the verdict (the data and
    queries of `trialguard.report_model.ReportModel`), and the writers of its files: JSON,
    HTML, the Excel workbook, the findings CSV, the audit PDF and JUnit XML, each written whole
    or not at all."""

    def write_json(self, path: str | Path) -> Path:
        """The JSON report, written as it is made (every finding, never held whole)."""
        from trialguard.reporting.json import write_json

        return write_report(path, None, text_writer=lambda out: write_json(self, out))

    def write_html(self, path: str | Path) -> Path:
        from trialguard.reporting.html import render_html

        return write_report(path, render_html(self))

    def write_xlsx(self, path: str | Path) -> Path:
        """The Excel workbook in Pinnacle 21's five sheets (see `trialguard.reporting.xlsx`)."""
        from trialguard.reporting.xlsx import write_xlsx

        return write_report(path, None, lambda partial: write_xlsx(self, partial))

    def write_csv(self, path: str | Path) -> Path:
        """The findings alone, one CSV row each (the workbook's Details columns)."""
        from trialguard.reporting.findings_csv import render_findings_csv

        return write_report(path, render_findings_csv(self))

    def write_pdf(self, path: str | Path, paper: str = "a4") -> Path:
        """The audit PDF to file, on "a4" or "letter" paper (see `trialguard.reporting.pdf`)."""
        from trialguard.reporting.pdf import write_pdf

        return write_report(path, None, lambda partial: write_pdf(self, partial, paper))

    def write_junit(self, path: str | Path) -> Path:
        from trialguard.reporting.junit import render_junit

        return write_report(path, render_junit(self))
