"""The audit PDF's first sections: the verdict, the run, the standards, the inputs with their
SHA-256, the triage and the table of rules. Each returns flowables for a frame `width` wide."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from trialguard.findings import RuleResult, Status
from trialguard.report_model import ReportModel
from trialguard.reporting.pdf_style import (
    VERDICT_COLOURS,
    grid,
    heading,
    lines,
    markup,
    pairs,
    para,
    severity_cell,
)
from trialguard.reporting.triage import RuleRef, build_triage, verdict_counts

VERDICT_TITLES = {"accept": "ACCEPT", "reject": "REJECT", "incomplete": "INCOMPLETE"}
# Rules in the table: what asks for action first, what passed last.
STATUS_ORDER = {Status.FAILED: 0, Status.ERROR: 1, Status.NOT_RUN: 2, Status.PASSED: 3}


def verdict_section(report: ReportModel, width: float, per_rule: int) -> list[Flowable]:
    study = ", ".join(report.study_ids) or "unknown (no STUDYID)"
    title = f"trialguard audit record: study {study}"
    box = Table(
        [
            [para(_verdict_title(report), "verdict", cut=False)],
            [para(_counts_text(report), "verdict-text", cut=False)],
        ],
        colWidths=[width],
    )
    colour = colors.HexColor(VERDICT_COLOURS[report.verdict])
    box.setStyle(
        TableStyle([("BACKGROUND", (0, 0), (-1, -1), colour), ("LEFTPADDING", (0, 0), (-1, -1), 8)])
    )
    scope = (
        f"A summary for filing: the verdict, the run and its inputs, what must be fixed, every "
        f"rule's status and, of each rule, the first {per_rule} findings with their count. The "
        f"full list of {len(report.findings()):,} findings is in the run's JSON report (and in "
        "its Excel workbook or CSV when written); the command trialguard verify REPORT.json "
        "re-hashes the files it names."
    )
    return [para(title, "title"), Spacer(0, 6), box, Spacer(0, 4), para(scope, "note", cut=False)]


def _verdict_title(report: ReportModel) -> str:
    gate = f" (fail level: {report.fail_on.value})" if report.fail_on else ""
    return f"{VERDICT_TITLES[report.verdict]}: {report.verdict_reason}{gate}"


def _counts_text(report: ReportModel) -> str:
    counts = verdict_counts(report)
    parts = [f"{counts[s]:,} {s}s" for s in ("error", "warning", "notice")]
    parts.append(f"{counts['subjects']:,} subjects with findings")
    if counts["new"] is not None:
        parts.append(f"{counts['new']:,} new since the previous transfer")
    if counts["waived"]:
        parts.append(f"{counts['waived']:,} waived")
    return " \u00b7 ".join(parts)


def run_section(report: ReportModel, width: float) -> list[Flowable]:
    spec, standards = report.spec, report.standards
    rows: list[tuple[str, Any]] = [
        ("Run id", para(report.run_id, "mono")),
        ("Started (UTC)", report.started),
        ("Command", report.command or "(library call)"),
        ("Started in", report.cwd or "(not recorded)"),
        ("Tool", f"trialguard {report.tool_version}"),
        ("Spec", f"{spec.id} {spec.version}: {spec.title}"),
        ("Spec SHA-256", para(spec.sha256, "mono")),
    ]
    files = spec.files or ((spec.path, spec.sha256),)
    rows += [("Spec file", _file_with_hash(path, sha)) for path, sha in files]
    rows += [
        ("SDTMIG", _with_note(standards.ig_title, standards.ig_note)),
        ("Terminology", _with_note(standards.ct_title, standards.ct_note)),
    ]
    if standards.ct_sha256:
        rows.append(("CT file SHA-256", para(standards.ct_sha256, "mono")))
    rows += [(f.role.capitalize(), _file_with_hash(f.path, f.sha256)) for f in report.files]
    rows.append(("Fail level", report.fail_on.value if report.fail_on else "never"))
    return [*heading("Run and standards"), pairs(rows, width)]


def _file_with_hash(path: str, sha256: str) -> Paragraph:
    return lines([path], hashes=[f"SHA-256 {sha256}"])


def _with_note(title: str, note: str) -> str:
    return f"{title}. {note}" if note else title


def inputs_section(report: ReportModel, width: float) -> list[Flowable]:
    """Each dataset read, with its SHA-256 on a line of its own, unbroken; then the files not
    read, the datasets missing and the files not checked."""
    rows: list[list[Any]] = []
    spans = []
    for entry in report.inputs:
        rows.append(
            [entry.dataset, entry.path, entry.format, f"{entry.records:,}", f"{entry.variables:,}"]
        )
        rows.append([para(f"SHA-256 {entry.sha256}", "mono"), "", "", "", ""])
        spans.append(("SPAN", (0, len(rows)), (-1, len(rows))))
    flowables = heading(f"Inputs: {len(report.inputs)} dataset file(s) read")
    header = ("Dataset", "File", "Format", "Records", "Variables")
    flowables.append(grid(header, rows, (0.12, 0.54, 0.1, 0.12, 0.12), width, spans, (3, 4)))
    flowables += _not_read(report, width)
    return flowables


def _not_read(report: ReportModel, width: float) -> list[Flowable]:
    flowables: list[Flowable] = []
    if report.unreadable:
        rows = [
            [u.dataset, u.path, u.reason, para(u.sha256 or "not hashed", "mono")]
            for u in report.unreadable
        ]
        flowables += [
            *heading("Dataset files that could not be read", "h3"),
            grid(("Dataset", "File", "Why", "SHA-256"), rows, (0.1, 0.25, 0.4, 0.25), width),
        ]
    if report.missing:
        rows = [[m.dataset, m.reason] for m in report.missing]
        flowables += [
            *heading("Required datasets missing", "h3"),
            grid(("Dataset", "Why"), rows, (0.15, 0.85), width),
        ]
    if report.skipped:
        rows = [[path, why] for path, why in report.skipped]
        flowables += [
            *heading("Files not checked", "h3"),
            grid(("File", "Why"), rows, (0.45, 0.55), width),
        ]
    if report.notices:
        flowables += heading("Notes on reading", "h3") + [para(n, "cell") for n in report.notices]
    return flowables


def triage_section(report: ReportModel, width: float) -> list[Flowable]:
    actions = build_triage(report)
    title = heading("What must be fixed, by whom")
    if not actions:
        return [
            *title,
            para(
                "Nothing to fix: no rule has an open finding, and every rule that "
                "did not run does not apply to this study or is excused.",
                cut=False,
            ),
        ]
    rows = [
        [
            markup([("b", a.who)], "cell"),
            a.what,
            para(", ".join(_rule_label(r) for r in a.rules), "cell", cut=False),
            f"{a.findings['error']:,}",
            f"{a.findings['warning']:,}",
            f"{a.findings['notice']:,}",
            f"{a.subjects:,}",
        ]
        for a in actions
    ]
    header = ("Who acts", "What to do", "Rules", "Errors", "Warnings", "Notices", "Subjects")
    widths = (0.14, 0.27, 0.25, 0.08, 0.09, 0.08, 0.09)
    return [*title, grid(header, rows, widths, width, numeric=(3, 4, 5, 6))]


def _rule_label(rule: RuleRef) -> str:
    """A rule of a triage row: its open findings, or its status when it did not run."""
    if rule.findings:
        return f"{rule.id} ({rule.findings:,})"
    return f"{rule.id} ({rule.status.replace('_', ' ')})"


def rules_section(report: ReportModel, width: float) -> list[Flowable]:
    """Every rule that did not pass, with its status and counts; the rules that passed, by id."""
    ordered = sorted(report.results, key=_rule_order)
    shown = [r for r in ordered if r.status is not Status.PASSED]
    counts = report.status_counts()
    summary = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items())
    rows = [
        [r.rule.id, severity_cell(r.rule.severity.value), _status_text(r), _findings_text(r)]
        for r in shown
    ]
    flowables = heading(f"Rules: {len(report.results)} ({summary})")
    flowables.append(
        grid(
            ("Rule", "Severity", "Status", "Findings"),
            rows,
            (0.24, 0.09, 0.5, 0.17),
            width,
            numeric=(3,),
        )
    )
    passed = [r.rule.id for r in ordered if r.status is Status.PASSED]
    if passed:
        flowables += heading(f"Passed ({len(passed)})", "h3")
        flowables.append(para(", ".join(passed), "cell", cut=False))
    return flowables


def _rule_order(result: RuleResult) -> tuple:
    return (STATUS_ORDER[result.status], -result.rule.severity.rank, result.rule.id)


def _status_text(result: RuleResult) -> str:
    text = result.status.value.replace("_", " ")
    if result.reason:
        text += f": {result.reason}"
    if result.status is Status.NOT_RUN and result.excused and result.excused != result.reason:
        text += f" (excused: {result.excused})"
    return text


def _findings_text(result: RuleResult) -> str:
    total, waived = len(result.findings), len(result.findings) - len(result.open_findings)
    parts = [f"{total:,}"] + ([f"{waived:,} waived"] if waived else [])
    if result.not_evaluable:
        parts.append(f"{len(result.not_evaluable):,} not evaluable")
    return ", ".join(parts)
