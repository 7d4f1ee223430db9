"""The short summary printed on every run."""

from __future__ import annotations

from trialguard.findings import Status
from trialguard.report import InputInfo, Report
from trialguard.reporting.json import history_counts
from trialguard.reporting.junit import finding_line
from trialguard.reporting.patterns import systematic

# skip reasons that name no fix (trialguard.readers.names: NOT_DATA, NO_CHECKS); others tell
# what to do
PLAIN_SKIPS = (
    "not a dataset file",
    "not named after an SDTM dataset (e.g. mh.xpt, suppae.csv) and holds no dataset name: not read",
)


def render_summary(report: Report) -> str:
    lines = [
        f"trialguard {report.tool_version} | spec {report.spec.id} {report.spec.version} "
        f"| run {report.run_id[:12]}",
        f"Standards: {report.standards.ig_title} | CT: {report.standards.ct_title}",
        "Read: " + ", ".join(map(_read, report.inputs)),
    ]
    notes = [n for n in (report.standards.ig_note, report.standards.ct_note) if n]
    lines += [f"  note: {notice}" for notice in report.notices]
    lines[2:2] = [f"  note: {note}" for note in notes]
    lines += [f"NOT READ: {u.dataset} ({u.path}): {u.reason}" for u in report.unreadable]
    lines += [f"MISSING: {m.dataset} {m.reason} (the spec requires it)" for m in report.missing]
    if report.skipped:
        lines.append(f"Skipped {len(report.skipped)} file(s) with no checks (listed in the report)")
        lines += [
            f"  skipped {path}: {why}" for path, why in report.skipped if why not in PLAIN_SKIPS
        ]
    statuses = report.status_counts()
    excused = sum(1 for r in report.results if r.status is Status.NOT_RUN and r.excused)
    lines.append(
        f"Rules: {len(report.results)} | passed {statuses['passed']} | failed {statuses['failed']} "
        f"| not run {statuses['not_run']} ({excused} excused) | error {statuses['error']}"
    )
    summary = report.summary()
    undecided = len(report.not_evaluable())
    lines.append(
        f"Findings: {summary['error']} error, {summary['warning']} warning, "
        f"{summary['notice']} notice | {undecided} record(s) not evaluable"
    )
    lines += _history_lines(report)
    lines += _rule_lines(report)
    lines.append(verdict_line(report))
    return "\n".join(lines)


def _read(read: InputInfo) -> str:
    """`AE 12 records (xpt)`, or with the file when its name is not the dataset's:
    `AE 12 records (xpt, CDISC01_ae.xpt by its XPT member name)`."""
    if read.by_file_name:
        return f"{read.dataset} {read.records} records ({read.format})"
    how = read.taken_by_text
    return f"{read.dataset} {read.records} records ({read.format}, {read.file_name} {how})"


def _history_lines(report: Report) -> list[str]:
    """New, persisting, resolved and waived counts, when there is a history or waivers."""
    parts = []
    if report.comparison is not None:
        counts = history_counts(report)
        parts.append(
            f"new {counts['new']} | persisting {counts['persisting']} "
            f"| resolved {counts['resolved']}"
        )
    lines = [f"Since the previous transfer: {' | '.join(parts)}"] if parts else []
    if report.waivers:
        lines.append(f"Waived: {report.waived_count()} finding(s) accepted by a waiver")
    return lines


def _rule_lines(report: Report) -> list[str]:
    lines = []
    for result in report.results:
        rule = result.rule
        lines += [f"  {rule.id:<14} note     {'':>6}  {note}" for note in result.notes]
        if result.status is Status.FAILED:
            lines.append(
                f"  {rule.id:<14} {rule.severity.value:<8} {len(result.findings):>6}"
                f"  {rule.description}"
            )
            lines += [
                f"  {'':<14} {'':<8} {'':>6}    {p.line(finding_line)}"
                for p in systematic(result.findings)
            ]
        elif result.status is Status.ERROR or result.leaves_unchecked:
            label = "not run" if result.status is Status.NOT_RUN else "ERROR"
            lines.append(f"  {rule.id:<14} {label:<8} {'':>6}  {result.reason}")
    return lines


def verdict_line(report: Report) -> str:
    return f"Verdict: {report.verdict.upper()} ({report.verdict_reason})"
