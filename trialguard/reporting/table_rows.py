"""The report as plain rows, shared by the Excel workbook and the findings CSV: one finding or
one rule per row, every value a string or a number (never a formula)."""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

import pandas as pd

from trialguard.findings import Finding
from trialguard.report_model import ReportModel
from trialguard.scalars import plain

DETAIL_COLUMNS = (
    "Rule", "Severity", "Dataset", "Record", "USUBJID", "SEQ", "Variables", "Values", "Message",
    "History", "Waiver",
)  # fmt: skip
RULE_COLUMNS = ("Rule", "Severity", "Category", "Kind", "Status", "Findings", "Reason",
                "Description", "Source", "Defined in")  # fmt: skip
DATASET_COLUMNS = ("Dataset", "File", "Format", "Records", "Variables", "SHA-256", "Rejects",
                   "Errors", "Warnings", "Notices", "Read")  # fmt: skip
ISSUE_COLUMNS = ("Dataset", "Rule", "Message", "Severity", "Count")


def detail_row(finding: Finding) -> tuple:
    waiver = finding.waiver or {}
    return (
        finding.rule_id,
        finding.severity.value,
        finding.domain or "",
        finding.record if finding.record is not None else "",
        finding.usubjid or "",
        "" if finding.seq is None else plain(finding.seq),
        ", ".join(finding.variables),
        "; ".join(f"{name}={_shown(value)}" for name, value in finding.values.items()),
        finding.message,
        finding.history or "",
        f"{waiver.get('id', '')} ({waiver.get('approver', '')})" if waiver else "",
    )


def _shown(value: Any) -> str:
    return "(empty)" if value is None else str(value)


def rule_rows(report: ReportModel) -> list[tuple]:
    return [
        (
            r.rule.id,
            r.rule.severity.value,
            r.rule.category,
            r.rule.kind,
            r.status.value,
            len(r.findings),
            r.reason or "",
            r.rule.description,
            r.rule.source,
            r.rule.origin,
        )  # fmt: skip
        for r in report.results
    ]


def dataset_rows(report: ReportModel) -> list[tuple]:
    """Per dataset: its file, and its open findings by severity; Rejects counts the records
    with at least one open error (what fails the transfer at --fail-on error)."""
    counted = report.findings().counting_frame()
    open_findings = counted[~counted["waived"]]
    by_severity = group_counts(open_findings, ["domain", "severity"])
    errors = open_findings[(open_findings["severity"] == "error") & (open_findings["record"] >= 0)]
    rejected = Counter(errors.drop_duplicates(["domain", "record"])["domain"])
    rows = []
    for entry in report.inputs:
        counts = [by_severity.get((entry.dataset, s), 0) for s in ("error", "warning", "notice")]
        rows.append(
            (entry.dataset, entry.path, entry.format, entry.records, entry.variables,
             entry.sha256, rejected[entry.dataset], *counts, "read")
        )  # fmt: skip
    for unread in report.unreadable:
        rows.append((unread.dataset, unread.path, "", "", "", unread.sha256 or "", "", "", "", "",
                     f"NOT READ: {unread.reason}"))  # fmt: skip
    return rows


def group_counts(frame: pd.DataFrame, columns: list[str]) -> dict[tuple, int]:
    """How many rows of `frame` hold each combination of `columns` that occurs."""
    sizes = frame.groupby(columns).size()
    return {cast(tuple, key): int(count) for key, count in sizes.items()}


def issue_rows(report: ReportModel) -> list[tuple]:
    descriptions = {r.rule.id: r.rule.description for r in report.results}
    frame = report.findings().counting_frame()
    counted = group_counts(frame, ["domain", "rule_id", "severity"])
    return [
        (dataset, rule, descriptions.get(rule, ""), severity, count)
        for (dataset, rule, severity), count in sorted(counted.items())
    ]


def summary_rows(report: ReportModel) -> list[tuple[str, Any]]:
    spec, standards = report.spec, report.standards
    define = next((f.path for f in report.files if f.role == "define"), "none")
    counts = report.summary()
    return [
        ("Tool", f"trialguard {report.tool_version}"),
        ("Spec", f"{spec.id} {spec.version}: {spec.title}"),
        ("Spec SHA-256", spec.sha256),
        ("Run id", report.run_id),
        ("Started (UTC)", report.started),
        ("Command", report.command),
        ("SDTMIG", f"{standards.ig_version} (from {standards.ig_source})"),
        ("Controlled terminology", f"CDISC CT {standards.ct_release} ({standards.ct_source})"),
        ("Define-XML", define),
        ("Verdict", f"{report.verdict.upper()}: {report.verdict_reason}"),
        ("Fail level", report.fail_on.value if report.fail_on else "never"),
        ("Datasets read", ", ".join(f"{i.dataset} ({i.records:,})" for i in report.inputs)),
        ("Not read", "; ".join(f"{u.dataset}: {u.reason}" for u in report.unreadable) or "none"),
        ("Findings", f"{counts['error']} error, {counts['warning']} warning, "
                     f"{counts['notice']} notice ({report.waived_count()} waived)"),
    ]  # fmt: skip
