"""The audit PDF's later sections: of each rule with findings, its first findings and their
count; the waivers; the comparison with the previous transfer; the assumptions the run rests
on. Each returns flowables for a frame `width` wide and stays short however many findings the
study has: the full lists are in the JSON report."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Spacer

from trialguard.findings import Finding, RuleResult
from trialguard.report_model import ReportModel
from trialguard.report_parts import Comparison
from trialguard.reporting.pdf_style import grid, heading, markup, para

CHANGES_LISTED = 20  # critical changes and resolved findings listed before "and N more"
SUBJECTS_LISTED = 50


def findings_section(report: ReportModel, width: float, per_rule: int) -> list[Flowable]:
    """Per rule with findings, the most severe first: what the rule says, how many findings on
    how many subjects, and its first `per_rule` findings (open ones before waived ones)."""
    failing = [r for r in report.results if r.findings]
    failing.sort(key=lambda r: (-r.rule.severity.rank, r.rule.id))
    flowables = heading(f"Findings: the first {per_rule} of each rule")
    if not failing:
        return flowables + [para("No rule has a finding.")]
    for result in failing:
        flowables += _rule_findings(result, width, per_rule)
    return flowables


def _rule_findings(result: RuleResult, width: float, per_rule: int) -> list[Flowable]:
    rule, findings = result.rule, result.findings
    first = sorted(findings, key=lambda f: (f.waiver is not None, f.sort_key()))[:per_rule]
    subjects = len({f.usubjid for f in findings if f.usubjid})
    datasets = sorted({f.domain for f in findings if f.domain})
    head = markup(
        [
            ("b", f"{rule.id} \u00b7 {rule.severity.value} \u00b7 {len(findings):,} finding(s)"),
            ("", f" on {subjects:,} subject(s)" if subjects else ""),
            ("", f" in {', '.join(datasets)}" if datasets else ""),
        ],
        "body",
    )
    rows = [_finding_row(f) for f in first]
    table = grid(
        ("Dataset", "Record", "USUBJID", "Values", "Message"),
        rows,
        (0.09, 0.08, 0.15, 0.3, 0.38),
        width,
    )
    # The rule's description is the spec's text, said in full: the audit record defines the rule.
    parts: list[Flowable] = [head, para(rule.description, "note", cut=False), table]
    more = len(findings) - len(first)
    if more:
        parts.append(
            para(
                f"and {more:,} more finding(s) of {rule.id}: see the JSON report.",
                "note",
                cut=False,
            )
        )
    parts += [para(note, "note") for note in result.notes[:per_rule]]
    if len(result.notes) > per_rule:
        parts.append(para(f"and {len(result.notes) - per_rule} more note(s)", "note"))
    return [KeepTogether(parts[:3]), *parts[3:], Spacer(0, 6)]


def _finding_row(finding: Finding) -> list[Any]:
    values = "; ".join(
        f"{name}={'empty' if value is None else value}" for name, value in finding.values.items()
    )
    message = finding.message
    if finding.history:
        message += f" [{finding.history}]"
    if finding.waiver is not None:
        message += f" [waived by {finding.waiver.get('approver', '?')}]"
    record = "dataset" if finding.record is None else f"{finding.record:,}"
    return [finding.domain or "study", record, finding.usubjid or "", values, message]


def waivers_section(report: ReportModel, width: float) -> list[Flowable]:
    if not report.waivers:
        return []
    rows = [
        [
            str(w.number),
            w.rule,
            w.subject or "any",
            w.dataset or "any",
            "any" if w.seq is None else str(w.seq),
            w.reason,
            w.approver,
            w.expires,
            w.state,
            f"{w.matched:,}",
        ]
        for w in report.waivers
    ]
    header = (
        "#",
        "Rule",
        "Subject",
        "Dataset",
        "SEQ",
        "Reason",
        "Approver",
        "Expires",
        "State",
        "Waived",
    )
    widths = (0.04, 0.13, 0.13, 0.08, 0.06, 0.22, 0.11, 0.09, 0.07, 0.07)
    return [
        *heading(f"Waivers: {report.waived_count():,} finding(s) waived"),
        grid(header, rows, widths, width, numeric=(0, 9)),
    ]


def comparison_section(report: ReportModel, width: float) -> list[Flowable]:
    comparison = report.comparison
    if comparison is None:
        return []
    history = {name: report.findings().count_history(name) for name in ("new", "persisting")}
    summary = (
        f"Previous transfer: {comparison.previous_path} ({comparison.previous_kind})"
        f"{_previous_run(comparison)}. Findings: {history['new']:,} new, "
        f"{history['persisting']:,} persisting, {len(comparison.resolved):,} resolved."
    )
    flowables = [*heading("Compared with the previous transfer"), para(summary, cut=False)]
    if not comparison.records_compared:
        return flowables + [para(f"Records not compared: {comparison.why_not}.")]
    flowables += _dataset_changes(comparison, width)
    flowables += _critical_changes(comparison, width)
    flowables += _resolved(comparison, width)
    return flowables


def _previous_run(comparison: Comparison) -> str:
    run = comparison.previous_run or {}
    if not run.get("id"):
        return ""
    return f", run {run['id']} of {run.get('started', '?')}"


def _dataset_changes(comparison: Comparison, width: float) -> list[Flowable]:
    rows = []
    for name, d in comparison.datasets.items():
        state = "" if d.get("in_current", True) else " (dataset gone)"
        state = state or ("" if d.get("in_previous", True) else " (new dataset)")
        variables = _variables_text(d)
        rows.append(
            [
                name + state,
                f"{d['records_before']:,}",
                f"{d['records_after']:,}",
                f"{len(d['added']):,}",
                f"{len(d['removed']):,}",
                f"{len(d['changed']):,}",
                variables,
            ]
        )
    header = ("Dataset", "Before", "Now", "Added", "Removed", "Changed", "Variables")
    widths = (0.16, 0.09, 0.09, 0.09, 0.09, 0.09, 0.39)
    flowables: list[Flowable] = [grid(header, rows, widths, width, numeric=(1, 2, 3, 4, 5))]
    subjects = (
        f"Subjects removed: {_listed(comparison.subjects_removed)}. "
        f"Subjects added: {_listed(comparison.subjects_added)}."
    )
    flowables.append(para(subjects, cut=False))
    return flowables


def _variables_text(entry: dict[str, Any]) -> str:
    added, removed = entry.get("variables_added") or [], entry.get("variables_removed") or []
    parts = ([f"added {', '.join(added)}"] if added else []) + (
        [f"removed {', '.join(removed)}"] if removed else []
    )
    return "; ".join(parts)


def _listed(subjects: list[str]) -> str:
    if not subjects:
        return "none"
    shown = ", ".join(subjects[:SUBJECTS_LISTED])
    more = len(subjects) - SUBJECTS_LISTED
    return f"{shown} and {more:,} more" if more > 0 else shown


def _critical_changes(comparison: Comparison, width: float) -> list[Flowable]:
    changes = comparison.critical_changes
    title = heading(f"Changes to protocol-critical values: {len(changes):,}", "h3")
    if not changes:
        return [
            *title,
            para(
                "None: Day 0 dates, lymphodepletion dates, doses, arms and DLT "
                "records are as before."
            ),
        ]
    rows = [
        [
            c["what"],
            c["dataset"],
            c["usubjid"] or "",
            _text(c["seq"]),
            c["variable"] or "",
            _text(c["before"]),
            _text(c["after"]),
        ]
        for c in changes[:CHANGES_LISTED]
    ]
    header = ("What", "Dataset", "USUBJID", "SEQ", "Variable", "Before", "Now")
    flowables = [*title, grid(header, rows, (0.22, 0.08, 0.16, 0.06, 0.12, 0.18, 0.18), width)]
    return flowables + _more(len(changes), "change(s)")


def _resolved(comparison: Comparison, width: float) -> list[Flowable]:
    resolved = comparison.resolved
    if not resolved:
        return []
    rows = [
        [f.rule_id, f.domain or "", f.usubjid or "", _text(f.seq), f.message]
        for f in resolved[:CHANGES_LISTED]
    ]
    header = ("Rule", "Dataset", "USUBJID", "SEQ", "Message (previous transfer)")
    return [
        *heading(f"Resolved since the previous transfer: {len(resolved):,}", "h3"),
        grid(header, rows, (0.16, 0.08, 0.16, 0.06, 0.54), width),
        *_more(len(resolved), "resolved finding(s)"),
    ]


def _more(total: int, what: str) -> list[Flowable]:
    if total <= CHANGES_LISTED:
        return []
    more = f"and {total - CHANGES_LISTED:,} more {what}: see the JSON report."
    return [para(more, "note", cut=False)]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def assumptions_section(report: ReportModel, width: float) -> list[Flowable]:
    assumed = [r for r in report.results if r.rule.assumed]
    title = heading("Assumptions this run rests on")
    if not report.assumptions and not assumed:
        return [*title, para("None: every protocol value in the spec is taken from its source.")]
    rows = [[a.get("what", ""), a.get("source", "")] for a in report.assumptions]
    rows += [
        [f"{r.rule.id}: {r.rule.assumption or r.rule.description}", r.rule.source] for r in assumed
    ]
    return [*title, grid(("Assumed", "Source"), rows, (0.6, 0.4), width)]
