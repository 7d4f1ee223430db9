"""The audit PDF: a short record of one run to file, on A4 or Letter.

It holds the verdict with its counts, the run (time, command, tool version), the spec and
standards, every input with its SHA-256, what must be fixed and by whom, every rule's status,
of each rule with findings its first findings (5 by default) and their count, the waivers,
the comparison with the previous transfer and the assumptions. Its length grows with the
number of rules, not of findings: the full list of findings stays in the JSON report (and the
Excel workbook or CSV), as the PDF says. Every page is headed by the study, spec, run and
verdict, and numbered "page n of N".

reportlab is imported here only, when a PDF is asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from trialguard.report_model import ReportModel
from trialguard.reporting.pdf_findings import (
    assumptions_section,
    comparison_section,
    findings_section,
    waivers_section,
)
from trialguard.reporting.pdf_sections import (
    inputs_section,
    rules_section,
    run_section,
    triage_section,
    verdict_section,
)
from trialguard.reporting.pdf_style import FONT, MUTED, drawable, register_fonts

PAPERS = {"a4": A4, "letter": letter}
FINDINGS_PER_RULE = 5
MARGIN = 15 * mm
HEADER_GAP = 9 * mm  # the running header sits in the top margin, above the frame


def write_pdf(
    report: ReportModel, path: str | Path, paper: str = "a4", per_rule: int = FINDINGS_PER_RULE
) -> Path:
    """Write the audit PDF of `report` to `path` (paper "a4" or "letter")."""
    if paper not in PAPERS:
        raise ValueError(f"paper {paper!r}: choose one of {', '.join(PAPERS)}")
    register_fonts()
    target = Path(path)
    document = BaseDocTemplate(
        str(target),
        pagesize=PAPERS[paper],
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_GAP,
        bottomMargin=MARGIN + 4 * mm,
        title=f"trialguard audit record, run {report.run_id}",
        author=f"trialguard {report.tool_version}",
        subject=f"Study {', '.join(report.study_ids) or 'unknown'}: {report.verdict}",
        creator=f"trialguard {report.tool_version}",
        invariant=1,  # the same report gives the same bytes: no creation time, no random id
    )
    # The frame has no padding of its own: the content is exactly `document.width` wide, and
    # ends at the right margin.
    frame = Frame(
        document.leftMargin,
        document.bottomMargin,
        document.width,
        document.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    page = PageTemplate("page", frames=[frame], onPage=_decorator(_running_header(report)))
    document.addPageTemplates([page])
    document.build(build_story(report, document.width, per_rule), canvasmaker=NumberedCanvas)
    return target


def build_story(report: ReportModel, width: float, per_rule: int) -> list[Flowable]:
    """The PDF's content, section by section, for a frame `width` points wide."""
    return [
        *verdict_section(report, width, per_rule),
        *triage_section(report, width),
        *run_section(report, width),
        *inputs_section(report, width),
        *rules_section(report, width),
        *findings_section(report, width, per_rule),
        *waivers_section(report, width),
        *comparison_section(report, width),
        *assumptions_section(report, width),
    ]


def _running_header(report: ReportModel) -> str:
    study = ", ".join(report.study_ids) or "unknown"
    spec = f"{report.spec.id} {report.spec.version}"
    return drawable(
        f"Study {study} \u00b7 spec {spec} \u00b7 run {report.run_id} \u00b7 "
        f"{report.verdict.upper()}"
    )


def _decorator(header: str):
    def decorate(canvas: Canvas, document: Any) -> None:
        width, height = document.pagesize
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(MUTED)
        top = height - MARGIN
        canvas.drawString(MARGIN, top, _fitted(canvas, header, width - 2 * MARGIN))
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN, top - 2.5, width - MARGIN, top - 2.5)
        canvas.restoreState()

    return decorate


def _fitted(canvas: Canvas, text: str, room: float) -> str:
    """`text` cut (with an ellipsis) to fit `room` points on one line."""
    if canvas.stringWidth(text, FONT, 7) <= room:
        return text
    while text and canvas.stringWidth(text + "\u2026", FONT, 7) > room:
        text = text[:-1]
    return text + "\u2026"


class NumberedCanvas(Canvas):
    """A canvas that numbers each page "page n of N" once the last page is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._number(total)
            super().showPage()
        super().save()

    def _number(self, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setFont(FONT, 7)
        self.setFillColor(MUTED)
        self.drawRightString(width - MARGIN, MARGIN, f"page {self._pageNumber} of {total}")
        self.restoreState()
