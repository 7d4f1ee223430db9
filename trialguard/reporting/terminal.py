"""The short summary printed on every run, and the header it shares with `--format text`."""

from __future__ import annotations

from collections import Counter

from trialguard.findings import Status
from trialguard.report_model import ReportModel
from trialguard.report_parts import InputInfo
from trialguard.reporting.json import history_counts
from trialguard.reporting.junit import finding_line
from trialguard.reporting.patterns import systematic

# skip reasons that name no fix (trialguard.readers.names: NOT_DATA, NO_CHECKS); others tell
# what to do
PLAIN_SKIPS = (
    "not a dataset file",
    "not named after an SDTM dataset (e.g. mh.xpt, suppae.csv) and holds no dataset name: not read",
)
# The note a rule carries for each dataset it could not look at (trialguard.runner): the
# terminal says it once, on the dataset's NOT READ line, not once per rule.
UNREAD_NOTE = " was not checked by this rule: its file could not be read"


def header_lines(report: ReportModel) -> list[str]:
    """The run, the standards it was judged by (with their notes) and the datasets read."""
    standards = report.standards
    lines = [
        f"trialguard {report.tool_version} | spec {report.spec.id} {report.spec.version} "
        f"| run {report.run_id[:12]}",
        f"Standards: {standards.ig_title} | CT: {standards.ct_title}",
    ]
    lines += [f"  note: {note}" for note in (standards.ig_note, standards.ct_note) if note]
    lines.append("Read: " + (", ".join(map(_read, report.inputs)) or "no dataset"))
    lines += [f"  note: {notice}" for notice in report.notices]
    return lines


def unread_lines(report: ReportModel, head: str = "NOT READ: ") -> list[str]:
    """One line per dataset file that could not be read, with how many rules ran without it."""
    without = Counter(
        note.removesuffix(UNREAD_NOTE)
        for result in report.results
        for note in result.notes
        if note.endswith(UNREAD_NOTE)
    )
    return [
        f"{head}{u.dataset} ({u.path}): {u.reason}"
        + (f"; {without[u.dataset]} rule(s) ran without it" if without[u.dataset] else "")
        for u in report.unreadable
    ]


def render_summary(report: ReportModel) -> str:
    lines = header_lines(report) + unread_lines(report)
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


def _history_lines(report: ReportModel) -> list[str]:
    """New, persisting, resolved and waived counts, when there is a history or waivers."""
    lines = []
    if report.comparison is not None:
        counts = history_counts(report)
        first = report.comparison.previous_kind == "first transfer"
        lines.append(
            f"First transfer (--first-transfer): all {counts['new']} finding(s) are new"
            if first
            else f"Since the previous transfer: new {counts['new']} | persisting "
            f"{counts['persisting']} | resolved {counts['resolved']}"
        )
    if report.waivers:
        lines.append(f"Waived: {report.waived_count()} finding(s) accepted by a waiver")
    return lines


def _rule_lines(report: ReportModel) -> list[str]:
    lines = []
    for result in report.results:
        rule = result.rule
        lines += [
            f"  {rule.id:<14} note     {'':>6}  {note}"
            for note in result.notes
            if not note.endswith(UNREAD_NOTE)
        ]
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


def verdict_line(report: ReportModel) -> str:
    return f"Verdict: {report.verdict.upper()} ({report.verdict_reason})"
