"""Compact terminal output: one line per finding (`--format text`) or GitHub workflow annotations
(`--format github`), then the verdict line."""

from __future__ import annotations

from trialguard.findings import Finding
from trialguard.report import Report
from trialguard.reporting.junit import finding_line, finding_place
from trialguard.reporting.patterns import collapsed_lines
from trialguard.reporting.terminal import verdict_line


def render_text(report: Report) -> str:
    lines = [
        f"{'error':<7} {'NOT READ':<24} {u.dataset} {u.path}: {u.reason}" for u in report.unreadable
    ]
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


def render_github(report: Report) -> str:
    """`::error file=...,line=...,title=...::message`; waived findings become notices."""
    paths = {i.dataset: i for i in report.inputs}
    lines = [
        f"::error file={_escape(u.path, True)},"
        f"title={_escape(u.dataset + ' could not be read', True)}::{_escape(u.reason, False)}"
        for u in report.unreadable
    ]
    lines += [
        f"::error title={_escape(m.dataset + ' missing', True)}::"
        f"{_escape(f'{m.dataset} {m.reason}; the spec requires it', False)}"
        for m in report.missing
    ]
    for finding in report.findings():
        level = "notice" if finding.waiver else finding.severity.value
        properties = {"title": f"{finding.rule_id} ({finding_place(finding)})"}
        source = paths.get(finding.domain or "")
        if source is not None:
            properties["file"] = source.path
            if finding.line is not None:
                properties["line"] = str(finding.line)
        text = finding.message + (
            f" (waived by {(finding.waiver or {}).get('approver')})" if finding.waiver else ""
        )
        fields = ",".join(f"{k}={_escape(v, True)}" for k, v in properties.items())
        lines.append(f"::{level} {fields}::{_escape(text, False)}")
    lines.append(verdict_line(report))
    return "\n".join(lines)


def _escape(text: str, is_property: bool) -> str:
    """GitHub's workflow-command escaping (properties also escape ':' and ',')."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


RENDERERS = {"text": render_text, "github": render_github}
