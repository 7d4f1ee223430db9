"""Compact terminal output, `--format text`: the run's header (standards, datasets read), one
line per unreadable or missing dataset, one line per finding (one per systematic pattern), then
the verdict line."""

from __future__ import annotations

from trialguard.findings import Finding
from trialguard.report_model import ReportModel
from trialguard.reporting.junit import finding_line
from trialguard.reporting.patterns import collapsed_lines
from trialguard.reporting.terminal import header_lines, unread_lines, verdict_line


def render_text(report: ReportModel) -> str:
    lines = header_lines(report)
    lines += unread_lines(report, head=f"{'error':<7} {'NOT READ':<24} ")
    lines += [f"{'error':<7} {'MISSING':<24} {m.dataset} {m.reason}" for m in report.missing]
    lines += collapsed_lines(report.findings(), _text_line, _text_head)
    lines.append(verdict_line(report))
    return "\n".join(lines)


def _text_head(finding: Finding) -> str:
    return f"{finding.severity.value:<7} {finding.rule_id:<24} "


def _text_line(finding: Finding) -> str:
    waived = f" [waived by {(finding.waiver or {}).get('approver')}]" if finding.waiver else ""
    history = f" [{finding.history}]" if finding.history else ""
    return f"{finding_line(finding)}{history}{waived}"
