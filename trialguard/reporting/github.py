"""GitHub workflow annotations (`--format github`): the few that matter most, then one summary
line and the verdict line.

GitHub shows 10 annotations of each kind per step, so a run prints the `limit` most important:
datasets not read or missing first, then findings new since the previous transfer, then by
severity (error, warning, notice; a waived finding is a notice), one rule's first annotation
before any rule's second.  Alike findings of one rule (a systematic pattern) are one annotation
with their count.  Each finding's title says [new] or [persisting] when the run was compared
with a previous transfer.  The summary line counts every finding and says where the full list is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from trialguard.findings import Severity
from trialguard.report_model import ReportModel
from trialguard.reporting.json import history_counts
from trialguard.reporting.junit import finding_line, finding_place
from trialguard.reporting.patterns import Pattern, patterns
from trialguard.reporting.terminal import verdict_line

ANNOTATIONS_SHOWN = 10  # what GitHub shows of one step


@dataclass(frozen=True)
class Annotation:
    """One workflow command: `::level file=...,line=...,title=...::message`."""

    level: str  # error, warning or notice
    title: str
    message: str
    file: str | None = None
    line: int | None = None
    rank: tuple = ()  # smaller is more important

    def command(self) -> str:
        properties = {"title": self.title}
        if self.file is not None:
            properties["file"] = self.file
            if self.line is not None:
                properties["line"] = str(self.line)
        fields = ",".join(f"{k}={_escape(v, True)}" for k, v in properties.items())
        return f"::{self.level} {fields}::{_escape(self.message, False)}"


def render_github(
    report: ReportModel, limit: int = ANNOTATIONS_SHOWN, full_list: Sequence[str] = ()
) -> str:
    """The `limit` most important annotations, the summary line and the verdict line;
    `full_list` names the reports written, where every finding is."""
    every = ranked_annotations(report)
    lines = [a.command() for a in every[:limit]]
    lines.append(summary_line(report, min(limit, len(every)), len(every), full_list))
    lines.append(verdict_line(report))
    return "\n".join(lines)


def ranked_annotations(report: ReportModel) -> list[Annotation]:
    """Every annotation of the run, most important first."""
    found = _input_annotations(report)
    paths = {i.dataset: i.path for i in report.inputs}
    per_rule: Counter[str] = Counter()
    for order, pattern in enumerate(_shown_apart(report)):
        rule = pattern.example.rule_id
        found.append(_pattern_annotation(pattern, paths, (per_rule[rule], order)))
        per_rule[rule] += 1
    return sorted(found, key=lambda a: a.rank)


def _shown_apart(report: ReportModel) -> list[Pattern]:
    """Each systematic pattern whole; every other finding on its own."""
    return [
        part
        for pattern in patterns(report.findings())
        for part in ([pattern] if pattern.systematic else [Pattern((f,)) for f in pattern.findings])
    ]


def _input_annotations(report: ReportModel) -> list[Annotation]:
    """Datasets not read and required ones missing: the run is incomplete, so they lead."""
    unread = [
        Annotation("error", f"{u.dataset} could not be read", u.reason, u.path, rank=(0, n))
        for n, u in enumerate(report.unreadable)
    ]
    return unread + [
        Annotation(
            "error",
            f"{m.dataset} missing",
            f"{m.dataset} {m.reason}; the spec requires it",
            rank=(0, len(unread) + n),
        )
        for n, m in enumerate(report.missing)
    ]


def _pattern_annotation(pattern: Pattern, paths: dict[str, str], order: tuple) -> Annotation:
    """One finding, or one systematic pattern of alike findings, as an annotation."""
    finding = pattern.example
    level = Severity.NOTICE if finding.waiver else finding.severity
    history = f" [{finding.history}]" if finding.history else ""
    if pattern.systematic:
        title = f"{finding.rule_id}{history} ({pattern.size} alike)"
        message = pattern.line(finding_line)
    else:
        title = f"{finding.rule_id}{history} ({finding_place(finding)})"
        message = finding.message
    if finding.waiver:
        message += f" (waived by {finding.waiver.get('approver')})"
    rank = (1, finding.history != "new", -level.rank, *order)
    file = paths.get(finding.domain or "")
    return Annotation(level.value, title, message, file, finding.line if file else None, rank)


def summary_line(report: ReportModel, shown: int, total: int, full_list: Sequence[str]) -> str:
    """Counts by severity, new and persisting, the annotations not shown and where all are."""
    counts = report.summary()
    parts = [
        f"{sum(counts.values())} finding(s): {counts['error']} error, "
        f"{counts['warning']} warning, {counts['notice']} notice"
        + (f", {report.waived_count()} waived" if report.waived_count() else "")
    ]
    if report.comparison is not None:
        history = history_counts(report)
        parts.append(
            f"new {history['new']}, persisting {history['persisting']}, "
            f"resolved {history['resolved']}"
        )
    hidden = total - shown
    parts.append(
        f"{shown} of {total} annotation(s) shown, {hidden} not shown"
        if hidden
        else f"all {total} annotation(s) shown"
    )
    where = ", ".join(full_list) if full_list else "not written: add --json, --html or --csv"
    return f"trialguard: {'; '.join(parts)}; every finding: {where}"


def _escape(text: str, is_property: bool) -> str:
    """GitHub's workflow-command escaping (properties also escape ':' and ',')."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text
